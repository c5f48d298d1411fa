package control

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// ZonesConfig is the designation of risk zones (中高风险区) around cases. A zone
// steps down when no case living in it has been confirmed for the configured
// days.
//
// Zones are drawn in one of two ways:
//
//   - By block (HighSize > 0): the high-risk zone is the block of HighSize
//     residents that holds the case's home (a building or unit: blocks are cut
//     from the person ids of the case's leaf area, which are contiguous and hold
//     whole households), and, with Medium, the medium-risk zone is the
//     neighbourhood of about MediumSize residents around the case's home (the
//     blocks that overlap it) and the groups the case belongs to (its
//     workplace, school class or care home), not the rest of an
//     administrative area. The
//     zones do not depend on how the city file divides the city.
//   - By area (HighSize 0): the leaf area (community) where a confirmed case
//     lives becomes high-risk and, with Medium, the other leaf areas of the same
//     parent medium-risk.
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
	// HighSize, if > 0, draws zones by block: a high-risk zone is the block of
	// HighSize residents (a building or unit) that holds the case's home; 0
	// draws them by leaf area.
	HighSize int `yaml:"high_size"`
	// MediumSize is, with HighSize and Medium, the number of residents around a
	// case's home (half on each side in the person-id range of its leaf area)
	// whose blocks become medium-risk, with the members of the case's groups
	// (workplace, school class, care home): the places the case lived, worked
	// and studied. It must be at least HighSize.
	MediumSize int `yaml:"medium_size"`
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

// validate checks the zones, reporting problems under path.
func (z *ZonesConfig) validate(path string, ck *sim.Checker) {
	if !z.Enabled {
		return
	}
	ck.Prob(path+".high_contacts", z.HighContacts)
	ck.Prob(path+".medium_contacts", z.MediumContacts)
	ck.Duration(path+".high_days", z.HighDays, true)
	if z.Medium {
		ck.Duration(path+".medium_days", z.MediumDays, true)
	}
	if z.StepToMedium {
		ck.Duration(path+".step_down_days", z.StepDownDays, true)
	}
	if z.HighSize < 0 {
		ck.Bad(path+".high_size", "must be ≥ 0, got %d", z.HighSize)
	}
	switch {
	case z.MediumSize < 0:
		ck.Bad(path+".medium_size", "must be ≥ 0, got %d", z.MediumSize)
	case z.MediumSize > 0 && z.HighSize == 0:
		ck.Bad(path+".medium_size", "needs high_size (zones drawn by block), got %d", z.MediumSize)
	case z.HighSize > 0 && z.Medium && z.MediumSize < z.HighSize:
		ck.Bad(path+".medium_size", "must be at least high_size (%d) with medium zones, got %d", z.HighSize, z.MediumSize)
	}
}

// Zone risk levels.
const (
	RiskLow = iota
	RiskMedium
	RiskHigh
)

// zone is one zone's state: a leaf area, or a block of people.
type zone struct {
	area   model.AreaID   // the leaf area, or -1 for a block or a group
	lo, hi model.PersonID // the people living in it (a block or an area)
	people float64        // the people in it
	risk   int
	last   sim.Time // the last confirmed case living there
	gen    int      // changes of level, to ignore stale step-downs
}

// zones is the state of risk zones in a run.
type zones struct {
	cfg          ZonesConfig
	m            *model.Model
	areas        []zone                   // by area (leaf areas only are used)
	leaves       []model.AreaID           // the leaf areas
	blocks       map[model.PersonID]*zone // blocks by their first person
	blockSize    int                      // the size blocks were cut with
	groups       map[groupZone]*zone      // medium zones on workplaces, schools
	active       int                      // blocks above low risk
	high, medium model.Daily
	inZone       [RiskHigh + 1]float64              // the people in zones at medium and high risk now, as high and medium count them
	onChange     func(a model.AreaID, from, to int) // for tests (zones by area)
	static       float64                            // the factor of static management on top-level areas (1: none)
	restriction  sim.Stream                         // draws of contacts kept under block zones
}

// apply sets the contact factor of area a: its zone's, times static
// management's for a top-level area.
func (z *zones) apply(a model.AreaID) {
	f := z.factor(z.areas[a].risk)
	if z.m.AreaParent(a) < 0 {
		f *= z.static
	}
	z.m.SetAreaContacts(a, f)
}

// factor is the contact factor of a zone at a level.
func (z *zones) factor(level int) float64 {
	switch level {
	case RiskHigh:
		return z.cfg.HighContacts
	case RiskMedium:
		return z.cfg.MediumContacts
	}
	return 1
}

// setStatic puts static management's factor on every top-level area (1 lifts it).
func (z *zones) setStatic(f float64) {
	z.static = f
	for a := range z.areas {
		if z.m.AreaParent(model.AreaID(a)) < 0 {
			z.apply(model.AreaID(a))
		}
	}
}

func newZones(cfg ZonesConfig, m *model.Model) *zones {
	z := &zones{cfg: cfg, m: m, static: 1, blocks: map[model.PersonID]*zone{}, blockSize: cfg.HighSize,
		groups: map[groupZone]*zone{}}
	n := m.Areas()
	z.areas = make([]zone, n)
	z.leaves = m.Leaves()
	for a := range z.areas {
		lo, hi := m.AreaPeople(model.AreaID(a))
		z.areas[a] = zone{area: model.AreaID(a), lo: lo, hi: hi, people: float64(hi - lo)}
	}
	z.high = m.NewLevel("lockdown_high")
	z.medium = m.NewLevel("lockdown_medium")
	z.restriction = m.Stream("zones")
	return z
}

// byBlock reports whether zones are drawn by block.
func (z *zones) byBlock() bool { return z.cfg.HighSize > 0 }

// block returns the block of size blockSize that holds person p, creating it.
func (z *zones) block(p model.PersonID) *zone {
	lo, hi := z.m.AreaPeople(z.m.AreaOf(p))
	first := lo + (p-lo)/model.PersonID(z.blockSize)*model.PersonID(z.blockSize)
	b := z.blocks[first]
	if b == nil {
		b = &zone{area: -1, lo: first, hi: min(hi, first+model.PersonID(z.blockSize))}
		b.people = float64(b.hi - b.lo)
		z.blocks[first] = b
	}
	return b
}

// groupZone names the group of a group layer that is a zone.
type groupZone struct {
	layer int
	id    int64
}

// riskOf returns the level of the zone person p lives in.
func (z *zones) riskOf(p model.PersonID) int {
	if !z.byBlock() {
		return z.areas[z.m.AreaOf(p)].risk
	}
	if z.active == 0 {
		return RiskLow
	}
	lo, _ := z.m.AreaPeople(z.m.AreaOf(p))
	first := lo + (p-lo)/model.PersonID(z.blockSize)*model.PersonID(z.blockSize)
	level := RiskLow
	if b := z.blocks[first]; b != nil {
		level = b.risk
	}
	if len(z.groups) > 0 && level < RiskHigh {
		for l := range z.m.Config().Population.Layers.Groups {
			if id, ok := z.m.GroupOf(p, l); ok {
				if g := z.groups[groupZone{l, id}]; g != nil {
					level = max(level, g.risk)
				}
			}
		}
	}
	return level
}

// anyActive reports whether a zone is above low risk.
func (z *zones) anyActive() bool {
	if z.active > 0 {
		return true
	}
	for a := range z.areas {
		if z.areas[a].risk != RiskLow {
			return true
		}
	}
	return false
}

// allow decides whether a contact outside the household between from and to
// takes place under block zones: it is kept with the product of their zones'
// factors, drawn from the pair's key.
func (z *zones) allow(c model.Contact) bool {
	if z.active == 0 || c.Layer == model.LayerHousehold {
		return true
	}
	f := z.factor(z.riskOf(c.From)) * z.factor(z.riskOf(c.To))
	if f >= 1 {
		return true
	}
	return z.restriction.Key(uint64(c.From)).Key(uint64(c.To)).Float64() < f
}

// setRisk moves zone x to a level, with its contact factor and its lockdown
// person-days.
func (z *zones) setRisk(x *zone, level int) {
	old := x.risk
	if old == level {
		return
	}
	m := z.m
	now := m.Now()
	people := x.people
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
	if old != RiskLow {
		z.inZone[old] -= people
	}
	if level != RiskLow {
		z.inZone[level] += people
	}
	x.risk = level
	x.gen++
	if x.area >= 0 {
		z.apply(x.area)
		if z.onChange != nil {
			z.onChange(x.area, old, level)
		}
		return
	}
	switch {
	case old == RiskLow:
		z.active++
	case level == RiskLow:
		z.active--
	}
}

// caseAt records a confirmed case living at person p's home: its zone becomes
// (or stays) high-risk and the zones around it medium-risk, and their step-down
// clocks start again.
func (z *zones) caseAt(p model.PersonID) {
	m := z.m
	if !z.byBlock() {
		z.caseIn(m.AreaOf(p))
		return
	}
	if z.cfg.HighSize != z.blockSize {
		panic(fmt.Sprintf("model: zones cut in blocks of %d, asked for %d", z.blockSize, z.cfg.HighSize))
	}
	now := m.Now()
	b := z.block(p)
	b.last = now
	z.setRisk(b, RiskHigh)
	z.scheduleStepDown(b, z.cfg.HighDays)
	if !z.cfg.Medium {
		return
	}
	lo, hi := m.AreaPeople(m.AreaOf(p))
	half := model.PersonID(z.cfg.MediumSize / 2)
	from, to := max(lo, p-half), min(hi, p-half+model.PersonID(z.cfg.MediumSize))
	for q := from; q < to; {
		nb := z.block(q)
		if nb != b && nb.risk < RiskHigh {
			z.markMedium(nb)
		}
		q = nb.hi
	}
	// The places the case worked or studied: its groups (a workplace, a
	// school class, an elder-care home), whose members stay in the zone.
	for l, gl := range m.Config().Population.Layers.Groups {
		id, ok := m.GroupOf(p, l)
		if !ok {
			continue
		}
		k := groupZone{l, id}
		g := z.groups[k]
		if g == nil {
			g = &zone{area: -1, people: float64(gl.Size)}
			z.groups[k] = g
		}
		z.markMedium(g)
	}
}

// markMedium designates zone x medium-risk now and starts its clock again.
func (z *zones) markMedium(x *zone) {
	x.last = z.m.Now()
	z.setRisk(x, RiskMedium)
	z.scheduleStepDown(x, z.cfg.MediumDays)
}

// caseIn records a confirmed case living in leaf area a (zones by area): the
// area becomes (or stays) high-risk and its neighbours medium-risk, and their
// step-down clocks start again.
func (z *zones) caseIn(a model.AreaID) {
	m := z.m
	x := &z.areas[a]
	x.last = m.Now()
	z.setRisk(x, RiskHigh)
	z.scheduleStepDown(x, z.cfg.HighDays)
	if !z.cfg.Medium {
		return
	}
	parent := m.AreaParent(a)
	if parent < 0 {
		return
	}
	for _, leaf := range z.leaves {
		if leaf != a && m.AreaParent(leaf) == parent && z.areas[leaf].risk < RiskHigh {
			z.markMedium(&z.areas[leaf])
		}
	}
}

// scheduleStepDown checks zone x after d: if its level has not changed since
// and no case has come, it steps down.
func (z *zones) scheduleStepDown(x *zone, d sim.Duration) {
	gen, last := x.gen, x.last
	z.m.Sim().AtFunc(last.Add(d), model.PriorityPolicy, func() {
		if x.gen != gen || x.last != last {
			return // a newer case or change has its own check
		}
		switch x.risk {
		case RiskHigh:
			if z.cfg.StepToMedium && z.cfg.Medium {
				z.setRisk(x, RiskMedium)
				x.last = z.m.Now()
				z.scheduleStepDown(x, z.cfg.StepDownDays)
			} else {
				z.setRisk(x, RiskLow)
			}
		case RiskMedium:
			z.setRisk(x, RiskLow)
		}
	})
}

// switchTo takes the rules of new zones: zones of a kind they do not have are
// lifted, the others take their contact factors. Blocks cut at another size
// are lifted too (the new rules draw their own).
func (z *zones) switchTo(cfg ZonesConfig) {
	z.cfg = cfg
	lift := func(x *zone) bool {
		return !cfg.Enabled || x.risk == RiskMedium && !cfg.Medium
	}
	for a := range z.areas {
		x := &z.areas[a]
		switch {
		case x.risk == RiskLow:
		case lift(x):
			z.setRisk(x, RiskLow)
		default:
			z.apply(model.AreaID(a))
		}
	}
	var keys []groupZone
	for k, g := range z.groups {
		if g.risk != RiskLow && lift(g) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b groupZone) int {
		if a.layer != b.layer {
			return a.layer - b.layer
		}
		return cmp.Compare(a.id, b.id)
	})
	for _, k := range keys {
		z.setRisk(z.groups[k], RiskLow)
	}
	resize := cfg.HighSize != z.blockSize
	// Lift in the order of the blocks' first person, never by map order.
	var firsts []model.PersonID
	for first, b := range z.blocks {
		if b.risk != RiskLow && (resize || lift(b)) {
			firsts = append(firsts, first)
		}
	}
	slices.Sort(firsts)
	for _, f := range firsts {
		z.setRisk(z.blocks[f], RiskLow)
	}
	if resize && cfg.HighSize > 0 {
		z.blocks = map[model.PersonID]*zone{}
		z.blockSize = cfg.HighSize
	}
}
