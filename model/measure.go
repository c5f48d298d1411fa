package model

import "github.com/epiplan/epiplan/sim"

// Measure is a control measure or any other addition to a run (a recorder, a
// custom intervention). [Model.Add] calls Attach once, before the run starts; the
// measure registers its events with m.Sim(), observes the epidemic through the
// optional interfaces below, and acts through the model's methods ([Model.Confine],
// [Model.SetAreaContacts]). A Measure must not keep state between runs: build a
// new one per run.
type Measure interface {
	// Attach sets the measure up in run m; an error (a configuration that does
	// not fit the model) stops [Model.Add].
	Attach(m *Model) error
}

// Stream returns a random stream of the run for a measure's own draws, named
// by purpose: key it by what a draw belongs to (a person, a pair of people) so
// that the draw does not depend on the order of events. Two runs with the same
// seed and replication give the same stream.
func (m *Model) Stream(purpose string) sim.Stream {
	return m.sContact.Named("measure").Named(purpose)
}

// GroupOf returns the group that person p belongs to in group layer l (the
// index of the layer in Population.Layers.Groups: a workplace, a school class),
// as a number that names the group within its layer, and whether p belongs to
// one.
func (m *Model) GroupOf(p PersonID, l int) (group int64, ok bool) {
	c := m.city
	if l < 0 || l >= len(c.groups) {
		return 0, false
	}
	g := &c.groups[l]
	if !c.inGroup(g, p, c.age(p)) {
		return 0, false
	}
	lo, _, _ := c.groupBlock(g, p)
	return lo, true
}

// MeasureFunc adapts a function to the [Measure] interface.
type MeasureFunc func(m *Model) error

// Attach calls f(m).
func (f MeasureFunc) Attach(m *Model) error { return f(m) }

// InfectionObserver is told of every infection, imports included, right after it
// happens (in priority class [PriorityTransmission]), in the order they happen:
// during OnInfection the new infection is number Infections()-1 (see
// [Model.InfectionNumber]), so that a measure may keep its state of each
// infection in a slice it appends to. An observer that infects someone itself
// breaks that order for the observers after it: those then use
// Model.InfectionNumber(inf.Person), which is right in every case.
type InfectionObserver interface {
	// OnInfection is called with each new infection; inf must not be changed.
	OnInfection(m *Model, inf *Infection)
}

// OnsetObserver is told of every symptom onset, at the time it happens (in
// priority class [PriorityProgression]).
type OnsetObserver interface {
	// OnOnset is called when the symptomatic case inf shows symptoms.
	OnOnset(m *Model, inf *Infection)
}

// RecoveryObserver is told when a case stops being infectious (in priority
// class [PriorityProgression]).
type RecoveryObserver interface {
	// OnRecovery is called when case inf stops being infectious.
	OnRecovery(m *Model, inf *Infection)
}

// DayObserver is told at the end of every simulated day, after every event of the
// day and before any event of the next (in priority class [PriorityDayEnd]): day
// 0 ends at time 1. Record the state of the day with [Model.SetDay].
type DayObserver interface {
	// OnDayEnd is called when day ends (day 0 at time 1).
	OnDayEnd(m *Model, day int)
}

// Activity is a measure with work under way that outlives the epidemic (samples
// in the lab, results to report): the run does not end for extinction while
// Active reports true.
type Activity interface {
	// Active reports whether the measure still has work under way.
	Active() bool
}

// ContactFilter decides whether an infectious contact happens, after the
// model's own checks (confinement, area restrictions) have let it through. It sees
// the contacts that would infect: contacts that cannot (their target is already
// infected, or resisted) are settled when drawn and never reach it. It is called
// for each of them, so it must be cheap.
type ContactFilter interface {
	// AllowContact reports whether contact c takes place (false: it is
	// prevented, and infects no one).
	AllowContact(m *Model, c Contact) bool
}

// Contact is an infectious contact about to happen.
type Contact struct {
	From  PersonID // the infectious person
	To    PersonID // the susceptible person it would infect
	Layer Layer    // where they meet
	Time  sim.Time // when
}

// Confinement is where a person is kept, which decides whom they can meet.
type Confinement uint8

// The places a person can be kept.
const (
	// Free: the person meets people in every layer.
	Free Confinement = iota
	// Home: the person meets only their household (home quarantine or isolation,
	// a stay-at-home order).
	Home
	// Facility: the person meets no one of the city (centralized quarantine,
	// isolation in a fangcang shelter or hospital).
	Facility
)

// String returns "free", "home" or "facility".
func (c Confinement) String() string {
	switch c {
	case Free:
		return "free"
	case Home:
		return "home"
	case Facility:
		return "facility"
	}
	return "Confinement(?)"
}
