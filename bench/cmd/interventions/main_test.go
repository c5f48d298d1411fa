package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuickLook plays the suite on one seed of the slow outbreak and checks
// the outputs: the leaderboard on stdout and in both files, a CSV row per
// run.
func TestQuickLook(t *testing.T) {
	dir := t.TempDir()
	csvPath, mdPath, readme := filepath.Join(dir, "runs.csv"), filepath.Join(dir, "board.md"), filepath.Join(dir, "README.md")
	require.NoError(t, os.WriteFile(readme, []byte("# Bench\n<!-- BEGIN interventions -->\nold\n<!-- END interventions -->\ntail\n"), 0o644))
	var stdout, stderr bytes.Buffer
	err := run([]string{"-seeds", "1", "-scenarios", "slow", "-csv", csvPath, "-o", mdPath, "-readme", readme}, &stdout, &stderr)
	require.NoError(t, err, stderr.String())

	board := stdout.String()
	assert.Contains(t, board, "6 contenders × 1 scenarios × 1 seeds")
	assert.Contains(t, board, "#### slow: R0 about 2.5")
	for _, name := range []string{"ninth_edition", "twenty_measures", "mitigation", "no_intervention", "ninth_edition+selftests", "twenty_measures+selftests"} {
		assert.Contains(t, board, "| "+name+" |")
	}
	md, err := os.ReadFile(mdPath)
	require.NoError(t, err)
	assert.Equal(t, board, string(md))
	rd, err := os.ReadFile(readme)
	require.NoError(t, err)
	assert.Equal(t, "# Bench\n<!-- BEGIN interventions -->\n"+board+"<!-- END interventions -->\ntail\n", string(rd))

	f, err := os.Open(csvPath)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, 1+6)
	assert.Contains(t, stderr.String(), "6 of 6 runs")
}

func TestBadArguments(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-seeds", "0"}, "-seeds must be from 1 to 20, got 0"},
		{[]string{"-seeds", "21"}, "-seeds must be from 1 to 20, got 21"},
		{[]string{"-scenarios", "slow,huge"}, `-scenarios: no scenario "huge" (have slow, fast, large)`},
		{[]string{"-baseline", "zero"}, `-baseline "zero" is not a contender`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-readme", filepath.Join(t.TempDir(), "none.md")}, "none.md"},
		{[]string{"-csv", filepath.Join(t.TempDir(), "no", "runs.csv")}, "cannot write"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(c.args, &stdout, &stderr)
		require.Error(t, err, strings.Join(c.args, " "))
		assert.Contains(t, err.Error(), c.want)
	}
}
