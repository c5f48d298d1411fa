package model

import (
	"math"
	"math/rand/v2"

	"github.com/epiplan/epiplan/sim"
)

// ViralLoadConfig describes the viral load of an infection over time, in log10
// copies per ml, as a hinge (Larremore et al. 2021, Sci Adv 7:eabd5393): it rises
// linearly from 3 log10 at the end of the latent period (when PCR first detects
// the virus) to a peak, then falls linearly back to 3 log10. Before and after, the
// lines go on towards 0. Each infection draws its own control points.
//
// The fall may be given instead, as in Larremore et al.'s code, by the time to
// 10^6 copies/ml (ToSix, from the peak), and for symptomatic cases by the time
// from symptom onset to 10^6 (ToSixSymptomatic): the line through the peak and
// that point goes on down to 3 log10 and below.
type ViralLoadConfig struct {
	Rise    sim.Dist `yaml:"rise"`    // days from 3 log10 to the peak
	Peak    sim.Dist `yaml:"peak"`    // the peak, log10 copies/ml
	Decline sim.Dist `yaml:"decline"` // days from the peak back to 3 log10 (unless ToSix is set)
	// ToSix, if set, is the time from the peak down to 6 log10, in days, in place
	// of Decline; the peak must then be above 6.
	ToSix sim.Dist `yaml:"to_six"`
	// ToSixSymptomatic, if set with ToSix, is for symptomatic cases the time from
	// symptom onset down to 6 log10, in days (Larremore et al. 2021: uniform 4–9
	// days, the same draw as ToSix but counted from onset).
	ToSixSymptomatic sim.Dist `yaml:"to_six_symptomatic"`
}

// DefaultViralLoad returns the viral load of Omicron. Larremore et al. (2021)
// draw the rise from 3 log10 to the peak as 0.5 + Gamma(1.5) days (at most 3),
// the peak uniformly in 7–11 log10 and the fall to 6 log10 in 4–9 days; Omicron
// peaks lower (Hay et al. 2022, eLife 11:e81849: lower peak RNA, 9.9 days PCR
// positive in all; Ai et al. 2024: median peak Ct 27.5 in Shanghai BA.2), so the
// peak is taken uniform in 6–9 log10 [A], the rise uniform in 0.5–2.5 days and the
// fall uniform in 5–9 days [A], about 9 days of PCR positivity in all.
func DefaultViralLoad() ViralLoadConfig {
	return ViralLoadConfig{
		Rise:    sim.UniformDist(0.5, 2.5),
		Peak:    sim.UniformDist(6, 9),
		Decline: sim.UniformDist(5, 9),
	}
}

// Validate checks c and reports every problem, each with the path of its
// field under path ("testing.viral_load.peak").
func (c *ViralLoadConfig) Validate(path string) error {
	var ck sim.Checker
	c.validate(path, &ck)
	return ck.Err()
}

// validate checks c, reporting problems under path.
func (c *ViralLoadConfig) validate(path string, ck *sim.Checker) {
	fields := []struct {
		name string
		d    sim.Dist
	}{{"rise", c.Rise}, {"peak", c.Peak}}
	if c.ToSix.Family == 0 {
		fields = append(fields, struct {
			name string
			d    sim.Dist
		}{"decline", c.Decline})
	} else {
		fields = append(fields, struct {
			name string
			d    sim.Dist
		}{"to_six", c.ToSix})
		if c.ToSixSymptomatic.Family != 0 {
			fields = append(fields, struct {
				name string
				d    sim.Dist
			}{"to_six_symptomatic", c.ToSixSymptomatic})
		}
	}
	for _, f := range fields {
		floor := 0.0 // days must be positive; the peak must be above 3 log10
		if f.name == "peak" {
			floor = 3
		}
		if err := f.d.Validate(); err != nil {
			ck.Bad(path+"."+f.name, "%v", err)
		} else if f.d.Min() <= floor {
			ck.Bad(path+"."+f.name, "must take values above %v, got %v", floor, f.d)
		}
	}
}

// ViralLoad is the viral load of one infection: a piecewise-linear curve of log10
// copies/ml through (Infected, 0), (Detectable, 3), (PeakTime, Peak) and
// (Cleared, 3), going on down towards 0 after that.
type ViralLoad struct {
	Infected   sim.Time // the infection, where the curve starts from 0
	Detectable sim.Time // the end of the latent period, at 3 log10 copies/ml
	PeakTime   sim.Time // when the load peaks
	Peak       float64  // the peak, in log10 copies/ml
	Cleared    sim.Time // when the load falls back to 3 log10 copies/ml
}

// viralLoad draws the viral load of an infection from its person's key. With
// [TimingViralLoad], the disease's curve is the infection's, whatever c.
func (m *Model) viralLoad(inf *Infection, c *ViralLoadConfig) ViralLoad {
	if m.cfg.Disease.Infectiousness.Timing == TimingViralLoad {
		c = &m.cfg.Disease.Infectiousness.ViralLoad
	}
	m.sPerson.Key(uint64(inf.Person)).Named("viral load").Seed(m.pcg)
	rise := c.Rise.Sample(m.pcg)
	peak := c.Peak.Sample(m.pcg)
	v := ViralLoad{Infected: inf.Time, Detectable: inf.Infectious, Peak: peak}
	v.PeakTime = v.Detectable.Add(sim.Duration(rise))
	if c.ToSix.Family == 0 {
		v.Cleared = v.PeakTime.Add(sim.Duration(c.Decline.Sample(m.pcg)))
		return v
	}
	// The time the fall reaches 6 log10, then the line on to 3.
	toSix := c.ToSix.Sample(m.pcg)
	six := v.PeakTime.Add(sim.Duration(toSix))
	if inf.Symptomatic && c.ToSixSymptomatic.Family != 0 {
		six = inf.Onset.Add(sim.Duration(c.ToSixSymptomatic.Sample(m.pcg)))
	}
	v.Cleared = v.PeakTime + (six-v.PeakTime)*sim.Time((peak-3)/(peak-6))
	return v
}

// infectiousWindow returns when the load is above 6 log10 (from a to b, with
// the peak at c) and the area of log10(load) − 6 over that time (0 if the peak
// is not above 6).
func (v ViralLoad) infectiousWindow() (a, c, b sim.Time, area float64) {
	if v.Peak <= 6 {
		return v.PeakTime, v.PeakTime, v.PeakTime, 0
	}
	a = v.Detectable + (v.PeakTime-v.Detectable)*sim.Time(3/(v.Peak-3))
	b = v.PeakTime + (v.Cleared-v.PeakTime)*sim.Time((v.Peak-6)/(v.Peak-3))
	return a, v.PeakTime, b, (v.Peak - 6) * float64(b-a) / 2
}

// Log10 returns the viral load at time t, in log10 copies/ml (-Inf before the
// infection and once the fall has reached 0).
func (v ViralLoad) Log10(t sim.Time) float64 {
	lerp := func(t0, t1 sim.Time, y0, y1 float64) float64 {
		if t1 <= t0 {
			return y1
		}
		return y0 + (y1-y0)*float64(t-t0)/float64(t1-t0)
	}
	switch {
	case t < v.Infected:
		return math.Inf(-1)
	case t < v.Detectable:
		return lerp(v.Infected, v.Detectable, 0, 3)
	case t < v.PeakTime:
		return lerp(v.Detectable, v.PeakTime, 3, v.Peak)
	}
	y := lerp(v.PeakTime, v.Cleared, v.Peak, 3)
	if y <= 0 {
		return math.Inf(-1)
	}
	return y
}

// TimeAbove returns how long the viral load stays at or above level (in log10
// copies/ml, at least 3): the length of the window in which a test with that limit
// of detection is positive.
func (v ViralLoad) TimeAbove(level float64) sim.Duration {
	if level > v.Peak {
		return 0
	}
	f := (v.Peak - level) / (v.Peak - 3)
	return sim.Duration(f * float64(v.Cleared-v.Detectable))
}

// tieToViralLoad makes the course of infection inf follow its viral load, with
// [TimingViralLoad]: a symptomatic case's onset follows the peak (with
// OnsetAfterPeak; a severe course moves with it), and the case stops being
// infectious when its load falls below 6 log10 (not before its onset).
func (m *Model) tieToViralLoad(inf *Infection) {
	in := &m.cfg.Disease.Infectiousness
	if inf.Symptomatic && in.OnsetAfterPeak.Family != 0 {
		v := m.viralLoad(inf, nil)
		after := in.OnsetAfterPeak.Sample(m.sPerson.Key(uint64(inf.Person)).Named("onset after peak").Source())
		onset := v.PeakTime.Add(sim.Duration(after))
		shift := onset - inf.Onset
		inf.Onset = onset
		if inf.Severe {
			inf.SevereTime += shift
			inf.OutcomeTime += shift
		}
	}
	_, _, end, _ := m.viralLoad(inf, nil).infectiousWindow()
	if inf.Symptomatic {
		end = max(end, inf.Onset)
	}
	inf.Recovery = max(end, inf.Infectious)
}

// viralLoadAreas returns, for a sample of symptomatic and asymptomatic cases of
// cfg's [TimingViralLoad] disease, the areas of log10(load) − 6 above 6 (a
// fixed-seed sample of 8,192 each: the mean is within about 0.5% of the exact).
func viralLoadAreas(cfg *Config) (sym, asym []float64) {
	in := &cfg.Disease.Infectiousness
	c := &in.ViralLoad
	src := rand.NewPCG(15, 2021)
	const n = 8192
	for class := 0; class < 2; class++ {
		out := make([]float64, n)
		for i := range out {
			rise, peak := c.Rise.Sample(src), c.Peak.Sample(src)
			var fall6 float64 // from the peak down to 6 log10
			switch {
			case c.ToSix.Family == 0:
				fall6 = c.Decline.Sample(src) * (peak - 6) / (peak - 3)
			case class == 1 && c.ToSixSymptomatic.Family != 0:
				fall6 = c.ToSixSymptomatic.Sample(src)
				if in.OnsetAfterPeak.Family != 0 {
					fall6 += in.OnsetAfterPeak.Sample(src)
				} else {
					fall6 += cfg.Disease.Presymptomatic.Sample(src) - rise
				}
			default:
				fall6 = c.ToSix.Sample(src)
			}
			if peak > 6 && fall6 > 0 {
				out[i] = (peak - 6) / 2 * (rise*(peak-6)/(peak-3) + fall6)
			}
		}
		if class == 0 {
			asym = out
		} else {
			sym = out
		}
	}
	return sym, asym
}

// meanOf returns the mean of xs.
func meanOf(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// triangular returns the time at quantile u of the triangular distribution on
// [a, b] with mode c: how a case's contacts are spread under [TimingViralLoad].
func triangular(a, c, b sim.Time, u float64) sim.Time {
	if b <= a {
		return a
	}
	w := float64(b - a)
	if f := float64(c-a) / w; u < f {
		return a + sim.Time(math.Sqrt(u*w*float64(c-a)))
	}
	return b - sim.Time(math.Sqrt((1-u)*w*float64(b-c)))
}
