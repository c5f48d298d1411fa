package scenarios

import (
	"fmt"
	"math"
	"slices"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
)

// Costs are the unit costs of a scenario's means, in money: what a strategy
// spends is the sum of its use of each means times its unit cost, plus the
// fixed costs of the capacities it holds ready. Every default is an
// assumption of the order of magnitude of China in 2022, in yuan (CNY), with
// its source where there is one; a planner should put in their own.
type Costs struct {
	// Currency names the unit of every cost, for the outputs.
	Currency string `yaml:"currency"`
	// Swab is the cost of taking one swab (staff, protective equipment, the
	// swab), per person swabbed.
	Swab float64 `yaml:"swab"`
	// Tube is the cost of running one tube in the lab (extraction and RT-PCR
	// reagents, lab staff), pooled or single.
	Tube float64 `yaml:"tube"`
	// QuarantineRoomDay is the cost of a person-day in a centralized
	// quarantine room (the room, meals, staff).
	QuarantineRoomDay float64 `yaml:"quarantine_room_day"`
	// IsolationBedDay is the cost of a person-day in an isolation bed
	// (fangcang).
	IsolationBedDay float64 `yaml:"isolation_bed_day"`
	// HospitalBedDay is the cost of a day of a severe case in hospital.
	HospitalBedDay float64 `yaml:"hospital_bed_day"`
	// InvestigatorDay is the cost of one contact tracer for one day; a
	// strategy that traces pays for its investigators over the whole run.
	InvestigatorDay float64 `yaml:"investigator_day"`
	// LockdownPersonDay is the output lost by one person for one day at home
	// in a high- or medium-risk zone or under static management.
	LockdownPersonDay float64 `yaml:"lockdown_person_day"`
	// Site is the fixed cost of setting up and staffing one sampling site for
	// the run.
	Site float64 `yaml:"site"`
	// Instrument is the fixed cost of one PCR instrument of the lab network
	// held ready for the run (requisition, installation, its share of the
	// lab).
	Instrument float64 `yaml:"instrument"`
	// QuarantineRoom is the fixed cost of holding one centralized quarantine
	// room ready for the run (requisition of a hotel room, fitting out).
	QuarantineRoom float64 `yaml:"quarantine_room"`
	// IsolationBed is the fixed cost of one isolation bed held ready for the
	// run (building and fitting out a fangcang bed).
	IsolationBed float64 `yaml:"isolation_bed"`
}

// DefaultCosts returns the unit costs used when a scenario gives none, in
// yuan: assumptions, each with its source or its reasoning.
func DefaultCosts() Costs {
	return Costs{
		Currency: "CNY",
		// The National Healthcare Security Administration capped the price of a
		// single-tube PCR test at 16 yuan and of a pooled (multi-person) test
		// at 5 yuan a person (April 2022). With 10-in-1 pooling, swab + tube =
		// 16 and 10 swabs + tube = 50 give a swab 3.8 and a tube 12.2 [D].
		Swab: 3.8,
		Tube: 12.2,
		// Quarantine hotels charged travellers about 200–400 yuan a day with
		// meals in 2022 (city notices) [A].
		QuarantineRoomDay: 300,
		// A fangcang bed-day with meals, staff and cleaning [A].
		IsolationBedDay: 500,
		// An inpatient day of a severe COVID-19 case in a general ward or
		// intensive care, on average [A].
		HospitalBedDay: 2000,
		// A public-health worker's day with overheads [A].
		InvestigatorDay: 500,
		// Fuzhou's GDP was 1,132 billion yuan in 2021 (Fuzhou statistics
		// bureau) for 8.4 million people: 370 yuan a person-day; half of it
		// lost at home [A].
		LockdownPersonDay: 185,
		// Fixed costs of capacity held ready for the run [A]: a sampling site
		// (tent, equipment, rostered staff), a PCR instrument (requisition or a
		// share of a mobile lab), a quarantine room and a fangcang bed.
		Site:           20_000,
		Instrument:     100_000,
		QuarantineRoom: 1_000,
		IsolationBed:   2_000,
	}
}

// CostMetricNames documents the cost metrics every run reports (computed by
// the scenario from the run's metrics and the strategy's capacities, with
// the scenario's costs), after those of model.MetricNames and control.MetricNames. Their unit is the
// scenario's currency.
var CostMetricNames = []model.MetricInfo{
	{Name: "cost_testing", Unit: "currency", Definition: "swabs × costs.swab + tubes × costs.tube (costs)"},
	{Name: "cost_quarantine", Unit: "currency", Definition: "quarantine_centralized_person_days × costs.quarantine_room_day (costs)"},
	{Name: "cost_isolation", Unit: "currency", Definition: "isolation_person_days × costs.isolation_bed_day (costs)"},
	{Name: "cost_hospital", Unit: "currency", Definition: "days of severe cases in hospital (the sum of the daily hospitalized series) × costs.hospital_bed_day (costs)"},
	{Name: "cost_tracing", Unit: "currency", Definition: "investigators × days of the run × costs.investigator_day, for a strategy that traces (costs)"},
	{Name: "cost_lockdown", Unit: "currency", Definition: "lockdown_person_days × costs.lockdown_person_day (costs)"},
	{Name: "cost_fixed", Unit: "currency", Definition: "sampling sites × costs.site + lab instruments × costs.instrument + quarantine rooms × costs.quarantine_room + isolation beds × costs.isolation_bed, of the capacities the strategy holds (costs)"},
	{Name: "total_cost", Unit: "currency", Definition: "the sum of the cost_… metrics (costs)"},
}

// metricDocs returns every metric documented: the model's, the built-in
// measures', then the costs.
func metricDocs() []model.MetricInfo {
	return slices.Concat(model.MetricNames, control.MetricNames, CostMetricNames)
}

// validate reports every bad cost: each must be a finite number ≥ 0.
func (c *Costs) validate(add func(path, msg string)) {
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"swab", c.Swab}, {"tube", c.Tube}, {"quarantine_room_day", c.QuarantineRoomDay},
		{"isolation_bed_day", c.IsolationBedDay}, {"hospital_bed_day", c.HospitalBedDay},
		{"investigator_day", c.InvestigatorDay}, {"lockdown_person_day", c.LockdownPersonDay},
		{"site", c.Site}, {"instrument", c.Instrument}, {"quarantine_room", c.QuarantineRoom},
		{"isolation_bed", c.IsolationBed},
	} {
		if !(f.v >= 0) || math.IsInf(f.v, 1) {
			add("costs."+f.name, fmt.Sprintf("must be a finite number ≥ 0, got %v", f.v))
		}
	}
}

// Capacities are the means a strategy holds ready, which its fixed costs
// are paid for.
type Capacities struct {
	Sites           int // sampling sites of every site group
	Instruments     int // PCR instruments of the lab
	Investigators   int // contact tracers, if the strategy traces
	QuarantineRooms int // centralized quarantine rooms
	IsolationBeds   int // isolation beds, unless cases are isolated at home
}

// CapacitiesOf returns the capacities strategy st holds in the scenario's
// city (those it starts with, if it switches).
func (s *Scenario) CapacitiesOf(st control.Strategy) Capacities {
	var c Capacities
	if tc := st.Testing; tc != nil {
		c.Instruments = tc.Lab.Instruments
		for _, g := range tc.Sites {
			if g.PeoplePerSite >= 1 {
				c.Sites += sitesOf(s.Population.Areas, g)
			}
		}
	}
	if rc := st.Response; rc != nil {
		if rc.Tracing.Enabled {
			c.Investigators = rc.Tracing.Investigators
		}
		c.QuarantineRooms = rc.Quarantine.Rooms
		if !rc.Isolation.AtHome {
			c.IsolationBeds = rc.Isolation.Beds
		}
	}
	return c
}

// CostMetrics returns the cost metrics (CostMetricNames) of a run of strategy
// st with result r, at the scenario's costs.
func (s *Scenario) CostMetrics(st control.Strategy, r *model.Result) []model.Metric {
	c := &s.Costs
	m := func(name string) float64 {
		v, _ := r.Metric(name)
		if math.IsNaN(v) {
			return 0
		}
		return v
	}
	hospDays := 0.0
	for _, v := range r.Series.Get("hospitalized") {
		hospDays += v
	}
	capa := s.CapacitiesOf(st)
	days := math.Max(0, float64(r.End))
	out := []model.Metric{
		{Name: "cost_testing", Value: m("tests")*c.Swab + m("tubes")*c.Tube},
		{Name: "cost_quarantine", Value: m("quarantine_centralized_person_days") * c.QuarantineRoomDay},
		{Name: "cost_isolation", Value: m("isolation_person_days") * c.IsolationBedDay},
		{Name: "cost_hospital", Value: hospDays * c.HospitalBedDay},
		{Name: "cost_tracing", Value: float64(capa.Investigators) * days * c.InvestigatorDay},
		{Name: "cost_lockdown", Value: m("lockdown_person_days") * c.LockdownPersonDay},
		{Name: "cost_fixed", Value: float64(capa.Sites)*c.Site + float64(capa.Instruments)*c.Instrument +
			float64(capa.QuarantineRooms)*c.QuarantineRoom + float64(capa.IsolationBeds)*c.IsolationBed},
	}
	total := 0.0
	for _, x := range out {
		total += x.Value
	}
	return append(out, model.Metric{Name: "total_cost", Value: total})
}
