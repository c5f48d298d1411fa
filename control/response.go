package control

import (
	"fmt"
	"math"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// ResponseConfig is the public-health response to the cases that testing finds:
// isolation and transfer (应转尽转、应隔尽隔), contact tracing (流调溯源) and the
// quarantine of close contacts (应管尽管). See [NewResponse].
type ResponseConfig struct {
	// Isolation is what happens to a confirmed case: home isolation, transfer,
	// an isolation bed, hospital care.
	Isolation IsolationConfig `yaml:"isolation"`
	// Tracing is the search for a case's close contacts.
	Tracing TracingConfig `yaml:"tracing"`
	// Quarantine is what happens to the close contacts found.
	Quarantine QuarantineConfig `yaml:"quarantine"`
	// Zones are the high- and medium-risk zones drawn around cases.
	Zones ZonesConfig `yaml:"zones"`
	// Static is city-wide static management on a trigger.
	Static StaticConfig `yaml:"static"`
	// From and Until bound the response in time: cases detected before From or
	// from Until on are counted but not acted on, so that a strategy can give way
	// to another on a date (the twenty measures took effect on 11 November 2022).
	From sim.Time `yaml:"from"`
	// Until is when the response stops acting on new cases; 0 means never.
	Until sim.Time `yaml:"until"`
}

// StaticConfig is city-wide static management (全域静默): when the community
// detections of the last WithinDays days reach Detections, every area's contacts
// are scaled by Contacts until LiftAfter days pass without a community detection.
type StaticConfig struct {
	// Enabled turns static management on.
	Enabled bool `yaml:"enabled"`
	// Detections is the number of community detections, within WithinDays,
	// that puts the city under static management (≥ 1).
	Detections int `yaml:"detections"`
	// WithinDays is the window over which community detections are counted.
	WithinDays sim.Duration `yaml:"within_days"`
	// Contacts is the factor that scales everyone's outings (contacts outside
	// the household) while static management lasts, in [0, 1] (0: everyone at
	// home).
	Contacts float64 `yaml:"contacts"`
	// LiftAfter is the time without a community detection after which static
	// management is lifted.
	LiftAfter sim.Duration `yaml:"lift_after"`
}

// IsolationConfig is the isolation of confirmed cases: at home from notification,
// then in a facility (fangcang shelter, hospital) after transfer.
type IsolationConfig struct {
	// AtHome keeps cases isolated at home, with no transfer (mitigation).
	AtHome bool `yaml:"at_home"`
	// Delay is the time from notification to the request for transfer.
	Delay sim.Dist `yaml:"delay"`
	// Vehicles is the number of transfers under way at once (0: no limit), each
	// taking Trip; cases wait for a free vehicle in order.
	Vehicles int `yaml:"vehicles"`
	// Trip is how long a transfer takes, from the vehicle's departure to the
	// case's admission.
	Trip sim.Duration `yaml:"trip"`
	// Beds is the number of isolation beds (0: no limit). A case who finds no bed
	// stays isolated at home, and is counted.
	Beds int `yaml:"beds"`
	// Stay is the time from admission to discharge.
	Stay sim.Dist `yaml:"stay"`
	// HospitalBeds is the number of hospital beds for severe cases (0: no limit):
	// a severe case occupies one from the onset of severe disease to its outcome;
	// one who finds none is counted.
	HospitalBeds int `yaml:"hospital_beds"`
}

// TracingConfig is contact tracing: every confirmed case opens an investigation
// that finds its close contacts.
type TracingConfig struct {
	// Enabled turns tracing on.
	Enabled bool `yaml:"enabled"`
	// Investigators is the number of people who investigate cases (0: no
	// limit); cases wait their turn in order of notification, never dropped.
	Investigators int `yaml:"investigators"`
	// CasesPerDay is the number of cases one investigator completes in a day.
	CasesPerDay float64 `yaml:"cases_per_day"`
	// Prioritize investigates cases found in the community before those found
	// in quarantine or isolation.
	Prioritize bool `yaml:"prioritize"`
	// Delay is the time from notification to the start of the investigation.
	Delay sim.Dist `yaml:"delay"`
	// Lookback is how far before symptom onset (or the swab, for a case without
	// symptoms) contacts count: 2 days in the ninth edition protocol.
	Lookback sim.Duration `yaml:"lookback"`
	// Find is the probability of finding a close contact, by layer.
	Find LayerProbs `yaml:"find"`
	// ContactsPerDay is the number of close contacts a case has each day outside
	// its household, by layer: the uninfected among them are quarantined and
	// tested as volume.
	ContactsPerDay LayerCounts `yaml:"contacts_per_day"`
	// SecondRing, if set, is the quarantine of the contacts of close contacts
	// (次密接; ninth edition: 7 days at home, tested on days 1, 4 and 7). They
	// are drawn as the close contacts are, one step further: the household of
	// each close contact and the people it met outside it (ContactsPerDay)
	// from its exposure until it is found, each found with the probability of
	// the layer (Find), whether infected or not.
	SecondRing *QuarantineConfig `yaml:"second_ring"`
}

// LayerProbs is a probability for each kind of contact layer.
type LayerProbs struct {
	Household float64 `yaml:"household"` // members of the case's household
	Community float64 `yaml:"community"` // contacts in the case's community (leaf area)
	City      float64 `yaml:"city"`      // contacts anywhere in the city
	Group     float64 `yaml:"group"`     // contacts in every group layer (work, school, care home)
}

// LayerCounts is a count for each kind of contact layer outside the household.
type LayerCounts struct {
	Community float64 `yaml:"community"` // in the case's community (leaf area)
	City      float64 `yaml:"city"`      // anywhere in the city
	Group     float64 `yaml:"group"`     // in the case's groups (work, school, care home)
}

// QuarantineConfig is the quarantine of close contacts: centralized in rooms,
// then at home, with tests on given days.
type QuarantineConfig struct {
	// Centralized is the time in a quarantine room (ninth edition: 7 days;
	// twenty measures: 5).
	Centralized sim.Duration `yaml:"centralized"`
	// Home is the time at home after it (3 days in both).
	Home sim.Duration `yaml:"home"`
	// Rooms is the number of quarantine rooms (0: no limit); contacts who find
	// no room are quarantined at home, and counted.
	Rooms int `yaml:"rooms"`
	// Tests are the days of quarantine, counted from its start, on which contacts
	// are tested (ninth edition: 1, 2, 3, 5, 7 and day 3 at home, that is 10).
	Tests []sim.Duration `yaml:"tests"`
	// Compliance is the share of contacts who keep to quarantine at home, in [0,
	// 1]; 0 means everyone. The others go about as usual (a room is not left to
	// choice).
	Compliance float64 `yaml:"compliance"`
}

// Response is a run's response to detected cases, a [Measure]: build one per run
// with [NewResponse] and add it after the run's [Testing], which it uses to test
// people in quarantine.
type Response struct {
	cfg     ResponseConfig
	m       *model.Model
	testing *Testing
	draws   draws
	zones   *zones

	// The parts of the response, each with its own state.
	isolation   isolation
	tracing     tracing
	quarantines quarantines
	staticMgmt  staticManagement

	isolated  map[model.PersonID]bool     // confirmed cases, isolated
	caseRef   map[model.PersonID]sim.Time // a case's reference time: onset, or its swab
	inControl map[model.PersonID]bool     // cases found while confined
	notified  map[model.PersonID]sim.Time // when each case was notified

	foundInControl, community model.Daily
}

// NewResponse returns the response described by cfg, using testing for the tests
// of people in quarantine (nil: no tests).
func NewResponse(cfg ResponseConfig, testing *Testing) *Response {
	r := &Response{cfg: cfg, testing: testing}
	r.isolation.Response = r
	r.tracing.Response = r
	r.quarantines.Response = r
	r.staticMgmt.Response = r
	return r
}

// validate checks the configuration.
func (c *ResponseConfig) validate() error {
	var ck sim.Checker
	is := &c.Isolation
	if !is.AtHome {
		ck.Dist("response.isolation.delay", is.Delay, false)
		if is.Vehicles < 0 {
			ck.Bad("response.isolation.vehicles", "must be ≥ 0, got %d", is.Vehicles)
		}
		ck.Duration("response.isolation.trip", is.Trip, false)
		if is.Beds < 0 {
			ck.Bad("response.isolation.beds", "must be ≥ 0, got %d", is.Beds)
		}
	}
	if is.HospitalBeds < 0 {
		ck.Bad("response.isolation.hospital_beds", "must be ≥ 0, got %d", is.HospitalBeds)
	}
	ck.Dist("response.isolation.stay", is.Stay, false)
	c.Zones.validate("response.zones", &ck)
	tr := &c.Tracing
	if tr.Enabled {
		if tr.Investigators < 0 {
			ck.Bad("response.tracing.investigators", "must be ≥ 0, got %d", tr.Investigators)
		}
		if tr.Investigators > 0 && !(tr.CasesPerDay > 0) {
			ck.Bad("response.tracing.cases_per_day", "must be > 0 with investigators, got %v", tr.CasesPerDay)
		}
		ck.Dist("response.tracing.delay", tr.Delay, false)
		ck.Duration("response.tracing.lookback", tr.Lookback, false)
		ck.Prob("response.tracing.find.household", tr.Find.Household)
		ck.Prob("response.tracing.find.community", tr.Find.Community)
		ck.Prob("response.tracing.find.city", tr.Find.City)
		ck.Prob("response.tracing.find.group", tr.Find.Group)
		ck.NonNeg("response.tracing.contacts_per_day.community", tr.ContactsPerDay.Community)
		ck.NonNeg("response.tracing.contacts_per_day.city", tr.ContactsPerDay.City)
		ck.NonNeg("response.tracing.contacts_per_day.group", tr.ContactsPerDay.Group)
		if tr.SecondRing != nil {
			tr.SecondRing.validate("response.tracing.second_ring", &ck)
		}
	}
	c.Quarantine.validate("response.quarantine", &ck)
	if st := &c.Static; st.Enabled {
		if st.Detections < 1 {
			ck.Bad("response.static.detections", "must be at least 1, got %d", st.Detections)
		}
		ck.Duration("response.static.within_days", st.WithinDays, true)
		ck.Prob("response.static.contacts", st.Contacts)
		ck.Duration("response.static.lift_after", st.LiftAfter, true)
	}
	ck.Duration("response.from", sim.Duration(c.From), false)
	ck.Duration("response.until", sim.Duration(c.Until), false)
	return ck.Err()
}

// validate checks a quarantine configuration, reporting problems under path.
func (q *QuarantineConfig) validate(path string, ck *sim.Checker) {
	ck.Duration(path+".centralized", q.Centralized, false)
	ck.Duration(path+".home", q.Home, false)
	if q.Rooms < 0 {
		ck.Bad(path+".rooms", "must be ≥ 0, got %d", q.Rooms)
	}
	for i, d := range q.Tests {
		ck.Duration(fmt.Sprintf("%s.tests[%d]", path, i), d, false)
	}
	ck.Prob(path+".compliance", q.Compliance)
}

// Attach sets the response up.
func (r *Response) Attach(m *model.Model) error {
	if err := r.cfg.validate(); err != nil {
		return err
	}
	r.m = m
	r.tracing.firstChild, r.tracing.lastChild, r.tracing.nextSibling = nil, nil, nil
	r.isolated = map[model.PersonID]bool{}
	r.quarantines.quarantine = map[model.PersonID]sim.Time{}
	r.caseRef = map[model.PersonID]sim.Time{}
	r.inControl = map[model.PersonID]bool{}
	r.isolation.atHome = map[model.PersonID]bool{}
	r.notified = map[model.PersonID]sim.Time{}
	r.quarantines.inRoom = map[model.PersonID]bool{}
	s := m.Sim()
	var err error
	if n := r.cfg.Isolation.Vehicles; n > 0 {
		r.isolation.vehicles, err = sim.NewServer(s, sim.ServerConfig{Name: "vehicles", Servers: n, Priority: model.PriorityPolicy},
			func(j sim.Job) { r.isolation.admit(model.PersonID(j.ID)) })
		if err != nil {
			return err
		}
	}
	if n := r.cfg.Isolation.Beds; n > 0 {
		if r.isolation.beds, err = sim.NewPool(s, sim.PoolConfig{Name: "beds", Capacity: n, WhenFull: sim.RefuseWhenFull, Priority: model.PriorityPolicy}, nil); err != nil {
			return err
		}
	}
	if n := r.cfg.Isolation.HospitalBeds; n > 0 {
		if r.isolation.hospital, err = sim.NewPool(s, sim.PoolConfig{Name: "hospital", Capacity: n, WhenFull: sim.RefuseWhenFull, Priority: model.PriorityPolicy}, nil); err != nil {
			return err
		}
	}
	if n := r.cfg.Quarantine.Rooms; n > 0 {
		if r.quarantines.rooms, err = sim.NewPool(s, sim.PoolConfig{Name: "rooms", Capacity: n, WhenFull: sim.RefuseWhenFull, Priority: model.PriorityPolicy}, nil); err != nil {
			return err
		}
	}
	if tr := r.cfg.Tracing; tr.Enabled && tr.Investigators > 0 {
		discipline := sim.FIFO
		if tr.Prioritize {
			discipline = sim.ByPriority
		}
		r.tracing.tracers, err = sim.NewServer(s, sim.ServerConfig{Name: "investigators", Servers: tr.Investigators,
			Service: sim.Fixed{Value: 1 / tr.CasesPerDay}, Discipline: discipline, Priority: model.PriorityTracing},
			func(j sim.Job) { r.tracing.trace(model.PersonID(j.ID)) })
		if err != nil {
			return err
		}
	}
	// The zones also carry static management's factor, so that the two never
	// overwrite each other; with zones off, no zone is ever designated.
	r.zones = newZones(r.cfg.Zones, m)
	r.isolation.kTransfer = s.NewKind("response/transfer", model.PriorityPolicy, func(e sim.Event) { r.isolation.transfer(model.PersonID(e.ID)) })
	r.isolation.kAdmit = s.NewKind("response/admit", model.PriorityPolicy, func(e sim.Event) { r.isolation.admit(model.PersonID(e.ID)) })
	r.tracing.kInvestigate = s.NewKind("response/investigate", model.PriorityTracing, func(e sim.Event) { r.tracing.investigate(model.PersonID(e.ID)) })
	r.quarantines.quarantineDays = m.NewLevel("quarantined_centralized")
	r.quarantines.homeQuarantineDays = m.NewLevel("quarantined_home")
	r.isolation.isolationDays = m.NewLevel("isolated")
	r.isolation.homeIsolationDays = m.NewLevel("isolated_home")
	r.foundInControl = m.NewCounter("detections_in_control")
	r.community = m.NewCounter("detections_community")
	r.isolation.overflowBeds = m.NewCounter("isolation_overflow")
	r.quarantines.overflowRooms = m.NewCounter("quarantine_overflow")
	r.tracing.backlog = m.NewCounter("investigator_backlog")
	r.staticMgmt.staticDays = m.NewLevel("lockdown_static")
	r.isolation.hospitalDays = m.NewLevel("hospitalized_severe")
	r.isolation.overflowHospital = m.NewCounter("hospital_overflow")
	m.Observe(r)
	return nil
}

// OnInfection remembers who infected whom, for tracing, and books the hospital
// stay of a severe case.
func (r *Response) OnInfection(m *model.Model, inf *model.Infection) {
	if inf.Infector >= 0 && r.cfg.Tracing.Enabled {
		r.tracing.addChild(inf)
	}
	if inf.Severe {
		p, severe, outcome := inf.Person, inf.SevereTime, inf.OutcomeTime
		w := inf.SevereCount()
		m.Sim().AtFunc(severe, model.PriorityProgression, func() {
			// A severe case goes to hospital, where it is tested and meets no one
			// of the city; one who finds no bed is counted and stays at home.
			if r.testing != nil && !r.isolated[p] {
				r.testing.Request(p, m.Now(), RouteHospital)
			}
			// A case that stands for more people than the hospital has beds
			// takes them all.
			if r.isolation.hospital != nil && !r.isolation.hospital.Acquire(int64(p), min(w, r.isolation.hospital.Capacity())) {
				m.Count(r.isolation.overflowHospital, m.Now(), float64(w))
				return
			}
			m.Level(r.isolation.hospitalDays, severe, outcome, float64(w))
			m.Confine(p, model.Facility)
			m.Sim().AtFunc(outcome, model.PriorityProgression, func() {
				if r.isolation.hospital != nil {
					r.isolation.hospital.Release(min(w, r.isolation.hospital.Capacity()))
				}
				if !r.isolated[p] {
					m.Confine(p, model.Free) // a known case follows its isolation instead
				}
			})
		})
	}
}

// OnDetection isolates a confirmed case at home at once, asks for its transfer
// and opens its investigation. A case found while confined (in quarantine or
// isolation) is found in control; any other, in the community.
func (r *Response) OnDetection(m *model.Model, d model.Detection) {
	p := d.Person
	if r.isolated[p] {
		return
	}
	now := m.Now()
	foundInFacility := m.Confinement(p) == model.Facility
	w := float64(d.Infection.Weight())
	if m.Confinement(p) != model.Free || r.zones.riskOf(p) == RiskHigh {
		m.Count(r.foundInControl, now, w)
		r.inControl[p] = true
	} else {
		m.Count(r.community, now, w)
		r.staticMgmt.communityCase(now)
	}
	if now < r.cfg.From || r.cfg.Until > 0 && now >= r.cfg.Until {
		return
	}
	r.isolated[p] = true
	r.caseRef[p] = d.Swab
	if inf := d.Infection; inf.Symptomatic && inf.Onset < d.Swab {
		r.caseRef[p] = inf.Onset
	}
	r.quarantines.endQuarantine(p)
	r.notified[p] = now
	if m.Confinement(p) != model.Facility {
		m.Confine(p, model.Home)
		r.isolation.homeIsolation(p, true)
	}
	if r.cfg.Zones.Enabled && !foundInFacility {
		// A case found in a quarantine room, an isolation bed or a hospital has
		// had no contact with its compound since: no zone is drawn around it.
		r.zones.caseAt(p)
	}
	if r.cfg.Isolation.AtHome {
		stay := r.cfg.Isolation.Stay.Sample(r.draws.keyed(r.m, p, "isolation stay", 0))
		m.Sim().AfterFunc(sim.Duration(stay), model.PriorityPolicy, func() {
			r.isolation.homeIsolation(p, false)
			m.Confine(p, model.Free)
		})
	} else {
		delay := r.cfg.Isolation.Delay.Sample(r.draws.keyed(r.m, p, "transfer delay", 0))
		m.Sim().After(sim.Duration(delay), r.isolation.kTransfer, int64(p))
	}
	if r.cfg.Tracing.Enabled {
		delay := r.cfg.Tracing.Delay.Sample(r.draws.keyed(r.m, p, "tracing delay", 0))
		m.Sim().After(sim.Duration(delay), r.tracing.kInvestigate, int64(p))
	}
}

// Rescalable reports that the response counts the people each infection stands
// for ([Rescalable]): cases found, beds, rooms and person-days by the weights of
// the people concerned, the uninfected contacts of a case by its weight. Risk
// zones are drawn around simulated cases, one for a heavy case where its people
// would have drawn several: in a rescaled run they are undercounted (docs/model.md,
// Large epidemics). Tracing follows the infections a case's
// simulated infection caused, so in a rescaled run it finds the infected
// contacts of a heavy case as heavy infections.
func (r *Response) Rescalable() bool { return true }

// weight returns the number of people infected person c stands for
// ([Infection.Weight]).
func (r *Response) weight(c model.PersonID) int { return r.m.InfectionOf(c).Weight() }

// Active reports whether measures are still in force: a risk zone, someone in
// quarantine, an investigation or a transfer under way.
func (r *Response) Active() bool {
	if len(r.quarantines.quarantine) > 0 {
		return true
	}
	if r.tracing.tracers != nil && r.tracing.tracers.Busy()+r.tracing.tracers.QueueLen() > 0 {
		return true
	}
	if r.isolation.vehicles != nil && r.isolation.vehicles.Busy()+r.isolation.vehicles.QueueLen() > 0 {
		return true
	}
	if r.staticMgmt.static {
		return true
	}
	return r.zones.anyActive()
}

// AllowContact keeps a contact outside the household between people of risk
// zones drawn by block with the product of their zones' factors (zones drawn by
// area act through [Model.SetAreaContacts]).
func (r *Response) AllowContact(m *model.Model, c model.Contact) bool { return r.zones.allow(c) }

// ZoneRisk returns the level of the risk zone that person p is in now:
// [RiskHigh], [RiskMedium] or [RiskLow] (in none). It is the block or the leaf
// area that holds p's home, whichever way the zones are drawn, or, for a
// medium-risk zone drawn by block, a group p belongs to (the workplace, school
// class or care home of a case). It is the way for another measure to know who
// is locked down: zones drawn by block act through [Response.AllowContact] and
// leave [Model.AreaContacts] at 1. Before the response is attached, everyone
// is at RiskLow.
func (r *Response) ZoneRisk(p model.PersonID) int {
	if r.zones == nil {
		return RiskLow
	}
	return r.zones.riskOf(p)
}

// ZoneContacts returns the factor that scales the outings of the people of a
// zone at level under the rules in force (after a switch, the new ones):
// high_contacts for [RiskHigh], medium_contacts for [RiskMedium], 1 for
// [RiskLow].
func (r *Response) ZoneContacts(level int) float64 {
	if r.zones == nil {
		return 1
	}
	return r.zones.factor(level)
}

// ZonePeople returns the number of people in the risk zones at level
// ([RiskHigh] or [RiskMedium]) now, as the series lockdown_high and
// lockdown_medium count them: the residents of each block or leaf area, and a
// group zone's layer size (so a person in a medium-risk block and a
// medium-risk workplace counts twice). It returns 0 for any other level.
func (r *Response) ZonePeople(level int) float64 {
	if r.zones == nil || level != RiskHigh && level != RiskMedium {
		return 0
	}
	return r.zones.inZone[level]
}

// CommunityZeroDays is how long a run must have found no case in the
// community, at its end, for days_to_community_zero to be defined.
const CommunityZeroDays = 7

// Metrics returns the response's metrics (see MetricNames).
func (r *Response) Metrics(res *model.Result) []model.Metric {
	first, lastCommunity := -1, -1
	for d, v := range res.Series.Get("detections_community") {
		if v > 0 {
			lastCommunity = d
			if first < 0 {
				first = d
			}
		}
	}
	for d, v := range res.Series.Get("detections_in_control") {
		if v > 0 && (first < 0 || d < first) {
			first = d
		}
	}
	toZero, toLast := math.NaN(), math.NaN()
	if first >= 0 {
		// Community zero is reached if the outbreak was not out of control and
		// it ended, or the last cases found in the community are a week
		// behind when the horizon came (a run stopped by a rule on community
		// zero counts as ended).
		quiet := res.Days-1-lastCommunity >= CommunityZeroDays
		if res.StopReason != model.StopMaxInfections && (res.StopReason != model.StopHorizon || quiet) {
			toZero = float64(max(0, lastCommunity-first))
		}
		if v, ok := res.Metric("last_infection_day"); ok {
			toLast = max(0, v-float64(first))
		}
	}
	return []model.Metric{
		{Name: "detections_community", Value: res.Series.Sum("detections_community")},
		{Name: "detections_in_control", Value: res.Series.Sum("detections_in_control")},
		{Name: "days_to_community_zero", Value: toZero},
		{Name: "days_to_last_infection", Value: toLast},
		{Name: "quarantine_centralized_person_days", Value: res.Series.Sum("quarantined_centralized")},
		{Name: "quarantine_home_person_days", Value: res.Series.Sum("quarantined_home")},
		{Name: "isolation_person_days", Value: res.Series.Sum("isolated")},
		{Name: "isolation_home_person_days", Value: res.Series.Sum("isolated_home")},
		{Name: "lockdown_high_person_days", Value: res.Series.Sum("lockdown_high")},
		{Name: "lockdown_medium_person_days", Value: res.Series.Sum("lockdown_medium")},
		{Name: "lockdown_static_person_days", Value: res.Series.Sum("lockdown_static")},
		{Name: "lockdown_person_days", Value: lockdownDays(res)},
		{Name: "peak_isolation", Value: res.Series.Max("isolated")},
		{Name: "isolation_overflow", Value: res.Series.Sum("isolation_overflow")},
		{Name: "isolation_days_over_capacity", Value: res.Series.DaysPositive("isolation_overflow")},
		{Name: "peak_quarantine_rooms", Value: res.Series.Max("quarantined_centralized")},
		{Name: "quarantine_overflow", Value: res.Series.Sum("quarantine_overflow")},
		{Name: "quarantine_days_over_capacity", Value: res.Series.DaysPositive("quarantine_overflow")},
		{Name: "peak_investigator_backlog", Value: res.Series.Max("investigator_backlog")},
		{Name: "peak_hospital", Value: res.Series.Max("hospitalized_severe")},
		{Name: "hospital_overflow", Value: res.Series.Sum("hospital_overflow")},
	}
}

// OnDayEnd records the investigators' backlog at the end of the day.
func (r *Response) OnDayEnd(m *model.Model, day int) {
	if r.tracing.tracers != nil {
		m.SetDay(r.tracing.backlog, day, float64(r.tracing.tracers.QueueLen()))
	}
}
