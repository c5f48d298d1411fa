package sim

// The far future. By default every pending event is in one heap. A model that
// schedules many events far ahead (an epidemic schedules each case's contacts for
// the days to come) can ask the Sim to keep events beyond a boundary in buckets
// of a fixed width instead, appended in O(1) and moved into the heap a bucket at a
// time when the clock gets there: the heap then holds only the near future, and
// each pop touches a smaller, cache-friendlier heap. The order of events is the
// same either way.

// maxBuckets bounds the ring of buckets; an event beyond it goes to the heap.
const maxBuckets = 1 << 14

// calendar holds the events at or after end, in buckets of width w: bucket i of
// the ring (counted from head) covers [end + i·w, end + (i+1)·w).
type calendar struct {
	w       float64
	end     float64
	ring    [][]event
	head    int
	pending int // events in buckets
}

// SetBucketWidth makes s keep events more than about w ahead of the clock in
// buckets of width w until the clock reaches them (see the comment on the far
// future in calendar.go). It changes speed, never the order of events; w = 0 (the
// default) keeps every event in the heap. Choose w so that a bucket holds a
// small fraction of the pending events: for an epidemic in days, a quarter of a
// day to a day. It panics if w is negative, NaN or infinite, or if events are
// pending in buckets.
func (s *Sim) SetBucketWidth(w Duration) {
	if !(w >= 0) || w > 1e300 {
		panic("sim: bucket width must be finite and ≥ 0")
	}
	if s.cal.pending > 0 {
		panic("sim: SetBucketWidth with events in buckets")
	}
	s.cal = calendar{w: float64(w), end: float64(s.now.Add(w))}
}

// schedule puts ev in the heap or, if it is far enough ahead, in a bucket.
func (s *Sim) schedule(ev event) {
	c := &s.cal
	if c.w == 0 || ev.at < c.end {
		s.queue.push(ev)
		return
	}
	if c.pending == 0 {
		// Nothing in the buckets: start them at the clock.
		c.end = max(c.end, float64(s.now)+c.w)
		c.head = 0
		if ev.at < c.end {
			s.queue.push(ev)
			return
		}
	}
	i := int((ev.at - c.end) / c.w)
	if i >= len(c.ring) {
		if i >= maxBuckets {
			s.queue.push(ev) // correct, only slower: see settle
			return
		}
		c.grow(i + 1)
	}
	j := (c.head + i) % len(c.ring)
	c.ring[j] = append(c.ring[j], ev)
	c.pending++
}

// grow makes the ring hold at least n buckets, keeping their order.
func (c *calendar) grow(n int) {
	size := max(16, len(c.ring))
	for size < n {
		size *= 2
	}
	ring := make([][]event, size)
	for i := range c.ring {
		ring[i] = c.ring[(c.head+i)%len(c.ring)]
	}
	c.ring, c.head = ring, 0
}

// settle moves buckets into the heap until the head of the heap is the earliest
// pending event: the heap is empty of events before the buckets' start only when
// the next bucket is due.
func (s *Sim) settle() {
	c := &s.cal
	for c.pending > 0 && (len(s.queue) == 0 || s.queue[0].at >= c.end) {
		b := c.ring[c.head]
		for _, ev := range b {
			s.queue.push(ev)
		}
		c.pending -= len(b)
		c.ring[c.head] = b[:0]
		c.head = (c.head + 1) % len(c.ring)
		c.end += c.w
	}
}
