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
)

// small is a valid scenario of a small city, played quickly.
const small = `name: small
seed: 7
replications: 3
horizon: 40d
max_infections: 5000
population:
  areas:
    - {name: east, population: 30000, communities: 3}
    - {name: west, population: 20000}
imports: {initial: 5, area: east-1}
resources:
  sites:
    - {name: community, people_per_site: 2000, swabs_per_hour: 200, open: 7h, close: 23h, pool: 10, pickup: 2h, travel: 1h}
  lab: {instruments: 20, wells: 94, run_time: 3h, max_wait: 1h}
strategies:
  - name: ninth_edition
  - name: fast_lab
    builtin: ninth_edition
    testing:
      lab: {instruments: 60}
  - name: no_intervention
baseline: no_intervention
`

func TestLibraryScenariosRoundTrip(t *testing.T) {
	for _, name := range Library() {
		sc, err := LibraryScenario(name)
		require.NoError(t, err, name)
		require.NotEmpty(t, sc.Strategies)
	}
	// The round trip on a small scenario: run, write, read back.
	sc, err := Parse("small.yaml", []byte(small))
	require.NoError(t, err)
	res, err := Play(context.Background(), sc, RunOptions{})
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, res.Write(dir))
	var sum struct {
		Metrics    []struct{ Name string }
		Strategies []struct {
			Name       string
			Metrics    map[string]map[string]any
			VsBaseline map[string]map[string]any `json:"vs_baseline"`
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &sum))
	require.Len(t, sum.Strategies, 3)
	documented := map[string]bool{}
	for _, m := range metricDocs() {
		documented[m.Name] = true
	}
	for _, st := range sum.Strategies {
		for _, m := range sum.Metrics {
			require.True(t, documented[m.Name])
			assert.Contains(t, st.Metrics, m.Name, "%s: %s", st.Name, m.Name)
		}
		if st.Name != "no_intervention" {
			assert.Contains(t, st.VsBaseline, "infections")
		}
	}
	// The override changed the lab and nothing else.
	assert.Equal(t, 60, sc.Strategy(1).Testing.Lab.Instruments)
	assert.Equal(t, 94, sc.Strategy(1).Testing.Lab.Wells)
	assert.Equal(t, sc.Strategy(0).Response.Quarantine, sc.Strategy(1).Response.Quarantine)
	for _, f := range []string{"summary.csv", "timeseries.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.Greater(t, strings.Count(string(b), "\n"), 10, f)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), "."), "no temporary file left behind: %s", e.Name())
	}
	// Plots: each curve names every strategy in its legend and labels its axes.
	svg, err := os.ReadFile(filepath.Join(dir, "infections.svg"))
	require.NoError(t, err)
	for _, want := range []string{"New infections per day", "day", "people", ">ninth_edition<", ">fast_lab<", ">no_intervention (3/3 runs capped)<", "shaded: 90% of runs"} {
		assert.Contains(t, string(svg), want)
	}
	png, err := os.ReadFile(filepath.Join(dir, "infections.png"))
	require.NoError(t, err)
	assert.Equal(t, "\x89PNG", string(png[:4]))
	report, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	for _, want := range []string{"<title>small — epiplan report</title>", "<svg", "Compared with no_intervention", "infections (people)", "seed 7"} {
		assert.Contains(t, string(report), want)
	}
	assert.Equal(t, len(curves)+1, strings.Count(string(report), "<svg"), "every figure inline")
}

// brokenScenarios are broken files, each with (part of) its error. They are
// also in the seed corpus of FuzzParse.
var brokenScenarios = []struct {
	name, edit, want string
}{
	{"empty file", "", "x.yaml:1:1: the file is empty"},
	{"syntax error", "name: [unclosed\n", "x.yaml:1:"},
	{"unknown key", "name: x\nreplicatoins: 3\n", `x.yaml:2:1: replicatoins: unknown field "replicatoins" (did you mean "replications"?)`},
	{"wrong type", "replications: many\n", `x.yaml:1:15: replications: must be a whole number, got the text "many"`},
	{"negative capacity", "resources:\n  lab: {instruments: -4, wells: 94, run_time: 3h}\nstrategies: [{name: ninth_edition}]\n", "strategies[0].testing.lab.instruments: must be at least 1, got -4"},
	{"probability above 1", "population:\n  age_groups:\n    - {name: all, share: 1, susceptibility: 1.5, symptomatic: 0.6}\nstrategies: [{name: mitigation}]\n", "x.yaml:3:45: population.age_groups[0].susceptibility: must be a probability in [0, 1], got 1.5"},
	{"duration without unit", "horizon: 3 fortnights\n", `unknown unit "fortnights"`},
	{"bad distribution", "disease:\n  latent: gamma(mean=2)\n", `x.yaml:2:11: disease.latent: sim: invalid distribution "gamma(mean=2)"`},
	{"unknown strategy", "strategies: [{name: x, builtin: lockdown}]\n", `strategies[0].builtin: "lockdown" is not a built-in strategy (built in: mitigation, ninth_edition, no_intervention, twenty_measures)`},
	{"baseline not a strategy", "strategies: [{name: mitigation}]\nbaseline: ninth_edition\n", `x.yaml:2:11: baseline: "ninth_edition" is not one of the strategies`},
	{"no strategies", "name: x\n", "strategies: name at least one strategy"},
	{"duplicate strategy", "strategies: [{name: mitigation}, {name: mitigation}]\n", "strategies[1].name: must be a unique, non-empty name"},
	{"zero replications", "replications: 0\nstrategies: [{name: mitigation}]\n", "x.yaml:1:15: replications: must be from 1 to 10000, got 0"},
	{"horizon too long", "horizon: 100000d\nstrategies: [{name: mitigation}]\n", "horizon: must be a duration from 1 day"},
	{"unknown area", "imports: {initial: 3, area: atlantis}\nstrategies: [{name: mitigation}]\n", `imports.area: unknown area "atlantis"`},
	{"unknown field in strategy", "strategies:\n  - name: mitigation\n    testing: {sites_per_person: 3}\n", `x.yaml:3:15: strategies[0].testing.sites_per_person: unknown field "sites_per_person"`},
	{"bad field in override", "strategies:\n  - name: ninth_edition\n    response: {quarantine: {centralized: -7d}}\n", "-7d"},
	{"shares do not sum to 1", "population:\n  age_groups: [{name: a, share: 0.5, susceptibility: 1, symptomatic: 1}]\nstrategies: [{name: mitigation}]\n", "population.age_groups: shares must sum to 1, got 0.5"},
	{"area without people", "population:\n  areas: [{name: ghost}]\nstrategies: [{name: mitigation}]\n", "population.areas[0].population: a leaf area must have at least 1 person, got 0"},
	{"unknown timing", "disease: {infectiousness: {timing: sometimes}}\nstrategies: [{name: mitigation}]\n", `disease.infectiousness.timing: must be "window", "generation", "onset" or "viral_load", got "sometimes"`},
	{"negative max infections", "max_infections: -1\nstrategies: [{name: mitigation}]\n", "max_infections: must be ≥ 0, got -1"},
}

func TestBrokenScenarios(t *testing.T) {
	for _, c := range brokenScenarios {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(c.edit))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.True(t, strings.HasPrefix(err.Error(), "x.yaml:"), "the error names the file: %v", err)
		})
	}
}

func TestEveryProblemAtOnce(t *testing.T) {
	_, err := Parse("x.yaml", []byte("replications: 0\nhorizon: 0d\nmax_infections: -3\nstrategies: [{name: mitigation}]\nbaseline: nope\n"))
	require.Error(t, err)
	lines := strings.Split(err.Error(), "\n")
	assert.Len(t, lines, 4, "%v", err)
	assert.Contains(t, lines[0], "x.yaml:1:15: replications")
	assert.Contains(t, lines[1], "x.yaml:2:10: horizon")
	assert.Contains(t, lines[2], "x.yaml:3:17: max_infections")
	assert.Contains(t, lines[3], "x.yaml:5:11: baseline")
}

func TestSetAndStopRule(t *testing.T) {
	sc, err := Parse("small.yaml", []byte(small))
	require.NoError(t, err)
	require.NoError(t, sc.Set("population.layers.community", "1.5"))
	assert.Equal(t, 1.5, sc.Population.Layers.Community)
	require.NoError(t, sc.Set("strategies[1].response.tracing.find.community", "0.9"))
	assert.Equal(t, 0.9, sc.Strategies[1].Response.Tracing.Find.Community)
	require.NoError(t, sc.Set("strategies[0].response.quarantine.centralized", "5d"))
	assert.EqualValues(t, 5, sc.Strategies[0].Response.Quarantine.Centralized)
	assert.ErrorContains(t, sc.Set("population.layers.commmunity", "1"), `no field "commmunity"`)
	assert.ErrorContains(t, sc.Set("strategies[9].name", "x"), "no element 9")
	assert.ErrorContains(t, sc.Set("strategies[2].testing.lab.instruments", "3"), "testing is not set")
	assert.ErrorContains(t, sc.Set("replications", "0"), "replications: must be from 1")
	assert.ErrorContains(t, sc.Set("horizon", "soon"), `invalid duration "soon"`)

	points, err := Grid([]string{"population.layers.community=0.5,1", "resources.lab.instruments=10,20,30"})
	require.NoError(t, err)
	require.Len(t, points, 6)
	assert.Equal(t, []string{"1", "10"}, points[3].Values)
	_, err = Grid([]string{"nonsense"})
	assert.Error(t, err)

	// Stop rule: community zero held for 5 days ends a replication.
	sc, err = Parse("small.yaml", []byte(small))
	require.NoError(t, err)
	sc.StopAfterCommunityZero = 5
	sc.Strategies = sc.Strategies[:1]
	sc.Baseline = ""
	res, err := Play(context.Background(), sc, RunOptions{Replications: 4})
	require.NoError(t, err)
	stopped := 0
	for _, run := range res.Strategies[0].Runs {
		if run.StopReason == StopCommunityZero {
			stopped++
		}
	}
	assert.Positive(t, stopped, "ninth edition reaches community zero")
}

func TestLibraryScenariosRunAndWrite(t *testing.T) {
	// Every library scenario validates, runs (2 replications here) and writes
	// every output, and its summary holds every metric for every strategy.
	require.ElementsMatch(t, []string{"contact-tracing", "fuzhou-2022", "fuzhou-plan", "lab-surge", "larremore-2021", "mass-testing"}, Library())
	for _, name := range Library() {
		sc, err := LibraryScenario(name)
		require.NoError(t, err, name)
		res, err := Play(context.Background(), sc, RunOptions{Replications: 2})
		require.NoError(t, err, name)
		dir := t.TempDir()
		require.NoError(t, res.Write(dir), name)
		for _, f := range []string{"summary.json", "summary.csv", "timeseries.csv", "report.html", "infections.svg", "infections.png", "costs.svg"} {
			_, err := os.Stat(filepath.Join(dir, f))
			require.NoError(t, err, "%s: %s", name, f)
		}
		sum := res.Summarize()
		for _, st := range sum.Strategies {
			for _, md := range sum.Metrics {
				require.Contains(t, st.Metrics, md.Name, "%s: %s", name, st.Name)
			}
		}
	}
}
