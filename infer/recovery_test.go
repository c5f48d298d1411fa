package infer

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/scenarios"
)

// mini is a town of 50,000 people where 20 imported infections start an
// outbreak met by testing on symptoms and home isolation: about a thousand
// infections in 18 days at the study's transmission scale of 1.2 (700 to 1,400
// in four replications with the published generation interval; too few to run
// out of people), a few milliseconds a simulation.
const mini = `name: mini
start_date: 2022-10-01
seed: 3
replications: 4
horizon: 18d
population:
  areas:
    - {name: a, population: 50000}
  layers:
    household_sar: 0.3
    community: 0.8
    city: 0.4
    groups: []
imports:
  initial: 0
  schedule: [{time: 2d, count: 20}]
strategies:
  - name: mitigation
`

var recoverySets, recoveryBoot, recoveryReps = 6, 8, 4

func TestParameterRecovery(t *testing.T) {
	// The small version of the recovery study (the full one is
	// bench/cmd/recovery): 6 data sets simulated at a transmission scale of 1.2
	// on keys the fits never use (days 3 to 17), each fitted with a 90%
	// bootstrap interval (4 replications, 8 bootstrap data sets). The interval
	// must hold the truth in at least 5 of them (the chance of 4 or fewer with a
	// true coverage of 90% is 11%; the seeds are fixed, so the test does not
	// flicker), and the estimates must centre on it (their spread is about 0.18
	// here, 0.07 for a mean of 6: the tolerance is two of those).
	sc, err := scenarios.Parse("mini.yaml", []byte(mini))
	require.NoError(t, err)
	start, _ := sc.StartTime()
	set := Settings{From: start.AddDate(0, 0, 3), To: start.AddDate(0, 0, 17), Bootstrap: recoveryBoot, Replications: recoveryReps}
	params := []Param{{Path: ParamTransmission, Lo: 0.5, Hi: 2.5}}
	st, err := RecoveryStudy(context.Background(), sc, params, []float64{1.2}, set, recoverySets, 99, nil)
	require.NoError(t, err)
	mean := 0.0
	for j, f := range st.Fits {
		e := f.Estimates[0]
		t.Logf("data set %d: %.3f [%.3f, %.3f], %d cases, %d + %d evaluations", j, e.Value, e.IntervalLo, e.IntervalHi, int(sum(f.Data.Values)), f.Evaluations, f.BootstrapEvaluations)
		mean += e.Value / float64(recoverySets)
	}
	t.Logf("covered %d of %d in %v; mean estimate %.3f", st.Covered[0], recoverySets, st.Duration, mean)
	assert.GreaterOrEqual(t, st.Covered[0], 5)
	assert.InDelta(t, 1.2, mean, 0.15)
}
