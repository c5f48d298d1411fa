package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

// isolateFrom isolates every symptomatic case at onset from a given day on.
type isolateFrom struct{ day sim.Time }

func (x isolateFrom) Attach(m *Model) error { m.Observe(x); return nil }

func (x isolateFrom) OnOnset(m *Model, inf *Infection) {
	if m.Now() >= x.day {
		m.Confine(inf.Person, Facility)
	}
}

func TestCommonRandomNumbers(t *testing.T) {
	// Two runs on the same seed, the second with isolation switched on at day 20:
	// their line lists are identical up to day 20, and a person infected in both
	// runs has the same course of disease in both, whenever they were infected.
	cfg := cityConfig()
	stream := sim.NewStream(99).Key(0)
	a, err := New(cfg, stream, Options{Horizon: 120})
	require.NoError(t, err)
	b, err := New(cfg, stream, Options{Horizon: 120})
	require.NoError(t, err)
	require.NoError(t, b.Add(isolateFrom{day: 20}))
	ra, rb := a.Run(), b.Run()

	la, lb := ra.LineList, rb.LineList
	n := 0
	for n < la.Len() && la.At(n).Time < 20 {
		n++
	}
	require.Greater(t, n, 100, "enough infections before day 20")
	require.GreaterOrEqual(t, lb.Len(), n)
	for i := 0; i < n; i++ {
		x, y := *la.At(i), *lb.At(i)
		// Counted later, when the runs differ: offspring, and leaving the city
		// (the isolated may not).
		x.Offspring, y.Offspring = 0, 0
		if x.Exit >= 20 || y.Exit >= 20 {
			x.Exit, y.Exit = 0, 0
		}
		require.Equal(t, x, y, "infection %d", i)
	}
	require.GreaterOrEqual(t, lb.At(n).Time, sim.Time(20))
	assert.Less(t, lb.Len(), la.Len(), "isolation prevents infections")

	inA := map[PersonID]*Infection{}
	for i := 0; i < la.Len(); i++ {
		inA[la.At(i).Person] = la.At(i)
	}
	shared, shifted := 0, 0
	for i := 0; i < lb.Len(); i++ {
		y := lb.At(i)
		x, ok := inA[y.Person]
		if !ok {
			continue
		}
		shared++
		if x.Time != y.Time {
			shifted++
		}
		assert.Equal(t, x.Symptomatic, y.Symptomatic)
		assert.Equal(t, x.Severe, y.Severe)
		assert.InDelta(t, float64(x.Onset-x.Time), float64(y.Onset-y.Time), 1e-9, "incubation period of %d", y.Person)
		assert.InDelta(t, float64(x.Recovery-x.Time), float64(y.Recovery-y.Time), 1e-9)
	}
	t.Logf("%d infections before day 20; %d and %d in all; %d people infected in both, %d of them at different times",
		n, la.Len(), lb.Len(), shared, shifted)
	assert.Greater(t, shifted, 0, "the check covers people whose infection moved")
}
