package model

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

// rescaledCity is the default virus and city at 200,000 people, rescaled past
// 2,000 infections: a run draws households in many runs of people and counts
// the residents by age.
func rescaledCity() (*Config, Options) {
	cfg := DefaultConfig()
	cfg.Population.Areas = []Area{{Name: "city", Population: 200_000, Communities: 20}}
	cfg.Imports.Initial = 20
	return cfg, Options{Horizon: 60, Rescale: Rescale{Threshold: 2000, Budget: 2000, MaxScale: 16}}
}

func TestCitiesLeaveRunsUnchanged(t *testing.T) {
	// Runs that share a Cities, two of them at once on the same stream, are
	// the run without one: the same line list, series and metrics. The second
	// draws nothing: the households and residents are those the first drew.
	cfg, opts := rescaledCity()
	stream := sim.NewStream(3).Key(1)
	alone, err := New(cfg, stream, opts)
	require.NoError(t, err)
	want := alone.Run()
	require.Greater(t, metric(t, want, "rescaled"), 0.0, "the run must rescale to count residents")

	opts.Cities = NewCities(0)
	results := make([]*Result, 2)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := New(cfg, stream, opts)
			if assert.NoError(t, err) {
				results[i] = m.Run()
			}
		}()
	}
	wg.Wait()
	require.Len(t, opts.Cities.cities, 1)
	var share *cityShare
	for _, s := range opts.Cities.cities {
		share = s
	}
	drawn := share.drawn()
	require.Greater(t, drawn, 100, "runs of people with households drawn")
	require.NotNil(t, share.residents)

	m, err := New(cfg, stream, opts)
	require.NoError(t, err)
	results = append(results, m.Run())
	for i, got := range results {
		require.NotNil(t, got)
		assert.Equal(t, want.LineList.All(), got.LineList.All(), "run %d: line list", i)
		assert.Equal(t, want.Series, got.Series, "run %d: series", i)
		assert.Equal(t, want.Metrics, got.Metrics, "run %d: metrics", i)
	}
	assert.Equal(t, drawn, share.drawn(), "the third run drew no household")
}

func TestCitiesTellCitiesApartAndForgetTheOldest(t *testing.T) {
	cfg, _ := rescaledCity()
	cs := NewCities(2)
	c := newCity(&cfg.Population, sim.NewStream(1))
	a := cs.share(c, sim.NewStream(1))
	assert.Same(t, a, cs.share(c, sim.NewStream(1)), "the same stream and city")

	// The same stream, another household-size distribution: another city.
	other := cfg.Population
	other.HouseholdSize = sim.EmpiricalDist([]float64{1, 2}, []float64{1, 1})
	b := cs.share(newCity(&other, sim.NewStream(1)), sim.NewStream(1))
	assert.NotSame(t, a, b)

	// A third city: the first is dropped.
	cs.share(c, sim.NewStream(2))
	require.Len(t, cs.cities, 2)
	assert.NotSame(t, a, cs.share(c, sim.NewStream(1)), "dropped, then made anew")
	assert.Len(t, cs.cities, 2)
}

// drawn returns the number of runs of people whose households are stored.
func (s *cityShare) drawn() int {
	n := 0
	for r := range int32(len(s.runs) * chunkRuns) {
		if s.run(r) != nil {
			n++
		}
	}
	return n
}

func TestCitiesTellTheNestingOfAreasApart(t *testing.T) {
	// A leaf of 2,000 people on its own and the same leaf inside a district
	// have the same people but not the same area id, which keys their
	// households: two cities, whichever is built first.
	flat := DefaultConfig()
	flat.Population.Areas = []Area{{Name: "x", Population: 2000}}
	nested := DefaultConfig()
	nested.Population.Areas = []Area{{Name: "d", Children: []Area{{Name: "x", Population: 2000}}}}
	stream := sim.NewStream(5)
	households := func(cfg *Config, cities *Cities) []PersonID {
		m, err := New(cfg, stream, Options{Horizon: 1, Cities: cities})
		require.NoError(t, err)
		var out []PersonID
		for p := PersonID(0); p < 2000; p += 7 {
			first, _ := m.city.household(p)
			out = append(out, first)
		}
		return out
	}
	want := households(nested, nil)
	shared := NewCities(0)
	flatWant := households(flat, shared)
	assert.NotEqual(t, flatWant, want, "the two cities draw different households")
	assert.Equal(t, want, households(nested, shared), "the nested city after the flat one")
}

func TestIndexKnowsNoOneOutsideTheCity(t *testing.T) {
	// An import's infector is -1: no one, in a small outbreak's table (whose
	// empty slots hold key 0) as in the pages of a large one.
	x := newPersonIndex(1000)
	x.set(0, 5)
	for _, p := range []PersonID{-1, -2, 1000, 1 << 30} {
		assert.Equal(t, int32(-1), x.get(p), "person %d", p)
	}
	x.toPages()
	x.set(0, 5)
	assert.Equal(t, int32(-1), x.get(-1))
	assert.Equal(t, int32(-1), x.get(1000))
	assert.Equal(t, int32(5), x.get(0))
}
