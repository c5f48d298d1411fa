package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/scenarios"
)

// dense is a scenario whose run does a great deal between two looks at its
// context: a mass-testing round of the whole city every second of simulated
// time, for ever (rounds: 0). Before the watchdog of signals, Ctrl-C took
// over a minute to be answered.
const dense = `name: dense
replications: 4
horizon: 120d
population: {areas: [{name: town, population: 1000000}]}
imports: {initial: 10}
strategies:
  - name: ninth_edition
    testing:
      mass: [{name: every_second, sites: community, window: 1s, every: 1s, rounds: 0, participation: 1}]
`

// startDense starts epiplan run on the dense scenario into dir/out, and
// returns once the run is under way (its temporary folder exists).
func startDense(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	file := filepath.Join(dir, "dense.yaml")
	require.NoError(t, os.WriteFile(file, []byte(dense), 0o644))
	cmd := exec.Command(os.Args[0], "run", file, "--out", filepath.Join(dir, "out"), "--quiet")
	cmd.Env = append(os.Environ(), "EPIPLAN_MAIN=1")
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if len(leftovers(t, dir)) > 0 {
			time.Sleep(500 * time.Millisecond) // well into the run
			return cmd
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatal("the run did not start within 60 s")
	return nil
}

// leftovers returns the temporary folders of out in dir.
func leftovers(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".out.") {
			out = append(out, e.Name())
		}
	}
	return out
}

// exitCode waits for cmd and returns its exit code, or fails if it takes
// longer than limit after since.
func exitCode(t *testing.T, cmd *exec.Cmd, since time.Time, limit time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		took := time.Since(since)
		assert.Less(t, took, limit, "the signal is answered within %v (took %v)", limit, took)
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		return 0
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the process did not answer the signal in 30 s (the guarantee is 1 s)")
	}
	return -1
}

func TestSignalsAnsweredWithinASecond(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a dense scenario in processes of its own")
	}
	for _, c := range []struct {
		name string
		sigs []syscall.Signal
	}{
		{"SIGINT", []syscall.Signal{syscall.SIGINT}},
		{"SIGTERM", []syscall.Signal{syscall.SIGTERM}},
		{"second Ctrl-C", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cmd := startDense(t, dir)
			sent := time.Now()
			for _, s := range c.sigs {
				require.NoError(t, cmd.Process.Signal(s))
				time.Sleep(50 * time.Millisecond)
			}
			assert.Equal(t, 130, exitCode(t, cmd, sent, time.Second))
			assert.Empty(t, leftovers(t, dir), "no temporary folder is left")
			_, err := os.Stat(filepath.Join(dir, "out"))
			assert.True(t, os.IsNotExist(err), "no output folder")
		})
	}
	t.Run("SIGKILL leftovers cleaned by the next run", func(t *testing.T) {
		dir := t.TempDir()
		cmd := startDense(t, dir)
		require.NoError(t, cmd.Process.Kill())
		cmd.Wait()
		require.Len(t, leftovers(t, dir), 1, "a killed process cannot clean up after itself")
		small := filepath.Join(dir, "small.yaml")
		require.NoError(t, os.WriteFile(small, []byte("replications: 1\nhorizon: 10d\npopulation: {areas: [{name: t, population: 1000}]}\nstrategies: [{name: mitigation}]\n"), 0o644))
		_, stderr, code := epiplan(t, nil, "run", small, "--out", filepath.Join(dir, "out"), "--quiet")
		require.Equal(t, 0, code, stderr)
		assert.Empty(t, leftovers(t, dir), "the next run into the same folder removes what the killed one left")
	})
}

func TestPeakMemoryWithinTheEstimate(t *testing.T) {
	// The peak resident memory of a whole run (the process: runtime, binary
	// and all) stays within 125% of the estimate that --max-memory is checked
	// against, on a run whose memory is mostly imports.
	if testing.Short() {
		t.Skip("runs a scenario in a process of its own")
	}
	const file = `name: imports
replications: 2
horizon: 15d
max_infections: 1000
population: {areas: [{name: town, population: 300000, communities: 30}]}
imports: {initial: 150000}
strategies: [{name: no_intervention}]
`
	dir := t.TempDir()
	path := filepath.Join(dir, "imports.yaml")
	require.NoError(t, os.WriteFile(path, []byte(file), 0o644))
	sc, err := scenarios.Load(path)
	require.NoError(t, err)
	est := scenarios.EstimateMemory(sc, scenarios.RunOptions{Workers: 1})
	cmd := exec.Command(os.Args[0], "run", path, "--out", filepath.Join(dir, "out"), "--workers", "1", "--quiet")
	cmd.Env = append(os.Environ(), "EPIPLAN_MAIN=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KiB on Linux
	t.Logf("peak resident memory %s, estimate %s", scenarios.Bytes(peak), scenarios.Bytes(est.Total))
	assert.LessOrEqual(t, float64(peak), 1.25*float64(est.Total), "peak %s > 125%% of the estimate %s", scenarios.Bytes(peak), scenarios.Bytes(est.Total))
}
