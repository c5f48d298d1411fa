package control

import (
	"github.com/epiplan/epiplan/sim"
)

// labStage is the PCR lab network, one batch server with priority classes,
// and the results of the tubes that hold infected samples.
type labStage struct {
	*Testing
	server                     *sim.BatchServer
	lastResult, lastSiteResult sim.Time // the last result, and the last of a tube from the sites
}

// labClass returns the lab's priority class for a route.
func (t *labStage) labClass(route string) int {
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
func (t *labStage) onResult(l sim.Lot) {
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
	t.m.Sim().After(sim.Duration(delay), t.reporting.kNotify, l.ID)
}
