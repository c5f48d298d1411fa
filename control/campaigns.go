package control

import (
	"math"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// campaigns is the demand of mass-testing campaigns: their rounds under way
// and those waiting for a number of detections.
type campaigns struct {
	*Testing
	rounds      []activeRound // rounds under way
	triggers    []massTrigger
	massStopped []bool // by campaign: stopped at a switch
}

// massTrigger is a campaign waiting for its number of detections.
type massTrigger struct {
	campaign, after int
	start           func()
}

// activeRound is a mass-testing round under way.
type activeRound struct {
	campaign   int
	round      int
	start, end sim.Time
}

// scheduleCampaign schedules the rounds of mass-testing campaign i, none before
// time from: the first at its start (or on the day after its trigger), the
// others every Every, until its rounds are done or it is stopped by a [Switch].
func (t *campaigns) scheduleCampaign(i int, from sim.Time) {
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

// startRound starts round r of mass-testing campaign ci: the volume of every
// site of its areas, and the infected residents who come.
func (t *campaigns) startRound(ci, r int) {
	mt := &t.cfg.Mass[ci]
	gi := t.sampling.groupIndex(mt.Sites)
	now := t.m.Now()
	end := now.Add(mt.Window)
	// The sites open at once: their first collections are one sweep (see
	// transport).
	t.transport.begin()
	for _, li := range t.sampling.leavesOf(mt.Areas) {
		for _, si := range t.sampling.siteOf[gi][li] {
			s := &t.sampling.sites[si]
			t.sampling.addVolume(si, float64(s.hi-s.lo)*mt.Participation, now, end)
		}
	}
	t.transport.end()
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
func (t *campaigns) joinRound(ar *activeRound, inf *model.Infection) {
	mt := &t.cfg.Mass[ar.campaign]
	if !t.sampling.inAreas(inf.Person, mt.Areas) || t.found[inf.Person] {
		return
	}
	key := t.m.PersonStream(inf.Person).Named("mass").Key(uint64(ar.campaign)).Key(uint64(ar.round))
	if key.Key(0).Float64() >= mt.Participation {
		return
	}
	si := t.sampling.siteFor(t.sampling.groupIndex(mt.Sites), inf.Person)
	if si < 0 {
		return
	}
	at := spreadOverOpenHours(&t.sampling.sites[si], ar.start, ar.end, key.Key(1).Float64())
	if at < inf.Time || at < t.m.Now() {
		return
	}
	t.sampling.arriveAt(inf.Person, t.sampling.groupIndex(mt.Sites), at, t.route(RouteMass))
}

// spreadOverOpenHours returns the time at fraction u of a site's opening hours
// within [start, end): where an arrival falls when arrivals are even over them.
func spreadOverOpenHours(s *site, start, end sim.Time, u float64) sim.Time {
	target := u * s.openTimeIn(float64(start), float64(end))
	for t := float64(start); t < float64(end); {
		open, next := s.openAt(t)
		next = min(next, float64(end))
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
