package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/scenarios"
)

// TestMain lets a test run the command in a process of its own: the test
// binary, started with EPIPLAN_MAIN=1, is epiplan. With EPIPLAN_SIGNAL_AT=k
// it sends itself SIGINT once k replications are done, as a user's Ctrl-C
// in the middle of a run would.
func TestMain(m *testing.M) {
	if os.Getenv("EPIPLAN_MAIN") == "1" {
		if k, err := strconv.Atoi(os.Getenv("EPIPLAN_SIGNAL_AT")); err == nil {
			sent := false
			signalled = make(chan struct{})
			testHook = func(done, total int) {
				if done >= k && !sent {
					sent = true
					syscall.Kill(os.Getpid(), syscall.SIGINT)
					<-signalled // the run goes on only once the signal is taken
				}
			}
		}
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// epiplan runs the command in a new process and returns its standard output,
// standard error and exit code.
func epiplan(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "EPIPLAN_MAIN=1"), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return out.String(), errOut.String(), code
}

// slow is a scenario whose replications take a moment each.
const slow = `name: slow
replications: 8
horizon: 60d
max_infections: 30000
population:
  areas: [{name: town, population: 200000, communities: 10}]
imports: {initial: 20}
strategies: [{name: no_intervention}, {name: twenty_measures}]
`

// TestInterruptWritesNothing interrupts a run half-way with SIGINT: the
// process says so, fails, and leaves no output folder and no temporary file;
// an existing output folder is left as it was.
func TestInterruptWritesNothing(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "slow.yaml")
	require.NoError(t, os.WriteFile(file, []byte(slow), 0o644))
	out := filepath.Join(dir, "out")
	_, stderr, code := epiplan(t, []string{"EPIPLAN_SIGNAL_AT=8"}, "run", file, "--out", out, "--workers", "1")
	assert.Equal(t, 130, code, "the exit status of a command stopped by Ctrl-C")
	assert.Contains(t, stderr, "epiplan: interrupted: nothing written to "+out)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only the scenario file: no folder, no temporary file")

	// An earlier result survives an interrupted run with --force.
	_, stderr, code = epiplan(t, nil, "run", file, "--out", out, "--replications", "1")
	require.Equal(t, 0, code, stderr)
	before, err := os.ReadFile(filepath.Join(out, "summary.json"))
	require.NoError(t, err)
	_, stderr, code = epiplan(t, []string{"EPIPLAN_SIGNAL_AT=4"}, "run", file, "--out", out, "--force", "--workers", "1")
	assert.Equal(t, 130, code)
	assert.Contains(t, stderr, "interrupted: nothing written")
	after, err := os.ReadFile(filepath.Join(out, "summary.json"))
	require.NoError(t, err)
	assert.Equal(t, before, after)
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "the scenario and out/: no temporary folder")
}

// TestForceIsNeededToOverwrite runs twice into one folder.
func TestForceIsNeededToOverwrite(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiny.yaml")
	require.NoError(t, os.WriteFile(file, []byte(tiny), 0o644))
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	require.NoError(t, run([]string{"run", file, "--out", out, "--seed", "1"}, &stdout, &stderr))
	err := run([]string{"run", file, "--out", out, "--seed", "2"}, &stdout, &stderr)
	require.Error(t, err)
	assert.Equal(t, out+": exists; use --force to replace it", err.Error())
	sum, err := os.ReadFile(filepath.Join(out, "summary.json"))
	require.NoError(t, err)
	assert.Contains(t, string(sum), `"seed": 1`)
	require.NoError(t, run([]string{"run", file, "--out", out, "--seed", "2", "--force"}, &stdout, &stderr))
	sum, err = os.ReadFile(filepath.Join(out, "summary.json"))
	require.NoError(t, err)
	assert.Contains(t, string(sum), `"seed": 2`)

	// A folder of the user's own is not replaced, even with --force.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644))
	err = run([]string{"run", file, "--out", dir, "--force"}, &stdout, &stderr)
	assert.ErrorContains(t, err, "not an output folder made by epiplan")
}

// TestReproduce plays a run again from its output folder and finds every
// output byte-identical, with another number of workers.
func TestReproduce(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiny.yaml")
	require.NoError(t, os.WriteFile(file, []byte(tiny), 0o644))
	first, again := filepath.Join(dir, "first"), filepath.Join(dir, "again")
	var stdout, stderr bytes.Buffer
	require.NoError(t, run([]string{"run", file, "--out", first, "--seed", "7", "--set", "imports.initial=5", "--workers", "1"}, &stdout, &stderr))
	stdout.Reset()
	require.NoError(t, run([]string{"reproduce", first, "--out", again, "--check", "--workers", "3"}, &stdout, &stderr))
	assert.Contains(t, stdout.String(), "reproduced: every output in "+again+" is byte-identical to "+first)
	sum, err := os.ReadFile(filepath.Join(first, "summary.json"))
	require.NoError(t, err)
	for _, field := range []string{`"epiplan_version"`, `"go_version": "go1.`, `"scenario_sha256"`, `"imports.initial=5"`, `"seed": 7`, `"replication_keys"`} {
		assert.Contains(t, string(sum), field)
	}
	// The record decides the fields, seed and replications; the copy goes
	// into a folder of its own.
	for _, args := range [][]string{{"--seed", "8"}, {"--set", "imports.initial=6"}, {"--replications", "3"}} {
		err := run(append([]string{"reproduce", first, "--out", filepath.Join(dir, "x")}, args...), &stdout, &stderr)
		assert.ErrorContains(t, err, "reproduce takes its fields, seed and replications from the record", args)
	}
	for _, into := range []string{first, filepath.Join(first, "sub"), dir} {
		err := run([]string{"reproduce", first, "--out", into, "--force", "--check"}, &stdout, &stderr)
		assert.ErrorContains(t, err, "a folder of its own", into)
	}

	// Anything changed is found.
	require.NoError(t, os.WriteFile(filepath.Join(first, "summary.csv"), []byte("x"), 0o644))
	err = run([]string{"reproduce", first, "--out", again, "--check", "--force"}, &stdout, &stderr)
	assert.ErrorContains(t, err, "not reproduced: summary.csv differs")
}

// TestShardsMergeIntoTheWholeSweep runs a sweep of 24 points as 4 shards in
// separate processes, merges them, and finds the result byte-identical to the
// sweep run at once.
func TestShardsMergeIntoTheWholeSweep(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiny.yaml")
	require.NoError(t, os.WriteFile(file, []byte(strings.Replace(tiny, "horizon: 20d", "horizon: 12d", 1)), 0o644))
	grid := []string{"--set", "population.layers.community=0.5,0.8,1,1.2,1.5,2", "--set", "imports.initial=2,4,6,8"}
	whole := filepath.Join(dir, "whole")
	_, stderr, code := epiplan(t, nil, append([]string{"sweep", file, "--out", whole, "--workers", "2"}, grid...)...)
	require.Equal(t, 0, code, stderr)

	var shards []string
	for i := 1; i <= 4; i++ {
		sd := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		stdout, stderr, code := epiplan(t, nil, append([]string{"sweep", file, "--out", sd, "--shard", fmt.Sprintf("%d/4", i), "--workers", "1"}, grid...)...)
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, fmt.Sprintf("shard %d/4: 6 of 24 points", i))
		shards = append(shards, sd)
	}
	// Missing a shard, or the same one twice, is an error.
	var stdout, errOut bytes.Buffer
	err := run(append([]string{"merge", "--out", filepath.Join(dir, "x")}, shards[:3]...), &stdout, &errOut)
	assert.ErrorContains(t, err, "points 4, 8, 12, 16, 20, 24 are in none of the shards")
	err = run(append([]string{"merge", "--out", filepath.Join(dir, "x")}, shards[0], shards[0], shards[1], shards[2], shards[3]), &stdout, &errOut)
	assert.ErrorContains(t, err, "point 1 is in both")

	// A shard's manifest claiming another shard's point, or a point's summary
	// from elsewhere, is found.
	tampered := filepath.Join(dir, "tampered")
	require.NoError(t, os.CopyFS(tampered, os.DirFS(shards[1])))
	man, err := os.ReadFile(filepath.Join(tampered, "sweep.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(tampered, "sweep.json"), bytes.Replace(man, []byte("\"done\": [\n    2,"), []byte("\"done\": [\n    1,"), 1), 0o644))
	err = run([]string{"merge", "--out", filepath.Join(dir, "x"), shards[0], tampered, shards[2], shards[3]}, &stdout, &errOut)
	assert.ErrorContains(t, err, "point 1 is not one of shard 2/4's")
	require.NoError(t, os.WriteFile(filepath.Join(tampered, "sweep.json"), man, 0o644))
	other6, err := os.ReadFile(filepath.Join(shards[2], "point-007", "summary.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(tampered, "point-006", "summary.json"), other6, 0o644))
	err = run([]string{"merge", "--out", filepath.Join(dir, "x"), shards[0], tampered, shards[2], shards[3]}, &stdout, &errOut)
	assert.ErrorContains(t, err, "summary.json is not of this point of the sweep")

	merged := filepath.Join(dir, "merged")
	require.NoError(t, run(append([]string{"merge", "--out", merged}, shards[2], shards[0], shards[3], shards[1]), &stdout, &errOut))
	diffs, err := scenarios.CompareDirs(whole, merged)
	require.NoError(t, err)
	assert.Empty(t, diffs)
	files, err := filepath.Glob(filepath.Join(merged, "point-*", "summary.json"))
	require.NoError(t, err)
	assert.Len(t, files, 24)
	_, err = os.Stat(filepath.Join(merged, "heatmap-no_intervention-infections.png"))
	assert.NoError(t, err)

	// Shards of another sweep do not merge.
	other := filepath.Join(dir, "other")
	_, stderr, code = epiplan(t, nil, append([]string{"sweep", file, "--out", other, "--shard", "2/4", "--seed", "9"}, grid...)...)
	require.Equal(t, 0, code, stderr)
	err = run([]string{"merge", "--out", filepath.Join(dir, "y"), shards[0], other, shards[2], shards[3]}, &stdout, &errOut)
	assert.ErrorContains(t, err, "seed 9, recorded")

	// A shard run with the scenario's path spelled otherwise (another node's
	// working folder) is of the same sweep: the file's SHA-256 is the same.
	respelled := filepath.Join(dir, "respelled")
	cmd := exec.Command(os.Args[0], append([]string{"sweep", "tiny.yaml", "--out", respelled, "--shard", "2/4", "--quiet"}, grid...)...)
	cmd.Env, cmd.Dir = append(os.Environ(), "EPIPLAN_MAIN=1"), dir // tiny.yaml, not /tmp/…/tiny.yaml
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, string(msg))
	rec, err := scenarios.ReadRecord(filepath.Join(respelled, "point-002"))
	require.NoError(t, err)
	require.Equal(t, "tiny.yaml", rec.ScenarioFile, "the path as spelled on the command line")
	require.NoError(t, run([]string{"merge", "--out", filepath.Join(dir, "z"), shards[0], respelled, shards[2], shards[3]}, &stdout, &errOut))
}

func TestMaxMemory(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run([]string{"run", "--set", "rescale.threshold=0", "--max-memory", "2GB", "--out", filepath.Join(t.TempDir(), "o")}, &stdout, &stderr)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fuzhou-2022: the run would need about")
	assert.Contains(t, err.Error(), "more than the limit of 1.9 GiB")
	for _, bad := range []string{"lots", "-1GB", "0", "0.5", "1e30GB", "NaN"} {
		_, err := memoryLimit(bad)
		assert.ErrorContains(t, err, "--max-memory", bad)
	}
	for s, want := range map[string]int64{"4GB": 4e9, "512MiB": 512 << 20, "1.5G": 3 << 29, "2000": 2000} {
		got, err := memoryLimit(s)
		require.NoError(t, err)
		assert.Equal(t, want, got, s)
	}
}

func TestShardFromBatchSystem(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "1"}, "3/4"},
		{map[string]string{"SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "3"}, "3/4"}, // resubmitted alone
		{map[string]string{"JOB_COMPLETION_INDEX": "3"}, "4/4"},
	} {
		for _, k := range []string{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "JOB_COMPLETION_INDEX"} {
			t.Setenv(k, c.env[k])
		}
		s, err := parseShard("auto/4")
		require.NoError(t, err)
		assert.Equal(t, c.want, s.String())
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "0")
	_, err := parseShard("auto/4")
	assert.ErrorContains(t, err, "submit the array as --array=1-N")
	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	t.Setenv("JOB_COMPLETION_INDEX", "4")
	_, err = parseShard("auto/4")
	assert.ErrorContains(t, err, "want i/n with 1 ≤ i ≤ n")
	t.Setenv("JOB_COMPLETION_INDEX", "")
	_, err = parseShard("auto/4")
	assert.ErrorContains(t, err, "auto needs SLURM_ARRAY_TASK_ID")
	for _, bad := range []string{"0/4", "5/4", "1/0", "a/b", "3"} {
		_, err := parseShard(bad)
		assert.Error(t, err, bad)
	}
}
