package control

import (
	"fmt"
	"math"
	"reflect"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// Switch hands a run over from one strategy to another at a time: the run
// follows its strategy until At and To from then on (To may switch again, later).
//
// The switch changes the rules, not the city's means, nor what is under way:
//
//   - Testing: the demand follows the new strategy from At on (testing on
//     symptoms, tests at entry, mass-testing campaigns). A campaign of the old
//     strategy starts no round from At on, unless the new strategy has the same
//     campaign at the same place in its list, which then goes on as it was; a
//     new campaign starts at its start, or at At if that is earlier, or, if its
//     trigger of detections has already been reached, at its first opening from
//     At on. The pipeline changes too: the test, the courier, report and recall
//     delays are the new strategy's from At on (for samples that reach those
//     steps from then on), and the lab may grow (more instruments: a surge;
//     samples waiting run at once). Screening programmes the new strategy adds
//     start at At (or at their start, if later); the old ones go on. What a
//     run cannot undo is an error: fewer instruments, other plates (wells, run
//     time, wait, priorities), other sampling sites or viral load, and stopping
//     or changing a screening programme. Samples already taken are processed
//     and reported.
//   - Response: cases notified from At on are handled by the new rules
//     (isolation, tracing, quarantine, zones, static management), and so are
//     investigations that end from At on; people already in quarantine or
//     isolation keep the length they were given. Risk zones of a kind the new
//     rules do not have are lifted at At (all of them if zones are off,
//     medium-risk ones without medium zones), and those kept take the new
//     contact factors; a zone keeps the step-down time it was given. Static
//     management is lifted if the new rules have none. The facilities (vehicles,
//     beds, rooms, investigators) are those of the first strategy that has a
//     response; their capacities do not change.
//   - A strategy without testing or without a response turns that part off
//     from At: no demand for tests, or cases counted and not acted on.
//
// The switch takes effect at At, after the record of the day that ends then
// and before anything else happens at that time. Up to At, a run with a switch
// is the same, draw for draw, as the run of its first strategy alone.
type Switch struct {
	At sim.Time // when the new strategy takes over, in days since the start
	To Strategy // the strategy from At on
}

// prioritySwitch runs a switch after the record of the day that ends at its
// time and before the course of disease moves.
const prioritySwitch = model.PriorityDayEnd + 1

// never is a response's From that no time reaches: the response is off.
const never = sim.Time(math.MaxFloat64)

// phase is a strategy in force from a time on.
type phase struct {
	from     sim.Time
	name     string
	testing  *TestingConfig
	response *ResponseConfig
}

// phases unrolls the chain of switches of s.
func (s *Strategy) phases() []phase {
	out := []phase{{0, s.Name, s.Testing, s.Response}}
	for sw := s.Switch; sw != nil; sw = sw.To.Switch {
		out = append(out, phase{sw.At, sw.To.Name, sw.To.Testing, sw.To.Response})
		if len(out) > maxSwitches {
			break // reported by check
		}
	}
	return out
}

// maxSwitches bounds the chain of switches of a strategy.
const maxSwitches = 100

// switcher is the measure that carries out a strategy's switches; the testing
// and the response it switches are added before it.
type switcher struct {
	phases   []phase
	testing  *Testing
	response *Response
}

// switchedMeasures returns the measures of a strategy with switches: one
// testing pipeline and one response, whose rules change at each switch.
func switchedMeasures(s *Strategy) []model.Measure {
	sw := &switcher{phases: s.phases()}
	var ms []model.Measure
	var base *TestingConfig // the pipeline: that of the first strategy that tests
	for _, p := range sw.phases {
		if p.testing != nil {
			base = p.testing
			break
		}
	}
	if base != nil {
		cfg := withDemand(*base, sw.phases[0].testing)
		sw.testing = NewTesting(cfg)
		ms = append(ms, sw.testing)
	}
	var rbase *ResponseConfig // the facilities: those of the first strategy with a response
	for _, p := range sw.phases {
		if p.response != nil {
			rbase = p.response
			break
		}
	}
	if rbase != nil {
		cfg := *rbase
		if sw.phases[0].response == nil {
			cfg.From = never
		}
		sw.response = NewResponse(cfg, sw.testing)
		ms = append(ms, sw.response)
	}
	return append(ms, sw)
}

// withDemand returns the pipeline of base with the demand of d (nil: none).
func withDemand(base TestingConfig, d *TestingConfig) TestingConfig {
	base.Symptomatic, base.Mass, base.Entry = SymptomaticTesting{}, nil, EntryTesting{}
	if d != nil {
		base.Symptomatic, base.Entry = d.Symptomatic, d.Entry
		base.Mass = append([]MassTesting(nil), d.Mass...)
	}
	return base
}

// check reports a chain of switches that cannot be carried out.
func (sw *switcher) check() error {
	var ck sim.Checker
	if len(sw.phases) > maxSwitches {
		ck.Bad("switch", "more than %d switches (a loop?)", maxSwitches)
		return ck.Err()
	}
	var base *TestingConfig
	for i, p := range sw.phases {
		if i > 0 {
			at := sw.phases[i].from
			if math.IsNaN(float64(at)) || math.IsInf(float64(at), 0) || !(at > sw.phases[i-1].from) {
				ck.Bad(switchPath(i)+".at", "must be a finite time after %v, got %v", sw.phases[i-1].from, at)
			}
		}
		if p.testing == nil {
			continue
		}
		if base == nil {
			base = p.testing
			continue
		}
		a, b := pipelineOf(base), pipelineOf(p.testing)
		if !reflect.DeepEqual(a, b) {
			ck.Bad(switchPath(i)+".to", "strategy %q has other sampling sites, plates or viral load than the strategy before it: these cannot change at a switch (the test, the delays and the number of instruments can)", p.name)
		}
		if p.testing.Lab.Instruments < base.Lab.Instruments {
			ck.Bad(switchPath(i)+".to", "strategy %q has fewer lab instruments (%d) than the strategy before it (%d): a lab can grow at a switch, not shrink", p.name, p.testing.Lab.Instruments, base.Lab.Instruments)
		}
		for _, sc := range base.Screening {
			if !hasScreening(p.testing.Screening, sc) {
				ck.Bad(switchPath(i)+".to", "strategy %q stops or changes the screening programme %q of the strategy before it: programmes can be added at a switch, not stopped", p.name, sc.Name)
			}
		}
		base = p.testing
	}
	if base != nil {
		screens := false
		for _, p := range sw.phases {
			screens = screens || p.testing != nil && len(p.testing.Screening) > 0
		}
		for i, p := range sw.phases {
			if screens && i > 0 && p.testing == nil {
				ck.Bad(switchPath(i)+".to", "strategy %q does not test, but the others screen: screening cannot stop at a switch", p.name)
			}
		}
	}
	return ck.Err()
}

// switchPath is the path of the i-th switch of a chain (1 for the first).
func switchPath(i int) string {
	p := "switch"
	for k := 1; k < i; k++ {
		p += ".to.switch"
	}
	return p
}

// pipelineOf returns the part of a testing configuration a switch cannot change.
func pipelineOf(c *TestingConfig) TestingConfig {
	lab := c.Lab
	lab.Instruments = 0 // may grow
	return TestingConfig{ViralLoad: c.ViralLoad, Sites: c.Sites, Lab: lab}
}

// hasScreening reports whether list holds programme sc.
func hasScreening(list []Screening, sc Screening) bool {
	for _, x := range list {
		if reflect.DeepEqual(x, sc) {
			return true
		}
	}
	return false
}

// Rescalable reports that a switch counts no people of its own
// ([Rescalable]): the measures it hands over to say for themselves.
func (sw *switcher) Rescalable() bool { return true }

// Attach checks the switches and schedules them.
func (sw *switcher) Attach(m *model.Model) error {
	if err := sw.check(); err != nil {
		return err
	}
	for i, p := range sw.phases[1:] {
		if p.response != nil {
			// The new rules must be valid on their own.
			if err := p.response.validate(); err != nil {
				return prefixErr(switchPath(i+1)+".to.", err)
			}
		}
		if p.testing != nil {
			if err := p.testing.validate(m.Config()); err != nil {
				return prefixErr(switchPath(i+1)+".to.", err)
			}
		}
		p := p
		m.Sim().AtFunc(p.from, prioritySwitch, func() { sw.apply(m, p) })
	}
	return nil
}

// prefixErr puts prefix before the path of every line of a configuration error.
func prefixErr(prefix string, err error) error {
	var ck sim.Checker
	for _, e := range splitErr(err) {
		ck.Add(fmt.Errorf("%s%w", prefix, e))
	}
	return ck.Err()
}

// splitErr returns the errors joined in err.
func splitErr(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// apply carries out the switch to phase p.
func (sw *switcher) apply(m *model.Model, p phase) {
	if t := sw.testing; t != nil {
		t.switchTo(p.testing, m.Now())
	}
	if r := sw.response; r != nil {
		r.switchTo(p.response)
	}
}

// switchTo changes the demand for tests to that of d (nil: none) at time now,
// and the parts of the pipeline a switch can change.
func (t *Testing) switchTo(d *TestingConfig, now sim.Time) {
	if d != nil {
		t.cfg.Test, t.cfg.Courier, t.cfg.Report, t.cfg.Recall = d.Test, d.Courier, d.Report, d.Recall
		if n := d.Lab.Instruments - t.cfg.Lab.Instruments; n > 0 {
			t.lab.server.AddMachines(n)
			t.cfg.Lab.Instruments = d.Lab.Instruments
		}
		for _, sc := range d.Screening {
			if hasScreening(t.cfg.Screening, sc) {
				continue
			}
			if sc.Start < now {
				sc.Start = now
			}
			t.cfg.Screening = append(t.cfg.Screening, sc)
			t.screens.started = append(t.screens.started, false) // started by startScreening
			i := len(t.cfg.Screening) - 1
			t.m.Sim().AtFunc(sc.Start, model.PriorityTesting, func() { t.screens.startScreening(i) })
		}
	}
	next := withDemand(t.cfg, d)
	t.cfg.Symptomatic, t.cfg.Entry = next.Symptomatic, next.Entry
	kept := make([]bool, len(next.Mass))
	k := 0 // position in the list of campaigns in force
	for i := range t.cfg.Mass {
		if t.mass.massStopped[i] {
			continue
		}
		if k < len(next.Mass) && reflect.DeepEqual(t.cfg.Mass[i], next.Mass[k]) {
			kept[k] = true // the same campaign goes on
		} else {
			t.mass.massStopped[i] = true
		}
		k++
	}
	for k, mt := range next.Mass {
		if kept[k] {
			continue
		}
		t.cfg.Mass = append(t.cfg.Mass, mt)
		t.mass.massStopped = append(t.mass.massStopped, false)
		t.mass.scheduleCampaign(len(t.cfg.Mass)-1, now)
	}
}

// switchTo changes the rules of the response to c (nil: off).
func (r *Response) switchTo(c *ResponseConfig) {
	next := r.cfg
	if c == nil {
		// Off: cases are counted, not acted on, and investigations still under
		// way find no one. Tracing stays enabled so that who infected whom is
		// still recorded for a later strategy that traces.
		next.From, next.Until = never, 0
		next.Tracing.Find, next.Tracing.SecondRing = LayerProbs{}, nil
	} else {
		next = *c
	}
	r.cfg = next
	zc := next.Zones
	if c == nil {
		zc.Enabled = false
	}
	r.zones.switchTo(zc)
	if r.staticMgmt.static && (c == nil || !next.Static.Enabled) {
		m := r.m
		r.staticMgmt.static = false
		r.staticMgmt.recent = r.staticMgmt.recent[:0]
		r.zones.setStatic(1)
		m.Level(r.staticMgmt.staticDays, m.Now(), sim.Time(math.Inf(1)), -float64(m.Population()))
	}
}
