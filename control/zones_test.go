package control

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

func TestZoneLifeCycle(t *testing.T) {
	// Ninth edition rules in a district of three compounds a, b, c. Cases living
	// in a are confirmed on days 1 and 5. By hand: on day 1, a becomes high-risk
	// and b, c medium-risk; the case of day 5 restarts every clock; on day 12 (5 +
	// 7) a steps down to medium and b, c (medium for 7 days) to low; on day 15 (12 +
	// 3) a steps down to low. Lockdown person-days: high, a's 1,000 people × 11
	// days; medium, b and c's 3,000 × 11 days and a's 1,000 × 3 days.
	cfg := quietConfig(0, 0)
	cfg.Population.Areas = []model.Area{{Name: "d", Children: []model.Area{
		{Name: "a", Population: 1000}, {Name: "b", Population: 1000}, {Name: "c", Population: 2000}}}}
	cfg.Imports = model.Imports{Schedule: []model.ImportAt{{Time: 0, Count: 2, Area: "a"}}}
	rc := ResponseConfig{
		Isolation: IsolationConfig{AtHome: true, Stay: sim.FixedDist(10)},
		Zones: ZonesConfig{Enabled: true, HighContacts: 0, MediumContacts: 0.5, Medium: true,
			HighDays: 7, StepToMedium: true, StepDownDays: 3, MediumDays: 7},
	}
	m, err := model.New(cfg, sim.NewStream(1).Key(0), model.Options{Horizon: 20})
	require.NoError(t, err)
	r := NewResponse(rc, nil)
	var log []string
	require.NoError(t, m.Add(r, model.MeasureFunc(func(m *model.Model) error {
		for i, day := range []sim.Time{1, 5} {
			i, day := i, day
			m.Sim().AtFunc(day, model.PriorityTesting, func() {
				inf := m.Infection(i)
				r.OnDetection(m, model.Detection{Person: inf.Person, Infection: inf, Route: "test", Swab: day, Notified: day})
			})
		}
		return nil
	})))
	r.zones.onChange = func(a model.AreaID, from, to int) {
		log = append(log, fmt.Sprintf("day %g %s %d→%d", float64(m.Now()), m.AreaName(a), from, to))
	}
	res := m.Run()
	assert.Equal(t, []string{
		"day 1 a 0→2", "day 1 b 0→1", "day 1 c 0→1",
		"day 12 a 2→1", "day 12 b 1→0", "day 12 c 1→0",
		"day 15 a 1→0",
	}, log)
	assert.Equal(t, 1000.0*11, total(res.Series.Get("lockdown_high")))
	assert.Equal(t, 3000.0*11+1000*3, total(res.Series.Get("lockdown_medium")))
	for a := model.AreaID(0); int(a) < m.Areas(); a++ {
		assert.Equal(t, 1.0, m.AreaContacts(a), "every zone lifted: %s", m.AreaName(a))
	}
}

func TestStaticManagementKeepsZones(t *testing.T) {
	// A district with no sub-areas (taijiang) is a high-risk zone and under static
	// management at once (the first case triggers both; the others live in the
	// locked zone, so they are found in control): the factors multiply, and lifting
	// static management
	// leaves the zone locked.
	cfg := quietConfig(0, 0)
	cfg.Population.Areas = cityConfig().Population.Areas
	cfg.Imports = model.Imports{Schedule: []model.ImportAt{{Count: 3, Area: "taijiang"}}}
	rc := ResponseConfig{
		Isolation: IsolationConfig{AtHome: true, Stay: sim.FixedDist(10)},
		Zones:     ZonesConfig{Enabled: true, HighContacts: 0.2, HighDays: 30},
		Static:    StaticConfig{Enabled: true, Detections: 1, WithinDays: 7, Contacts: 0.5, LiftAfter: 2},
	}
	m, err := model.New(cfg, sim.NewStream(38).Key(0), model.Options{Horizon: 20})
	require.NoError(t, err)
	r := NewResponse(rc, nil)
	require.NoError(t, m.Add(r, detectAt{r: r, after: 1}))
	ta, _ := m.AreaByName("taijiang")
	cs, _ := m.AreaByName("cangshan")
	require.True(t, m.RunUntil(1.5))
	assert.InDelta(t, 0.1, m.AreaContacts(ta), 1e-12, "zone 0.2 × static 0.5")
	assert.InDelta(t, 0.5, m.AreaContacts(cs), 1e-12, "static only")
	require.True(t, m.RunUntil(4))
	assert.InDelta(t, 0.2, m.AreaContacts(ta), 1e-12, "static lifted, zone kept")
	assert.InDelta(t, 1, m.AreaContacts(cs), 1e-12)
}

// blockZonesRun confirms one case at day 1 in a city of 10,000 divided into the
// given leaves, with zones drawn by block (buildings of 200, medium zones of
// 1,000 around the home, contacts × 0.5), and returns the response, the model
// and the case.
func blockZonesRun(t *testing.T, leaves []model.Area) (*Response, *model.Model, model.PersonID) {
	t.Helper()
	cfg := quietConfig(0, 0)
	cfg.Population.Areas = []model.Area{{Name: "d", Children: leaves}}
	cfg.Imports = model.Imports{Schedule: []model.ImportAt{{Time: 0, Count: 1, Area: leaves[0].Name}}}
	rc := ResponseConfig{
		Isolation: IsolationConfig{AtHome: true, Stay: sim.FixedDist(10)},
		Zones: ZonesConfig{Enabled: true, HighContacts: 0, MediumContacts: 0.5, Medium: true,
			HighSize: 200, MediumSize: 1000, HighDays: 7, MediumDays: 7},
	}
	m, err := model.New(cfg, sim.NewStream(2).Key(0), model.Options{Horizon: 20})
	require.NoError(t, err)
	r := NewResponse(rc, nil)
	require.NoError(t, m.Add(r, detectAt{r: r, after: 1}))
	require.True(t, m.RunUntil(1.5))
	return r, m, m.Infection(0).Person
}

func TestZonesByBlock(t *testing.T) {
	// One leaf of 10,000 people: the case's building (the 200 ids of its block,
	// cut from the leaf's first id) is high-risk; the blocks that overlap the
	// 1,000 ids around the home (500 on each side) are medium-risk; the rest of
	// the leaf, low. By hand from the case's id p.
	r, m, p := blockZonesRun(t, []model.Area{{Name: "a", Population: 10000}})
	first := p / 200 * 200
	assert.Equal(t, RiskHigh, r.zones.riskOf(first))
	assert.Equal(t, RiskHigh, r.zones.riskOf(first+199))
	lo, hi := max(0, p-500), min(10000, p+500) // the neighbourhood
	medium := 0
	for b := lo / 200 * 200; b < hi; b += 200 {
		if b != first {
			medium++
			assert.Equal(t, RiskMedium, r.zones.riskOf(b), "block %d", b)
		}
	}
	if lo/200*200 >= 200 {
		assert.Equal(t, RiskLow, r.zones.riskOf(lo/200*200-1), "outside the neighbourhood")
	}
	if e := (hi + 199) / 200 * 200; e < 10000 {
		assert.Equal(t, RiskLow, r.zones.riskOf(e))
	}
	// Contacts: none leaves the building; between two medium-risk residents a
	// contact is kept with 0.5² (10,000 pairs: standard error 0.0043, tolerance
	// 4 of them).
	assert.False(t, r.AllowContact(m, model.Contact{From: first, To: 9999 - first, Layer: model.LayerCity}))
	assert.True(t, r.AllowContact(m, model.Contact{From: first, To: first + 1, Layer: model.LayerHousehold}))
	mb := lo / 200 * 200
	if mb == first {
		mb = (hi - 1) / 200 * 200
	}
	kept := 0
	for i := 0; i < 10000; i++ {
		if r.AllowContact(m, model.Contact{From: mb + model.PersonID(i%200), To: mb + model.PersonID(i/200), Layer: model.LayerCommunity}) {
			kept++
		}
	}
	assert.InDelta(t, 0.25, float64(kept)/10000, 0.017)
	// Lockdown person-days: 200 high and 200 × medium blocks for 7 days.
	res := m.Run()
	assert.Equal(t, 200.0*7, total(res.Series.Get("lockdown_high")))
	assert.Equal(t, 200.0*float64(medium)*7, total(res.Series.Get("lockdown_medium")))
	assert.Equal(t, RiskLow, r.zones.riskOf(first), "lifted after 7 days")
}

func TestBlockZonesIgnoreTheFile(t *testing.T) {
	// The same 10,000 people, the case's leaf a of 2,000 beside the other 8,000
	// as one leaf or as four: the same case (same seed, imported into a) locks
	// the same people for the same days, whatever the division of the others.
	// (Zones by area would put the other 8,000 at medium risk in one file, and
	// four areas of 2,000 in the other.)
	one, _, p1 := blockZonesRun(t, []model.Area{{Name: "a", Population: 2000}, {Name: "rest", Population: 8000}})
	five, _, p5 := blockZonesRun(t, []model.Area{{Name: "a", Population: 2000}, {Name: "b", Population: 2000},
		{Name: "c", Population: 2000}, {Name: "e", Population: 2000}, {Name: "f", Population: 2000}})
	require.Equal(t, p1, p5, "the same case")
	for q := model.PersonID(0); q < 2000; q++ {
		require.Equal(t, one.zones.riskOf(q), five.zones.riskOf(q), "person %d", q)
	}
	high := func(r *Response) float64 { return total(r.m.Result().Series.Get("lockdown_high")) }
	assert.Equal(t, high(one), high(five))
}

func TestZoneQueries(t *testing.T) {
	// What another measure reads of the zones (Response.ZoneRisk, ZoneContacts,
	// ZonePeople), whichever way they are drawn.
	//
	// By block (the case's building of 200 high-risk, the blocks around it
	// medium-risk, as in TestZonesByBlock): the leaf's contact factor stays 1,
	// so Model.AreaContacts cannot tell who is locked; the queries can.
	r, m, p := blockZonesRun(t, []model.Area{{Name: "a", Population: 10000}})
	first := p / 200 * 200
	assert.Equal(t, 1.0, m.AreaContacts(m.AreaOf(p)), "block zones leave the area's factor")
	assert.Equal(t, RiskHigh, r.ZoneRisk(first))
	assert.Equal(t, r.zones.riskOf(first+200), r.ZoneRisk(first+200))
	assert.Equal(t, 0.0, r.ZoneContacts(RiskHigh))
	assert.Equal(t, 0.5, r.ZoneContacts(RiskMedium))
	assert.Equal(t, 1.0, r.ZoneContacts(RiskLow))
	count := map[int]float64{}
	for q := model.PersonID(0); q < 10000; q++ {
		count[r.ZoneRisk(q)]++
	}
	assert.Equal(t, 200.0, r.ZonePeople(RiskHigh))
	assert.Equal(t, count[RiskHigh], r.ZonePeople(RiskHigh))
	assert.Equal(t, count[RiskMedium], r.ZonePeople(RiskMedium))
	assert.Positive(t, r.ZonePeople(RiskMedium))
	assert.Equal(t, 0.0, r.ZonePeople(RiskLow))
	m.Run()
	assert.Equal(t, RiskLow, r.ZoneRisk(first), "lifted after 7 days")
	assert.Equal(t, 0.0, r.ZonePeople(RiskHigh))
	assert.Equal(t, 0.0, r.ZonePeople(RiskMedium))

	// By area (a district of compounds a, b, c; a case in a): a is high-risk,
	// b and c medium-risk, each person by the leaf they live in.
	cfg := quietConfig(0, 0)
	cfg.Population.Areas = []model.Area{{Name: "d", Children: []model.Area{
		{Name: "a", Population: 1000}, {Name: "b", Population: 1000}, {Name: "c", Population: 2000}}}}
	cfg.Imports = model.Imports{Schedule: []model.ImportAt{{Count: 1, Area: "a"}}}
	rc := ResponseConfig{
		Isolation: IsolationConfig{AtHome: true, Stay: sim.FixedDist(10)},
		Zones:     ZonesConfig{Enabled: true, HighContacts: 0.1, MediumContacts: 0.5, Medium: true, HighDays: 7, MediumDays: 7},
	}
	m, err := model.New(cfg, sim.NewStream(1).Key(0), model.Options{Horizon: 20})
	require.NoError(t, err)
	r = NewResponse(rc, nil)
	assert.Equal(t, RiskLow, r.ZoneRisk(0), "not attached")
	assert.Equal(t, 0.0, r.ZonePeople(RiskHigh), "not attached")
	require.NoError(t, m.Add(r, detectAt{r: r, after: 1}))
	require.True(t, m.RunUntil(1.5))
	for _, c := range []struct {
		area  string
		level int
	}{{"a", RiskHigh}, {"b", RiskMedium}, {"c", RiskMedium}} {
		a, _ := m.AreaByName(c.area)
		lo, hi := m.AreaPeople(a)
		assert.Equal(t, c.level, r.ZoneRisk(lo), c.area)
		assert.Equal(t, c.level, r.ZoneRisk(hi-1), c.area)
		assert.Equal(t, m.AreaContacts(a), r.ZoneContacts(c.level), c.area)
	}
	assert.Equal(t, 1000.0, r.ZonePeople(RiskHigh))
	assert.Equal(t, 3000.0, r.ZonePeople(RiskMedium))
}
