package plan

import (
	"context"
	"math"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/scenarios"
)

func TestParseTarget(t *testing.T) {
	for _, c := range []struct {
		in     string
		mean   bool
		metric string
		op     string
		value  float64
		probOp string
		prob   float64
	}{
		{"controlled>=0.9", false, "controlled", ">", 0.5, ">=", 0.9},
		{"uncontrolled<=0.1", false, "uncontrolled", ">", 0.5, "<=", 0.1},
		{"days_to_community_zero<=21", false, "days_to_community_zero", "<=", 21, ">=", 0.8},
		{"p90(days_to_community_zero)<=21", false, "days_to_community_zero", "<=", 21, ">=", 0.9},
		{"p10(tests) >= 5", false, "tests", ">=", 5, ">=", 0.9},
		{"mean(total_cost)<=1e9", true, "total_cost", "<=", 1e9, "", 0},
		{"prob(quarantine_overflow<=0)>=0.95", false, "quarantine_overflow", "<=", 0, ">=", 0.95},
		{"days_to_last_site_result<=36h", false, "days_to_last_site_result", "<=", 1.5, ">=", 0.8},
	} {
		tg, err := ParseTarget(c.in, 0.8)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.mean, tg.Mean, c.in)
		assert.Equal(t, c.metric, tg.Metric, c.in)
		assert.Equal(t, c.op, tg.Op, c.in)
		assert.InDelta(t, c.value, tg.Value, 1e-12, c.in)
		assert.Equal(t, c.probOp, tg.ProbOp, c.in)
		assert.InDelta(t, c.prob, tg.Prob, 1e-12, c.in)
	}
	for _, bad := range []string{"", "controlled", "controlled>=2", "nosuch<=3", "p0(tests)<=1", "p100(tests)<=1",
		"mean(tests)<=x", "prob(tests<=1)>=1.5", "tests=<3", "mean(tests<=3", "tests<=NaN", "tests<=-1d"} {
		_, err := ParseTarget(bad, 0.9)
		assert.Error(t, err, "%q", bad)
	}
}

func TestParseVaryAndSize(t *testing.T) {
	k, err := ParseVary("strategy.response.quarantine.days=3d:7d")
	require.NoError(t, err)
	assert.True(t, k.Range && k.Duration)
	assert.Equal(t, 3.0, k.Lo)
	k, err = ParseVary("strategy.testing.sites[0].pool=1, 5,10")
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "5", "10"}, k.Values)
	for _, bad := range []string{"", "x", "x=", "=1:2", "x=2:1", "x=1:1", "x=a:b", "x=1:2d", "x=1,,2", "x=1,1", "x=NaN:1", "x=Inf:1"} {
		_, err := ParseVary(bad)
		assert.Error(t, err, "%q", bad)
	}
	s, err := ParseSize("resources.lab.instruments=10:20")
	require.NoError(t, err)
	assert.Equal(t, 10.0, s.Lo)
	for _, bad := range []string{"", "=1:2", "x=2:1", "x=1", "x=1:2/0", "x=1:2/x", "x=a:2"} {
		_, err := ParseSize(bad)
		assert.Error(t, err, "%q", bad)
	}
}

func TestWilson(t *testing.T) {
	// Wilson's interval for 8 of 10 is [0.490, 0.943] (Newcombe 1998, table I).
	e := wilson(8, 10)
	assert.InDelta(t, 0.8, e.Value, 1e-12)
	assert.InDelta(t, 0.4902, e.Lo, 1e-4)
	assert.InDelta(t, 0.9433, e.Hi, 1e-4)
}

// The lab capacity that reports every tube of a city-wide round within 24
// hours follows from the pool size, the wells, the run time and the hours
// (testdata/lab-round.yaml): plan --size finds it within 5%.
func TestSizeLabForARound(t *testing.T) {
	sc, err := scenarios.Load("testdata/lab-round.yaml")
	require.NoError(t, err)
	const (
		people   = 300_000
		pool     = 10
		wells    = 94
		runHours = 3.0
		// Tubes reach the lab from 09:00 (the first van: 30 minutes' pickup,
		// 30 minutes' drive after the 08:00 opening); the deadline is 24 h
		// after the opening.
		hoursLeft = 32.0 - 9.0
	)
	runs := math.Floor(hoursLeft / runHours)
	want := math.Ceil(people / pool / (wells * runs))
	require.Equal(t, 46.0, want) // as the file's header works out
	tg, err := ParseTarget("days_to_last_site_result<=32h", 0.9)
	require.NoError(t, err)
	k, err := ParseSize("resources.lab.instruments=1:200")
	require.NoError(t, err)
	res, err := Search(context.Background(), &Problem{Scenario: sc, Size: []SizeKnob{k}, Targets: []Target{tg}},
		Options{MinReplications: 2, MaxReplications: 4, Confirm: 4})
	require.NoError(t, err)
	require.Equal(t, 0, res.Recommended, "the plan meets the target")
	got, err := strconv.Atoi(res.Candidates[res.Finalists[0].Candidate].Values[0])
	require.NoError(t, err)
	assert.InEpsilon(t, want, float64(got), 0.05, "instruments found %d, known answer %v", got, want)
	// The search judged one fewer instrument too few.
	for _, c := range res.Candidates {
		if c.Values[0] == strconv.Itoa(got-1) {
			assert.False(t, c.Targets[0].Met)
		}
	}
	// And the written plan says so.
	dir := t.TempDir()
	require.NoError(t, res.Write(dir, []string{"testdata/lab-round.yaml"}))
	m := res.Manifest(nil)
	require.NotNil(t, m.Recommended)
	assert.Equal(t, []string{"resources.lab.instruments=" + strconv.Itoa(got)}, m.Recommended.Sets)
	// The recommended plan's outputs are a run that reproduces.
	rsc, opts, err := scenarios.FromRecord(dir + "/recommended")
	require.NoError(t, err)
	assert.Equal(t, 4, opts.Replications)
	n, _, err := rsc.Number("strategies[0].testing.lab.instruments")
	require.NoError(t, err)
	assert.Equal(t, float64(got), n)
}

// The race finds the cheapest plan that meets the target: of the lab sizes
// offered, the smallest that reports the round in time (46, as above), since
// every instrument costs; the others leave the race for the right reasons.
func TestRaceFindsCheapestFeasible(t *testing.T) {
	sc, err := scenarios.Load("testdata/lab-round.yaml")
	require.NoError(t, err)
	tg, err := ParseTarget("days_to_last_site_result<=32h", 0.9)
	require.NoError(t, err)
	k, err := ParseVary("resources.lab.instruments=30,40,45,46,50,60,80")
	require.NoError(t, err)
	res, err := Search(context.Background(), &Problem{Scenario: sc, Vary: []Knob{k}, Targets: []Target{tg}},
		Options{MinReplications: 2, MaxReplications: 8, Finalists: 2, Confirm: 4})
	require.NoError(t, err)
	require.Equal(t, 0, res.Recommended)
	best := res.Candidates[res.Finalists[0].Candidate]
	assert.Equal(t, []string{"46"}, best.Values)
	assert.True(t, res.Finalists[0].Met)
	for _, c := range res.Candidates {
		n, _ := strconv.Atoi(c.Values[0])
		switch {
		case n < 46:
			assert.False(t, c.Targets[0].Met, "%d instruments are too few", n)
			assert.Equal(t, 1.0, c.Risk)
		case n > 46:
			assert.Greater(t, c.Objective.Value, best.Objective.Value, "%d instruments cost more", n)
		}
	}
	// The frontier: 46 is on it (cheapest at risk 0), and so is the cheapest
	// candidate (30, at risk 1); nothing dearer at risk 0 is.
	for _, c := range res.Candidates {
		switch c.Values[0] {
		case "46", "30":
			assert.True(t, c.Pareto, c.Values[0])
		case "50", "60", "80", "40", "45":
			assert.False(t, c.Pareto, c.Values[0])
		}
	}
}
