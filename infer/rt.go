package infer

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Defaults of [RtOptions].
const (
	// DefaultRtWindow is the length of the sliding window, in days: a week, as
	// in EpiEstim's default weekly windows (Cori et al. 2013).
	DefaultRtWindow = 7
	// DefaultRtPriorShape and DefaultRtPriorScale give the gamma prior of R
	// with mean 5 and standard deviation 5 used by Cori et al. (2013) and
	// EpiEstim: vague, and high so that a fall of R below 1 is not an artefact
	// of the prior.
	DefaultRtPriorShape = 1.0
	DefaultRtPriorScale = 5.0
	// DefaultRtMissingWeight is the largest share of the serial interval that
	// may fall on missing days for an estimate to be made (see
	// [RtOptions.MissingWeight]).
	DefaultRtMissingWeight = 0.1
)

// DefaultRtProbs are the posterior quantiles reported by default: the 95%,
// 90% and 50% central intervals.
var DefaultRtProbs = []float64{0.025, 0.05, 0.25, 0.75, 0.95, 0.975}

// RtOptions configures [EstimateRt]. A nil *RtOptions, or a zero field, means
// the default.
type RtOptions struct {
	// Window is τ, the number of days of each sliding window, ending on the
	// day estimated (default 7). Longer windows give more precise, smoother
	// and later estimates.
	Window int
	// PriorShape and PriorScale are the gamma prior of R (default shape 1,
	// scale 5: mean 5, sd 5).
	PriorShape, PriorScale float64
	// Probs are the levels of the posterior quantiles to report, each in
	// (0, 1) (default [DefaultRtProbs]).
	Probs []float64
	// Imported, if set, is the series of imported cases: they infect (they
	// count in the total infectiousness Λ) but were not infected locally (they
	// do not count in the numerator), as in Cori et al. (2013). It must cover
	// every day of the local series; a missing day in it is treated like a
	// missing day of the local series.
	Imported *Daily
	// MissingWeight is the largest share of the serial interval's weight that
	// may fall on missing days in the total infectiousness Λ_s of a day of the
	// window (default 0.1; a negative value allows none). Below it, the missing
	// days' share is made up by scaling Λ_s by 1/(1 − share), as if they had
	// the weighted mean of the other days; above it, the window has no
	// estimate.
	MissingWeight float64
}

// resolved returns the options with defaults filled in, or an error naming
// the bad field.
func (o *RtOptions) resolved() (RtOptions, error) {
	var r RtOptions
	if o != nil {
		r = *o
	}
	if r.Window == 0 {
		r.Window = DefaultRtWindow
	}
	if r.Window < 1 {
		return r, fmt.Errorf("rt: window of %d days: want 1 or more", r.Window)
	}
	if r.PriorShape == 0 {
		r.PriorShape = DefaultRtPriorShape
	}
	if r.PriorScale == 0 {
		r.PriorScale = DefaultRtPriorScale
	}
	if !(r.PriorShape > 0) || math.IsInf(r.PriorShape, 0) {
		return r, fmt.Errorf("rt: prior shape %v: want a positive finite number", r.PriorShape)
	}
	if !(r.PriorScale > 0) || math.IsInf(r.PriorScale, 0) {
		return r, fmt.Errorf("rt: prior scale %v: want a positive finite number", r.PriorScale)
	}
	if r.Probs == nil {
		r.Probs = DefaultRtProbs
	}
	for _, p := range r.Probs {
		if !(p > 0 && p < 1) {
			return r, fmt.Errorf("rt: quantile level %v: want a number strictly between 0 and 1", p)
		}
	}
	r.Probs = append([]float64(nil), r.Probs...)
	switch {
	case math.IsNaN(r.MissingWeight) || r.MissingWeight >= 1:
		return r, fmt.Errorf("rt: missing weight %v: want a share below 1 (negative: none allowed)", r.MissingWeight)
	case r.MissingWeight == 0:
		r.MissingWeight = DefaultRtMissingWeight
	case r.MissingWeight < 0:
		r.MissingWeight = 0
	}
	return r, nil
}

// Rt is the time-varying reproduction number estimated from a daily series by
// [EstimateRt]: one [RtDay] per day of the series.
type Rt struct {
	// The options used, defaults filled in (see [RtOptions]).
	Window        int       // days in each sliding window
	PriorShape    float64   // shape of the gamma prior on R
	PriorScale    float64   // scale of the gamma prior on R
	Probs         []float64 // the posterior quantiles reported, as probabilities
	MissingWeight float64   // the largest share of serial-interval weight on missing days that still gives an estimate
	// SI is the discretized serial interval used.
	SI SerialInterval
	// Days holds one estimate per day of the series, in order.
	Days []RtDay
}

// RtDay is the estimate of the reproduction number for the window of days
// that ends on Date. Days without an estimate have a Note saying why, NaN
// statistics and no Quantiles.
type RtDay struct {
	// Date is the last day of the window, the day estimated.
	Date time.Time
	// Cases is the local incidence of the day (NaN if missing), Imported the
	// imported cases of the day (0 without an imported series).
	Cases, Imported float64
	// Lambda is the total infectiousness Λ_t = Σ_k w_k (I_{t−k} + imported_{t−k})
	// of the day: the number of cases expected if R were 1. It is NaN when too
	// much of it falls on missing days.
	Lambda float64
	// SumCases and SumLambda are the window's sums of local cases and of Λ.
	SumCases, SumLambda float64
	// Shape and Scale are the gamma posterior of R: shape a + ΣI, scale
	// 1/(1/b + ΣΛ). Both are 0 when there is no estimate.
	Shape, Scale float64
	// Mean, Median and SD summarize the posterior; CV = SD/Mean =
	// 1/√Shape measures its precision (above about 0.3 the estimate rests on
	// fewer than about ten cases and is unreliable).
	Mean, Median, SD, CV float64
	// Quantiles are the posterior quantiles at the levels of [Rt.Probs].
	Quantiles []float64
	// Note says why the day has no estimate; it is empty when it has one.
	Note string
}

// OK reports whether the day has an estimate.
func (d RtDay) OK() bool { return d.Shape > 0 }

// Quantile returns the posterior quantile of R at level p in (0, 1), or NaN if
// the day has no estimate or p is outside (0, 1).
func (d RtDay) Quantile(p float64) float64 {
	if !d.OK() || !(p > 0 && p < 1) {
		return math.NaN()
	}
	return gammaQuantile(d.Shape, d.Scale, p)
}

// maxRtCount is the largest count of a day EstimateRt takes: sums of counts
// over MaxDays stay finite. (Data files are held to MaxDailyCount.)
const maxRtCount = 1e300

// gammaQuantile is the quantile at level p of the gamma distribution of the
// given shape and scale. Above a shape of 1e12 it uses the Wilson–Hilferty
// approximation (relative error far below 1e-12 there): gonum's inverse
// incomplete gamma never returns for a shape near 1e306.
func gammaQuantile(shape, scale, p float64) float64 {
	if shape <= 1e12 {
		return distuv.Gamma{Alpha: shape, Beta: 1 / scale}.Quantile(p)
	}
	z := distuv.UnitNormal.Quantile(p)
	c := 1 / (9 * shape)
	q := 1 - c + z*math.Sqrt(c)
	return shape * scale * q * q * q
}

// Why a day has no estimate.
const (
	noteStart    = "the window would reach the first day, which has no earlier cases to infect it"
	noteMissing  = "a day of the window is missing"
	noteInfector = "too much of the window's infectiousness falls on missing days"
	noteNoLambda = "no earlier cases to infect the window's cases"
)

// EstimateRt estimates the time-varying reproduction number from a series of
// daily local cases, by the method of Cori, Ferguson, Fraser and Cauchemez
// (2013, Am J Epidemiol 178:1505).
//
// The cases of day s are Poisson with mean R·Λ_s, where Λ_s = Σ_{k≥1} w_k
// (I_{s−k} + imported_{s−k}) is the total infectiousness of earlier cases
// weighted by the serial interval w. R is taken constant over the window of
// τ days s = t−τ+1 … t; with a gamma prior of shape a and scale b, its
// posterior is gamma with shape a + Σ I_s and scale 1/(1/b + Σ Λ_s), reported
// on day t.
//
// Conventions:
//   - Days before the series count as zero cases, so the series should start
//     before, or at the start of, the epidemic. The first window starts on the
//     second day (as EpiEstim's default), so the first estimate is on day τ
//     (counting from 0).
//   - A window that contains a missing (NaN) day gives no estimate; neither
//     does one in which a day's Λ depends on missing days for more than
//     [RtOptions.MissingWeight] of the serial interval. Below that share, Λ is
//     scaled up for the missing days.
//   - A window without infectiousness (ΣΛ = 0) gives no estimate: the data
//     say nothing about R. A window with infectiousness and zero cases does:
//     its posterior has shape a.
//
// It returns an error for an empty or too short series (fewer than τ+1 days),
// negative or infinite counts, an imported series that does not cover the
// cases, an invalid serial interval or invalid options.
func EstimateRt(cases Daily, si SerialInterval, opts *RtOptions) (*Rt, error) {
	o, err := opts.resolved()
	if err != nil {
		return nil, err
	}
	if err := si.validate(); err != nil {
		return nil, fmt.Errorf("rt: %w", err)
	}
	n := cases.Len()
	if n < o.Window+1 {
		return nil, fmt.Errorf("rt: a series of %d days is too short for a window of %d days (want at least %d days)", n, o.Window, o.Window+1)
	}
	check := func(what string, d Daily, i int) error {
		if v := d.Values[i]; v < 0 || math.IsInf(v, 0) {
			return fmt.Errorf("rt: %s on %s: %v, want a non-negative number", what, d.Date(i).Format(time.DateOnly), v)
		} else if v > maxRtCount {
			return fmt.Errorf("rt: %s on %s: %v, more than %g a day", what, d.Date(i).Format(time.DateOnly), v, maxRtCount)
		}
		return nil
	}
	for i := range cases.Values {
		if err := check("cases", cases, i); err != nil {
			return nil, err
		}
	}
	imported := make([]float64, n)
	if o.Imported != nil {
		imp := *o.Imported
		first := imp.Index(cases.Start)
		if imp.Len() == 0 || first < 0 || first+n > imp.Len() {
			return nil, fmt.Errorf("rt: the imported series (%s) does not cover the cases (%s)", span(imp), span(cases))
		}
		for i := range imported {
			if err := check("imported cases", imp, first+i); err != nil {
				return nil, err
			}
			imported[i] = imp.Values[first+i]
		}
	}
	total := make([]float64, n)
	for i, v := range cases.Values {
		total[i] = v + imported[i] // NaN if either is missing
	}
	lambda := make([]float64, n)
	for t := range lambda {
		lam, miss := 0.0, 0.0
		for k := 1; k < len(si.W) && k <= t; k++ {
			if x := total[t-k]; math.IsNaN(x) {
				miss += si.W[k]
			} else {
				lam += si.W[k] * x
			}
		}
		switch {
		case miss > o.MissingWeight:
			lambda[t] = math.NaN()
		case miss > 0:
			lambda[t] = lam / (1 - miss)
		default:
			lambda[t] = lam
		}
	}
	r := &Rt{
		Window: o.Window, PriorShape: o.PriorShape, PriorScale: o.PriorScale,
		Probs: o.Probs, MissingWeight: o.MissingWeight, SI: si,
		Days: make([]RtDay, n),
	}
	for t := range r.Days {
		d := &r.Days[t]
		*d = RtDay{Date: cases.Date(t), Cases: cases.Values[t], Imported: imported[t], Lambda: lambda[t]}
		nan := math.NaN()
		d.SumCases, d.SumLambda, d.Mean, d.Median, d.SD, d.CV = nan, nan, nan, nan, nan, nan
		if t < o.Window {
			d.Note = noteStart
			continue
		}
		sumI, sumL := 0.0, 0.0
		for s := t - o.Window + 1; s <= t; s++ {
			sumI += cases.Values[s]
			sumL += lambda[s]
		}
		d.SumCases, d.SumLambda = sumI, sumL
		switch {
		case math.IsNaN(sumI):
			d.Note = noteMissing
			continue
		case math.IsNaN(sumL):
			d.Note = noteInfector
			continue
		case sumL == 0:
			d.Note = noteNoLambda
			continue
		}
		d.Shape = o.PriorShape + sumI
		d.Scale = 1 / (1/o.PriorScale + sumL)
		d.Mean = d.Shape * d.Scale
		d.SD = math.Sqrt(d.Shape) * d.Scale
		d.CV = 1 / math.Sqrt(d.Shape)
		d.Median = gammaQuantile(d.Shape, d.Scale, 0.5)
		d.Quantiles = make([]float64, len(o.Probs))
		for i, p := range o.Probs {
			d.Quantiles[i] = gammaQuantile(d.Shape, d.Scale, p)
		}
	}
	return r, nil
}

// span writes the dates of a series.
func span(d Daily) string {
	if d.Len() == 0 {
		return "no days"
	}
	return d.Start.Format(time.DateOnly) + " to " + d.Date(d.Len()-1).Format(time.DateOnly)
}

// Slice returns the estimates from date from to date to, both included,
// clipped to the series (the days are shared, not copied). A zero from or to
// leaves that end open.
func (r *Rt) Slice(from, to time.Time) *Rt {
	out := *r
	i, j := 0, len(r.Days)
	for i < j && !from.IsZero() && r.Days[i].Date.Before(from) {
		i++
	}
	for j > i && !to.IsZero() && r.Days[j-1].Date.After(to) {
		j--
	}
	out.Days = r.Days[i:j]
	return &out
}

// Interval returns the index in [Rt.Probs] of the lower and upper quantiles
// of the central interval of the given level (0.95 for 2.5% and 97.5%), or an
// error if they were not computed.
func (r *Rt) Interval(level float64) (lo, hi int, err error) {
	lo, hi = -1, -1
	for i, p := range r.Probs {
		if math.Abs(p-(1-level)/2) < 1e-12 {
			lo = i
		}
		if math.Abs(p-(1+level)/2) < 1e-12 {
			hi = i
		}
	}
	if lo < 0 || hi < 0 {
		return 0, 0, fmt.Errorf("rt: the quantiles of a central interval of level %v were not computed", level)
	}
	return lo, hi, nil
}
