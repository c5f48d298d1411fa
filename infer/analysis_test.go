package infer

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGrowth(t *testing.T) {
	// The log-linear slope of a doubling series is log 2 a day, of 5e^{0.3t}
	// 0.3; a day without a count leaves it undefined.
	assert.InDelta(t, math.Ln2, growth([]float64{1, 2, 4, 8, 16}), 1e-12)
	v := make([]float64, 7)
	for i := range v {
		v[i] = 5 * math.Exp(0.3*float64(i))
	}
	assert.InDelta(t, 0.3, growth(v), 1e-12)
	assert.True(t, math.IsNaN(growth([]float64{1, 0, 4})))
}

func TestAnalysisReadsTheRuns(t *testing.T) {
	// The case reproduction numbers are the mean offspring of the infections
	// of each day, pooled over the fit's runs: their total over all days
	// weighs back to the offspring of every infection.
	sc := tinyScenario(t)
	data := meanData(t, sc, 4, 5, 20)
	fit, err := Calibrate(context.Background(), sc, data, []Param{{Path: ParamTransmission, Lo: 0.5, Hi: 2}}, Settings{Bootstrap: -1, MaxEvaluations: 6})
	require.NoError(t, err)
	a := fit.Analysis
	cases, offspring := 0, 0.0
	for _, r := range a.Rc {
		cases += r.Cases
		offspring += r.Value * float64(r.Cases)
	}
	total, all := 0, 0
	for _, r := range fit.runs {
		for i := 0; i < r.LineList.Len(); i++ {
			total += int(r.LineList.At(i).Offspring)
			all++
		}
	}
	assert.Equal(t, all, cases)
	assert.InDelta(t, float64(total), offspring, 1e-6)
	require.False(t, a.FirstDetection.IsZero())
	assert.True(t, a.FirstDetection.After(data.Start.AddDate(0, 0, -5)), "after the introduction on day 3")
	assert.Greater(t, a.RBefore.Cases, 0)
	assert.Greater(t, a.RBefore.Value, 1.0, "the outbreak grows before it is found")
}
