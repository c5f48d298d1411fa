package sim

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// linePlay plays a random program of events on a new Sim and returns what it
// saw: every event fired, with the clock, and at each, the pending count and
// whether marks made along the way have been passed. With lines set, the
// events of kind "run" go through a Line; without, through Sim.At. The program
// (its calls and its draws) is the same either way as long as the events fire
// in the same order.
func linePlay(seed uint64, lines bool) []string {
	s := New()
	rng := rand.New(rand.NewPCG(seed, 7))
	var log []string
	var handles []Handle
	var marks []Mark
	// Two lines, so that one's next event may find the other's held.
	var lastRun [2]float64
	var line [2]*Line
	var runKind [2]Kind
	var otherKind Kind
	runAt := func(i int, t Time, id int64) {
		lastRun[i] = float64(t)
		if lines {
			line[i].At(t, id)
		} else {
			s.At(t, runKind[i], id)
		}
	}
	// Times on a grid of half days, so that events tie.
	later := func() Duration { return Duration(rng.IntN(4)) / 2 }
	record := func(what string, e Event) {
		passed := ""
		for _, m := range marks {
			if s.Passed(m) {
				passed += "1"
			} else {
				passed += "0"
			}
		}
		log = append(log, fmt.Sprintf("%s %v %d len=%d marks=%s", what, float64(e.Time), e.ID, s.Len(), passed))
	}
	var n int64
	act := func() {
		n++
		switch rng.IntN(8) {
		case 0, 1:
			handles = append(handles, s.At(s.Now().Add(later()), otherKind, n))
		case 2: // in an earlier class at this very time: behind the cursor
			handles = append(handles, s.At(s.Now(), otherKind+2, n))
		case 3:
			if len(handles) > 0 {
				s.Cancel(handles[rng.IntN(len(handles))])
			}
		case 4:
			i := rng.IntN(2)
			runAt(i, Time(max(lastRun[i], float64(s.Now())))+Time(later()), n)
		case 5:
			if m, ok := s.Mark(s.Now().Add(later()), Priority(rng.IntN(3))); ok {
				marks = append(marks, m)
			}
		case 6:
			s.AfterFunc(later(), 1, func() { record("func", Event{Time: s.Now(), ID: -1}) })
		}
	}
	h := func(what string) Handler {
		return func(e Event) {
			record(what, e)
			for k := rng.IntN(3); k > 0; k-- {
				act()
			}
			if s.Fired() > 2000 {
				s.Stop()
			}
		}
	}
	for i, name := range []string{"run", "run2"} {
		if lines {
			line[i] = s.NewLine(name, Priority(1+i), h(name))
			runKind[i] = line[i].Kind()
		} else {
			runKind[i] = s.NewKind(name, Priority(1+i), h(name))
		}
	}
	otherKind = s.NewKind("other", 1, h("other"))
	s.NewKind("other, class 2", 2, h("other2"))
	s.NewKind("other, class 0", 0, h("other0"))
	// Runs that start together end together.
	for i := 0; i < 10; i++ {
		runAt(i%2, 1, int64(-10-i))
	}
	for i := 0; i < 20; i++ {
		handles = append(handles, s.At(Time(rng.IntN(8))/2, otherKind, int64(100+i)))
	}
	// What a trace sees: the next event's time and the pending count.
	s.SetTrace(func(e Event) {
		next, ok := s.NextTime()
		log = append(log, fmt.Sprintf("trace %v %d next=%v,%v len=%d", float64(e.Time), e.ID, float64(next), ok, s.Len()))
	})
	for t := Time(0.75); t < 6 && !s.stopped; t += 0.75 {
		t = max(t, s.Now()) // Step may have gone past it
		s.RunUntil(t)
		next, ok := s.NextTime()
		log = append(log, fmt.Sprintf("until %v len=%d next=%v,%v", float64(t), s.Len(), float64(next), ok))
		act() // between the calls: schedule, cancel, mark
		for k := rng.IntN(3); k > 0 && s.Step(); k-- {
		}
	}
	s.Run()
	return log
}

// TestLineIsAt plays random programs whose events tie often, with
// cancellations, events behind the cursor, marks and RunUntil, once with a
// Line and once with Sim.At, and checks that they see the same thing.
func TestLineIsAt(t *testing.T) {
	held := 0
	for seed := uint64(1); seed <= 300; seed++ {
		a, b := linePlay(seed, false), linePlay(seed, true)
		require.Equal(t, a, b, "seed %d", seed)
		require.Greater(t, len(a), 20, "seed %d plays something", seed)
		held += len(a)
	}
	t.Logf("%d entries compared", held)
}

// TestLineHolds checks that the events of a line that fire one after the other
// cost no queue operation: five runs ending together leave the queue empty.
func TestLineHolds(t *testing.T) {
	s := New()
	var got []int64
	var l *Line
	l = s.NewLine("run", 0, func(e Event) {
		got = append(got, e.ID)
		assert.Zero(t, s.queue.len(), "the line's next event is held, not queued")
	})
	for i := int64(0); i < 5; i++ {
		l.At(2, i)
	}
	assert.Equal(t, 5, s.Len())
	assert.Equal(t, 5, l.Len())
	s.Run()
	assert.Equal(t, []int64{0, 1, 2, 3, 4}, got)
	assert.Zero(t, s.Len())
	assert.Panics(t, func() { l.At(3, 0); l.At(2.5, 1) }, "a line's events come in order")
}

// TestLineReset checks that Reset forgets a line's pending events, and that
// Sim.At refuses a line's kind.
func TestLineReset(t *testing.T) {
	s := New()
	l := s.NewLine("run", 0, func(Event) {})
	for i := int64(0); i < 3; i++ {
		l.At(1, i)
	}
	assert.Panics(t, func() { s.At(1, l.Kind(), 9) }, "a line's kind goes through the line")
	s.Step() // the second is held, the third waits
	require.Equal(t, 2, s.Len())
	s.Reset()
	assert.Zero(t, s.Len())
	_, ok := s.NextTime()
	assert.False(t, ok)
	l2 := s.NewLine("run", 0, func(Event) {})
	l2.At(1, 0)
	assert.Equal(t, 1, s.Len())
}
