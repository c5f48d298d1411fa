package control

import (
	"errors"
	"fmt"
	"math"
	"slices"
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

	sites  []site
	siteOf [][][]int32    // by site group, then by leaf (index in leaves): its sites
	leaves []model.AreaID // the city's leaf areas
	leafOf []int32        // by area: its index in leaves (-1 for an inner area)
	lab    *sim.BatchServer

	samples []sample
	tubes   []tube
	sends   []delivery // loads on the road, by the id of their delivery event
	free    []int32    // slots of sends delivered, to reuse

	kArrive, kSiteSwab, kDirect, kPickup, kDeliver, kNotify sim.Kind

	rounds []activeRound // mass-testing rounds under way
	// screening: by programme, whether it has started (from then on, OnInfection
	// schedules the tests of new infections; before, startScreening does).
	screening []bool

	// statistics
	swabs, tubesUsed, positives, detections model.Daily
	turnaroundSum                           model.Daily // swab-to-notification days of the day's detections, summed
	detByRoute                              []model.Daily
	labBacklog, siteQueue                   model.Daily
	turnaround                              []sim.Tally // by route: swab to notification
	turnaroundAll                           [][]float64 // by route, for quantiles
	toDetection                             sim.Tally   // infection to notification
	found                                   map[model.PersonID]bool
	inFlight                                int // swabs, deliveries and notifications scheduled
	triggers                                []massTrigger
	massStopped                             []bool // by campaign: stopped at a switch
	nFound                                  int
	lastResult, lastSiteResult              sim.Time
}

// Lab lots of volume (no infected sample) carry these ids: tubes from the sites,
// and single tubes of other routes.
const (
	siteVolume  = -2
	otherVolume = -1
)

// massTrigger is a campaign waiting for its number of detections.
type massTrigger struct {
	campaign, after int
	start           func()
}

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

// delivery is a van's load of tubes from a site.
type delivery struct {
	site        int32
	first, last int64 // tube numbers [first, last)
	marked      []int32
}

// activeRound is a mass-testing round under way.
type activeRound struct {
	campaign   int
	round      int
	start, end sim.Time
}

// NewTesting returns the testing pipeline described by cfg, to add to a model.
func NewTesting(cfg TestingConfig) *Testing {
	return &Testing{cfg: cfg}
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
	t.kArrive = s.NewKind("test/arrive", model.PriorityTesting, t.onArrive)
	t.kSiteSwab = s.NewKind("test/site-swab", model.PriorityTesting, t.onSiteSwab)
	t.kDirect = s.NewKind("test/swab", model.PriorityTesting, t.onDirect)
	t.kPickup = s.NewKind("test/pickup", model.PriorityTesting, t.onPickup)
	t.kDeliver = s.NewKind("test/deliver", model.PriorityTesting, t.onDeliver)
	t.kNotify = s.NewKind("test/notify", model.PriorityTesting, t.onNotify)
	classes := 1
	if t.cfg.Lab.Prioritize {
		classes = 2
	}
	lab, err := sim.NewBatchServer(s, sim.BatchConfig{
		Name: "lab", Machines: t.cfg.Lab.Instruments, Batch: t.cfg.Lab.Wells,
		RunTime: t.cfg.Lab.RunTime, MaxWait: t.cfg.Lab.MaxWait, Priority: model.PriorityTesting, Classes: classes,
	}, t.onResult)
	if err != nil {
		return err
	}
	t.lab = lab
	t.leaves = m.Leaves()
	t.leafOf = make([]int32, m.Areas())
	for a := range t.leafOf {
		t.leafOf[a] = -1
	}
	for li, a := range t.leaves {
		t.leafOf[a] = int32(li)
	}
	t.buildSites()
	// Everyone a campaign or a programme tests must have a site.
	var errs []error
	needSites := func(path, group string, areas []string) {
		if group == "" {
			return
		}
		gi := t.groupIndex(group)
		for _, li := range t.leavesOf(areas) {
			if len(t.siteOf[gi][li]) == 0 {
				errs = append(errs, fmt.Errorf("%s: area %q has no site of group %q", path, m.AreaName(t.leaves[li]), group))
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
	t.massStopped = make([]bool, len(t.cfg.Mass))
	for i := range t.cfg.Mass {
		t.scheduleCampaign(i, 0)
	}
	t.screening = make([]bool, len(t.cfg.Screening))
	for i := range t.cfg.Screening {
		i := i
		m.Sim().AtFunc(t.cfg.Screening[i].Start, model.PriorityTesting, func() { t.startScreening(i) })
	}
	return nil
}

// scheduleCampaign schedules the rounds of mass-testing campaign i, none before
// time from: the first at its start (or on the day after its trigger), the
// others every Every, until its rounds are done or it is stopped by a [Switch].
func (t *Testing) scheduleCampaign(i int, from sim.Time) {
	m := t.m
	mt := t.cfg.Mass[i]
	rounds := mt.Rounds
	if rounds == 0 {
		rounds = 1
		if mt.Every > 0 {
			rounds = math.MaxInt32
		}
	}
	var startRound func(r int)
	startRound = func(r int) {
		if t.massStopped[i] {
			return
		}
		t.startRound(i, r)
		if r+1 < rounds && mt.Every > 0 {
			m.Sim().AfterFunc(mt.Every, model.PriorityTesting, func() { startRound(r + 1) })
		}
	}
	switch {
	case mt.AfterDetections > 0 && t.nFound >= mt.AfterDetections:
		// Added at a switch, when enough cases were already found: the first
		// opening from now on.
		at := sim.Time(math.Floor(float64(from))) + mt.Start
		if at < from {
			at++
		}
		m.Sim().AtFunc(at, model.PriorityTesting, func() { startRound(0) })
	case mt.AfterDetections > 0:
		t.triggers = append(t.triggers, massTrigger{campaign: i, after: mt.AfterDetections, start: func() { startRound(0) }})
	default:
		m.Sim().AtFunc(max(mt.Start, from), model.PriorityTesting, func() { startRound(0) })
	}
}

// route returns the model's index of a route's name, with its statistics.
func (t *Testing) route(name string) uint8 {
	i := t.m.Route(name)
	for int(i) >= len(t.detByRoute) {
		t.detByRoute = append(t.detByRoute, t.m.NewCounter("detections_"+t.m.RouteName(uint8(len(t.detByRoute)))))
		t.turnaround = append(t.turnaround, sim.Tally{})
		t.turnaroundAll = append(t.turnaroundAll, nil)
	}
	return i
}

// buildSites places the sites of every group in the leaf areas it covers.
func (t *Testing) buildSites() {
	for gi, g := range t.cfg.Sites {
		perLeaf := make([][]int32, len(t.leaves))
		for _, li := range t.leavesOf(g.Areas) {
			lo, hi := t.m.AreaPeople(t.leaves[li])
			pop := int64(hi - lo)
			n := max(1, (pop+int64(g.PeoplePerSite)/2)/int64(g.PeoplePerSite))
			for k := int64(0); k < n; k++ {
				perLeaf[li] = append(perLeaf[li], int32(len(t.sites)))
				t.sites = append(t.sites, site{
					group: gi, lo: lo + model.PersonID(pop*k/n), hi: lo + model.PersonID(pop*(k+1)/n),
					mu: g.SwabsPerHour * 24, open: float64(g.Open), close: float64(g.Close), pool: g.Pool, lastSlot: -1,
				})
			}
		}
		t.siteOf = append(t.siteOf, perLeaf)
	}
}

// leavesOf returns the indices (in leaves) of the leaf areas under the named
// areas; no names means every leaf.
func (t *Testing) leavesOf(names []string) []int {
	var out []int
	for li, leaf := range t.leaves {
		if len(names) == 0 {
			out = append(out, li)
			continue
		}
		llo, lhi := t.m.AreaPeople(leaf)
		for _, name := range names {
			a, _ := t.m.AreaByName(name)
			if lo, hi := t.m.AreaPeople(a); llo >= lo && lhi <= hi && lhi > llo {
				out = append(out, li)
				break
			}
		}
	}
	return out
}

// inAreas reports whether person p lives under one of the named areas (any
// area when there are none).
func (t *Testing) inAreas(p model.PersonID, names []string) bool {
	if len(names) == 0 {
		return true
	}
	for _, name := range names {
		a, _ := t.m.AreaByName(name)
		if lo, hi := t.m.AreaPeople(a); p >= lo && p < hi {
			return true
		}
	}
	return false
}

// siteFor returns the site of group gi that serves person p, or -1.
func (t *Testing) siteFor(gi int, p model.PersonID) int32 {
	list := t.siteOf[gi][t.leafOf[t.m.AreaOf(p)]]
	k := sort.Search(len(list), func(k int) bool { return t.sites[list[k]].hi > p })
	if k == len(list) {
		return -1
	}
	return list[k]
}

// groupIndex returns the index of the named site group.
func (t *Testing) groupIndex(name string) int {
	for i, g := range t.cfg.Sites {
		if g.Name == name {
			return i
		}
	}
	panic("model: unknown site group " + name) // validated in Attach
}

// addVolume adds volume demand to site si: people arriving evenly over the site's
// opening hours within [start, end).
func (t *Testing) addVolume(si int32, people float64, start, end sim.Time) {
	s := &t.sites[si]
	if people <= 0 {
		return
	}
	s.advance(float64(t.m.Now()))
	open := s.openTimeIn(float64(start), float64(end))
	if open <= 0 {
		return // the site is closed all that time: nobody comes
	}
	s.streams = append(s.streams, stream{start: float64(start), end: float64(end), rate: people / open})
	t.schedulePickup(si)
}

// schedulePickup makes sure a collection is scheduled at site si.
func (t *Testing) schedulePickup(si int32) {
	s := &t.sites[si]
	if s.pickups {
		return
	}
	s.pickups = true
	t.m.Sim().After(t.cfg.Sites[s.group].Pickup, t.kPickup, int64(si))
}

// onPickup collects the closed tubes of a site and sends them to the lab.
func (t *Testing) onPickup(e sim.Event) {
	si := int32(e.ID)
	s := &t.sites[si]
	s.advance(float64(e.Time))
	if len(s.streams) == 0 && s.q < 1e-9 {
		s.closeTube() // no one left to fill the last tube
	}
	t.m.Count(t.swabs, e.Time, s.swabs-s.counted)
	s.counted = s.swabs
	closed := s.closedTubes()
	if closed > s.picked {
		d := delivery{site: si, first: s.picked, last: closed}
		k := 0
		for k < len(s.marked) && t.tubes[s.marked[k]].index < closed {
			k++
		}
		d.marked = append([]int32(nil), s.marked[:k]...)
		s.marked = s.marked[k:]
		s.picked = closed
		t.m.Count(t.tubesUsed, e.Time, float64(d.last-d.first))
		var slot int32
		if n := len(t.free); n > 0 {
			slot, t.free = t.free[n-1], t.free[:n-1]
			t.sends[slot] = d
		} else {
			slot = int32(len(t.sends))
			t.sends = append(t.sends, d)
		}
		t.inFlight++
		t.m.Sim().After(t.cfg.Sites[s.group].Travel, t.kDeliver, int64(slot))
	}
	if s.active() {
		t.m.Sim().After(t.cfg.Sites[s.group].Pickup, t.kPickup, int64(si))
	} else {
		s.pickups = false
	}
}

// onDeliver hands a van's load to the lab: the volume as lots, each tube with an
// infected sample as a lot of its own, in tube order.
func (t *Testing) onDeliver(e sim.Event) {
	t.inFlight--
	d := &t.sends[e.ID]
	class := t.labClass(RouteMass)
	next := d.first
	for _, ti := range d.marked {
		idx := t.tubes[ti].index
		if idx > next {
			t.lab.ArriveClass(siteVolume, int(idx-next), class)
		}
		t.lab.ArriveClass(int64(ti), 1, class)
		next = idx + 1
	}
	if d.last > next {
		t.lab.ArriveClass(siteVolume, int(d.last-next), class)
	}
	*d = delivery{} // done with it
	t.free = append(t.free, int32(e.ID))
}

// labClass returns the lab's priority class for a route.
func (t *Testing) labClass(route string) int {
	if !t.cfg.Lab.Prioritize {
		return 0
	}
	switch route {
	case RouteMass, RouteScreening, RouteEntry:
		return 1
	}
	return 0
}

// onResult handles a lot the lab has finished: for a tube with infected samples,
// the result is positive if their pooled viral load reaches the limit of
// detection, and the notification follows after the reporting delay.
func (t *Testing) onResult(l sim.Lot) {
	now := t.m.Now()
	t.lastResult = now
	if l.ID == siteVolume || l.ID >= 0 && t.tubes[l.ID].index >= 0 {
		t.lastSiteResult = now
	}
	if l.ID < 0 {
		return
	}
	tb := &t.tubes[l.ID]
	loads := make([]float64, len(tb.members))
	for i, si := range tb.members {
		smp := &t.samples[si]
		inf := t.m.InfectionOf(smp.person)
		vl := t.m.ViralLoadOf(inf, &t.cfg.ViralLoad)
		loads[i] = vl.Log10(smp.swab)
	}
	if !PoolPositive(loads, tb.pool, t.cfg.Test.LoD) {
		return
	}
	positives := 1.0
	if tb.pool == 1 {
		positives = float64(t.m.InfectionOf(t.samples[tb.members[0]].person).Weight())
	}
	t.m.Count(t.positives, t.m.Now(), positives)
	first := t.samples[tb.members[0]].person
	delay := t.cfg.Report.Sample(t.draws.keyed(t.m, first, "report", uint64(l.ID)))
	t.inFlight++
	t.m.Sim().After(sim.Duration(delay), t.kNotify, l.ID)
}

// onNotify tells the people of a positive tube: a single sample is a detection;
// a positive pool recalls each of its members for a single test at home.
func (t *Testing) onNotify(e sim.Event) {
	t.inFlight--
	tb := &t.tubes[e.ID]
	now := t.m.Now()
	if tb.pool == 1 {
		smp := &t.samples[tb.members[0]]
		t.detect(smp, now)
		return
	}
	recall := t.route(RouteRecall)
	for _, si := range tb.members {
		p := t.samples[si].person
		delay := t.cfg.Recall.Sample(t.draws.keyed(t.m, p, "recall", uint64(e.ID)))
		t.requestAt(p, now.Add(sim.Duration(delay)), recall)
	}
	// The other members are volume: their single tubes go to the lab too.
	if others := tb.pool - len(tb.members); others > 0 {
		delay := t.cfg.Recall.Mean() + t.cfg.Courier.Mean()
		t.inFlight++
		t.m.Sim().AfterFunc(sim.Duration(delay), model.PriorityTesting, func() {
			t.inFlight--
			t.m.Count(t.swabs, t.m.Now(), float64(others))
			t.m.Count(t.tubesUsed, t.m.Now(), float64(others))
			t.lab.ArriveClass(otherVolume, others, t.labClass(RouteRecall))
		})
	}
}

// detect records a person's positive result, the first time only.
func (t *Testing) detect(smp *sample, now sim.Time) {
	p := smp.person
	if t.found[p] {
		return
	}
	t.found[p] = true
	t.nFound++
	for _, tr := range t.triggers {
		if tr.after == t.nFound {
			day := math.Floor(float64(now)) + 1
			t.m.Sim().AtFunc(sim.Time(day)+t.cfg.Mass[tr.campaign].Start, model.PriorityTesting, tr.start)
		}
	}
	inf := t.m.InfectionOf(p)
	r := smp.route
	w := float64(inf.Weight())
	t.m.Count(t.detections, now, w)
	t.m.Count(t.detByRoute[r], now, w)
	ta := float64(now - smp.swab)
	t.m.Count(t.turnaroundSum, now, ta*w)
	t.turnaround[r].Add(ta)
	t.turnaroundAll[r] = append(t.turnaroundAll[r], ta)
	t.toDetection.Add(float64(now - inf.Time))
	t.m.Detect(p, t.m.RouteName(r), smp.swab)
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
	if n <= 0 {
		return
	}
	class := t.labClass(route)
	t.inFlight++
	t.m.Sim().AtFunc(at, model.PriorityTesting, func() {
		t.m.Count(t.swabs, t.m.Now(), float64(n))
		t.m.Count(t.tubesUsed, t.m.Now(), float64(n))
		t.m.Sim().AfterFunc(sim.Duration(t.cfg.Courier.Mean()), model.PriorityTesting, func() {
			t.inFlight--
			t.lab.ArriveClass(otherVolume, n, class)
		})
	})
}

// requestAt schedules a single-tube swab of infected person p at time at.
func (t *Testing) requestAt(p model.PersonID, at sim.Time, route uint8) {
	t.samples = append(t.samples, sample{person: p, route: route, swab: at, site: -1, tube: -1})
	t.inFlight++
	t.m.Sim().At(at, t.kDirect, int64(len(t.samples)-1))
}

// onDirect takes a single-tube swab and sends it to the lab by courier.
func (t *Testing) onDirect(e sim.Event) {
	t.inFlight--
	si := int32(e.ID)
	smp := &t.samples[si]
	if t.found[smp.person] {
		return // already known: no need
	}
	// A case that stands for w people ([Infection.Weight]) is w swabs and w
	// tubes: one followed, the others volume beside it.
	w := t.m.InfectionOf(smp.person).Weight()
	t.m.Count(t.swabs, e.Time, float64(w))
	t.m.Count(t.tubesUsed, e.Time, float64(w))
	smp.swab = e.Time
	smp.tube = int32(len(t.tubes))
	t.tubes = append(t.tubes, tube{members: []int32{si}, pool: 1, route: smp.route, index: -1})
	courier := t.cfg.Courier.Sample(t.draws.keyed(t.m, smp.person, "courier", uint64(si)))
	class := t.labClass(t.m.RouteName(smp.route))
	ti := int64(smp.tube)
	t.inFlight++
	t.m.Sim().AfterFunc(sim.Duration(courier), model.PriorityTesting, func() {
		t.inFlight--
		t.lab.ArriveClass(ti, 1, class)
		if w > 1 {
			t.lab.ArriveClass(otherVolume, w-1, class)
		}
	})
}

// arriveAt schedules infected person p to come to the site of group gi at time
// at, by route.
func (t *Testing) arriveAt(p model.PersonID, gi int, at sim.Time, route uint8) {
	si := t.siteFor(gi, p)
	if si < 0 {
		return
	}
	t.samples = append(t.samples, sample{person: p, route: route, site: si, tube: -1})
	t.inFlight++
	t.m.Sim().At(at, t.kArrive, int64(len(t.samples)-1))
}

// onArrive puts an infected person in the queue of their site: they are swabbed
// when those ahead of them are.
func (t *Testing) onArrive(e sim.Event) {
	t.inFlight--
	smp := &t.samples[e.ID]
	if t.m.Confinement(smp.person) == model.Facility || t.found[smp.person] {
		return // not at home, or known already: not in the round
	}
	s := &t.sites[smp.site]
	s.advance(float64(e.Time))
	t.inFlight++
	t.m.Sim().At(sim.Time(s.swabTime(float64(e.Time))), t.kSiteSwab, e.ID)
	t.schedulePickup(smp.site)
}

// onSiteSwab swabs an infected person at their site, into the tube their place
// in the swab order falls in.
//
// The place is drawn so that the infected are a random subset of the swab order
// (pools are then exactly Dorfman's): the people swabbed between two infected
// ones are Poisson with mean the uninfected share of the fluid swabbed between
// them, as when both arrive as Poisson processes, whose merged order marks each
// swab infected independently. The share infected is estimated by the infected
// swabbed so far over all swabs so far. The places follow the fluid count within
// its random error (about its square root) and are brought back to it when the
// site closes for the day; a place is never in a tube already collected.
func (t *Testing) onSiteSwab(e sim.Event) {
	t.inFlight--
	smpIdx := int32(e.ID)
	smp := &t.samples[smpIdx]
	si := smp.site
	s := &t.sites[si]
	s.advance(float64(e.Time))
	s.infected++
	uninfected := 1.0
	if s.served > 0 {
		uninfected = max(0, 1-s.infected/s.served)
	}
	t.m.PersonStream(smp.person).Named("swab place").Key(math.Float64bits(float64(e.Time))).Seed(&t.draws.pcg)
	k := s.lastSlot + 1 + int64(sim.Poisson(t.draws.rand(), uninfected*max(0, s.served-s.lastServed)))
	k = max(k, s.picked*int64(s.pool))
	s.lastSlot, s.lastServed = k, s.served
	index := k / int64(s.pool)
	smp.swab = e.Time
	if n := len(s.marked); n > 0 && t.tubes[s.marked[n-1]].index == index {
		ti := s.marked[n-1]
		t.tubes[ti].members = append(t.tubes[ti].members, smpIdx)
		smp.tube = ti
	} else {
		smp.tube = int32(len(t.tubes))
		t.tubes = append(t.tubes, tube{members: []int32{smpIdx}, pool: s.pool, route: smp.route, index: index})
		s.marked = append(s.marked, smp.tube)
	}
	t.schedulePickup(si)
}

// startRound starts round r of mass-testing campaign ci: the volume of every
// site of its areas, and the infected residents who come.
func (t *Testing) startRound(ci, r int) {
	mt := &t.cfg.Mass[ci]
	gi := t.groupIndex(mt.Sites)
	now := t.m.Now()
	end := now.Add(mt.Window)
	for _, li := range t.leavesOf(mt.Areas) {
		for _, si := range t.siteOf[gi][li] {
			s := &t.sites[si]
			t.addVolume(si, float64(s.hi-s.lo)*mt.Participation, now, end)
		}
	}
	ar := activeRound{campaign: ci, round: r, start: now, end: end}
	t.rounds = append(t.rounds, ar)
	for i := 0; i < t.m.Infections(); i++ {
		t.joinRound(&ar, t.m.Infection(i))
	}
	t.m.Sim().AtFunc(end, model.PriorityTesting, func() {
		for k, x := range t.rounds {
			if x == ar {
				t.rounds = append(t.rounds[:k], t.rounds[k+1:]...)
				break
			}
		}
	})
}

// joinRound decides whether infected inf comes to round ar, and when: keyed by
// the person and the round, an arrival time spread over the window and a draw
// against the participation. Someone infected after their arrival time comes
// uninfected, as volume.
func (t *Testing) joinRound(ar *activeRound, inf *model.Infection) {
	mt := &t.cfg.Mass[ar.campaign]
	if !t.inAreas(inf.Person, mt.Areas) || t.found[inf.Person] {
		return
	}
	key := t.m.PersonStream(inf.Person).Named("mass").Key(uint64(ar.campaign)).Key(uint64(ar.round))
	if key.Key(0).Float64() >= mt.Participation {
		return
	}
	si := t.siteFor(t.groupIndex(mt.Sites), inf.Person)
	if si < 0 {
		return
	}
	at := spreadOverOpenHours(&t.sites[si], ar.start, ar.end, key.Key(1).Float64())
	if at < inf.Time || at < t.m.Now() {
		return
	}
	t.arriveAt(inf.Person, t.groupIndex(mt.Sites), at, t.route(RouteMass))
}

// spreadOverOpenHours returns the time at fraction u of a site's opening hours
// within [start, end): where an arrival falls when arrivals are even over them.
func spreadOverOpenHours(s *site, start, end sim.Time, u float64) sim.Time {
	target := u * s.openTimeIn(float64(start), float64(end))
	for t := float64(start); t < float64(end); {
		open, next := s.openAt(t)
		next = math.Min(next, float64(end))
		if open {
			if next-t >= target {
				return sim.Time(t + target)
			}
			target -= next - t
		}
		t = next
	}
	return end
}

// startScreening starts screening programme i: each member is tested every
// Every days at their own phase.
func (t *Testing) startScreening(i int) {
	sc := &t.cfg.Screening[i]
	if sc.Sites != "" {
		gi := t.groupIndex(sc.Sites)
		end := sc.End
		if end == 0 {
			end = sim.Time(math.Inf(1))
		}
		share := t.memberShare(sc.Group)
		for _, li := range t.leavesOf(sc.Areas) {
			for _, si := range t.siteOf[gi][li] {
				s := &t.sites[si]
				perDay := float64(s.hi-s.lo) * share / float64(sc.Every)
				t.addScreeningVolume(si, perDay, t.m.Now(), end)
			}
		}
	} else {
		// Idealised screening: count the tests, day by day.
		share := t.memberShare(sc.Group)
		people := 0.0
		for _, li := range t.leavesOf(sc.Areas) {
			lo, hi := t.m.AreaPeople(t.leaves[li])
			people += float64(hi-lo) * share
		}
		perDay := people / float64(sc.Every)
		var day func()
		day = func() {
			if sc.End > 0 && t.m.Now() >= sc.End {
				return
			}
			t.m.Count(t.swabs, t.m.Now(), perDay)
			t.m.Count(t.tubesUsed, t.m.Now(), perDay)
			t.m.Sim().AfterFunc(sim.Day, model.PriorityTesting, day)
		}
		day()
	}
	for j := 0; j < t.m.Infections(); j++ {
		t.screenNext(i, t.m.Infection(j), false)
	}
	t.screening[i] = true
}

// addScreeningVolume adds the demand of a screening programme to a site in
// pieces of 30 days, so that a programme with no end keeps going.
func (t *Testing) addScreeningVolume(si int32, perDay float64, start, end sim.Time) {
	stop := sim.Time(math.Min(float64(end), float64(start)+30))
	t.addVolume(si, perDay*float64(stop-start), start, stop)
	if stop < end {
		t.m.Sim().AtFunc(stop, model.PriorityTesting, func() { t.addScreeningVolume(si, perDay, stop, end) })
	}
}

// memberShare returns the share of people who belong to the named group layer
// (1 for none).
func (t *Testing) memberShare(group string) float64 {
	if group == "" {
		return 1
	}
	pop := &t.m.Config().Population
	for _, g := range pop.Layers.Groups {
		if g.Name == group {
			share := 0.0
			for _, ag := range pop.AgeGroups {
				if len(g.Ages) == 0 || slices.Contains(g.Ages, ag.Name) {
					share += ag.Share
				}
			}
			if g.Share == 0 {
				return share
			}
			return share * g.Share
		}
	}
	return 0
}

// screenNext schedules the next screening test of infected inf under programme
// i, if they are screened and the programme runs then: the first time of their
// cycle at or after now, or after now if strict (from the previous test).
func (t *Testing) screenNext(i int, inf *model.Infection, strict bool) {
	sc := &t.cfg.Screening[i]
	p := inf.Person
	if t.found[p] || !t.inAreas(p, sc.Areas) {
		return
	}
	if sc.Group != "" {
		member := false
		for l, g := range t.m.Config().Population.Layers.Groups {
			if g.Name == sc.Group {
				_, member = t.m.GroupOf(p, l)
			}
		}
		if !member {
			return
		}
	}
	now := t.m.Now()
	phase := t.m.PersonStream(p).Named("screening").Key(uint64(i)).Float64() * float64(sc.Every)
	// The first test time at or after now (and after the infection) in p's cycle.
	from := math.Max(float64(now), float64(sc.Start))
	k := math.Ceil((from - float64(sc.Start) - phase) / float64(sc.Every))
	at := sim.Time(float64(sc.Start) + phase + k*float64(sc.Every))
	if at < now || strict && at == now {
		at = at.Add(sc.Every)
	}
	if sc.End > 0 && at >= sc.End || at > inf.Recovery+30 {
		return
	}
	route := t.route(RouteScreening)
	t.m.Sim().AtFunc(at, model.PriorityTesting, func() {
		if t.found[p] {
			return
		}
		if sc.Turnaround != nil {
			t.idealTest(p, route, *sc.Turnaround)
		} else {
			t.arriveAt(p, t.groupIndex(sc.Sites), t.m.Now(), route)
		}
		t.screenNext(i, inf, true)
	})
}

// idealTest tests infected p now with a result after turnaround, outside the
// pipeline: a single PCR sample, no capacity limit.
func (t *Testing) idealTest(p model.PersonID, route uint8, turnaround sim.Dist) {
	inf := t.m.InfectionOf(p)
	now := t.m.Now()
	vl := t.m.ViralLoadOf(inf, &t.cfg.ViralLoad)
	if vl.Log10(now) < t.cfg.Test.LoD {
		return
	}
	t.samples = append(t.samples, sample{person: p, route: route, swab: now, site: -1, tube: -1})
	si := len(t.samples) - 1
	delay := turnaround.Sample(t.draws.keyed(t.m, p, "turnaround", uint64(si)))
	t.inFlight++
	t.m.Sim().AfterFunc(sim.Duration(delay), model.PriorityTesting, func() {
		t.inFlight--
		t.detect(&t.samples[si], t.m.Now())
	})
}

// OnInfection puts a new infection into the rounds and programmes under way, and
// tests arrivals at entry.
func (t *Testing) OnInfection(m *model.Model, inf *model.Infection) {
	for k := range t.rounds {
		t.joinRound(&t.rounds[k], inf)
	}
	for i, sc := range t.cfg.Screening {
		// An infection before the programme starts is scheduled by startScreening,
		// once.
		if t.screening[i] && (sc.End == 0 || m.Now() < sc.End) {
			t.screenNext(i, inf, false)
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
	m.SetDay(t.labBacklog, day, float64(t.lab.QueueLen()))
	q := 0.0
	for i := range t.sites {
		s := &t.sites[i]
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
	if t.inFlight > 0 || t.lab.QueueLen() > 0 || t.lab.Busy() > 0 {
		return true
	}
	for i := range t.sites {
		if t.sites[i].pickups {
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
	for _, v := range t.turnaroundAll {
		all = append(all, v...)
	}
	p95 := math.NaN()
	if len(all) > 0 {
		sort.Float64s(all)
		p95 = 24 * sim.Quantile(all, 0.95)
	}
	siteDone := math.NaN()
	if t.lastSiteResult > 0 {
		siteDone = float64(t.lastSiteResult)
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
	r := TestingReport{Turnaround: map[string]TurnaroundStats{}, ToDetection: t.toDetection.Summary(), LastResult: t.lastResult, LastSiteResult: t.lastSiteResult}
	var busy, open, qArea, qMax float64
	for i := range t.sites {
		s := &t.sites[i]
		s.advance(float64(now))
		busy += s.busy
		open += s.openTime
		qArea += s.qArea
		qMax = math.Max(qMax, s.qMax)
	}
	r.Sites = sim.ResourceReport{Name: "sites", Capacity: len(t.sites), BusyTime: busy, MaxQueue: qMax, Period: sim.Duration(now)}
	if open > 0 {
		r.Sites.Utilization = busy / open
	}
	if now > 0 {
		r.Sites.MeanQueue = qArea / float64(now)
	}
	r.Lab = t.lab.Report(now)
	r.Bottleneck = "sites"
	if r.Lab.Utilization > r.Sites.Utilization {
		r.Bottleneck = "lab"
	}
	r.Tubes = t.m.Total(t.tubesUsed)
	r.Swabs = t.m.Total(t.swabs)
	for ri := range t.turnaround {
		if t.turnaround[ri].N() == 0 {
			continue
		}
		name := t.m.RouteName(uint8(ri))
		v := append([]float64(nil), t.turnaroundAll[ri]...)
		sort.Float64s(v)
		r.Turnaround[name] = TurnaroundStats{Summary: t.turnaround[ri].Summary(), P50: sim.Quantile(v, 0.5), P90: sim.Quantile(v, 0.9)}
	}
	return r
}

// String describes a report in a line.
func (r TestingReport) String() string {
	return fmt.Sprintf("%.0f swabs, %.0f tubes; sites %.0f%% busy, lab %.0f%% busy; bottleneck %s",
		r.Swabs, r.Tubes, 100*r.Sites.Utilization, 100*r.Lab.Utilization, r.Bottleneck)
}

// AddInstruments adds n PCR instruments to the lab now (a surge of capacity).
func (t *Testing) AddInstruments(n int) { t.lab.AddMachines(n) }
