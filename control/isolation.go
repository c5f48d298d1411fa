package control

import (
	"math"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// isolation is the isolation of confirmed cases: at home from notification,
// transfer by vehicle to an isolation bed, and hospital beds for severe cases.
type isolation struct {
	*Response
	vehicles       *sim.Server
	beds, hospital *sim.Pool
	atHome         map[model.PersonID]bool // cases isolated at home now

	kTransfer, kAdmit sim.Kind

	isolationDays, homeIsolationDays, overflowBeds model.Daily
	hospitalDays, overflowHospital                 model.Daily
}

// transfer sends a vehicle for a case (at once with no limit on vehicles).
func (r *isolation) transfer(p model.PersonID) {
	if r.vehicles == nil {
		r.m.Sim().After(r.cfg.Isolation.Trip, r.kAdmit, int64(p))
		return
	}
	r.vehicles.Arrive(sim.Job{ID: int64(p), Service: r.cfg.Isolation.Trip})
}

// admit takes a case into an isolation bed, or leaves it isolated at home when
// there is none, until discharge.
func (r *isolation) admit(p model.PersonID) {
	m := r.m
	now := m.Now()
	stay := sim.Duration(r.cfg.Isolation.Stay.Sample(r.draws.keyed(r.m, p, "isolation stay", 0)))
	w := m.InfectionOf(p).Weight()
	bed := r.beds == nil || r.beds.Acquire(int64(p), min(w, r.beds.Capacity()))
	if bed {
		r.homeIsolation(p, false)
		m.Confine(p, model.Facility)
		m.Level(r.isolationDays, now, now.Add(stay), float64(w))
	} else {
		m.Count(r.overflowBeds, now, float64(w))
	}
	m.Sim().AfterFunc(stay, model.PriorityPolicy, func() {
		if bed && r.beds != nil {
			r.beds.Release(min(w, r.beds.Capacity()))
		}
		r.homeIsolation(p, false)
		m.Confine(p, model.Free)
	})
}

// homeIsolation starts or ends the count of case p's days isolated at home.
func (r *isolation) homeIsolation(p model.PersonID, on bool) {
	if r.atHome[p] == on {
		return
	}
	r.atHome[p] = on
	v := float64(r.m.InfectionOf(p).Weight())
	if !on {
		v = -v
	}
	r.m.Level(r.homeIsolationDays, r.m.Now(), sim.Time(math.Inf(1)), v)
}
