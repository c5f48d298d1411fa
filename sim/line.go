package sim

import (
	"fmt"
	"math"
)

// A Line schedules typed events of one kind that are due in the order they are
// scheduled: each at the time of the one before or later, such as the ends of
// a server's services of one fixed length. Only the line's earliest pending
// event is in the queue; the others wait in the line, in order. When that event
// fires, the line's next one is held outside the queue and fires from there if
// nothing in the queue comes before it: a line whose events fire one after the
// other (a lab's runs that started together end together) costs no queue
// operation for them. The events of a line fire exactly where the same events
// scheduled with [Sim.At] would, in the same order among all the others.
//
// Events of a line cannot be cancelled. A Line belongs to the Sim that made it
// and is meaningless after [Sim.Reset].
type Line struct {
	s       *Sim
	kind    Kind
	waiting ringBuf[event] // the events after the line's front one, in order
	front   bool           // the line's earliest pending event is in the queue or held
	last    float64        // the time of the latest event scheduled
	pending int            // events scheduled and not yet fired
}

// NewLine registers, as [Sim.NewKind] does, a typed event handler with the given
// name and priority class, and returns a Line that schedules its events.
func (s *Sim) NewLine(name string, p Priority, h Handler) *Line {
	l := &Line{s: s, last: math.Inf(-1)}
	l.kind = s.NewKind(name, p, h)
	s.kinds[l.kind].line = l
	s.lines = append(s.lines, l)
	return l
}

// fired moves the line past its front event, which is firing: the next one
// becomes the front, held, before anything (a trace, the handler) looks at the
// pending events.
func (l *Line) fired() {
	l.pending--
	if l.waiting.len() > 0 {
		l.s.hold(l.waiting.pop())
	} else {
		l.front = false
	}
}

// Kind returns the kind of the line's events, as traces show it. Its events
// are scheduled with [Line.At]: [Sim.At] refuses the kind.
func (l *Line) Kind() Kind { return l.kind }

// At schedules an event of the line with payload id at time t. It panics if t
// is before Now, +Inf or NaN, or before the time of the line's latest event.
func (l *Line) At(t Time, id int64) {
	s := l.s
	if !(t >= s.now) || math.IsInf(float64(t), 1) {
		s.badTime(t)
	}
	if float64(t) < l.last {
		panic(fmt.Sprintf("sim: line %q: an event at %v after one at %v", s.kinds[l.kind].name, float64(t), l.last))
	}
	l.last = float64(t)
	l.pending++
	if !l.front {
		l.front = true
		s.push(float64(t), s.kinds[l.kind].prio, uint64(l.kind)+1, id)
		return
	}
	l.waiting.push(event{at: float64(t), key: s.nextKey(s.kinds[l.kind].prio, uint64(l.kind)+1), id: id})
}

// After schedules an event of the line with payload id after delay d.
func (l *Line) After(d Duration, id int64) { l.At(l.s.now.Add(d), id) }

// Len returns the number of the line's pending events.
func (l *Line) Len() int { return l.pending }

// hold keeps ev, the next event of a line whose event is firing, out of the
// queue until it fires. There is one such place: if another line's event holds
// it, ev goes into the queue instead.
func (s *Sim) hold(ev event) {
	if s.hasHeld {
		s.queue.push(ev)
		return
	}
	s.held, s.hasHeld = ev, true
}

// heldIsNext reports whether the held event comes before every event in the
// queue.
func (s *Sim) heldIsNext() bool {
	return s.hasHeld && (s.queue.len() == 0 || before(&s.held, s.queue.top()))
}
