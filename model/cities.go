package model

import (
	"hash/maphash"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/epiplan/epiplan/sim"
)

// Cities shares the drawn parts of the static population between the runs
// that are given it ([Options].Cities): the households of each run of people
// and the residents' ages counted by area. Both are a pure function of the
// run's stream and of the population's structure (areas, age shares,
// household sizes), so the runs of one replication that share them (the
// strategies of a paired comparison, the evaluations and refits of a
// calibration) draw them once, and every run is exactly what it would be
// without. It holds the cities of at most the given number of streams (the
// oldest one is dropped first): about 2 MB each for a city of 8 million, once
// an outbreak has reached most of it. A Cities is safe for concurrent use.
type Cities struct {
	mu     sync.Mutex
	max    int
	cities map[cityKey]*cityShare
	order  []cityKey // oldest first
}

// DefaultCities is the number of cities a [Cities] holds when NewCities is
// given 0: the replications of a default run or of a calibration.
const DefaultCities = 32

// NewCities returns an empty Cities that holds at most max cities (0:
// DefaultCities).
func NewCities(max int) *Cities {
	if max <= 0 {
		max = DefaultCities
	}
	return &Cities{max: max, cities: map[cityKey]*cityShare{}}
}

// cityKey names a city: the run's stream and a hash of its structure.
type cityKey struct {
	stream sim.Stream
	shape  uint64
}

// cityShare is what the runs of one city share: the households drawn so far,
// by run of people, and the residents by area and age group once a run has
// counted them. What it holds never changes once stored; a run's households are
// read without a lock (most reads find them).
type cityShare struct {
	shape     []float64                  // the structure the key's hash was made of, compared on a hit
	runs      []atomic.Pointer[runChunk] // by chunk of runs of people; nil with households of a fixed size
	mu        sync.Mutex                 // guards residents
	residents []int32
}

// runChunk holds the households of chunkRuns consecutive runs of people. The
// share makes a chunk only when one of its runs is drawn: a small outbreak in
// a city of 8.4 million reaches a few hundred of its 16,400 runs, and a slot
// for every run would cost the run 130 KB (BenchmarkEpidemic/small).
type runChunk [chunkRuns]atomic.Pointer[runStarts]

// chunkRuns is the number of runs of people in a runChunk.
const chunkRuns = 16

// newCityShare returns an empty share of a city of the given shape and number
// of runs of people whose households are drawn (0 if none is).
func newCityShare(shape []float64, runs int32) *cityShare {
	return &cityShare{shape: shape, runs: make([]atomic.Pointer[runChunk], (runs+chunkRuns-1)/chunkRuns)}
}

// run returns the households of run r, or nil if no one has drawn them.
func (s *cityShare) run(r int32) *runStarts {
	c := s.runs[r/chunkRuns].Load()
	if c == nil {
		return nil
	}
	return c[r%chunkRuns].Load()
}

// store keeps the households of run r and returns those kept: set, or those
// another run stored first (the same, drawn from the same key).
func (s *cityShare) store(r int32, set *runStarts) *runStarts {
	at := &s.runs[r/chunkRuns]
	c := at.Load()
	if c == nil {
		at.CompareAndSwap(nil, new(runChunk)) // fails if another run stored one first
		c = at.Load()
	}
	if c[r%chunkRuns].CompareAndSwap(nil, set) {
		return set
	}
	return c[r%chunkRuns].Load()
}

// residentsByAge returns the residents by area and age group, counting them
// with count the first time.
func (s *cityShare) residentsByAge(count func() []int32) []int32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.residents == nil {
		s.residents = count()
	}
	return s.residents
}

// shapeSeed keys the hashes of city structures (any fixed seed would do: the
// hash only tells cities apart within one process).
var shapeSeed = maphash.MakeSeed()

// drawnRuns returns the number of runs of people whose households are drawn:
// all of them, unless every household has the same size.
func (c *city) drawnRuns() int32 {
	if c.hhSizes.Family == sim.FamilyFixed {
		return 0
	}
	return c.runCount
}

// shape returns the numbers that decide c's drawn population: the leaf areas'
// first people and their area ids (a run's households are keyed by its leaf's
// id, which the nesting of the areas decides), the population, the cumulative
// age shares and the household sizes.
func (c *city) shape() []float64 {
	var out []float64
	for _, lo := range c.leafLo {
		out = append(out, float64(lo))
	}
	out = append(out, -1)
	for _, a := range c.leaves {
		out = append(out, float64(a))
	}
	// -1 parts the lists: every number in them is ≥ 0.
	out = append(out, -1, float64(c.n))
	out = append(out, c.ageCum...)
	h := &c.hhSizes
	out = append(out, -1, float64(h.Family), h.P1)
	out = append(out, h.Values...)
	out = append(out, -1)
	return append(out, h.Weights...)
}

// share returns the share of city c drawn from stream.
func (cs *Cities) share(c *city, stream sim.Stream) *cityShare {
	shape := c.shape()
	var h maphash.Hash
	h.SetSeed(shapeSeed)
	for _, v := range shape {
		maphash.WriteComparable(&h, math.Float64bits(v))
	}
	key := cityKey{stream: stream, shape: h.Sum64()}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if s := cs.cities[key]; s != nil && slices.Equal(s.shape, shape) {
		return s
	}
	if _, ok := cs.cities[key]; !ok {
		cs.order = append(cs.order, key)
	}
	s := newCityShare(shape, c.drawnRuns())
	cs.cities[key] = s
	for len(cs.order) > cs.max {
		delete(cs.cities, cs.order[0])
		cs.order = cs.order[1:]
	}
	return s
}
