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

// The smallest share of community contacts found that keeps the chance of an
// uncontrolled outbreak (one that reaches the cap) at or under a bound is
// monotone in the share (testdata/tracing.yaml); plan --size finds it where
// a fine sweep of the same scenario, on other seeds, puts it, within the
// sweep's standard errors.
func TestSizeTracingShareAgreesWithSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("about 3,000 runs")
	}
	const (
		path  = "strategies[0].response.tracing.find.community"
		bound = 0.35 // P(uncontrolled) ≤ bound
		step  = 0.05 // the sweep's grid
		reps  = 60   // the sweep's runs per point
	)
	sc, err := scenarios.Load("testdata/tracing.yaml")
	require.NoError(t, err)
	// The sweep, on seed 1000 (not the plan's).
	var shares, p, se []float64
	for i := 0; i <= int(math.Round(1/step)); i++ {
		s := float64(i) * step
		c := sc.Clone()
		require.NoError(t, c.Set(path, strconv.FormatFloat(s, 'g', 6, 64)))
		res, err := scenarios.Play(context.Background(), c, scenarios.RunOptions{Replications: reps, Seed: 1000, SeedSet: true})
		require.NoError(t, err)
		x := float64(res.Summarize().Strategies[0].Metrics["uncontrolled"].Mean)
		shares, p = append(shares, s), append(p, x)
		se = append(se, math.Sqrt(math.Max(x*(1-x), 1.0/reps)/reps))
	}
	// Where the sweep puts the answer: from the smallest share whose estimate
	// could meet the bound (within 2 standard errors) to the smallest that
	// surely does.
	lo, hi := math.NaN(), math.NaN()
	for i := range shares {
		if math.IsNaN(lo) && p[i]-2*se[i] <= bound {
			lo = shares[i]
		}
		if math.IsNaN(hi) && p[i]+2*se[i] <= bound {
			hi = shares[i]
		}
	}
	require.False(t, math.IsNaN(lo) || math.IsNaN(hi), "the sweep reaches the bound: %v", p)
	require.Less(t, hi-lo, 0.5, "the sweep pins the answer down: %v", p)
	require.Greater(t, lo, 0.0, "a share of 0 does not meet the bound: %v", p)

	tg, err := ParseTarget("uncontrolled<="+strconv.FormatFloat(bound, 'g', 6, 64), 0.9)
	require.NoError(t, err)
	k, err := ParseSize(path + "=0:1/40")
	require.NoError(t, err)
	res, err := Search(context.Background(), &Problem{Scenario: sc, Size: []SizeKnob{k}, Targets: []Target{tg}},
		Options{MinReplications: 32, MaxReplications: 128, Confirm: 20})
	require.NoError(t, err)
	got, err := strconv.ParseFloat(res.Candidates[res.Finalists[0].Candidate].Values[0], 64)
	require.NoError(t, err)
	t.Logf("sweep: P(uncontrolled) by share %v; answer in [%v, %v]; plan: %v", p, lo, hi, got)
	assert.GreaterOrEqual(t, got, lo-step, "plan's share below the sweep's range")
	assert.LessOrEqual(t, got, hi+step, "plan's share above the sweep's range")
}
