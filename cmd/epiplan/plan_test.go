package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// planArgs is a quick plan of the tiny scenario: two quarantine lengths for
// twenty_measures, a target it can meet.
func planArgs(file, out string) []string {
	return []string{"plan", file, "--strategy", "twenty_measures",
		"--vary", "strategy.response.quarantine.centralized=3d,5d",
		"--vary", "resources.quarantine_rooms=100,1000",
		"--target", "uncontrolled<=0.5", "--target", "mean(infections)<=1e6",
		"--min-replications", "2", "--max-replications", "4", "--finalists", "2", "--confirm", "3",
		"--out", out}
}

func TestPlanCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiny.yaml")
	require.NoError(t, os.WriteFile(file, []byte(tiny), 0o644))
	var out, errOut bytes.Buffer
	outDir := filepath.Join(dir, "plan")
	require.NoError(t, run(planArgs(file, outDir), &out, &errOut))
	assert.Contains(t, out.String(), "tiny, strategy twenty_measures: 4 candidates")
	assert.Contains(t, out.String(), "meets every target")
	for _, f := range []string{"plan.json", "plan.yaml", "plan.html", "frontier.csv", "frontier.svg", "frontier.png", "recommended/summary.json", "recommended/report.html"} {
		_, err := os.Stat(filepath.Join(outDir, f))
		assert.NoError(t, err, f)
	}
	var man struct {
		Recommended struct {
			Sets         []string
			MeetsTargets bool `json:"meets_targets"`
			Run          string
			Targets      []struct {
				N        int
				Estimate float64
				Lo       float64 `json:"lo95"`
				Hi       float64 `json:"hi95"`
			}
		}
		Candidates []struct{ Sets []string }
	}
	data, err := os.ReadFile(filepath.Join(outDir, "plan.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &man))
	assert.True(t, man.Recommended.MeetsTargets)
	assert.Len(t, man.Candidates, 4)
	require.Len(t, man.Recommended.Targets, 2)
	for _, e := range man.Recommended.Targets {
		assert.Equal(t, 3, e.N)
		assert.LessOrEqual(t, e.Lo, e.Estimate)
		assert.LessOrEqual(t, e.Estimate, e.Hi)
	}
	// The plan's own command plays it (plan.yaml with its fields).
	args := strings.Fields(strings.TrimPrefix(man.Recommended.Run, "epiplan "))
	for i, a := range args {
		args[i] = strings.Trim(a, "'") // quoted for a shell
	}
	args[1] = filepath.Join(outDir, "plan.yaml")
	out.Reset()
	require.NoError(t, run(append(args, "--out", filepath.Join(dir, "replay"), "--replications", "2"), &out, &errOut))
	assert.Contains(t, out.String(), "tiny: 1 strategies × 2 replications")

	// --verify replays the recommended plan on other seeds and compares.
	out.Reset()
	require.NoError(t, run([]string{"plan", "--verify", outDir, "--confirm", "4", "--seed", "9", "--out", filepath.Join(dir, "verify")}, &out, &errOut))
	assert.Contains(t, out.String(), "on 4 runs of seed 9")
	assert.Contains(t, out.String(), "within the plan's interval")

	// reproduce makes it again, byte for byte.
	out.Reset()
	require.NoError(t, run([]string{"reproduce", outDir, "--out", filepath.Join(dir, "again"), "--check"}, &out, &errOut))
	assert.Contains(t, out.String(), "reproduced")

	// A sharded grid stage, merged with --from, gives the same plan.
	for _, sh := range []string{"1/2", "2/2"} {
		out.Reset()
		a := append(planArgs(file, filepath.Join(dir, "grid-"+sh[:1])), "--shard", sh)
		require.NoError(t, run(a, &out, &errOut))
		assert.Contains(t, out.String(), "grid shard "+sh)
	}
	// The search stage from the grid, then the confirmation in two shards.
	out.Reset()
	a := append(planArgs(file, filepath.Join(dir, "search")), "--stage", "search", "--from", filepath.Join(dir, "grid-1"), "--from", filepath.Join(dir, "grid-2"))
	require.NoError(t, run(a, &out, &errOut))
	for _, sh := range []string{"1/2", "2/2"} {
		a := append(planArgs(file, filepath.Join(dir, "confirm-"+sh[:1])), "--stage", "confirm", "--shard", sh, "--from", filepath.Join(dir, "search"))
		require.NoError(t, run(a, &out, &errOut))
		assert.Contains(t, out.String(), "confirm shard "+sh)
	}
	out.Reset()
	merged := filepath.Join(dir, "merged")
	a = append(planArgs(file, merged), "--from", filepath.Join(dir, "confirm-1"), "--from", filepath.Join(dir, "confirm-2"))
	require.NoError(t, run(a, &out, &errOut))
	// Only the recommended plan's report was played: every search and
	// confirmation run came from the shards.
	var mm struct{ Runs int }
	data, err = os.ReadFile(filepath.Join(merged, "plan.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &mm))
	assert.Equal(t, 3, mm.Runs, "the recommended plan's 3 confirmation runs, played again for its report")
	// A confirm stage without the search's runs is refused.
	a = append(planArgs(file, filepath.Join(dir, "confirm-x")), "--stage", "confirm", "--shard", "1/2", "--from", filepath.Join(dir, "grid-1"))
	assert.ErrorContains(t, run(a, &out, &errOut), "play the search stage first")
	m1, err := os.ReadFile(filepath.Join(outDir, "frontier.csv"))
	require.NoError(t, err)
	m2, err := os.ReadFile(filepath.Join(merged, "frontier.csv"))
	require.NoError(t, err)
	assert.Equal(t, string(m1), string(m2), "the sharded plan's frontier is the plan's")
	p1, err := os.ReadFile(filepath.Join(outDir, "recommended", "summary.json"))
	require.NoError(t, err)
	p2, err := os.ReadFile(filepath.Join(merged, "recommended", "summary.json"))
	require.NoError(t, err)
	assert.Equal(t, string(p1), string(p2), "the same recommended plan and confirmation")
	// A grid of another plan is refused.
	other := append(planArgs(file, filepath.Join(dir, "other")), "--from", filepath.Join(dir, "grid-1"), "--levels", "3")
	assert.ErrorContains(t, run(other, &out, &errOut), "a grid of another plan")
}

func TestPlanBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiny.yaml")
	require.NoError(t, os.WriteFile(file, []byte(tiny), 0o644))
	var out, errOut bytes.Buffer
	base := []string{"plan", file, "--out", filepath.Join(dir, "p")}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--vary", "strategy.response.quarantine.centralized=3d:5d"}, "at least one --target"},
		{[]string{"--target", "controlled>=0.9"}, "--vary fields or --size"},
		{[]string{"--vary", "x", "--target", "controlled>=0.9"}, "want path=lo:hi or path=a,b,c"},
		{[]string{"--vary", "nosuch.field=1:2", "--target", "controlled>=0.9"}, "no field"},
		{[]string{"--vary", "strategy.response.quarantine.centralized=a:b", "--target", "controlled>=0.9"}, "neither a number nor a duration"},
		{[]string{"--vary", "strategy.response.quarantine.rooms=1:5", "--target", "controlled>=2"}, "probability from 0 to 1"},
		{[]string{"--vary", "strategy.response.quarantine.rooms=1:5", "--target", "nosuch<=3"}, "no metric"},
		{[]string{"--vary", "strategy.response.quarantine.rooms=1:5", "--target", "controlled=>1"}, "want metric<=x"},
		{[]string{"--vary", "strategy.response.quarantine.rooms=1:5", "--target", "controlled>=0.9", "--minimize", "nosuch"}, "--minimize nosuch"},
		{[]string{"--vary", "strategy.response.quarantine.rooms=1:5", "--target", "controlled>=0.9", "--strategy", "nosuch"}, "--strategy nosuch"},
		{[]string{"--vary", "strategies[1].response.quarantine.rooms=1:5", "--target", "controlled>=0.9", "--strategy", "twenty_measures"}, "only the planned strategy"},
		{[]string{"--vary", "strategy.response.quarantine.rooms=-5:5", "--target", "controlled>=0.9"}, "quarantine.rooms"},
		{[]string{"--size", "strategy.response.tracing.find.community", "--target", "controlled>=0.9", "--strategy", "twenty_measures"}, "give its range"},
		{[]string{"--size", "x=5:1", "--target", "controlled>=0.9"}, "lo < hi"},
		{[]string{"--vary", "strategy.response.quarantine.rooms=1:5", "--target", "controlled>=0.9", "--min-replications", "1"}, "replications"},
		{[]string{"--vary", "strategy.response.quarantine.rooms=1:5", "--target", "controlled>=0.9", "--shard", "3/2"}, "shard"},
	} {
		err := run(append(append([]string(nil), base...), c.args...), &out, &errOut)
		if assert.Error(t, err, "%v", c.args) {
			assert.Contains(t, err.Error(), c.want, "%v", c.args)
		}
	}
	_, err := os.Stat(filepath.Join(dir, "p"))
	assert.True(t, os.IsNotExist(err), "nothing written on bad input")
}

// TestPlanInterruptWritesNothing stops a plan with SIGINT after a few runs:
// it says so, exits 130 and writes nothing.
func TestPlanInterruptWritesNothing(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "slow.yaml")
	require.NoError(t, os.WriteFile(file, []byte(slow), 0o644))
	out := filepath.Join(dir, "plan")
	_, stderr, code := epiplan(t, []string{"EPIPLAN_SIGNAL_AT=3"}, "plan", file, "--strategy", "twenty_measures",
		"--vary", "strategy.response.quarantine.centralized=3d,5d", "--target", "controlled>=0.5", "--out", out, "--workers", "1")
	assert.Equal(t, 130, code, stderr)
	assert.Contains(t, stderr, "epiplan: interrupted: nothing written to "+out)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only the scenario file: no folder, no temporary file")
}
