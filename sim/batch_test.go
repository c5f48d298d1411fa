package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// newBatchLog returns a batch server of s with cfg whose observer, done callback
// and the resource's own events (run ends, MaxWait timers) all write to one log.
func newBatchLog(t *testing.T, s *Sim, cfg BatchConfig) (*BatchServer, *resLog) {
	log := &resLog{}
	s.SetTrace(func(e Event) {
		if e.Kind != FuncKind {
			log.add("%g event %s %d", float64(e.Time), s.KindName(e.Kind), e.ID)
		}
	})
	cfg.Observer = log
	b, err := NewBatchServer(s, cfg, func(l Lot) {
		log.add("%g done %d units=%d arrived=%g started=%g", float64(s.Now()), l.ID, l.Units, float64(l.Arrived), float64(l.Started))
	})
	require.NoError(t, err)
	return b, log
}

// lotAt schedules b.Arrive(id, units) at time t.
func lotAt(s *Sim, b *BatchServer, t Time, id int64, units int) {
	s.AtFunc(t, 0, func() { b.Arrive(id, units) })
}

func TestBatchStartsOnFullBatch(t *testing.T) {
	s := New()
	b, log := newBatchLog(t, s, BatchConfig{Name: "pcr", Machines: 1, Batch: 4, RunTime: 1, MaxWait: 10})
	lotAt(s, b, 0, 1, 3)
	lotAt(s, b, 0.5, 2, 2) // 5 units wait: a full run of lot 1 and one unit of lot 2
	s.Run()
	assert.Equal(t, strings.Join([]string{
		"0.5 start 1 wait=0.5",
		"0.5 start 2 wait=0",
		"1.5 event pcr/run-done 0",
		"1.5 finish 1 sojourn=1.5",
		"1.5 done 1 units=3 arrived=0 started=0.5",
		// The last unit of lot 2 waits for its own MaxWait (the timer of lot 1, set
		// for time 10, was moved when lot 1 left the queue).
		"10.5 event pcr/max-wait 2",
		"10.5 start 2 wait=10",
		"11.5 event pcr/run-done 0",
		"11.5 finish 2 sojourn=11",
		"11.5 done 2 units=2 arrived=0.5 started=0.5",
	}, "\n"), log.String())
	assert.EqualValues(t, 2, b.Runs())
	f := b.Fill()
	assert.Equal(t, 2.5, f.Mean) // runs of 4 and 1 units
	r := b.Report(11.5)
	assert.EqualValues(t, 5, r.Wait.N) // per unit
	assert.InDelta(t, (3*0.5+1*0+1*10)/5.0, r.Wait.Mean, 1e-15)
	assert.InDelta(t, (3*1.5+1*1+1*11)/5.0, r.Sojourn.Mean, 1e-15)
	assert.Equal(t, 11.0, r.Sojourn.Max)
	assert.InDelta(t, 2.0/11.5, r.Utilization, 1e-15)
	// Units waiting: 3 on [0, 0.5), 1 on [0.5, 10.5): area 1.5 + 10.
	assert.InDelta(t, 11.5/11.5, r.MeanQueue, 1e-15)
	assert.Equal(t, 5.0, r.MaxQueue)
}

func TestBatchStartsOnTimer(t *testing.T) {
	s := New()
	b, log := newBatchLog(t, s, BatchConfig{Name: "pcr", Machines: 1, Batch: 4, RunTime: 1, MaxWait: 2})
	lotAt(s, b, 0, 1, 1)
	lotAt(s, b, 1, 2, 1)
	lotAt(s, b, 2.5, 3, 1) // arrives during the run; its own timer starts it
	s.Run()
	assert.Equal(t, strings.Join([]string{
		"2 event pcr/max-wait 1",
		"2 start 1 wait=2",
		"2 start 2 wait=1",
		"3 event pcr/run-done 0",
		"3 finish 1 sojourn=3",
		"3 done 1 units=1 arrived=0 started=2",
		"3 finish 2 sojourn=2",
		"3 done 2 units=1 arrived=1 started=2",
		"4.5 event pcr/max-wait 3",
		"4.5 start 3 wait=2",
		"5.5 event pcr/run-done 0",
		"5.5 finish 3 sojourn=3",
		"5.5 done 3 units=1 arrived=2.5 started=4.5",
	}, "\n"), log.String())
}

func TestBatchTimerDueWhileMachinesBusy(t *testing.T) {
	// The oldest unit's MaxWait passes while the only machine runs: the partial run
	// starts when the machine is free, and no timer is left pending.
	s := New()
	b, log := newBatchLog(t, s, BatchConfig{Name: "pcr", Machines: 1, Batch: 2, RunTime: 3, MaxWait: 1})
	lotAt(s, b, 0, 1, 2)   // a full run on [0, 3)
	lotAt(s, b, 0.5, 2, 1) // due at 1.5, starts at 3
	s.Run()
	assert.Equal(t, strings.Join([]string{
		"0 start 1 wait=0",
		"1.5 event pcr/max-wait 2",
		"3 event pcr/run-done 0",
		"3 start 2 wait=2.5",
		"3 finish 1 sojourn=3",
		"3 done 1 units=2 arrived=0 started=0",
		"6 event pcr/run-done 0",
		"6 finish 2 sojourn=5.5",
		"6 done 2 units=1 arrived=0.5 started=3",
	}, "\n"), log.String())
	assert.Equal(t, 0, s.Len())
}

func TestBatchLotSplitAcrossRuns(t *testing.T) {
	s := New()
	b, log := newBatchLog(t, s, BatchConfig{Name: "pcr", Machines: 2, Batch: 4, RunTime: 1, MaxWait: 0.5})
	lotAt(s, b, 0, 7, 10) // runs of 4 and 4 at once, 2 units left for later
	s.Run()
	assert.Equal(t, strings.Join([]string{
		"0 start 7 wait=0",
		"0 start 7 wait=0",
		"0.5 event pcr/max-wait 7", // due, but no machine is free
		"1 event pcr/run-done 0",
		"1 start 7 wait=1",
		"1 event pcr/run-done 1",
		"2 event pcr/run-done 0",
		"2 finish 7 sojourn=2",
		"2 done 7 units=10 arrived=0 started=0",
	}, "\n"), log.String())
	r := b.Report(2)
	assert.EqualValues(t, 10, r.Arrived)
	assert.EqualValues(t, 10, r.Done)
	assert.EqualValues(t, 10, r.Wait.N)
	assert.InDelta(t, (8*0+2*1)/10.0, r.Wait.Mean, 1e-15)
	assert.InDelta(t, (8*1+2*2)/10.0, r.Sojourn.Mean, 1e-15)
	assert.Equal(t, 2.0, r.Sojourn.Max)
	assert.Equal(t, 1.0, r.Sojourn.Min)
	assert.EqualValues(t, 3, b.Runs())
	assert.Equal(t, 2, int(r.MaxBusy))
}

func TestBatchMaxWaitZeroAndInf(t *testing.T) {
	// MaxWait 0: a free machine runs whatever waits at once.
	s := New()
	b, log := newBatchLog(t, s, BatchConfig{Name: "now", Machines: 1, Batch: 4, RunTime: 1})
	lotAt(s, b, 0, 1, 1)
	lotAt(s, b, 0.5, 2, 1)
	lotAt(s, b, 0.6, 3, 2)
	s.Run()
	assert.Equal(t, strings.Join([]string{
		"0 start 1 wait=0",
		"1 event now/run-done 0",
		"1 start 2 wait=0.5",
		"1 start 3 wait=0.4",
		"1 finish 1 sojourn=1",
		"1 done 1 units=1 arrived=0 started=0",
		"2 event now/run-done 0",
		"2 finish 2 sojourn=1.5",
		"2 done 2 units=1 arrived=0.5 started=1",
		"2 finish 3 sojourn=1.4",
		"2 done 3 units=2 arrived=0.6 started=1",
	}, "\n"), log.String())

	// MaxWait +Inf: full batches only, and no timer.
	s = New()
	b, log = newBatchLog(t, s, BatchConfig{Name: "full", Machines: 1, Batch: 4, RunTime: 1, MaxWait: Duration(math.Inf(1))})
	b.Arrive(1, 3)
	assert.Equal(t, 0, s.Len())
	s.RunUntil(5)
	assert.Equal(t, 3, b.QueueLen())
	b.Arrive(2, 1)
	s.Run()
	assert.Equal(t, strings.Join([]string{
		"5 start 1 wait=5",
		"5 start 2 wait=0",
		"6 event full/run-done 0",
		"6 finish 1 sojourn=6",
		"6 done 1 units=3 arrived=0 started=5",
		"6 finish 2 sojourn=1",
		"6 done 2 units=1 arrived=5 started=5",
	}, "\n"), log.String())
}

func TestBatchHugeLotIsCheap(t *testing.T) {
	// A lot of a million units: work is per run, and the lot is done when its last
	// run ends. 4 machines × 96 wells: ⌈10⁶/96⌉ = 10,417 runs in ⌈10,417/4⌉ = 2,605
	// rounds of 2 hours.
	s := New()
	var done []Lot
	b, err := NewBatchServer(s, BatchConfig{Name: "big", Machines: 4, Batch: 96, RunTime: 2 * Hour, MaxWait: Hour},
		func(l Lot) { done = append(done, l) })
	require.NoError(t, err)
	b.Arrive(1, 1_000_000)
	b.Arrive(2, 1)
	s.Run()
	require.Len(t, done, 2)
	assert.Equal(t, int64(1), done[0].ID)
	assert.InDelta(t, 2605*(2*Hour).Days(), float64(s.Now()), 1e-9)
	assert.EqualValues(t, 10_417, b.Runs())
	r := b.Report(s.Now())
	assert.EqualValues(t, 1_000_001, r.Wait.N)
	assert.EqualValues(t, 1_000_001, r.Done)
	// The last run holds 1,000,001 − 10,416·96 = 65 units; every unit's sojourn is
	// its run's end, a multiple of 2 hours.
	assert.InDelta(t, 2605*(2*Hour).Days(), r.Sojourn.Max, 1e-9)
	assert.InDelta(t, (2 * Hour).Days(), r.Sojourn.Min, 1e-12)
	assert.Equal(t, 65.0, b.Fill().Min)
}

func TestBatchOverloadThroughput(t *testing.T) {
	// Lots of 20 tubes arrive at 8 lots an hour (160 tubes/h) at 2 machines of 96
	// wells with 2-hour runs: capacity 2·96/2h = 96 tubes/h, so the queue only
	// grows, every run is full and throughput equals capacity.
	const machines, batch = 2, 96
	for _, c := range []struct {
		name string
		cfg  BatchConfig
		days float64
	}{
		// Fixed run time: throughput is exact but for the runs cut by the ends of
		// the window (at most one per machine per end: 4·96/(96·24·60) = 0.03%).
		{"fixed", BatchConfig{RunTime: 2 * Hour}, 60},
		// Gamma run times (mean 2 h, shape 4, CV 0.5): 2 machines run about 24,000
		// runs in 1000 days, so the relative standard error of the count is about
		// 0.5/√24,000 = 0.3%, and 2% is more than 6 standard errors.
		{"gamma", BatchConfig{RunTimeDist: distuv.Gamma{Alpha: 4, Beta: 4 / (2 * Hour).Days(), Src: NewStream(5).Named("run").Source()}}, 1000},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := New()
			cfg := c.cfg
			cfg.Name, cfg.Machines, cfg.Batch, cfg.MaxWait = "pcr", machines, batch, 4*Hour
			b, err := NewBatchServer(s, cfg, nil)
			require.NoError(t, err)
			ia := distuv.Exponential{Rate: 8 / Hour.Days(), Src: NewStream(5).Named("arrivals").Source()}
			var id int64
			var arrive func()
			arrive = func() {
				b.Arrive(id, 20)
				id++
				s.AfterFunc(Duration(ia.Rand()), 0, arrive)
			}
			s.AtFunc(0, 0, arrive)
			s.RunUntil(1) // warm-up: the queue builds up
			b.ResetStats()
			s.RunUntil(Time(1 + c.days))
			r := b.Report(s.Now())
			perHour := float64(r.Done) / (c.days * 24)
			t.Logf("%s: throughput %.3f tubes/h (capacity 96), utilization %.4f, mean fill %.2f", c.name, perHour, r.Utilization, b.Fill().Mean)
			assert.InEpsilon(t, machines*batch/2.0, perHour, 0.02)
			assert.Equal(t, float64(batch), b.Fill().Min, "every run under overload is full")
			assert.InDelta(t, 1.0, r.Utilization, 1e-12, "machines never idle")
		})
	}
}

func TestBatchLightLoadSojournBound(t *testing.T) {
	// Light load: lots of 1 to 20 tubes at 1 lot an hour (about 10.5 tubes/h) at 2
	// machines of 96 wells, 2-hour runs, MaxWait 4 hours. A batch rarely fills, so
	// runs start on the timer; a machine is always free then, so no tube waits more
	// than MaxWait and none stays more than MaxWait + RunTime. The oldest tube of a
	// timer-started run reaches the bound exactly, so the maximum equals it. The
	// 1e-9-day (0.1 ms) slack covers rounding of times up to 200 days (≈ 3e-14).
	const maxWait, runTime = 4 * Hour, 2 * Hour
	s := New()
	var lots, units int64
	b, err := NewBatchServer(s, BatchConfig{Name: "pcr", Machines: 2, Batch: 96, RunTime: runTime, MaxWait: maxWait},
		func(l Lot) { lots++; units += int64(l.Units) })
	require.NoError(t, err)
	root := NewStream(6)
	ia := distuv.Exponential{Rate: 1 / Hour.Days(), Src: root.Named("arrivals").Source()}
	size := root.Named("sizes").Rand()
	var id int64
	var arrive func()
	arrive = func() {
		b.Arrive(id, 1+size.IntN(20))
		id++
		if s.Now() < 200 {
			s.AfterFunc(Duration(ia.Rand()), 0, arrive)
		}
	}
	s.AtFunc(0, 0, arrive)
	s.Run()
	r := b.Report(s.Now())
	t.Logf("light load: %d lots, %d tubes, %d runs, mean fill %.1f, max wait %v, max sojourn %v",
		lots, r.Done, b.Runs(), b.Fill().Mean, Duration(r.Wait.Max), Duration(r.Sojourn.Max))
	assert.Equal(t, id, lots, "every lot is done")
	assert.Equal(t, r.Arrived, units)
	assert.Equal(t, r.Arrived, r.Done)
	assert.LessOrEqual(t, r.Sojourn.Max, (maxWait+runTime).Days()+1e-9)
	assert.InDelta(t, (maxWait + runTime).Days(), r.Sojourn.Max, 1e-9)
	assert.LessOrEqual(t, r.Wait.Max, maxWait.Days()+1e-9)
	assert.Less(t, b.Fill().Mean, 96.0, "runs start on the timer, not full")
}

func TestBatchSteadyStateAllocatesNothing(t *testing.T) {
	s := New()
	root := NewStream(8)
	ia := distuv.Exponential{Rate: 10, Src: root.Named("arrivals").Source()}
	size := root.Named("sizes").Rand()
	b, err := NewBatchServer(s, BatchConfig{Name: "pcr", Machines: 3, Batch: 8, RunTime: 0.25, MaxWait: 0.1}, func(Lot) {})
	require.NoError(t, err)
	var id int64
	var arrive func()
	arrive = func() {
		b.Arrive(id, 1+size.IntN(6))
		id++
		s.AfterFunc(Duration(ia.Rand()), 0, arrive)
	}
	s.AtFunc(0, 0, arrive)
	for i := 0; i < 200_000; i++ {
		s.Step()
	}
	assert.Zero(t, testing.AllocsPerRun(10_000, func() { s.Step() }))
}

func TestBatchConfigErrors(t *testing.T) {
	s := New()
	for _, c := range []struct {
		cfg  BatchConfig
		want string
	}{
		{BatchConfig{Name: "pcr", Batch: 96, RunTime: 1}, `sim: batch server "pcr": Machines must be at least 1, got 0`},
		{BatchConfig{Name: "pcr", Machines: 1, RunTime: 1}, `sim: batch server "pcr": Batch must be at least 1, got 0`},
		{BatchConfig{Name: "pcr", Machines: 1, Batch: 96}, `sim: batch server "pcr": RunTime must be a finite duration > 0 (or set RunTimeDist), got 0d`},
		{BatchConfig{Name: "pcr", Machines: 1, Batch: 96, RunTime: -1}, `sim: batch server "pcr": RunTime must be a finite duration > 0 (or set RunTimeDist), got -1d`},
		{BatchConfig{Name: "pcr", Machines: 1, Batch: 96, RunTime: 1, RunTimeDist: Fixed{Value: 1}}, `sim: batch server "pcr": set RunTime or RunTimeDist, not both (RunTime is 1d)`},
		{BatchConfig{Name: "pcr", Machines: 1, Batch: 96, RunTime: 1, MaxWait: -Hour}, `sim: batch server "pcr": MaxWait must be ≥ 0 (+Inf for full batches only), got -1h`},
		{BatchConfig{Name: "pcr", Machines: 1, Batch: 96, RunTime: 1, MaxWait: Duration(math.NaN())}, `sim: batch server "pcr": MaxWait must be ≥ 0 (+Inf for full batches only), got NaN`},
	} {
		_, err := NewBatchServer(s, c.cfg, nil)
		assert.EqualError(t, err, c.want)
	}
}

func TestBatchPanics(t *testing.T) {
	s := New()
	b, err := NewBatchServer(s, BatchConfig{Name: "pcr", Machines: 1, Batch: 2, RunTimeDist: Fixed{Value: -1}}, nil)
	require.NoError(t, err)
	assert.PanicsWithValue(t, `sim: batch server "pcr": lot 4 has 0 units, want at least 1`, func() { b.Arrive(4, 0) })
	assert.PanicsWithValue(t, `sim: batch server "pcr": RunTimeDist returned -1, want a finite duration ≥ 0 in days`,
		func() { b.Arrive(5, 2) })
}

func TestBatchServerClasses(t *testing.T) {
	// One machine, plates of 4, runs of 1 hour, no waiting for a full plate.
	// While the first run goes, lots arrive in class 1, then class 0: the next run
	// takes class 0 first, then the oldest of class 1, splitting a lot.
	s := New()
	var done []string
	b, err := NewBatchServer(s, BatchConfig{Name: "lab", Machines: 1, Batch: 4, RunTime: Hour, Classes: 2},
		func(l Lot) { done = append(done, fmt.Sprintf("%d@%.0fm", l.ID, float64(s.Now())*1440)) })
	require.NoError(t, err)
	s.AtFunc(0, 0, func() { b.Arrive(1, 4) })                       // fills the first run
	s.AtFunc(Time(10*Minute), 0, func() { b.ArriveClass(2, 3, 1) }) // mass testing
	s.AtFunc(Time(20*Minute), 0, func() { b.ArriveClass(3, 2, 0) }) // fever clinic
	s.AtFunc(Time(30*Minute), 0, func() { b.ArriveClass(4, 2, 1) }) // mass testing
	s.Run()
	// Run 2 (60–120 min): lot 3 (2 units) and 2 units of lot 2; run 3: the last
	// unit of lot 2 and lot 4.
	assert.Equal(t, []string{"1@60m", "3@120m", "2@180m", "4@180m"}, done)
	assert.Panics(t, func() { b.ArriveClass(5, 1, 2) })
	_, err = NewBatchServer(s, BatchConfig{Name: "x", Machines: 1, Batch: 1, RunTime: 1, Classes: -1}, nil)
	assert.ErrorContains(t, err, "Classes must be from 1 to 64")
}

func TestBatchServerAddMachines(t *testing.T) {
	// One machine, plates of 2, runs of 1 hour: 6 units take 3 runs. Adding two
	// machines at 30 minutes starts the waiting runs at once.
	s := New()
	var done []string
	b, err := NewBatchServer(s, BatchConfig{Name: "lab", Machines: 1, Batch: 2, RunTime: Hour},
		func(l Lot) { done = append(done, fmt.Sprintf("%d@%.0fm", l.ID, float64(s.Now())*1440)) })
	require.NoError(t, err)
	for i := int64(1); i <= 3; i++ {
		b.Arrive(i, 2)
	}
	s.AtFunc(Time(30*Minute), 0, func() { b.AddMachines(2) })
	s.Run()
	assert.Equal(t, []string{"1@60m", "2@90m", "3@90m"}, done)
	assert.Equal(t, 3, b.Report(s.Now()).Capacity)
	assert.Panics(t, func() { b.AddMachines(0) })
}
