package scenarios

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
)

// capped is a scenario whose uncontrolled strategy reaches a low cap in every
// replication (R about 3 in a city of 50,000 people, 20 imports, a cap of
// 300), while the ninth edition contains most outbreaks below it.
const capped = `name: capped
seed: 5
replications: 4
horizon: 60d
max_infections: 300
start_date: 2022-10-01
population:
  areas:
    - {name: east, population: 30000, communities: 3}
    - {name: west, population: 20000}
imports: {initial: 20, area: east-1}
strategies:
  - name: no_intervention
  - name: ninth_edition
baseline: no_intervention
`

func playCapped(t *testing.T) (*Results, string) {
	t.Helper()
	sc, err := Parse("capped.yaml", []byte(capped))
	require.NoError(t, err)
	res, err := Play(context.Background(), sc, RunOptions{})
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, res.Write(dir))
	return res, dir
}

func TestCensoringIsStated(t *testing.T) {
	res, dir := playCapped(t)
	for _, run := range res.Strategies[0].Runs {
		require.True(t, run.Capped(), "no_intervention reaches the cap of 300 in every replication")
	}

	// summary.json: a capped count per strategy, capped values per metric, and
	// no number for a difference with capped replications.
	var sum Summary
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &sum))
	assert.Equal(t, 300, sum.MaxInfections)
	assert.Equal(t, 4, sum.Strategies[0].Capped)
	assert.Equal(t, 4, sum.Strategies[0].CapDay.N)
	assert.Equal(t, 4, sum.Strategies[0].Metrics["infections"].Capped)
	assert.GreaterOrEqual(t, float64(sum.Strategies[0].Metrics["infections"].Median), 300.0)
	assert.Equal(t, 0, sum.Strategies[0].Metrics["uncontrolled"].Capped, "whether a run hit the cap is exact")
	d := sum.Strategies[1].VsBaseline["infections"]
	assert.Equal(t, "not comparable: 4 of 4 replications of no_intervention capped", d.NotComparable)
	assert.Contains(t, string(b), `"not_comparable": "not comparable: 4 of 4 replications of no_intervention capped"`)
	assert.True(t, float64(d.Mean) != float64(d.Mean), "the mean difference is null (NaN)")

	// summary.csv: the capped count and the note.
	csv, err := os.ReadFile(filepath.Join(dir, "summary.csv"))
	require.NoError(t, err)
	lines := strings.Split(string(csv), "\n")
	assert.Equal(t, "strategy,metric,n,mean,median,p05,p95,diff_mean,diff_lo95,diff_hi95,capped,diff_note", lines[0])
	assert.Regexp(t, `(?m)^no_intervention,infections,4,[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+,,,,4,$`, string(csv))
	assert.Regexp(t, `(?m)^ninth_edition,infections,4,[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+,,,,0,not comparable: 4 of 4 replications of no_intervention capped$`, string(csv))

	// report.html: lower bounds marked, the cap in the findings, no number for
	// the difference.
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	page := string(html)
	assert.Contains(t, page, "4 of 4 runs reached the cap of 300 infections")
	assert.Regexp(t, `≥ 3\d\d \[≥ 3\d\d, ≥ 3\d\d\]`, page)
	assert.Contains(t, page, "not comparable: 4 of 4 replications of no_intervention capped")
	assert.Less(t, strings.Index(page, "Findings"), strings.Index(page, "Key figures"), "findings first")
	assert.Less(t, strings.Index(page, "Key figures"), strings.Index(page, "Details"))
}

func TestStatisticsGiveTheirN(t *testing.T) {
	s := Stats{N: 4, Median: 3, P05: 0, P95: 5.1}
	assert.Equal(t, "3 [0, 5.1] (4 of 20 runs)", StatText(s, "days", 20))
	assert.Equal(t, "3 [0, 5.1]", StatText(s, "days", 4))
	assert.Equal(t, "— (0 of 20 runs)", StatText(Stats{}, "days", 20))
	assert.Equal(t, "≥ 100,000 [≥ 99,950, ≥ 100,002]", StatText(Stats{N: 20, Capped: 20, Median: 100000, P05: 99950.4, P95: 100001.7}, "people", 20))
	assert.Equal(t, "5,551,814 [1,000, 12,345,678]", StatText(Stats{N: 2, Median: 5551813.599999986, P05: 1000, P95: 12345678}, "person-days", 2), "counts of people are counts")
	assert.Equal(t, "17 of 20 runs", StatText(Stats{N: 20, Mean: 0.85}, "0/1", 20))
	assert.Equal(t, "−12 [−20, −4] (4 of 20 runs)", DiffText(Difference{N: 4, Mean: -12, Lo: -20, Hi: -4}, "people", 20))
	assert.Equal(t, "1 replication", Plural(1, "replication"))
	assert.Equal(t, "10,000 replications", Plural(10000, "replication"))
	for x, want := range map[float64]string{5.551813599999986e+06: "5551813.6", 0.1 + 0.2: "0.3", 1e-9: "1e-09", -3: "-3", 2.5e20: "2.5e+20", 0: "0"} {
		assert.Equal(t, want, csvNum(x), "%v", x)
	}
}

func TestFindingsCountRunsAndOverflows(t *testing.T) {
	res, _ := playCapped(t)
	fs := res.Findings()
	require.Len(t, fs, 2)
	assert.Equal(t, "no_intervention", fs[0].Strategy)
	text := strings.Join(fs[0].Sentences, " ")
	assert.Contains(t, text, "Contained the outbreak in 0 of 4 runs (0%)")
	assert.Contains(t, text, "4 of 4 runs reached the cap of 300 infections")
	assert.Regexp(t, `on day \d+(\.\d+)? \[[0-9.]+, [0-9.]+\] \(\d+ Oct\)`, text, "the cap day, with its date")
	text = strings.Join(fs[1].Sentences, " ")
	assert.Regexp(t, `Contained the outbreak in \d of 4 runs`, text)
	assert.Contains(t, text, "Cost: ")
	assert.Contains(t, text, "swabs tested")
	key := res.KeyMetrics()
	require.NotEmpty(t, key)
	assert.Equal(t, "contained (ended, under half the city infected)", key[0].Label)
	assert.Equal(t, "0 of 4 runs", key[0].Cells[0])
}

func TestFindingsTellHowRunsEnded(t *testing.T) {
	// Four runs of one strategy: contained, burned out, still going at the
	// horizon, capped. Each is told apart, none counted as contained but the
	// first.
	run := func(stop string, controlled, burned float64) Run {
		return Run{StopReason: stop, Metrics: []model.Metric{
			{Name: "controlled", Value: controlled}, {Name: "burned_out", Value: burned}, {Name: "infections", Value: 1}}}
	}
	// A fifth, stopped by stop_after_community_zero, is contained (the model
	// says so), never "still going".
	res := &Results{Horizon: "120d", MaxInfections: 1000, Strategies: []StrategyResult{{Name: "s", Runs: []Run{
		run(model.StopExtinct, 1, 0), run(model.StopExtinct, 0, 1), run(model.StopHorizon, 0, 0), run(model.StopMaxInfections, 0, 0),
		run("community_zero", 1, 0),
	}}}}
	text := strings.Join(res.Findings()[0].Sentences, " ")
	assert.Contains(t, text, "Contained the outbreak in 2 of 5 runs (40%)")
	assert.Contains(t, text, "in 1 of 5 the epidemic ran its course")
	assert.Contains(t, text, "in 1 of 5 the outbreak was still going at the end of the horizon (120d)")
	assert.Contains(t, text, "1 of 5 runs reached the cap of 1,000 infections")
}

func TestShortCounts(t *testing.T) {
	for x, want := range map[float64]string{
		999_999: "999,999", 999_999.6: "1 M", 1e6: "1 M", 36_918_949: "36.9 M", 949_266_000: "949 M", 1.98e9: "1,980 M", -2.5e6: "−2.5 M",
	} {
		assert.Equal(t, want, shortCount(x), "%v", x)
	}
}

func TestPlayStrategiesNamesTheFailedRun(t *testing.T) {
	// A strategy that cannot be attached fails its first replication; the
	// error names the strategy once and the replication, not a task index.
	sc, err := Parse("x.yaml", []byte("replications: 3\nhorizon: 5d\npopulation: {areas: [{name: t, population: 1000}]}\nstrategies: [{name: mitigation}]\n"))
	require.NoError(t, err)
	good := sc.Strategy(0)
	tc := control.DefaultTesting()
	tc.Lab.Instruments = -1
	bad := control.Strategy{Name: "bad", Testing: &tc}
	_, err = PlayStrategies(context.Background(), sc, []control.Strategy{good, bad}, RunOptions{Workers: 1})
	require.Error(t, err)
	assert.Regexp(t, `^strategy bad, replication 0: `, err.Error())
	assert.Equal(t, 1, strings.Count(err.Error(), "strategy bad"), err.Error())
}
