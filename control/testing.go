package control

import (
	"fmt"
	"math"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// TestingConfig describes how a city finds infections: the pipeline that takes a
// sample from a swab to a result (sampling sites, transport, the lab, reporting)
// and the sources of demand that feed it (people with symptoms, mass-testing
// rounds, routine screening, tests at entry, and tests that other measures
// request, such as those of people in quarantine). See [NewTesting].
type TestingConfig struct {
	// Test is the kind of test the lab runs (its limit of detection).
	Test TestKind `yaml:"test"`
	// ViralLoad is the viral load of an infection over time, which decides whether
	// a sample, alone or diluted in a pool, is positive.
	ViralLoad model.ViralLoadConfig `yaml:"viral_load"`

	// Sites are groups of sampling sites: where the volume of mass testing and
	// screening is swabbed and pooled.
	Sites []SiteGroup `yaml:"sites"`
	// Lab is the PCR lab network.
	Lab LabConfig `yaml:"lab"`
	// Courier is the time to bring a sample taken outside the sites (a fever
	// clinic, a quarantine hotel, a door-to-door recall) to the lab.
	Courier sim.Dist `yaml:"courier"`
	// Report is the time from a result to the notification of the person (and the
	// action that follows: isolation, tracing, recall of a pool).
	Report sim.Dist `yaml:"report"`
	// Recall is the time from the notification of a positive pool to the single
	// re-test of each of its members, taken at home.
	Recall sim.Dist `yaml:"recall"`

	// Symptomatic is the testing of people who seek a test for their symptoms.
	Symptomatic SymptomaticTesting `yaml:"symptomatic"`
	// Mass lists the area-wide testing campaigns (全员核酸).
	Mass []MassTesting `yaml:"mass"`
	// Screening lists the routine screening of groups of people.
	Screening []Screening `yaml:"screening"`
	// Entry is the testing of infected people arriving from outside the city.
	Entry EntryTesting `yaml:"entry"`
}

// SiteGroup is a set of sampling sites with the same equipment and hours, spread
// over some areas: each leaf area under Areas gets one site per PeoplePerSite
// residents (at least one), and each site serves a contiguous share of its area's
// residents.
type SiteGroup struct {
	// Name names the group in mass-testing campaigns and screening programmes.
	Name string `yaml:"name"`
	// Areas names the areas covered (their leaves get sites); empty means the
	// whole city.
	Areas []string `yaml:"areas"`
	// PeoplePerSite is the number of residents per site.
	PeoplePerSite int `yaml:"people_per_site"`
	// SwabsPerHour is how many people a site swabs in an hour while open.
	SwabsPerHour float64 `yaml:"swabs_per_hour"`
	// Open is the daily opening time, as a time of day (7h).
	Open sim.Duration `yaml:"open"`
	// Close is the daily closing time, as a time of day (23h); Close 24h with
	// Open 0 is round the clock. A partial tube is closed when the site closes.
	Close sim.Duration `yaml:"close"`
	// Pool is the number of swabs pooled in one tube (1, 5, 10, 20).
	Pool int `yaml:"pool"`
	// Pickup is the time between two collections of the closed tubes by a van.
	Pickup sim.Duration `yaml:"pickup"`
	// Travel is the van's time from the site to the lab.
	Travel sim.Duration `yaml:"travel"`
}

// LabConfig is the PCR lab network, pooled into one batch server.
type LabConfig struct {
	Instruments int          `yaml:"instruments"` // PCR instruments in all
	Wells       int          `yaml:"wells"`       // samples per run (96-well plates hold 94 and 2 controls)
	RunTime     sim.Duration `yaml:"run_time"`    // extraction, amplification and reading of one run
	// MaxWait is how long a waiting tube may wait for a plate to fill before a
	// partial run starts.
	MaxWait sim.Duration `yaml:"max_wait"`
	// Prioritize runs samples of people with symptoms, in quarantine and recalled
	// from positive pools before those of mass testing and screening.
	Prioritize bool `yaml:"prioritize"`
}

// SymptomaticTesting is testing on symptoms: fever clinics.
type SymptomaticTesting struct {
	// Probability is the chance that a symptomatic case seeks a test, in [0, 1].
	Probability float64 `yaml:"probability"`
	// Delay is the time from symptom onset to the swab.
	Delay sim.Dist `yaml:"delay"`
}

// MassTesting is a campaign of area-wide testing rounds.
type MassTesting struct {
	// Name labels the campaign.
	Name string `yaml:"name"`
	// Areas names the areas tested; empty means the whole city.
	Areas []string `yaml:"areas"`
	// Sites names the SiteGroup that swabs the residents.
	Sites string `yaml:"sites"`
	// Start is when the first round starts (with AfterDetections, the time of
	// day of the opening).
	Start sim.Time `yaml:"start"`
	// Window is how long people have to come to a round; arrivals are spread
	// evenly over the sites' opening hours within it.
	Window sim.Duration `yaml:"window"`
	// Every is the time between the starts of two rounds (0: a single round).
	Every sim.Duration `yaml:"every"`
	// Rounds is the number of rounds; 0 means one round, or, with Every > 0,
	// rounds until the end of the run.
	Rounds int `yaml:"rounds"`
	// Participation is the fraction of residents who come, in [0, 1].
	Participation float64 `yaml:"participation"`
	// AfterDetections, if > 0, starts the campaign on the day after the
	// detection of that many cases, Start being then the time of day of the
	// opening (8h).
	AfterDetections int `yaml:"after_detections"`
}

// Screening is the routine testing of a group of people every few days, for
// example high-exposure workers every 2 days.
type Screening struct {
	// Name labels the programme.
	Name string `yaml:"name"`
	// Group names a group layer whose members are screened ("work"); empty means
	// everyone living in Areas (or the whole city).
	Group string `yaml:"group"`
	// Areas limits the programme to the people living in these areas; empty
	// means the whole city.
	Areas []string `yaml:"areas"`
	// Every is the time between two tests of a person; each person has their own
	// phase in the cycle.
	Every sim.Duration `yaml:"every"`
	// Sites names the SiteGroup that swabs them.
	Sites string `yaml:"sites"`
	// Turnaround, given instead of Sites, bypasses the pipeline: each result is
	// known Turnaround after the swab, in days, with no capacity limit (the
	// idealised screening of Larremore et al. 2021).
	Turnaround *sim.Dist `yaml:"turnaround"`
	// Start is when the programme starts.
	Start sim.Time `yaml:"start"`
	// End is when the programme ends; 0 means never.
	End sim.Time `yaml:"end"`
}

// EntryTesting tests infected people when they arrive in the city (imports).
type EntryTesting struct {
	Probability float64 `yaml:"probability"` // chance that an arrival is tested, in [0, 1]
}

// Routes by which a sample reaches the lab: they label tests, detections and
// turnaround times.
const (
	RouteSymptomatic = "symptomatic"
	RouteMass        = "mass"
	RouteScreening   = "screening"
	RouteEntry       = "entry"
	RouteRecall      = "recall"
	RouteHospital    = "hospital"
)

// DefaultTesting returns a testing pipeline for a city like Fuzhou in 2022, with
// testing on symptoms only; add mass testing and screening to it. Capacities are
// [A] unless cited: scenarios size them to the city.
func DefaultTesting() TestingConfig {
	return TestingConfig{
		Test:      PCR,
		ViralLoad: model.DefaultViralLoad(),
		Sites: []SiteGroup{{
			Name: "community",
			// One sampling site per 2,000 residents, swabbing 200 people an hour
			// (pooled 10-in-1, as in the first round of the regional testing
			// guide, 2022) from 7:00 to 23:00 [A].
			PeoplePerSite: 2000, SwabsPerHour: 200, Open: 7 * sim.Hour, Close: 23 * sim.Hour,
			Pool: 10, Pickup: 2 * sim.Hour, Travel: sim.Hour,
		}},
		Lab: LabConfig{
			// Results "generally within 6 hours" (NHC, April 2022); a run of
			// extraction and RT-PCR takes about 2.5–3 hours [A]. China had 51.65
			// million tubes a day of capacity in April 2022 (NHC), about 3.7 per 100
			// people: 310,000 tubes a day for 8.4 million people, 3,300 runs of 94;
			// with 3-hour runs round the clock, about 420 instruments [D].
			Instruments: 420, Wells: 94, RunTime: 3 * sim.Hour, MaxWait: sim.Hour, Prioritize: true,
		},
		Courier: sim.UniformDist(1.0/24, 3.0/24),
		Report:  sim.GammaDist(2.0/24, 1.0/24),
		Recall:  sim.GammaDist(4.0/24, 2.0/24),
		Symptomatic: SymptomaticTesting{
			// [A]: most people with symptoms were tested under the 2022 policy of
			// testing everyone with fever at clinics, within about a day.
			Probability: 0.8,
			Delay:       sim.GammaDist(1, 0.7),
		},
	}
}

// validate checks c against the model's configuration m and reports every problem.
func (c *TestingConfig) validate(cfg *model.Config) error {
	var ck sim.Checker
	bad, prob, duration := ck.Bad, ck.Prob, ck.Duration
	dist := func(path string, d sim.Dist) { ck.Dist(path, d, false) }
	areas := map[string]bool{}
	var walk func(as []model.Area)
	walk = func(as []model.Area) {
		for _, a := range as {
			areas[a.Name] = true
			walk(a.Children)
		}
	}
	walk(cfg.Population.Areas)
	checkAreas := func(path string, names []string) {
		for i, a := range names {
			if !areas[a] {
				bad(fmt.Sprintf("%s[%d]", path, i), "unknown area %q", a)
			}
		}
	}

	if !(c.Test.LoD > 0) || math.IsInf(c.Test.LoD, 0) {
		bad("testing.test.lod", "must be a finite number > 0 (log10 copies/ml), got %v", c.Test.LoD)
	}
	if err := c.ViralLoad.Validate("testing.viral_load"); err != nil {
		ck.Add(err)
	}
	sites := map[string]bool{}
	for i, g := range c.Sites {
		path := fmt.Sprintf("testing.sites[%d]", i)
		ck.Unique(path+".name", g.Name, sites)
		checkAreas(path+".areas", g.Areas)
		if g.PeoplePerSite < 1 {
			bad(path+".people_per_site", "must be at least 1, got %d", g.PeoplePerSite)
		}
		if !(g.SwabsPerHour > 0) || math.IsInf(g.SwabsPerHour, 0) {
			bad(path+".swabs_per_hour", "must be a finite number > 0, got %v", g.SwabsPerHour)
		}
		duration(path+".open", g.Open, false)
		duration(path+".close", g.Close, true)
		if !(g.Open < g.Close && g.Close <= sim.Day) {
			bad(path+".close", "opening hours must satisfy 0 ≤ open < close ≤ 24h, got %v–%v", g.Open, g.Close)
		}
		if g.Pool < 1 || g.Pool > 100 {
			bad(path+".pool", "must be from 1 to 100 swabs per tube, got %d", g.Pool)
		}
		duration(path+".pickup", g.Pickup, true)
		duration(path+".travel", g.Travel, false)
	}
	l := &c.Lab
	if l.Instruments < 1 {
		bad("testing.lab.instruments", "must be at least 1, got %d", l.Instruments)
	}
	if l.Wells < 1 {
		bad("testing.lab.wells", "must be at least 1, got %d", l.Wells)
	}
	duration("testing.lab.run_time", l.RunTime, true)
	duration("testing.lab.max_wait", l.MaxWait, false)
	dist("testing.courier", c.Courier)
	dist("testing.report", c.Report)
	dist("testing.recall", c.Recall)
	prob("testing.symptomatic.probability", c.Symptomatic.Probability)
	if c.Symptomatic.Probability > 0 {
		dist("testing.symptomatic.delay", c.Symptomatic.Delay)
	}
	for i, mt := range c.Mass {
		path := fmt.Sprintf("testing.mass[%d]", i)
		checkAreas(path+".areas", mt.Areas)
		if !sites[mt.Sites] {
			bad(path+".sites", "unknown site group %q", mt.Sites)
		}
		duration(path+".start", sim.Duration(mt.Start), false)
		duration(path+".window", mt.Window, true)
		duration(path+".every", mt.Every, false)
		if mt.AfterDetections < 0 {
			bad(path+".after_detections", "must be ≥ 0, got %d", mt.AfterDetections)
		} else if mt.AfterDetections > 0 && mt.Start >= 1 {
			bad(path+".start", "with after_detections, start is a time of day (below 24h), got %v", mt.Start)
		}
		if mt.Rounds < 0 {
			bad(path+".rounds", "must be ≥ 0, got %d", mt.Rounds)
		}
		if mt.Rounds > 1 && mt.Every == 0 {
			bad(path+".every", "several rounds need the time between them")
		}
		if mt.Every > 0 && mt.Every < mt.Window {
			bad(path+".every", "a round (window %v) must end before the next starts (every %v)", mt.Window, mt.Every)
		}
		prob(path+".participation", mt.Participation)
	}
	groups := map[string]bool{}
	for _, g := range cfg.Population.Layers.Groups {
		groups[g.Name] = true
	}
	for i, s := range c.Screening {
		path := fmt.Sprintf("testing.screening[%d]", i)
		if s.Group != "" && !groups[s.Group] {
			bad(path+".group", "unknown group layer %q", s.Group)
		}
		checkAreas(path+".areas", s.Areas)
		duration(path+".every", s.Every, true)
		switch {
		case s.Turnaround != nil && s.Sites != "":
			bad(path+".turnaround", "give sites or a turnaround, not both")
		case s.Turnaround != nil:
			dist(path+".turnaround", *s.Turnaround)
		case !sites[s.Sites]:
			bad(path+".sites", "unknown site group %q", s.Sites)
		}
		duration(path+".start", sim.Duration(s.Start), false)
		duration(path+".end", sim.Duration(s.End), false)
	}
	prob("testing.entry.probability", c.Entry.Probability)
	return ck.Err()
}
