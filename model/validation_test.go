package model

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"

	"github.com/epiplan/epiplan/sim"
)

// finalSize solves z = 1 - exp(-r0 z) for the attack rate of a major SIR outbreak.
func finalSize(r0 float64) float64 {
	z := 0.9
	for i := 0; i < 200; i++ {
		z = 1 - math.Exp(-r0*z)
	}
	return z
}

func TestFinalSizeSIR(t *testing.T) {
	// N = 10^5, one index case, run to extinction. Runs with more than 1,000
	// infections are major outbreaks (a minor one stays far below: its size has a
	// Borel-like tail that is negligible at 1,000). The standard deviation of the
	// attack rate of a major outbreak is about √(N z(1-z))/(1-R0(1-z))/N, at most
	// 0.005 here; the mean of ≥ 50 majors has a standard error ≤ 0.0007, so the
	// tolerance of 0.01 holds with a wide margin.
	const n = 100_000
	for _, c := range []struct{ r0, z float64 }{{1.5, 0.5828}, {2, 0.7968}, {2.5, 0.8926}} {
		assert.InDelta(t, c.z, finalSize(c.r0), 1e-4, "the published roots")
		reps := 130 // P(major) = 1 - 1/R0 ≥ 1/3: about 43–78 majors expected
		if c.r0 == 1.5 {
			reps = 180
		}
		var sizes []float64
		for _, r := range runMany(t, sirConfig(n, c.r0), 11, reps, Options{}) {
			require.Equal(t, StopExtinct, r.StopReason)
			// A major outbreak infects z > BurnedOutShare of the city (z is
			// 0.58 or more here, its sd at most 0.005): it burned out and
			// was not controlled; a minor one is neither burned out nor, if
			// it ended 14 days before the horizon, uncontrolled.
			x := metric(t, r, "infections")
			if x > 1000 {
				sizes = append(sizes, x/n)
				require.Equal(t, 1.0, metric(t, r, "burned_out"), "R0 %v: a major outbreak of %.0f", c.r0, x)
				require.Equal(t, 0.0, metric(t, r, "controlled"), "R0 %v: a major outbreak of %.0f", c.r0, x)
			} else {
				require.Equal(t, 0.0, metric(t, r, "burned_out"), "R0 %v: a minor outbreak of %.0f", c.r0, x)
				require.Equal(t, 1.0, metric(t, r, "controlled"), "R0 %v: a minor outbreak of %.0f", c.r0, x)
			}
		}
		require.GreaterOrEqual(t, len(sizes), 50, "R0 %v: major outbreaks", c.r0)
		mean := stat.Mean(sizes, nil)
		t.Logf("R0 %.1f: %d major outbreaks, mean attack rate %.4f (theory %.4f)", c.r0, len(sizes), mean, c.z)
		assert.InDelta(t, c.z, mean, 0.01, "R0 %v", c.r0)
	}
}

// takeOff returns the fraction of runs that reach cap infections.
func takeOff(t *testing.T, cfg *Config, seed uint64, runs, cap int) float64 {
	t.Helper()
	off := 0
	for _, r := range runMany(t, cfg, seed, runs, Options{MaxInfections: cap}) {
		if r.StopReason == StopMaxInfections {
			off++
		} else {
			require.Equal(t, StopExtinct, r.StopReason)
		}
	}
	return float64(off) / float64(runs)
}

func TestOutbreakProbability(t *testing.T) {
	// From one index case in a city too large to deplete (10^7 people; a run
	// stops at 300 infections), with an exponential infectious period the
	// offspring number is geometric and a major outbreak happens with probability
	// 1 - 1/R0. Once 300 infections have happened, extinction has probability about
	// (1/R0)^300: negligible. With 2,000 runs the standard error of the fraction is
	// at most 0.011, so the tolerance of 0.03 is 2.7 standard errors.
	const runs, cap = 2000, 300
	for _, r0 := range []float64{1.5, 2, 3} {
		p := takeOff(t, sirConfig(10_000_000, r0), 21, runs, cap)
		t.Logf("R0 %.1f: take-off %.4f (theory %.4f)", r0, p, 1-1/r0)
		assert.InDelta(t, 1-1/r0, p, 0.03, "R0 %v", r0)
	}

	// Negative binomial offspring, R = 2.5 and k = 0.16 (SARS-like
	// super-spreading; Lloyd-Smith et al. 2005): offspring are Poisson with a
	// gamma-distributed mean, which the model gets from individual infectiousness
	// with dispersion k and a number of contacts that does not depend on the course
	// of disease. The extinction probability is the root q of q = (1 + R(1-q)/k)^-k.
	cfg := sirConfig(10_000_000, 2.5)
	cfg.Disease.Infectiousness = Infectiousness{
		Timing: TimingGeneration, Generation: sim.GammaDist(3, 1.5), Dispersion: 0.16, AsymptomaticFactor: 1,
	}
	q := nbExtinction(2.5, 0.16)
	assert.InDelta(t, 0.7945, q, 1e-4)
	p := takeOff(t, cfg, 22, runs, cap)
	t.Logf("NB R 2.5 k 0.16: extinction %.4f (theory %.4f)", 1-p, q)
	assert.InDelta(t, q, 1-p, 0.03)
}

// nbExtinction solves q = (1 + R(1-q)/k)^(-k) by iteration from 0.
func nbExtinction(r, k float64) float64 {
	q := 0.0
	for i := 0; i < 10000; i++ {
		q = math.Pow(1+r*(1-q)/k, -k)
	}
	return q
}

func TestGrowthRate(t *testing.T) {
	// With a gamma generation interval (shape a, mean m) the early epidemic grows
	// at the rate r that solves R = (1 + r m/a)^a (Wallinga and Lipsitch 2007).
	// The model runs in a city of 10^8 (depletion below 0.2%) until 120,000
	// infections; r is the slope of log daily infections over the days with
	// 1,000 or more infections, fitted per run and averaged over the runs that
	// took off (early noise shifts the level, not the slope). The slopes of the
	// runs agree within about 1%; the tolerance is 5%.
	for _, c := range []struct{ r, a, m float64 }{{2, 2.5, 3}, {1.5, 4, 5}} {
		cfg := sirConfig(100_000_000, c.r)
		cfg.Disease.Infectiousness = Infectiousness{
			Timing: TimingGeneration, Generation: sim.GammaDist(c.m, c.m/math.Sqrt(c.a)), AsymptomaticFactor: 1,
		}
		cfg.Imports.Initial = 20
		want := c.a / c.m * (math.Pow(c.r, 1/c.a) - 1)
		// Fit each run on its own (runs take off at different times, so pooling
		// them would bias the slope) and average the slopes.
		var slopes []float64
		for _, res := range runMany(t, cfg, 31, 8, Options{MaxInfections: 120_000}) {
			ni := res.Series.Get("new_infections")
			var days, logs []float64
			for d := 0; d+1 < len(ni); d++ { // the last day is partial
				if ni[d] >= 1000 {
					days = append(days, float64(d))
					logs = append(logs, math.Log(ni[d]))
				}
			}
			if len(days) >= 5 {
				_, slope := stat.LinearRegression(days, logs, nil, false)
				slopes = append(slopes, slope)
			}
		}
		require.GreaterOrEqual(t, len(slopes), 6, "runs that took off")
		slope := stat.Mean(slopes, nil)
		t.Logf("R %.1f a %.1f m %.1f: r = %.4f per day (theory %.4f)", c.r, c.a, c.m, slope, want)
		assert.InEpsilon(t, want, slope, 0.05)
		// And back: the R implied by the measured r.
		assert.InEpsilon(t, c.r, math.Pow(1+slope*c.m/c.a, c.a), 0.05)
	}
}

func TestStoppedRunsEnded(t *testing.T) {
	// A run a measure stops (as stop_after_community_zero does) ended: it is
	// controlled though its last infection is days, not 14 days, before its
	// end; the same outbreak cut by the horizon was still going.
	for _, c := range []struct {
		stop       bool
		controlled float64
	}{{true, 1}, {false, 0}} {
		cfg := quietConfig(10_000, 5)
		m, err := New(cfg, sim.NewStream(3).Key(0), Options{Horizon: 3})
		require.NoError(t, err)
		if c.stop {
			require.NoError(t, m.Add(MeasureFunc(func(m *Model) error {
				m.Observe(dayCheck(func(m *Model, day int) {
					if day == 1 {
						m.Stop("community_zero")
					}
				}))
				return nil
			})))
		}
		r := m.Run()
		assert.Equal(t, c.controlled, metric(t, r, "controlled"), "stopped by a measure: %v (%s)", c.stop, r.StopReason)
		assert.Equal(t, 0.0, metric(t, r, "burned_out"))
	}
}
