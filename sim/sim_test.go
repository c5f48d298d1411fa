package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventLog records fired events as "time kind id" lines.
type eventLog struct {
	s     *Sim
	lines []string
}

func newEventLog(s *Sim) *eventLog {
	l := &eventLog{s: s}
	s.SetTrace(func(e Event) {
		l.lines = append(l.lines, fmt.Sprintf("%g %s %d", float64(e.Time), s.KindName(e.Kind), e.ID))
	})
	return l
}

func (l *eventLog) String() string { return strings.Join(l.lines, "\n") }

func nop(Event) {}

func TestFIFOTieBreak(t *testing.T) {
	s := New()
	log := newEventLog(s)
	a := s.NewKind("a", 0, nop)
	b := s.NewKind("b", 0, nop)
	// Same time, same priority: insertion order, whatever the kind or id.
	s.At(1, b, 3)
	s.At(1, a, 1)
	s.At(0.5, a, 0)
	s.At(1, b, 2)
	s.AtFunc(1, 0, func() {})
	s.At(2, a, 9)
	s.Run()
	assert.Equal(t, strings.Join([]string{
		"0.5 a 0",
		"1 b 3",
		"1 a 1",
		"1 b 2",
		"1 func 0",
		"2 a 9",
	}, "\n"), log.String())
	assert.EqualValues(t, 6, s.Fired())
	assert.Equal(t, 0, s.Len())
}

func TestPriorityClasses(t *testing.T) {
	s := New()
	log := newEventLog(s)
	policy := s.NewKind("policy", 3, nop)
	var testing Kind
	progression := s.NewKind("progression", 1, func(e Event) {
		// An event scheduled now in an earlier class than a pending one still runs
		// before it; one in a later class runs after everything pending in between.
		if e.ID == 1 {
			s.At(s.Now(), testing, 10)
			s.At(s.Now(), policy, 11)
		}
	})
	testing = s.NewKind("testing", 2, nop)
	s.At(1, policy, 0)
	s.At(1, testing, 0)
	s.At(1, progression, 1)
	s.At(0, policy, 5)
	s.Run()
	assert.Equal(t, strings.Join([]string{
		"0 policy 5",
		"1 progression 1",
		"1 testing 0",
		"1 testing 10",
		"1 policy 0",
		"1 policy 11",
	}, "\n"), log.String())
}

func TestCancel(t *testing.T) {
	s := New()
	log := newEventLog(s)
	k := s.NewKind("k", 0, nop)
	h1 := s.At(1, k, 1) // the head
	h2 := s.At(2, k, 2)
	h3 := s.At(3, k, 3)
	hf := s.AtFunc(2.5, 0, func() { t.Error("cancelled closure ran") })

	require.True(t, s.Pending(h1))
	require.True(t, s.Cancel(h1), "cancel the event at the head")
	require.False(t, s.Cancel(h1), "cancelling twice does nothing")
	require.False(t, s.Pending(h1))
	require.True(t, s.Cancel(hf))
	assert.Equal(t, 2, s.Len())
	next, ok := s.NextTime()
	require.True(t, ok)
	assert.Equal(t, Time(2), next, "the cancelled head is skipped")

	require.True(t, s.Step())
	assert.False(t, s.Cancel(h2), "an event that fired cannot be cancelled")
	assert.False(t, s.Pending(h2))
	// A new event reuses the slot of a fired one; the old handle must not reach it.
	h4 := s.At(4, k, 4)
	assert.False(t, s.Cancel(h2))
	assert.True(t, s.Pending(h4))
	assert.False(t, s.Cancel(Handle{}), "the zero Handle refers to nothing")
	s.Run()
	assert.Equal(t, "2 k 2\n3 k 3\n4 k 4", log.String())
	assert.False(t, s.Pending(h3))
}

func TestCancelMany(t *testing.T) {
	// Cancelling most events: the survivors still fire in order.
	s := New()
	var got []int64
	k := s.NewKind("k", 0, func(e Event) { got = append(got, e.ID) })
	var hs []Handle
	for i := 0; i < 1000; i++ {
		hs = append(hs, s.At(Time(1000-i), k, int64(i)))
	}
	for i, h := range hs {
		if i%10 != 0 {
			require.True(t, s.Cancel(h))
		}
	}
	assert.Equal(t, 100, s.Len())
	s.Run()
	require.Len(t, got, 100)
	for i := range got {
		assert.Equal(t, int64(990-10*i), got[i])
	}
}

func TestPendingAroundTheCursor(t *testing.T) {
	// A handler may schedule an event for now in an earlier priority class than its
	// own: that event sorts before the one firing, yet is pending until it fires.
	s := New()
	log := newEventLog(s)
	var early, late Kind
	var first Handle
	var hEarly, hEarly2, hDropped Handle
	early = s.NewKind("early", 0, nop)
	late = s.NewKind("late", 5, func(e Event) {
		if e.ID != 1 {
			return
		}
		assert.False(t, s.Pending(first), "the event that fired just before")
		hEarly = s.At(s.Now(), early, 10)
		hEarly2 = s.At(s.Now(), early, 11)
		assert.True(t, s.Pending(hEarly), "scheduled behind the cursor, not fired yet")
		assert.True(t, s.Cancel(hEarly2))
		assert.False(t, s.Pending(hEarly2))
	})
	first = s.At(1, late, 0)
	s.At(1, late, 1)
	s.At(1, late, 2)
	hDropped = s.At(1.5, early, 3)
	s.At(2, early, 4)
	require.True(t, s.Step())
	require.True(t, s.Step())
	assert.True(t, s.Pending(hEarly))
	require.True(t, s.Step())
	assert.False(t, s.Pending(hEarly), "fired")
	assert.False(t, s.Cancel(hEarly))
	assert.Equal(t, "1 late 0\n1 late 1\n1 early 10", log.String())

	require.True(t, s.Cancel(hDropped))
	s.RunUntil(1.75) // fires id 2 and drops the cancelled event at 1.5
	assert.False(t, s.Pending(hDropped), "a dropped event is not pending")
	assert.False(t, s.Cancel(hDropped))
	s.Run()
	assert.Equal(t, "1 late 0\n1 late 1\n1 early 10\n1 late 2\n2 early 4", log.String())
	assert.Empty(t, s.behind)
	assert.Empty(t, s.cancelled)
}

func TestRunUntilBoundary(t *testing.T) {
	s := New()
	log := newEventLog(s)
	k := s.NewKind("k", 0, nop)
	s.At(0, k, 0)
	s.At(1, k, 1) // exactly at the first boundary
	s.At(1.5, k, 2)
	s.At(3, k, 3)

	s.RunUntil(1)
	assert.Equal(t, "0 k 0", log.String(), "an event exactly at the boundary does not fire")
	assert.Equal(t, Time(1), s.Now())
	s.RunUntil(2)
	assert.Equal(t, "0 k 0\n1 k 1\n1.5 k 2", log.String())
	assert.Equal(t, Time(2), s.Now(), "the clock moves to the boundary even with no event there")
	s.RunUntil(2) // an empty interval does nothing
	assert.Equal(t, 3, len(log.lines))
	s.RunUntil(Time(math.Inf(1)))
	assert.Equal(t, Time(3), s.Now(), "RunUntil(+Inf) leaves the clock at the last event")
	assert.Equal(t, 4, len(log.lines))
}

func TestStop(t *testing.T) {
	s := New()
	var k Kind
	k = s.NewKind("k", 0, func(e Event) {
		if e.ID == 2 {
			s.Stop()
		}
		s.After(1, k, e.ID+1)
	})
	s.At(0, k, 0)
	s.Run()
	assert.Equal(t, Time(2), s.Now())
	assert.Equal(t, 1, s.Len(), "pending events stay pending")
	s.RunUntil(10) // ids 3..9 fire at times 3..9; none stops the run
	assert.Equal(t, Time(10), s.Now())
	assert.EqualValues(t, 10, s.Fired())
}

func TestSchedulePanics(t *testing.T) {
	s := New()
	k := s.NewKind("k", 0, nop)
	s.At(5, k, 0)
	s.Run()
	require.Equal(t, Time(5), s.Now())
	for name, f := range map[string]func(){
		"past":            func() { s.At(4.999, k, 0) },
		"NaN":             func() { s.At(Time(math.NaN()), k, 0) },
		"+Inf":            func() { s.At(Time(math.Inf(1)), k, 0) },
		"-Inf":            func() { s.At(Time(math.Inf(-1)), k, 0) },
		"negative delay":  func() { s.After(-1e-9, k, 0) },
		"NaN delay":       func() { s.After(Duration(math.NaN()), k, 0) },
		"closure in past": func() { s.AtFunc(1, 0, func() {}) },
		"closure at +Inf": func() { s.AfterFunc(Duration(math.Inf(1)), 0, func() {}) },
		"nil closure":     func() { s.AtFunc(6, 0, nil) },
		"unknown kind":    func() { s.At(6, Kind(7), 0) },
		"RunUntil past":   func() { s.RunUntil(1) },
		"RunUntil NaN":    func() { s.RunUntil(Time(math.NaN())) },
	} {
		assert.Panics(t, f, name)
	}
	assert.Equal(t, 0, s.Len(), "nothing was scheduled by the panicking calls")
	s.At(5, k, 0) // now itself is fine
	assert.Equal(t, 1, s.Len())
}

func TestStepAndClock(t *testing.T) {
	s := New()
	var times []Time
	var k Kind
	k = s.NewKind("k", 0, func(e Event) {
		times = append(times, s.Now())
		if e.ID < 3 {
			s.After(Duration(e.ID+1)*Hour, k, e.ID+1)
		}
	})
	assert.False(t, s.Step(), "an empty simulator has nothing to step")
	s.At(1, k, 0)
	for s.Step() {
	}
	want := []Time{1, 1 + Time(Hour), 1 + 3*Time(Hour), 1 + 6*Time(Hour)}
	require.Len(t, times, 4)
	for i := range want {
		assert.InDelta(t, float64(want[i]), float64(times[i]), 1e-12)
	}
}

func TestTypedPathAllocatesNothing(t *testing.T) {
	s := New()
	var k Kind
	k = s.NewKind("hold", 0, func(e Event) { s.After(1, k, e.ID) })
	for i := 0; i < 1000; i++ {
		s.At(Time(i)/1000, k, int64(i))
	}
	for i := 0; i < 10000; i++ { // warm up: the queue and slot tables reach size
		s.Step()
	}
	allocs := testing.AllocsPerRun(10000, func() { s.Step() })
	assert.Zero(t, allocs)

	// Schedule and cancel, too.
	allocs = testing.AllocsPerRun(10000, func() { s.Cancel(s.After(0.5, k, 0)) })
	assert.Zero(t, allocs)
}

func TestHoldOrderInvariant(t *testing.T) {
	// Events fire in (time, sequence) order whatever the schedule: a random hold
	// model with many ties, cancellations and compactions; each event's payload is
	// its scheduling number, so ties must fire with increasing payloads.
	s := New()
	src := NewStream(1).Rand()
	var (
		k        Kind
		next     int64 // scheduling number of the next event
		last     Time
		lastID   int64 = -1
		fired    int
		canceled int
	)
	schedule := func(at Time) Handle {
		h := s.At(at, k, next)
		next++
		return h
	}
	k = s.NewKind("k", 0, func(e Event) {
		fired++
		if e.Time < last || e.Time == last && e.ID <= lastID {
			t.Fatalf("event %d at %v fired after event %d at %v", e.ID, e.Time, lastID, last)
		}
		last, lastID = e.Time, e.ID
		if next < 200000 {
			// Whole-day times make many ties.
			schedule(Time(math.Round(float64(s.Now()) + src.ExpFloat64()*4)))
			if src.IntN(2) == 0 && s.Cancel(schedule(s.Now().Add(Duration(src.Float64()*10)))) {
				canceled++
			}
		}
	})
	for i := 0; i < 1000; i++ {
		schedule(Time(src.IntN(10)))
	}
	s.Run()
	assert.Equal(t, 0, s.Len())
	assert.Equal(t, int(next), fired+canceled, "every event fired or was cancelled")
	assert.EqualValues(t, fired, s.Fired())
}

func TestCancelledEventsDroppedAheadOfTheClock(t *testing.T) {
	// RunUntil and NextTime drop cancelled events at the head even beyond the
	// boundary; events scheduled before them afterwards must still be pending,
	// cancellable, and fire in order.
	s := New()
	log := newEventLog(s)
	k := s.NewKind("k", 0, nop)
	dead := s.At(5, k, 1)
	s.At(8, k, 2)
	require.True(t, s.Cancel(dead))
	s.RunUntil(2) // drops the cancelled event at 5: the cursor is ahead of the clock
	next, ok := s.NextTime()
	require.True(t, ok)
	require.Equal(t, Time(8), next)
	h3 := s.At(3, k, 3)
	h4 := s.At(6, k, 4)
	assert.True(t, s.Pending(h3))
	assert.True(t, s.Pending(h4))
	assert.False(t, s.Pending(dead))
	assert.False(t, s.Cancel(dead), "a dropped event stays cancelled")
	assert.True(t, s.Cancel(h4))
	assert.False(t, s.Pending(h4))
	assert.Equal(t, 2, s.Len())
	s.Run()
	assert.Equal(t, "3 k 3\n8 k 2", log.String())
	assert.False(t, s.Pending(h3))
	assert.Empty(t, s.behind)
}
