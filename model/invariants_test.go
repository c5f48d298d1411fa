package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

// cityConfig is the default Omicron model in a city of three districts, one with
// two communities, of 60,000 people in all, its layers halved (R0 about 2.5) so
// that the epidemic lasts a few months.
func cityConfig() *Config {
	cfg := DefaultConfig()
	l := &cfg.Population.Layers
	l.HouseholdSAR, l.Community, l.City = 0.3, l.Community/2, l.City/2
	for i := range l.Groups {
		l.Groups[i].R /= 2
	}
	cfg.Population.Areas = []Area{
		{Name: "gulou", Children: []Area{
			{Name: "gulou-a", Population: 15_000, Density: 2},
			{Name: "gulou-b", Population: 10_000},
		}},
		{Name: "taijiang", Population: 20_000},
		{Name: "cangshan", Population: 15_000},
	}
	cfg.Imports = Imports{Initial: 5, Area: "gulou-a", Rate: 0.5, Until: 30, ExitRate: 0.01,
		Schedule: []ImportAt{{Time: 10, Count: 3, Area: "cangshan"}}}
	return cfg
}

// dayChecker asserts at the end of every day that the compartments add up to the
// population.
type dayChecker struct {
	t *testing.T
}

func TestInvariants(t *testing.T) {
	for rep := 0; rep < 3; rep++ {
		m, err := New(cityConfig(), sim.NewStream(7).Key(uint64(rep)), Options{Horizon: 200})
		require.NoError(t, err)
		var lastTime sim.Time
		m.Sim().SetTrace(func(e sim.Event) {
			require.GreaterOrEqual(t, e.Time, lastTime, "events fire in time order")
			lastTime = e.Time
		})
		res := m.Run()
		n := float64(m.Population())
		ll := res.LineList
		require.Greater(t, ll.Len(), 1000, "a sizeable outbreak")

		// Nobody is infected twice; every infection has an infector who was
		// infectious and in the city at that moment, or is an import.
		seen := map[PersonID]int{}
		perArea := map[AreaID]int{}
		offspring := map[PersonID]int32{}
		var prev sim.Time
		for i := 0; i < ll.Len(); i++ {
			inf := ll.At(i)
			_, dup := seen[inf.Person]
			require.False(t, dup, "person %d infected twice", inf.Person)
			seen[inf.Person] = i
			require.GreaterOrEqual(t, inf.Time, prev, "the line list is in time order")
			prev = inf.Time
			require.Equal(t, m.AreaOf(inf.Person), inf.Area)
			perArea[inf.Area]++
			require.LessOrEqual(t, inf.Time, inf.Infectious)
			require.LessOrEqual(t, inf.Infectious, inf.Onset)
			require.LessOrEqual(t, inf.Infectious, inf.Recovery)
			if inf.Layer == LayerImport {
				require.EqualValues(t, -1, inf.Infector)
				require.EqualValues(t, 0, inf.Generation)
				continue
			}
			j, ok := seen[inf.Infector]
			require.True(t, ok, "the infector was infected before")
			src := ll.At(j)
			require.GreaterOrEqual(t, inf.Time, src.Infectious, "infector past its latent period")
			require.Less(t, inf.Time, src.Recovery, "infector still infectious")
			require.Less(t, inf.Time, src.Exit, "infector still in the city")
			require.Equal(t, src.Generation+1, inf.Generation)
			offspring[inf.Infector]++
			switch inf.Layer {
			case LayerHousehold:
				first, size := m.Household(inf.Infector)
				require.True(t, inf.Person >= first && inf.Person < first+PersonID(size), "household contact within the household")
			case LayerCommunity:
				require.Equal(t, src.Area, inf.Area, "community contact within the leaf area")
			}
		}
		for i := 0; i < ll.Len(); i++ {
			inf := ll.At(i)
			assert.Equal(t, offspring[inf.Person], inf.Offspring, "offspring of %d", inf.Person)
		}
		// People are conserved in every area and in every compartment, every day.
		for a := AreaID(0); int(a) < m.Areas(); a++ {
			lo, hi := m.AreaPeople(a)
			in := 0
			for b, c := range perArea {
				if blo, bhi := m.AreaPeople(b); blo >= lo && bhi <= hi {
					in += c
				}
			}
			assert.LessOrEqual(t, in, int(hi-lo), "area %s", m.AreaName(a))
		}
		s := res.Series
		cum := 0.0
		for d := 0; d < res.Days; d++ {
			cum += s.Get("new_infections")[d]
			total := s.Get("susceptible")[d] + s.Get("exposed")[d] + s.Get("presymptomatic")[d] +
				s.Get("symptomatic")[d] + s.Get("asymptomatic")[d] + s.Get("recovered")[d]
			require.Equal(t, n, total, "day %d: compartments add up to the population", d)
			require.Equal(t, n-cum, s.Get("susceptible")[d], "day %d", d)
		}
		sum := 0.0
		for _, name := range []string{"import", "household", "community", "city", "work", "school", "elder_care"} {
			sum += total(s.Get("new_infections_" + name))
		}
		assert.Equal(t, total(s.Get("new_infections")), sum, "infections by layer add up")
		sum = 0
		for _, name := range []string{"gulou", "taijiang", "cangshan"} {
			sum += total(s.Get("new_infections_area_" + name))
		}
		assert.Equal(t, total(s.Get("new_infections")), sum, "infections by district add up")
		assert.Equal(t, float64(ll.Len()), metric(t, res, "infections"))
	}
}

func total(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}
