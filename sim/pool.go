package sim

import "fmt"

// FullPolicy says what a [Pool] does with a request it cannot grant at once.
type FullPolicy uint8

// Policies of a [Pool] when it is full.
const (
	// QueueWhenFull makes requests wait in FIFO order; the granted callback fires
	// when places free up.
	QueueWhenFull FullPolicy = iota
	// RefuseWhenFull turns requests away: Acquire returns false and counts a
	// refusal, so that the caller can send the overflow elsewhere.
	RefuseWhenFull
)

// String returns the policy's name as written in text: "queue" or "refuse".
func (p FullPolicy) String() string {
	switch p {
	case QueueWhenFull:
		return "queue"
	case RefuseWhenFull:
		return "refuse"
	}
	return fmt.Sprintf("FullPolicy(%d)", uint8(p))
}

// UnmarshalText implements [encoding.TextUnmarshaler]: "queue" or "refuse".
func (p *FullPolicy) UnmarshalText(b []byte) error {
	switch string(b) {
	case "queue":
		*p = QueueWhenFull
	case "refuse":
		*p = RefuseWhenFull
	default:
		return fmt.Errorf("sim: unknown full-pool policy %q (want queue or refuse)", b)
	}
	return nil
}

// MarshalText implements [encoding.TextMarshaler] with [FullPolicy.String].
func (p FullPolicy) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// PoolConfig configures a [Pool].
type PoolConfig struct {
	// Name identifies the pool in errors, panics, event traces and reports.
	Name string
	// Capacity is the number of places (beds, rooms), at least 1.
	Capacity int
	// WhenFull is what happens to a request that cannot be granted at once; the
	// zero value is QueueWhenFull.
	WhenFull FullPolicy
	// Priority is the priority class of the events that deliver grants to waiting
	// requests, among other events at the same time.
	Priority Priority
	// Observer, if not nil, is told when each request is granted (Started). Places
	// are released by count, so Finished is never called.
	Observer Observer
}

// Validate reports whether c is a usable configuration; the error names the field.
func (c PoolConfig) Validate() error {
	if c.Capacity < 1 {
		return fmt.Errorf("sim: pool %q: Capacity must be at least 1, got %d", c.Name, c.Capacity)
	}
	if c.WhenFull > RefuseWhenFull {
		return fmt.Errorf("sim: pool %q: WhenFull must be QueueWhenFull or RefuseWhenFull, got %v", c.Name, c.WhenFull)
	}
	return nil
}

// Pool is a capacity of identical places, such as isolation beds or quarantine
// rooms. A request acquires n places at once with [Pool.Acquire] and gives places
// back by count with [Pool.Release]: the pool tracks how many places are held, not
// by whom, so the caller keeps each holder's count.
//
// With QueueWhenFull, waiting requests are served in strict FIFO order: a request
// that does not fit blocks smaller ones behind it. A waiting request gets its places
// at the instant they are released (its wait ends and occupancy counts them from
// then on), and the granted callback is delivered by an event at that same instant,
// in the pool's priority class, so that it never runs inside the caller's Release.
// In an event trace, those are events of kind "<Name>/granted" with the request's
// id.
type Pool struct {
	sim     *Sim
	cfg     PoolConfig
	granted func(id int64, n int)
	kind    Kind

	used    int                  // places held, including grants not yet delivered
	waiting ringBuf[poolRequest] // requests waiting, oldest first
	grants  ringBuf[poolRequest] // granted requests whose callback event is pending

	since                    Time
	occupancy, queue         TimeWeighted
	wait                     Tally
	arrived, served, refused int64
}

// poolRequest is a request for n places made at time at.
type poolRequest struct {
	id int64
	n  int
	at Time
}

// NewPool returns a pool of s configured by cfg. granted, if not nil, is called for
// each request that had to wait, when its places are granted; requests granted at
// once are not reported through it (Acquire returns true). It returns an error if cfg
// is invalid.
func NewPool(s *Sim, cfg PoolConfig, granted func(id int64, n int)) (*Pool, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p := &Pool{sim: s, cfg: cfg, granted: granted}
	p.kind = s.NewKind(cfg.Name+"/granted", cfg.Priority, p.deliver)
	p.ResetStats()
	return p, nil
}

// Acquire requests n places for the caller's id now, and reports whether they were
// granted at once. If not, the request waits (QueueWhenFull; the granted callback
// fires later) or is refused and counted (RefuseWhenFull). It panics if n is not
// between 1 and the capacity: such a request could never be granted.
func (p *Pool) Acquire(id int64, n int) bool {
	if n < 1 || n > p.cfg.Capacity {
		panic(fmt.Sprintf("sim: pool %q: request %d for %d places, want 1 to %d (the capacity)", p.cfg.Name, id, n, p.cfg.Capacity))
	}
	now := p.sim.Now()
	p.arrived++
	if p.waiting.len() == 0 && p.used+n <= p.cfg.Capacity {
		p.grant(poolRequest{id: id, n: n, at: now})
		return true
	}
	if p.cfg.WhenFull == RefuseWhenFull {
		p.refused++
		return false
	}
	p.waiting.push(poolRequest{id: id, n: n, at: now})
	p.queue.Set(now, float64(p.waiting.len()))
	return false
}

// grant gives r its places now.
func (p *Pool) grant(r poolRequest) {
	now := p.sim.Now()
	p.used += r.n
	p.occupancy.Set(now, float64(p.used))
	w := now.Sub(r.at)
	p.wait.Add(float64(w))
	p.served++
	if p.cfg.Observer != nil {
		p.cfg.Observer.Started(now, r.id, w)
	}
}

// Release gives n places back now and grants waiting requests that now fit, in FIFO
// order. It panics if n is negative or more than the places held: that is a
// programming error.
func (p *Pool) Release(n int) {
	if n < 0 || n > p.used {
		panic(fmt.Sprintf("sim: pool %q: Release(%d) but %d places are held", p.cfg.Name, n, p.used))
	}
	now := p.sim.Now()
	p.used -= n
	p.occupancy.Set(now, float64(p.used))
	if p.waiting.len() == 0 {
		return
	}
	for p.waiting.len() > 0 && p.used+p.waiting.front().n <= p.cfg.Capacity {
		r := p.waiting.pop()
		p.grant(r)
		if p.granted != nil {
			p.grants.push(r)
			p.sim.At(now, p.kind, r.id)
		}
	}
	p.queue.Set(now, float64(p.waiting.len()))
}

// deliver calls the granted callback of the oldest undelivered grant. Grant events
// are all scheduled at the current time in one priority class, so they fire in the
// order they were made.
func (p *Pool) deliver(Event) {
	r := p.grants.pop()
	p.granted(r.id, r.n)
}

// InUse returns the number of places held.
func (p *Pool) InUse() int { return p.used }

// Capacity returns the number of places of the pool.
func (p *Pool) Capacity() int { return p.cfg.Capacity }

// Free returns the number of places not held.
func (p *Pool) Free() int { return p.cfg.Capacity - p.used }

// QueueLen returns the number of waiting requests.
func (p *Pool) QueueLen() int { return p.waiting.len() }

// Refused returns the number of requests refused in the observation period.
func (p *Pool) Refused() int64 { return p.refused }

// ResetStats discards the statistics gathered so far and starts a new observation
// period now, for example at the end of a warm-up period. Places held and requests
// waiting are kept.
func (p *Pool) ResetStats() {
	now := p.sim.Now()
	p.since = now
	p.occupancy.Reset(now)
	p.queue.Reset(now)
	p.wait = Tally{}
	p.arrived, p.served, p.refused = 0, 0, 0
}

// Report returns the pool's statistics from the start of the observation period to
// now: occupancy as the busy level (BusyTime is place-days), waiting requests as the
// queue, waits of granted requests, Acquire calls as Arrived, grants as Done and
// refusals. Sojourn is empty, since places are released by count.
func (p *Pool) Report(now Time) ResourceReport {
	return ResourceReport{
		Name:        p.cfg.Name,
		Capacity:    p.cfg.Capacity,
		Period:      now.Sub(p.since),
		Utilization: p.occupancy.Mean(now) / float64(p.cfg.Capacity),
		MeanBusy:    p.occupancy.Mean(now),
		MaxBusy:     p.occupancy.Max(),
		BusyTime:    p.occupancy.Integral(now),
		MeanQueue:   p.queue.Mean(now),
		MaxQueue:    p.queue.Max(),
		Wait:        p.wait.Summary(),
		Sojourn:     (&Tally{}).Summary(),
		Arrived:     p.arrived,
		Done:        p.served,
		Refused:     p.refused,
	}
}
