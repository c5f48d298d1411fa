package control

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// swabber requests one single PCR test of every import at a keyed time within
// its first 15 days, and records the detections.
type swabber struct {
	testing *Testing
	s       sim.Stream
	swab    map[model.PersonID]sim.Time
	found   map[model.PersonID]bool
}

func (w *swabber) Attach(m *model.Model) error { m.Observe(w); return nil }

func (w *swabber) OnInfection(m *model.Model, inf *model.Infection) {
	at := inf.Time.Add(sim.Duration(15 * w.s.Key(uint64(inf.Person)).Float64()))
	w.swab[inf.Person] = at
	w.testing.Request(inf.Person, at, "check")
}

func (w *swabber) OnDetection(m *model.Model, d model.Detection) { w.found[d.Person] = true }

// TestViralLoadOfIsThePipelines checks that ViralLoadOf gives the curve the
// testing pipeline reads: 400 people, each tested once by PCR at a random time
// in the 15 days after infection (no transmission, no other test), are found
// exactly when ViralLoadOf puts their load at the swab at or above the PCR
// limit of detection. The curve also has the shape DefaultViralLoad gives it and
// is the same in a run with other measures (common random numbers).
func TestViralLoadOfIsThePipelines(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Population.Areas = []model.Area{{Name: "city", Population: 100_000}}
	cfg.Population.Layers = model.Layers{}
	cfg.Imports = model.Imports{Initial: 400}
	tc := DefaultTesting()
	tc.Symptomatic.Probability = 0
	stream := sim.NewStream(11)

	m, err := model.New(cfg, stream, model.Options{})
	require.NoError(t, err)
	tst := NewTesting(tc)
	w := &swabber{testing: tst, s: sim.NewStream(5), swab: map[model.PersonID]sim.Time{}, found: map[model.PersonID]bool{}}
	require.NoError(t, m.Add(tst, w))
	res := m.Run()
	require.Equal(t, 400, res.LineList.Len())

	other, err := model.New(cfg, stream, model.Options{})
	require.NoError(t, err)
	ninth := NinthEdition()
	require.NoError(t, other.Add(ninth.Measures()...))
	other.Run()

	positive := 0
	for i := 0; i < res.LineList.Len(); i++ {
		inf := res.LineList.At(i)
		vl := m.ViralLoadOf(inf, &tc.ViralLoad)
		// The shape: from 0 at infection through 3 log10 at the end of the latent
		// period, the rise, peak and fall within DefaultViralLoad's ranges.
		assert.Equal(t, inf.Time, vl.Infected)
		assert.Equal(t, inf.Infectious, vl.Detectable)
		assert.InDelta(t, 3, vl.Log10(vl.Detectable), 1e-9)
		assert.InDelta(t, 1.5, float64(vl.PeakTime-vl.Detectable), 1.0+1e-9)
		assert.InDelta(t, 7.5, vl.Peak, 1.5+1e-9)
		assert.InDelta(t, 7, float64(vl.Cleared-vl.PeakTime), 2+1e-9)
		// Asked again, or in another run on the same seed: the same curve.
		assert.Equal(t, vl, m.ViralLoadOf(inf, &tc.ViralLoad))
		assert.Equal(t, vl, other.ViralLoadOf(other.InfectionOf(inf.Person), &tc.ViralLoad))

		want := vl.Log10(w.swab[inf.Person]) >= PCR.LoD
		assert.Equal(t, want, w.found[inf.Person], "person %d swabbed at %v, load %.2f", inf.Person, w.swab[inf.Person], vl.Log10(w.swab[inf.Person]))
		if want {
			positive++
		}
	}
	// About 9 of the 15 days are PCR-positive (DefaultViralLoad): both outcomes
	// occur often, so the comparison above tests something.
	assert.InDelta(t, 0.6, float64(positive)/400, 0.15)
	assert.False(t, math.IsInf(float64(res.End), 0))
}
