package bench

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

func TestSuiteScenarios(t *testing.T) {
	scs, err := SuiteScenarios()
	require.NoError(t, err)
	require.Len(t, scs, 3)
	index := func(c *model.Config) (n int, areas map[string]bool) {
		areas = map[string]bool{}
		n = c.Imports.Initial
		if c.Imports.Area != "" {
			areas[c.Imports.Area] = true
		}
		for _, s := range c.Imports.Schedule {
			assert.Zero(t, s.Time)
			n += s.Count
			areas[s.Area] = true
		}
		return n, areas
	}
	byName := map[string]*model.Config{}
	for _, s := range scs {
		byName[s.Name] = s.Config
		assert.Equal(t, model.Options{Horizon: SuiteHorizon, MaxInfections: SuiteCap}, s.Options)
		m, err := model.New(s.Config, sim.NewStream(1), s.Options)
		require.NoError(t, err, s.Name)
		assert.Equal(t, 8_400_000, m.Population(), s.Name)
	}
	n, areas := index(byName["slow"])
	assert.Equal(t, 10, n)
	assert.Equal(t, map[string]bool{"gulou-old-town": true}, areas)
	n, _ = index(byName["fast"])
	assert.Equal(t, 10, n)
	n, areas = index(byName["large"])
	assert.Equal(t, 100, n)
	assert.Len(t, areas, 10)

	// The slow virus has every layer at half strength; the fast one is the
	// library's, untouched by the scaling of the slow one's copy.
	slow, fast := byName["slow"].Population.Layers, byName["fast"].Population.Layers
	assert.InDelta(t, fast.Community/2, slow.Community, 1e-12)
	assert.InDelta(t, fast.City/2, slow.City, 1e-12)
	for i := range fast.Groups {
		assert.InDelta(t, fast.Groups[i].R/2, slow.Groups[i].R, 1e-12)
	}
	assert.Equal(t, byName["large"].Population.Layers.Groups, fast.Groups)
	// A household case escapes each member with probability 1-SAR; at half the
	// hazard, with √(1-SAR).
	assert.InDelta(t, math.Sqrt(1-fast.HouseholdSAR), 1-slow.HouseholdSAR, 1e-12)
}

// tinySuite is a town of 40,000 people in 2 districts of 4 communities, with
// 5 index cases in one community, run for 60 days or 3,000 infections.
func tinySuite() SuiteScenario {
	cfg := model.DefaultConfig()
	cfg.Population.Areas = []model.Area{
		{Name: "east", Population: 20_000, Communities: 4},
		{Name: "west", Population: 20_000, Communities: 4},
	}
	cfg.Imports = model.Imports{Initial: 5, Area: "east-1"}
	return SuiteScenario{Name: "tiny", Description: "a town", Config: cfg, Options: model.Options{Horizon: 60, MaxInfections: 3000}}
}

// idle is a measure that draws from its stream and does nothing.
type idle struct{ s sim.Stream }

func (i idle) Attach(m *model.Model) error {
	_ = i.s.Rand().Float64()
	return nil
}

// TestRunSuiteEqualTerms plays the built-in strategies and a twin of
// no_intervention (plus a measure that does nothing) in a small town: the twin
// scores exactly as no_intervention on every seed, so its paired difference is
// 0 (the suite compares contenders on the same outbreaks); the scores do not
// depend on the number of workers; the ninth edition, which contains the
// outbreak, ranks above no intervention; the CSV file has a row per run.
func TestRunSuiteEqualTerms(t *testing.T) {
	cs, err := BuiltinContenders()
	require.NoError(t, err)
	require.Len(t, cs, 4)
	none, err := SuiteStrategy("no_intervention")
	require.NoError(t, err)
	cs = append(cs, Contender{Name: "twin", Measures: func(s sim.Stream) ([]model.Measure, error) {
		return append(none.Measures(), idle{s}), nil
	}})
	scs := []SuiteScenario{tinySuite()}
	seeds := []uint64{3, 4, 5, 6}
	one, err := RunSuite(context.Background(), scs, cs, SuiteOptions{Seeds: seeds, Workers: 1})
	require.NoError(t, err)
	two, err := RunSuite(context.Background(), scs, cs, SuiteOptions{Seeds: seeds, Workers: 2})
	require.NoError(t, err)
	// (Compared as text: a NaN is not equal to itself.)
	assert.Equal(t, fmt.Sprint(one), fmt.Sprint(two), "scores with 1 and 2 workers")

	ss := one.Scenarios[0]
	require.Len(t, ss.Contenders, 5)
	byName := map[string]*ContenderScores{}
	for i := range ss.Contenders {
		c := &ss.Contenders[i]
		byName[c.Name] = c
		require.Len(t, c.Runs, len(seeds))
		for i, r := range c.Runs {
			assert.Equal(t, seeds[i], r.Seed)
			require.Len(t, r.Values, len(SuiteMetrics))
		}
	}
	assert.Equal(t, fmt.Sprint(byName["no_intervention"].Runs), fmt.Sprint(byName["twin"].Runs))
	p := PairedOf(byName["twin"].Values(0), byName["no_intervention"].Values(0))
	assert.Equal(t, Paired{N: 4, Mean: 0, Lo: 0, Hi: 0}, p)

	// Known outcomes: with no intervention the outbreak reaches the cap in
	// every run (R0 about 5 in a fully susceptible town); the ninth edition
	// keeps it far below.
	for _, r := range byName["no_intervention"].Runs {
		assert.Equal(t, model.StopMaxInfections, r.StopReason)
		assert.Equal(t, 3000.0, r.Values[0])
		assert.Equal(t, 0.0, r.Values[3], "tests without testing")
	}
	for _, r := range byName["ninth_edition"].Runs {
		assert.Equal(t, model.StopExtinct, r.StopReason)
		assert.Equal(t, 1.0, r.Values[1], "contained")
	}
	rank := map[string]int{}
	ranked := ss.Ranked()
	for i, c := range ranked {
		rank[c.Name] = i
		if i > 0 {
			assert.LessOrEqual(t, SpreadOf(ranked[i-1].Values(0)).Median, SpreadOf(c.Values(0)).Median)
		}
	}
	assert.Less(t, rank["ninth_edition"], rank["no_intervention"])
	assert.Less(t, SpreadOf(byName["ninth_edition"].Values(0)).Median, 1000.0)

	md := one.Markdown("no_intervention")
	assert.Contains(t, md, "#### tiny: a town")
	assert.Contains(t, md, "| twin | 3,000 [3,000, 3,000] | 0 [0, 0] | 0% |")

	var buf bytes.Buffer
	require.NoError(t, one.WriteCSV(&buf))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+5*len(seeds))
	assert.Equal(t, []string{"scenario", "contender", "seed", "stop_reason", "infections", "contained", "days_to_community_zero",
		"tests", "quarantine_person_days", "lockdown_person_days", "peak_isolation"}, rows[0])
	assert.Equal(t, []string{"tiny", "no_intervention", "3", "max_infections", "3000", "0", "", "0", "0", "0", "0"}, rows[1+2*len(seeds)])
}

func TestRunSuiteRejectsBadInput(t *testing.T) {
	sc := []SuiteScenario{tinySuite()}
	noop := func(sim.Stream) ([]model.Measure, error) { return nil, nil }
	for _, c := range []struct {
		name string
		scs  []SuiteScenario
		cs   []Contender
		opts SuiteOptions
		want string
	}{
		{"no seeds", sc, []Contender{{"a", noop}}, SuiteOptions{Seeds: []uint64{}}, "no seeds"},
		{"no contender", sc, nil, SuiteOptions{}, "no contender"},
		{"twice", sc, []Contender{{"a", noop}, {"a", noop}}, SuiteOptions{}, `contender 1 must have a unique, non-empty name, got "a"`},
		{"unnamed scenario", []SuiteScenario{{Config: sc[0].Config}}, []Contender{{"a", noop}}, SuiteOptions{}, `scenario 0 must have a unique, non-empty name`},
		{"no function", sc, []Contender{{"a", nil}}, SuiteOptions{}, "contender 0 (a) has no Measures function"},
		{"failing measure", sc, []Contender{{"bad", func(sim.Stream) ([]model.Measure, error) {
			return []model.Measure{model.MeasureFunc(func(*model.Model) error { return assert.AnError })}, nil
		}}}, SuiteOptions{Seeds: []uint64{9}}, "scenario tiny, contender bad, seed 9: " + assert.AnError.Error()},
	} {
		_, err := RunSuite(context.Background(), c.scs, c.cs, c.opts)
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
	_, err := SuiteStrategy("ninth")
	assert.ErrorContains(t, err, `unknown strategy "ninth"`)
}

func TestSpreadAndPaired(t *testing.T) {
	var xs []float64
	for i := 20; i >= 1; i-- {
		xs = append(xs, float64(i))
	}
	xs = append(xs, math.NaN())
	// Nearest rank over 1..20: the 2nd, 11th and 19th smallest.
	assert.Equal(t, Spread{N: 20, Median: 11, P05: 2, P95: 19, Mean: 10.5}, SpreadOf(xs))
	assert.Equal(t, 0, SpreadOf([]float64{math.NaN()}).N)

	// Differences 1, 2, 3, 4: mean 2.5, standard error √(5/3)/2, and t(3) at
	// 0.975 is 3.182446 (tables of Student's t).
	p := PairedOf([]float64{2, 4, 6, 8, math.NaN()}, []float64{1, 2, 3, 4, 0})
	assert.Equal(t, 4, p.N)
	assert.InDelta(t, 2.5, p.Mean, 1e-12)
	half := 3.182446 * math.Sqrt(5.0/3) / 2
	assert.InDelta(t, 2.5-half, p.Lo, 1e-5)
	assert.InDelta(t, 2.5+half, p.Hi, 1e-5)
}

func TestNum(t *testing.T) {
	for x, want := range map[float64]string{
		0: "0", 7: "7", 4.5: "4.5", -3.25: "-3.2", 123.6: "124", 35072: "35,072", -49889.4: "-49,889",
		999_999: "999,999", 22_698_317: "22.7M", math.NaN(): "—",
	} {
		assert.Equal(t, want, num(x), "%v", x)
	}
	assert.True(t, strings.HasPrefix(seedList([]uint64{1, 2, 3}), "seeds 1–3"))
	assert.Equal(t, "seeds 1, 5", seedList([]uint64{1, 5}))
}
