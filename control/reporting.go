package control

import (
	"math"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// reporting is the notification of results: positive single tubes are
// detections, positive pools recall their members; and the turnaround of
// every detection, by route.
type reporting struct {
	*Testing
	kNotify       sim.Kind
	detByRoute    []model.Daily
	turnaround    []sim.Tally // by route: swab to notification
	turnaroundAll [][]float64 // by route, for quantiles
	toDetection   sim.Tally   // infection to notification
}

// onNotify tells the people of a positive tube: a single sample is a detection;
// a positive pool recalls each of its members for a single test at home.
func (t *reporting) onNotify(e sim.Event) {
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
			t.lab.server.ArriveClass(otherVolume, others, t.lab.labClass(RouteRecall))
		})
	}
}

// detect records a person's positive result, the first time only.
func (t *reporting) detect(smp *sample, now sim.Time) {
	p := smp.person
	if t.found[p] {
		return
	}
	t.found[p] = true
	t.nFound++
	for _, tr := range t.mass.triggers {
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
