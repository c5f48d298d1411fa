package model

import "github.com/epiplan/epiplan/sim"

// A Scratch passes the memory of one run to the next, for a program that plays
// many runs one after the other (a search, a benchmark, a worker's share of
// the replications): a run made with it ([Options].Scratch) takes over the
// memory of the run made with it before, instead of allocating its own: the
// event queue, the line list, the people's records and index, the daily series
// and the result's series. A controlled outbreak is mostly that memory: its
// runs take about a fifth less time (BenchmarkControlled/ring). The runs are
// the same with or without a Scratch.
//
// Once a run is made with a Scratch, the run made with it before, its Model
// and its Result, must no longer be used: their memory is the new run's. Take
// from a Result what is needed before making the next run. A Scratch must not
// be used by two goroutines at once (give each worker its own); the zero value
// is ready to use.
type Scratch struct {
	last *Model // the run made last with the Scratch
}

// maxKeptSlots bounds the person table a Scratch passes on: clearing a larger
// one for the next run would cost more than it saves (most controlled
// outbreaks touch a few hundred people, who fit in 1,024 slots).
const maxKeptSlots = 1 << 11

// lend gives m, a new run, the memory of the last run made with s (a new
// simulator without one), and makes m the last. The old run is left empty, so
// that a use of it, which is a mistake, finds nothing rather than the new
// run's state. It is called before m registers its kinds of events.
func (s *Scratch) lend(m *Model) {
	if s == nil || s.last == nil {
		m.sim = sim.New()
		if s != nil {
			s.last = m
		}
		return
	}
	old := s.last
	s.last = m
	m.sim = old.sim
	m.sim.Reset()
	m.infections, m.people, m.isolations = old.infections, old.people, old.isolations
	m.infections.reset()
	m.people.reset()
	m.isolations.reset()
	if t := old.index.small; t.slots != nil && len(t.slots) <= maxKeptSlots {
		clear(t.slots)
		m.index.small = personTable{slots: t.slots, shift: t.shift}
	}
	m.rec.spare = old.rec.spare[:0]
	for _, x := range old.rec.series {
		if cap(x.v) > 0 {
			m.rec.spare = append(m.rec.spare, x.v[:0])
		}
	}
	m.resultMem = old.lastResult
	*old = Model{}
}
