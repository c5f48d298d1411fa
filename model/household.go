package model

import (
	"math"

	"github.com/epiplan/epiplan/sim"
)

// householdHazard returns the expected number of contacts a typical symptomatic
// case makes with each member of its household, chosen so that the mean secondary
// attack rate over index cases (symptomatic or not, of every infectiousness and
// every length of infectious period) is the configured one. With individual
// infectiousness gamma of shape k and mean 1, relative infectiousness f of the
// case's class and a hazard h, a member escapes with probability
// (1 + f h / k)^-k (e^-fh without variation). With [TimingWindow] a case's
// contacts grow with its infectious period D (h becomes h·D/E[D]), so the escape
// is averaged over D, by the midpoint rule on the quantiles of its parts.
func householdHazard(cfg *Config) float64 {
	sar := cfg.Population.Layers.HouseholdSAR
	if sar == 0 {
		return 0
	}
	symptomatic := 0.0
	for _, a := range cfg.Population.AgeGroups {
		symptomatic += a.Share * a.Symptomatic
	}
	d := &cfg.Disease
	inf := &d.Infectiousness
	// The relative lengths D/E[D] of the infectious periods of each class, equally
	// likely; a single 1 unless the timing is the window.
	sym, asym := []float64{1}, []float64{1}
	switch inf.Timing {
	case TimingViralLoad:
		// Contacts grow with the area of the load above 6 log10.
		s, a := viralLoadAreas(cfg)
		sym, asym = relative(s, meanOf(s)), relative(a, meanOf(s))
	case TimingWindow:
		// As in scheduleContacts: relative to the mean of each class's period.
		sym = relativeLengths(quantiles(d.Presymptomatic, 32), quantiles(d.Symptomatic, 32), d.Presymptomatic.Mean()+d.Symptomatic.Mean())
		asym = relativeLengths(quantiles(d.Asymptomatic, 256), []float64{0}, d.Asymptomatic.Mean())
	}
	escape := func(f, h float64, lengths []float64) float64 {
		e := 0.0
		for _, x := range lengths {
			if inf.Dispersion == 0 {
				e += math.Exp(-f * h * x)
			} else {
				e += math.Pow(1+f*h*x/inf.Dispersion, -inf.Dispersion)
			}
		}
		return e / float64(len(lengths))
	}
	rate := func(h float64) float64 {
		return 1 - symptomatic*escape(1, h, sym) - (1-symptomatic)*escape(inf.AsymptomaticFactor, h, asym)
	}
	lo, hi := 0.0, 1.0
	for rate(hi) < sar && hi < 1e12 {
		hi *= 2
	}
	for i := 0; i < 200; i++ {
		mid := (lo + hi) / 2
		if rate(mid) < sar {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// quantiles returns the quantiles of d at the midpoints (i + 1/2)/n, i < n.
func quantiles(d sim.Dist, n int) []float64 {
	q := make([]float64, n)
	for i := range q {
		q[i] = d.Quantile((float64(i) + 0.5) / float64(n))
	}
	return q
}

// relativeLengths returns every sum a + b of a value of a and one of b, divided
// by mean (all zeros if mean is 0: no contacts).
func relativeLengths(a, b []float64, mean float64) []float64 {
	out := make([]float64, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			if mean > 0 {
				out = append(out, (x+y)/mean)
			} else {
				out = append(out, 0)
			}
		}
	}
	return out
}

// relative returns xs divided by m (zeros if m is 0).
func relative(xs []float64, m float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		if m > 0 {
			out[i] = x / m
		}
	}
	return out
}
