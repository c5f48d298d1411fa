package model

import (
	"math"

	"github.com/epiplan/epiplan/sim"
)

// ZonesConfig is the designation of risk zones (中高风险区) around cases: the
// leaf area (community, compound) where a confirmed case lives becomes high-risk
// (stay at home); with Medium, the other leaf areas of the same parent become
// medium-risk (stay in the area). A zone steps down when no case living in it has
// been confirmed for the configured days.
type ZonesConfig struct {
	// Enabled turns zones on.
	Enabled bool `yaml:"enabled"`
	// HighContacts is the factor that scales the outings of a high-risk zone's
	// residents (see [Model.SetAreaContacts]), in [0, 1]: 0 is stay at home.
	HighContacts float64 `yaml:"high_contacts"`
	// MediumContacts is the factor that scales the outings of a medium-risk
	// zone's residents, in [0, 1].
	MediumContacts float64 `yaml:"medium_contacts"`
	// Medium designates medium-risk zones around high-risk ones.
	Medium bool `yaml:"medium"`
	// HighDays is the time without a new case before a high-risk zone steps
	// down: to medium-risk if StepToMedium (ninth edition: 7 days, then 3 more
	// as medium), else to low (twenty measures: 5 days).
	HighDays sim.Duration `yaml:"high_days"`
	// StepToMedium makes a high-risk zone step down to medium-risk (for
	// StepDownDays) rather than to low; it needs Medium.
	StepToMedium bool `yaml:"step_to_medium"`
	// MediumDays is the time without a new case before a medium-risk zone steps
	// down to low (ninth edition: 7 days for a zone designated medium, 3 for one
	// stepped down from high: StepDownDays).
	MediumDays sim.Duration `yaml:"medium_days"`
	// StepDownDays is the time without a new case before a zone stepped down
	// from high to medium steps down to low (ninth edition: 3 days).
	StepDownDays sim.Duration `yaml:"step_down_days"`
}

// Zone risk levels.
const (
	RiskLow = iota
	RiskMedium
	RiskHigh
)

// zones is the state of risk zones in a run.
type zones struct {
	cfg          ZonesConfig
	m            *Model
	risk         []int      // by area: its level (leaf areas only)
	last         []sim.Time // by area: the last confirmed case living there
	gen          []int      // by area: changes of level, to ignore stale step-downs
	high, medium Daily
	onChange     func(a AreaID, from, to int) // for tests
	static       float64                      // the factor of static management on top-level areas (1: none)
}

// apply sets the contact factor of area a: its zone's, times static
// management's for a top-level area.
func (z *zones) apply(a AreaID) {
	f := 1.0
	switch z.risk[a] {
	case RiskHigh:
		f = z.cfg.HighContacts
	case RiskMedium:
		f = z.cfg.MediumContacts
	}
	if z.m.city.areas[a].parent < 0 {
		f *= z.static
	}
	z.m.SetAreaContacts(a, f)
}

// setStatic puts static management's factor on every top-level area (1 lifts it).
func (z *zones) setStatic(f float64) {
	z.static = f
	for a := range z.m.city.areas {
		if z.m.city.areas[a].parent < 0 {
			z.apply(AreaID(a))
		}
	}
}

func newZones(cfg ZonesConfig, m *Model) *zones {
	z := &zones{cfg: cfg, m: m, static: 1}
	n := m.Areas()
	z.risk = make([]int, n)
	z.last = make([]sim.Time, n)
	z.gen = make([]int, n)
	z.high = m.NewLevel("lockdown_high")
	z.medium = m.NewLevel("lockdown_medium")
	return z
}

// setRisk moves leaf area a to a level, with its contact factor and its
// lockdown person-days.
func (z *zones) setRisk(a AreaID, level int) {
	old := z.risk[a]
	if old == level {
		return
	}
	m := z.m
	now := m.Now()
	lo, hi := m.AreaPeople(a)
	people := float64(hi - lo)
	inf := sim.Time(math.Inf(1))
	switch old {
	case RiskHigh:
		m.Level(z.high, now, inf, -people)
	case RiskMedium:
		m.Level(z.medium, now, inf, -people)
	}
	switch level {
	case RiskHigh:
		m.Level(z.high, now, inf, people)
	case RiskMedium:
		m.Level(z.medium, now, inf, people)
	}
	z.risk[a] = level
	z.apply(a)
	z.gen[a]++
	if z.onChange != nil {
		z.onChange(a, old, level)
	}
}

// caseIn records a confirmed case living in leaf area a: the area becomes (or
// stays) high-risk and its neighbours medium-risk, and their step-down clocks
// start again.
func (z *zones) caseIn(a AreaID) {
	m := z.m
	now := m.Now()
	z.last[a] = now
	z.setRisk(a, RiskHigh)
	z.scheduleStepDown(a, z.cfg.HighDays)
	if !z.cfg.Medium {
		return
	}
	parent := m.city.areas[a].parent
	if parent < 0 {
		return
	}
	for _, leaf := range m.city.leaves {
		if leaf != a && m.city.areas[leaf].parent == parent && z.risk[leaf] < RiskHigh {
			z.last[leaf] = now
			z.setRisk(leaf, RiskMedium)
			z.scheduleStepDown(leaf, z.cfg.MediumDays)
		}
	}
}

// scheduleStepDown checks area a after d: if its level has not changed since
// and no case has come, it steps down.
func (z *zones) scheduleStepDown(a AreaID, d sim.Duration) {
	gen, last := z.gen[a], z.last[a]
	z.m.sim.AtFunc(last.Add(d), PriorityPolicy, func() {
		if z.gen[a] != gen || z.last[a] != last {
			return // a newer case or change has its own check
		}
		switch z.risk[a] {
		case RiskHigh:
			if z.cfg.StepToMedium && z.cfg.Medium {
				z.setRisk(a, RiskMedium)
				z.last[a] = z.m.Now()
				z.scheduleStepDown(a, z.cfg.StepDownDays)
			} else {
				z.setRisk(a, RiskLow)
			}
		case RiskMedium:
			z.setRisk(a, RiskLow)
		}
	})
}
