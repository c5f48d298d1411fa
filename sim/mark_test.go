package sim

import (
	"fmt"
	"math/rand/v2"
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
