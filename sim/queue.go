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
// model (see bench/README.md). Its storage is a slice used up to its length and a
// count kept apart, so that a push or a pop writes no pointer into the heap
// memory: while the garbage collector marks, every such write pays its write
// barrier (BenchmarkControlled's profile).
type eventQueue struct {
	h []event // storage, len(h) == cap(h); the heap is h[:n]
	n int
}

// len returns the number of events in the queue.
func (q *eventQueue) len() int { return q.n }

// top returns the earliest event. The heap must not be empty.
func (q *eventQueue) top() *event { return &q.h[0] }

// push adds x to the heap.
func (q *eventQueue) push(x event) {
	if q.n == len(q.h) {
		q.grow()
	}
	h := q.h[:q.n+1]
	i := q.n
	q.n++
	for i > 0 {
		p := (i - 1) / 2
		if !before(&x, &h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
}

// grow doubles the storage (64 events at least). append grows a large slice by
// a quarter at a time, so that a queue that grows to n events would allocate
// about 5n over its life; doubling allocates at most 2n (BenchmarkEpidemic's
// B/infection).
func (q *eventQueue) grow() {
	g := make([]event, max(64, 2*len(q.h)))
	copy(g, q.h[:q.n])
	q.h = g
}

// pop removes and returns the earliest event. The heap must not be empty.
func (q *eventQueue) pop() event {
	h := q.h[:q.n]
	top := h[0]
	n := q.n - 1
	x := h[n]
	q.n = n
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
