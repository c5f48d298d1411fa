package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Sampler draws random values. Every gonum distuv distribution is one, as are
// [Fixed], [NegBinomial] and [Empirical].
type Sampler interface {
	// Rand returns a random value.
	Rand() float64
}

// Fixed is a degenerate distribution: every draw is Value. It needs no source.
type Fixed struct {
	Value float64 // the value of every draw
}

// Rand returns Value.
func (f Fixed) Rand() float64 { return f.Value }

// Mean returns Value.
func (f Fixed) Mean() float64 { return f.Value }

// NegBinomial is the negative binomial distribution as a gamma–Poisson mixture:
// a draw is Poisson with a rate that is itself gamma distributed with mean Mean and
// shape K. It is the offspring distribution of a population whose individual
// reproduction numbers vary with dispersion K (Lloyd-Smith et al. 2005, Nature
// 438:355): small K means super-spreading; K = +Inf is the Poisson distribution.
type NegBinomial struct {
	Mean float64     // mean, ≥ 0
	K    float64     // dispersion (gamma shape), > 0; +Inf for Poisson
	Src  rand.Source // source of randomness; required
}

// Rand returns a random count. It panics if Src is nil.
func (d NegBinomial) Rand() float64 {
	if d.Src == nil {
		panic("sim: NegBinomial with a nil Src")
	}
	lambda := d.Mean
	if !math.IsInf(d.K, 1) {
		lambda = distuv.Gamma{Alpha: d.K, Beta: d.K / d.Mean, Src: d.Src}.Rand()
	}
	if lambda <= 0 {
		return 0
	}
	return distuv.Poisson{Lambda: lambda, Src: d.Src}.Rand()
}

// Prob returns the probability of the count x.
func (d NegBinomial) Prob(x float64) float64 {
	if x < 0 || x != math.Floor(x) {
		return 0
	}
	if math.IsInf(d.K, 1) {
		return distuv.Poisson{Lambda: d.Mean}.Prob(x)
	}
	k, m := d.K, d.Mean
	lg1, _ := math.Lgamma(x + k)
	lg2, _ := math.Lgamma(k)
	lg3, _ := math.Lgamma(x + 1)
	return math.Exp(lg1 - lg2 - lg3 + k*math.Log(k/(k+m)) + x*math.Log(m/(k+m)))
}

// Variance returns Mean·(1 + Mean/K).
func (d NegBinomial) Variance() float64 { return d.Mean * (1 + d.Mean/d.K) }

// Empirical is a discrete distribution over given values with given weights, for
// delays and counts read from data. Build one with [NewEmpirical].
type Empirical struct {
	values []float64
	cum    []float64 // cumulative weights, normalised to end at 1
	src    rand.Source
}

// NewEmpirical returns the distribution that draws values[i] with probability
// proportional to weights[i] (equal weights when weights is nil), using src. It
// returns an error for empty or mismatched slices, negative, NaN or all-zero
// weights, non-finite values, and a nil source.
func NewEmpirical(values, weights []float64, src rand.Source) (Empirical, error) {
	if src == nil {
		return Empirical{}, errors.New("sim: empirical distribution with a nil source")
	}
	cum, err := cumulative(values, weights)
	if err != nil {
		return Empirical{}, err
	}
	return Empirical{values: append([]float64(nil), values...), cum: cum, src: src}, nil
}

// cumulative checks an empirical distribution and returns its normalised
// cumulative weights.
func cumulative(values, weights []float64) ([]float64, error) {
	if len(values) == 0 {
		return nil, errors.New("sim: empirical distribution with no values")
	}
	if weights != nil && len(weights) != len(values) {
		return nil, fmt.Errorf("sim: empirical distribution with %d values but %d weights", len(values), len(weights))
	}
	cum := make([]float64, len(values))
	total := 0.0
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("sim: empirical distribution: value %d is %v", i, v)
		}
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("sim: empirical distribution: weight %d is %v, want a finite number ≥ 0", i, w)
		}
		total += w
		cum[i] = total
	}
	if total == 0 {
		return nil, errors.New("sim: empirical distribution: all weights are zero")
	}
	for i := range cum {
		cum[i] /= total
	}
	cum[len(cum)-1] = 1
	return cum, nil
}

// Rand returns one of the values, drawn by weight: the first whose cumulative
// weight reaches a uniform draw (the smallest positive number past it, so
// that a value of weight 0 is never drawn).
func (e Empirical) Rand() float64 {
	x := rand.New(e.src).Float64() + math.SmallestNonzeroFloat64
	if len(e.cum) <= 16 {
		// A short table (household sizes, age groups): a scan beats the
		// binary search, and finds the same value (cum ends at 1 > x).
		i := 0
		for e.cum[i] < x {
			i++
		}
		return e.values[i]
	}
	return e.values[sort.SearchFloat64s(e.cum, x)]
}

// Mean returns the weighted mean of the values.
func (e Empirical) Mean() float64 {
	m, prev := 0.0, 0.0
	for i, c := range e.cum {
		m += e.values[i] * (c - prev)
		prev = c
	}
	return m
}

// Family names a kind of distribution that a [Dist] can describe.
type Family uint8

// The distribution families a [Dist] can describe.
const (
	FamilyFixed       Family = iota + 1 // always the same value
	FamilyExponential                   // exponential, by mean
	FamilyGamma                         // gamma, by shape and scale
	FamilyLogNormal                     // lognormal, by mu and sigma of the log
	FamilyWeibull                       // Weibull, by shape and scale
	FamilyUniform                       // uniform on [lo, hi)
	FamilyEmpirical                     // values with weights
	FamilySkewNormal                    // skew-normal, by location, scale and shape
)

var familyNames = map[Family]string{
	FamilyFixed: "fixed", FamilyExponential: "exponential", FamilyGamma: "gamma",
	FamilyLogNormal: "lognormal", FamilyWeibull: "weibull", FamilyUniform: "uniform",
	FamilyEmpirical: "empirical", FamilySkewNormal: "skewnormal",
}

// String returns the family's name as written in text ("gamma").
func (f Family) String() string {
	if n, ok := familyNames[f]; ok {
		return n
	}
	return "Family(" + strconv.Itoa(int(f)) + ")"
}

// Dist describes a distribution without a source of randomness: configuration, as
// read from a scenario file, of a delay or a count. Draw from it with [Dist.Sample]
// and a source keyed to what is drawn (a person, a purpose), or turn it into a
// gonum distribution with [Dist.Sampler].
//
// Build one with a constructor ([FixedDist], [GammaDist]...) or [ParseDist]; the
// zero Dist is invalid.
type Dist struct {
	// Family is the kind of distribution; the zero Family is invalid.
	Family Family
	// P1 and P2 are the family's natural parameters: fixed (value, -), exponential
	// (mean, -), gamma (shape, scale), lognormal (mu, sigma), Weibull (shape, scale),
	// uniform (lo, hi), skew-normal (location ξ, scale ω).
	P1, P2 float64
	// P3 is the skew-normal's shape α (Azzalini 1985; 0 is the normal
	// distribution, α > 0 skews to the right); 0 for the other families.
	P3 float64
	// Values and Weights define an empirical distribution.
	Values, Weights []float64

	cum []float64 // normalised cumulative weights of an empirical distribution, set by EmpiricalDist
}

// FixedDist is the distribution whose every draw is v.
func FixedDist(v float64) Dist { return Dist{Family: FamilyFixed, P1: v} }

// ExponentialDist is the exponential distribution with the given mean.
func ExponentialDist(mean float64) Dist { return Dist{Family: FamilyExponential, P1: mean} }

// GammaDist is the gamma distribution with the given mean and standard deviation
// (shape = (mean/sd)², scale = sd²/mean).
func GammaDist(mean, sd float64) Dist {
	return Dist{Family: FamilyGamma, P1: mean * mean / (sd * sd), P2: sd * sd / mean}
}

// LogNormalDist is the lognormal distribution with the given mean and standard
// deviation of the value itself (not of its logarithm).
func LogNormalDist(mean, sd float64) Dist {
	s2 := math.Log1p(sd * sd / (mean * mean))
	return Dist{Family: FamilyLogNormal, P1: math.Log(mean) - s2/2, P2: math.Sqrt(s2)}
}

// WeibullDist is the Weibull distribution with the given shape and scale.
func WeibullDist(shape, scale float64) Dist {
	return Dist{Family: FamilyWeibull, P1: shape, P2: scale}
}

// UniformDist is the uniform distribution on [lo, hi).
func UniformDist(lo, hi float64) Dist { return Dist{Family: FamilyUniform, P1: lo, P2: hi} }

// SkewNormalDist is the skew-normal distribution with location xi, scale omega
// and shape alpha (Azzalini 1985, Scand J Stat 12:171): density
// 2/ω φ(z) Φ(αz) with z = (x − ξ)/ω. Hellewell et al. 2020 draw the time of
// infection around the infector's onset from it (ω = 2).
func SkewNormalDist(xi, omega, alpha float64) Dist {
	return Dist{Family: FamilySkewNormal, P1: xi, P2: omega, P3: alpha}
}

// EmpiricalDist draws values[i] with probability proportional to weights[i] (equal
// weights when weights is nil).
func EmpiricalDist(values, weights []float64) Dist {
	d := Dist{Family: FamilyEmpirical, Values: values, Weights: weights}
	d.cum, _ = cumulative(values, weights)
	return d
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Validate reports whether d describes a proper distribution.
func (d Dist) Validate() error {
	notFinite := func(what string, v float64) error {
		return fmt.Errorf("%v: %s must be finite, got %v", d.Family, what, v)
	}
	notPositive := func(what string, v float64) error {
		return fmt.Errorf("%v: %s must be positive and finite, got %v", d.Family, what, v)
	}
	pos := func(x float64) bool { return x > 0 && finite(x) }
	switch d.Family {
	case FamilyFixed:
		if !finite(d.P1) {
			return notFinite("value", d.P1)
		}
	case FamilyExponential:
		if !pos(d.P1) {
			return notPositive("mean", d.P1)
		}
	case FamilyGamma, FamilyWeibull:
		if !pos(d.P1) {
			return notPositive("shape", d.P1)
		}
		if !pos(d.P2) {
			return notPositive("scale", d.P2)
		}
	case FamilyLogNormal:
		if !finite(d.P1) {
			return notFinite("mu", d.P1)
		}
		if !pos(d.P2) {
			return notPositive("sigma", d.P2)
		}
	case FamilyUniform:
		if !finite(d.P1) {
			return notFinite("lo", d.P1)
		}
		if !finite(d.P2) || d.P2 < d.P1 {
			return fmt.Errorf("uniform: hi must be finite and ≥ lo (%v), got %v", d.P1, d.P2)
		}
		if !finite(d.P2 - d.P1) {
			return fmt.Errorf("uniform: hi - lo must be finite, got %v - %v", d.P2, d.P1)
		}
	case FamilyEmpirical:
		if _, err := cumulative(d.Values, d.Weights); err != nil {
			return err
		}
	case FamilySkewNormal:
		if !finite(d.P1) {
			return notFinite("location", d.P1)
		}
		if !pos(d.P2) {
			return notPositive("scale", d.P2)
		}
		if !finite(d.P3) {
			return notFinite("shape", d.P3)
		}
	default:
		return fmt.Errorf("unknown distribution family %d", d.Family)
	}
	// Parameters each finite can still make a mean (and draws) overflow:
	// lognormal(mu=800, sigma=1), weibull(shape=0.001, scale=1).
	if m := d.Mean(); !finite(m) {
		return fmt.Errorf("%v: the mean is %v: the parameters are too large", d.Family, m)
	}
	return nil
}

// Sampler returns a gonum distribution (or one of this package's) for d that draws
// from src. It returns an error if d is invalid or src is nil: a nil source never
// falls back to a global generator.
func (d Dist) Sampler(src rand.Source) (Sampler, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if src == nil {
		return nil, fmt.Errorf("sim: %v distribution with a nil source", d.Family)
	}
	switch d.Family {
	case FamilyFixed:
		return Fixed{Value: d.P1}, nil
	case FamilyExponential:
		return distuv.Exponential{Rate: 1 / d.P1, Src: src}, nil
	case FamilyGamma:
		return distuv.Gamma{Alpha: d.P1, Beta: 1 / d.P2, Src: src}, nil
	case FamilyLogNormal:
		return distuv.LogNormal{Mu: d.P1, Sigma: d.P2, Src: src}, nil
	case FamilyWeibull:
		return distuv.Weibull{K: d.P1, Lambda: d.P2, Src: src}, nil
	case FamilyUniform:
		return distuv.Uniform{Min: d.P1, Max: d.P2, Src: src}, nil
	case FamilySkewNormal:
		return skewNormal{d: d, src: src}, nil
	default: // FamilyEmpirical
		return NewEmpirical(d.Values, d.Weights, src)
	}
}

// Sample draws one value of d from src. It panics if src is nil; d must be valid
// (see [Dist.Validate]), or the value is meaningless: Sample is on hot paths and
// does not check it.
func (d Dist) Sample(src rand.Source) float64 {
	if src == nil {
		panic("sim: Dist.Sample with a nil source")
	}
	if d.Family == FamilyFixed {
		// Small enough to be inlined: a fixed delay, which many of a
		// configuration's are, costs no call and no copy of d.
		return d.P1
	}
	return d.sample(src)
}

// sample draws one value of d, of a family other than fixed, from src.
func (d *Dist) sample(src rand.Source) float64 {
	switch d.Family {
	case FamilyExponential:
		return d.P1 * rand.New(src).ExpFloat64()
	case FamilyGamma:
		return d.P2 * GammaVariate(rand.New(src), d.P1)
	case FamilyLogNormal:
		return math.Exp(d.P1 + d.P2*rand.New(src).NormFloat64())
	case FamilyWeibull:
		return weibullQuantile(rand.New(src).Float64(), d.P1, d.P2)
	case FamilyUniform:
		return d.P1 + (d.P2-d.P1)*rand.New(src).Float64()
	case FamilySkewNormal:
		return skewNormalRand(rand.New(src), d.P1, d.P2, d.P3)
	case FamilyEmpirical:
		if d.cum != nil && len(d.cum) == len(d.Values) {
			return Empirical{values: d.Values, cum: d.cum, src: src}.Rand()
		}
	}
	s, err := d.Sampler(src)
	if err != nil {
		panic("sim: " + err.Error())
	}
	return s.Rand()
}

// weibullQuantile returns the p-quantile of the Weibull distribution of the
// given shape and scale, scale·(−log(1−p))^(1/shape), as gonum's
// distuv.Weibull computes it (and so draws it, from one uniform), bit for bit.
// For the shapes above 1 it writes out the steps math.Pow takes for an
// exponent y = 1/shape below 1: exp(y·log x) if y < 1/2, √x if y = 1/2, and
// exp((y−1)·log x)·x above, which is what Pow's general case comes to; the
// general case itself costs as much again (BenchmarkControlled/ring, two
// Weibull draws per infection). TestWeibullQuantileIsGonums checks the bits.
func weibullQuantile(p, shape, scale float64) float64 {
	x := -math.Log(1 - p)
	y := 1 / shape
	switch {
	case !(x > 0) || math.IsInf(x, 1) || !(y > 0 && y < 1):
		return scale * math.Pow(x, y)
	case y < 0.5:
		return scale * math.Exp(y*math.Log(x))
	case y == 0.5:
		return scale * math.Sqrt(x)
	}
	return scale * (math.Exp((y-1)*math.Log(x)) * x)
}

// GammaVariate draws from the gamma distribution with the given shape and scale 1,
// by Marsaglia and Tsang's method (2000, ACM TOMS 26:363), with their boost for
// shapes below 1. It is the hot path of Dist.Sample: gonum's Gamma builds a
// generator per draw and chooses among several methods. A program that draws
// many gamma variates from its own generator may call it directly. The shape
// must be positive (Dist.Validate checks it for a distribution); another
// shape gives a meaningless value.
func GammaVariate(r *rand.Rand, shape float64) float64 {
	boost := 1.0
	if shape < 1 {
		boost = math.Pow(r.Float64(), 1/shape)
		shape++
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return boost * d * v
		}
	}
}

// Min returns the smallest value d can take: 0 for the families on the
// positive half-line (the smallest positive number, since they never take 0
// itself), -Inf for the skew normal.
func (d Dist) Min() float64 {
	switch d.Family {
	case FamilyFixed, FamilyUniform:
		return d.P1
	case FamilyEmpirical:
		lo := math.Inf(1)
		for _, v := range d.Values {
			lo = min(lo, v)
		}
		return lo
	case FamilySkewNormal:
		return math.Inf(-1)
	}
	return math.SmallestNonzeroFloat64
}

// Mean returns the mean of d.
func (d Dist) Mean() float64 {
	switch d.Family {
	case FamilyFixed, FamilyExponential:
		return d.P1
	case FamilyGamma:
		return d.P1 * d.P2
	case FamilyLogNormal:
		return math.Exp(d.P1 + d.P2*d.P2/2)
	case FamilyWeibull:
		return d.P2 * math.Gamma(1+1/d.P1)
	case FamilyUniform:
		return (d.P1 + d.P2) / 2
	case FamilySkewNormal:
		return d.P1 + d.P2*skewDelta(d.P3)*math.Sqrt(2/math.Pi)
	case FamilyEmpirical:
		cum, err := cumulative(d.Values, d.Weights)
		if err != nil {
			return math.NaN()
		}
		return Empirical{values: d.Values, cum: cum}.Mean()
	}
	return math.NaN()
}

// Quantile returns the p-quantile of d, for p in (0, 1): the smallest x with
// P(X ≤ x) ≥ p. It panics if p is outside (0, 1); d must be valid.
func (d Dist) Quantile(p float64) float64 {
	if !(p > 0 && p < 1) {
		panic(fmt.Sprintf("sim: quantile of probability %v", p))
	}
	switch d.Family {
	case FamilyFixed:
		return d.P1
	case FamilyExponential:
		return distuv.Exponential{Rate: 1 / d.P1}.Quantile(p)
	case FamilyGamma:
		return distuv.Gamma{Alpha: d.P1, Beta: 1 / d.P2}.Quantile(p)
	case FamilyLogNormal:
		return distuv.LogNormal{Mu: d.P1, Sigma: d.P2}.Quantile(p)
	case FamilyWeibull:
		return distuv.Weibull{K: d.P1, Lambda: d.P2}.Quantile(p)
	case FamilyUniform:
		return d.P1 + (d.P2-d.P1)*p
	case FamilySkewNormal:
		return skewNormalQuantile(d.P1, d.P2, d.P3, p)
	case FamilyEmpirical:
		cum, err := cumulative(d.Values, d.Weights)
		if err != nil {
			return math.NaN()
		}
		// The values in increasing order, with their probabilities.
		idx := make([]int, len(d.Values))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return d.Values[idx[a]] < d.Values[idx[b]] })
		acc := 0.0
		for _, i := range idx {
			w := cum[i]
			if i > 0 {
				w -= cum[i-1]
			}
			acc += w
			if acc >= p {
				return d.Values[i]
			}
		}
		return d.Values[idx[len(idx)-1]]
	}
	return math.NaN()
}

// String writes d in the text form that [ParseDist] reads.
func (d Dist) String() string {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	switch d.Family {
	case FamilyFixed:
		return "fixed(" + g(d.P1) + ")"
	case FamilyExponential:
		return "exponential(mean=" + g(d.P1) + ")"
	case FamilyGamma, FamilyWeibull:
		return d.Family.String() + "(shape=" + g(d.P1) + ", scale=" + g(d.P2) + ")"
	case FamilyLogNormal:
		return "lognormal(mu=" + g(d.P1) + ", sigma=" + g(d.P2) + ")"
	case FamilyUniform:
		return "uniform(lo=" + g(d.P1) + ", hi=" + g(d.P2) + ")"
	case FamilySkewNormal:
		return "skewnormal(location=" + g(d.P1) + ", scale=" + g(d.P2) + ", shape=" + g(d.P3) + ")"
	case FamilyEmpirical:
		var b strings.Builder
		b.WriteString("empirical(")
		for i, v := range d.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(g(v))
			if d.Weights != nil {
				b.WriteString(":" + g(d.Weights[i]))
			}
		}
		b.WriteString(")")
		return b.String()
	}
	return d.Family.String() + "()"
}

// ParseDist reads a distribution written as family(parameters):
//
//	fixed(2)                         every draw is 2
//	exponential(mean=5)              also rate=0.2
//	gamma(mean=3.8, sd=2.1)          also shape=…, scale=… or shape=…, rate=…
//	lognormal(mean=3.8, sd=2.1)      also mu=…, sigma=… (of the logarithm)
//	weibull(shape=1.5, scale=4)
//	uniform(lo=1, hi=3)
//	skewnormal(location=0, scale=2, shape=1.95)   Azzalini's ξ, ω, α
//	empirical(1:0.2, 2:0.5, 3:0.3)   value:weight pairs, or values alone for equal weights
//
// A bare number is a fixed value. The error quotes the text and says what is wrong.
func ParseDist(s string) (Dist, error) {
	d, err := parseDist(strings.TrimSpace(s))
	if err != nil {
		return Dist{}, fmt.Errorf("sim: invalid distribution %q: %w", s, err)
	}
	return d, nil
}

func parseDist(s string) (Dist, error) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		d := FixedDist(v)
		return d, d.Validate()
	}
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return Dist{}, errors.New("want family(parameters), for example gamma(mean=3.8, sd=2.1)")
	}
	family := strings.ToLower(strings.TrimSpace(s[:open]))
	var args []string
	if body := strings.TrimSpace(s[open+1 : len(s)-1]); body != "" {
		args = strings.Split(body, ",")
	}
	if family == "empirical" {
		var vals, ws []float64
		withWeights := false
		for i, a := range args {
			v, w, hasW := strings.Cut(strings.TrimSpace(a), ":")
			if i == 0 {
				withWeights = hasW
			} else if hasW != withWeights {
				return Dist{}, errors.New("empirical: give a weight for every value or for none")
			}
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return Dist{}, fmt.Errorf("empirical: value %d %q is not a number", i+1, v)
			}
			vals = append(vals, x)
			if hasW {
				y, err := strconv.ParseFloat(strings.TrimSpace(w), 64)
				if err != nil {
					return Dist{}, fmt.Errorf("empirical: weight %d %q is not a number", i+1, w)
				}
				ws = append(ws, y)
			}
		}
		d := EmpiricalDist(vals, ws)
		return d, d.Validate()
	}
	named := map[string]float64{}
	var positional []float64
	for _, a := range args {
		k, v, isNamed := strings.Cut(a, "=")
		if !isNamed {
			v = k
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return Dist{}, fmt.Errorf("parameter %q is not a number", strings.TrimSpace(v))
		}
		if isNamed {
			name := strings.ToLower(strings.TrimSpace(k))
			if _, dup := named[name]; dup {
				return Dist{}, fmt.Errorf("parameter %q given twice", name)
			}
			named[name] = x
		} else {
			positional = append(positional, x)
		}
	}
	// take returns the named parameters if exactly those were given.
	take := func(names ...string) ([]float64, bool) {
		if len(named) != len(names) || len(positional) > 0 {
			return nil, false
		}
		out := make([]float64, len(names))
		for i, n := range names {
			v, ok := named[n]
			if !ok {
				return nil, false
			}
			out[i] = v
		}
		return out, true
	}
	// Means and standard deviations are checked as given, before they are turned
	// into the family's natural parameters, so an error names what the user wrote.
	for _, name := range []string{"mean", "sd", "rate"} {
		if v, ok := named[name]; ok && !(v > 0 && finite(v)) {
			return Dist{}, fmt.Errorf("%s must be positive and finite, got %v", name, v)
		}
	}
	var d Dist
	var want string
	switch family {
	case "fixed":
		want = "fixed(value)"
		if len(positional) == 1 && len(named) == 0 {
			d = FixedDist(positional[0])
		} else if p, ok := take("value"); ok {
			d = FixedDist(p[0])
		}
	case "exponential", "exp":
		want = "exponential(mean=…) or exponential(rate=…)"
		if p, ok := take("mean"); ok {
			d = ExponentialDist(p[0])
		} else if p, ok := take("rate"); ok {
			d = ExponentialDist(1 / p[0])
		}
	case "gamma":
		want = "gamma(mean=…, sd=…), gamma(shape=…, scale=…) or gamma(shape=…, rate=…)"
		if p, ok := take("mean", "sd"); ok {
			d = GammaDist(p[0], p[1])
		} else if p, ok := take("shape", "scale"); ok {
			d = Dist{Family: FamilyGamma, P1: p[0], P2: p[1]}
		} else if p, ok := take("shape", "rate"); ok {
			d = Dist{Family: FamilyGamma, P1: p[0], P2: 1 / p[1]}
		}
	case "lognormal":
		want = "lognormal(mean=…, sd=…) or lognormal(mu=…, sigma=…)"
		if p, ok := take("mean", "sd"); ok {
			d = LogNormalDist(p[0], p[1])
		} else if p, ok := take("mu", "sigma"); ok {
			d = Dist{Family: FamilyLogNormal, P1: p[0], P2: p[1]}
		}
	case "weibull":
		want = "weibull(shape=…, scale=…)"
		if p, ok := take("shape", "scale"); ok {
			d = WeibullDist(p[0], p[1])
		}
	case "uniform":
		want = "uniform(lo=…, hi=…)"
		if p, ok := take("lo", "hi"); ok {
			d = UniformDist(p[0], p[1])
		} else if len(positional) == 2 && len(named) == 0 {
			d = UniformDist(positional[0], positional[1])
		}
	case "skewnormal":
		want = "skewnormal(location=…, scale=…, shape=…)"
		if p, ok := take("location", "scale", "shape"); ok {
			d = SkewNormalDist(p[0], p[1], p[2])
		}
	default:
		return Dist{}, fmt.Errorf("unknown family %q (want fixed, exponential, gamma, lognormal, weibull, uniform, skewnormal or empirical)", family)
	}
	if d.Family == 0 {
		return Dist{}, fmt.Errorf("wrong parameters: want %s", want)
	}
	if err := d.Validate(); err != nil {
		return Dist{}, err
	}
	return d, nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseDist].
func (d *Dist) UnmarshalText(b []byte) error {
	v, err := ParseDist(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler] with [Dist.String].
func (d Dist) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
