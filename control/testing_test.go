package control

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// quietConfig is a city of n people where nobody infects anybody: imports only,
// with a fixed course (2 days latent, symptoms from day 3 for everyone who has
// them, infectious until day 10).
func quietConfig(n, imports int) *model.Config {
	cfg := sirConfig(n, 0)
	cfg.Disease.Latent = sim.FixedDist(2)
	cfg.Disease.Presymptomatic = sim.FixedDist(1)
	cfg.Disease.Symptomatic = sim.FixedDist(7)
	cfg.Disease.Asymptomatic = sim.FixedDist(8)
	cfg.Imports.Initial = imports
	return cfg
}

// fixedLoad is a viral load that is 3 log10 at the end of the latent period,
// peaks at 8 one day later and is back at 3 six days after that.
var fixedLoad = model.ViralLoadConfig{Rise: sim.FixedDist(1), Peak: sim.FixedDist(8), Decline: sim.FixedDist(6)}

// quietTesting is a pipeline with fixed delays and no source of demand.
func quietTesting() TestingConfig {
	cfg := DefaultTesting()
	cfg.ViralLoad = fixedLoad
	cfg.Symptomatic.Probability = 0
	cfg.Courier = sim.FixedDist(0.5 / 24)
	cfg.Report = sim.FixedDist(1.0 / 24)
	cfg.Recall = sim.FixedDist(2.0 / 24)
	return cfg
}

func TestSiteFluidQueue(t *testing.T) {
	// 120 people an hour come from 8:00 to 10:00 to a site that swabs 60 an hour,
	// open 8:00–20:00, pooling 5 to a tube. By hand: at 9:00, 60 swabbed and 60
	// waiting; at 10:00, 120 and 120; the queue then drains at 60 an hour and is
	// empty at 12:00, with 240 swabbed (48 tubes). Someone arriving at 9:30 finds
	// 90 ahead and is swabbed at 11:00. The mean queue over the opening hours is
	// (area 120·2/2 + 120·2/2 = 240 person-hours) / 12 hours = 20.
	h := 1.0 / 24
	s := site{mu: 60 * 24, open: 8 * h, close: 20 * h, pool: 5}
	s.streams = []stream{{start: 8 * h, end: 10 * h, rate: 240 / (2 * h)}}
	s.advance(9 * h)
	assert.InDelta(t, 60, s.served, 1e-9)
	assert.InDelta(t, 60, s.q, 1e-9)
	s.advance(9.5 * h)
	assert.InDelta(t, 11*h, s.swabTime(9.5*h), 1e-12)
	s.advance(10 * h)
	assert.InDelta(t, 120, s.q, 1e-9)
	assert.Empty(t, s.streams, "the stream has ended")
	s.advance(12 * h)
	assert.InDelta(t, 0, s.q, 1e-9)
	assert.InDelta(t, 240, s.served, 1e-9)
	assert.EqualValues(t, 48, s.closedTubes())
	s.advance(1)
	assert.InDelta(t, 20, s.qArea/(12*h), 1e-9, "mean queue over the opening hours")
	assert.InDelta(t, 120, s.qMax, 1e-9)
	assert.InDelta(t, 12*h, s.openTime, 1e-12)
	assert.InDelta(t, 4*h, s.busy, 1e-12, "busy 4 hours: 240 swabs at 60 an hour")

	// A partial tube closes when the site does: 7 more swabs make 2 tubes.
	s.streams = []stream{{start: 1 + 19*h, end: 1 + 20*h, rate: 7 / h}}
	s.advance(1 + 21*h)
	assert.EqualValues(t, 50, s.closedTubes())
	assert.InDelta(t, 247, s.swabs, 1e-9)
	// Overnight, a queue waits for the opening: someone arriving at 22:00 behind
	// 60 people is swabbed at 9:00 next day.
	s.q = 60
	assert.InDelta(t, 2+9*h, s.swabTime(1+22*h), 1e-12)
}

func TestPipelineEventLog(t *testing.T) {
	// Three infected people are swabbed on day 3 (viral load 8: positive) at 0:00,
	// 0:10 and 0:20; the courier takes 30 minutes, the lab has one instrument
	// running 2 samples an hour and starts at once (MaxWait 0), the report takes an
	// hour. By hand: tube A reaches the lab at 0:30 and runs alone until 1:30; B
	// (0:40) and C (0:50) wait and run together until 2:30. Notifications: A at
	// 2:30, B and C at 3:30.
	cfg := quietConfig(1000, 3)
	tc := quietTesting()
	tc.Lab = LabConfig{Instruments: 1, Wells: 2, RunTime: sim.Hour, MaxWait: 0}
	m, err := model.New(cfg, sim.NewStream(1).Key(0), model.Options{Horizon: 10})
	require.NoError(t, err)
	tst := NewTesting(tc)
	var log []string
	require.NoError(t, m.Add(tst, model.MeasureFunc(func(m *model.Model) error {
		m.Observe(detectionLog{&log})
		m.Sim().AtFunc(3, model.PriorityPolicy, func() {
			for i := 0; i < 3; i++ {
				tst.Request(m.Infection(i).Person, m.Now().Add(sim.Duration(i)*10*sim.Minute), "quarantine")
			}
		})
		return nil
	})))
	m.Run()
	assert.Equal(t, []string{"3d02:30 quarantine", "3d03:30 quarantine", "3d03:30 quarantine"}, log)
	r := tst.Report()
	assert.EqualValues(t, 3, r.Swabs)
	assert.EqualValues(t, 3, r.Tubes)
	q := r.Turnaround["quarantine"]
	assert.EqualValues(t, 3, q.N)
	assert.InDelta(t, (2.5+3.5-1/6.0+3.5-2/6.0)/3/24, q.Mean, 1e-9, "swab to notification")
}

// detectionLog records detections as "<day>d<hh:mm> <route>".
type detectionLog struct{ lines *[]string }

func (l detectionLog) OnDetection(m *model.Model, d model.Detection) {
	*l.lines = append(*l.lines, fmt.Sprintf("%s %s", clock(d.Notified), d.Route))
}

func clock(t sim.Time) string {
	day := math.Floor(float64(t))
	mins := math.Round((float64(t) - day) * 1440)
	return fmt.Sprintf("%.0fd%02.0f:%02.0f", day, math.Floor(mins/60), math.Mod(mins, 60))
}

func TestDilution(t *testing.T) {
	// For a fixed trajectory (3 log10 at day 2, peak 8 at day 3, back to 3 at
	// day 9) and PCR's limit of 3 log10, a sample taken at a uniform time while
	// the load is above 3 is positive alone with probability 1; in a pool of n it
	// needs a load of 3 + log10(n), reached for a fraction (8 - 3 - log10 n)/(8 - 3)
	// of that window: 1, 0.8, 0.7398 for n = 1, 10, 20.
	v := model.ViralLoad{Infected: 0, Detectable: 2, PeakTime: 3, Peak: 8, Cleared: 9}
	for _, c := range []struct {
		n    int
		want float64
	}{{1, 1}, {10, 0.8}, {20, 1 - math.Log10(20)/5}} {
		closed := float64(v.TimeAbove(3+math.Log10(float64(c.n)))) / float64(v.Cleared-v.Detectable)
		assert.InDelta(t, c.want, closed, 1e-12, "closed form, n=%d", c.n)
		// Sample the window on a fine grid and pool each sample with n-1
		// uninfected ones.
		const k = 100000
		pos := 0
		for i := 0; i < k; i++ {
			at := v.Detectable + sim.Time((float64(i)+0.5)/k)*(v.Cleared-v.Detectable)
			loads := []float64{v.Log10(at)}
			if PoolPositive(loads, c.n, 3) {
				pos++
			}
		}
		assert.InDelta(t, c.want, float64(pos)/k, 1e-4, "n=%d", c.n)
	}
	// Two infected samples in one pool add up: 2·10^4 / 20 = 10^3 is detected,
	// 10^4 / 20 is not.
	assert.True(t, PoolPositive([]float64{4, 4}, 20, 3))
	assert.False(t, PoolPositive([]float64{4, math.Inf(-1)}, 20, 3))
	assert.Equal(t, math.Inf(-1), v.Log10(-1))
	assert.InDelta(t, 1.5, v.Log10(1), 1e-12)
	assert.InDelta(t, 5.5, v.Log10(2.5), 1e-12)
	assert.InDelta(t, 8-5.0/6, v.Log10(4), 1e-12)
	assert.Equal(t, math.Inf(-1), v.Log10(100))
}

func TestDorfmanPooling(t *testing.T) {
	// A mass-testing round over a city of N of whom a fraction p is infected and
	// well detectable (everyone tested at peak load 8: even a pool of 20 detects
	// one). The swab order is a random order of the city, so a pool of n is
	// positive with probability 1 - (1-p)^n (Dorfman 1943): the infected are a
	// random subset of the swab order, not independent draws of a place. N is
	// 25,000/p, so that the positive tubes are many enough (about 25,000·n(1-p)^…)
	// for 3 binomial standard errors of their share to be within 2% of it.
	for _, pool := range []int{5, 10, 20} {
		for _, p := range []float64{0.001, 0.01, 0.05, 0.1} {
			const infected = 25_000
			n := int(infected / p)
			cfg := quietConfig(n, infected)
			tc := quietTesting()
			// Large sites, so that a city of 25 million needs only 250.
			tc.Sites = []SiteGroup{{Name: "mass", PeoplePerSite: 100_000, SwabsPerHour: 20_000,
				Open: 0, Close: sim.Day, Pool: pool, Pickup: 2 * sim.Hour, Travel: sim.Hour}}
			tc.Lab = LabConfig{Instruments: 20_000, Wells: 94, RunTime: 3 * sim.Hour, MaxWait: sim.Hour}
			// Day 2.5 to 3.5: the load is ≥ 5.5 for everyone.
			tc.Mass = []MassTesting{{Sites: "mass", Start: 2.5, Window: 12 * sim.Hour, Participation: 1}}
			m, err := model.New(cfg, sim.NewStream(uint64(pool)).Key(uint64(p*1e4)), model.Options{Horizon: 6})
			require.NoError(t, err)
			tst := NewTesting(tc)
			require.NoError(t, m.Add(tst))
			res := m.Run()
			var pooled, positive float64
			for i := range tst.sampling.sites {
				pooled += float64(tst.sampling.sites[i].picked)
			}
			for _, tb := range tst.tubes {
				if tb.index >= 0 {
					positive++
				}
			}
			want := 1 - math.Pow(1-p, float64(pool))
			got := positive / pooled
			se := math.Sqrt(want * (1 - want) / pooled)
			t.Logf("n=%2d p=%5.3f: positive tubes %.5f, Dorfman %.5f (%+.2f%%, standard error %.2f%%), %.0f tubes",
				pool, p, got, want, 100*(got/want-1), 100*se/want, pooled)
			require.Less(t, 3*se/want, 0.02, "enough tubes for a tolerance of 2%")
			assert.InDelta(t, want, got, 3*se, "pool %d, prevalence %v", pool, p)
			// Tubes per person: 1/n for the pools, and one for each member of a
			// positive pool.
			assert.InEpsilon(t, 1/float64(pool)+want, tst.Report().Tubes/float64(n), 0.02, "tubes per person")
			assert.Equal(t, float64(infected), total(res.Series.Get("detections")), "every infected person is found")
		}
	}
}

func TestLabOverload(t *testing.T) {
	// The lab runs 4 instruments × 50 tubes × 8 runs a day: 1,600 tubes a day.
	// Quarantine tests bring 1,800 a day (75 an hour): the backlog grows by 200 a
	// day. On day 10 four more instruments (capacity 3,200) clear it at 1,400 a
	// day: the backlog of about 10 × 200 = 2,000 is gone on day 10 + 2000/1400 ≈
	// day 11.4.
	cfg := quietConfig(100_000, 40)
	tc := quietTesting()
	tc.ViralLoad.Decline = sim.FixedDist(20) // positive until day 23
	tc.Lab = LabConfig{Instruments: 4, Wells: 50, RunTime: 3 * sim.Hour, MaxWait: sim.Hour}
	m, err := model.New(cfg, sim.NewStream(2).Key(0), model.Options{Horizon: 16})
	require.NoError(t, err)
	tst := NewTesting(tc)
	var log []string
	require.NoError(t, m.Add(tst, model.MeasureFunc(func(m *model.Model) error {
		m.Observe(detectionLog{&log})
		var hourly func()
		hourly = func() {
			tst.RequestVolume(75, m.Now(), "quarantine")
			m.Sim().AfterFunc(sim.Hour, model.PriorityPolicy, hourly)
		}
		m.Sim().AtFunc(0, model.PriorityPolicy, hourly)
		m.Sim().AtFunc(10, model.PriorityPolicy, func() { tst.AddInstruments(4) })
		// Infected people tested at noon on days 2…9 (their load is then
		// detectable) measure the turnaround.
		for d := 2; d < 10; d++ {
			d := d
			m.Sim().AtFunc(sim.Time(d)+0.5, model.PriorityPolicy, func() {
				tst.Request(m.Infection(d).Person, m.Now(), "quarantine")
			})
		}
		return nil
	})))
	res := m.Run()
	backlog := res.Series.Get("lab_backlog")
	// The backlog at the end of days 2…9 grows by 200 a day (±2%).
	slope := (backlog[9] - backlog[2]) / 7
	t.Logf("backlog by day: %v", backlog[:14])
	assert.InEpsilon(t, 200, slope, 0.02)
	// The queue predicts a wait of backlog / capacity: a tube arriving at noon on
	// day d waits about (200 d + 100) / 1600 days more than on an empty lab, plus
	// the run (3h), courier (30m) and report (1h). Check the growth of the
	// turnaround: about 200/1600 of a day more each day.
	require.Len(t, log, 8)
	q := tst.Report().Turnaround["quarantine"]
	t.Logf("turnaround %+v", q)
	// The mean over days 2..9 of (200 d + 100)/1600 + 4.5 h.
	wantMean := 0.0
	for d := 2; d < 10; d++ {
		wantMean += (200*float64(d) + 100) / 1600
	}
	wantMean = wantMean/8 + 4.5/24
	assert.InEpsilon(t, wantMean, q.Mean, 0.1)
	// The backlog clears on day 11 (±1).
	clear := -1
	for d := 10; d < len(backlog); d++ {
		if backlog[d] < 100 {
			clear = d
			break
		}
	}
	assert.InDelta(t, 11, clear, 1, "the backlog clears on day 11.4")
}

func TestTestingValidation(t *testing.T) {
	cfg := quietConfig(1000, 1)
	tc := quietTesting()
	tc.Sites[0].Pool = 0
	tc.Sites[0].Close = 25 * sim.Hour
	tc.Lab.Instruments = 0
	tc.Mass = []MassTesting{{Sites: "nope", Window: 0, Participation: 2, Areas: []string{"mars"}}}
	tc.Screening = []Screening{{Group: "office", Every: 0}}
	m, err := model.New(cfg, sim.NewStream(1), model.Options{})
	require.NoError(t, err)
	err = m.Add(NewTesting(tc))
	require.Error(t, err)
	for _, want := range []string{
		"testing.sites[0].pool: must be from 1 to 100",
		"testing.sites[0].close: opening hours must satisfy",
		"testing.lab.instruments: must be at least 1",
		`testing.mass[0].areas[0]: unknown area "mars"`,
		`testing.mass[0].sites: unknown site group "nope"`,
		"testing.mass[0].window: must be a finite duration > 0",
		"testing.mass[0].participation: must be a probability",
		`testing.screening[0].group: unknown group layer "office"`,
		"testing.screening[0].every: must be a finite duration > 0",
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Len(t, strings.Split(err.Error(), "\n"), 10, "%v", err)
}

func TestEveryoneTestedHasASite(t *testing.T) {
	cfg := cityConfig()
	tc := quietTesting()
	tc.Sites[0].Areas = []string{"taijiang"}
	tc.Mass = []MassTesting{{Sites: "community", Window: sim.Day, Participation: 1}}
	m, err := model.New(cfg, sim.NewStream(1), model.Options{})
	require.NoError(t, err)
	err = m.Add(NewTesting(tc))
	assert.ErrorContains(t, err, `testing.mass[0].sites: area "gulou-a" has no site of group "community"`)
	tc.Mass[0].Areas = []string{"taijiang"}
	m, err = model.New(cfg, sim.NewStream(1), model.Options{})
	require.NoError(t, err)
	assert.NoError(t, m.Add(NewTesting(tc)))
}

// TestRequestVolumeBeyondAPayload checks that a request of more tubes than an
// event's payload holds goes whole to the lab, as several lots (the lab counts
// units as integers; the daily series, in floats, could not tell a few lost).
func TestRequestVolumeBeyondAPayload(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("an int holds fewer tubes than a payload")
	}
	n := 3*maxVolumeLoad + 5
	m, err := model.New(quietConfig(100_000, 40), sim.NewStream(3).Key(0), model.Options{Horizon: 2})
	require.NoError(t, err)
	tst := NewTesting(quietTesting())
	require.NoError(t, m.Add(tst, model.MeasureFunc(func(m *model.Model) error {
		m.Sim().AtFunc(0.5, model.PriorityPolicy, func() { tst.RequestVolume(n, m.Now(), "quarantine") })
		return nil
	})))
	m.Run()
	assert.Equal(t, int64(n), tst.lab.server.Report(m.Now()).Arrived)
	assert.Zero(t, tst.inFlight)
}
