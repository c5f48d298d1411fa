package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/scenarios"
)

func TestHelpIsNotAnError(t *testing.T) {
	for _, args := range [][]string{{"run", "-h"}, {"sweep", "--help"}, {"validate", "-h"}, {"fit", "-h"}, {"merge", "-h"}} {
		var out, errOut bytes.Buffer
		require.NoError(t, run(args, &out, &errOut), strings.Join(args, " "))
		assert.Contains(t, errOut.String(), "Usage of", "the usage is printed")
	}
}

func TestReplicationsZeroIsAnError(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run([]string{"run", "--replications", "0", "--out", filepath.Join(t.TempDir(), "x")}, &out, &errOut)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--replications must be from 1 to 10000, got 0")
}

func TestNegativeDurationSays(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiny.yaml")
	require.NoError(t, os.WriteFile(file, []byte(tiny), 0o644))
	var out, errOut bytes.Buffer
	err := run([]string{"run", file, "--set", "strategies[0].response.quarantine.centralized=-7d", "--out", filepath.Join(dir, "x")}, &out, &errOut)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"-7d": a duration cannot be negative`)
	assert.NotContains(t, err.Error(), "expected a number")
}

func TestListRunsWhatItNames(t *testing.T) {
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"list"}, &out, &errOut))
	text := out.String()
	assert.Contains(t, text, "library scenarios (epiplan run NAME):")
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(line, "  ") || strings.Contains(text[:strings.Index(text, line)], "built-in strategies") {
			continue
		}
		assert.Greater(t, len(f), 2, "a description after %s", f[0])
		load, err := loader([]string{f[0]})
		require.NoError(t, err)
		sc, err := load()
		require.NoError(t, err, "run %s reads the library scenario list names", f[0])
		assert.NotEmpty(t, sc.Strategies)
	}
	var vout bytes.Buffer
	require.NoError(t, run([]string{"validate", "lab-surge"}, &vout, &errOut))
	assert.Contains(t, vout.String(), "lab-surge: ok")
}

func TestPlurals(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "one.yaml")
	require.NoError(t, os.WriteFile(file, []byte(strings.Replace(tiny, "replications: 2", "replications: 1", 1)), 0o644))
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"validate", file}, &out, &errOut))
	assert.Contains(t, out.String(), "one.yaml: ok (2 strategies, 1 replication)")
	out.Reset()
	require.NoError(t, run([]string{"run", file, "--out", filepath.Join(dir, "r")}, &out, &errOut))
	assert.Contains(t, out.String(), "2 strategies × 1 replication (seed")
	assert.NotContains(t, out.String(), "1 replications")
}

func TestProgressWithoutATerminal(t *testing.T) {
	// A fake clock: every replication takes 2 s.
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	var b bytes.Buffer
	p := newProgress(&b, false, clock)
	for done := 1; done <= 100; done++ {
		now = now.Add(2 * time.Second)
		p(done, 100)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	assert.Equal(t, "epiplan: 1 of 100 replications done in 2 s, about 3 min left", lines[0], "an estimate after the first replication")
	assert.Equal(t, "epiplan: 10 of 100 replications done (10%) in 20 s, about 3 min left", lines[1])
	assert.Equal(t, "epiplan: 100 replications done in 3 min", lines[len(lines)-1])
	assert.Len(t, lines, 11, "a line per tenth of the work, and the estimate")

	// On a terminal: a bar with the time left, redrawn in place.
	b.Reset()
	p = newProgress(&b, true, clock)
	now = now.Add(time.Minute)
	p(1, 4)
	assert.Contains(t, b.String(), "\r[#######.......................] 1/4, about 3 min left")
}

func TestConsoleStatesCensoring(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "capped.yaml")
	capped := strings.Replace(tiny, "horizon: 20d", "horizon: 40d\nmax_infections: 200", 1)
	capped = strings.Replace(capped, "imports: {initial: 3}", "imports: {initial: 20}", 1)
	capped = strings.Replace(capped, "strategies: [{name: twenty_measures}, {name: no_intervention}]", "strategies: [{name: no_intervention}, {name: twenty_measures}]\nbaseline: no_intervention", 1)
	require.NoError(t, os.WriteFile(file, []byte(capped), 0o644))
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"run", file, "--out", filepath.Join(dir, "r")}, &out, &errOut))
	text := out.String()
	t.Log(text)
	assert.Contains(t, text, "2 of 2 runs reached the cap of 200 infections")
	assert.Regexp(t, `infections +≥ 2\d\d \[≥ 2\d\d, ≥ 2\d\d\]`, text)
	assert.Contains(t, text, "Contained the outbreak in 0 of 2 runs (0%)")
	assert.Less(t, strings.Index(text, "Contained"), strings.Index(text, "reached the infection cap"), "findings before the table")
}

func TestFitProgressStatesTheBootstrapTime(t *testing.T) {
	now := time.Unix(0, 0)
	var b bytes.Buffer
	p := fitProgress(&b, false, func() time.Time { return now })
	for n := 1; n <= 100; n++ {
		now = now.Add(2400 * time.Millisecond) // the fit: 4 min
		p("fit", n, 100)
	}
	p("bootstrap", 0, 40)
	assert.Contains(t, b.String(), "epiplan: the fit took 4 min; the 40 bootstrap refits should take about 2.7 h")
}

func TestFitBootstrapIsAnnounced(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run([]string{"fit", "missing.yaml", "--data", "x.csv", "--fit", "imports.initial=1:5"}, &out, &errOut)
	require.Error(t, err)
	assert.True(t, strings.Contains(usageOf(t, "fit"), "each refit takes about as long as the fit"), "the flag's help says what the bootstrap costs")
}

// usageOf returns the flags' help of a command.
func usageOf(t *testing.T, cmd string) string {
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{cmd, "-h"}, &out, &errOut))
	return errOut.String()
}

func TestFitPlotForAReader(t *testing.T) {
	if os.Getenv("EPIPLAN_VIEW") == "" {
		t.Skip("set EPIPLAN_VIEW=DIR to write a fit's outputs there for viewing")
	}
	dir := os.Getenv("EPIPLAN_VIEW")
	file := filepath.Join(t.TempDir(), "town.yaml")
	data := filepath.Join(t.TempDir(), "counts.csv")
	require.NoError(t, os.WriteFile(file, []byte(town), 0o644))
	require.NoError(t, os.WriteFile(data, []byte(townData()), 0o644))
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"fit", file, "--data", data, "--column", "cases", "--fit", "transmission=0.5:2",
		"--likelihood", "poisson", "--bootstrap", "3", "--max-evaluations", "12", "--out", dir, "--force"}, &out, &errOut))
	t.Log(out.String(), errOut.String())
}

func TestHeatMapsOnDurationsForSweptStrategies(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiny.yaml")
	require.NoError(t, os.WriteFile(file, []byte(tiny), 0o644))
	var out, errOut bytes.Buffer
	outDir := filepath.Join(dir, "sweep")
	require.NoError(t, run([]string{"sweep", file, "--set", "strategies[0].response.quarantine.centralized=3d,7d",
		"--set", "strategies[0].response.quarantine.rooms=100,1000", "--out", outDir}, &out, &errOut))
	svg, err := os.ReadFile(filepath.Join(outDir, "heatmap-twenty_measures-infections.svg"))
	require.NoError(t, err, "a heat map over a duration axis")
	s := string(svg)
	assert.Contains(t, s, ">quarantine › centralized (days)<", "a readable axis title with the duration's unit")
	assert.Contains(t, s, ">quarantine › rooms<")
	for _, tick := range []string{">3d<", ">7d<", ">100<", ">1000<"} {
		assert.Contains(t, s, tick, "ticks on the swept values")
	}
	assert.Contains(t, s, ">infections (people)<", "the colour bar's title")
	_, err = os.Stat(filepath.Join(outDir, "heatmap-no_intervention-infections.svg"))
	assert.True(t, os.IsNotExist(err), "no heat map for a strategy the sweep does not change")
}

func TestSweepProgressCountsTheWholeSweep(t *testing.T) {
	var got [][2]int
	p := sweepProgress(func(done, total int) { got = append(got, [2]int{done, total}) }, make([]scenarios.Point, 3), scenarios.Shard{})
	for point := 0; point < 3; point++ {
		for done := 1; done <= 4; done++ {
			p(done, 4)
		}
	}
	assert.Equal(t, [2]int{1, 12}, got[0])
	assert.Equal(t, [2]int{5, 12}, got[4], "the second point continues the count")
	assert.Equal(t, [2]int{12, 12}, got[len(got)-1])
	assert.Nil(t, sweepProgress(nil, nil, scenarios.Shard{}))
}
