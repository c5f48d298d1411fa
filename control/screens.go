package control

import (
	"math"
	"slices"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// screens is the demand of routine screening programmes.
type screens struct {
	*Testing
	// started: by programme, whether it has started (from then on,
	// OnInfection schedules the tests of new infections; before,
	// startScreening does).
	started []bool
}

// startScreening starts screening programme i: each member is tested every
// Every days at their own phase.
func (t *screens) startScreening(i int) {
	sc := &t.cfg.Screening[i]
	if sc.Sites != "" {
		gi := t.sampling.groupIndex(sc.Sites)
		end := sc.End
		if end == 0 {
			end = sim.Time(math.Inf(1))
		}
		share := t.memberShare(sc.Group)
		for _, li := range t.sampling.leavesOf(sc.Areas) {
			for _, si := range t.sampling.siteOf[gi][li] {
				s := &t.sampling.sites[si]
				perDay := float64(s.hi-s.lo) * share / float64(sc.Every)
				t.addScreeningVolume(si, perDay, t.m.Now(), end)
			}
		}
	} else {
		// Idealised screening: count the tests, day by day.
		share := t.memberShare(sc.Group)
		people := 0.0
		for _, li := range t.sampling.leavesOf(sc.Areas) {
			lo, hi := t.m.AreaPeople(t.sampling.leaves[li])
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
	t.screens.started[i] = true
}

// addScreeningVolume adds the demand of a screening programme to a site in
// pieces of 30 days, so that a programme with no end keeps going.
func (t *screens) addScreeningVolume(si int32, perDay float64, start, end sim.Time) {
	stop := sim.Time(min(float64(end), float64(start)+30))
	t.sampling.addVolume(si, perDay*float64(stop-start), start, stop)
	if stop < end {
		t.m.Sim().AtFunc(stop, model.PriorityTesting, func() { t.addScreeningVolume(si, perDay, stop, end) })
	}
}

// memberShare returns the share of people who belong to the named group layer
// (1 for none).
func (t *screens) memberShare(group string) float64 {
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
func (t *screens) screenNext(i int, inf *model.Infection, strict bool) {
	sc := &t.cfg.Screening[i]
	p := inf.Person
	if t.found[p] || !t.sampling.inAreas(p, sc.Areas) {
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
	from := max(float64(now), float64(sc.Start))
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
			t.sampling.arriveAt(p, t.sampling.groupIndex(sc.Sites), t.m.Now(), route)
		}
		t.screenNext(i, inf, true)
	})
}

// idealTest tests infected p now with a result after turnaround, outside the
// pipeline: a single PCR sample, no capacity limit.
func (t *screens) idealTest(p model.PersonID, route uint8, turnaround sim.Dist) {
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
		t.reporting.detect(&t.samples[si], t.m.Now())
	})
}
