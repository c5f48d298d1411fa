package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

func TestExportsRespectConfinement(t *testing.T) {
	cfg := cityConfig()
	cfg.Imports.ExitRate = 0.2
	run := func(ms ...Measure) *Result {
		m, err := New(cfg, sim.NewStream(13).Key(0), Options{Horizon: 60})
		require.NoError(t, err)
		require.NoError(t, m.Add(ms...))
		return m.Run()
	}
	free := run()
	require.Greater(t, metric(t, free, "exports"), 100.0)
	assert.Equal(t, metric(t, free, "exports"), total(free.Series.Get("new_exports")))
	isolated := run(confineAll{Facility})
	assert.Zero(t, metric(t, isolated, "exports"), "confined people do not leave")
	// Nobody infects anyone in the city after leaving it.
	ll := free.LineList
	exitOf := map[PersonID]sim.Time{}
	for i := 0; i < ll.Len(); i++ {
		exitOf[ll.At(i).Person] = ll.At(i).Exit
	}
	for i := 0; i < ll.Len(); i++ {
		if inf := ll.At(i); inf.Infector >= 0 {
			require.Less(t, inf.Time, exitOf[inf.Infector])
		}
	}
}

func TestDensityScalesCommunityContacts(t *testing.T) {
	// Two areas, one three times as dense: its cases make three times as many
	// community contacts. Index cases only (10^7 people: no depletion); 4,000 in
	// each area give means with standard errors of about 0.02 and 0.03.
	cfg := layerConfig(0, Layers{Community: 0.5})
	cfg.Population.Areas = []Area{{Name: "old-town", Population: 5_000_000, Density: 3}, {Name: "suburb", Population: 5_000_000}}
	cfg.Imports = Imports{Schedule: []ImportAt{{Count: 4000, Area: "old-town"}, {Count: 4000, Area: "suburb"}}}
	m, err := New(cfg, sim.NewStream(14).Key(0), Options{Horizon: 20})
	require.NoError(t, err)
	res := m.Run()
	var sum [2]float64
	for i := 0; i < res.LineList.Len(); i++ {
		if inf := res.LineList.At(i); inf.Layer == LayerImport {
			sum[inf.Area-AreaID(0)] += float64(inf.Offspring)
		}
	}
	assert.InDelta(t, 1.5, sum[0]/4000, 0.1, "dense area")
	assert.InDelta(t, 0.5, sum[1]/4000, 0.06, "plain area")
}

func TestLargestCity(t *testing.T) {
	// Person ids use all 30 bits of a contact's payload.
	cfg := DefaultConfig()
	cfg.Population.Areas = []Area{{Name: "megacity", Population: MaxPopulation}}
	m, err := New(cfg, sim.NewStream(15).Key(0), Options{MaxInfections: 3000})
	require.NoError(t, err)
	res := m.Run()
	require.Equal(t, StopMaxInfections, res.StopReason)
	high := 0
	for i := 0; i < res.LineList.Len(); i++ {
		inf := res.LineList.At(i)
		require.True(t, inf.Person >= 0 && inf.Person < MaxPopulation)
		require.True(t, inf.Infector >= -1 && inf.Infector < MaxPopulation)
		if inf.Person >= 1<<29 {
			high++
		}
	}
	assert.Greater(t, high, 1000, "about half the ids have the top bit")
}

func TestEdgeCases(t *testing.T) {
	// An infectious period of length 0: no contacts, and no hang.
	cfg := sirConfig(1000, 2)
	cfg.Population.AgeGroups[0].Symptomatic = 0
	cfg.Disease.Asymptomatic = sim.FixedDist(0)
	cfg.Imports.Initial = 5
	m, err := New(cfg, sim.NewStream(1).Key(0), Options{})
	require.NoError(t, err)
	res := m.Run()
	assert.Equal(t, 5, res.LineList.Len())

	// A horizon within the first day ends the run there.
	m, err = New(sirConfig(1000, 2), sim.NewStream(1).Key(0), Options{Horizon: 0.5})
	require.NoError(t, err)
	res = m.Run()
	assert.Equal(t, StopHorizon, res.StopReason)
	assert.Equal(t, sim.Time(0.5), res.End)
	assert.Equal(t, 1, res.Days)

	// Too many age groups.
	cfg = DefaultConfig()
	for i := 0; i < 70; i++ {
		cfg.Population.AgeGroups = append(cfg.Population.AgeGroups, AgeGroup{Name: string(rune('A' + i))})
	}
	assert.ErrorContains(t, cfg.Validate(), "at most 64 age groups")
}

func TestTooManyCommunities(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Population.Areas = []Area{{Name: "x", Population: 1_000_000_000, Communities: 1_000_000_000}}
	assert.ErrorContains(t, cfg.Validate(), "population.areas[0].communities: splits the population of an area without children into at most 100000 parts")
}
