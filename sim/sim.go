package sim

import (
	"fmt"
	"math"
)

// Priority orders events that fall at the same time: a lower priority class runs
// first; within a class, events run in the order they were scheduled. A model names
// its classes as constants (for example progression before testing before tracing
// before policy) so that the order of same-time events is written down once.
type Priority uint8

// Kind names a typed event handler registered with [Sim.NewKind]. Typed events carry
// a Kind and an int64 payload and cost no allocation to schedule.
type Kind int32

// FuncKind is the Kind reported (to a trace function) for events scheduled with
// [Sim.AtFunc] or [Sim.AfterFunc].
const FuncKind Kind = -1

// Event is what a typed handler receives when its event fires.
type Event struct {
	Time Time  // when the event fires; equal to Sim.Now() during the handler
	Kind Kind  // the handler's kind
	ID   int64 // the payload given when the event was scheduled, such as an entity id
}

// Handler handles the typed events of one [Kind].
type Handler func(Event)

// Handle refers to one scheduled event, for [Sim.Cancel] and [Sim.Pending]. The zero
// Handle refers to no event. A Handle is only meaningful to the Sim that issued it.
type Handle struct {
	at  float64
	key uint64
}

// kindInfo is a registered handler.
type kindInfo struct {
	name string
	prio Priority
	h    Handler
	line *Line // the line whose events are of this kind, if any
}

// Sim is a discrete-event simulator: a clock and a queue of pending events. Events
// fire in order of time, then [Priority], then scheduling order, so a run is a pure
// function of what the model schedules. A Sim is not safe for concurrent use; run
// independent replications on independent Sims (see [Replicate]).
//
// Two scheduling paths share one queue. The typed path ([Sim.At], [Sim.After]) stores
// a [Kind] and an int64 payload in the event and allocates nothing in steady state;
// it is meant for hot models. The closure path ([Sim.AtFunc], [Sim.AfterFunc]) stores
// a func() and is meant for convenience.
//
// Cancellation is lazy: a cancelled event stays in the queue and is dropped when it
// reaches the head. Checking for that costs one comparison per event.
type Sim struct {
	now   Time
	queue eventQueue
	kinds []kindInfo
	seq   uint64 // last sequence number given out

	// The cursor (curAt, curKey) is the latest queue position that has left the
	// queue, fired or dropped; every event after it is pending or cancelled. The only
	// pending events before it are those scheduled behind it (by a handler, for the
	// current time in an earlier priority class than its own; or between the clock
	// and cancelled events dropped ahead of it): their keys are in behind, but for
	// the events of lines, which have no Handle to ask about.
	curAt  float64
	curKey uint64
	behind []uint64
	// The latest queue position of an event that fired (the cursor also moves
	// past cancelled events it drops, which may lie ahead of the clock): where
	// the run has got to, for Mark and Passed.
	firedAt  float64
	firedKey uint64

	// Cancelled events still in the queue: their keys, and the same events in queue
	// order, so that a dead event at the head is found with one comparison.
	cancelled map[uint64]struct{}
	dead      eventQueue

	funcs     []func() // closures of pending closure events, by slot
	freeFuncs []int64  // free slots in funcs

	// The next event of a line whose event fired, kept out of the queue until
	// it is the earliest pending event (see [Line]); and the lines.
	held    event
	hasHeld bool
	lines   []*Line

	fired   uint64
	stopped bool
	trace   func(Event)
}

// New returns an empty simulator with the clock at time 0.
func New() *Sim { return &Sim{} }

// Reset makes s as [New] makes a simulator, empty with the clock at 0 and no
// kinds registered, but keeps the memory its queue has grown, for a program
// that runs many simulations one after the other. Handles, Kinds and Marks
// of before are meaningless afterwards.
func (s *Sim) Reset() {
	clear(s.kinds) // drop the handlers, which hold what they handled
	clear(s.funcs)
	clear(s.cancelled)
	clear(s.lines)
	*s = Sim{
		queue:     eventQueue{h: s.queue.h},
		kinds:     s.kinds[:0],
		behind:    s.behind[:0],
		cancelled: s.cancelled,
		dead:      eventQueue{h: s.dead.h},
		funcs:     s.funcs[:0],
		freeFuncs: s.freeFuncs[:0],
		lines:     s.lines[:0],
	}
}

// NewKind registers a typed event handler with the given name (for traces and
// errors) and priority class, and returns the Kind to schedule its events with. A
// Sim holds at most 65,535 kinds.
func (s *Sim) NewKind(name string, p Priority, h Handler) Kind {
	if h == nil {
		panic("sim: NewKind with a nil handler")
	}
	if len(s.kinds) >= kindMask {
		panic("sim: too many kinds")
	}
	s.kinds = append(s.kinds, kindInfo{name: name, prio: p, h: h})
	return Kind(len(s.kinds) - 1)
}

// KindName returns the name a Kind was registered with, or "func" for [FuncKind].
func (s *Sim) KindName(k Kind) string {
	if k == FuncKind {
		return "func"
	}
	if k < 0 || int(k) >= len(s.kinds) {
		return fmt.Sprintf("Kind(%d)", int32(k))
	}
	return s.kinds[k].name
}

// Now returns the current simulation time: the time of the event being handled, or
// where [Sim.RunUntil] left the clock.
func (s *Sim) Now() Time { return s.now }

// Len returns the number of pending events (cancelled ones excluded).
func (s *Sim) Len() int {
	n := s.queue.len() - s.dead.len()
	if s.hasHeld {
		n++
	}
	for _, l := range s.lines {
		n += l.waiting.len()
	}
	return n
}

// Fired returns the number of events fired so far.
func (s *Sim) Fired() uint64 { return s.fired }

// NextTime returns the time of the next pending event, and false when there is none.
func (s *Sim) NextTime() (Time, bool) {
	if !s.dropDead() {
		return 0, false
	}
	return Time(s.head().at), true
}

// head returns the earliest pending event, after dropDead has reported one.
func (s *Sim) head() *event {
	if s.heldIsNext() {
		return &s.held
	}
	return s.queue.top()
}

// SetTrace sets a function called just before each event's handler runs, with the
// event (closure events have Kind [FuncKind]). Use it for event logs and debugging;
// nil turns tracing off.
func (s *Sim) SetTrace(fn func(Event)) { s.trace = fn }

// At schedules an event of kind k with payload id at time t and returns its handle.
// It panics if t is before Now, NaN or +Inf, or if k was not registered: those are
// programming errors, never clamped.
func (s *Sim) At(t Time, k Kind, id int64) Handle {
	if !(t >= s.now) || math.IsInf(float64(t), 1) {
		s.badTime(t)
	}
	if uint(k) >= uint(len(s.kinds)) {
		panic(fmt.Sprintf("sim: unregistered Kind %d", int32(k)))
	}
	if s.kinds[k].line != nil {
		panic(fmt.Sprintf("sim: Kind %q is a line's: schedule it with Line.At", s.kinds[k].name))
	}
	return s.push(float64(t), s.kinds[k].prio, uint64(k)+1, id)
}

// After schedules an event of kind k with payload id after delay d. It panics if d
// is negative, NaN or +Inf.
func (s *Sim) After(d Duration, k Kind, id int64) Handle {
	return s.At(s.now.Add(d), k, id)
}

// AtFunc schedules fn to run at time t in priority class p. It panics if t is before
// Now, NaN or +Inf, or if fn is nil.
func (s *Sim) AtFunc(t Time, p Priority, fn func()) Handle {
	if !(t >= s.now) || math.IsInf(float64(t), 1) {
		s.badTime(t)
	}
	if fn == nil {
		panic("sim: AtFunc with a nil func")
	}
	var slot int64
	if n := len(s.freeFuncs); n > 0 {
		slot = s.freeFuncs[n-1]
		s.freeFuncs = s.freeFuncs[:n-1]
		s.funcs[slot] = fn
	} else {
		slot = int64(len(s.funcs))
		s.funcs = append(s.funcs, fn)
	}
	return s.push(float64(t), p, 0, slot)
}

// AfterFunc schedules fn to run after delay d in priority class p.
func (s *Sim) AfterFunc(d Duration, p Priority, fn func()) Handle {
	return s.AtFunc(s.now.Add(d), p, fn)
}

func (s *Sim) badTime(t Time) {
	panic(fmt.Sprintf("sim: cannot schedule an event at %v: now is %v", float64(t), float64(s.now)))
}

// push puts a new event in the queue.
func (s *Sim) push(at float64, p Priority, code uint64, id int64) Handle {
	key := s.nextKey(p, code)
	if at < s.curAt || at == s.curAt && key < s.curKey {
		// Before the cursor: in an earlier class at the current time, or before
		// cancelled events that were dropped ahead of the clock.
		s.behind = append(s.behind, key)
	}
	s.queue.push(event{at: at, key: key, id: id})
	return Handle{at: at, key: key}
}

// A Mark is the place in the order of events of an event that is never
// scheduled: a change of state that a model applies when it next looks at
// that state, instead of scheduling an event to make it, and so is applied as
// if the event had fired at its place. [Sim.Mark] makes one and [Sim.Passed]
// tells whether the run has gone past it. A Mark is only meaningful to the Sim
// that made it.
type Mark struct {
	at  float64
	key uint64
}

// Mark returns the place that an event scheduled now at time t in priority
// class p would take in the order of events, and uses up the sequence number
// such an event would use (the other events keep their order). It reports
// false if that place is behind the event being handled (at the current time
// in an earlier class), where an event would still fire after it: a change
// there must be scheduled. It panics if t is before Now, NaN or +Inf.
func (s *Sim) Mark(t Time, p Priority) (Mark, bool) {
	if !(t >= s.now) || math.IsInf(float64(t), 1) {
		s.badTime(t)
	}
	m := Mark{at: float64(t), key: s.nextKey(p, 0)}
	if s.Passed(m) {
		return Mark{}, false
	}
	return m, true
}

// Passed reports whether the run has gone past m: whether an event at its
// place would have fired by now. During a handler, it tells whether that
// event would have fired before the one being handled; between calls of
// [Sim.RunUntil](t), whether it would have fired before t.
func (s *Sim) Passed(m Mark) bool {
	return m.at < float64(s.now) || m.at < s.firedAt || m.at == s.firedAt && m.key < s.firedKey
}

// nextKey returns the key of the next event scheduled in priority class p
// with kind code code, using up a sequence number.
func (s *Sim) nextKey(p Priority, code uint64) uint64 {
	s.seq++
	if s.seq > maxSeq {
		panic("sim: more than 2^40 events scheduled on one Sim")
	}
	return uint64(p)<<prioShift | s.seq<<kindBits | code
}

// Pending reports whether h refers to an event that has neither fired nor been
// cancelled.
func (s *Sim) Pending(h Handle) bool {
	if h.key == 0 {
		return false
	}
	if _, dead := s.cancelled[h.key]; dead {
		return false
	}
	if h.at > s.curAt || h.at == s.curAt && h.key > s.curKey {
		return true
	}
	for _, k := range s.behind {
		if k == h.key {
			return true
		}
	}
	return false
}

// Cancel cancels the event h refers to, and reports whether it was pending.
// Cancelling an event that has fired or was cancelled already does nothing.
func (s *Sim) Cancel(h Handle) bool {
	if !s.Pending(h) {
		return false
	}
	if s.cancelled == nil {
		s.cancelled = make(map[uint64]struct{})
	}
	s.cancelled[h.key] = struct{}{}
	s.dead.push(event{at: h.at, key: h.key})
	return true
}

// advance moves the cursor past ev, which has just left the queue.
func (s *Sim) advance(ev *event) {
	if ev.at > s.curAt || ev.at == s.curAt && ev.key > s.curKey {
		s.curAt, s.curKey = ev.at, ev.key
		return
	}
	// ev was scheduled behind the cursor.
	for i, k := range s.behind {
		if k == ev.key {
			last := len(s.behind) - 1
			s.behind[i] = s.behind[last]
			s.behind = s.behind[:last]
			return
		}
	}
}

// dropDead pops cancelled events off the head of the queue and reports whether a
// live event is pending: the head of the queue or a held event. Both queues hold
// their events in the same order, so the head of the queue is dead exactly when
// it is the head of dead.
func (s *Sim) dropDead() bool {
	for s.dead.len() > 0 && s.queue.top().key == s.dead.top().key {
		ev := s.queue.pop()
		s.dead.pop()
		delete(s.cancelled, ev.key)
		s.advance(&ev)
		if ev.key&kindMask == 0 {
			s.freeFunc(ev.id)
		}
	}
	return s.hasHeld || s.queue.len() > 0
}

// freeFunc releases the closure slot of a closure event.
func (s *Sim) freeFunc(slot int64) {
	s.funcs[slot] = nil
	s.freeFuncs = append(s.freeFuncs, slot)
}

// fire takes the earliest pending event (the held one, or the head of the
// queue, which must then be live), advances the clock and runs its handler.
func (s *Sim) fire() {
	var ev event
	if s.heldIsNext() {
		ev, s.hasHeld = s.held, false
	} else {
		ev = s.queue.pop()
	}
	s.advance(&ev)
	s.now = Time(ev.at)
	s.fired++
	if ev.at > s.firedAt || ev.at == s.firedAt && ev.key > s.firedKey {
		s.firedAt, s.firedKey = ev.at, ev.key
	}
	code := ev.key & kindMask
	var h Handler // nil for a closure
	if code != 0 {
		k := &s.kinds[code-1]
		if k.line != nil {
			k.line.fired()
		}
		h = k.h
	}
	if s.trace != nil {
		s.trace(Event{Time: s.now, Kind: Kind(code) - 1, ID: ev.id})
	}
	if h == nil {
		fn := s.funcs[ev.id]
		s.freeFunc(ev.id)
		fn()
		return
	}
	h(Event{Time: s.now, Kind: Kind(code - 1), ID: ev.id})
}

// Step fires the next pending event and reports whether there was one.
func (s *Sim) Step() bool {
	if !s.dropDead() {
		return false
	}
	s.fire()
	return true
}

// Run fires events until none is pending or [Sim.Stop] is called.
func (s *Sim) Run() {
	s.stopped = false
	for !s.stopped && s.dropDead() {
		s.fire()
	}
}

// RunUntil fires every event before time t, in order, then sets the clock to t.
// An event at exactly t is not fired: it stays pending for the next call, so that
// RunUntil(1), RunUntil(2), ... cover the half-open days [0, 1), [1, 2), ... If
// [Sim.Stop] is called, RunUntil returns at once with the clock at the stopping
// event. RunUntil(+Inf) runs like [Sim.Run] and leaves the clock at the last event.
// It panics if t is before Now or NaN.
func (s *Sim) RunUntil(t Time) {
	if !(t >= s.now) {
		panic(fmt.Sprintf("sim: RunUntil(%v) before now %v", float64(t), float64(s.now)))
	}
	s.stopped = false
	for !s.stopped && s.dropDead() && s.head().at < float64(t) {
		s.fire()
	}
	if !s.stopped && !math.IsInf(float64(t), 1) {
		s.now = t
	}
}

// Stop makes the current [Sim.Run] or [Sim.RunUntil] return after the event being
// handled. Pending events stay pending.
func (s *Sim) Stop() { s.stopped = true }
