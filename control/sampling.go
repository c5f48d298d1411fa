package control

import (
	"math"
	"slices"
	"sort"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// sampling is the pipeline's sampling sites: where they are, whom each
// serves, and the infected people in their queues, swabbed into the tubes
// their places in the swab order fall in (see [site] for the volume).
type sampling struct {
	*Testing
	sites  []site
	siteOf [][][]int32    // by site group, then by leaf (index in leaves): its sites
	leaves []model.AreaID // the city's leaf areas

	kArrive, kSiteSwab sim.Kind
}

// buildSites places the sites of every group in the leaf areas it covers.
//
// The sites are counted first and held in one allocation: a city-wide group
// is thousands of sites (4,200 in the Fujian file), which every run builds,
// and growing the slice by appends cost most of the building (a fit's
// profile, issue #19).
func (t *sampling) buildSites() {
	leaves := make([][]int, len(t.cfg.Sites))
	total := 0
	for gi, g := range t.cfg.Sites {
		leaves[gi] = t.leavesOf(g.Areas)
		for _, li := range leaves[gi] {
			total += int(t.sitesIn(li, g))
		}
	}
	t.sites = slices.Grow(t.sites, total)
	for gi, g := range t.cfg.Sites {
		perLeaf := make([][]int32, len(t.leaves))
		for _, li := range leaves[gi] {
			lo, hi := t.m.AreaPeople(t.leaves[li])
			pop := int64(hi - lo)
			n := t.sitesIn(li, g)
			perLeaf[li] = make([]int32, 0, n)
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

// sitesIn returns the number of sites of group g in leaf li: one per
// PeoplePerSite residents, rounded, and at least one.
func (t *sampling) sitesIn(li int, g SiteGroup) int64 {
	lo, hi := t.m.AreaPeople(t.leaves[li])
	pop := int64(hi - lo)
	return max(1, (pop+int64(g.PeoplePerSite)/2)/int64(g.PeoplePerSite))
}

// leavesOf returns the indices (in leaves) of the leaf areas under the named
// areas; no names means every leaf.
func (t *sampling) leavesOf(names []string) []int {
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
func (t *sampling) inAreas(p model.PersonID, names []string) bool {
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
func (t *sampling) siteFor(gi int, p model.PersonID) int32 {
	list := t.siteOf[gi][t.m.LeafOf(p)]
	k := sort.Search(len(list), func(k int) bool { return t.sites[list[k]].hi > p })
	if k == len(list) {
		return -1
	}
	return list[k]
}

// groupIndex returns the index of the named site group.
func (t *sampling) groupIndex(name string) int {
	for i, g := range t.cfg.Sites {
		if g.Name == name {
			return i
		}
	}
	panic("model: unknown site group " + name) // validated in Attach
}

// addVolume adds volume demand to site si: people arriving evenly over the site's
// opening hours within [start, end).
func (t *sampling) addVolume(si int32, people float64, start, end sim.Time) {
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
	t.transport.schedulePickup(si)
}

// arriveAt schedules infected person p to come to the site of group gi at time
// at, by route.
func (t *sampling) arriveAt(p model.PersonID, gi int, at sim.Time, route uint8) {
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
func (t *sampling) onArrive(e sim.Event) {
	t.inFlight--
	smp := &t.samples[e.ID]
	if t.m.Confinement(smp.person) == model.Facility || t.found[smp.person] {
		return // not at home, or known already: not in the round
	}
	s := &t.sites[smp.site]
	s.advance(float64(e.Time))
	t.inFlight++
	t.m.Sim().At(sim.Time(s.swabTime(float64(e.Time))), t.kSiteSwab, e.ID)
	t.transport.schedulePickup(smp.site)
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
func (t *sampling) onSiteSwab(e sim.Event) {
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
	k := s.lastSlot + 1 + int64(sim.Poisson(&t.draws.pcg, uninfected*max(0, s.served-s.lastServed)))
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
	t.transport.schedulePickup(si)
}
