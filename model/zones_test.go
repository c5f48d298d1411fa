package model

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	cfg.Population.Areas = []Area{{Name: "d", Children: []Area{
		{Name: "a", Population: 1000}, {Name: "b", Population: 1000}, {Name: "c", Population: 2000}}}}
	cfg.Imports = Imports{Schedule: []ImportAt{{Time: 0, Count: 2, Area: "a"}}}
	rc := ResponseConfig{
		Isolation: IsolationConfig{AtHome: true, Stay: sim.FixedDist(10)},
		Zones: ZonesConfig{Enabled: true, HighContacts: 0, MediumContacts: 0.5, Medium: true,
			HighDays: 7, StepToMedium: true, StepDownDays: 3, MediumDays: 7},
	}
	m, err := New(cfg, sim.NewStream(1).Key(0), Options{Horizon: 20})
	require.NoError(t, err)
	r := NewResponse(rc, nil)
	var log []string
	require.NoError(t, m.Add(r, MeasureFunc(func(m *Model) error {
		for i, day := range []sim.Time{1, 5} {
			i, day := i, day
			m.Sim().AtFunc(day, PriorityTesting, func() {
				inf := m.Infection(i)
				r.OnDetection(m, Detection{Person: inf.Person, Infection: inf, Route: "test", Swab: day, Notified: day})
			})
		}
		return nil
	})))
	r.zones.onChange = func(a AreaID, from, to int) {
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
	for a := AreaID(0); int(a) < m.Areas(); a++ {
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
	cfg.Imports = Imports{Schedule: []ImportAt{{Count: 3, Area: "taijiang"}}}
	rc := ResponseConfig{
		Isolation: IsolationConfig{AtHome: true, Stay: sim.FixedDist(10)},
		Zones:     ZonesConfig{Enabled: true, HighContacts: 0.2, HighDays: 30},
		Static:    StaticConfig{Enabled: true, Detections: 1, WithinDays: 7, Contacts: 0.5, LiftAfter: 2},
	}
	m, err := New(cfg, sim.NewStream(38).Key(0), Options{Horizon: 20})
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
