package sim

// event is one entry of the pending-event queue: 24 bytes with no pointers, so the
// queue is one flat slice that the garbage collector never scans.
type event struct {
	at  float64 // when it fires
	key uint64  // priority | sequence | kind code: see below
	id  int64   // the handler's payload (an entity id), or a closure's slot
}

// An event's key packs, from the high bits down, its priority class (8 bits), its
// insertion sequence number (40 bits) and its kind code (16 bits: 0 for a closure,
// k+1 for Kind k). Comparing keys therefore orders events by priority, then by
// insertion; the kind code never decides, because sequence numbers are unique.
const (
	kindBits  = 16
	kindMask  = 1<<kindBits - 1
	seqBits   = 40
	maxSeq    = 1<<seqBits - 1 // about 1.1e12 events per Sim
	prioShift = kindBits + seqBits
)

// before reports whether a fires before b: earlier time first, then lower priority
// class, then earlier insertion.
func before(a, b *event) bool {
	return a.at < b.at || a.at == b.at && a.key < b.key
}

// eventQueue is a binary min-heap of events ordered by [before]. It is written out
// by hand over the concrete type: container/heap (an interface call per comparison)
// and a heap generic over a type parameter were both measured slower on the hold
// model (see bench/README.md).
type eventQueue []event

// push adds x to the heap.
func (q *eventQueue) push(x event) {
	h := *q
	if len(h) == cap(h) {
		h = h.grown()
	}
	h = append(h, x)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !before(&x, &h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
	*q = h
}

// grown returns a copy of q with twice its capacity (64 events at least).
// append grows a large slice by a quarter at a time, so that a queue that
// grows to n events has allocated about 5n over its life; doubling allocates
// at most 2n (BenchmarkEpidemic's B/infection).
func (q eventQueue) grown() eventQueue {
	g := make(eventQueue, len(q), max(64, 2*cap(q)))
	copy(g, q)
	return g
}

// pop removes and returns the earliest event. The heap must not be empty.
func (q *eventQueue) pop() event {
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
		if r := c + 1; r < n && before(&h[r], &h[c]) {
			c = r
		}
		if !before(&h[c], &x) {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = x
	return top
}

// heapify restores the heap order of an arbitrary slice in O(n).
func (q eventQueue) heapify() {
	n := len(q)
	for i := n/2 - 1; i >= 0; i-- {
		x := q[i]
		j := i
		for {
			c := 2*j + 1
			if c >= n {
				break
			}
			if r := c + 1; r < n && before(&q[r], &q[c]) {
				c = r
			}
			if !before(&q[c], &x) {
				break
			}
			q[j] = q[c]
			j = c
		}
		q[j] = x
	}
}
