package model

import (
	"fmt"

	"github.com/epiplan/epiplan/sim"
)

// Why a run ended.
const (
	StopExtinct       = "extinct"        // no one infectious and no import due
	StopHorizon       = "horizon"        // the horizon was reached
	StopMaxInfections = "max_infections" // the infection cap was reached: uncontrolled
	StopMeasure       = "measure"        // a measure stopped the run (see [Model.Stop])
)

// onOnset handles a symptom onset (scheduled only when someone observes onsets).
func (m *Model) onOnset(e sim.Event) {
	inf := m.infections.at(int32(e.ID))
	for _, o := range m.onsObs {
		o.OnOnset(m, inf)
	}
}

// onRecovery handles the end of infectiousness (scheduled only when observed).
func (m *Model) onRecovery(e sim.Event) {
	inf := m.infections.at(int32(e.ID))
	for _, o := range m.recObs {
		o.OnRecovery(m, inf)
	}
}

// onDay ends day e.ID: records, observers, then the check whether the run is over.
func (m *Model) onDay(e sim.Event) {
	day := int(e.ID)
	m.rec.dayEnd(day)
	for _, o := range m.dayObs {
		o.OnDayEnd(m, day)
	}
	if m.stopReason != "" {
		m.sim.Stop()
		return
	}
	now := m.sim.Now()
	switch {
	case m.opts.Horizon > 0 && now >= m.opts.Horizon:
		m.stopReason = StopHorizon
	case now >= m.lastActive && now >= m.scaler.lastOutcome && m.importsDue == 0 && !m.measuresActive():
		m.stopReason = StopExtinct
	}
	if m.stopReason != "" {
		m.sim.Stop()
		return
	}
	next := now + 1
	if m.opts.Horizon > 0 && next > m.opts.Horizon {
		next = m.opts.Horizon
	}
	m.sim.At(next, m.kDay, int64(day+1))
}

// measuresActive reports whether a measure still has work under way.
func (m *Model) measuresActive() bool {
	for _, a := range m.actObs {
		if a.Active() {
			return true
		}
	}
	return false
}

// Run runs the model to its end (extinction, the horizon, the infection cap or a
// measure's Stop) and returns the result.
func (m *Model) Run() *Result {
	m.start()
	m.sim.Run()
	return m.Result()
}

// RunUntil runs the model up to time t (events at exactly t wait), so a caller
// can look at the state and interleave its own logic. It returns false once the
// run has ended.
func (m *Model) RunUntil(t sim.Time) bool {
	m.start()
	if m.stopReason == "" {
		m.sim.RunUntil(t)
	}
	return m.stopReason == ""
}

// Stop ends the run after the current event, with the given reason (for example
// "community_zero"), recorded in the result.
func (m *Model) Stop(reason string) {
	if m.stopReason == "" {
		m.stopReason = reason
	}
	m.sim.Stop()
}

// Infections returns the number of infections so far.
func (m *Model) Infections() int { return m.infections.len() }

// Infection returns infection i (0 ≤ i < Infections()), in the order they
// happened. The pointer stays valid for the whole run; the infection must not be
// changed.
func (m *Model) Infection(i int) *Infection { return m.infections.at(int32(i)) }

// InfectionNumber returns the number of person p's infection, its place in
// the order infections happened (the i of [Model.Infection]), or -1 if p was
// never infected. A measure that keeps something of each infection keeps it in
// a slice indexed by this number (see [InfectionObserver]) rather than in a map
// keyed by the person.
func (m *Model) InfectionNumber(p PersonID) int {
	i := m.index.get(p)
	if i < 0 {
		return -1
	}
	return int(m.people.at(i).inf)
}

// InfectionOf returns the infection of person p, or nil if p was never infected.
func (m *Model) InfectionOf(p PersonID) *Infection {
	i := m.index.get(p)
	if i < 0 || m.people.at(i).inf < 0 {
		return nil
	}
	return m.infections.at(m.people.at(i).inf)
}

// Household returns the first person and the size of p's household: its
// members are the people first, first+1, …, first+size-1.
func (m *Model) Household(p PersonID) (first PersonID, size int) {
	if i := m.index.get(p); i >= 0 {
		return m.people.at(i).hhStart, int(m.people.at(i).hhSize)
	}
	return m.city.household(p)
}

// PersonStream returns the random stream of draws that belong to person p,
// for a measure's draws about that person (whether they seek a test, when
// they are transferred): name each purpose with [sim.Stream.Named] and key it
// further by what else the draw belongs to, and it is the same in every run
// of the same seed and replication, whatever else happens, as the person's
// course of disease is. Use purposes of your own: the model draws the course
// from this stream too.
func (m *Model) PersonStream(p PersonID) sim.Stream { return m.sPerson.Key(uint64(p)) }

// AreaOf returns the leaf area person p lives in, or -1 if p is not one of
// the city's people.
func (m *Model) AreaOf(p PersonID) AreaID {
	if !m.city.has(p) {
		return -1
	}
	return m.city.areaOf(p)
}

// Areas returns the number of areas; area ids run from 0 to Areas()-1 in
// depth-first order of the configuration.
func (m *Model) Areas() int { return len(m.city.areas) }

// AreaName returns the name of area a.
func (m *Model) AreaName(a AreaID) string { return m.city.areas[a].name }

// AreaByName returns the id of the area with the given name.
func (m *Model) AreaByName(name string) (AreaID, bool) {
	for i, a := range m.city.areas {
		if a.name == name {
			return AreaID(i), true
		}
	}
	return -1, false
}

// AreaParent returns the area that holds area a, or -1 for a top-level area
// (a district).
func (m *Model) AreaParent(a AreaID) AreaID { return m.city.areas[a].parent }

// Leaves returns the leaf areas, where people live, in the order of their
// people (the first holds person 0). The slice must not be changed.
func (m *Model) Leaves() []AreaID { return m.city.leaves }

// LeafOf returns the index in [Model.Leaves] of the leaf area person p lives
// in, or -1 if p is not one of the city's people.
func (m *Model) LeafOf(p PersonID) int {
	if !m.city.has(p) {
		return -1
	}
	return m.city.leafOf(p)
}

// AreaPeople returns the range [lo, hi) of the people living in area a.
func (m *Model) AreaPeople(a AreaID) (lo, hi PersonID) {
	return m.city.areas[a].lo, m.city.areas[a].hi
}

// Confinement returns where person p is kept.
func (m *Model) Confinement(p PersonID) Confinement {
	if i := m.index.get(p); i >= 0 {
		rec := m.people.at(i)
		m.settle(rec)
		return rec.conf
	}
	return Free
}

// Confine keeps person p at c from now on: [Home] limits their contacts, in both
// directions, to their household; [Facility] cuts them all; [Free] releases them.
func (m *Model) Confine(p PersonID, c Confinement) {
	if !m.city.has(p) {
		panic(fmt.Sprintf("model: Confine of person %d outside the city", p))
	}
	rec := m.touch(p)
	m.settle(rec)
	m.setConf(rec, c)
}

// setConf keeps the person of record rec at c, and counts the people confined.
func (m *Model) setConf(rec *person, c Confinement) {
	if (rec.conf == Free) != (c == Free) {
		if c == Free {
			m.confined--
		} else {
			m.confined++
		}
	}
	rec.conf = c
}

// Isolate confines case p to a facility ([Facility]) at time at, for the rest
// of their infection: an isolation that nothing lifts before they stop being
// infectious, such as the isolation of cases in Hellewell et al. 2020
// (examples/hellewell/ring). At time at it is [Model.Confine](p, Facility), in
// priority class [PriorityPolicy]. Called by an [InfectionObserver] for the new
// case itself, it also spares the model the contacts the isolation prevents,
// those after at: they are never scheduled, which makes a controlled outbreak
// much cheaper to run, and the run is the same as long as nothing changes the
// case's confinement afterwards. Nor does that isolation cost an event: it is
// applied when the case's confinement is next looked at ([Model.Confinement],
// [Model.Confine], the case's leaving the city), as the event would have
// applied it at its place in the order of events ([sim.Mark]); a trace of the
// events does not show it. A measure that may release the case earlier
// uses Confine instead, and so must every measure of a run that might release
// or move a case another isolated: Confine(p, Home) or Confine(p, Free) after
// at does not bring back the contacts Isolate removed. It panics if at is
// before now or p is outside the city.
func (m *Model) Isolate(p PersonID, at sim.Time) {
	if !m.city.has(p) {
		panic(fmt.Sprintf("model: Isolate of person %d outside the city", p))
	}
	if p == m.newCase {
		m.newCaseIsolated = min(m.newCaseIsolated, at)
		if m.isolateLater(m.newCaseInf, at) {
			return
		}
	}
	m.sim.At(at, m.kIsolate, int64(p))
}

// isolateLater records the isolation at time at of the case of infection i,
// to be applied when the case's confinement is next looked at (settle), and
// reports whether it did. It does for the first isolation decided for a case,
// unless its place in the order of events is behind the event being handled:
// the others are scheduled, so that each is applied at its own time, as
// Confine would be. (While the case is new, its isolation cannot have been
// applied: the run has not moved past the event being handled.)
func (m *Model) isolateLater(i int32, at sim.Time) bool {
	for int(i) >= m.isolations.len() {
		m.isolations.add(sim.Mark{})
	}
	iso := m.isolations.at(i)
	if *iso != (sim.Mark{}) {
		return false
	}
	mark, ok := m.sim.Mark(at, PriorityPolicy)
	if !ok {
		return false
	}
	*iso = mark
	return true
}

// settle applies to the person of record rec the isolation Isolate decided
// for them, if the run has gone past its time: as the event Confine(p,
// Facility) would have, at its place in the order of events. Everything that
// looks at a person's confinement settles it first, except the checks of a
// contact: the contacts after the isolation were never scheduled (Isolate),
// and a case cannot be infected again.
func (m *Model) settle(rec *person) {
	if rec.inf >= 0 && int(rec.inf) < m.isolations.len() {
		if iso := m.isolations.at(rec.inf); *iso != (sim.Mark{}) && m.sim.Passed(*iso) {
			*iso = sim.Mark{}
			m.setConf(rec, Facility)
		}
	}
}

// SetAreaContacts scales the outings of everyone living in area a (and the areas
// below it) by factor, in [0, 1]: 0 is a full lockdown (stay at home), 1 lifts it.
// A contact outside the household needs both people out, so it is kept with the
// product of their factors: factor² between two people of the area, factor between
// one of them and someone from an open area. Factors of nested areas multiply.
func (m *Model) SetAreaContacts(a AreaID, factor float64) {
	if !(factor >= 0 && factor <= 1) {
		panic(fmt.Sprintf("model: area contact factor %v outside [0, 1]", factor))
	}
	m.areaFactor[a] = factor
	m.restricted = false
	for _, f := range m.areaFactor {
		if f < 1 {
			m.restricted = true
			break
		}
	}
}

// AreaContacts returns the contact factor set on area a alone.
func (m *Model) AreaContacts(a AreaID) float64 { return m.areaFactor[a] }

// leafFactor returns the contact factor in force for the people of leaf area a:
// the product of the factors on its path to the top.
func (m *Model) leafFactor(a AreaID) float64 {
	f := 1.0
	for ; a >= 0; a = m.city.areas[a].parent {
		f *= m.areaFactor[a]
	}
	return f
}
