package model

import "github.com/epiplan/epiplan/sim"

// DetectionObserver is told when a person is notified of their first positive
// result.
type DetectionObserver interface {
	// OnDetection is called when d.Person is notified, in priority class
	// [PriorityTesting].
	OnDetection(m *Model, d Detection)
}

// Detection is a person's first positive result.
type Detection struct {
	Person    PersonID   // who was found
	Infection *Infection // their infection, which must not be changed
	Route     string     // how their positive sample reached the lab ("symptomatic", "mass"…; see [Model.Route])
	Swab      sim.Time   // when the positive sample was taken
	Notified  sim.Time   // when the person was notified
}

// Detect records that infected person p is notified now of their first
// positive test, taken at time swab and found by the named route: it sets the
// infection's Found and FoundBy (the line list's "how found") and tells every
// [DetectionObserver], in the order they were registered. A measure that tests
// people calls it once for each person it finds; the testing pipeline of the
// package control does. It returns false, and does nothing, if p was found
// before. It panics if p was never infected.
func (m *Model) Detect(p PersonID, route string, swab sim.Time) bool {
	inf := m.InfectionOf(p)
	if inf == nil {
		panic("model: Detect of a person never infected")
	}
	if inf.Found <= m.sim.Now() {
		return false
	}
	now := m.sim.Now()
	inf.Found = now
	inf.FoundBy = m.Route(route)
	d := Detection{Person: p, Infection: inf, Route: route, Swab: swab, Notified: now}
	for _, o := range m.detObs {
		o.OnDetection(m, d)
	}
	return true
}

// RouteName returns the name of route i (see [Model.Route]).
func (m *Model) RouteName(i uint8) string { return m.routes[i] }
