package control

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// Testing is a run's testing pipeline, a [Measure]: build one per run with
// [NewTesting] and add it to the model. Other measures request tests through it
// ([Testing.Request], [Testing.RequestVolume]) and learn of results as
// [DetectionObserver]s of the model.
//
// Infected people are individuals; everyone else is volume. A mass-testing round
// over a million people costs work in proportion to the sites' changes of demand,
// the vans' collections and the lab's runs; only infected people's samples are
// followed one by one, in the tubes and runs they really fall in.
type Testing struct {
	cfg   TestingConfig
	m     *model.Model
	draws draws

	// The stages, each with its own state: where swabs are taken, how
	// samples travel, the lab, the notification of results; and two sources
	// of demand with state of their own.
	sampling  sampling
	transport transport
	lab       labStage
	reporting reporting
	mass      campaigns
	screens   screens

	samples  []sample                // infected people's swabs
	tubes    []tube                  // tubes that hold an infected swab
	found    map[model.PersonID]bool // people notified of a positive result
	nFound   int                     // len(found)
	inFlight int                     // swabs, deliveries and notifications scheduled

	// statistics
	swabs, tubesUsed, positives, detections model.Daily
	turnaroundSum                           model.Daily // swab-to-notification days of the day's detections, summed
	labBacklog, siteQueue                   model.Daily
}

// Lab lots of volume (no infected sample) carry these ids: tubes from the sites,
// and single tubes of other routes.
const (
	siteVolume  = -2
	otherVolume = -1
)

// sample is an infected person's swab.
type sample struct {
	person model.PersonID
	route  uint8
	swab   sim.Time
	site   int32 // where it is taken (-1 for a swab taken at home or in a clinic)
	tube   int32 // the tube it is in, once known (-1 before)
}

// tube is a tube that holds at least one infected sample.
type tube struct {
	members []int32 // samples
	pool    int     // swabs in the tube
	route   uint8
	index   int64 // its number at its site (-1 for a tube sent by courier)
}

// NewTesting returns the testing pipeline described by cfg, to add to a model.
func NewTesting(cfg TestingConfig) *Testing {
	t := &Testing{cfg: cfg}
	t.sampling.Testing = t
	t.transport.Testing = t
	t.lab.Testing = t
	t.reporting.Testing = t
	t.mass.Testing = t
	t.screens.Testing = t
	return t
}

// Attach validates the configuration against the model and sets the pipeline up.
func (t *Testing) Attach(m *model.Model) error {
	if err := t.cfg.validate(m.Config()); err != nil {
		return err
	}
	t.m = m
	t.found = map[model.PersonID]bool{}
	for _, r := range []string{RouteSymptomatic, RouteMass, RouteScreening, RouteEntry, RouteRecall} {
		t.route(r)
	}
	s := m.Sim()
	t.sampling.kArrive = s.NewKind("test/arrive", model.PriorityTesting, t.sampling.onArrive)
	t.sampling.kSiteSwab = s.NewKind("test/site-swab", model.PriorityTesting, t.sampling.onSiteSwab)
	t.transport.kDirect = s.NewKind("test/swab", model.PriorityTesting, t.transport.onDirect)
	t.transport.kPickup = s.NewKind("test/pickup", model.PriorityTesting, t.transport.onPickup)
	t.transport.kDeliver = s.NewKind("test/deliver", model.PriorityTesting, t.transport.onDeliver)
	t.transport.kVolume = s.NewKind("test/volume", model.PriorityTesting, t.transport.onVolume)
	t.transport.kVolumeArrive = s.NewKind("test/volume-arrive", model.PriorityTesting, t.transport.onVolumeArrive)
	t.reporting.kNotify = s.NewKind("test/notify", model.PriorityTesting, t.reporting.onNotify)
	classes := 1
	if t.cfg.Lab.Prioritize {
		classes = 2
	}
	lab, err := sim.NewBatchServer(s, sim.BatchConfig{
		Name: "lab", Machines: t.cfg.Lab.Instruments, Batch: t.cfg.Lab.Wells,
		RunTime: t.cfg.Lab.RunTime, MaxWait: t.cfg.Lab.MaxWait, Priority: model.PriorityTesting, Classes: classes,
	}, t.lab.onResult)
	if err != nil {
		return err
	}
	t.lab.server = lab
	t.sampling.leaves = m.Leaves()
	t.sampling.buildSites()
	// Everyone a campaign or a programme tests must have a site.
	var errs []error
	needSites := func(path, group string, areas []string) {
		if group == "" {
			return
		}
		gi := t.sampling.groupIndex(group)
		for _, li := range t.sampling.leavesOf(areas) {
			if len(t.sampling.siteOf[gi][li]) == 0 {
				errs = append(errs, fmt.Errorf("%s: area %q has no site of group %q", path, m.AreaName(t.sampling.leaves[li]), group))
			}
		}
	}
	for i, mt := range t.cfg.Mass {
		needSites(fmt.Sprintf("testing.mass[%d].sites", i), mt.Sites, mt.Areas)
	}
	for i, sc := range t.cfg.Screening {
		needSites(fmt.Sprintf("testing.screening[%d].sites", i), sc.Sites, sc.Areas)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}

	t.swabs = m.NewCounter("swabs")
	t.tubesUsed = m.NewCounter("tubes")
	t.positives = m.NewCounter("positive_tubes")
	t.detections = m.NewCounter("detections")
	t.turnaroundSum = m.NewCounter("turnaround_days_sum")
	t.labBacklog = m.NewCounter("lab_backlog")
	t.siteQueue = m.NewCounter("site_queue")
	m.Observe(t)
	t.mass.massStopped = make([]bool, len(t.cfg.Mass))
	for i := range t.cfg.Mass {
		t.mass.scheduleCampaign(i, 0)
	}
	t.screens.started = make([]bool, len(t.cfg.Screening))
	for i := range t.cfg.Screening {
		i := i
		m.Sim().AtFunc(t.cfg.Screening[i].Start, model.PriorityTesting, func() { t.screens.startScreening(i) })
	}
	return nil
}

// route returns the model's index of a route's name, with its statistics.
func (t *Testing) route(name string) uint8 {
	i := t.m.Route(name)
	for int(i) >= len(t.reporting.detByRoute) {
		t.reporting.detByRoute = append(t.reporting.detByRoute, t.m.NewCounter("detections_"+t.m.RouteName(uint8(len(t.reporting.detByRoute)))))
		t.reporting.turnaround = append(t.reporting.turnaround, sim.Tally{})
		t.reporting.turnaroundAll = append(t.reporting.turnaroundAll, nil)
	}
	return i
}

// Rescalable reports that the pipeline counts the people each infection stands
// for ([Rescalable]): a single-tube sample of a case of weight w is w swabs and
// tubes, and its detection w people found. At the sampling sites the swabs are
// the residents' volume, whatever the weights, and a heavy case takes one place
// in one pooled tube: positive pools and recalls of a rescaled run are counted
// per simulated infection, an undercount once the scale exceeds 1.
func (t *Testing) Rescalable() bool { return true }

// Request asks for a single-tube test of person p at time at (now or later), by
// the named route ("quarantine", say): swabbed where they are, brought to the lab
// by courier, with the lab's priority. Only infected people are followed; for the
// others, use RequestVolume.
func (t *Testing) Request(p model.PersonID, at sim.Time, route string) {
	if t.m.InfectionOf(p) == nil {
		t.RequestVolume(1, at, route)
		return
	}
	t.requestAt(p, at, t.route(route))
}

// RequestVolume asks for single-tube tests of n uninfected people at time at: they
// use swabs, tubes and lab capacity and find nothing.
func (t *Testing) RequestVolume(n int, at sim.Time, route string) {
	class := t.lab.labClass(route)
	for n > 0 {
		k := min(n, maxVolumeLoad) // more than any city's people: a request beyond it goes as several
		t.inFlight++
		t.m.Sim().At(at, t.transport.kVolume, volumeLoad(k, class))
		n -= k
	}
}

// requestAt schedules a single-tube swab of infected person p at time at.
func (t *Testing) requestAt(p model.PersonID, at sim.Time, route uint8) {
	t.samples = append(t.samples, sample{person: p, route: route, swab: at, site: -1, tube: -1})
	t.inFlight++
	t.m.Sim().At(at, t.transport.kDirect, int64(len(t.samples)-1))
}

// OnInfection puts a new infection into the rounds and programmes under way, and
// tests arrivals at entry.
func (t *Testing) OnInfection(m *model.Model, inf *model.Infection) {
	for k := range t.mass.rounds {
		t.mass.joinRound(&t.mass.rounds[k], inf)
	}
	for i, sc := range t.cfg.Screening {
		// An infection before the programme starts is scheduled by startScreening,
		// once.
		if t.screens.started[i] && (sc.End == 0 || m.Now() < sc.End) {
			t.screens.screenNext(i, inf, false)
		}
	}
	if inf.Layer == model.LayerImport && t.cfg.Entry.Probability > 0 &&
		m.PersonStream(inf.Person).Named("entry test").Float64() < t.cfg.Entry.Probability {
		t.requestAt(inf.Person, m.Now(), t.route(RouteEntry))
	}
}

// OnOnset sends a symptomatic case to a fever clinic, with the configured
// probability and delay.
func (t *Testing) OnOnset(m *model.Model, inf *model.Infection) {
	st := &t.cfg.Symptomatic
	if st.Probability <= 0 || t.found[inf.Person] {
		return
	}
	key := m.PersonStream(inf.Person).Named("seek test")
	if key.Float64() >= st.Probability {
		return
	}
	delay := st.Delay.Sample(t.draws.keyed(t.m, inf.Person, "seek delay", 0))
	t.requestAt(inf.Person, m.Now().Add(sim.Duration(delay)), t.route(RouteSymptomatic))
}

// OnDayEnd records the backlogs at the end of the day.
func (t *Testing) OnDayEnd(m *model.Model, day int) {
	now := m.Now()
	m.SetDay(t.labBacklog, day, float64(t.lab.server.QueueLen()))
	q := 0.0
	for i := range t.sampling.sites {
		s := &t.sampling.sites[i]
		if s.pickups {
			s.advance(float64(now))
			q += s.q
		}
	}
	m.SetDay(t.siteQueue, day, q)
}

// Active reports whether samples are on their way: swabs to take, tubes at sites
// or in vans, units in the lab, results to report.
func (t *Testing) Active() bool {
	if t.inFlight > 0 || t.lab.server.QueueLen() > 0 || t.lab.server.Busy() > 0 {
		return true
	}
	for i := range t.sampling.sites {
		if t.sampling.sites[i].pickups {
			return true
		}
	}
	return false
}

// Metrics returns the pipeline's metrics (see MetricNames).
func (t *Testing) Metrics(res *model.Result) []model.Metric {
	// Over capacity: more tubes waiting at the end of a day than one run of
	// every instrument takes.
	one := float64(t.cfg.Lab.Instruments * t.cfg.Lab.Wells)
	over := 0.0
	for _, v := range res.Series.Get("lab_backlog") {
		if v > one {
			over++
		}
	}
	var all []float64
	for _, v := range t.reporting.turnaroundAll {
		all = append(all, v...)
	}
	p95 := math.NaN()
	if len(all) > 0 {
		sort.Float64s(all)
		p95 = 24 * sim.Quantile(all, 0.95)
	}
	siteDone := math.NaN()
	if t.lab.lastSiteResult > 0 {
		siteDone = float64(t.lab.lastSiteResult)
	}
	return []model.Metric{
		{Name: "tests", Value: res.Series.Sum("swabs")},
		{Name: "tubes", Value: res.Series.Sum("tubes")},
		{Name: "detections", Value: res.Series.Sum("detections")},
		{Name: "peak_lab_backlog", Value: res.Series.Max("lab_backlog")},
		{Name: "lab_days_over_capacity", Value: over},
		{Name: "turnaround_p95", Value: p95},
		{Name: "days_to_last_site_result", Value: siteDone},
	}
}

// TestingReport sums up a pipeline's work: each stage's load and the turnaround
// of each route.
type TestingReport struct {
	Swabs, Tubes float64 // swabs taken and tubes run by the lab so far
	// Sites and Lab are the loads of the sampling sites (all groups together)
	// and of the lab.
	Sites, Lab sim.ResourceReport
	// Bottleneck names the stage with the highest utilization.
	Bottleneck string
	// Turnaround is, by route, the time from swab to notification of the
	// detections, in days.
	Turnaround map[string]TurnaroundStats
	// ToDetection is the time from infection to notification of every detection.
	ToDetection sim.Summary
	// LastResult is when the lab finished its last tube so far, and LastSiteResult
	// its last tube from the sampling sites (the end of a mass-testing round
	// before the recalls of its positive pools).
	LastResult, LastSiteResult sim.Time
}

// TurnaroundStats are the figures of a distribution of turnaround times, in days.
type TurnaroundStats struct {
	sim.Summary         // count, mean, standard deviation, minimum and maximum
	P50, P90    float64 // median and 90th percentile
}

// Report returns the pipeline's figures at the current time.
func (t *Testing) Report() TestingReport {
	now := t.m.Now()
	r := TestingReport{Turnaround: map[string]TurnaroundStats{}, ToDetection: t.reporting.toDetection.Summary(), LastResult: t.lab.lastResult, LastSiteResult: t.lab.lastSiteResult}
	var busy, open, qArea, qMax float64
	for i := range t.sampling.sites {
		s := &t.sampling.sites[i]
		s.advance(float64(now))
		busy += s.busy
		open += s.openTime
		qArea += s.qArea
		qMax = max(qMax, s.qMax)
	}
	r.Sites = sim.ResourceReport{Name: "sites", Capacity: len(t.sampling.sites), BusyTime: busy, MaxQueue: qMax, Period: sim.Duration(now)}
	if open > 0 {
		r.Sites.Utilization = busy / open
	}
	if now > 0 {
		r.Sites.MeanQueue = qArea / float64(now)
	}
	r.Lab = t.lab.server.Report(now)
	r.Bottleneck = "sites"
	if r.Lab.Utilization > r.Sites.Utilization {
		r.Bottleneck = "lab"
	}
	r.Tubes = t.m.Total(t.tubesUsed)
	r.Swabs = t.m.Total(t.swabs)
	for ri := range t.reporting.turnaround {
		if t.reporting.turnaround[ri].N() == 0 {
			continue
		}
		name := t.m.RouteName(uint8(ri))
		v := append([]float64(nil), t.reporting.turnaroundAll[ri]...)
		sort.Float64s(v)
		r.Turnaround[name] = TurnaroundStats{Summary: t.reporting.turnaround[ri].Summary(), P50: sim.Quantile(v, 0.5), P90: sim.Quantile(v, 0.9)}
	}
	return r
}

// String describes a report in a line.
func (r TestingReport) String() string {
	return fmt.Sprintf("%.0f swabs, %.0f tubes; sites %.0f%% busy, lab %.0f%% busy; bottleneck %s",
		r.Swabs, r.Tubes, 100*r.Sites.Utilization, 100*r.Lab.Utilization, r.Bottleneck)
}

// AddInstruments adds n PCR instruments to the lab now (a surge of capacity).
func (t *Testing) AddInstruments(n int) { t.lab.server.AddMachines(n) }
