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
