package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

func TestDefaultDiseaseAgainstPublishedFigures(t *testing.T) {
	// The default Omicron, in a fully susceptible city too large to deplete, from
	// 3,000 index cases: what its defaults claim, measured on the index cases and
	// the people they infect (who are isolated at once, so that the run stays
	// small). Standard errors: R0 about 0.1 (dispersion 0.33), the other figures
	// well under their tolerances.
	cfg := DefaultConfig()
	cfg.Population.Areas = []Area{{Name: "city", Population: 10_000_000}}
	cfg.Imports.Initial = 3000
	m, err := New(cfg, sim.NewStream(17).Key(0), Options{})
	require.NoError(t, err)
	require.NoError(t, m.Add(MeasureFunc(func(m *Model) error {
		m.Observe(isolateSecondary{})
		return nil
	})))
	res := m.Run()
	byPerson := map[PersonID]*Infection{}
	var gi, n, pre, fromSymptomatic, incubation, symptomatic, cases float64
	for i := 0; i < res.LineList.Len(); i++ {
		inf := res.LineList.At(i)
		byPerson[inf.Person] = inf
		cases++
		if inf.Symptomatic {
			symptomatic++
			incubation += float64(inf.Onset - inf.Time)
		}
		if inf.Generation != 1 {
			continue
		}
		src := byPerson[inf.Infector]
		gi += float64(inf.Time - src.Time)
		n++
		if src.Symptomatic {
			fromSymptomatic++
			if inf.Time < src.Onset {
				pre++
			}
		}
	}
	r0 := res.MeanOffspring[0]
	t.Logf("R0 %.2f, mean generation interval %.2f d, presymptomatic share %.2f, incubation %.2f d, symptomatic %.2f",
		r0, gi/n, pre/fromSymptomatic, incubation/symptomatic, symptomatic/cases)
	// Early Rt of zero-COVID outbreaks in 2022: about 5 (Beijing 4.98).
	assert.InDelta(t, 5, r0, 0.5)
	// Mean generation interval of Omicron: 3.0 days (95% CI 2.7–3.2), the
	// Netherlands, December 2021 (Park et al. 2023, PNAS 120:e2221887120); the
	// standard error of the measured mean is about 0.03 days (some 15,000
	// secondary cases, clustered by the dispersion), the tolerance the half-width
	// of the published interval above its centre.
	assert.InDelta(t, 3.0, gi/n, 0.2)
	// The share of transmission before onset is not asserted against a published
	// figure: with infectiousness from 0.8 days before onset (latent period and
	// incubation as published) a generation interval of 3.0 days needs most
	// transmission before onset (0.78), above the household studies' 34%
	// (Hangzhou) to 51–57% (Reggio Emilia, Shanghai). It must at least be the
	// majority that the published generation interval and incubation imply (mean
	// transmission 0.4 days before onset).
	assert.Greater(t, pre/fromSymptomatic, 0.5)
	// Incubation 3.40 days (3.25–3.57) in China 2022.
	assert.InDelta(t, 3.4, incubation/symptomatic, 0.15)
	// 35% never symptomatic, by the age mix.
	assert.InDelta(t, 0.65, symptomatic/cases, 0.03)
}

// isolateSecondary confines every case but the index cases the moment it is
// infected.
type isolateSecondary struct{}

func (isolateSecondary) OnInfection(m *Model, inf *Infection) {
	if inf.Layer != LayerImport {
		m.Confine(inf.Person, Facility)
	}
}
