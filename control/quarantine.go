package control

import (
	"math"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// quarantines is the quarantine of close contacts: in rooms, then at home,
// tested on the protocol's days; infected contacts one by one, the others as
// volume.
type quarantines struct {
	*Response
	rooms        *sim.Pool
	quarantine   map[model.PersonID]sim.Time // infected contacts in quarantine: when it ends
	inRoom       map[model.PersonID]bool     // infected contacts in a quarantine room
	inQuarantine quarantined                 // people in quarantine now, for tracing's share already there

	quarantineDays, homeQuarantineDays, overflowRooms model.Daily
}

// quarantinePerson quarantines infected contact c from now: in a room if there is
// one, else at home; tested on the configured days; released at the end unless
// found positive.
func (r *quarantines) quarantinePerson(c model.PersonID, q *QuarantineConfig) {
	m := r.m
	if r.isolated[c] {
		return
	}
	if _, ok := r.quarantine[c]; ok {
		return
	}
	now := m.Now()
	end := now.Add(q.Centralized + q.Home)
	r.quarantine[c] = end
	w := r.weight(c)
	r.inQuarantine.add(float64(w))
	room := q.Centralized > 0 && (r.rooms == nil || r.rooms.Acquire(int64(c), min(w, r.rooms.Capacity())))
	if room {
		m.Confine(c, model.Facility)
		r.inRoom[c] = true
		m.Level(r.quarantineDays, now, sim.Time(math.Inf(1)), float64(w))
	} else {
		if q.Centralized > 0 {
			m.Count(r.overflowRooms, now, float64(w))
		}
		if r.complies(c, q) {
			m.Confine(c, model.Home)
		}
		m.Level(r.homeQuarantineDays, now, sim.Time(math.Inf(1)), float64(w))
	}
	for _, d := range q.Tests {
		if r.testing != nil {
			r.testing.Request(c, now.Add(d), "quarantine")
		}
	}
	m.Sim().AfterFunc(q.Centralized, model.PriorityPolicy, func() {
		if r.quarantine[c] != end || !r.inRoom[c] {
			return
		}
		r.leaveRoom(c)
		if r.complies(c, q) {
			m.Confine(c, model.Home)
		} else {
			m.Confine(c, model.Free)
		}
		m.Level(r.homeQuarantineDays, m.Now(), sim.Time(math.Inf(1)), float64(w))
	})
	m.Sim().AtFunc(end, model.PriorityPolicy, func() {
		if r.quarantine[c] != end {
			return
		}
		r.endQuarantine(c)
		m.Confine(c, model.Free)
	})
}

// complies reports whether contact c keeps to quarantine at home, keyed by the
// person.
func (r *quarantines) complies(c model.PersonID, q *QuarantineConfig) bool {
	return q.Compliance == 0 || r.m.PersonStream(c).Named("complies").Float64() < q.Compliance
}

// leaveRoom takes c out of their quarantine room.
func (r *quarantines) leaveRoom(c model.PersonID) {
	if !r.inRoom[c] {
		return
	}
	delete(r.inRoom, c)
	w := r.weight(c)
	if r.rooms != nil {
		r.rooms.Release(min(w, r.rooms.Capacity()))
	}
	r.m.Level(r.quarantineDays, r.m.Now(), sim.Time(math.Inf(1)), -float64(w))
}

// endQuarantine ends c's quarantine now (at its end, or when c is found
// positive).
func (r *quarantines) endQuarantine(c model.PersonID) {
	if _, ok := r.quarantine[c]; !ok {
		return
	}
	if r.inRoom[c] {
		r.leaveRoom(c)
	} else {
		r.m.Level(r.homeQuarantineDays, r.m.Now(), sim.Time(math.Inf(1)), -float64(r.weight(c)))
	}
	r.inQuarantine.add(-float64(r.weight(c)))
	delete(r.quarantine, c)
}

// quarantineVolume quarantines n uninfected contacts from now: rooms, tests and
// person-days, with no one to follow.
func (r *quarantines) quarantineVolume(n int, q *QuarantineConfig) {
	if n <= 0 {
		return
	}
	m := r.m
	now := m.Now()
	inRooms := 0
	if q.Centralized > 0 {
		inRooms = n
		if r.rooms != nil {
			inRooms = min(n, r.rooms.Free())
			if inRooms > 0 {
				r.rooms.Acquire(-1, inRooms)
			}
			m.Count(r.overflowRooms, now, float64(n-inRooms))
		}
	}
	home := n - inRooms
	centralEnd := now.Add(q.Centralized)
	m.Level(r.quarantineDays, now, centralEnd, float64(inRooms))
	m.Level(r.homeQuarantineDays, now, centralEnd, float64(home))
	m.Level(r.homeQuarantineDays, centralEnd, centralEnd.Add(q.Home), float64(n))
	r.inQuarantine.addVolume(float64(n), centralEnd.Add(q.Home))
	if inRooms > 0 && r.rooms != nil {
		m.Sim().AtFunc(centralEnd, model.PriorityPolicy, func() { r.rooms.Release(inRooms) })
	}
	if r.testing != nil {
		for _, d := range q.Tests {
			r.testing.RequestVolume(n, now.Add(d), "quarantine")
		}
	}
}
