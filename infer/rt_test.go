package infer

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/sim"
)

var day0 = time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC)

// renewal simulates a renewal process with Poisson offspring: the local cases
// of day t are Poisson with mean R(t)·Σ_k w_k (local + imported)_{t−k}, the
// model Cori et al. (2013) assume. imported seeds it.
func renewal(seed uint64, si SerialInterval, R func(t int) float64, imported []float64, n int) (local, imp Daily) {
	src := sim.NewStream(seed).Named("renewal").Source()
	loc, im := make([]float64, n), make([]float64, n)
	copy(im, imported)
	for t := 1; t < n; t++ {
		lam := 0.0
		for k := 1; k < len(si.W) && k <= t; k++ {
			lam += si.W[k] * (loc[t-k] + im[t-k])
		}
		if m := R(t) * lam; m > 0 {
			loc[t] = distuv.Poisson{Lambda: m, Src: src}.Rand()
		}
	}
	return Daily{Start: day0, Values: loc}, Daily{Start: day0, Values: im}
}

// The acceptance test of issue 9: Rt steps from 2.0 to 0.7 in a synthetic
// renewal process. Once the window has passed each side of the step, the
// posterior mean is within 10% of the truth on every day, and the posterior
// intervals are calibrated: the 95% interval holds the truth on about 95% of
// the days, the 50% interval on about half.
func TestRtStepChange(t *testing.T) {
	si, err := ParseSerialInterval("gamma:3.3,2.2")
	require.NoError(t, err)
	const (
		step = 25 // the first day with R = 0.7
		n    = 70 // days simulated
		tau  = DefaultRtWindow
	)
	R := func(t int) float64 {
		if t < step {
			return 2.0
		}
		return 0.7
	}
	// 200 imported cases a day for 5 days seed the outbreak: about 1,300 local
	// cases on day 7, 70,000 at the peak and 500 on the last day, so that a
	// week holds thousands of cases and the posterior CV is a few percent.
	seeds := []float64{200, 200, 200, 200, 200}
	in95, in50, days := 0, 0, 0
	for seed := uint64(1); seed <= 5; seed++ {
		local, imp := renewal(seed, si, R, seeds, n)
		r, err := EstimateRt(local, si, &RtOptions{Imported: &imp})
		require.NoError(t, err)
		lo95, hi95, err := r.Interval(0.95)
		require.NoError(t, err)
		lo50, hi50, err := r.Interval(0.5)
		require.NoError(t, err)
		seedIn := 0
		for tt, d := range r.Days {
			switch {
			case tt < tau:
				assert.False(t, d.OK(), "day %d: no window yet", tt)
				continue
			case tt >= step && tt < step+tau-1:
				// The window straddles the step: the estimate lies between.
				assert.True(t, d.Mean > 0.7 && d.Mean < 2.0, "seed %d day %d: straddling window gives %.3f", seed, tt, d.Mean)
				continue
			}
			truth := R(tt)
			require.True(t, d.OK(), "seed %d day %d: %s", seed, tt, d.Note)
			assert.InEpsilon(t, truth, d.Mean, 0.10, "seed %d day %d", seed, tt)
			if d.Quantiles[lo95] <= truth && truth <= d.Quantiles[hi95] {
				in95++
				seedIn++
			}
			if d.Quantiles[lo50] <= truth && truth <= d.Quantiles[hi50] {
				in50++
			}
			days++
		}
		// Over 300 seeds, the worst seed had 77% of its 57 days inside
		// (overlapping windows make neighbouring days agree).
		assert.GreaterOrEqual(t, float64(seedIn)/57, 0.70, "seed %d: 95%% interval coverage", seed)
	}
	require.Equal(t, 5*57, days)
	// Over 60 groups of 5 seeds the pooled coverage ranged from 0.89 to 1 (95%)
	// and from 0.40 to 0.63 (50%).
	assert.GreaterOrEqual(t, float64(in95)/float64(days), 0.85, "95%% interval coverage")
	assert.InDelta(t, 0.5, float64(in50)/float64(days), 0.15, "50%% interval coverage")
}

// handSI has weights 0.5, 0.3, 0.2 for 1, 2, 3 days.
func handSI(t *testing.T) SerialInterval {
	si, err := NewSerialInterval([]float64{0, 0.5, 0.3, 0.2})
	require.NoError(t, err)
	return si
}

// erlangCDF is P(X ≤ x) for a gamma of integer shape n and scale θ, by the
// Poisson sum 1 − Σ_{j<n} e^{−x/θ} (x/θ)^j / j!.
func erlangCDF(n int, theta, x float64) float64 {
	z, term, sum := x/theta, 1.0, 0.0
	for j := 0; j < n; j++ {
		if j > 0 {
			term *= z / float64(j)
		}
		sum += term
	}
	return 1 - math.Exp(-z)*sum
}

// The posterior parameters equal the closed form for a series worked by hand.
func TestRtClosedForm(t *testing.T) {
	cases := Daily{Start: day0, Values: []float64{10, 4, 6, 0, 8, 3}}
	r, err := EstimateRt(cases, handSI(t), &RtOptions{Window: 3})
	require.NoError(t, err)
	// Λ_1 = .5·10 = 5; Λ_2 = .5·4 + .3·10 = 5; Λ_3 = .5·6 + .3·4 + .2·10 = 6.2;
	// Λ_4 = .5·0 + .3·6 + .2·4 = 2.6; Λ_5 = .5·8 + .3·0 + .2·6 = 5.2.
	wantLambda := []float64{0, 5, 5, 6.2, 2.6, 5.2}
	for i, d := range r.Days {
		assert.InDelta(t, wantLambda[i], d.Lambda, 1e-12, "Λ of day %d", i)
		assert.Equal(t, day0.AddDate(0, 0, i), d.Date)
	}
	for i := 0; i < 3; i++ {
		assert.False(t, r.Days[i].OK(), "day %d", i)
		assert.Equal(t, noteStart, r.Days[i].Note)
		assert.True(t, math.IsNaN(r.Days[i].Mean))
	}
	// Prior shape 1, scale 5 (rate 0.2).
	for _, c := range []struct {
		day          int
		sumI, sumL   float64
		shape, scale float64
	}{
		{3, 4 + 6 + 0, 5 + 5 + 6.2, 11, 1 / 16.4},
		{4, 6 + 0 + 8, 5 + 6.2 + 2.6, 15, 1 / 14.0},
		{5, 0 + 8 + 3, 6.2 + 2.6 + 5.2, 12, 1 / 14.2},
	} {
		d := r.Days[c.day]
		require.True(t, d.OK(), d.Note)
		assert.Equal(t, c.sumI, d.SumCases)
		assert.InDelta(t, c.sumL, d.SumLambda, 1e-12)
		assert.InDelta(t, c.shape, d.Shape, 1e-12)
		assert.InDelta(t, c.scale, d.Scale, 1e-15)
		assert.InDelta(t, c.shape*c.scale, d.Mean, 1e-12)
		assert.InDelta(t, math.Sqrt(c.shape)*c.scale, d.SD, 1e-12)
		assert.InDelta(t, 1/math.Sqrt(c.shape), d.CV, 1e-12)
		// Quantiles, checked against the Erlang distribution function.
		assert.InDelta(t, 0.5, erlangCDF(int(c.shape), c.scale, d.Median), 1e-9)
		require.Len(t, d.Quantiles, len(DefaultRtProbs))
		for i, p := range DefaultRtProbs {
			assert.InDelta(t, p, erlangCDF(int(c.shape), c.scale, d.Quantiles[i]), 1e-9, "day %d p %v", c.day, p)
			assert.InDelta(t, d.Quantiles[i], d.Quantile(p), 1e-12)
		}
	}

	// Another prior and window: day 5, window 2: shape 2 + 11, scale 1/(1 + 7.8).
	r, err = EstimateRt(cases, handSI(t), &RtOptions{Window: 2, PriorShape: 2, PriorScale: 1, Probs: []float64{0.1, 0.9}})
	require.NoError(t, err)
	d := r.Days[5]
	assert.InDelta(t, 13, d.Shape, 1e-12)
	assert.InDelta(t, 1/8.8, d.Scale, 1e-15)
	assert.InDelta(t, 0.1, erlangCDF(13, 1/8.8, d.Quantiles[0]), 1e-9)
	assert.InDelta(t, 0.9, erlangCDF(13, 1/8.8, d.Quantiles[1]), 1e-9)
	assert.True(t, r.Days[2].OK(), "window 2: the first estimate is on day 2")
	assert.False(t, r.Days[1].OK())
}

// Zero incidence: a window with infectiousness and no cases has the posterior
// of shape a, here exponential, whose quantiles are −θ·ln(1−p); a window
// without infectiousness has no estimate.
func TestRtZeroIncidence(t *testing.T) {
	si, err := NewSerialInterval([]float64{0, 1}) // always one day
	require.NoError(t, err)
	cases := Daily{Start: day0, Values: []float64{5, 0, 0, 0}}
	r, err := EstimateRt(cases, si, &RtOptions{Window: 2})
	require.NoError(t, err)
	d := r.Days[2] // window 1–2: ΣI = 0, ΣΛ = 5 + 0
	require.True(t, d.OK(), d.Note)
	theta := 1 / (0.2 + 5)
	assert.InDelta(t, 1, d.Shape, 1e-12)
	assert.InDelta(t, theta, d.Scale, 1e-15)
	assert.InDelta(t, theta*math.Ln2, d.Median, 1e-12)
	for i, p := range DefaultRtProbs {
		assert.InDelta(t, -theta*math.Log(1-p), d.Quantiles[i], 1e-12)
	}
	assert.False(t, r.Days[3].OK())
	assert.Equal(t, noteNoLambda, r.Days[3].Note)

	// A series of zeros has no estimate at all, and no error.
	r, err = EstimateRt(Daily{Start: day0, Values: make([]float64, 10)}, si, nil)
	require.NoError(t, err)
	for _, d := range r.Days {
		assert.False(t, d.OK())
	}
}

// Imported cases infect but were not infected locally: they count in Λ, not in
// the numerator.
func TestRtImported(t *testing.T) {
	si := handSI(t)
	// The same totals as the hand series, with day 0's ten cases imported:
	// the estimate of day 3 (window 1–3) is unchanged.
	local := Daily{Start: day0, Values: []float64{0, 4, 6, 0, 8, 3}}
	imp := Daily{Start: day0.AddDate(0, 0, -2), Values: []float64{99, 99, 10, 0, 0, 0, 0, 0, 99}} // longer than local: aligned by date
	r, err := EstimateRt(local, si, &RtOptions{Window: 3, Imported: &imp})
	require.NoError(t, err)
	assert.InDelta(t, 11, r.Days[3].Shape, 1e-12)
	assert.InDelta(t, 1/16.4, r.Days[3].Scale, 1e-15)
	assert.Equal(t, 10.0, r.Days[0].Imported)
	// Day 2's six cases imported instead of local: Λ is unchanged, the
	// numerator of day 3 loses them.
	local2 := Daily{Start: day0, Values: []float64{10, 4, 0, 0, 8, 3}}
	imp2 := Daily{Start: day0, Values: []float64{0, 0, 6, 0, 0, 0}}
	r2, err := EstimateRt(local2, si, &RtOptions{Window: 3, Imported: &imp2})
	require.NoError(t, err)
	for i := range r2.Days {
		assert.InDelta(t, r.Days[i].Lambda, r2.Days[i].Lambda, 1e-12, "Λ of day %d", i)
	}
	assert.InDelta(t, 11-6, r2.Days[3].Shape, 1e-12)
}

// A missing day: windows that hold it have no estimate, nor have those whose
// Λ draws too much on it; a small share is made up by scaling.
func TestRtMissingDays(t *testing.T) {
	si, err := NewSerialInterval([]float64{0, 0.6, 0.35, 0.05})
	require.NoError(t, err)
	v := []float64{10, 10, 10, 10, 10, math.NaN(), 10, 10, 12, 14, 10, 10, 10, 10}
	cases := Daily{Start: day0, Values: v}
	r, err := EstimateRt(cases, si, &RtOptions{Window: 2})
	require.NoError(t, err)
	// Day 5 is missing: Λ_6 misses 0.6 and Λ_7 0.35 of the weight (more than
	// 0.1): NaN; Λ_8 misses 0.05: scaled by 1/0.95.
	assert.True(t, math.IsNaN(r.Days[6].Lambda))
	assert.True(t, math.IsNaN(r.Days[7].Lambda))
	assert.InDelta(t, (0.6*10+0.35*10)/0.95, r.Days[8].Lambda, 1e-12)
	assert.InDelta(t, 0.6*12+0.35*10+0.05*10, r.Days[9].Lambda, 1e-12)
	for i, want := range map[int]string{
		4: "", 5: noteMissing, 6: noteMissing, 7: noteInfector, 8: noteInfector, 9: "", 10: "",
	} {
		assert.Equal(t, want, r.Days[i].Note, "day %d", i)
		assert.Equal(t, want == "", r.Days[i].OK(), "day %d", i)
	}
	assert.InDelta(t, 1+12+14, r.Days[9].Shape, 1e-12)
	assert.InDelta(t, 1/(0.2+(0.6*10+0.35*10)/0.95+0.6*12+0.35*10+0.05*10), r.Days[9].Scale, 1e-15)

	// Allowing no missing weight, the window of days 8–9 has no estimate.
	r, err = EstimateRt(cases, si, &RtOptions{Window: 2, MissingWeight: -1})
	require.NoError(t, err)
	assert.Equal(t, noteInfector, r.Days[9].Note)
	assert.True(t, r.Days[10].OK())

	// A missing imported day counts like a missing local day in Λ, but not in
	// the numerator.
	imp := Daily{Start: day0, Values: make([]float64, len(v))}
	imp.Values[2] = math.NaN()
	full := Daily{Start: day0, Values: []float64{10, 10, 10, 10, 10, 10, 10, 10}}
	r, err = EstimateRt(full, si, &RtOptions{Window: 2, Imported: &imp})
	require.NoError(t, err)
	assert.True(t, r.Days[2].OK(), r.Days[2].Note)
	assert.Equal(t, noteInfector, r.Days[3].Note)
	assert.Equal(t, noteInfector, r.Days[4].Note)
	assert.True(t, r.Days[6].OK())
}

// With a growth rate r, I_t = I_0·e^{rt} solves the renewal equation for
// R = 1/Σ_k w_k e^{−rk} (Wallinga and Lipsitch 2007, Proc R Soc B 274:599):
// once the serial interval lies inside the series, the estimate is that R.
func TestRtGeometricGrowth(t *testing.T) {
	si, err := ParseSerialInterval("gamma:3.3,2.2")
	require.NoError(t, err)
	K := len(si.W) - 1 // days after which Λ no longer misses earlier days
	for _, growth := range []float64{0.15, 0.05, 0, -0.08} {
		m := 0.0
		for k, w := range si.W {
			m += w * math.Exp(-growth*float64(k))
		}
		want := 1 / m
		n := K + 30
		v := make([]float64, n)
		for i := range v {
			v[i] = 1e9 * math.Exp(growth*float64(i)) // large: the prior weighs nothing
		}
		r, err := EstimateRt(Daily{Start: day0, Values: v}, si, nil)
		require.NoError(t, err)
		for tt := K + DefaultRtWindow; tt < n; tt++ {
			assert.InEpsilon(t, want, r.Days[tt].Mean, 1e-6, "r = %v day %d", growth, tt)
			assert.InEpsilon(t, want, r.Days[tt].Median, 1e-6, "r = %v day %d", growth, tt)
		}
		// Before that, Λ lacks the days before the series and R is overestimated.
		if growth != 0 {
			assert.Greater(t, r.Days[DefaultRtWindow].Mean, want*1.01)
		}
	}
	// The values for this serial interval (a check on the sign of r):
	// growth → R > 1, decline → R < 1, and for gamma the continuous analogue
	// (1 + rθ)^α is close (the discretized mean is 3.42 d, not 3.3 d).
	g := func(r float64) float64 { return math.Pow(1+r*2.2*2.2/3.3, 3.3*3.3/(2.2*2.2)) }
	m := 0.0
	for k, w := range si.W {
		m += w * math.Exp(-0.15*float64(k))
	}
	assert.InEpsilon(t, g(0.15), 1/m, 0.05)
}

func TestRtErrors(t *testing.T) {
	si := handSI(t)
	ok := Daily{Start: day0, Values: []float64{1, 2, 3, 4, 5, 6, 7, 8}}
	short := Daily{Start: day0, Values: []float64{1, 2, 3}}
	for _, c := range []struct {
		name  string
		cases Daily
		si    SerialInterval
		opts  *RtOptions
		want  string
	}{
		{"empty", Daily{Start: day0}, si, nil, "a series of 0 days is too short"},
		{"short", short, si, nil, "a series of 3 days is too short for a window of 7 days (want at least 8 days)"},
		{"window = length", ok, si, &RtOptions{Window: 8}, "too short for a window of 8 days"},
		{"window", ok, si, &RtOptions{Window: -1}, "window of -1 days"},
		{"shape", ok, si, &RtOptions{PriorShape: -1}, "prior shape -1"},
		{"scale", ok, si, &RtOptions{PriorScale: math.Inf(1)}, "prior scale +Inf"},
		{"scale NaN", ok, si, &RtOptions{PriorScale: math.NaN()}, "prior scale NaN"},
		{"probs 0", ok, si, &RtOptions{Probs: []float64{0}}, "quantile level 0"},
		{"probs 1.5", ok, si, &RtOptions{Probs: []float64{0.5, 1.5}}, "quantile level 1.5"},
		{"missing weight", ok, si, &RtOptions{MissingWeight: 1}, "missing weight 1"},
		{"negative", Daily{Start: day0, Values: []float64{1, 2, -3, 4, 5, 6, 7, 8}}, si, nil, "cases on 2022-10-03: -3"},
		{"infinite", Daily{Start: day0, Values: []float64{1, 2, 3, 4, 5, 6, 7, math.Inf(1)}}, si, nil, "cases on 2022-10-08: +Inf"},
		{"no serial interval", ok, SerialInterval{}, nil, "serial interval: no weights"},
		{"bad serial interval", ok, SerialInterval{W: []float64{0, 0.5}}, nil, "add up to 0.5"},
		{"same-day weight", ok, SerialInterval{W: []float64{0.5, 0.5}}, nil, "W[0] = 0.5"},
		{"imported short", ok, si, &RtOptions{Imported: &short}, "the imported series (2022-10-01 to 2022-10-03) does not cover the cases (2022-10-01 to 2022-10-08)"},
		{"imported late", ok, si, &RtOptions{Imported: &Daily{Start: day0.AddDate(0, 0, 1), Values: make([]float64, 20)}}, "does not cover"},
		{"imported empty", ok, si, &RtOptions{Imported: &Daily{}}, "imported series (no days)"},
		{"imported negative", ok, si, &RtOptions{Imported: &Daily{Start: day0, Values: []float64{0, 0, 0, 0, 0, 0, 0, -1}}}, "imported cases on 2022-10-08: -1"},
	} {
		r, err := EstimateRt(c.cases, c.si, c.opts)
		assert.Nil(t, r, c.name)
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
	r, err := EstimateRt(ok, si, nil)
	require.NoError(t, err)
	_, _, err = r.Interval(0.8)
	assert.ErrorContains(t, err, "level 0.8 were not computed")
	assert.True(t, math.IsNaN(r.Days[7].Quantile(1)))
	assert.True(t, math.IsNaN(r.Days[0].Quantile(0.5)), "no estimate")
}

func TestRtSlice(t *testing.T) {
	cases := Daily{Start: day0, Values: []float64{10, 4, 6, 0, 8, 3}}
	r, err := EstimateRt(cases, handSI(t), &RtOptions{Window: 3})
	require.NoError(t, err)
	s := r.Slice(day0.AddDate(0, 0, 2), day0.AddDate(0, 0, 4))
	require.Len(t, s.Days, 3)
	assert.Equal(t, r.Days[2:5], s.Days)
	assert.Len(t, r.Slice(time.Time{}, time.Time{}).Days, 6)
	assert.Empty(t, r.Slice(day0.AddDate(0, 1, 0), time.Time{}).Days)
	assert.Len(t, r.Slice(day0.AddDate(0, 0, -9), day0.AddDate(0, 0, 1)).Days, 2)
}

func TestRenderRt(t *testing.T) {
	si := handSI(t)
	v := []float64{3, 5, 8, 12, 20, 25, 30, math.NaN(), 30, 28, 25, 20, 16, 14, 12, 10, 9, 8}
	imp := Daily{Start: day0, Values: make([]float64, len(v))}
	imp.Values[0] = 4
	r, err := EstimateRt(Daily{Start: day0, Values: v}, si, &RtOptions{Window: 3, Imported: &imp})
	require.NoError(t, err)
	svg, err := RenderRt(r, "Rt test", "svg")
	require.NoError(t, err)
	s := string(svg)
	assert.True(t, strings.HasPrefix(s, "<?xml") && strings.Contains(s, "<svg"))
	for _, want := range []string{"Rt test", "reproduction number", "cases per day", "95% interval", "imported cases", "Oct"} {
		assert.Contains(t, s, want)
	}
	png, err := RenderRt(r, "", "png")
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")))

	_, err = RenderRt(r, "", "bmp")
	assert.ErrorContains(t, err, "unsupported format")
	_, err = RenderRt(r.Slice(day0.AddDate(1, 0, 0), time.Time{}), "", "svg")
	assert.ErrorContains(t, err, "no days to plot")
	// Without any estimate (all days before the first window), a figure of
	// the cases alone.
	_, err = RenderRt(r.Slice(time.Time{}, day0.AddDate(0, 0, 2)), "", "svg")
	assert.NoError(t, err)
}

// BenchmarkEstimateRt estimates a year of daily counts with the default
// window and a gamma serial interval of 37 days.
func BenchmarkEstimateRt(b *testing.B) {
	si, err := ParseSerialInterval("gamma:3.3,2.2")
	require.NoError(b, err)
	v := make([]float64, 365)
	for i := range v {
		v[i] = 100 + 50*math.Sin(float64(i)/20)
	}
	cases := Daily{Start: day0, Values: v}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EstimateRt(cases, si, nil); err != nil {
			b.Fatal(err)
		}
	}
}
