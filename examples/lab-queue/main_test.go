package main

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

// eps absorbs rounding in sums of float64 days.
const eps = 1e-9

// checkInvariants asserts what must hold in any run whose lab finished its work.
func checkInvariants(t *testing.T, r result) {
	t.Helper()
	c := r.Config
	swabs, tubes := 0, 0
	for i, sr := range r.Sites {
		// Every person who came was swabbed, once.
		assert.Equal(t, sr.Arrived, sr.Done, "%s: arrivals and swabs", sr.Name)
		assert.Equal(t, int64(r.Swabs[i]), sr.Done, "%s: swabs counted and served", sr.Name)
		// Every swab is in exactly one tube: full tubes of PoolSize, then the last
		// partial tube closed at closing time.
		want := (r.Swabs[i] + c.PoolSize - 1) / c.PoolSize
		assert.Equal(t, want, r.Tubes[i], "%s: tubes for %d swabs", sr.Name, r.Swabs[i])
		swabs += r.Swabs[i]
		tubes += r.Tubes[i]
	}
	require.Positive(t, swabs)

	// Every closed tube was delivered, and every delivered tube processed and
	// reported by the end of the run.
	assert.Equal(t, tubes, r.Delivered, "tubes closed and delivered")
	assert.Equal(t, int64(r.Delivered), r.Lab.Arrived, "tubes delivered and arrived at the lab")
	assert.Equal(t, int64(r.Delivered), r.Processed, "tubes delivered and processed")
	assert.Equal(t, r.Lots, r.Reported, "lots delivered and reported")
	assert.Equal(t, int64(r.Lots), r.Turnaround.N(), "one turnaround per lot")
	assert.Less(t, r.Lab.To, c.End, "the lab finished before the end of the run")

	// A lot spends at least the drive and one run between its oldest swab and its
	// report.
	floor := (c.Drive + c.RunTime).Days()
	assert.GreaterOrEqual(t, r.Turnaround.Min(), floor-eps, "shortest turnaround (days)")
	// A plate never holds more than its wells allow.
	assert.LessOrEqual(t, r.Fill.Max, float64(c.Wells-c.Controls))
	assert.Positive(t, r.Runs)
}

func TestRunInvariants(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*config)
	}{
		{"defaults", func(*config) {}},
		{"flat arrivals", func(c *config) { c.Flat = true }},
		{"one site, one booth", func(c *config) { c.Sites, c.Booths, c.Rate = 1, 1, 40 }},
		{"many instruments", func(c *config) { c.Instruments = 8 }},
		// 30 people an hour over 12 hours at 10 a tube gives about 36 tubes per
		// site: few partial plates and lots of a handful of tubes.
		{"quiet day", func(c *config) { c.Rate = 30 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 3; seed++ {
				cfg := defaultConfig()
				tc.edit(&cfg)
				cfg.Seed = seed
				require.NoError(t, cfg.validate())
				checkInvariants(t, run(cfg))
			}
		})
	}
}

// More instruments never make the lots wait longer: the arrivals and swabs are the
// same (common random numbers), and a lot can only start its runs earlier.
func TestMoreInstrumentsDoNotSlowTurnaround(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		cfg := defaultConfig()
		cfg.Seed = seed
		base := run(cfg)
		cfg.Instruments *= 2
		more := run(cfg)

		assert.Equal(t, base.Swabs, more.Swabs, "seed %d: the lab does not change the swabs", seed)
		assert.LessOrEqual(t, more.Turnaround.Mean(), base.Turnaround.Mean()+eps,
			"seed %d: mean turnaround with %d instruments", seed, cfg.Instruments)
		assert.LessOrEqual(t, more.Lab.Wait.Mean, base.Lab.Wait.Mean+eps, "seed %d: mean lab wait", seed)
	}
}

// The number of swabs matches the arrival rate: 6 sites × 110 people/h × 12 h is
// 7,920 people, a Poisson count with standard deviation √7920 ≈ 89; the daily
// profile averages 1, so both shapes must land within 4 standard deviations
// (about 1 in 16,000 to fail by chance, and the seed is fixed).
func TestArrivalRate(t *testing.T) {
	for _, flat := range []bool{false, true} {
		cfg := defaultConfig()
		cfg.Flat = flat
		r := run(cfg)
		total := 0
		for _, n := range r.Swabs {
			total += n
		}
		mean := cfg.Rate * cfg.Close.Sub(cfg.Open).Hours() * float64(cfg.Sites)
		assert.InDelta(t, mean, float64(total), 4*math.Sqrt(mean), "flat=%v", flat)
	}
}

// The profile averages 1, so -rate is the mean rate over the opening hours.
func TestProfileMean(t *testing.T) {
	sum := 0.0
	for _, p := range profile {
		sum += p
	}
	assert.InDelta(t, 1, sum/float64(len(profile)), 1e-12)
}

// A run is a pure function of its configuration: the same seed prints the same
// table, another seed another one.
func TestDeterministic(t *testing.T) {
	text := func(seed uint64) string {
		cfg := defaultConfig()
		cfg.Seed = seed
		var b strings.Builder
		run(cfg).print(&b)
		return b.String()
	}
	a := text(7)
	assert.Equal(t, a, text(7))
	assert.NotEqual(t, a, text(8))
}

// An overloaded lab leaves a backlog at the end of the run, and the books still
// balance: nothing is processed that was not delivered.
func TestOverloadedLab(t *testing.T) {
	cfg := defaultConfig()
	cfg.Instruments = 1
	cfg.Rate = 200
	r := run(cfg)
	assert.Less(t, r.Processed, int64(r.Delivered))
	assert.Less(t, r.Reported, r.Lots)
	assert.Equal(t, "PCR lab", r.Lab.Name)
	assert.Equal(t, cfg.End, r.Lab.To, "the lab's window runs to the end")
	assert.InDelta(t, 1, r.Lab.Utilization, 0.05, "the instrument hardly rests")
	var b strings.Builder
	r.print(&b)
	assert.Contains(t, b.String(), "backlog")
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*config)
		flag string
	}{
		{func(c *config) { c.Sites = 0 }, "-sites"},
		{func(c *config) { c.Booths = -1 }, "-booths"},
		{func(c *config) { c.Instruments = 0 }, "-instruments"},
		{func(c *config) { c.Rate = 0 }, "-rate"},
		{func(c *config) { c.Rate = math.NaN() }, "-rate"},
		{func(c *config) { c.Rate = math.Inf(1) }, "-rate"},
		{func(c *config) { c.Rate = 1e9 }, "-rate"},
		{func(c *config) { c.End = sim.Time(12 * sim.Hour) }, "opening hours"},
	} {
		cfg := defaultConfig()
		tc.edit(&cfg)
		err := cfg.validate()
		if assert.Error(t, err, tc.flag) {
			assert.Contains(t, err.Error(), tc.flag)
		}
	}
	assert.NoError(t, defaultConfig().validate())
}

func TestClock(t *testing.T) {
	for _, tc := range []struct {
		t    sim.Time
		want string
	}{
		{0, "d0 00:00"},
		{sim.Time(8 * sim.Hour), "d0 08:00"},
		{sim.Time(26*sim.Hour + 25*sim.Minute), "d1 02:25"},
		{sim.Time(sim.Day - 10*sim.Second), "d1 00:00"}, // rounds to the minute
	} {
		assert.Equal(t, tc.want, clock(tc.t))
	}
}
