package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestDistMoments(t *testing.T) {
	// The sample mean of n = 200,000 draws is within 4 standard errors of the
	// family's mean; for every family here sd/mean ≤ 1, so 4·sd/√n ≤ 0.9% of the mean.
	const n = 200000
	for _, c := range []struct {
		d        Dist
		mean, sd float64
	}{
		{FixedDist(2.5), 2.5, 0},
		{ExponentialDist(3), 3, 3},
		{GammaDist(3.8, 2.1), 3.8, 2.1},
		{LogNormalDist(3.8, 2.1), 3.8, 2.1},
		{WeibullDist(2, 4), 4 * math.Gamma(1.5), 4 * math.Sqrt(math.Gamma(2)-math.Gamma(1.5)*math.Gamma(1.5))},
		{UniformDist(1, 3), 2, 2 / math.Sqrt(12)},
		{EmpiricalDist([]float64{1, 2, 3}, []float64{0.2, 0.5, 0.3}), 2.1, math.Sqrt(0.2*1.21 + 0.5*0.01 + 0.3*0.81)},
	} {
		t.Run(c.d.String(), func(t *testing.T) {
			require.NoError(t, c.d.Validate())
			assert.InDelta(t, c.mean, c.d.Mean(), 1e-9)
			src := NewStream(1).Named(c.d.String()).Source()
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = c.d.Sample(src)
			}
			se := c.sd / math.Sqrt(n)
			assert.InDelta(t, c.mean, stat.Mean(xs, nil), 4*se+1e-12)
			assert.InDelta(t, c.sd, stat.StdDev(xs, nil), 0.02*c.sd+1e-12)

			// The gonum sampler draws from the same distribution.
			s, err := c.d.Sampler(NewStream(2).Source())
			require.NoError(t, err)
			for i := range xs {
				xs[i] = s.Rand()
			}
			assert.InDelta(t, c.mean, stat.Mean(xs, nil), 4*se+1e-12)
		})
	}
}

func TestDistNilSource(t *testing.T) {
	_, err := GammaDist(2, 1).Sampler(nil)
	require.ErrorContains(t, err, "nil source")
	_, err = NewEmpirical([]float64{1}, nil, nil)
	require.ErrorContains(t, err, "nil source")
	assert.Panics(t, func() { GammaDist(2, 1).Sample(nil) })
	assert.Panics(t, func() { NegBinomial{Mean: 1, K: 1}.Rand() })
}

func TestParseDist(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Dist
	}{
		{"fixed(2)", FixedDist(2)},
		{"2", FixedDist(2)},
		{"fixed(value=2)", FixedDist(2)},
		{"exponential(mean=5)", ExponentialDist(5)},
		{"exp(rate=0.25)", ExponentialDist(4)},
		{"gamma(mean=3.8, sd=2.1)", GammaDist(3.8, 2.1)},
		{"Gamma( shape=2 , scale=1.5 )", Dist{Family: FamilyGamma, P1: 2, P2: 1.5}},
		{"gamma(shape=2, rate=0.5)", Dist{Family: FamilyGamma, P1: 2, P2: 2}},
		{"lognormal(mu=1, sigma=0.5)", Dist{Family: FamilyLogNormal, P1: 1, P2: 0.5}},
		{"lognormal(mean=3.8, sd=2.1)", LogNormalDist(3.8, 2.1)},
		{"weibull(shape=1.5, scale=4)", WeibullDist(1.5, 4)},
		{"uniform(lo=1, hi=3)", UniformDist(1, 3)},
		{"uniform(1, 3)", UniformDist(1, 3)},
		{"empirical(1:0.2, 2:0.5, 3:0.3)", EmpiricalDist([]float64{1, 2, 3}, []float64{0.2, 0.5, 0.3})},
		{"empirical(1, 2, 3)", EmpiricalDist([]float64{1, 2, 3}, nil)},
	} {
		got, err := ParseDist(c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.want, got, c.in)
		// String writes what ParseDist reads.
		back, err := ParseDist(got.String())
		require.NoError(t, err, got.String())
		assert.InDelta(t, got.Mean(), back.Mean(), 1e-12, got.String())
	}
}

func TestParseDistErrors(t *testing.T) {
	for _, c := range []struct{ in, msg string }{
		{"", "want family(parameters)"},
		{"gamma", "want family(parameters)"},
		{"poisson(mean=2)", `unknown family "poisson"`},
		{"gamma(mean=3)", "wrong parameters: want gamma(mean=…, sd=…)"},
		{"gamma(mean=3, sd=x)", `parameter "x" is not a number`},
		{"gamma(mean=3, mean=4)", `"mean" given twice`},
		{"gamma(mean=-3, sd=1)", "mean must be positive"},
		{"gamma(shape=-3, scale=1)", "gamma: shape must be positive"},
		{"exponential(mean=0)", "mean must be positive"},
		{"uniform(lo=3, hi=1)", "hi must be finite and ≥ lo"},
		{"lognormal(mu=1, sigma=0)", "sigma must be positive"},
		{"empirical()", "no values"},
		{"empirical(1:1, 2)", "a weight for every value or for none"},
		{"empirical(1:-1, 2:1)", "weight 0 is -1"},
		{"empirical(1:0, 2:0)", "all weights are zero"},
		{"fixed(NaN)", "value must be finite"},
		{"NaN", "value must be finite"},
	} {
		_, err := ParseDist(c.in)
		require.Error(t, err, c.in)
		assert.Contains(t, err.Error(), c.msg, c.in)
		assert.Contains(t, err.Error(), `"`+c.in+`"`, "the error quotes the text")
	}
}

func TestNegBinomial(t *testing.T) {
	// Offspring with R = 2.5 and k = 0.16 (super-spreading): the sample mean, the
	// variance R(1 + R/k) and the frequency of zero match the formulas. The pmf
	// sums to 1.
	d := NegBinomial{Mean: 2.5, K: 0.16, Src: NewStream(11).Source()}
	const n = 400000
	xs := make([]float64, n)
	zeros := 0
	for i := range xs {
		xs[i] = d.Rand()
		require.Equal(t, math.Floor(xs[i]), xs[i])
		if xs[i] == 0 {
			zeros++
		}
	}
	// sd = √(2.5·(1+15.6)) ≈ 6.4; se of the mean ≈ 0.010: allow 4 se.
	assert.InDelta(t, 2.5, stat.Mean(xs, nil), 0.041)
	// The variance of a heavy-tailed count converges slowly: allow 5%.
	assert.InEpsilon(t, d.Variance(), stat.Variance(xs, nil), 0.05)
	p0 := d.Prob(0)
	assert.InDelta(t, math.Pow(0.16/(0.16+2.5), 0.16), p0, 1e-12)
	// se of a frequency near 0.64 with n = 400,000 is 0.00076: allow 4 se.
	assert.InDelta(t, p0, float64(zeros)/n, 0.003)
	sum := 0.0
	for x := 0.0; x < 5000; x++ {
		sum += d.Prob(x)
	}
	assert.InDelta(t, 1, sum, 1e-6)

	pois := NegBinomial{Mean: 3, K: math.Inf(1), Src: rand.NewPCG(1, 2)}
	assert.InDelta(t, math.Exp(-3), pois.Prob(0), 1e-12, "K = +Inf is Poisson")
	assert.InDelta(t, 3, pois.Variance(), 1e-12)
}

func TestDistText(t *testing.T) {
	var d Dist
	require.NoError(t, d.UnmarshalText([]byte("gamma(mean=4, sd=2)")))
	assert.Equal(t, GammaDist(4, 2), d)
	b, err := d.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "gamma(shape=4, scale=1)", string(b))
	assert.Error(t, (&d).UnmarshalText([]byte("gamma(4)")))
	assert.Error(t, Dist{}.Validate(), "the zero Dist is invalid")
	assert.True(t, math.IsNaN(Dist{}.Mean()))
}

func TestGammaSmallShape(t *testing.T) {
	// Shapes below 1 take Marsaglia and Tsang's boost: mean k·θ and variance k·θ².
	for _, k := range []float64{0.16, 0.5, 0.9} {
		d := Dist{Family: FamilyGamma, P1: k, P2: 2}
		src := NewStream(12).Source()
		const n = 400000
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = d.Sample(src)
		}
		// The standard error of the mean is √(k·4/n) ≤ 0.0032: allow 4 of them.
		assert.InDelta(t, 2*k, stat.Mean(xs, nil), 4*math.Sqrt(4*k/n))
		assert.InEpsilon(t, 4*k, stat.Variance(xs, nil), 0.05)
	}
}

func TestDistQuantile(t *testing.T) {
	// Each family's quantile, against its closed form or its definition.
	cases := []struct {
		d    Dist
		p    float64
		want float64
	}{
		{FixedDist(2), 0.3, 2},
		{ExponentialDist(2), 0.5, 2 * math.Ln2},                          // −mean·ln(1−p)
		{Dist{Family: FamilyGamma, P1: 1, P2: 3}, 0.75, 3 * math.Log(4)}, // shape 1: exponential of mean 3
		{Dist{Family: FamilyLogNormal, P1: 1, P2: 0.5}, 0.5, math.E},     // median e^mu
		{WeibullDist(2, 3), 0.5, 3 * math.Sqrt(math.Ln2)},                // scale·(−ln(1−p))^(1/shape)
		{UniformDist(1, 3), 0.25, 1.5},
		{EmpiricalDist([]float64{3, 1, 2}, []float64{0.5, 0.2, 0.3}), 0.19, 1},
		{EmpiricalDist([]float64{3, 1, 2}, []float64{0.5, 0.2, 0.3}), 0.21, 2},
		{EmpiricalDist([]float64{3, 1, 2}, []float64{0.5, 0.2, 0.3}), 0.6, 3},
	}
	for _, c := range cases {
		assert.InDelta(t, c.want, c.d.Quantile(c.p), 1e-9, "%v at %v", c.d, c.p)
	}
	assert.Panics(t, func() { FixedDist(1).Quantile(1) })
}

func TestSkewNormal(t *testing.T) {
	// For location 0, P(X < 0) = 1/2 − arctan(α)/π (Azzalini 1985): the shapes
	// Hellewell et al. 2020 used for <1%, 15% and 30% of transmission before
	// onset (ω = 2) give 0.0106, 0.1509, 0.3056. Moments: mean ξ + ωδ√(2/π), variance
	// ω²(1 − 2δ²/π), δ = α/√(1+α²). 200,000 draws: standard error of the share
	// ≤ 0.0011, of the mean ≤ 0.005·ω; tolerances 4 standard errors.
	for _, alpha := range []float64{30, 1.95, 0.7, -2} {
		d := SkewNormalDist(0, 2, alpha)
		require.NoError(t, d.Validate())
		want := 0.5 - math.Atan(alpha)/math.Pi
		assert.InDelta(t, want, skewNormalCDF(0, 2, alpha, 0), 1e-6, "distribution function at 0, α %v", alpha)
		assert.InDelta(t, 0, d.Quantile(want), 1e-6, "quantile, α %v", alpha)
		src := rand.NewPCG(1, uint64(alpha*100))
		const n = 200_000
		xs := make([]float64, n)
		below := 0.0
		for i := range xs {
			xs[i] = d.Sample(src)
			if xs[i] < 0 {
				below++
			}
		}
		delta := alpha / math.Sqrt(1+alpha*alpha)
		mean, sd := d.Mean(), 2*math.Sqrt(1-2*delta*delta/math.Pi)
		assert.InDelta(t, 2*delta*math.Sqrt(2/math.Pi), mean, 1e-12)
		assert.InDelta(t, want, below/n, 4*math.Sqrt(want*(1-want)/n), "share below 0, α %v", alpha)
		assert.InDelta(t, mean, stat.Mean(xs, nil), 4*sd/math.Sqrt(n), "mean, α %v", alpha)
		assert.InDelta(t, sd, stat.StdDev(xs, nil), 0.01*sd, "sd, α %v", alpha)
	}
	// Text round trip, and errors.
	d, err := ParseDist("skewnormal(location=-1, scale=2, shape=1.95)")
	require.NoError(t, err)
	assert.Equal(t, SkewNormalDist(-1, 2, 1.95), d)
	d2, err := ParseDist(d.String())
	require.NoError(t, err)
	assert.Equal(t, d, d2)
	for _, bad := range []string{"skewnormal(location=0, scale=0, shape=1)", "skewnormal(location=0, scale=2)", "skewnormal(0, 2, 1)"} {
		_, err := ParseDist(bad)
		assert.Error(t, err, bad)
	}
}

func TestEmpiricalDrawsTheFirstValueItsDrawReaches(t *testing.T) {
	// Short tables are scanned and long ones searched: both give the first
	// value whose cumulative weight reaches the uniform draw, never a value
	// of weight 0 (first, inside, last), for the same source.
	for _, n := range []int{1, 3, 16, 17, 40} {
		values := make([]float64, n)
		weights := make([]float64, n)
		for i := range values {
			values[i] = float64(i)
			weights[i] = float64(1 + i%3)
			if i%4 == 0 && n > 1 {
				weights[i] = 0
			}
		}
		src := rand.NewPCG(uint64(n), 9)
		e, err := NewEmpirical(values, weights, src)
		require.NoError(t, err)
		ref := rand.New(rand.NewPCG(uint64(n), 9))
		total := 0.0
		for _, w := range weights {
			total += w
		}
		for k := 0; k < 2000; k++ {
			u := ref.Float64()
			want, acc := -1, 0.0
			for i, w := range weights {
				acc += w
				if w > 0 && acc/total >= u {
					want = i
					break
				}
			}
			if want < 0 { // rounding at the top: the last value of positive weight
				for i := n - 1; i >= 0; i-- {
					if weights[i] > 0 {
						want = i
						break
					}
				}
			}
			got := e.Rand()
			require.Equal(t, float64(want), got, "table of %d, draw %d (u = %v)", n, k, u)
			require.NotZero(t, weights[int(got)], "a value of weight 0 drawn")
		}
	}
}

// TestWeibullQuantileIsGonums checks that the Weibull draws of Dist.Sample are
// gonum's, bit for bit: its quantile of the same uniforms, over shapes below,
// at and above 1 and 2 and uniforms near 0 and 1.
func TestWeibullQuantileIsGonums(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	us := []float64{0, 1e-300, 1e-17, 0x1p-53, 0.5, 1 - 0x1p-53, 1 - 0x1p-40}
	for range 200_000 {
		us = append(us, r.Float64())
	}
	for _, shape := range []float64{0.16, 0.5, 0.999, 1, 1.0001, 1.2, 1.651524, 1.9999, 2, 2.0001, 2.322737, 3, 7.5, 40} {
		for _, u := range us {
			want := distuv.Weibull{K: shape, Lambda: 6.49}.Quantile(u)
			if got := weibullQuantile(u, shape, 6.49); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("shape %v, uniform %v: %v, gonum's %v", shape, u, got, want)
			}
		}
	}
	// And through Sample, from the same source state.
	d := WeibullDist(1.651524, 4.287786)
	a, b := rand.NewPCG(1, 2), rand.NewPCG(1, 2)
	for range 1000 {
		require.Equal(t, distuv.Weibull{K: d.P1, Lambda: d.P2, Src: a}.Rand(), d.Sample(b))
	}
}
