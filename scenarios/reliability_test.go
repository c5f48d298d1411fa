package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// playInto plays a library scenario with a few replications and writes every
// output into dir.
func playInto(t *testing.T, name string, workers int, dir string, sets ...string) *Results {
	t.Helper()
	sc, err := LibraryScenario(name)
	require.NoError(t, err)
	for _, s := range sets {
		path, value, _ := strings.Cut(s, "=")
		require.NoError(t, sc.Set(path, value))
	}
	// More replications than workers, so that 8 workers do run at once.
	res, err := Play(context.Background(), sc, RunOptions{Replications: 9, Workers: workers})
	require.NoError(t, err)
	require.NoError(t, res.Write(dir))
	return res
}

// TestOutputsDoNotDependOnWorkers plays two library scenarios with 1, 2 and 8
// workers (and as many OS threads) and finds every output byte-identical; then
// plays each again from the record in its summary.json, with the same result.
func TestOutputsDoNotDependOnWorkers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, name := range []string{"contact-tracing", "lab-surge"} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			var first string
			for _, w := range []int{1, 2, 8} {
				runtime.GOMAXPROCS(w)
				dir := filepath.Join(root, "w"+string(rune('0'+w)))
				res := playInto(t, name, w, dir, "horizon=30d")
				if first == "" {
					first = dir
					assert.Len(t, res.Record.Keys, 9)
					assert.Equal(t, []string{"horizon=30d"}, res.Record.Sets)
					continue
				}
				diffs, err := CompareDirs(first, dir)
				require.NoError(t, err)
				assert.Empty(t, diffs, "outputs with %d workers differ from 1 worker's", w)
			}
			files, err := os.ReadDir(first)
			require.NoError(t, err)
			assert.Greater(t, len(files), 10, "summaries, series, plots, report and scenario compared")

			sc, opts, err := FromRecord(first)
			require.NoError(t, err)
			assert.Equal(t, []string{"horizon=30d"}, sc.Sets())
			res, err := Play(context.Background(), sc, opts)
			require.NoError(t, err)
			again := filepath.Join(root, "again")
			require.NoError(t, res.Write(again))
			diffs, err := CompareDirs(first, again)
			require.NoError(t, err)
			assert.Empty(t, diffs, "rerun from the record")
		})
	}
}

func TestFromRecordRefusesAChangedScenario(t *testing.T) {
	dir := t.TempDir()
	playInto(t, "lab-surge", 0, dir, "horizon=10d")
	f := filepath.Join(dir, "scenario.yaml")
	b, err := os.ReadFile(f)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(f, append(b, "\n# edited\n"...), 0o644))
	_, _, err = FromRecord(dir)
	assert.ErrorContains(t, err, "scenario.yaml has changed since the run")
	_, _, err = FromRecord(t.TempDir())
	assert.Error(t, err)
}

func TestReplaceDir(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	write := func(content string) func(string) error {
		return func(tmp string) error {
			return os.WriteFile(filepath.Join(tmp, "summary.json"), []byte(content), 0o644)
		}
	}
	read := func() string {
		b, err := os.ReadFile(filepath.Join(out, "summary.json"))
		require.NoError(t, err)
		return string(b)
	}
	require.NoError(t, ReplaceDir(out, false, write("one")))
	assert.Equal(t, "one", read())

	err := ReplaceDir(out, false, write("two"))
	assert.ErrorIs(t, err, ErrExists)
	assert.ErrorContains(t, err, "use --force")
	assert.Equal(t, "one", read(), "not replaced without force")

	require.NoError(t, ReplaceDir(out, true, write("two")))
	assert.Equal(t, "two", read())

	// A failed or interrupted write leaves the old folder as it was and no
	// trace of the new one.
	err = ReplaceDir(out, true, func(tmp string) error {
		require.NoError(t, os.WriteFile(filepath.Join(tmp, "summary.json"), []byte("half"), 0o644))
		return context.Canceled
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, "two", read())
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only out/ is left in its parent")

	// A folder that epiplan did not make is never replaced.
	mine := filepath.Join(root, "mine")
	require.NoError(t, os.MkdirAll(mine, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(mine, "thesis.tex"), []byte("x"), 0o644))
	assert.ErrorContains(t, ReplaceDir(mine, true, write("x")), "not an output folder made by epiplan (no .epiplan-output)")
	_, err = os.Stat(filepath.Join(mine, "thesis.tex"))
	assert.NoError(t, err)

	// Nor is one that merely holds a file of the name epiplan writes.
	require.NoError(t, os.WriteFile(filepath.Join(mine, "summary.json"), []byte("{}"), 0o644))
	assert.ErrorContains(t, ReplaceDir(mine, true, write("x")), "not an output folder made by epiplan")
	// Nor the current folder or a parent of it.
	wd, err := os.Getwd()
	require.NoError(t, err)
	require.NoError(t, os.Chdir(out))
	defer os.Chdir(wd)
	assert.ErrorContains(t, ReplaceDir(".", true, write("x")), "is the current folder or holds it")
	assert.ErrorContains(t, ReplaceDir("..", true, write("x")), "is the current folder or holds it")
	require.NoError(t, os.Chdir(wd))

	// A symbolic link is followed.
	link := filepath.Join(root, "link")
	require.NoError(t, os.Symlink(out, link))
	require.NoError(t, ReplaceDir(link, true, write("three")))
	assert.Equal(t, "three", read())
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.True(t, fi.Mode()&os.ModeSymlink != 0, "the link is still a link")
	require.NoError(t, os.Remove(link))

	// A panic in write leaves no trace either.
	assert.Panics(t, func() { ReplaceDir(out, true, func(string) error { panic("boom") }) })
	entries, err = os.ReadDir(root)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "out/ and mine/ only")

	// Nor one that holds another output folder.
	require.NoError(t, ReplaceDir(filepath.Join(out, "inner"), false, write("x")))
	err = ReplaceDir(out, true, write("four"))
	assert.ErrorContains(t, err, "holds another output folder, "+filepath.Join(out, "inner"))
	require.NoError(t, os.RemoveAll(filepath.Join(out, "inner")))

	// An empty folder is filled; a file is not a folder.
	empty := filepath.Join(root, "empty")
	require.NoError(t, os.MkdirAll(empty, 0o755))
	assert.NoError(t, ReplaceDir(empty, false, write("x")))
	assert.ErrorContains(t, ReplaceDir(filepath.Join(mine, "thesis.tex"), true, write("x")), "not a folder")
}

// TestUntrustedNames plays strategies whose names are markup or paths: the
// report and the plots show them as text, and no file is written outside the
// output folder.
func TestUntrustedNames(t *testing.T) {
	const file = `name: "<img src=x onerror=alert(2)>"
description: "<script>alert(3)</script>"
sources: ["<a href='javascript:alert(4)'>x</a>"]
replications: 2
horizon: 15d
population:
  areas: [{name: town, population: 5000}]
imports: {initial: 3}
strategies:
  - {name: "<script>alert(1)</script>", builtin: twenty_measures}
  - {name: "../../escaped", builtin: no_intervention}
`
	sc, err := Parse("names.yaml", []byte(file))
	require.NoError(t, err)
	root := t.TempDir()
	out := filepath.Join(root, "a", "out")
	res, err := Play(context.Background(), sc, RunOptions{})
	require.NoError(t, err)
	require.NoError(t, res.Write(out))

	report, err := os.ReadFile(filepath.Join(out, "report.html"))
	require.NoError(t, err)
	html := string(report)
	for _, bad := range []string{"<script>alert", "<img src=x", "href='javascript", `href="javascript`} {
		assert.NotContains(t, html, bad)
	}
	assert.Contains(t, html, "&lt;script&gt;alert(1)&lt;/script&gt;", "the strategy's name, as text")
	assert.Contains(t, html, "&lt;script&gt;alert(3)&lt;/script&gt;", "the description, as text")
	svgs, err := filepath.Glob(filepath.Join(out, "*.svg"))
	require.NoError(t, err)
	require.NotEmpty(t, svgs)
	seen := false
	for _, f := range svgs {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "<script", f)
		seen = seen || strings.Contains(string(b), "&lt;script&gt;alert(1)&lt;/script&gt;")
	}
	assert.True(t, seen, "a legend shows the strategy's name, escaped")

	// A sweep names heat maps after the strategies: still inside the folder.
	sweep := filepath.Join(root, "b", "sweep")
	load := func() (*Scenario, error) { return Parse("names.yaml", []byte(file)) }
	points, err := Grid([]string{"imports.initial=1,2", "population.layers.community=0.5,1"})
	require.NoError(t, err)
	_, err = Sweep(context.Background(), load, points, SweepOptions{}, sweep)
	require.NoError(t, err)
	var outside []string
	require.NoError(t, filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(path, out+string(filepath.Separator)) && !strings.HasPrefix(path, sweep+string(filepath.Separator)) {
			outside = append(outside, path)
		}
		return err
	}))
	assert.Empty(t, outside, "files written outside the output folders")
	maps, err := filepath.Glob(filepath.Join(sweep, "heatmap-*.svg"))
	require.NoError(t, err)
	assert.NotEmpty(t, maps)
}

// TestMemoryEstimate checks that the estimate bounds what runs allocate (an
// upper bound of what they hold), without being absurdly loose, and that a
// limit refuses a run too big for it with a clear message.
func TestMemoryEstimate(t *testing.T) {
	for _, c := range []struct{ name, file string }{
		{"uncontrolled", `name: u
replications: 1
horizon: 60d
max_infections: 20000
population: {areas: [{name: town, population: 200000, communities: 20}]}
imports: {initial: 20}
strategies: [{name: no_intervention}]
`},
		{"tracing", `name: t
replications: 1
horizon: 60d
max_infections: 20000
population: {areas: [{name: town, population: 200000, communities: 20}]}
imports: {initial: 20}
strategies: [{name: twenty_measures}]
`},
		{"imports beyond the cap", `name: i
replications: 1
horizon: 20d
max_infections: 1000
population: {areas: [{name: town, population: 200000, communities: 20}]}
imports: {initial: 60000, rate: 1000}
strategies: [{name: no_intervention}]
`},
		{"mass testing", `name: m
replications: 1
horizon: 30d
max_infections: 5000
population: {areas: [{name: town, population: 1000000, communities: 50}]}
imports: {initial: 20}
strategies: [{name: ninth_edition}]
`},
	} {
		sc, err := Parse(c.name, []byte(c.file))
		require.NoError(t, err)
		opts := RunOptions{Workers: 1}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res, err := Play(context.Background(), sc, opts)
		require.NoError(t, err)
		runtime.ReadMemStats(&after)
		alloc := int64(after.TotalAlloc - before.TotalAlloc)
		e := EstimateMemory(sc, opts)
		inf, _ := res.Strategies[0].Runs[0].Metrics[0].Value, 0
		t.Logf("%s: %0.f infections, allocated %s, estimated %s", c.name, inf, Bytes(alloc), Bytes(e.Total))
		assert.GreaterOrEqual(t, e.Total, alloc, "%s: the estimate bounds the allocations", c.name)
		assert.Less(t, e.Total, 40*alloc+(64<<20), "%s: not absurdly loose", c.name)
	}

	sc, err := LibraryScenario("fuzhou-2022")
	require.NoError(t, err)
	// Whole epidemics without a cap fit, rescaled: at most 50,000 + 8 × 10,000 +
	// 8.4 million / 256 simulated infections a run.
	e, err := CheckMemory(sc, RunOptions{Workers: 2, MaxMemory: 4 << 30})
	require.NoError(t, err)
	assert.Equal(t, 2, e.Workers)
	// Exact, they do not.
	require.NoError(t, sc.Set("rescale.threshold", "0"))
	_, err = CheckMemory(sc, RunOptions{MaxMemory: 4 << 30})
	require.Error(t, err)
	assert.Regexp(t, `fuzhou-2022: the run would need about [0-9.]+ GiB .* more than the limit of 4\.0 GiB; lower max_infections`, err.Error())
	_, err = Play(context.Background(), sc, RunOptions{MaxMemory: 4 << 30})
	assert.Error(t, err, "Play refuses it too")

	// Under a limit that one replication fits, fewer run at once.
	require.NoError(t, sc.Set("max_infections", "10000"))
	e, err = CheckMemory(sc, RunOptions{Workers: 8, MaxMemory: 400 << 20})
	require.NoError(t, err)
	assert.Less(t, e.Workers, 8)
	assert.LessOrEqual(t, e.Total, int64(400<<20))
}

// TestCancelStopsWithinADay checks that a replication in flight stops at the
// end of the simulated day on which its context is done, not at its end.
func TestCancelStopsWithinADay(t *testing.T) {
	sc, err := Parse("big.yaml", []byte(`name: big
replications: 1
horizon: 200d
population: {areas: [{name: town, population: 1000000, communities: 10}]}
imports: {initial: 10}
strategies: [{name: no_intervention}]
`))
	require.NoError(t, err)
	ctx, cancelRun := context.WithCancel(context.Background())
	m, err := model.New(sc.Config(), sim.NewStream(1), sc.Options())
	require.NoError(t, err)
	m.Observe(dayHook(func(day int) {
		if day == 5 {
			cancelRun()
		}
	}))
	m.Observe(cancel{ctx})
	res := m.Run()
	assert.Equal(t, "interrupted", res.StopReason)
	assert.Equal(t, 6, res.Days, "stopped at the end of day 5")

	// Play returns the context's error, not a result.
	ctx, cancelPlay := context.WithCancel(context.Background())
	cancelPlay()
	_, err = Play(ctx, sc, RunOptions{})
	assert.ErrorIs(t, err, context.Canceled)
}

// dayHook is a day observer made of a function.
type dayHook func(day int)

func (h dayHook) OnDayEnd(_ *model.Model, day int) { h(day) }

// TestSetResources changes the city's means with Set: every strategy that
// takes them from the city gets the new value, one that has its own keeps
// it, and fields set before stay set.
func TestSetResources(t *testing.T) {
	const file = `name: means
replications: 1
horizon: 10d
population: {areas: [{name: town, population: 5000}]}
imports: {initial: 2}
resources:
  lab: {instruments: 40, wells: 94, run_time: 3h, max_wait: 1h}
  isolation_beds: 100
strategies:
  - {name: ninth_edition}
  - {name: own, builtin: twenty_measures, response: {isolation: {beds: 7}}}
`
	sc, err := Parse("means.yaml", []byte(file))
	require.NoError(t, err)
	require.NoError(t, sc.Set("strategies[0].response.tracing.find.household", "0.5"))
	require.NoError(t, sc.Set("resources.isolation_beds", "300"))
	require.NoError(t, sc.Set("resources.lab.instruments", "90"))
	assert.Equal(t, 300, sc.Strategies[0].Response.Isolation.Beds, "from the city")
	assert.Equal(t, 7, sc.Strategies[1].Response.Isolation.Beds, "its own")
	assert.Equal(t, 90, sc.Strategies[0].Testing.Lab.Instruments)
	assert.Equal(t, 0.5, sc.Strategies[0].Response.Tracing.Find.Household, "set before, kept")
	assert.Equal(t, []string{"strategies[0].response.tracing.find.household=0.5", "resources.isolation_beds=300", "resources.lab.instruments=90"}, sc.Sets())

	// A bad value changes nothing.
	err = sc.Set("resources.isolation_beds", "-1")
	assert.ErrorContains(t, err, "resources.isolation_beds")
	assert.Equal(t, 300, sc.Strategies[0].Response.Isolation.Beds)
	assert.Len(t, sc.Sets(), 3)

	// The same scenario read from a file that says so is the same.
	direct, err := Parse("means.yaml", []byte(strings.Replace(strings.Replace(file, "isolation_beds: 100", "isolation_beds: 300", 1), "instruments: 40", "instruments: 90", 1)))
	require.NoError(t, err)
	require.NoError(t, direct.Set("strategies[0].response.tracing.find.household", "0.5"))
	assert.Equal(t, direct.Strategies, sc.Strategies)
}
