package model

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

// layerConfig is a city of n people in which only the given layers transmit:
// every case symptomatic, no individual variation, contacts over the generation
// interval.
func layerConfig(n int, l Layers) *Config {
	cfg := sirConfig(n, 0)
	cfg.Population.Layers = l
	cfg.Disease.Infectiousness = Infectiousness{Timing: TimingGeneration, Generation: sim.GammaDist(3, 1.5), AsymptomaticFactor: 1}
	return cfg
}

func TestHouseholdSecondaryAttackRate(t *testing.T) {
	// Households of two: the partner of an index case is infected with the
	// secondary attack rate exactly. 5,000 index cases in a city of 10^7 (they
	// share a household with probability ~0.001); the standard error of the
	// measured rate is 0.007, the tolerance 0.025.
	cfg := layerConfig(10_000_000, Layers{HouseholdSAR: 0.45})
	cfg.Population.HouseholdSize = sim.FixedDist(2)
	cfg.Imports.Initial = 5000
	m, err := New(cfg, sim.NewStream(3).Key(0), Options{})
	require.NoError(t, err)
	res := m.Run()
	hh := total(res.Series.Get("new_infections_household"))
	assert.InDelta(t, 0.45, hh/5000, 0.025)
	for i := 0; i < res.LineList.Len(); i++ {
		inf := res.LineList.At(i)
		if inf.Layer == LayerHousehold {
			assert.EqualValues(t, 1, inf.Generation, "a pair has no third member to infect")
		}
	}
}

func TestHouseholdAttackRateWithVariation(t *testing.T) {
	// The default virus (dispersion 0.33, 35% asymptomatic and half as
	// infectious) in households of two, under every timing: the configured attack
	// rate is the mean over index cases whatever the timing. With the window, a
	// case's contacts grow with its infectious period, and with the viral load
	// with the area of its load above 10^6, which the calibration averages over
	// (exponential periods are the hardest case). 20,000 index cases
	// in a city of 10^8 (two share a household with probability 2·10^-4): the
	// standard error of the measured rate is √(0.45·0.55/20000) = 0.0035; the
	// tolerance is 3 standard errors.
	const cases, sar = 20_000, 0.45
	tol := 3 * math.Sqrt(sar*(1-sar)/cases)
	exp5 := sim.ExponentialDist(5)
	for _, c := range []struct {
		name   string
		timing Timing
		period *sim.Dist // infectious periods, if not the default's
	}{
		{"window, exponential periods", TimingWindow, &exp5},
		{"window, default periods", TimingWindow, nil},
		{"generation", TimingGeneration, nil},
		{"onset", TimingOnset, nil},
		{"viral load", TimingViralLoad, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Population.Areas = []Area{{Name: "city", Population: 100_000_000}}
			cfg.Population.HouseholdSize = sim.FixedDist(2)
			cfg.Population.Layers = Layers{HouseholdSAR: sar}
			cfg.Imports.Initial = cases
			d := &cfg.Disease
			d.Infectiousness.Timing = c.timing
			d.Infectiousness.Generation = sim.GammaDist(3, 1.5)
			// Larremore et al.'s load, whose area above 10^6 varies between cases.
			d.Infectiousness.ViralLoad = ViralLoadConfig{Rise: larremoreRise(), Peak: sim.UniformDist(7, 11),
				ToSix: sim.UniformDist(4, 9), ToSixSymptomatic: sim.UniformDist(4, 9)}
			d.Infectiousness.OnsetAfterPeak = sim.UniformDist(0, 3)
			if c.period != nil {
				d.Presymptomatic = sim.FixedDist(0)
				d.Symptomatic, d.Asymptomatic = *c.period, *c.period
			}
			m, err := New(cfg, sim.NewStream(16).Key(0), Options{})
			require.NoError(t, err)
			res := m.Run()
			got := total(res.Series.Get("new_infections_household")) / cases
			t.Logf("%s: secondary attack rate %.4f (configured %.2f, tolerance %.4f)", c.name, got, sar, tol)
			assert.InDelta(t, sar, got, tol)
		})
	}
}

func TestHouseholdSizes(t *testing.T) {
	// A random person's household is size-biased: with sizes 1, 2, 3 drawn with
	// probabilities 0.5, 0.3, 0.2, a person lives in a household of size s with
	// probability s·h(s)/Σ s·h(s) = 0.5/1.7, 0.6/1.7, 0.6/1.7. Households cover
	// each run of people exactly, so the sizes are consistent for every member.
	cfg := layerConfig(200_000, Layers{})
	cfg.Population.HouseholdSize = sim.EmpiricalDist([]float64{1, 2, 3}, []float64{0.5, 0.3, 0.2})
	m, err := New(cfg, sim.NewStream(4).Key(0), Options{})
	require.NoError(t, err)
	counts := [4]float64{}
	const people = 50_000
	for p := PersonID(0); p < people; p++ {
		first, size := m.Household(p)
		require.True(t, p >= first && p < first+PersonID(size))
		for q := first; q < first+PersonID(size); q++ {
			f2, s2 := m.Household(q)
			require.Equal(t, first, f2)
			require.Equal(t, size, s2)
		}
		counts[size]++
	}
	// Standard error of each share ≈ √(0.35·0.65/50000) ≈ 0.002 (households,
	// not people, are independent: about 0.004); tolerance 0.015.
	for s, want := range map[int]float64{1: 0.5 / 1.7, 2: 0.6 / 1.7, 3: 0.6 / 1.7} {
		assert.InDelta(t, want, counts[s]/people, 0.015, "size %d", s)
	}
}

func TestGroupLayer(t *testing.T) {
	// Only a group layer of groups of about 10, for adults (half the people) of
	// whom 80% take part: every infection is within a group, between two members.
	cfg := layerConfig(100_000, Layers{Groups: []GroupLayer{{Name: "work", R: 3, Size: 10, Ages: []string{"adult"}, Share: 0.8}}})
	cfg.Population.AgeGroups = []AgeGroup{
		{Name: "child", Share: 0.5, Susceptibility: 1, Symptomatic: 1},
		{Name: "adult", Share: 0.5, Susceptibility: 1, Symptomatic: 1},
	}
	cfg.Imports.Initial = 200
	m, err := New(cfg, sim.NewStream(5).Key(0), Options{})
	require.NoError(t, err)
	res := m.Run()
	g := &m.city.groups[0]
	assert.EqualValues(t, 20, g.slots, "10 members / 0.5 eligible")
	assert.EqualValues(t, 25, g.block, "20 places / 0.8 taking part")
	members := map[int64]int{}
	n := 0
	for i := 0; i < res.LineList.Len(); i++ {
		inf := res.LineList.At(i)
		if inf.Layer == LayerImport {
			continue
		}
		n++
		require.Equal(t, LayerGroup, inf.Layer)
		lo, _, _ := m.city.groupBlock(g, inf.Person)
		lo2, _, _ := m.city.groupBlock(g, inf.Infector)
		require.Equal(t, lo2, lo, "same group")
		require.True(t, m.city.inGroup(g, inf.Person, inf.Age), "the target takes part")
		require.EqualValues(t, 1, inf.Age, "only adults")
		members[lo]++
	}
	require.Greater(t, n, 300)
	for lo, c := range members {
		assert.LessOrEqual(t, c, int(g.slots), "group at %d: no more infections than places", lo)
	}
	// The permutation is a bijection.
	for x := uint64(0); x < 1000; x++ {
		assert.Equal(t, x, g.perm.inverse(g.perm.forward(x)))
		assert.Less(t, g.perm.forward(x), uint64(100_000))
	}
}

func TestSmallGroupLayerKeepsItsR(t *testing.T) {
	// A layer that 2% of the city belongs to (care homes of 50): a member's group
	// contacts still reach R = 2 fellow members on average. 50,000 index cases
	// include about 1,000 members; their mean offspring has a standard error of
	// about √2/√1000 = 0.045; 0.5% of the city is infected at the start, and the
	// chains within a group of 50 take a few percent off; the tolerance is 0.15.
	cfg := layerConfig(10_000_000, Layers{Groups: []GroupLayer{{Name: "care", R: 2, Size: 50, Share: 0.02}}})
	cfg.Imports.Initial = 50_000
	m, err := New(cfg, sim.NewStream(12).Key(0), Options{Horizon: 30})
	require.NoError(t, err)
	res := m.Run()
	g := &m.city.groups[0]
	var members, offspring float64
	for i := 0; i < res.LineList.Len(); i++ {
		inf := res.LineList.At(i)
		if inf.Layer == LayerImport && m.city.inGroup(g, inf.Person, inf.Age) {
			members++
			offspring += float64(inf.Offspring)
		}
	}
	require.Greater(t, members, 800.0)
	t.Logf("%.0f member index cases, mean offspring %.3f", members, offspring/members)
	assert.InDelta(t, 2, offspring/members, 0.15)
}

func TestCityMixingByDistrict(t *testing.T) {
	cfg := layerConfig(0, Layers{City: 1.5})
	cfg.Population.Areas = []Area{{Name: "a", Population: 300_000}, {Name: "b", Population: 100_000}}
	cfg.Imports = Imports{Initial: 50, Area: "a"}
	for _, within := range []float64{1, 0} {
		cfg.Population.Layers.CityWithinDistrict = within
		m, err := New(cfg, sim.NewStream(6).Key(0), Options{MaxInfections: 5000})
		require.NoError(t, err)
		res := m.Run()
		cross, all := 0.0, 0.0
		for i := 0; i < res.LineList.Len(); i++ {
			inf := res.LineList.At(i)
			if inf.Layer != LayerCity {
				continue
			}
			all++
			if m.AreaOf(inf.Person) != m.AreaOf(inf.Infector) {
				cross++
			}
		}
		if within == 1 {
			assert.Zero(t, cross, "all city contacts within the district")
		} else {
			// A random person of the city is in the other district with probability
			// 1/4 or 3/4; once the epidemic has spread to both, about 2·(3/4)(1/4)
			// of contacts cross, after a start in a. Loose bounds.
			assert.InDelta(t, 0.4, cross/all, 0.15)
		}
	}
}

// confineAll confines every case at c the moment it is infected.
type confineAll struct{ c Confinement }

func (x confineAll) Attach(m *Model) error { m.Observe(x); return nil }

func (x confineAll) OnInfection(m *Model, inf *Infection) { m.Confine(inf.Person, x.c) }

func TestConfinementAndAreaContacts(t *testing.T) {
	cfg := cityConfig()
	run := func(ms ...Measure) *Result {
		m, err := New(cfg, sim.NewStream(8).Key(0), Options{Horizon: 100})
		require.NoError(t, err)
		require.NoError(t, m.Add(ms...))
		return m.Run()
	}
	free := run()
	home := run(confineAll{Home})
	facility := run(confineAll{Facility})
	imports := metric(t, free, "imports")
	assert.Equal(t, imports, metric(t, facility, "infections"), "isolated at once: no one else is infected")
	require.Greater(t, metric(t, home, "infections"), imports)
	for i := 0; i < home.LineList.Len(); i++ {
		if l := home.LineList.At(i).Layer; l != LayerImport {
			assert.Equal(t, LayerHousehold, l, "home confinement: household contacts only")
		}
	}
	assert.Greater(t, metric(t, free, "infections"), metric(t, home, "infections"))

	// A full lockdown of district gulou from day 0: nobody living there meets
	// anyone outside their household, nor anyone from elsewhere.
	lock := MeasureFunc(func(m *Model) error {
		a, ok := m.AreaByName("gulou")
		require.True(t, ok)
		m.SetAreaContacts(a, 0)
		m.Observe(lockCheck{t: t, area: a})
		return nil
	})
	locked := run(lock)
	assert.Less(t, metric(t, locked, "infections"), metric(t, free, "infections"))
}

// lockCheck asserts that no contact outside the household involves the locked area.
type lockCheck struct {
	t    *testing.T
	area AreaID
}

func (c lockCheck) OnInfection(m *Model, inf *Infection) {
	if inf.Layer == LayerImport || inf.Layer == LayerHousehold {
		return
	}
	lo, hi := m.AreaPeople(c.area)
	in := func(p PersonID) bool { return p >= lo && p < hi }
	assert.False(c.t, in(inf.Person) || in(inf.Infector), "contact across the lockdown: %+v", *inf)
}

func TestFixedHouseholdsAsDrawn(t *testing.T) {
	// A fixed household size is read off a person's number; it gives the
	// households the drawing gives with the same size every time (an
	// empirical distribution of one value), runs of 512 people cut short
	// included.
	for _, k := range []float64{1, 3, 7} {
		fixed := DefaultConfig().Population
		fixed.Areas = []Area{{Name: "a", Population: 1300}, {Name: "b", Population: 700, Communities: 2}}
		drawn := fixed
		fixed.HouseholdSize = sim.FixedDist(k)
		drawn.HouseholdSize = sim.EmpiricalDist([]float64{k}, []float64{1})
		cf, cd := newCity(&fixed, sim.NewStream(5)), newCity(&drawn, sim.NewStream(5))
		require.Equal(t, cd.n, cf.n)
		for p := PersonID(0); p < PersonID(cf.n); p++ {
			f1, s1 := cf.household(p)
			f2, s2 := cd.household(p)
			require.Equal(t, [2]int{int(f2), s2}, [2]int{int(f1), s1}, "size %v, person %d", k, p)
		}
	}
}
