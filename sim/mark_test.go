package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMarkTakesTheEventsPlace plays the same random schedule twice: once with
// probe events, once with a Mark where each probe would be. Events in four
// classes, on a coarse grid of times so that ties abound, schedule more events
// and probes from their handlers, some behind the cursor. At every event,
// Passed of each mark must say whether its probe has fired; Mark must refuse
// exactly the places behind the cursor; and the two runs must fire the other
// events in the same order.
func TestMarkTakesTheEventsPlace(t *testing.T) {
	play := func(marks bool) (log []string, refused int) {
		s := New()
		r := rand.New(rand.NewPCG(3, 4))
		var fired []bool  // probes fired, by number (runs with probes)
		var places []Mark // marks, by number; ok[i] false if refused (runs with marks)
		var ok []bool
		var kinds [4]Kind
		var probes [4]Kind // a probe in each class
		place := func(at Time, p Priority) {
			if marks {
				m, made := s.Mark(at, p)
				places, ok = append(places, m), append(ok, made)
				return
			}
			// Behind the cursor a probe still fires after the current event.
			behind := float64(at) < s.curAt || float64(at) == s.curAt && uint64(p)<<prioShift|(s.seq+1)<<kindBits < s.curKey
			s.At(at, probes[p], int64(len(fired)))
			fired, ok = append(fired, false), append(ok, !behind)
		}
		handle := func(e Event) {
			state := ""
			for i := range ok {
				switch {
				case !ok[i]:
					state += "-"
				case marks && s.Passed(places[i]), !marks && fired[i]:
					state += "1"
				default:
					state += "0"
				}
			}
			log = append(log, fmt.Sprintf("%g %d %d %s", float64(e.Time), e.Kind, e.ID, state))
			if len(log) > 400 {
				return
			}
			for range 1 + r.IntN(3) {
				at := s.Now() + Time(r.IntN(3))/2
				if r.IntN(3) == 0 {
					place(at, Priority(r.IntN(4)))
				} else {
					s.At(at, kinds[r.IntN(4)], r.Int64N(1000))
				}
			}
		}
		for p := range probes {
			probes[p] = s.NewKind(fmt.Sprint("probe ", p), Priority(p), func(e Event) { fired[e.ID] = true })
		}
		for p := range kinds {
			kinds[p] = s.NewKind(fmt.Sprint("class ", p), Priority(p), handle)
		}
		for range 20 {
			s.At(Time(r.IntN(4))/2, kinds[r.IntN(4)], r.Int64N(1000))
		}
		place(1, 1)
		s.Run()
		for _, o := range ok {
			if !o {
				refused++
			}
		}
		return log, refused
	}
	probes, behind := play(false)
	marks, refused := play(true)
	require.Greater(t, len(probes), 300)
	require.Len(t, marks, len(probes))
	for i := range probes {
		require.Equal(t, probes[i], marks[i], "event %d", i)
	}
	assert.Equal(t, behind, refused, "refused exactly behind the cursor")
	assert.Positive(t, refused)
}

// TestMarkPanicsBeforeNow checks that a place before the clock is refused as
// an event's would be.
func TestMarkPanicsBeforeNow(t *testing.T) {
	s := New()
	k := s.NewKind("k", 0, nop)
	s.At(2, k, 0)
	s.Run()
	assert.Panics(t, func() { s.Mark(1, 0) })
	m, ok := s.Mark(2, 0)
	require.True(t, ok, "now, in a later class than the last event's")
	assert.False(t, s.Passed(m))
	s.At(2, k, 1)
	s.Run()
	assert.True(t, s.Passed(m), "an event after the mark has fired")
}

// TestResetIsNew plays the same schedule, with closures, cancellations and
// events scheduled behind the cursor, on a new simulator and on one reset
// after a longer run of another schedule: the two fire the same events at the
// same times, and the reset one starts with nothing pending or registered.
func TestResetIsNew(t *testing.T) {
	play := func(s *Sim, seed uint64, n, steps int) string {
		log := newEventLog(s)
		r := rand.New(rand.NewPCG(seed, 1))
		var kinds [3]Kind
		var handles []Handle
		pending := "" // Pending of a handle at each event
		handle := func(e Event) {
			if len(handles) > 0 {
				pending += fmt.Sprint(s.Pending(handles[r.IntN(len(handles))]), " ")
			}
			for range 1 + r.IntN(4) {
				at := s.Now() + Time(r.IntN(4))/2
				switch r.IntN(4) {
				case 0:
					s.AtFunc(at, Priority(r.IntN(3)), func() {})
				case 1:
					if len(handles) > 0 {
						s.Cancel(handles[r.IntN(len(handles))])
					}
				default:
					handles = append(handles, s.At(at, kinds[r.IntN(3)], e.ID+1))
				}
			}
		}
		for p := range kinds {
			kinds[p] = s.NewKind(fmt.Sprint("class ", p), Priority(p), handle)
		}
		for range n {
			s.At(Time(r.IntN(4)), kinds[r.IntN(3)], 0)
		}
		for i := 0; i < steps && s.Step(); i++ {
		}
		return log.String() + fmt.Sprint("\nfired ", s.Fired(), " pending ", s.Len(), " now ", s.Now(), "\n", pending)
	}
	used := New()
	play(used, 2, 20, 300) // the same schedule, stopped with events, closures and cancellations pending
	require.Positive(t, used.Len())
	require.NotEmpty(t, used.cancelled)
	require.NotEmpty(t, used.funcs)
	used.Reset()
	assert.Equal(t, Sim{queue: used.queue, kinds: used.kinds, behind: used.behind, cancelled: used.cancelled, dead: used.dead, funcs: used.funcs, freeFuncs: used.freeFuncs}, *used)
	assert.Zero(t, used.queue.n)
	assert.Zero(t, used.dead.n)
	assert.Empty(t, used.kinds)
	assert.Empty(t, used.behind)
	assert.Empty(t, used.cancelled)
	assert.Empty(t, used.funcs)
	assert.Empty(t, used.freeFuncs)
	assert.NotEmpty(t, used.queue.h, "the queue's memory is kept")
	assert.Zero(t, used.Len())
	assert.Zero(t, used.Fired())
	assert.Equal(t, Time(0), used.Now())
	assert.Panics(t, func() { used.At(1, 0, 0) }, "no kinds registered")
	want := play(New(), 2, 20, 500)
	require.Greater(t, strings.Count(want, "\n"), 100)
	assert.Equal(t, want, play(used, 2, 20, 500))

	// And a simulator stopped with an event behind the cursor, a freed
	// closure slot and a cancellation pending.
	s := New()
	early := s.NewKind("early", 0, nop)
	late := s.NewKind("late", 2, func(Event) { s.At(s.Now(), early, 1) })
	s.AtFunc(0.5, 0, func() {})
	s.At(1, late, 0)
	s.Cancel(s.At(3, early, 2))
	require.True(t, s.Step())
	require.True(t, s.Step())
	require.NotEmpty(t, s.behind)
	require.NotEmpty(t, s.freeFuncs)
	require.NotEmpty(t, s.cancelled)
	s.Reset()
	assert.Equal(t, Sim{queue: s.queue, kinds: s.kinds, behind: s.behind, cancelled: s.cancelled, dead: s.dead, funcs: s.funcs, freeFuncs: s.freeFuncs}, *s)
	assert.Empty(t, s.behind)
	assert.Empty(t, s.freeFuncs)
	assert.Empty(t, s.cancelled)
	assert.Zero(t, s.dead.n)
}

// TestMarkBetweenRunUntils checks Passed between calls of RunUntil, where the
// clock, not an event, says how far the run has got, and where cancelled
// events ahead of the clock have been dropped (an event at a mark's place
// would have stopped them being dropped).
func TestMarkBetweenRunUntils(t *testing.T) {
	s := New()
	k := s.NewKind("k", 2, nop)
	half, ok := s.Mark(0.5, 1)
	require.True(t, ok)
	one, ok := s.Mark(1, 1)
	require.True(t, ok)
	s.Cancel(s.At(0.8, k, 0))
	s.Cancel(s.At(1.7, k, 0))
	s.At(2, k, 1)
	s.RunUntil(0.3)
	assert.False(t, s.Passed(half), "the cancelled event at 0.8 was dropped; the mark at 0.5 is still ahead")
	s.RunUntil(0.6)
	assert.True(t, s.Passed(half), "the clock is past it")
	s.RunUntil(1)
	assert.False(t, s.Passed(one), "RunUntil(1) leaves what is at 1 for later")
	_, ok = s.Mark(1.5, 1)
	assert.True(t, ok, "ahead of the clock, where the cursor went when it dropped the cancelled event")
	s.Run()
	assert.True(t, s.Passed(one))
}
