package control

import (
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// transport is how samples reach the lab: vans that collect the closed
// tubes of the sites, and couriers that bring single tubes swabbed elsewhere.
type transport struct {
	*Testing
	sends []delivery // loads on the road, by the id of their delivery event
	free  []int32    // slots of sends delivered, to reuse

	kDirect, kPickup, kDeliver sim.Kind
}

// delivery is a van's load of tubes from a site.
type delivery struct {
	site        int32
	first, last int64 // tube numbers [first, last)
	marked      []int32
}

// schedulePickup makes sure a collection is scheduled at site si.
func (t *transport) schedulePickup(si int32) {
	s := &t.sampling.sites[si]
	if s.pickups {
		return
	}
	s.pickups = true
	t.m.Sim().After(t.cfg.Sites[s.group].Pickup, t.kPickup, int64(si))
}

// onPickup collects the closed tubes of a site and sends them to the lab.
func (t *transport) onPickup(e sim.Event) {
	si := int32(e.ID)
	s := &t.sampling.sites[si]
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
func (t *transport) onDeliver(e sim.Event) {
	t.inFlight--
	d := &t.sends[e.ID]
	class := t.lab.labClass(RouteMass)
	next := d.first
	for _, ti := range d.marked {
		idx := t.tubes[ti].index
		if idx > next {
			t.lab.server.ArriveClass(siteVolume, int(idx-next), class)
		}
		t.lab.server.ArriveClass(int64(ti), 1, class)
		next = idx + 1
	}
	if d.last > next {
		t.lab.server.ArriveClass(siteVolume, int(d.last-next), class)
	}
	*d = delivery{} // done with it
	t.free = append(t.free, int32(e.ID))
}

// onDirect takes a single-tube swab and sends it to the lab by courier.
func (t *transport) onDirect(e sim.Event) {
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
	class := t.lab.labClass(t.m.RouteName(smp.route))
	ti := int64(smp.tube)
	t.inFlight++
	t.m.Sim().AfterFunc(sim.Duration(courier), model.PriorityTesting, func() {
		t.inFlight--
		t.lab.server.ArriveClass(ti, 1, class)
		if w > 1 {
			t.lab.server.ArriveClass(otherVolume, w-1, class)
		}
	})
}
