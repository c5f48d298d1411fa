package infer

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/sim"
)

// Point masses fall on their day, or are shared between the two days around
// them in proportion to their distance (the triangular kernel).
func TestDiscretizeExact(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []float64
	}{
		{"fixed:3", []float64{0, 0, 0, 1}},
		{"fixed:2.25", []float64{0, 0, 0.75, 0.25}},
		{"fixed(1)", []float64{0, 1}},
		{"empirical(1:0.2, 2:0.5, 3:0.3)", []float64{0, 0.2, 0.5, 0.3}},
		{"empirical(1, 3)", []float64{0, 0.5, 0, 0.5}},
		{"discrete:1,2,1", []float64{0, 0.25, 0.5, 0.25}},
		{"discrete:2,0,0", []float64{0, 1}}, // trailing zeros dropped
		{"uniform(lo=2, hi=2)", []float64{0, 0, 1}},
	} {
		si, err := ParseSerialInterval(c.in)
		require.NoError(t, err, c.in)
		assert.InDeltaSlice(t, c.want, si.W, 1e-12, c.in)
		assert.Zero(t, si.SameDay, c.in)
	}
	// Half of fixed(0.5) falls on day 0 and is dropped: all the rest is day 1.
	si, err := ParseSerialInterval("fixed:0.5")
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{0, 1}, si.W, 1e-12)
	assert.InDelta(t, 0.5, si.SameDay, 1e-12)
}

// The closed forms agree with the definition, w_k = ∫ max(0, 1−|x−k|) f(x) dx,
// integrated numerically from the density.
func TestDiscretizeMatchesQuadrature(t *testing.T) {
	for _, c := range []struct {
		d   sim.Dist
		pdf func(float64) float64
	}{
		{sim.GammaDist(3.3, 2.2), distuv.Gamma{Alpha: 3.3 * 3.3 / (2.2 * 2.2), Beta: 3.3 / (2.2 * 2.2)}.Prob},
		{sim.GammaDist(4.7, 2.9), distuv.Gamma{Alpha: 4.7 * 4.7 / (2.9 * 2.9), Beta: 4.7 / (2.9 * 2.9)}.Prob},
		{sim.ExponentialDist(2), distuv.Exponential{Rate: 0.5}.Prob},
		{sim.LogNormalDist(3.3, 2.2), func(x float64) float64 {
			d := sim.LogNormalDist(3.3, 2.2)
			return distuv.LogNormal{Mu: d.P1, Sigma: d.P2}.Prob(x)
		}},
		{sim.WeibullDist(2.5, 4), distuv.Weibull{K: 2.5, Lambda: 4}.Prob},
		{sim.UniformDist(0.5, 6.2), distuv.Uniform{Min: 0.5, Max: 6.2}.Prob},
	} {
		si, err := DiscretizeSerialInterval(c.d)
		require.NoError(t, err, c.d.String())
		// w is the weight before day 0 was dropped and the rest renormalized.
		w := func(k int) float64 {
			if k == 0 {
				return si.SameDay
			}
			return si.W[k] * (1 - si.SameDay)
		}
		for k := 0; k < len(si.W); k++ {
			x := float64(k)
			tri := func(u float64) float64 { return (1 - math.Abs(u-x)) * c.pdf(u) }
			// The kernel has a kink at k, the uniform density at its ends:
			// integrate piecewise where both are smooth.
			cuts := []float64{math.Max(0, x-1), x, x + 1}
			want := 0.0
			for i := 0; i+1 < len(cuts); i++ {
				a, b := cuts[i], cuts[i+1]
				if c.d.Family == sim.FamilyUniform {
					a, b = math.Max(a, c.d.P1), math.Min(b, c.d.P2)
				}
				if a < b {
					want += quad.Fixed(tri, a, b, 200, quad.Legendre{}, 0)
				}
			}
			assert.InDelta(t, want, w(k), 2e-6, "%v: day %d", c.d, k)
		}
	}
}

// The triangular kernel keeps the mean: Σ k·w_k = E[X] before day 0 is
// dropped; after, the mean is E[X]/(1 − SameDay).
func TestDiscretizeKeepsMean(t *testing.T) {
	for _, d := range []sim.Dist{
		sim.GammaDist(3.3, 2.2), sim.GammaDist(1.5, 3), sim.ExponentialDist(3),
		sim.LogNormalDist(5, 2), sim.WeibullDist(1.5, 4), sim.UniformDist(0, 4),
		sim.EmpiricalDist([]float64{0.5, 2.7, 9.1}, []float64{1, 2, 1}),
	} {
		si, err := DiscretizeSerialInterval(d)
		require.NoError(t, err, d.String())
		assert.InDelta(t, d.Mean(), si.Mean()*(1-si.SameDay), 1e-6, d.String())
		sum := 0.0
		for _, w := range si.W {
			sum += w
		}
		assert.InDelta(t, 1, sum, 1e-12, d.String())
		assert.Positive(t, si.W[len(si.W)-1], "%v: no trailing zero", d)
	}
}

func TestParseSerialIntervalShortForms(t *testing.T) {
	same := func(short string, d sim.Dist) {
		t.Helper()
		a, err := ParseSerialInterval(short)
		require.NoError(t, err, short)
		b, err := DiscretizeSerialInterval(d)
		require.NoError(t, err)
		assert.Equal(t, b.W, a.W, short)
		assert.Equal(t, b.SameDay, a.SameDay, short)
	}
	same("gamma:3.3,2.2", sim.GammaDist(3.3, 2.2))
	same(" Gamma: 3.3 , 2.2 ", sim.GammaDist(3.3, 2.2))
	same("lognormal:3.3,2.2", sim.LogNormalDist(3.3, 2.2))
	same("exponential:4", sim.ExponentialDist(4))
	same("gamma(mean=3.3, sd=2.2)", sim.GammaDist(3.3, 2.2))

	si, err := ParseSerialInterval("gamma: 3.3, 2.2")
	require.NoError(t, err)
	assert.Equal(t, "gamma:3.3,2.2 = gamma(shape=2.25, scale=1.467)", si.From)

	// weibull:MEAN,SD finds the shape and scale with that mean and sd.
	d, err := weibullMeanSD(3.3, 2.2)
	require.NoError(t, err)
	wb := distuv.Weibull{K: d.P1, Lambda: d.P2}
	assert.InDelta(t, 3.3, wb.Mean(), 1e-9)
	assert.InDelta(t, 2.2, wb.StdDev(), 1e-9)
	same("weibull:3.3,2.2", d)
	// A Weibull of shape 1 is exponential: sd = mean.
	d, err = weibullMeanSD(4, 4)
	require.NoError(t, err)
	assert.InDelta(t, 1, d.P1, 1e-9)
	assert.InDelta(t, 4, d.P2, 1e-9)
}

func TestSerialIntervalErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"3.3", "want family:parameters"},
		{"gamma:3.3", "want gamma:MEAN,SD"},
		{"gamma:3.3,2.2,1", "want gamma:MEAN,SD"},
		{"gamma:-3,2", "parameter 1 is -3, want a positive number"},
		{"gamma:3,0", "parameter 2 is 0"},
		{"gamma:3,x", `parameter 2 "x" is not a finite number`},
		{"gamma:3,NaN", "not a finite number"},
		{"poisson:3", `unknown family "poisson"`},
		{"weibull:1,10000", "no shape from 0.1 to 1000"},
		{"fixed:-1", "must not be negative"},
		{"fixed:0", "all its mass falls on day 0"},
		{"uniform(lo=-1, hi=3)", "must not be negative"},
		{"empirical(-1, 2)", "must not be negative"},
		{"gamma(mean=3)", "wrong parameters"},
		{"lognormal:300,300", "beyond 365 days"},
		{"gamma:100,60", "beyond 365 days"},
		{"discrete:0,0", "all weights are zero"},
		{"discrete:1,-1", "weight of day 2 is -1"},
	} {
		_, err := ParseSerialInterval(c.in)
		if assert.Error(t, err, c.in) {
			assert.Contains(t, err.Error(), c.want, c.in)
		}
	}
	for _, c := range []struct {
		w    []float64
		want string
	}{
		{nil, "0 weights"},
		{[]float64{0}, "1 weights"},
		{[]float64{0.1, 1}, "weight of day 0 is 0.1, want 0"},
		{[]float64{0, math.Inf(1)}, "weight of day 1 is +Inf"},
		{[]float64{0, math.NaN()}, "weight of day 1 is NaN"},
		{make([]float64, MaxSerialDays+2), "at most 366"},
	} {
		_, err := NewSerialInterval(c.w)
		if assert.Error(t, err, "%v", c.w) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
	_, err := DiscretizeSerialInterval(sim.Dist{})
	assert.ErrorContains(t, err, "unknown distribution family")

	// A tail beyond 365 days of about 3e-8 (below 1e-6) is cut, not refused.
	si, err := ParseSerialInterval("gamma:35,25")
	require.NoError(t, err)
	assert.Len(t, si.W, MaxSerialDays+1)
	assert.InDelta(t, 35, si.Mean()*(1-si.SameDay), 1e-4)
}
