package control

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// larremoreRun returns the offspring of each index case of cfg under isolation
// at onset, and under screening every `every` days with limit of detection lod
// and results `turnaround` later if every > 0.
func larremoreRun(t *testing.T, cfg *model.Config, every sim.Duration, lod float64, turnaround sim.Duration) []float64 {
	m, err := model.New(cfg, sim.NewStream(29).Key(0), model.Options{})
	require.NoError(t, err)
	require.NoError(t, m.Add(indexCaseScreening(every, TestKind{Name: "test", LoD: lod}, turnaround)...))
	res := m.Run()
	var out []float64
	for i := 0; i < res.LineList.Len(); i++ {
		if inf := res.LineList.At(i); inf.Layer == model.LayerImport {
			out = append(out, float64(inf.Offspring))
		}
	}
	return out
}

// ratio returns Σx/Σy over paired samples and its standard error (delta method).
func ratio(x, y []float64) (f, se float64) {
	sx, sy := 0.0, 0.0
	for i := range x {
		sx += x[i]
		sy += y[i]
	}
	f = sx / sy
	v := 0.0
	for i := range x {
		d := x[i] - f*y[i]
		v += d * d
	}
	n := float64(len(x))
	return f, math.Sqrt(v/(n-1)/n) / (sy / n)
}

// larremoreContinuous returns the share of transmission left by screening
// every `every` days (a uniform phase) with limit of detection lod and results
// turnaround later, on top of isolation at symptom onset, relative to isolation
// at onset alone, for n cases of Larremore et al.'s model in continuous time:
// their SEIR_viral_load.py with the load, the tests and the infectiousness on
// continuous time instead of whole days. It is written here from their code,
// independently of the model, and integrates by the midpoint rule.
func larremoreContinuous(every, lod, turnaround float64, n int, r *rand.Rand) (f, se float64) {
	gamma := distuv.Gamma{Alpha: 1.5, Beta: 1, Src: r}
	tPeak := func() float64 {
		for {
			if x := 0.5 + gamma.Rand(); x <= 3 {
				return x
			}
		}
	}
	kept := make([]float64, n)  // infectiousness left with screening and isolation at onset
	onset := make([]float64, n) // ... with isolation at onset alone
	for i := range kept {
		symptomatic := r.Float64() >= 0.65
		tp, vp, t6, t3 := tPeak(), 7+4*r.Float64(), 4+5*r.Float64(), 2.5+r.Float64()
		ts := 0.0
		if symptomatic {
			ts = 3 * r.Float64()
		}
		peak, six := t3+tp, t3+tp+ts+t6
		load := func(t float64) float64 {
			switch {
			case t < t3:
				return 0
			case t < peak:
				return 3 + (t-t3)*(vp-3)/(peak-t3)
			}
			return vp + (t-peak)*(6-vp)/(six-peak)
		}
		area := func(a, b float64) float64 { // of log10(load) − 6 above 6
			const steps = 400
			if b <= a {
				return 0
			}
			h, s := (b-a)/steps, 0.0
			for k := 0; k < steps; k++ {
				s += max(0, load(a+(float64(k)+0.5)*h)-6)
			}
			return s * h
		}
		end := six
		stop := end // isolation at onset
		if symptomatic {
			stop = peak + ts
		}
		onset[i] = area(0, stop)
		for t := every * r.Float64(); t < 40; t += every {
			if load(t) > lod {
				stop = min(stop, t+turnaround)
				break
			}
		}
		kept[i] = area(0, stop)
	}
	return ratio(kept, onset)
}

func TestScreeningAgainstLarremore(t *testing.T) {
	// Larremore et al. 2021 (Sci Adv 7:eabd5393; code LarremoreLab/covid_testing):
	// screening every D days with a test of limit of detection L and results T
	// days later, positives isolated, on top of isolation at symptom onset, with
	// infectiousness proportional to log10 viral load above 10^6. The share of
	// transmission left (R under screening / R under isolation at onset alone)
	// from 5,000 index cases of the model, against the published model in
	// continuous time (20,000 cases), within 3 standard errors of the difference.
	//
	// The published code evaluates the load, the tests and the infectiousness on
	// whole days and removes the whole day of a positive test: its notebook's
	// example (every 5 days, L = 6, T = 0: R 2.5 → 0.91, a share of 0.364) is
	// 0.508 in continuous time, which is what the model reproduces.
	base := larremoreRun(t, larremoreConfig(2.5, 5000), 0, 0, 0)
	r := rand.New(rand.NewPCG(21, 2021))
	left := map[[3]float64]float64{}
	for _, c := range []struct {
		every      sim.Duration
		lod        float64
		turnaround sim.Duration
	}{{5, 6, 0}, {1, 5, 0}, {3, 3, 0}, {3, 5, 0}, {7, 3, 0}, {7, 5, 0}, {7, 3, 2}} {
		x := larremoreRun(t, larremoreConfig(2.5, 5000), c.every, c.lod, c.turnaround)
		got, se := ratio(x, base)
		want, seWant := larremoreContinuous(float64(c.every), c.lod, float64(c.turnaround), 20_000, r)
		tol := 3 * math.Hypot(se, seWant)
		t.Logf("every %v, LoD %v, results after %v: R × %.3f (SE %.3f); published model in continuous time %.3f (SE %.3f)",
			c.every, c.lod, c.turnaround, got, se, want, seWant)
		assert.InDelta(t, want, got, tol, "every %v, LoD %v, turnaround %v", c.every, c.lod, c.turnaround)
		left[[3]float64{float64(c.every), c.lod, float64(c.turnaround)}] = got
	}
	// The published result's shape: frequency and turnaround matter more than
	// sensitivity. Daily tests at 10^5 beat tests every 3 days at 10^3; tests
	// every 3 days at 10^5 beat weekly tests at 10^3; at weekly tests, 2 days of
	// turnaround cost more than a limit of 10^5 instead of 10^3. Each difference
	// is more than 5 standard errors (about 0.01 each).
	assert.Less(t, left[[3]float64{1, 5, 0}], left[[3]float64{3, 3, 0}]-0.05)
	assert.Less(t, left[[3]float64{3, 5, 0}], left[[3]float64{7, 3, 0}]-0.05)
	assert.Greater(t, left[[3]float64{7, 3, 2}]-left[[3]float64{7, 3, 0}], left[[3]float64{7, 5, 0}]-left[[3]float64{7, 3, 0}]+0.05)
}
