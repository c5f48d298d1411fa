package model

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

// sirConfig is the classic SIR model in one well-mixed area of n people: no
// households, every case symptomatic with an exponential infectious period of mean
// one day (after an exponential latent period, which changes neither the final
// size nor the outbreak probability), contacts at a constant rate while
// infectious, so that R0 is r0.
func sirConfig(n int, r0 float64) *Config {
	return &Config{
		Population: Population{
			Areas:         []Area{{Name: "city", Population: n}},
			AgeGroups:     []AgeGroup{{Name: "all", Share: 1, Susceptibility: 1, Symptomatic: 1}},
			HouseholdSize: sim.FixedDist(1),
			Layers:        Layers{Community: r0},
		},
		Disease: Disease{
			Latent:          sim.ExponentialDist(1),
			Presymptomatic:  sim.FixedDist(0),
			Symptomatic:     sim.ExponentialDist(1),
			Asymptomatic:    sim.ExponentialDist(1),
			OnsetToSevere:   sim.FixedDist(1),
			SevereToOutcome: sim.FixedDist(1),
			Infectiousness:  Infectiousness{Timing: TimingWindow, AsymptomaticFactor: 1},
		},
		Imports: Imports{Initial: 1},
	}
}

// runMany runs n replications of cfg on all cores and returns their results.
func runMany(t *testing.T, cfg *Config, seed uint64, n int, opts Options) []*Result {
	t.Helper()
	root := sim.NewStream(seed)
	res, err := sim.Replicate(context.Background(), n, 0, func(_ context.Context, rep int) (*Result, error) {
		m, err := New(cfg, root.Key(uint64(rep)), opts)
		if err != nil {
			return nil, err
		}
		return m.Run(), nil
	})
	require.NoError(t, err)
	return res
}

func metric(t *testing.T, r *Result, name string) float64 {
	t.Helper()
	v, ok := r.Metric(name)
	require.True(t, ok, name)
	return v
}

// quietConfig is a city of n people where nobody infects anybody: imports only,
// with a fixed course (2 days latent, symptoms from day 3 for everyone who has
// them, infectious until day 10).
func quietConfig(n, imports int) *Config {
	cfg := sirConfig(n, 0)
	cfg.Disease.Latent = sim.FixedDist(2)
	cfg.Disease.Presymptomatic = sim.FixedDist(1)
	cfg.Disease.Symptomatic = sim.FixedDist(7)
	cfg.Disease.Asymptomatic = sim.FixedDist(8)
	cfg.Imports.Initial = imports
	return cfg
}

// dayCheck is a DayObserver from a function.
type dayCheck func(m *Model, day int)

func (f dayCheck) OnDayEnd(m *Model, day int) { f(m, day) }
