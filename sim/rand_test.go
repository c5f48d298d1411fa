package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

func draws(s Stream, n int) []uint64 {
	r := s.Rand()
	out := make([]uint64, n)
	for i := range out {
		out[i] = r.Uint64()
	}
	return out
}

func TestStreamsAreKeyed(t *testing.T) {
	root := NewStream(42)
	assert.Equal(t, draws(root.Key(3).Named("incubation"), 10), draws(NewStream(42).Key(3).Named("incubation"), 10),
		"a stream is a pure function of its path of keys")
	assert.NotEqual(t, draws(root.Key(0), 4), draws(root.Key(1), 4), "replications differ")
	assert.NotEqual(t, draws(root.Named("contacts"), 4), draws(root.Named("tests"), 4), "purposes differ")
	assert.NotEqual(t, draws(NewStream(1), 4), draws(NewStream(2), 4), "seeds differ")
	assert.NotEqual(t, draws(root.Key(1).Key(2), 4), draws(root.Key(2).Key(1), 4), "the order of keys matters")
	assert.NotEqual(t, draws(root, 4), draws(root.Key(0), 4), "a child differs from its parent")
}

func TestDrawsOnOnePurposeDoNotShiftAnother(t *testing.T) {
	// Two runs share a seed; the second draws extra numbers for "testing". The
	// draws for "incubation" must be the same in both, whatever the interleaving.
	run := func(extra int) []float64 {
		root := NewStream(7).Key(0)
		inc := root.Named("incubation").Rand()
		tst := root.Named("testing").Rand()
		var got []float64
		for i := 0; i < 100; i++ {
			for j := 0; j < extra*i%5; j++ {
				tst.Float64()
			}
			got = append(got, inc.Float64())
		}
		return got
	}
	assert.Equal(t, run(0), run(3))
}

func TestStreamSeedReusesSource(t *testing.T) {
	var p rand.PCG
	s := NewStream(9).Key(5)
	s.Seed(&p)
	a := p.Uint64()
	assert.Equal(t, s.Source().Uint64(), a)
	allocs := testing.AllocsPerRun(1000, func() { NewStream(9).Key(5).Named("x").Seed(&p) })
	assert.Zero(t, allocs, "deriving and seeding a stream allocates nothing")
}

func TestStreamFloat64Uniform(t *testing.T) {
	// Single keyed draws over many keys are uniform: a chi-square test with 20 bins.
	const n, bins = 200000, 20
	var counts [bins]int
	root := NewStream(3)
	for i := 0; i < n; i++ {
		u := root.Key(uint64(i)).Float64()
		counts[int(u*bins)]++
	}
	chi2 := 0.0
	e := float64(n) / bins
	for _, c := range counts {
		chi2 += (float64(c) - e) * (float64(c) - e) / e
	}
	// 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
	assert.Less(t, chi2, 43.8)
}
