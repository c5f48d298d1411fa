package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestForceKeepsTheUsersFiles(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	write := func(tmp string) error {
		require.NoError(t, os.MkdirAll(filepath.Join(tmp, "plots"), 0o755))
		return os.WriteFile(filepath.Join(tmp, "plots", "a.svg"), []byte("<svg/>"), 0o644)
	}
	require.NoError(t, ReplaceDir(out, false, write))
	require.NoError(t, ReplaceDir(out, true, write), "a folder holding only what epiplan wrote is replaced")

	// The user's notes inside it are not deleted by --force.
	notes := filepath.Join(out, "plots", "notes.txt")
	require.NoError(t, os.WriteFile(notes, []byte("mine"), 0o644))
	err := ReplaceDir(out, true, write)
	assert.ErrorContains(t, err, "holds files that epiplan did not write (plots/notes.txt)")
	_, err = os.Stat(notes)
	assert.NoError(t, err)
	assert.ErrorContains(t, CheckOut(out, true), "plots/notes.txt", "and CheckOut says so before any work")
}

func TestDanglingSymlinkRefusedUpFront(t *testing.T) {
	root := t.TempDir()
	link := filepath.Join(root, "out")
	require.NoError(t, os.Symlink(filepath.Join(root, "missing"), link))
	err := CheckOut(link, false)
	assert.ErrorContains(t, err, "is a symbolic link to "+filepath.Join(root, "missing")+", which does not exist")
	called := false
	err = ReplaceDir(link, true, func(string) error { called = true; return nil })
	assert.Error(t, err)
	assert.False(t, called, "nothing is run")
}

func TestStaleTemporaryFoldersRemoved(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	host := owner()
	host = host[:len(host)-len(fmt.Sprint(os.Getpid()))-1]
	// A process that is gone (pid 1<<22 - 1 is above Linux's default
	// pid_max, 4194304 - 1 being the largest allowed), one that is alive
	// (this one) and one of another host.
	gone := filepath.Join(root, fmt.Sprintf(".out.new-%s-%d-123", host, 1<<22-1))
	live := filepath.Join(root, fmt.Sprintf(".out.new-%s-%d-456", host, os.Getpid()))
	other := filepath.Join(root, fmt.Sprintf(".out.new-otherhost%s-%d-789", host, 1<<22-1))
	for _, d := range []string{gone, live, other} {
		require.NoError(t, os.MkdirAll(d, 0o755))
	}
	// An old folder of a killed process, between its two renames: it goes
	// back in place.
	old := filepath.Join(root, fmt.Sprintf(".out.old-%s-%d-321", host, 1<<22-1))
	require.NoError(t, os.MkdirAll(filepath.Join(old, "out"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(old, "out", Marker), []byte("made by epiplan\n"), 0o644))
	removeStale(root, "out")
	for d, want := range map[string]bool{gone: false, live: true, other: true, old: false} {
		_, err := os.Stat(d)
		assert.Equal(t, want, err == nil, d)
	}
	_, err := os.Stat(filepath.Join(out, Marker))
	assert.NoError(t, err, "the old folder is back in place")
}
