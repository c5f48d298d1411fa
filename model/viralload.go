package model

import (
	"fmt"
	"math"

	"github.com/epiplan/epiplan/sim"
)

// ViralLoadConfig describes the viral load of an infection over time, in log10
// copies per ml, as a hinge (Larremore et al. 2021, Sci Adv 7:eabd5393): it rises
// linearly from 3 log10 at the end of the latent period (when PCR first detects
// the virus) to a peak, then falls linearly back to 3 log10. Before and after, the
// lines go on towards 0. Each infection draws its own control points.
type ViralLoadConfig struct {
	Rise    sim.Dist `yaml:"rise"`    // days from 3 log10 to the peak
	Peak    sim.Dist `yaml:"peak"`    // the peak, log10 copies/ml
	Decline sim.Dist `yaml:"decline"` // days from the peak back to 3 log10
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

// validate checks c, reporting problems under path.
func (c *ViralLoadConfig) validate(path string, ck *checker) {
	for _, f := range []struct {
		name string
		d    sim.Dist
	}{{"rise", c.Rise}, {"peak", c.Peak}, {"decline", c.Decline}} {
		floor := 0.0 // days must be positive; the peak must be above 3 log10
		if f.name == "peak" {
			floor = 3
		}
		if err := f.d.Validate(); err != nil {
			ck.bad(path+"."+f.name, "%v", err)
		} else if distMin(f.d) <= floor {
			ck.bad(path+"."+f.name, "must take values above %v, got %v", floor, f.d)
		}
	}
}

// distMin returns the smallest value a distribution can take (0 for the
// families on the positive half-line).
func distMin(d sim.Dist) float64 {
	switch d.Family {
	case sim.FamilyFixed, sim.FamilyUniform:
		return d.P1
	case sim.FamilyEmpirical:
		lo := math.Inf(1)
		for _, v := range d.Values {
			lo = math.Min(lo, v)
		}
		return lo
	case sim.FamilySkewNormal:
		return math.Inf(-1)
	}
	return math.SmallestNonzeroFloat64
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

// viralLoad draws the viral load of an infection from its person's key.
func (m *Model) viralLoad(inf *Infection, c *ViralLoadConfig) ViralLoad {
	m.sPerson.Key(uint64(inf.Person)).Named("viral load").Seed(m.pcg)
	rise := c.Rise.Sample(m.pcg)
	peak := c.Peak.Sample(m.pcg)
	decline := c.Decline.Sample(m.pcg)
	v := ViralLoad{Infected: inf.Time, Detectable: inf.Infectious, Peak: peak}
	v.PeakTime = v.Detectable.Add(sim.Duration(rise))
	v.Cleared = v.PeakTime.Add(sim.Duration(decline))
	return v
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

// TestKind is a kind of test: what it detects and what it costs.
type TestKind struct {
	// Name labels the test ("pcr", "antigen").
	Name string `yaml:"name"`
	// LoD is the limit of detection, log10 copies/ml: a sample is positive when its
	// concentration is at or above it.
	LoD float64 `yaml:"lod"`
}

// PCR and antigen tests. PCR detects about 10^3 copies/ml (the limit used by
// Larremore et al. 2021); antigen tests about 10^5–10^6 (limits of detection of 14
// rapid antigen tests span Ct 26.8–34.7, Sci Rep 2021) [A: 10^5.5].
var (
	PCR     = TestKind{Name: "pcr", LoD: 3}
	Antigen = TestKind{Name: "antigen", LoD: 5.5}
)

// PoolPositive reports whether a pool of n samples is positive: the samples' viral
// loads (log10 copies/ml; -Inf for an uninfected sample) are diluted together,
// so the pool's concentration is the sum of theirs over n. One infected sample of
// load x in a pool of n is detected when x - log10(n) ≥ lod.
func PoolPositive(loads []float64, n int, lod float64) bool {
	if n < 1 || n < len(loads) {
		panic(fmt.Sprintf("model: pool of %d samples with %d loads", n, len(loads)))
	}
	sum := 0.0
	for _, x := range loads {
		sum += math.Pow(10, x)
	}
	return sum > 0 && math.Log10(sum/float64(n)) >= lod-1e-12
}
