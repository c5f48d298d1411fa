package sim

import (
	"fmt"
	"math"
)

// This file holds what the three resources share (reports, observers, a FIFO ring)
// and the multi-server queue [Server]. [BatchServer] is in batch.go, [Pool] in
// pool.go.
//
// All three run on the typed event path: each registers its event kinds with
// [Sim.NewKind] when it is built and schedules events whose payload is a server,
// machine or request index, so that steady-state operation allocates nothing beyond
// the growth of its queues.

// Reporter is implemented by every resource: a snapshot of its statistics at time
// now, for tables and plots that treat all resources alike.
type Reporter interface {
	// Report returns the resource's statistics from the start of its
	// observation period to now.
	Report(now Time) ResourceReport
}

// ResourceReport is a snapshot of one resource's statistics over its observation
// period: from its creation, or from its last ResetStats, to the time of the report.
// Times and durations are in days.
//
// What "busy", "queue" and "job" count depends on the resource:
//
//	             busy level         queue level        Wait, Sojourn, Arrived, Done
//	Server       busy servers       waiting jobs       per job
//	BatchServer  running machines   waiting units      per unit (a lot of n counts n times)
//	Pool         occupied places    waiting requests   per request; Sojourn is empty
type ResourceReport struct {
	Name     string   // the resource's configured name
	Capacity int      // servers, machines or places
	Period   Duration // length of the observation period

	Utilization float64 // time-average busy level divided by Capacity, in [0, 1]
	MeanBusy    float64 // time-average busy level
	MaxBusy     float64 // largest busy level
	BusyTime    float64 // integral of the busy level: server-, machine- or place-days

	MeanQueue float64 // time-average queue level
	MaxQueue  float64 // largest queue level

	Wait    Summary // time from arrival to the start of service (Pool: to the grant), days
	Sojourn Summary // time from arrival to the end of service, days (empty for a Pool)

	Arrived int64 // arrivals (Pool: Acquire calls, refused ones included)
	Done    int64 // completions (Pool: granted requests)
	Refused int64 // requests turned away (Pool with RefuseWhenFull only)
}

// Compile-time checks that every resource reports.
var (
	_ Reporter = (*Server)(nil)
	_ Reporter = (*BatchServer)(nil)
	_ Reporter = (*Pool)(nil)
)

// Observer receives per-job events from a resource, for line lists and event logs.
// It is optional (nil by default) and called synchronously, inside the event that
// causes it, so it must not block.
//
// A [Server] calls Started when a job enters service and Finished when it leaves.
// A [BatchServer] calls Started each time some units of a lot start a run (a split
// lot starts several times; wait is that of those units) and Finished when the last
// unit of the lot is done. A [Pool] calls Started when a request is granted and never
// calls Finished, since places are released by count, not by request.
type Observer interface {
	// Started reports that job id entered service at t after waiting wait.
	Started(t Time, id int64, wait Duration)
	// Finished reports that job id left at t, sojourn after it arrived.
	Finished(t Time, id int64, sojourn Duration)
}

// sampleDuration draws a duration from d and panics, naming the resource and the
// field, if the value is negative, NaN or infinite: a sampler that returns such a
// value is a programming error.
func sampleDuration(kind, name, field string, d Sampler) Duration {
	v := d.Rand()
	if !(v >= 0) || math.IsInf(v, 1) {
		panic(fmt.Sprintf("sim: %s %q: %s returned %v, want a finite duration ≥ 0 in days", kind, name, field, v))
	}
	return Duration(v)
}

// ringBuf is a FIFO queue on a ring buffer whose length is a power of two. Pushing
// and popping allocate nothing once the buffer has grown to the largest length seen.
type ringBuf[T any] struct {
	buf  []T
	head int
	n    int
}

func (r *ringBuf[T]) len() int { return r.n }

func (r *ringBuf[T]) push(x T) {
	if r.n == len(r.buf) {
		nb := make([]T, max(8, 2*len(r.buf)))
		k := copy(nb, r.buf[r.head:])
		copy(nb[k:], r.buf[:r.head])
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = x
	r.n++
}

// front returns the oldest element, which must exist, for reading or updating.
func (r *ringBuf[T]) front() *T { return &r.buf[r.head] }

// pop removes and returns the oldest element, which must exist.
func (r *ringBuf[T]) pop() T {
	x := r.buf[r.head]
	var zero T
	r.buf[r.head] = zero
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return x
}

// Discipline is the order in which a [Server] serves waiting jobs.
type Discipline uint8

// Queue disciplines of a [Server].
const (
	FIFO       Discipline = iota // first come, first served
	ByPriority                   // lowest Job.Priority first; first come, first served within a priority
)

// String returns the discipline's name as written in text: "fifo" or "priority".
func (d Discipline) String() string {
	switch d {
	case FIFO:
		return "fifo"
	case ByPriority:
		return "priority"
	}
	return fmt.Sprintf("Discipline(%d)", uint8(d))
}

// UnmarshalText implements [encoding.TextUnmarshaler]: "fifo" or "priority".
func (d *Discipline) UnmarshalText(b []byte) error {
	switch string(b) {
	case "fifo":
		*d = FIFO
	case "priority":
		*d = ByPriority
	default:
		return fmt.Errorf("sim: unknown queue discipline %q (want fifo or priority)", b)
	}
	return nil
}

// MarshalText implements [encoding.TextMarshaler] with [Discipline.String].
func (d Discipline) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// ServerConfig configures a [Server].
type ServerConfig struct {
	// Name identifies the server in errors, panics, event traces and reports.
	Name string
	// Servers is the number of parallel identical servers (c), at least 1.
	Servers int
	// Service, if not nil, draws each job's service time in days when its service
	// starts (so draws are made in order of service start). If nil, each job
	// carries its own Job.Service.
	Service Sampler
	// Discipline orders the waiting jobs; the zero value is FIFO.
	Discipline Discipline
	// Priority is the priority class of the server's service-completion events
	// among other events at the same time.
	Priority Priority
	// Observer, if not nil, is told when each job starts and finishes service.
	Observer Observer
}

// Validate reports whether c is a usable configuration; the error names the field.
func (c ServerConfig) Validate() error {
	if c.Servers < 1 {
		return fmt.Errorf("sim: server %q: Servers must be at least 1, got %d", c.Name, c.Servers)
	}
	if c.Discipline > ByPriority {
		return fmt.Errorf("sim: server %q: Discipline must be FIFO or ByPriority, got %v", c.Name, c.Discipline)
	}
	return nil
}

// Job is one customer of a [Server]: a person at a sampling booth, a sample at a
// reporting desk.
type Job struct {
	ID       int64    // the caller's identifier, passed back in callbacks
	Priority int      // with the ByPriority discipline, lower values are served first
	Service  Duration // service time; with ServerConfig.Service set, overwritten by the draw when service starts
	Arrived  Time     // set by Server.Arrive
	Started  Time     // set when service starts
}

// Server is a multi-server queue (G/G/c): Servers identical servers in parallel fed
// by one queue, FIFO or by priority.
//
// At one instant, a service completion frees its server, starts the next waiting job
// on that same server, and then calls done with the finished job; so done may call
// [Server.Arrive] and see a consistent server. Idle servers are taken in a fixed
// order (the one freed last first, server 0 at the start), so a run is a pure
// function of its inputs. In an event trace, service completions are events of kind
// "<Name>/done" whose payload is the server's number.
type Server struct {
	sim  *Sim
	cfg  ServerConfig
	done func(Job)
	kind Kind

	inService []Job   // the job on each server
	idle      []int32 // stack of idle servers
	fifo      ringBuf[Job]
	heap      jobHeap
	seq       uint64 // arrival sequence, the tie-break of the priority queue

	since             Time
	busy, queue       TimeWeighted
	wait, sojourn     Tally
	arrived, finished int64
}

// NewServer returns a server of s configured by cfg. done, if not nil, is called with
// each job when its service completes. It returns an error if cfg is invalid.
func NewServer(s *Sim, cfg ServerConfig, done func(Job)) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	v := &Server{sim: s, cfg: cfg, done: done, inService: make([]Job, cfg.Servers)}
	v.idle = make([]int32, 0, cfg.Servers)
	for k := cfg.Servers - 1; k >= 0; k-- {
		v.idle = append(v.idle, int32(k))
	}
	v.kind = s.NewKind(cfg.Name+"/done", cfg.Priority, v.finish)
	v.ResetStats()
	return v, nil
}

// Arrive puts j in the system now: it sets j.Arrived, and j starts service at once if
// a server is idle, or waits. It panics if the server has no Service sampler and
// j.Service is negative, NaN or infinite.
func (v *Server) Arrive(j Job) {
	if v.cfg.Service == nil && (!(j.Service >= 0) || math.IsInf(float64(j.Service), 1)) {
		panic(fmt.Sprintf("sim: server %q: job %d has service time %v, want a finite duration ≥ 0", v.cfg.Name, j.ID, float64(j.Service)))
	}
	now := v.sim.Now()
	j.Arrived = now
	v.arrived++
	if len(v.idle) > 0 { // then nobody waits
		v.start(j)
		return
	}
	if v.cfg.Discipline == ByPriority {
		v.seq++
		v.heap.push(queuedJob{job: j, seq: v.seq})
	} else {
		v.fifo.push(j)
	}
	v.queue.Set(now, float64(v.QueueLen()))
}

// start puts j on an idle server.
func (v *Server) start(j Job) {
	now := v.sim.Now()
	k := v.idle[len(v.idle)-1]
	v.idle = v.idle[:len(v.idle)-1]
	j.Started = now
	if v.cfg.Service != nil {
		j.Service = sampleDuration("server", v.cfg.Name, "Service", v.cfg.Service)
	}
	v.inService[k] = j
	v.busy.Set(now, float64(v.Busy()))
	w := now.Sub(j.Arrived)
	v.wait.Add(float64(w))
	if v.cfg.Observer != nil {
		v.cfg.Observer.Started(now, j.ID, w)
	}
	v.sim.At(now.Add(j.Service), v.kind, int64(k))
}

// finish handles the end of service on server e.ID.
func (v *Server) finish(e Event) {
	k := int32(e.ID)
	j := v.inService[k]
	v.idle = append(v.idle, k)
	v.busy.Set(e.Time, float64(v.Busy()))
	so := e.Time.Sub(j.Arrived)
	v.sojourn.Add(float64(so))
	v.finished++
	if v.cfg.Observer != nil {
		v.cfg.Observer.Finished(e.Time, j.ID, so)
	}
	if n := v.QueueLen(); n > 0 {
		var next Job
		if v.cfg.Discipline == ByPriority {
			next = v.heap.pop()
		} else {
			next = v.fifo.pop()
		}
		v.queue.Set(e.Time, float64(n-1))
		v.start(next)
	}
	if v.done != nil {
		v.done(j)
	}
}

// Busy returns the number of busy servers.
func (v *Server) Busy() int { return v.cfg.Servers - len(v.idle) }

// QueueLen returns the number of waiting jobs (not counting those in service).
func (v *Server) QueueLen() int { return v.fifo.len() + len(v.heap) }

// ResetStats discards the statistics gathered so far and starts a new observation
// period now, for example at the end of a warm-up period. Jobs in the system are
// kept; those waiting now are counted in Wait when they start.
func (v *Server) ResetStats() {
	now := v.sim.Now()
	v.since = now
	v.busy.Reset(now)
	v.queue.Reset(now)
	v.wait, v.sojourn = Tally{}, Tally{}
	v.arrived, v.finished = 0, 0
}

// Report returns the server's statistics from the start of the observation period
// to now. Utilization is the mean fraction of the servers that were busy.
func (v *Server) Report(now Time) ResourceReport {
	return ResourceReport{
		Name:        v.cfg.Name,
		Capacity:    v.cfg.Servers,
		Period:      now.Sub(v.since),
		Utilization: v.busy.Mean(now) / float64(v.cfg.Servers),
		MeanBusy:    v.busy.Mean(now),
		MaxBusy:     v.busy.Max(),
		BusyTime:    v.busy.Integral(now),
		MeanQueue:   v.queue.Mean(now),
		MaxQueue:    v.queue.Max(),
		Wait:        v.wait.Summary(),
		Sojourn:     v.sojourn.Summary(),
		Arrived:     v.arrived,
		Done:        v.finished,
	}
}

// queuedJob is a waiting job in a priority queue, with its arrival sequence.
type queuedJob struct {
	job Job
	seq uint64
}

// jobHeap is a binary min-heap of waiting jobs ordered by (Priority, arrival
// sequence), written over the concrete type like the event queue.
type jobHeap []queuedJob

func (h jobHeap) less(i, j int) bool {
	a, b := &h[i], &h[j]
	return a.job.Priority < b.job.Priority || a.job.Priority == b.job.Priority && a.seq < b.seq
}

func (h *jobHeap) push(x queuedJob) {
	*h = append(*h, x)
	q := *h
	for i := len(q) - 1; i > 0; {
		p := (i - 1) / 2
		if !q.less(i, p) {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
}

// pop removes and returns the first job, which must exist.
func (h *jobHeap) pop() Job {
	q := *h
	top := q[0].job
	n := len(q) - 1
	q[0] = q[n]
	q[n] = queuedJob{}
	q = q[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && q.less(r, c) {
			c = r
		}
		if !q.less(c, i) {
			break
		}
		q[i], q[c] = q[c], q[i]
		i = c
	}
	*h = q
	return top
}
