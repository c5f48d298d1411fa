package bench

import (
	"math/rand/v2"
	"testing"

	"github.com/epiplan/epiplan/sim"
)

// HoldSizes are the numbers of pending events of the hold model in
// BenchmarkHold and the perf table.
var HoldSizes = []int{1_000, 100_000, 1_000_000}

// HoldTyped runs the hold model with n pending events on the kernel's
// allocation-free path: a [sim.Kind] and an int64 payload. One op is one event.
func HoldTyped(b *testing.B, n int) {
	s := sim.New()
	r := rand.New(rand.NewPCG(1, 2))
	var k sim.Kind
	var sink int64
	k = s.NewKind("hold", 0, func(e sim.Event) {
		sink += e.ID
		s.After(sim.Duration(r.ExpFloat64()), k, e.ID)
	})
	for i := 0; i < n; i++ {
		s.At(sim.Time(r.ExpFloat64()), k, int64(i))
	}
	warm(b, s.Step, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Step()
	}
	reportPerEvent(b)
	_ = sink
}

// HoldClosure runs the hold model with n pending events on the kernel's
// closure path, with a new closure per event capturing its payload, as a model
// using closures would. One op is one event.
func HoldClosure(b *testing.B, n int) {
	s := sim.New()
	r := rand.New(rand.NewPCG(1, 2))
	var sink int64
	var schedule func(id int64)
	schedule = func(id int64) {
		s.AfterFunc(sim.Duration(r.ExpFloat64()), 0, func() {
			sink += id
			schedule(id)
		})
	}
	for i := 0; i < n; i++ {
		schedule(int64(i))
	}
	warm(b, s.Step, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Step()
	}
	reportPerEvent(b)
	_ = sink
}

// warm runs 2n events so that the queue reaches its steady-state shape (the
// distribution of pending times in a hold model converges within a few
// generations) and slices reach their final size.
func warm(b *testing.B, step func() bool, n int) {
	b.Helper()
	for i := 0; i < 2*n; i++ {
		step()
	}
}

func reportPerEvent(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/event")
}

// baseEvent and baseHeap are the baseline: the least a binary-heap event queue
// can do, with no handles, payload dispatch or priorities.
type baseEvent struct {
	at  float64
	seq uint64
	id  int64
}

type baseHeap []baseEvent

func baseLess(a, b *baseEvent) bool { return a.at < b.at || a.at == b.at && a.seq < b.seq }

func (q *baseHeap) push(x baseEvent) {
	h := append(*q, x)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !baseLess(&x, &h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
	*q = h
}

func (q *baseHeap) pop() baseEvent {
	h := *q
	top := h[0]
	n := len(h) - 1
	x := h[n]
	h = h[:n]
	*q = h
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && baseLess(&h[r], &h[c]) {
			c = r
		}
		if !baseLess(&h[c], &x) {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = x
	return top
}

// HoldBaseline runs the hold model with n pending events on a bare
// hand-written binary heap of (time, seq, payload) with no kernel around it: the
// floor the kernel is measured against. One op is one event.
func HoldBaseline(b *testing.B, n int) {
	r := rand.New(rand.NewPCG(1, 2))
	q := make(baseHeap, 0, n+1)
	var seq uint64
	var sink int64
	for i := 0; i < n; i++ {
		seq++
		q.push(baseEvent{at: r.ExpFloat64(), seq: seq, id: int64(i)})
	}
	step := func() bool {
		ev := q.pop()
		sink += ev.id
		seq++
		q.push(baseEvent{at: ev.at + r.ExpFloat64(), seq: seq, id: ev.id})
		return true
	}
	warm(b, step, n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev := q.pop()
		sink += ev.id
		seq++
		q.push(baseEvent{at: ev.at + r.ExpFloat64(), seq: seq, id: ev.id})
	}
	reportPerEvent(b)
	_ = sink
}
