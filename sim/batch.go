package sim

import (
	"fmt"
	"math"
)

// BatchConfig configures a [BatchServer].
type BatchConfig struct {
	// Name identifies the batch server in errors, panics, event traces and reports.
	Name string
	// Machines is the number of instruments, at least 1.
	Machines int
	// Batch is the most units one run can hold (wells on a PCR plate), at least 1.
	Batch int
	// RunTime is the fixed length of a run, > 0. Leave it zero when RunTimeDist is
	// set.
	RunTime Duration
	// RunTimeDist, if not nil, draws the length of each run in days when the run
	// starts, instead of RunTime.
	RunTimeDist Sampler
	// MaxWait is how long the oldest waiting unit may wait for a batch to fill: a
	// free machine starts a partial run when that unit has waited MaxWait. It must
	// be ≥ 0; zero starts a run as soon as a machine is free, whatever waits; +Inf
	// runs full batches only.
	MaxWait Duration
	// Priority is the priority class of the batch server's events (end of run,
	// MaxWait timer) among other events at the same time.
	Priority Priority
	// Observer, if not nil, is told when units of a lot start a run and when a lot
	// is done.
	Observer Observer
	// Classes is the number of priority classes of lots, at least 1 (0 means 1):
	// a run takes the waiting units of class 0 first, then class 1, and so on,
	// oldest first within a class (samples from quarantine and fever clinics
	// before those of mass testing, say). See [BatchServer.ArriveClass].
	Classes int
}

// Validate reports whether c is a usable configuration; the error names the field.
func (c BatchConfig) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("sim: batch server %q: "+format, append([]any{c.Name}, args...)...)
	}
	switch {
	case c.Machines < 1:
		return bad("Machines must be at least 1, got %d", c.Machines)
	case c.Batch < 1:
		return bad("Batch must be at least 1, got %d", c.Batch)
	case c.RunTimeDist == nil && !(c.RunTime > 0 && !math.IsInf(float64(c.RunTime), 1)):
		return bad("RunTime must be a finite duration > 0 (or set RunTimeDist), got %v", c.RunTime)
	case c.RunTimeDist != nil && c.RunTime != 0:
		return bad("set RunTime or RunTimeDist, not both (RunTime is %v)", c.RunTime)
	case !(c.MaxWait >= 0):
		return bad("MaxWait must be ≥ 0 (+Inf for full batches only), got %v", c.MaxWait)
	case c.Classes < 0 || c.Classes > 64:
		return bad("Classes must be from 1 to 64 (0 means 1), got %d", c.Classes)
	}
	return nil
}

// Lot is a delivery of units to a [BatchServer], such as a box of 500 sample tubes.
// Its units may be split across several runs; the lot is done when its last unit
// is.
type Lot struct {
	ID      int64 // the caller's identifier
	Units   int   // number of units
	Arrived Time  // when the lot arrived
	Started Time  // when its first units started a run
	Class   int   // its priority class (0 first)
}

// BatchServer models instruments that process units in batches, like PCR machines
// that run up to a plate of samples at once. Units arrive in lots and wait in a
// FIFO queue per priority class. A run starts on a free machine as soon as Batch
// units wait, or when the oldest waiting unit has waited MaxWait, and then takes
// whatever waits, up to Batch units, by class and oldest first within a class; a
// lot may be split across runs.
//
// The work is per lot and per run, never per unit: a lot of a million units costs
// as much as a lot of one, plus one step per run it feeds. One timer, for the
// MaxWait of the oldest waiting unit, is kept pending and moved as that unit
// changes.
//
// At one instant, the end of a run frees its machine, starts the next run if one is
// due, and then calls done for each lot that the run finished, in the order the
// run took them.
// In an event trace, ends of runs are events of kind "<Name>/run-done" whose payload
// is the machine's number, and MaxWait timers are of kind "<Name>/max-wait" with the
// id of the oldest waiting lot.
type BatchServer struct {
	sim                *Sim
	cfg                BatchConfig
	done               func(Lot)
	runKind, timerKind Kind
	ends               *Line // the ends of runs of a fixed length, which come in the order the runs start

	lots     []batchLot // lot table; a lot's index is stable while it is in the system
	freeLots []int32
	waiting  []ringBuf[int32] // by class, lots with units waiting, oldest first
	queued   int              // units waiting
	runs     []batchRun       // the run on each machine
	idle     []int32          // stack of idle machines
	timer    Handle           // MaxWait timer of the oldest waiting unit
	timerAt  Time
	finished []Lot // scratch: lots finished by the run that just ended

	since                   Time
	busy, queue             TimeWeighted
	wait, sojourn           Tally
	fill                    Tally // units per run
	arrivedUnits, doneUnits int64 // units arrived and done
}

// batchLot is a lot in the system.
type batchLot struct {
	Lot
	waiting    int  // units not yet started
	unfinished int  // units not yet done
	started    bool // whether Lot.Started is set
}

// batchRun is the run on one machine: which units of which lots it holds.
type batchRun struct {
	segs  []batchSeg
	units int
}

// batchSeg is the part of one lot in one run.
type batchSeg struct {
	lot   int32
	units int
}

// NewBatchServer returns a batch server of s configured by cfg. done, if not nil, is
// called with each lot when its last unit is done. It returns an error if cfg is
// invalid.
func NewBatchServer(s *Sim, cfg BatchConfig, done func(Lot)) (*BatchServer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	b := &BatchServer{sim: s, cfg: cfg, done: done, runs: make([]batchRun, cfg.Machines)}
	b.waiting = make([]ringBuf[int32], max(1, cfg.Classes))
	b.idle = make([]int32, 0, cfg.Machines)
	for k := cfg.Machines - 1; k >= 0; k-- {
		b.idle = append(b.idle, int32(k))
	}
	if cfg.RunTimeDist == nil {
		b.ends = s.NewLine(cfg.Name+"/run-done", cfg.Priority, b.runDone)
		b.runKind = b.ends.Kind()
	} else {
		b.runKind = s.NewKind(cfg.Name+"/run-done", cfg.Priority, b.runDone)
	}
	b.timerKind = s.NewKind(cfg.Name+"/max-wait", cfg.Priority, b.onTimer)
	b.ResetStats()
	return b, nil
}

// Arrive adds a lot of units with the caller's id now, in priority class 0. It
// panics if units < 1.
func (b *BatchServer) Arrive(id int64, units int) { b.ArriveClass(id, units, 0) }

// ArriveClass adds a lot of units with the caller's id now, in the given priority
// class. It panics if units < 1 or the class is not one of the configured ones.
func (b *BatchServer) ArriveClass(id int64, units, class int) {
	if units < 1 {
		panic(fmt.Sprintf("sim: batch server %q: lot %d has %d units, want at least 1", b.cfg.Name, id, units))
	}
	if class < 0 || class >= len(b.waiting) {
		panic(fmt.Sprintf("sim: batch server %q: lot %d in class %d, want 0 to %d", b.cfg.Name, id, class, len(b.waiting)-1))
	}
	now := b.sim.Now()
	var i int32
	if n := len(b.freeLots); n > 0 {
		i = b.freeLots[n-1]
		b.freeLots = b.freeLots[:n-1]
	} else {
		i = int32(len(b.lots))
		if len(b.lots) == cap(b.lots) {
			// Double: a city-wide round keeps tens of thousands of lots in
			// the lab, and append's quarter steps would copy the table
			// about five times over.
			b.lots = append(make([]batchLot, 0, max(64, 2*cap(b.lots))), b.lots...)
		}
		b.lots = append(b.lots, batchLot{})
	}
	b.lots[i] = batchLot{Lot: Lot{ID: id, Units: units, Arrived: now, Class: class}, waiting: units, unfinished: units}
	b.waiting[class].push(i)
	b.queued += units
	b.arrivedUnits += int64(units)
	b.queue.Set(now, float64(b.queued))
	b.dispatch()
}

// AddMachines adds n idle machines (a lab surge); runs that are due start at
// once. It panics if n < 1.
func (b *BatchServer) AddMachines(n int) {
	if n < 1 {
		panic(fmt.Sprintf("sim: batch server %q: AddMachines(%d), want at least 1", b.cfg.Name, n))
	}
	now := b.sim.Now()
	for k := 0; k < n; k++ {
		b.idle = append(b.idle, int32(len(b.runs)))
		b.runs = append(b.runs, batchRun{})
	}
	b.cfg.Machines += n
	b.busy.Set(now, float64(b.Busy()))
	b.dispatch()
}

// oldest returns the lot of the oldest waiting unit, of any class. Units must wait.
func (b *BatchServer) oldest() int32 {
	best := int32(-1)
	for c := range b.waiting {
		if b.waiting[c].len() == 0 {
			continue
		}
		if i := *b.waiting[c].front(); best < 0 || b.lots[i].Arrived < b.lots[best].Arrived {
			best = i
		}
	}
	return best
}

// deadline returns when the oldest waiting unit has waited MaxWait. Units must wait.
func (b *BatchServer) deadline() Time {
	return b.lots[b.oldest()].Arrived.Add(b.cfg.MaxWait)
}

// dispatch starts every run that is due on a free machine, then sets the timer.
func (b *BatchServer) dispatch() {
	now := b.sim.Now()
	for len(b.idle) > 0 && b.queued > 0 && (b.queued >= b.cfg.Batch || now >= b.deadline()) {
		b.startRun()
	}
	// The timer is needed only while units wait for a deadline still to come;
	// waiting units whose deadline has passed start when a machine frees up.
	if b.queued == 0 || math.IsInf(float64(b.cfg.MaxWait), 1) {
		b.sim.Cancel(b.timer)
		return
	}
	o := b.oldest()
	d := b.lots[o].Arrived.Add(b.cfg.MaxWait)
	if d <= now {
		b.sim.Cancel(b.timer)
		return
	}
	if !b.sim.Pending(b.timer) || b.timerAt != d {
		b.sim.Cancel(b.timer)
		b.timer = b.sim.At(d, b.timerKind, b.lots[o].ID)
		b.timerAt = d
	}
}

// onTimer handles the MaxWait timer.
func (b *BatchServer) onTimer(Event) { b.dispatch() }

// startRun starts a run on an idle machine with up to Batch waiting units.
func (b *BatchServer) startRun() {
	now := b.sim.Now()
	m := b.idle[len(b.idle)-1]
	b.idle = b.idle[:len(b.idle)-1]
	r := &b.runs[m]
	r.segs = r.segs[:0]
	r.units = 0
	class := 0
	for r.units < b.cfg.Batch && b.queued > 0 {
		for b.waiting[class].len() == 0 {
			class++
		}
		li := *b.waiting[class].front()
		l := &b.lots[li]
		n := min(l.waiting, b.cfg.Batch-r.units)
		l.waiting -= n
		b.queued -= n
		r.units += n
		r.segs = append(r.segs, batchSeg{lot: li, units: n})
		if !l.started {
			l.Started, l.started = now, true
		}
		w := now.Sub(l.Arrived)
		b.wait.AddN(float64(w), int64(n))
		if b.cfg.Observer != nil {
			b.cfg.Observer.Started(now, l.ID, w)
		}
		if l.waiting == 0 {
			b.waiting[class].pop()
		}
	}
	b.fill.Add(float64(r.units))
	b.busy.Set(now, float64(b.Busy()))
	b.queue.Set(now, float64(b.queued))
	d := b.cfg.RunTime
	if b.cfg.RunTimeDist != nil {
		d = sampleDuration("batch server", b.cfg.Name, "RunTimeDist", b.cfg.RunTimeDist)
	}
	if b.ends != nil {
		b.ends.At(now.Add(d), int64(m))
		return
	}
	b.sim.At(now.Add(d), b.runKind, int64(m))
}

// runDone handles the end of the run on machine e.ID.
func (b *BatchServer) runDone(e Event) {
	m := int32(e.ID)
	r := &b.runs[m]
	b.finished = b.finished[:0]
	for _, sg := range r.segs {
		l := &b.lots[sg.lot]
		b.sojourn.AddN(float64(e.Time.Sub(l.Arrived)), int64(sg.units))
		l.unfinished -= sg.units
		if l.unfinished == 0 {
			b.finished = append(b.finished, l.Lot)
			b.lots[sg.lot] = batchLot{}
			b.freeLots = append(b.freeLots, sg.lot)
		}
	}
	b.doneUnits += int64(r.units)
	r.segs = r.segs[:0]
	r.units = 0
	b.idle = append(b.idle, m)
	b.busy.Set(e.Time, float64(b.Busy()))
	b.dispatch()
	// Lots finish in the order the run took them: by class, oldest first.
	for _, l := range b.finished {
		if b.cfg.Observer != nil {
			b.cfg.Observer.Finished(e.Time, l.ID, e.Time.Sub(l.Arrived))
		}
		if b.done != nil {
			b.done(l)
		}
	}
}

// Busy returns the number of machines running.
func (b *BatchServer) Busy() int { return b.cfg.Machines - len(b.idle) }

// QueueLen returns the number of units waiting (not counting those in runs).
func (b *BatchServer) QueueLen() int { return b.queued }

// Runs returns the number of runs started in the observation period.
func (b *BatchServer) Runs() int64 { return b.fill.N() }

// Fill returns the statistics of the number of units per run started in the
// observation period.
func (b *BatchServer) Fill() Summary { return b.fill.Summary() }

// ResetStats discards the statistics gathered so far and starts a new observation
// period now, for example at the end of a warm-up period. Lots in the system are
// kept.
func (b *BatchServer) ResetStats() {
	now := b.sim.Now()
	b.since = now
	b.busy.Reset(now)
	b.queue.Reset(now)
	b.wait, b.sojourn, b.fill = Tally{}, Tally{}, Tally{}
	b.arrivedUnits, b.doneUnits = 0, 0
}

// Report returns the batch server's statistics from the start of the observation
// period to now. Capacity is the number of machines and Utilization the mean
// fraction of them running; the queue, Wait, Sojourn, Arrived and Done count units.
func (b *BatchServer) Report(now Time) ResourceReport {
	return ResourceReport{
		Name:        b.cfg.Name,
		Capacity:    b.cfg.Machines,
		Period:      now.Sub(b.since),
		Utilization: b.busy.Mean(now) / float64(b.cfg.Machines),
		MeanBusy:    b.busy.Mean(now),
		MaxBusy:     b.busy.Max(),
		BusyTime:    b.busy.Integral(now),
		MeanQueue:   b.queue.Mean(now),
		MaxQueue:    b.queue.Max(),
		Wait:        b.wait.Summary(),
		Sojourn:     b.sojourn.Summary(),
		Arrived:     b.arrivedUnits,
		Done:        b.doneUnits,
	}
}
