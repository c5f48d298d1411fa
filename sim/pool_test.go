package sim

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
)

// newPoolLog returns a pool of s with cfg whose observer and granted callback write
// to one log.
func newPoolLog(t *testing.T, s *Sim, cfg PoolConfig) (*Pool, *resLog) {
	log := &resLog{}
	cfg.Observer = log
	p, err := NewPool(s, cfg, func(id int64, n int) { log.add("%g granted %d n=%d", float64(s.Now()), id, n) })
	require.NoError(t, err)
	return p, log
}

func acquireAt(s *Sim, p *Pool, log *resLog, t Time, id int64, n int) {
	s.AtFunc(t, 0, func() { log.add("%g acquire %d n=%d: %v", float64(t), id, n, p.Acquire(id, n)) })
}

func releaseAt(s *Sim, p *Pool, log *resLog, t Time, n int) {
	s.AtFunc(t, 0, func() { p.Release(n); log.add("%g release %d", float64(t), n) })
}

func TestPoolQueue(t *testing.T) {
	s := New()
	p, log := newPoolLog(t, s, PoolConfig{Name: "beds", Capacity: 3})
	acquireAt(s, p, log, 0, 1, 2)
	acquireAt(s, p, log, 0, 2, 2) // does not fit: waits
	acquireAt(s, p, log, 0, 3, 1) // would fit, but waits behind request 2 (strict FIFO)
	releaseAt(s, p, log, 1, 2)    // requests 2 and 3 now fit
	acquireAt(s, p, log, 1.5, 4, 1)
	releaseAt(s, p, log, 2, 1)
	releaseAt(s, p, log, 3, 2)
	s.Run()
	assert.Equal(t, strings.Join([]string{
		"0 start 1 wait=0",
		"0 acquire 1 n=2: true",
		"0 acquire 2 n=2: false",
		"0 acquire 3 n=1: false",
		// Places are granted inside Release; the callbacks follow as events.
		"1 start 2 wait=1",
		"1 start 3 wait=1",
		"1 release 2",
		"1 granted 2 n=2",
		"1 granted 3 n=1",
		"1.5 acquire 4 n=1: false",
		"2 start 4 wait=0.5",
		"2 release 1",
		"2 granted 4 n=1",
		"3 release 2",
	}, "\n"), log.String())
	assert.Equal(t, 1, p.InUse())
	assert.Equal(t, 2, p.Free())

	r := p.Report(4)
	assert.Equal(t, "beds", r.Name)
	assert.Equal(t, 3, r.Capacity)
	// Occupancy: 2 on [0, 1), 3 on [1, 3), 1 on [3, 4): 2 + 6 + 1 place-days.
	assert.InDelta(t, 9.0, r.BusyTime, 1e-15)
	assert.InDelta(t, 9.0/4, r.MeanBusy, 1e-15)
	assert.InDelta(t, 9.0/12, r.Utilization, 1e-15)
	assert.Equal(t, 3.0, r.MaxBusy)
	// Requests waiting: 2 on [0, 1), 1 on [1.5, 2): area 2.5.
	assert.InDelta(t, 2.5/4, r.MeanQueue, 1e-15)
	assert.Equal(t, 2.0, r.MaxQueue)
	assert.EqualValues(t, 4, r.Arrived)
	assert.EqualValues(t, 4, r.Done)
	assert.EqualValues(t, 0, r.Refused)
	assert.InDelta(t, (0+1+1+0.5)/4.0, r.Wait.Mean, 1e-15)
	assert.EqualValues(t, 0, r.Sojourn.N)
}

func TestPoolRefuse(t *testing.T) {
	s := New()
	p, log := newPoolLog(t, s, PoolConfig{Name: "fangcang", Capacity: 2, WhenFull: RefuseWhenFull})
	acquireAt(s, p, log, 0, 1, 1)
	acquireAt(s, p, log, 0, 2, 2) // refused: only 1 free
	acquireAt(s, p, log, 1, 3, 1)
	acquireAt(s, p, log, 1, 4, 1) // refused: full
	releaseAt(s, p, log, 2, 2)
	acquireAt(s, p, log, 2, 5, 2)
	s.Run()
	assert.Equal(t, strings.Join([]string{
		"0 start 1 wait=0",
		"0 acquire 1 n=1: true",
		"0 acquire 2 n=2: false",
		"1 start 3 wait=0",
		"1 acquire 3 n=1: true",
		"1 acquire 4 n=1: false",
		"2 release 2",
		"2 start 5 wait=0",
		"2 acquire 5 n=2: true",
	}, "\n"), log.String())
	r := p.Report(3)
	assert.EqualValues(t, 2, p.Refused())
	assert.EqualValues(t, 2, r.Refused)
	assert.EqualValues(t, 5, r.Arrived)
	assert.EqualValues(t, 3, r.Done)
	assert.Equal(t, 0.0, r.MaxQueue)
	assert.InDelta(t, 1+2+2, r.BusyTime, 1e-15) // 1 on [0, 1), 2 on [1, 3)
}

func TestPoolIntegralIsSumOfHoldings(t *testing.T) {
	// Households of 1 to 3 people ask for rooms, hold them for exponential stays and
	// give them back; the pool's place-days must equal the sum, over requests, of
	// places × time held, as the callers see it. Only rounding separates the two:
	// about 10⁵ terms of size ≤ 10³ place-days, so 1e-9 relative is ample.
	//
	// Offered load: requests/day × 2 people × 7 days against 300 rooms; 20 a day
	// (280, ρ ≈ 0.93) makes some requests wait, 50 a day (700) overflows heavily.
	for _, c := range []struct {
		policy FullPolicy
		rate   float64 // requests per day
	}{{QueueWhenFull, 20}, {RefuseWhenFull, 50}} {
		policy := c.policy
		t.Run(policy.String(), func(t *testing.T) {
			s := New()
			root := NewStream(10).Named(policy.String())
			ia := distuv.Exponential{Rate: c.rate, Src: root.Named("arrivals").Source()}
			stay := distuv.Exponential{Rate: 1.0 / 7, Src: root.Named("stays").Source()}
			size := root.Named("sizes").Rand()
			var (
				p                   *Pool
				sum                 float64 // places × days held, summed by the callers
				requests, refusals  int64
				waitedSum           float64
				askedAt             = map[int64]Time{}
				sizes               = map[int64]int{}
				granted, grantedNow int64
			)
			hold := func(id int64, n int) {
				d := Duration(stay.Rand())
				sum += float64(n) * d.Days()
				s.AfterFunc(d, 0, func() { p.Release(n) })
			}
			var err error
			p, err = NewPool(s, PoolConfig{Name: "rooms", Capacity: 300, WhenFull: policy}, func(id int64, n int) {
				require.Equal(t, sizes[id], n)
				waitedSum += s.Now().Sub(askedAt[id]).Days()
				granted++
				hold(id, n)
			})
			require.NoError(t, err)
			var id int64
			var arrive func()
			arrive = func() {
				n := 1 + size.IntN(3)
				askedAt[id], sizes[id] = s.Now(), n
				requests++
				if p.Acquire(id, n) {
					grantedNow++
					hold(id, n)
				} else if policy == RefuseWhenFull {
					refusals++
				}
				id++
				if s.Now() < 600 {
					s.AfterFunc(Duration(ia.Rand()), 0, arrive)
				}
			}
			s.AtFunc(0, 0, arrive)
			s.Run()
			r := p.Report(s.Now())
			t.Logf("%s: %d requests, %d refused, %d waited (mean wait %.3f d), %.0f place-days, max occupancy %v, utilization %.3f",
				policy, requests, r.Refused, granted, waitedSum/math.Max(1, float64(granted)), r.BusyTime, r.MaxBusy, r.Utilization)
			assert.Equal(t, 0, p.InUse(), "everything was released")
			assert.InEpsilon(t, sum, r.BusyTime, 1e-9)
			assert.LessOrEqual(t, r.MaxBusy, 300.0)
			assert.Equal(t, requests, r.Arrived)
			assert.Equal(t, refusals, r.Refused)
			assert.Equal(t, grantedNow+granted, r.Done)
			assert.Equal(t, r.Done+r.Refused+int64(p.QueueLen()), r.Arrived)
			if policy == RefuseWhenFull {
				assert.Positive(t, refusals)
				assert.Zero(t, granted)
				assert.Equal(t, 300.0, r.MaxBusy)
			} else {
				assert.Zero(t, r.Refused)
				assert.Positive(t, granted)
				assert.InDelta(t, waitedSum/float64(r.Done), r.Wait.Mean, 1e-9)
				// A request of at most 3 places waits only when fewer than 3 are free.
				assert.GreaterOrEqual(t, r.MaxBusy, 298.0)
			}
		})
	}
}

func TestPoolWithoutCallback(t *testing.T) {
	// With no granted callback, waiting requests still get their places, and no
	// event is scheduled for them.
	s := New()
	p, err := NewPool(s, PoolConfig{Name: "p", Capacity: 1}, nil)
	require.NoError(t, err)
	assert.True(t, p.Acquire(1, 1))
	assert.False(t, p.Acquire(2, 1))
	assert.Equal(t, 1, p.QueueLen())
	p.Release(1)
	assert.Equal(t, 0, p.QueueLen())
	assert.Equal(t, 1, p.InUse())
	assert.Equal(t, 0, s.Len())
}

func TestPoolPanics(t *testing.T) {
	s := New()
	p, err := NewPool(s, PoolConfig{Name: "beds", Capacity: 4}, nil)
	require.NoError(t, err)
	require.True(t, p.Acquire(1, 2))
	assert.PanicsWithValue(t, `sim: pool "beds": Release(3) but 2 places are held`, func() { p.Release(3) })
	assert.Panics(t, func() { p.Release(-1) })
	assert.PanicsWithValue(t, `sim: pool "beds": request 7 for 5 places, want 1 to 4 (the capacity)`, func() { p.Acquire(7, 5) })
	assert.Panics(t, func() { p.Acquire(8, 0) })
	assert.Equal(t, 2, p.InUse(), "a failed call changes nothing")
}

func TestPoolConfigErrors(t *testing.T) {
	s := New()
	_, err := NewPool(s, PoolConfig{Name: "beds"}, nil)
	require.EqualError(t, err, `sim: pool "beds": Capacity must be at least 1, got 0`)
	_, err = NewPool(s, PoolConfig{Name: "beds", Capacity: 1, WhenFull: 9}, nil)
	require.EqualError(t, err, `sim: pool "beds": WhenFull must be QueueWhenFull or RefuseWhenFull, got FullPolicy(9)`)

	var f FullPolicy
	require.NoError(t, f.UnmarshalText([]byte("refuse")))
	assert.Equal(t, RefuseWhenFull, f)
	b, err := QueueWhenFull.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "queue", string(b))
	require.ErrorContains(t, f.UnmarshalText([]byte("drop")), `unknown full-pool policy "drop"`)
}

func TestPoolSteadyStateAllocatesNothing(t *testing.T) {
	s := New()
	root := NewStream(11)
	ia := distuv.Exponential{Rate: 1.8, Src: root.Named("arrivals").Source()} // ρ = 0.9
	stay := distuv.Exponential{Rate: 1, Src: root.Named("stays").Source()}
	var p *Pool
	var release func()
	release = func() { p.Release(1) }
	p, err := NewPool(s, PoolConfig{Name: "beds", Capacity: 2}, func(int64, int) {
		s.AfterFunc(Duration(stay.Rand()), 0, release)
	})
	require.NoError(t, err)
	var id int64
	var arrive func()
	arrive = func() {
		if p.Acquire(id, 1) {
			s.AfterFunc(Duration(stay.Rand()), 0, release)
		}
		id++
		s.AfterFunc(Duration(ia.Rand()), 0, arrive)
	}
	s.AtFunc(0, 0, arrive)
	for i := 0; i < 200_000; i++ {
		s.Step()
	}
	assert.Zero(t, testing.AllocsPerRun(10_000, func() { s.Step() }))
}
