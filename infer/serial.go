package infer

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/sim"
)

// SerialInterval is a serial interval discretized to whole days, the weights
// w_k of the renewal equation: W[k] is the probability that a case was
// reported k days after its infector. W[0] is always 0 (the renewal equation
// gives no infector on the same day as its case) and the weights add up to 1.
//
// Build one from a continuous or discrete distribution with
// [DiscretizeSerialInterval], from explicit weights with [NewSerialInterval],
// or from text with [ParseSerialInterval].
type SerialInterval struct {
	// W holds the weights of 0, 1, 2… days; W[0] = 0, the sum is 1 and the
	// last weight is positive.
	W []float64
	// SameDay is the share of the distribution that fell on day 0 and was
	// dropped before the weights were renormalized (0 for explicit weights).
	SameDay float64
	// From says what the weights were made from, for tables and plots
	// ("gamma(shape=2.25, scale=1.467)", "discrete").
	From string
}

// MaxSerialDays bounds the length of a discretized serial interval: a
// distribution with more than 1e-6 of its mass beyond it is refused, a smaller
// tail is cut there.
const MaxSerialDays = 365

// serialTail is the upper-tail probability at which discretization stops; the
// few weights beyond it are left out and the rest renormalized.
const serialTail = 1e-9

// Mean is the mean of the discretized serial interval, Σ k·W[k], in days.
func (s SerialInterval) Mean() float64 {
	m := 0.0
	for k, w := range s.W {
		m += float64(k) * w
	}
	return m
}

// String describes s: what it was made from and its discretized mean.
func (s SerialInterval) String() string {
	from := s.From
	if from == "" {
		from = "discrete"
	}
	return fmt.Sprintf("%s, discretized mean %.2f d over %d days", from, s.Mean(), len(s.W)-1)
}

// validate checks the invariants of the weights.
func (s SerialInterval) validate() error {
	if len(s.W) < 2 {
		return errors.New("serial interval: no weights (want W[0] = 0 and at least one positive weight after it)")
	}
	if s.W[0] != 0 {
		return fmt.Errorf("serial interval: W[0] = %v, want 0 (no infector on the same day as its case)", s.W[0])
	}
	sum := 0.0
	for k, w := range s.W {
		if !(w >= 0) || math.IsInf(w, 0) {
			return fmt.Errorf("serial interval: W[%d] = %v, want a finite number ≥ 0", k, w)
		}
		sum += w
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("serial interval: the weights add up to %v, want 1", sum)
	}
	return nil
}

// NewSerialInterval returns the serial interval whose weight of k days is
// proportional to w[k]. The weight of day 0, w[0], must be 0: the renewal
// equation gives no infector on the same day as its case. Weights must be
// finite and non-negative, and at least one must be positive; trailing zeros
// are dropped.
func NewSerialInterval(w []float64) (SerialInterval, error) {
	if len(w) < 2 {
		return SerialInterval{}, fmt.Errorf("serial interval: %d weights, want w[0] = 0 and at least one more", len(w))
	}
	if len(w) > MaxSerialDays+1 {
		return SerialInterval{}, fmt.Errorf("serial interval: %d weights, want at most %d", len(w), MaxSerialDays+1)
	}
	if w[0] != 0 {
		return SerialInterval{}, fmt.Errorf("serial interval: the weight of day 0 is %v, want 0 (no infector on the same day as its case)", w[0])
	}
	sum := 0.0
	for k, x := range w {
		if !(x >= 0) || math.IsInf(x, 0) {
			return SerialInterval{}, fmt.Errorf("serial interval: the weight of day %d is %v, want a finite number ≥ 0", k, x)
		}
		sum += x
	}
	if sum == 0 {
		return SerialInterval{}, errors.New("serial interval: all weights are zero")
	}
	return normalized(w, 0, "discrete"), nil
}

// normalized returns the serial interval with weights w scaled to add up to
// 1, trailing zeros dropped.
func normalized(w []float64, sameDay float64, from string) SerialInterval {
	n := len(w)
	for n > 2 && w[n-1] == 0 {
		n--
	}
	sum := 0.0
	for _, x := range w[:n] {
		sum += x
	}
	out := make([]float64, n)
	for k := range out {
		out[k] = w[k] / sum
	}
	return SerialInterval{W: out, SameDay: sameDay, From: from}
}

// DiscretizeSerialInterval turns a distribution of the serial interval, in
// days, into daily weights.
//
// The scheme is the one of EpiEstim's discr_si (the package of Cori et al.
// 2013), applied to any distribution: the two reports of a pair fall at
// uniformly distributed times within their days, so the weight of k days is
// the expectation of the triangular kernel max(0, 1−|X−k|):
//
//	w_k = ∫ max(0, 1−|x−k|) f(x) dx = G(k+1) − 2G(k) + G(k−1),  G(x) = ∫₀ˣ F(u) du,
//
// computed in closed form from the cumulative distribution F and the partial
// expectation E[X; X ≤ x] (G(x) = x·F(x) − E[X; X ≤ x]). The kernel keeps the
// mean: Σ k·w_k = E[X]. A value of exactly k days falls on day k, a value of
// k+½ days half on k and half on k+1. The weight of day 0 (pairs reported on
// the same day) is then dropped and the rest renormalized, as the renewal
// equation needs w_0 = 0; [SerialInterval.SameDay] records the share dropped,
// which raises the mean a little. (EpiEstim instead shifts a gamma by one
// day; with this scheme the distribution given is the one used.) Weights stop
// at the first day whose upper tail is below 1e-9.
//
// The distribution must not be negative: fixed, uniform and empirical
// distributions with negative values are refused, as are distributions whose
// mass lies on day 0 only or reaches beyond [MaxSerialDays].
func DiscretizeSerialInterval(d sim.Dist) (SerialInterval, error) {
	if err := d.Validate(); err != nil {
		return SerialInterval{}, fmt.Errorf("serial interval: %w", err)
	}
	c, err := newContinuous(d)
	if err != nil {
		return SerialInterval{}, fmt.Errorf("serial interval %v: %w", d, err)
	}
	g := func(x float64) float64 {
		if x <= 0 {
			return 0
		}
		return x*c.cdf(x) - c.partial(x)
	}
	w := []float64{}
	for k := 0; ; k++ {
		x := float64(k)
		w = append(w, max(0, g(x+1)-2*g(x)+g(x-1))) // rounding may leave -1e-17
		// Later weights draw only on values above k days.
		tail := c.survival(x)
		if tail < serialTail {
			break
		}
		if k == MaxSerialDays {
			if tail > 1e-6 {
				return SerialInterval{}, fmt.Errorf("serial interval %v: %.2g of its mass lies beyond %d days", d, tail, MaxSerialDays)
			}
			break
		}
	}
	sameDay := w[0]
	w[0] = 0
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	if sum <= 1e-12 {
		return SerialInterval{}, fmt.Errorf("serial interval %v: all its mass falls on day 0, and the renewal equation counts no infector on the same day as its case", d)
	}
	total := sameDay + sum
	return normalized(w, sameDay/total, describe(d)), nil
}

// describe writes d for people: its family and natural parameters to four
// significant digits, as in [sim.ParseDist]'s forms.
func describe(d sim.Dist) string {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	switch d.Family {
	case sim.FamilyGamma, sim.FamilyWeibull:
		return fmt.Sprintf("%v(shape=%s, scale=%s)", d.Family, g(d.P1), g(d.P2))
	case sim.FamilyLogNormal:
		return "lognormal(mu=" + g(d.P1) + ", sigma=" + g(d.P2) + ")"
	case sim.FamilyExponential:
		return "exponential(mean=" + g(d.P1) + ")"
	}
	return d.String()
}

// continuous is what discretization needs of a distribution on [0, ∞): its
// cumulative distribution, upper tail, and partial expectation
// E[X; X ≤ x] = ∫₀ˣ u dF(u).
type continuous struct {
	cdf, survival, partial func(x float64) float64
}

// newContinuous returns the functions of d, or an error if d can be negative.
func newContinuous(d sim.Dist) (continuous, error) {
	negative := errors.New("a serial interval must not be negative (the renewal equation needs infectors before their cases)")
	gamma := func(shape, scale float64) continuous {
		g := distuv.Gamma{Alpha: shape, Beta: 1 / scale}
		return continuous{
			cdf:      g.CDF,
			survival: g.Survival,
			partial: func(x float64) float64 {
				return shape * scale * mathext.GammaIncReg(shape+1, x/scale)
			},
		}
	}
	// points handles a discrete distribution: values with probabilities.
	points := func(vals, probs []float64) (continuous, error) {
		for _, v := range vals {
			if v < 0 {
				return continuous{}, negative
			}
		}
		sum := func(x float64, f func(v, p float64) float64) float64 {
			s := 0.0
			for i, v := range vals {
				if v <= x {
					s += f(v, probs[i])
				}
			}
			return s
		}
		return continuous{
			cdf:      func(x float64) float64 { return sum(x, func(_, p float64) float64 { return p }) },
			survival: func(x float64) float64 { return 1 - sum(x, func(_, p float64) float64 { return p }) },
			partial:  func(x float64) float64 { return sum(x, func(v, p float64) float64 { return v * p }) },
		}, nil
	}
	switch d.Family {
	case sim.FamilyFixed:
		return points([]float64{d.P1}, []float64{1})
	case sim.FamilyExponential:
		return gamma(1, d.P1), nil
	case sim.FamilyGamma:
		return gamma(d.P1, d.P2), nil
	case sim.FamilyLogNormal:
		l := distuv.LogNormal{Mu: d.P1, Sigma: d.P2}
		mean := math.Exp(d.P1 + d.P2*d.P2/2)
		n := distuv.UnitNormal
		return continuous{
			cdf:      l.CDF,
			survival: l.Survival,
			partial: func(x float64) float64 {
				return mean * n.CDF((math.Log(x)-d.P1-d.P2*d.P2)/d.P2)
			},
		}, nil
	case sim.FamilyWeibull:
		k, lambda := d.P1, d.P2
		wb := distuv.Weibull{K: k, Lambda: lambda}
		return continuous{
			cdf:      wb.CDF,
			survival: wb.Survival,
			partial: func(x float64) float64 {
				return lambda * math.Gamma(1+1/k) * mathext.GammaIncReg(1+1/k, math.Pow(x/lambda, k))
			},
		}, nil
	case sim.FamilyUniform:
		lo, hi := d.P1, d.P2
		if lo < 0 {
			return continuous{}, negative
		}
		if lo == hi {
			return points([]float64{lo}, []float64{1})
		}
		clamp := func(x float64) float64 { return min(max(x, lo), hi) }
		return continuous{
			cdf:      func(x float64) float64 { return (clamp(x) - lo) / (hi - lo) },
			survival: func(x float64) float64 { return (hi - clamp(x)) / (hi - lo) },
			partial: func(x float64) float64 {
				c := clamp(x)
				return (c*c - lo*lo) / (2 * (hi - lo))
			},
		}, nil
	case sim.FamilyEmpirical:
		probs := make([]float64, len(d.Values))
		total := 0.0
		for i := range d.Values {
			p := 1.0
			if d.Weights != nil {
				p = d.Weights[i]
			}
			probs[i] = p
			total += p
		}
		for i := range probs {
			probs[i] /= total
		}
		return points(d.Values, probs)
	}
	return continuous{}, fmt.Errorf("unsupported family %v", d.Family)
}

// ParseSerialInterval reads a serial interval, in days, and discretizes it
// with [DiscretizeSerialInterval]. It accepts the short forms
//
//	gamma:MEAN,SD         gamma with that mean and standard deviation
//	lognormal:MEAN,SD     lognormal with that mean and standard deviation
//	weibull:MEAN,SD       Weibull with that mean and standard deviation
//	exponential:MEAN      exponential with that mean
//	fixed:DAYS            always DAYS days
//	discrete:W1,W2,…      weights of 1, 2, … days (normalized)
//
// and every form of [sim.ParseDist] ("gamma(mean=3.3, sd=2.2)",
// "empirical(1:0.2, 2:0.5, 3:0.3)"). Errors quote the text.
func ParseSerialInterval(s string) (SerialInterval, error) {
	t := strings.TrimSpace(s)
	if strings.Contains(t, "(") {
		d, err := sim.ParseDist(t)
		if err != nil {
			return SerialInterval{}, fmt.Errorf("serial interval %q: %w", s, err)
		}
		return DiscretizeSerialInterval(d)
	}
	family, body, ok := strings.Cut(t, ":")
	if !ok {
		return SerialInterval{}, fmt.Errorf("serial interval %q: want family:parameters, for example gamma:3.3,2.2 (mean and sd in days)", s)
	}
	family = strings.ToLower(strings.TrimSpace(family))
	var nums []float64
	for i, f := range strings.Split(body, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return SerialInterval{}, fmt.Errorf("serial interval %q: parameter %d %q is not a finite number", s, i+1, strings.TrimSpace(f))
		}
		nums = append(nums, x)
	}
	want := func(n int, what string) error {
		if len(nums) != n {
			return fmt.Errorf("serial interval %q: want %s:%s", s, family, what)
		}
		for i, x := range nums {
			if family != "fixed" && !(x > 0) {
				return fmt.Errorf("serial interval %q: parameter %d is %v, want a positive number", s, i+1, x)
			}
		}
		return nil
	}
	var d sim.Dist
	switch family {
	case "gamma", "lognormal", "weibull":
		if err := want(2, "MEAN,SD (days)"); err != nil {
			return SerialInterval{}, err
		}
		mean, sd := nums[0], nums[1]
		switch family {
		case "gamma":
			d = sim.GammaDist(mean, sd)
		case "lognormal":
			d = sim.LogNormalDist(mean, sd)
		default:
			var err error
			if d, err = weibullMeanSD(mean, sd); err != nil {
				return SerialInterval{}, fmt.Errorf("serial interval %q: %w", s, err)
			}
		}
	case "exponential":
		if err := want(1, "MEAN (days)"); err != nil {
			return SerialInterval{}, err
		}
		d = sim.ExponentialDist(nums[0])
	case "fixed":
		if err := want(1, "DAYS"); err != nil {
			return SerialInterval{}, err
		}
		d = sim.FixedDist(nums[0])
	case "discrete":
		si, err := NewSerialInterval(append([]float64{0}, nums...))
		if err != nil {
			return SerialInterval{}, fmt.Errorf("%q: %w", s, err)
		}
		return si, nil
	default:
		return SerialInterval{}, fmt.Errorf("serial interval %q: unknown family %q (want gamma, lognormal, weibull, exponential, fixed or discrete)", s, family)
	}
	si, err := DiscretizeSerialInterval(d)
	if err != nil {
		return SerialInterval{}, fmt.Errorf("%q: %w", s, err)
	}
	if family != "fixed" {
		si.From = strings.ReplaceAll(t, " ", "") + " = " + si.From
	}
	return si, nil
}

// weibullMeanSD returns the Weibull distribution with the given mean and
// standard deviation. The shape k solves Γ(1+2/k)/Γ(1+1/k)² − 1 = (sd/mean)²
// (the left side falls as k grows), found by bisection on log k.
func weibullMeanSD(mean, sd float64) (sim.Dist, error) {
	cv2 := func(k float64) float64 {
		a, _ := math.Lgamma(1 + 2/k)
		b, _ := math.Lgamma(1 + 1/k)
		return math.Expm1(a - 2*b)
	}
	target := (sd / mean) * (sd / mean)
	lo, hi := math.Log(0.1), math.Log(1000.0)
	if target > cv2(math.Exp(lo)) || target < cv2(math.Exp(hi)) {
		return sim.Dist{}, fmt.Errorf("weibull: no shape from 0.1 to 1000 gives sd/mean = %.3g", sd/mean)
	}
	for range 200 {
		mid := (lo + hi) / 2
		if cv2(math.Exp(mid)) > target {
			lo = mid
		} else {
			hi = mid
		}
	}
	k := math.Exp((lo + hi) / 2)
	return sim.WeibullDist(k, mean/math.Gamma(1+1/k)), nil
}
