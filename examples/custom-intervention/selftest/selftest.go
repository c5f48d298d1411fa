// Package selftest is a control measure written outside epiplan's model
// package, against its public interfaces only: antigen self-tests handed out
// to the households of locked zones (as in Chinese cities in 2022, when
// residents of sealed compounds tested themselves and reported positives for a
// PCR test at the door).
//
// Every day at a fixed hour, each resident of a locked zone (one whose contact
// factor, control.Response.ZoneContacts, is at most Config.MaxContacts: by
// default the stay-at-home, high-risk zones) tests with an antigen kit, with
// probability Config.Compliance. The strategy's response says who is in which
// zone (control.Response.ZoneRisk, control.Response.ZonePeople), whether it draws
// zones by block (a building, a compound) or by leaf area. An infected
// resident whose viral load is at or above the kit's limit of detection at
// that moment is positive; so is an uninfected one with probability
// Config.FalsePositive. A positive stays at home and is swabbed for PCR at the
// door Config.Confirm later, through the strategy's testing pipeline
// (control.Testing.Request), whose result reaches the strategy's response as any
// other detection: isolation, tracing, zones.
//
// The measure reports two daily series and metrics: antigen_kits (kits used)
// and antigen_positives (positive kits, true and false).
package selftest

import (
	"errors"
	"fmt"
	"math"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// Route is the testing route of the PCR tests that confirm positive kits.
const Route = "antigen"

// Config describes the self-tests.
type Config struct {
	// Every is the number of days between two tests of a person (1: daily);
	// each person has their own phase in the cycle.
	Every int
	// At is the time of day people test.
	At sim.Duration
	// Compliance is the probability that a person does a due test and reports
	// a positive one, in [0, 1].
	Compliance float64
	// Kit is the test: its limit of detection, in log10 copies/ml, at least
	// PCR's (an antigen kit is never the more sensitive).
	Kit control.TestKind
	// FalsePositive is the probability that a kit is positive for an
	// uninfected person (1 - specificity), in [0, 1].
	FalsePositive float64
	// Confirm is the time from a positive kit to the PCR swab at the door.
	Confirm sim.Duration
	// MaxContacts selects the risk zones whose households get kits: those
	// whose contact factor is at most MaxContacts, in [0, 1). 0 means the
	// stay-at-home (high-risk) zones only.
	MaxContacts float64
	// ViralLoad is the model of viral load; use the testing pipeline's, so that
	// the kit and PCR see the same load in the same person ([With] does).
	ViralLoad model.ViralLoadConfig
}

// Default returns daily self-tests at 8:00 in high-risk zones.
func Default() Config {
	return Config{
		Every: 1,
		At:    8 * sim.Hour,
		// [A]: most households of a sealed compound test and report every day.
		Compliance: 0.8,
		// control.Antigen: a limit of detection of 10^5.5 copies/ml.
		Kit: control.Antigen,
		// Pooled specificity of rapid antigen tests 99.6% (Dinnes et al. 2022,
		// Cochrane Database Syst Rev, CD013705).
		FalsePositive: 0.004,
		// [A]: a community health worker swabs a reported positive within two
		// hours.
		Confirm:   2 * sim.Hour,
		ViralLoad: model.DefaultViralLoad(),
	}
}

// validate reports every problem of c.
func (c *Config) validate() error {
	var errs []error
	bad := func(field, format string, a ...any) {
		errs = append(errs, fmt.Errorf("selftest: %s: %s", field, fmt.Sprintf(format, a...)))
	}
	if c.Every < 1 {
		bad("every", "must be at least 1 day, got %d", c.Every)
	}
	if !(c.At >= 0 && c.At < sim.Day) {
		bad("at", "must be a time of day in [0, 24h), got %v", c.At)
	}
	prob := func(field string, p float64) {
		if !(p >= 0 && p <= 1) {
			bad(field, "must be a probability in [0, 1], got %v", p)
		}
	}
	prob("compliance", c.Compliance)
	prob("false_positive", c.FalsePositive)
	if !(c.MaxContacts >= 0 && c.MaxContacts < 1) {
		bad("max_contacts", "must be in [0, 1), got %v", c.MaxContacts)
	}
	if !(c.Kit.LoD >= control.PCR.LoD) || math.IsInf(c.Kit.LoD, 0) {
		bad("kit.lod", "must be finite and at least PCR's %v log10 copies/ml, got %v", control.PCR.LoD, c.Kit.LoD)
	}
	if !(c.Confirm >= 0) || math.IsInf(float64(c.Confirm), 0) {
		bad("confirm", "must be a finite duration ≥ 0, got %v", c.Confirm)
	}
	return errors.Join(errs...)
}

// SelfTests is one run's self-tests, a model.Measure. Build one per run with
// [New] or [With].
type SelfTests struct {
	cfg      Config
	stream   sim.Stream
	testing  *control.Testing
	response *control.Response

	m          *model.Model
	candidates []*model.Infection // infections a kit may still find
	reported   map[model.PersonID]bool
	kind       sim.Kind

	kits, positives model.Daily
}

// New returns self-tests in the locked zones of response that confirm positive
// kits through testing, drawing who tests and false positives from stream
// (derive it from the run's stream:
// sim.NewStream(seed).Key(rep).Named("selftest")).
func New(cfg Config, stream sim.Stream, testing *control.Testing, response *control.Response) *SelfTests {
	return &SelfTests{cfg: cfg, stream: stream, testing: testing, response: response}
}

// With returns the measures of strategy st for one run, with self-tests in the
// zones of st's response that confirm their positives through st's testing
// pipeline and read its viral load model. It returns an error if st has no
// testing pipeline. A strategy without a response locks no zone: its
// self-tests hand out no kit.
func With(st control.Strategy, cfg Config, stream sim.Stream) ([]model.Measure, error) {
	if st.Testing == nil {
		return nil, fmt.Errorf("selftest: strategy %s has no testing pipeline to confirm positive kits", st.Name)
	}
	cfg.ViralLoad = st.Testing.ViralLoad
	ms := st.Measures()
	var t *control.Testing
	var r *control.Response
	for _, x := range ms {
		switch x := x.(type) {
		case *control.Testing:
			t = x
		case *control.Response:
			r = x
		}
	}
	if t == nil {
		return nil, fmt.Errorf("selftest: strategy %s built no testing pipeline", st.Name)
	}
	return append(ms, New(cfg, stream, t, r)), nil
}

// Attach checks the configuration and schedules the first day's tests.
func (s *SelfTests) Attach(m *model.Model) error {
	if err := s.cfg.validate(); err != nil {
		return err
	}
	if s.testing == nil {
		return errors.New("selftest: no testing pipeline to confirm positive kits")
	}
	s.m = m
	s.reported = map[model.PersonID]bool{}
	s.kits = m.NewCounter("antigen_kits")
	s.positives = m.NewCounter("antigen_positives")
	s.kind = m.Sim().NewKind("selftest/test", model.PriorityTesting, s.test)
	m.Sim().At(sim.Time(0).Add(s.cfg.At), s.kind, 0)
	m.Observe(s)
	return nil
}

// OnInfection keeps the new infection as a candidate for the kits.
func (s *SelfTests) OnInfection(m *model.Model, inf *model.Infection) {
	s.candidates = append(s.candidates, inf)
}

// lockedLevel reports whether the households of a risk zone at level get kits
// now (never outside a zone: a low-risk area's factor is 1).
func (s *SelfTests) lockedLevel(level int) bool {
	return s.response != nil && level != control.RiskLow && s.response.ZoneContacts(level) <= s.cfg.MaxContacts
}

// locked reports whether the household of person p gets kits now.
func (s *SelfTests) locked(p model.PersonID) bool {
	return s.response != nil && s.lockedLevel(s.response.ZoneRisk(p))
}

// test is the day's round of self-tests, and schedules the next.
func (s *SelfTests) test(e sim.Event) {
	m, c := s.m, &s.cfg
	now := m.Now()
	day := now.Day()
	m.Sim().At(now.Add(sim.Day), s.kind, 0)

	// The uninfected are volume: kits used, and false positives sent for PCR.
	residents := 0.0
	for _, level := range []int{control.RiskHigh, control.RiskMedium} {
		if s.lockedLevel(level) {
			residents += s.response.ZonePeople(level)
		}
	}
	if residents == 0 {
		return
	}
	kits := residents * c.Compliance / float64(c.Every)
	m.Count(s.kits, now, kits)
	falsePos := s.count(kits*c.FalsePositive, s.stream.Named("false positives").Key(uint64(day)))
	m.Count(s.positives, now, float64(falsePos))
	s.testing.RequestVolume(falsePos, now.Add(c.Confirm), Route)

	// The infected, one by one.
	kept := s.candidates[:0]
	for _, inf := range s.candidates {
		p := inf.Person
		vl := m.ViralLoadOf(inf, &c.ViralLoad)
		if s.reported[p] || !math.IsInf(float64(inf.Found), 1) || now >= vl.Cleared {
			continue // reported, found by PCR, or past any kit (LoD ≥ PCR's)
		}
		kept = append(kept, inf)
		if !s.locked(p) || m.Confinement(p) == model.Facility {
			continue // no kit, or not at home (quarantine, isolation, hospital)
		}
		r := s.stream.Key(uint64(p))
		if (day+int(r.Named("phase").Uint64()%uint64(c.Every)))%c.Every != 0 ||
			r.Named("complies").Key(uint64(day)).Float64() >= c.Compliance {
			continue // not due today, or did not test
		}
		if vl.Log10(now) < c.Kit.LoD {
			continue
		}
		s.reported[p] = true
		m.Count(s.positives, now, float64(inf.Weight()))
		if m.Confinement(p) == model.Free {
			m.Confine(p, model.Home)
		}
		s.testing.Request(p, now.Add(c.Confirm), Route)
	}
	s.candidates = kept
}

// count rounds an expected number x to a whole one, up with probability its
// fractional part (keyed by s): the sum stays unbiased.
func (s *SelfTests) count(x float64, r sim.Stream) int {
	n := int(x)
	if r.Float64() < x-float64(n) {
		n++
	}
	return n
}

// Rescalable reports true: the self-tests count the people each infection
// stands for in a rescaled run (model.Rescale), so that a run with them
// rescales as the strategy alone does, and both arms of a comparison play the
// same model. The kits are counted per resident of the zones, as before; a
// positive kit of an infection that stands for w people counts w positives,
// and its PCR confirmation goes through the testing pipeline, which counts the
// weight. Whether an infection's people are due and comply is one draw for
// them all (right in expectation, as a heavy case's place in a pooled tube).
func (s *SelfTests) Rescalable() bool { return true }

// Metrics reports the kits used and the positive kits of the run.
func (s *SelfTests) Metrics(res *model.Result) []model.Metric {
	sum := func(name string) float64 {
		t := 0.0
		for _, v := range res.Series.Get(name) {
			t += v
		}
		return t
	}
	return []model.Metric{
		{Name: "antigen_kits", Value: sum("antigen_kits")},
		{Name: "antigen_positives", Value: sum("antigen_positives")},
	}
}
