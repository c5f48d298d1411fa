package infer

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/sim"
)

func TestPoissonLogProb(t *testing.T) {
	// Against the closed form y log μ − μ − log y! and gonum's Poisson.
	assert.InDelta(t, 3*math.Log(2)-2-math.Log(6), PoissonLogProb(3, 2), 1e-12)
	for _, c := range []struct{ y, mu float64 }{{0, 0.5}, {1, 1}, {7, 3.2}, {150, 140}, {0, 30}} {
		assert.InDelta(t, distuv.Poisson{Lambda: c.mu}.LogProb(c.y), PoissonLogProb(c.y, c.mu), 1e-9, "%v", c)
	}
	assert.Equal(t, 0.0, PoissonLogProb(0, 0))
	assert.True(t, math.IsInf(PoissonLogProb(2, 0), -1))
}

func TestNegBinLogProb(t *testing.T) {
	// Closed forms: size 1 is the geometric distribution, P(y) = (1/(1+μ)) (μ/(1+μ))^y;
	// in general Γ(y+k)/(Γ(k) y!) (k/(k+μ))^k (μ/(k+μ))^y, with Γ computed directly.
	for _, c := range []struct{ y, mu float64 }{{0, 2}, {3, 2}, {10, 0.5}} {
		want := math.Log(1/(1+c.mu)) + c.y*math.Log(c.mu/(1+c.mu))
		assert.InDelta(t, want, NegBinLogProb(c.y, c.mu, 1), 1e-12, "%v", c)
	}
	for _, c := range []struct{ y, mu, k float64 }{{2, 3, 1.5}, {0, 4, 0.3}, {12, 7.5, 4}, {5, 20, 0.8}} {
		want := math.Gamma(c.y+c.k) / (math.Gamma(c.k) * math.Gamma(c.y+1)) *
			math.Pow(c.k/(c.k+c.mu), c.k) * math.Pow(c.mu/(c.k+c.mu), c.y)
		assert.InDelta(t, math.Log(want), NegBinLogProb(c.y, c.mu, c.k), 1e-10, "%v", c)
	}
	// Γ(3.5)/(Γ(1.5) 2!) (1/3)^1.5 (2/3)^2 = 1.875 × 0.19245… × 0.4444… by hand.
	assert.InDelta(t, math.Log(0.1603750747748960), NegBinLogProb(2, 3, 1.5), 1e-12)
	// The Poisson is the limit k → ∞.
	assert.InDelta(t, PoissonLogProb(9, 6), NegBinLogProb(9, 6, 1e6), 1e-5)
	// It is a distribution of mean μ and variance μ + μ²/k.
	for _, c := range []struct{ mu, k float64 }{{5, 0.5}, {40, 3}} {
		sum, mean, sq := 0.0, 0.0, 0.0
		for y := 0.0; y < 5000; y++ {
			p := math.Exp(NegBinLogProb(y, c.mu, c.k))
			sum += p
			mean += y * p
			sq += y * y * p
		}
		assert.InDelta(t, 1, sum, 1e-9)
		assert.InDelta(t, c.mu, mean, 1e-6)
		assert.InDelta(t, c.mu+c.mu*c.mu/c.k, sq-mean*mean, 1e-4)
	}
}

func TestExpected(t *testing.T) {
	// μ_i = ρ Σ_k delay_k m[t_i−k] + background, by hand: model days 1..4 with
	// half counted the same day and half the next.
	o := Observation{Delay: []float64{0.5, 0.5}, Rho: 0.5, Background: 1}
	require.NoError(t, o.Validate())
	m := []float64{0, 10, 20, 30}
	mu := o.Expected(m, 1, 4)
	assert.Equal(t, []float64{0.5*(5+0) + 1, 0.5*(10+5) + 1, 0.5*(15+10) + 1, 0.5*(0+15) + 1}, mu)
	// Defaults: all counted the same day, ρ = 1, nothing else.
	assert.Equal(t, []float64{0, 0, 10}, (&Observation{}).Expected(m, -1, 3), "data day 0 is model day -1")
}

func TestLogLikSkipsMissingDays(t *testing.T) {
	o := Observation{}
	y := []float64{3, math.NaN(), 0}
	mu := []float64{2, 100, 0}
	ll, k := o.LogLik(y, mu)
	assert.InDelta(t, PoissonLogProb(3, 2)+PoissonLogProb(0, MinExpected), ll, 1e-12)
	assert.True(t, math.IsNaN(k))
	o = Observation{Likelihood: NegBin, Dispersion: 2}
	ll, k = o.LogLik(y, mu)
	assert.InDelta(t, NegBinLogProb(3, 2, 2)+NegBinLogProb(0, MinExpected, 2), ll, 1e-12)
	assert.Equal(t, 2.0, k)
}

func TestDispersionIsFitted(t *testing.T) {
	// 3,000 counts drawn from a negative binomial of size 2 around means from
	// 5 to 200: the profile likelihood's k is within 10% of 2 (its standard
	// error is about 3% here), and the counts drawn around the same means with
	// the Poisson give a very large k.
	o := Observation{Likelihood: NegBin}
	src := sim.NewStream(5).Source()
	var y, mu []float64
	for i := 0; i < 3000; i++ {
		m := 5 + float64(i%40)*5
		mu = append(mu, m)
		y = append(y, o.Draw(m, 2, src))
	}
	_, k := o.LogLik(y, mu)
	assert.InDelta(t, 2, k, 0.2)
	p := Observation{}
	for i := range y {
		y[i] = p.Draw(mu[i], 0, src)
	}
	_, k = o.LogLik(y, mu)
	assert.Greater(t, k, 200.0)
}

func TestDraw(t *testing.T) {
	// Draws have the mean and variance of their distribution (20,000 draws: the
	// standard error of the mean is below 1% here).
	src := sim.NewStream(9).Source()
	for _, c := range []struct {
		o     Observation
		mu, k float64
		vari  float64
	}{
		{Observation{}, 12, 0, 12},
		{Observation{Likelihood: NegBin}, 12, 1.5, 12 + 144/1.5},
	} {
		n := 20000.0
		s, sq := 0.0, 0.0
		for i := 0; i < int(n); i++ {
			x := c.o.Draw(c.mu, c.k, src)
			require.Equal(t, math.Floor(x), x)
			s += x
			sq += x * x
		}
		mean := s / n
		assert.InDelta(t, c.mu, mean, 0.03*c.mu)
		assert.InDelta(t, c.vari, sq/n-mean*mean, 0.06*c.vari)
	}
}

func TestObservationErrors(t *testing.T) {
	for _, c := range []struct {
		o    Observation
		want string
	}{
		{Observation{Delay: []float64{0.5, 0.4}}, "sum to 1"},
		{Observation{Delay: []float64{-0.5, 1.5}}, "delay[0]"},
		{Observation{Rho: 1.5}, "rho"},
		{Observation{Background: -1}, "background"},
		{Observation{Likelihood: "gauss"}, `likelihood must be "poisson" or "negbin", got "gauss"`},
		{Observation{Likelihood: NegBin, Dispersion: 0.01}, "dispersion"},
		{Observation{Series: []string{""}}, "empty series"},
	} {
		err := c.o.Validate()
		if assert.Error(t, err) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
}

func TestAlign(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(dateFmt, s); return d }
	data := Daily{Start: day("2022-10-05"), Values: make([]float64, 10)}
	a, err := Align(data, day("2022-10-01"), 30)
	require.NoError(t, err)
	assert.Equal(t, Alignment{Offset: 4, Days: 10}, a)
	_, err = Align(data, day("2022-10-06"), 30)
	assert.ErrorContains(t, err, "2022-10-05 is before the scenario's day 0 (2022-10-06)")
	_, err = Align(data, day("2022-10-01"), 13)
	assert.ErrorContains(t, err, "2022-10-14 is after the scenario's last day (2022-10-13, day 12 of its horizon)")
}

func TestLogLikMix(t *testing.T) {
	// One curve: the plain likelihood. Two: log of the mean of the two
	// likelihoods, by hand.
	y := []float64{3, math.NaN(), 5}
	a, b := []float64{2, 9, 4}, []float64{6, 1, 1}
	o := Observation{}
	la, _ := o.LogLik(y, a)
	lb, _ := o.LogLik(y, b)
	one, _ := o.LogLikMix(y, [][]float64{a})
	assert.InDelta(t, la, one, 1e-12)
	two, _ := o.LogLikMix(y, [][]float64{a, b})
	assert.InDelta(t, math.Log((math.Exp(la)+math.Exp(lb))/2), two, 1e-12)
	// Far apart, without overflow: the best curve less log 2.
	far := [][]float64{{3000, 1, 5000}, {1, 1, 1}}
	ll, _ := o.LogLikMix([]float64{3000, math.NaN(), 5000}, far)
	best, _ := o.LogLik([]float64{3000, math.NaN(), 5000}, far[0])
	assert.InDelta(t, best-math.Ln2, ll, 1e-9)
	// The negative binomial with a given size.
	o = Observation{Likelihood: NegBin, Dispersion: 3}
	la, _ = o.LogLik(y, a)
	lb, _ = o.LogLik(y, b)
	two, k := o.LogLikMix(y, [][]float64{a, b})
	assert.InDelta(t, math.Log((math.Exp(la)+math.Exp(lb))/2), two, 1e-12)
	assert.Equal(t, 3.0, k)
}
