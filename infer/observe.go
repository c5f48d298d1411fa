package infer

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Likelihood names the distribution of an observed daily count around its
// expected value.
type Likelihood string

// The likelihoods of an [Observation].
const (
	// Poisson: the count is Poisson with mean μ.
	Poisson Likelihood = "poisson"
	// NegBin: the count is negative binomial with mean μ and size k (variance
	// μ + μ²/k), the Poisson's limit as k grows.
	NegBin Likelihood = "negbin"
)

// Observation is how the model's cases become the counts of a data series: on
// data day i, the expected count is
//
//	μ_i = Rho · Σ_k Delay[k] · m[t_i − k] + Background
//
// where m is the sum of the model's daily Series (cases by day of
// notification) and t_i the model's day of data day i (see [Alignment]); the
// count is Poisson or negative binomial around μ_i. A missing day (NaN) adds
// nothing to the likelihood.
type Observation struct {
	// Series names the model's daily series that are observed, summed:
	// "detections" (everyone found positive, by day of notification; the
	// default), or by route ("detections_symptomatic", "detections_mass",
	// "detections_quarantine"…), or by place ("detections_community",
	// "detections_in_control").
	Series []string
	// Delay is the reporting delay in whole days: Delay[k] is the share of a
	// day's cases that are counted k days later. Nil means {1}: counted on the
	// day they are found, as the Fujian counts are (dated by the day found,
	// published the next morning). The shares must sum to 1.
	Delay []float64
	// Rho is the share of the model's cases that the data count, in (0, 1]; 0
	// means 1.
	Rho float64
	// Background is the expected number of counted cases a day that the model
	// does not make (sporadic cases elsewhere in a province), ≥ 0.
	Background float64
	// Likelihood is Poisson (the default, "") or NegBin.
	Likelihood Likelihood
	// Dispersion is the size k of the negative binomial; 0 means that k is
	// fitted: each evaluation of the likelihood takes the k that maximizes it
	// (a profile likelihood over k, searched from MinDispersion to
	// MaxDispersion).
	Dispersion float64
}

// Bounds of a fitted dispersion.
const (
	MinDispersion = 0.1
	MaxDispersion = 1e4
)

// MinExpected is the smallest expected count: a day on which the model
// expects nothing but the data count something has the likelihood of an
// expected count of MinExpected, very small but not zero, so that the search
// can move away from it.
const MinExpected = 1e-3

// DefaultSeries is the model series observed when an Observation names none.
const DefaultSeries = "detections"

// rho returns Rho, 0 meaning 1.
func (o *Observation) rho() float64 {
	if o.Rho == 0 {
		return 1
	}
	return o.Rho
}

// series returns the observed series.
func (o *Observation) series() []string {
	if len(o.Series) == 0 {
		return []string{DefaultSeries}
	}
	return o.Series
}

// delay returns the delay distribution.
func (o *Observation) delay() []float64 {
	if len(o.Delay) == 0 {
		return []float64{1}
	}
	return o.Delay
}

// Validate checks the observation model.
func (o *Observation) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, s := range o.Series {
		if s == "" {
			bad("observation: an empty series name")
		}
	}
	sum := 0.0
	for k, p := range o.Delay {
		if !(p >= 0 && p <= 1) {
			bad("observation: delay[%d] must be a share in [0, 1], got %v", k, p)
		}
		sum += p
	}
	if len(o.Delay) > 0 && math.Abs(sum-1) > 1e-9 {
		bad("observation: the delay shares must sum to 1, got %v", sum)
	}
	if !(o.Rho >= 0 && o.Rho <= 1) {
		bad("observation: rho must be in (0, 1], got %v", o.Rho)
	}
	if !(o.Background >= 0) || math.IsInf(o.Background, 0) {
		bad("observation: background must be a finite number ≥ 0, got %v", o.Background)
	}
	switch o.Likelihood {
	case "", Poisson, NegBin:
	default:
		bad("observation: likelihood must be %q or %q, got %q", Poisson, NegBin, o.Likelihood)
	}
	if o.Dispersion != 0 && !(o.Dispersion >= MinDispersion && o.Dispersion <= MaxDispersion) {
		bad("observation: dispersion must be from %v to %v (0: fitted), got %v", MinDispersion, MaxDispersion, o.Dispersion)
	}
	return errors.Join(errs...)
}

// Observed returns the observed model curve of a run: the sum of the
// observation's series by model day, and an error naming a series the run does
// not have.
func (o *Observation) Observed(get func(name string) []float64) ([]float64, error) {
	var out []float64
	for _, name := range o.series() {
		v := get(name)
		if v == nil {
			return nil, fmt.Errorf("the model has no series %q (the strategy may not have the measure that records it)", name)
		}
		for len(out) < len(v) {
			out = append(out, 0)
		}
		for d, x := range v {
			out[d] += x
		}
	}
	return out, nil
}

// Expected returns the expected counts μ_i of the n data days whose model days
// are offset, offset+1, …, from the model curve m (days of m before 0 or past
// its end count 0).
func (o *Observation) Expected(m []float64, offset, n int) []float64 {
	delay := o.delay()
	rho := o.rho()
	mu := make([]float64, n)
	for i := range mu {
		t := offset + i
		x := 0.0
		for k, p := range delay {
			if d := t - k; d >= 0 && d < len(m) {
				x += p * m[d]
			}
		}
		mu[i] = rho*x + o.Background
	}
	return mu
}

// PoissonLogProb is the log probability of count y under a Poisson of mean mu:
// y log μ − μ − log y!.
func PoissonLogProb(y, mu float64) float64 {
	if mu == 0 {
		if y == 0 {
			return 0
		}
		return math.Inf(-1)
	}
	lg, _ := math.Lgamma(y + 1)
	return y*math.Log(mu) - mu - lg
}

// NegBinLogProb is the log probability of count y under a negative binomial of
// mean mu and size k:
// log Γ(y+k) − log Γ(k) − log y! + k log(k/(k+μ)) + y log(μ/(k+μ)).
func NegBinLogProb(y, mu, k float64) float64 {
	if mu == 0 {
		if y == 0 {
			return 0
		}
		return math.Inf(-1)
	}
	a, _ := math.Lgamma(y + k)
	b, _ := math.Lgamma(k)
	c, _ := math.Lgamma(y + 1)
	// log(k/(k+μ)) and log(μ/(k+μ)), accurate when μ ≪ k.
	return a - b - c - k*math.Log1p(mu/k) + y*(math.Log(mu)-math.Log(k+mu))
}

// LogLik returns the log-likelihood of the counts y given their expected
// values mu (each at least [MinExpected]), skipping missing days (NaN), and the
// negative binomial's size k it used (the given one, or the one that
// maximizes the likelihood; NaN for Poisson).
func (o *Observation) LogLik(y, mu []float64) (ll, k float64) {
	if o.Likelihood != NegBin {
		for i, x := range y {
			if !math.IsNaN(x) {
				ll += PoissonLogProb(x, math.Max(mu[i], MinExpected))
			}
		}
		return ll, math.NaN()
	}
	at := func(k float64) float64 {
		s := 0.0
		for i, x := range y {
			if !math.IsNaN(x) {
				s += NegBinLogProb(x, math.Max(mu[i], MinExpected), k)
			}
		}
		return s
	}
	if o.Dispersion > 0 {
		return at(o.Dispersion), o.Dispersion
	}
	k = maximize1D(func(lk float64) float64 { return at(math.Exp(lk)) }, math.Log(MinDispersion), math.Log(MaxDispersion))
	return at(math.Exp(k)), math.Exp(k)
}

// LogLikMix returns the log of the mean over curves of the likelihood of the
// counts y given each curve's expected values,
//
//	log (1/R) Σ_r Π_i p(y_i | mus[r][i]),
//
// the likelihood of data that are one of R equally likely realizations, and
// the negative binomial's size k it used (as for [Observation.LogLik]: the
// given one, or the one that maximizes this likelihood; NaN for Poisson).
func (o *Observation) LogLikMix(y []float64, mus [][]float64) (ll, k float64) {
	at := func(k float64) float64 {
		lls := make([]float64, len(mus))
		for r, mu := range mus {
			s := 0.0
			for i, x := range y {
				if math.IsNaN(x) {
					continue
				}
				m := math.Max(mu[i], MinExpected)
				if o.Likelihood == NegBin {
					s += NegBinLogProb(x, m, k)
				} else {
					s += PoissonLogProb(x, m)
				}
			}
			lls[r] = s
		}
		return logMeanExp(lls)
	}
	switch {
	case o.Likelihood != NegBin:
		return at(0), math.NaN()
	case o.Dispersion > 0:
		return at(o.Dispersion), o.Dispersion
	}
	lk := maximize1D(func(lk float64) float64 { return at(math.Exp(lk)) }, math.Log(MinDispersion), math.Log(MaxDispersion))
	return at(math.Exp(lk)), math.Exp(lk)
}

// logMeanExp returns log((1/n) Σ exp(v_i)) without overflow.
func logMeanExp(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	if math.IsInf(m, 0) {
		return m
	}
	s := 0.0
	for _, x := range v {
		s += math.Exp(x - m)
	}
	return m + math.Log(s/float64(len(v)))
}

// maximize1D returns the point of [lo, hi] where f is largest, by a coarse
// grid followed by a golden-section search around its best point (f need not
// be unimodal over the whole range).
func maximize1D(f func(float64) float64, lo, hi float64) float64 {
	const grid = 24
	best, bestF := lo, math.Inf(-1)
	step := (hi - lo) / grid
	for i := 0; i <= grid; i++ {
		x := lo + float64(i)*step
		if v := f(x); v > bestF {
			best, bestF = x, v
		}
	}
	a, b := math.Max(lo, best-step), math.Min(hi, best+step)
	g := (math.Sqrt(5) - 1) / 2
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := f(c), f(d)
	for i := 0; i < 60 && b-a > 1e-6; i++ {
		if fc > fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = f(d)
		}
	}
	if x := (a + b) / 2; f(x) >= bestF {
		return x
	}
	return best
}

// Draw returns a count drawn from the observation's distribution around mu
// (size k for the negative binomial, drawn as a Poisson of gamma-distributed
// mean), from src.
func (o *Observation) Draw(mu, k float64, src rand.Source) float64 {
	mu = math.Max(mu, 0)
	if mu == 0 {
		return 0
	}
	if o.Likelihood == NegBin {
		mu = distuv.Gamma{Alpha: k, Beta: k / mu, Src: src}.Rand()
		if mu == 0 {
			return 0
		}
	}
	return distuv.Poisson{Lambda: mu, Src: src}.Rand()
}

// Alignment places a data series on the model's clock: data day i is model day
// Offset+i, counted from the scenario's start date.
type Alignment struct {
	Offset int // the model day of the data's first day
	Days   int // the number of data days
}

// Align places data on the clock of a scenario that starts on start and runs
// for horizon days: every data day must fall on a model day from 0 to
// horizon−1. Errors say which days fall outside.
func Align(data Daily, start time.Time, horizon int) (Alignment, error) {
	if data.Len() == 0 {
		return Alignment{}, errors.New("the data have no day")
	}
	off := int(math.Round(data.Start.Sub(start).Hours() / 24))
	a := Alignment{Offset: off, Days: data.Len()}
	last := off + data.Len() - 1
	var out []string
	if off < 0 {
		out = append(out, fmt.Sprintf("%s is before the scenario's day 0 (%s)", data.Start.Format(dateFmt), start.Format(dateFmt)))
	}
	if last >= horizon {
		out = append(out, fmt.Sprintf("%s is after the scenario's last day (%s, day %d of its horizon)",
			data.Date(data.Len()-1).Format(dateFmt), start.AddDate(0, 0, horizon-1).Format(dateFmt), horizon-1))
	}
	if len(out) > 0 {
		return a, fmt.Errorf("the data (%s to %s) do not fit in the scenario's days: %s",
			data.Start.Format(dateFmt), data.Date(data.Len()-1).Format(dateFmt), strings.Join(out, "; "))
	}
	return a, nil
}

const dateFmt = "2006-01-02"
