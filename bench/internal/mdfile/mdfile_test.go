package mdfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReplaceSection(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "README.md")
	before := "# Title\n\ntext\n\n<!-- BEGIN perf -->\nold table\n<!-- END perf -->\n\nafter\n"
	require.NoError(t, os.WriteFile(path, []byte(before), 0o644))

	require.NoError(t, ReplaceSection(path, "perf", "| new | table |"))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "# Title\n\ntext\n\n<!-- BEGIN perf -->\n| new | table |\n<!-- END perf -->\n\nafter\n", string(got))

	// Again: the same file, so the section is replaced, not appended to.
	require.NoError(t, ReplaceSection(path, "perf", "| new | table |\n"))
	again, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(got), string(again))

	// No such section, or markers out of order: an error, and the file as it was.
	assert.NoError(t, CheckSection(path, "perf"))
	assert.Error(t, CheckSection(path, "interventions"))
	err = ReplaceSection(path, "interventions", "x")
	assert.ErrorContains(t, err, "needs one section <!-- BEGIN interventions --> … <!-- END interventions -->")
	bad := filepath.Join(dir, "bad.md")
	require.NoError(t, os.WriteFile(bad, []byte("<!-- END perf -->\n<!-- BEGIN perf -->\n"), 0o644))
	assert.Error(t, ReplaceSection(bad, "perf", "x"))
	kept, err := os.ReadFile(bad)
	require.NoError(t, err)
	assert.Equal(t, "<!-- END perf -->\n<!-- BEGIN perf -->\n", string(kept))
	assert.Error(t, ReplaceSection(filepath.Join(dir, "missing.md"), "perf", "x"))

	// No temporary file is left behind.
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2)
}

func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "PERF.md")
	require.NoError(t, WriteFile(path, "a"))
	require.NoError(t, WriteFile(path, "b"))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "b", string(got))
	assert.Error(t, WriteFile(filepath.Join(t.TempDir(), "no", "such", "dir.md"), "x"))
	assert.NoError(t, CanWrite(path))
	assert.ErrorContains(t, CanWrite(filepath.Join(t.TempDir(), "no", "dir.md")), "cannot write")
	assert.ErrorContains(t, CanWrite(filepath.Join(path, "x.md")), "is not a directory")
}
