package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

// digest writes out everything a result says: its fields, every series and
// every infection.
func digest(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %v %d %v %v %v %v\n", r.StopReason, r.End, r.Days, r.Metrics, r.MeanOffspring, r.Routes, r.Series.Names)
	for _, v := range r.Series.Values {
		fmt.Fprintln(&b, v)
	}
	for i := 0; i < r.LineList.Len(); i++ {
		fmt.Fprintf(&b, "%+v\n", *r.LineList.At(i))
	}
	return b.String()
}

// TestScratchChangesNothing plays a sequence of unlike runs, with and without
// one Scratch passing memory from each to the next: small and large outbreaks,
// one whose person index turns paged, runs with and without households, a
// measure that isolates cases with Isolate and one that confines them. Each
// run with the Scratch is the same as the run without it; and the run before,
// whose memory went to the next, is left empty.
func TestScratchChangesNothing(t *testing.T) {
	ring := quietConfig(100_000_000, 20)
	ring.Population.HouseholdSize = sim.FixedDist(1)
	ring.Population.Layers = Layers{Community: 2.5}
	ring.Disease.Infectiousness.Dispersion = 0.16
	city := cityConfig()
	small := cityConfig()
	small.Population.Areas = []Area{{Name: "town", Population: 3000}}
	small.Imports = Imports{Initial: 3}
	type run struct {
		cfg     *Config
		horizon sim.Time
		cap     int
		measure func() Measure
	}
	iso := func() Measure { return isolator{s: sim.NewStream(5)} }
	confine := func() Measure { return confineAll{Home} }
	runs := []run{
		{ring, 60, 3000, iso},
		{city, 80, 0, nil},     // pages its index: the city is small
		{ring, 30, 200, iso},   // after the paged index
		{small, 100, 0, nil},   // every household of 3,000 people
		{city, 40, 0, confine}, // more series than the ring's? the same model's
		{ring, 60, 3000, nil},
	}
	var scratch Scratch
	var before *Result
	for i, r := range runs {
		play := func(sc *Scratch) *Result {
			m, err := New(r.cfg, sim.NewStream(uint64(i)).Key(3), Options{Horizon: r.horizon, MaxInfections: r.cap, Scratch: sc})
			require.NoError(t, err)
			if r.measure != nil {
				require.NoError(t, m.Add(r.measure()))
			}
			return m.Run()
		}
		want := digest(play(nil))
		got := play(&scratch)
		if before != nil {
			assert.Zero(t, before.LineList.Len(), "run %d: the run before lent its line list", i)
		}
		require.Positive(t, got.LineList.Len(), "run %d", i)
		assert.Equal(t, want, digest(got), "run %d", i)
		before = got
	}
}

// TestResultsOfOneRunAreApart checks that each Result of a run stepped with
// RunUntil keeps its own series: a later one does not write into an earlier
// one (which a Scratch's memory, given once, must not make it do).
func TestResultsOfOneRunAreApart(t *testing.T) {
	for _, sc := range []*Scratch{nil, new(Scratch)} {
		for range 2 { // the second time, on the memory of the first run
			m, err := New(cityConfig(), sim.NewStream(4).Key(1), Options{Horizon: 30, Scratch: sc})
			require.NoError(t, err)
			m.RunUntil(8.2)
			r1 := m.Result()
			before := fmt.Sprint(r1.Series.Values)
			m.RunUntil(8.9)
			r2 := m.Result()
			require.Equal(t, r1.Days, r2.Days, "the same days, so that one array could hold both")
			assert.Equal(t, before, fmt.Sprint(r1.Series.Values), "scratch %v", sc != nil)
			assert.NotEqual(t, before, fmt.Sprint(r2.Series.Values))
			m.Run()
		}
	}
}
