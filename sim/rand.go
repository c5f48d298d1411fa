package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Stream is a node in a tree of random streams derived from keys. A run's root
// stream comes from its seed; every purpose (incubation periods, contacts, test
// results) and every entity (a person, a replication) derives its own child stream
// with [Stream.Key] or [Stream.Named], and draws from a source seeded by it.
//
// Because a stream is a pure function of the path of keys that leads to it, draws
// for one purpose never shift draws for another, and two strategies run on the same
// seed see the same draws wherever their histories agree (common random numbers).
// A Stream is a small value; deriving one allocates nothing.
type Stream struct {
	a, b uint64
}

// NewStream returns the root stream of a seed.
func NewStream(seed uint64) Stream {
	return Stream{a: mix64(seed ^ 0x6a09e667f3bcc908), b: mix64(seed + 0xbb67ae8584caa73b)}
}

// Key returns the child stream of s for an integer key, such as a replication
// index or an entity id.
func (s Stream) Key(k uint64) Stream {
	h := mix64(k + 0x9e3779b97f4a7c15)
	return Stream{a: mix64(s.a ^ h), b: mix64(s.b + h ^ 0x3c6ef372fe94f82b)}
}

// Named returns the child stream of s for a purpose given as text, such as
// "incubation". Names are hashed (FNV-1a), so they cost nothing to keep stable.
func (s Stream) Named(purpose string) Stream {
	h := uint64(0xcbf29ce484222325)
	for i := 0; i < len(purpose); i++ {
		h ^= uint64(purpose[i])
		h *= 0x100000001b3
	}
	// Keep names apart from small integer keys.
	return s.Key(h ^ 0xa54ff53a5f1d36f1)
}

// Seed seeds p from s, so that a PCG held by value can be reused for many keyed
// draws without allocating.
func (s Stream) Seed(p *rand.PCG) { p.Seed(s.a, s.b) }

// Source returns a new random source seeded from s.
func (s Stream) Source() *rand.PCG { return rand.NewPCG(s.a, s.b) }

// Rand returns a new generator seeded from s.
func (s Stream) Rand() *rand.Rand { return rand.New(s.Source()) }

// Uint64 returns a single pseudo-random value determined by s alone, for a keyed
// draw that needs one number and no source (s.Key(i).Uint64()).
func (s Stream) Uint64() uint64 { return mix64(s.a ^ mix64(s.b)) }

// Float64 returns a single pseudo-random value in [0, 1) determined by s alone.
func (s Stream) Float64() float64 { return float64(s.Uint64()>>11) / (1 << 53) }

// String writes the stream's state as 32 hexadecimal digits: two streams with
// the same text draw the same numbers. Runs record their replications' streams
// this way, so that a result can be traced to the draws that made it.
func (s Stream) String() string { return fmt.Sprintf("%016x%016x", s.a, s.b) }

// mix64 is the finalizer of SplitMix64 (Steele, Lea and Flood 2014): a bijection on
// 64-bit words whose output bits each depend on every input bit.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Poisson draws from the Poisson distribution with mean lam, with the
// uniforms of src (as rand.Rand.Float64 makes them): by multiplication of
// uniforms below 10, by Hörmann's transformed rejection (PTRS; Hörmann 1993,
// Insurance Math Econom 12:39) above. It panics if lam is infinite or NaN.
func Poisson(src rand.Source, lam float64) int {
	r := uniforms{src}
	if !(lam < math.Inf(1)) {
		panic(fmt.Sprintf("sim: Poisson mean %v", lam))
	}
	if lam <= 0 {
		return 0
	}
	if lam < 10 {
		limit, p, k := math.Exp(-lam), r.Float64(), 0
		for p > limit {
			p *= r.Float64()
			k++
		}
		return k
	}
	slam, loglam := math.Sqrt(lam), math.Log(lam)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invAlpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lam + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || us < 0.013 && v > us {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invAlpha)-math.Log(a/(us*us)+b) <= -lam+k*loglam-lg {
			return int(k)
		}
	}
}

// uniforms draws uniforms in [0, 1) from a source, as rand.Rand.Float64 does,
// without a rand.Rand around it.
type uniforms struct{ src rand.Source }

// Float64 returns a uniform in [0, 1).
func (u uniforms) Float64() float64 { return float64(u.src.Uint64()<<11>>11) / (1 << 53) }
