package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

// isolator isolates every new case at a time drawn from its person's key: with
// Isolate, or (byEvent) with an event of its own that confines the case to a
// facility then, in the class Isolate's stands in.
type isolator struct {
	s       sim.Stream
	byEvent bool
}

func (x isolator) Attach(m *Model) error { m.Observe(x); return nil }

// at returns when case inf is isolated: now for one case in four, else its
// onset plus up to 6 days.
func (x isolator) at(inf *Infection) sim.Time {
	if inf.Person%4 == 0 {
		return inf.Time
	}
	return inf.Onset.Add(sim.Duration(6 * x.s.Key(uint64(inf.Person)).Float64()))
}

func (x isolator) OnInfection(m *Model, inf *Infection) {
	p, at := inf.Person, x.at(inf)
	if x.byEvent {
		m.Sim().AtFunc(at, PriorityPolicy, func() { m.Confine(p, Facility) })
		return
	}
	m.Isolate(p, at)
}

// prober moves some cases at the end of each day, home for one in five and
// free for one in seven of those whose isolation is still to come, then
// writes down where every case is kept.
type prober struct {
	iso isolator
	log *strings.Builder
}

func (x prober) Attach(m *Model) error { m.Observe(x); return nil }

func (x prober) OnDayEnd(m *Model, day int) {
	for i := 0; i < m.Infections(); i++ {
		switch inf := m.Infection(i); {
		case (int(inf.Person)+day)%5 == 0:
			m.Confine(inf.Person, Home)
		case (int(inf.Person)+day)%7 == 0 && x.iso.at(inf) > m.Now():
			m.Confine(inf.Person, Free)
		}
	}
	fmt.Fprintf(x.log, "day %d:", day)
	for i := 0; i < m.Infections(); i++ {
		fmt.Fprint(x.log, " ", m.Confinement(m.Infection(i).Person))
	}
	fmt.Fprintln(x.log)
}

// TestIsolateIsConfineAtItsTime checks that Isolate, which applies the
// isolation of a new case when the case's confinement is next looked at, runs
// as an event that confines the case at that time would: the same infections
// and exits, and the same confinement seen every day, with other measures
// confining and releasing the cases before and after their isolation. The
// city has no household contacts, which confinement at home after the
// isolation would bring back (see Isolate).
func TestIsolateIsConfineAtItsTime(t *testing.T) {
	cfg := cityConfig()
	cfg.Population.Layers.HouseholdSAR = 0
	cfg.Imports.ExitRate = 0.05
	run := func(byEvent bool) (*Result, string) {
		var log strings.Builder
		iso := isolator{s: sim.NewStream(5), byEvent: byEvent}
		m, err := New(cfg, sim.NewStream(21).Key(0), Options{Horizon: 40})
		require.NoError(t, err)
		require.NoError(t, m.Add(iso, prober{iso: iso, log: &log}))
		return m.Run(), log.String()
	}
	lazy, lazyLog := run(false)
	events, eventsLog := run(true)
	require.Greater(t, lazy.LineList.Len(), 100)
	assert.Positive(t, metric(t, lazy, "exports"))
	assert.Equal(t, eventsLog, lazyLog)
	require.Equal(t, events.LineList.Len(), lazy.LineList.Len())
	for i := 0; i < lazy.LineList.Len(); i++ {
		a, b := lazy.LineList.At(i), events.LineList.At(i)
		require.Equal(t, [4]any{b.Person, b.Infector, b.Time, b.Exit}, [4]any{a.Person, a.Infector, a.Time, a.Exit}, "infection %d", i)
	}
	for _, c := range []string{"home", "facility", "free"} {
		assert.Contains(t, lazyLog, c)
	}
}
