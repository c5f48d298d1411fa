package infer

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/scenarios"
)

// tiny is a small city with a slow virus (R0 about 2) met by testing on
// symptoms and home isolation (mitigation), seeded by 5 infections on day 3: a
// few hundred cases found in 40 days, simulated in milliseconds.
const tiny = `name: tiny
start_date: 2022-10-01
seed: 11
replications: 4
horizon: 40d
population:
  areas:
    - {name: a, population: 20000}
    - {name: b, population: 10000}
  layers:
    household_sar: 0.3
    community: 0.6
    city: 0.4
    city_within_district: 0.7
    groups:
      - {name: work, r: 0.5, size: 20, ages: [adult], share: 0.75}
      - {name: school, r: 0.8, size: 40, ages: [child], share: 0.95}
imports:
  initial: 0
  schedule: [{time: 3d, count: 5, area: a}]
strategies:
  - name: mitigation
  - name: ninth_edition
`

func tinyScenario(t *testing.T) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("tiny.yaml", []byte(tiny))
	require.NoError(t, err)
	return sc
}

// meanData returns the mean observed curve of sc's first strategy over reps
// replications as a data series, from model day from for n days.
func meanData(t *testing.T, sc *scenarios.Scenario, reps, from, n int) Daily {
	t.Helper()
	start, _ := sc.StartTime()
	mean := make([]float64, n)
	for r := 0; r < reps; r++ {
		res, err := sc.RunStrategy(context.Background(), sc.Strategy(0), sc.Seed, r)
		require.NoError(t, err)
		det := res.Series.Get("detections")
		for i := range mean {
			if d := from + i; d < len(det) {
				mean[i] += det[d] / float64(reps)
			}
		}
	}
	return Daily{Start: start.AddDate(0, 0, from), Values: mean}
}

func TestCalibrateRecoversTheMeanCurve(t *testing.T) {
	// Data equal to the model's mean curve at known values, on the fit's own
	// keys: the Poisson likelihood is largest exactly there, so the search must
	// come back to the values (the introduction's time within the day its
	// cases fall in, since the daily curve moves by whole days).
	sc := tinyScenario(t)
	truth := sc.Clone()
	const scale, at = 1.3, 6.5
	l := &truth.Population.Layers
	require.NoError(t, truth.SetNumbers(
		[]string{"population.layers.community", "population.layers.city", "imports.schedule[0].time"},
		[]float64{l.Community * scale, l.City * scale, at}))
	for g := range l.Groups {
		l.Groups[g].R *= scale
	}
	l.HouseholdSAR = 1 - math.Pow(1-l.HouseholdSAR, scale)
	data := meanData(t, truth, 4, 5, 30)
	require.Greater(t, sum(data.Values), 300.0, "an outbreak to fit")

	fit, err := Calibrate(context.Background(), sc, data, []Param{
		{Path: ParamTransmission, Lo: 0.5, Hi: 2.5},
		{Path: "imports.schedule[0].time", Lo: 0, Hi: 12},
	}, Settings{Bootstrap: -1, Starts: 2})
	require.NoError(t, err)
	t.Logf("estimates %v, %v; log-likelihood %.3f; %d evaluations in %v", fit.Estimates[0].Value, fit.Estimates[1].Value, fit.LogLik, fit.Evaluations, fit.Duration)
	assert.InDelta(t, scale, fit.Estimates[0].Value, 0.05)
	assert.InDelta(t, at, fit.Estimates[1].Value, 0.5)
	assert.Equal(t, 30, fit.ObservedDays)
	assert.Equal(t, Alignment{Offset: 5, Days: 30}, fit.Alignment)
	// The fit's scenario holds the estimates; the input is unchanged.
	x, _, _ := fit.Scenario.Number("imports.schedule[0].time")
	assert.Equal(t, fit.Estimates[1].Value, x)
	x, _, _ = sc.Number("imports.schedule[0].time")
	assert.Equal(t, 3.0, x)
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		if !math.IsNaN(x) {
			s += x
		}
	}
	return s
}

var _ = time.Now
