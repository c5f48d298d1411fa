package model

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

func TestDefaultConfigValid(t *testing.T) {
	require.NoError(t, DefaultConfig().Validate())
	require.NoError(t, cityConfig().Validate())
}

func TestValidateReportsEveryProblem(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Population.Areas = []Area{
		{Name: "a", Population: 10, Children: []Area{{Name: "a1", Population: 0}}},
		{Name: "a1", Population: 5, Density: -1},
	}
	cfg.Population.AgeGroups[0].Share = 0.5
	cfg.Population.AgeGroups[1].Symptomatic = 1.5
	cfg.Population.HouseholdSize = sim.EmpiricalDist([]float64{1, 2.5}, nil)
	cfg.Population.Layers.HouseholdSAR = 1
	cfg.Population.Layers.Community = math.NaN()
	cfg.Population.Layers.Groups[0].Size = 1
	cfg.Population.Layers.Groups[1].Ages = []string{"toddler"}
	cfg.Disease.Latent = sim.Dist{}
	cfg.Disease.Infectiousness.Timing = "sometimes"
	cfg.Imports.Area = "nowhere"
	cfg.Imports.Schedule = []ImportAt{{Time: -1, Count: -2}}
	err := cfg.Validate()
	require.Error(t, err)
	for _, want := range []string{
		"population.areas[0].population: give the population of the leaf areas",
		"population.areas[0].children[0].population: a leaf area must have at least 1 person, got 0",
		`population.areas[1].name: "a1" names two areas`,
		"population.areas[1].density: must be a finite number ≥ 0, got -1",
		"population.age_groups: shares must sum to 1, got 1.32",
		"population.age_groups[1].symptomatic: must be a probability in [0, 1], got 1.5",
		"population.household_size: sizes must be whole numbers from 1 to 64, got 2.5",
		"population.layers.household_sar: must be in [0, 1), got 1",
		"population.layers.community: must be a finite number ≥ 0, got NaN",
		"population.layers.groups[0].size: must be at least 2, got 1",
		`population.layers.groups[1].ages[0]: unknown age group "toddler"`,
		"disease.latent: unknown distribution family 0",
		`disease.infectiousness.timing: must be "window", "generation", "onset" or "viral_load", got "sometimes"`,
		`imports.area: unknown area "nowhere"`,
		"imports.schedule[0].time: must be a finite number ≥ 0, got -1",
		"imports.schedule[0].count: must be ≥ 0, got -2",
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Len(t, strings.Split(err.Error(), "\n"), 16, "one line per problem:\n%v", err)
}

func TestNewRejectsBadOptions(t *testing.T) {
	_, err := New(DefaultConfig(), sim.NewStream(1), Options{Horizon: -1})
	assert.ErrorContains(t, err, "horizon must be finite and ≥ 0")
	_, err = New(DefaultConfig(), sim.NewStream(1), Options{MaxInfections: -1})
	assert.ErrorContains(t, err, "max infections must be ≥ 0")
	cfg := DefaultConfig()
	cfg.Imports.Rate = 1
	_, err = New(cfg, sim.NewStream(1), Options{})
	assert.ErrorContains(t, err, "need a horizon")
	cfg.Disease.Symptomatic = sim.GammaDist(-1, 1)
	_, err = New(cfg, sim.NewStream(1), Options{Horizon: 10})
	assert.ErrorContains(t, err, "disease.symptomatic")
}
