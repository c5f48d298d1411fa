package bench

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/epiplan/epiplan/examples/hellewell/ring"
	"github.com/epiplan/epiplan/sim"
)

// ControlledParams is the scenario of BenchmarkControlled: the baseline of
// Hellewell et al. 2020 (R0 2.5, dispersion 0.16, 20 index cases, 15% of
// transmission before onset, the short delay from onset to isolation) with 80%
// of contacts traced, stopped at 5,000 cases or the end of week 16.
var ControlledParams = ring.Baseline(0.8)

// ControlledRing plays outbreaks of p as a user of epiplan would: model.New with
// the custom measure ring.Isolation (examples/hellewell/ring, the code the
// example checks against the published model), one outbreak after the other
// with a ring.Player, as a loop of outbreaks should be written (it passes the
// model's memory from one to the next with a model.Scratch). One op is one
// outbreak; op i plays seed i (the stream sim.NewStream(i)). It reports
// ns/infection, B/infection and infections/op over the b.N outbreaks.
func ControlledRing(b *testing.B, p ring.Params) {
	pl := ring.NewPlayer(p)
	controlled(b, func(seed uint64) int {
		out, err := pl.Play(sim.NewStream(seed))
		if err != nil {
			b.Fatal(err)
		}
		return out.Infections
	})
}

// ControlledFloor plays outbreaks of p with [Floor], the same model with no
// kernel around it: the floor ControlledRing is measured against. One op is
// one outbreak; op i plays seed i. It reports what ControlledRing reports.
func ControlledFloor(b *testing.B, p ring.Params) {
	var f Floor
	controlled(b, func(seed uint64) int { return f.Play(p, seed).Infections })
}

// controlled runs play on seeds 0 to b.N-1 and reports the cost per infection.
func controlled(b *testing.B, play func(seed uint64) int) {
	var ms runtime.MemStats
	b.ReportAllocs()
	b.ResetTimer()
	runtime.ReadMemStats(&ms)
	bytes0 := ms.TotalAlloc
	infections := 0
	for i := 0; i < b.N; i++ {
		infections += play(uint64(i))
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms)
	n := float64(max(infections, 1))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/infection")
	b.ReportMetric(float64(ms.TotalAlloc-bytes0)/n, "B/infection")
	b.ReportMetric(float64(infections)/float64(b.N), "infections/op")
}

// Floor is a minimal program of the model of Hellewell et al. 2020, written
// for speed: infections in time order on a bare binary heap (that of
// BenchmarkHold's baseline), the isolation times of the cases in a slice,
// every draw from one math/rand/v2 PCG generator, no model, kernel, line list
// or measure. It plays the model of examples/hellewell/ring with the same
// distributions, drawn by other code: offspring Poisson with a gamma mean
// (the negative binomial), each infection at the infector's onset plus a
// skew-normal shift (redrawn until it falls after the infector's own
// infection), isolation at onset plus a delay, or, for a traced case, at
// max(its onset, its infector's isolation) if that is earlier. Its buffers
// are kept from one outbreak to the next. The zero value is ready to use.
type Floor struct {
	pcg      rand.PCG
	r        *rand.Rand
	isolated []float64 // isolation time of each case, in order of infection
	q        baseHeap  // pending infections: time, sequence, infector (-1: an index case)
}

// Play plays one outbreak of p on seed until the end of week 16 or
// ring.CapCases infections, and says whether it was controlled (as
// ring.Play decides it) and how many infections it had.
func (f *Floor) Play(p ring.Params, seed uint64) ring.Outcome {
	if f.r == nil {
		f.r = rand.New(&f.pcg)
	}
	f.pcg.Seed(seed, 0x9e3779b97f4a7c15)
	r := f.r
	f.isolated, f.q = f.isolated[:0], f.q[:0]
	// Weibull draws: scale·E^(1/shape), E exponential.
	incPow, incScale := 1/ring.Incubation.P1, ring.Incubation.P2
	delPow, delScale := 1/p.Delay.P1, p.Delay.P2
	delta := p.Alpha / math.Sqrt(1+p.Alpha*p.Alpha)
	rest := math.Sqrt(1 - delta*delta)
	const omega, infectious = 2.0, 60.0 // skew-normal scale; days infectious after onset
	var seq uint64
	for i := 0; i < p.IndexCases; i++ {
		seq++
		f.q.push(baseEvent{at: 0, seq: seq, id: -1})
	}
	out := ring.Outcome{Controlled: true}
	for len(f.q) > 0 {
		ev := f.q.pop()
		e := ev.at
		onset := e + incScale*math.Pow(r.ExpFloat64(), incPow)
		iso := onset + delScale*math.Pow(r.ExpFloat64(), delPow)
		if ev.id >= 0 && r.Float64() < p.Traced {
			iso = min(iso, max(onset, f.isolated[ev.id]))
		}
		from := int64(len(f.isolated))
		f.isolated = append(f.isolated, iso)
		if onset >= ring.WeeksStart && onset < ring.WeeksEnd {
			out.Controlled = false
		}
		if len(f.isolated) >= ring.CapCases {
			out.Controlled = false
			break
		}
		// Offspring: the arrivals of a unit-rate Poisson process before
		// R0·ν, with ν gamma of mean 1 and shape k.
		lam := p.R0 * sim.GammaVariate(r, p.K) / p.K // mean 1
		end := onset + infectious
		for a := r.ExpFloat64(); a < lam; a += r.ExpFloat64() {
			t := e + r.Float64()*(end-e) // as the model does if 100 draws fail
			for try := 0; try < 100; try++ {
				u0, v := r.NormFloat64(), r.NormFloat64()
				u1 := delta*u0 + rest*v
				if u0 < 0 {
					u1 = -u1
				}
				if x := onset + omega*u1; x >= e && x < end {
					t = x
					break
				}
			}
			if t < iso && t < ring.WeeksEnd {
				seq++
				f.q.push(baseEvent{at: t, seq: seq, id: from})
			}
		}
	}
	out.Infections = len(f.isolated)
	return out
}
