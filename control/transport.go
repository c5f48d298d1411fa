package control

import (
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// transport is how samples reach the lab: vans that collect the closed
// tubes of the sites, and couriers that bring single tubes swabbed elsewhere.
//
// Collections, and the deliveries they send, that fall at the same time one
// after the other in the event order are handled by one event, a sweep, that
// does for each in turn what its own event would have done: a city-wide round
// opens thousands of sites at once, whose vans then call every two hours
// together (4,200 sites, about 160,000 collections and 130,000 deliveries in
// a run of the Fujian file), and one event per collection made the event
// queue a fifth of a run's time (issue #19). Events fire in the order of
// (time, priority class, scheduling), so a sweep keeps the order of the events
// it stands for as long as no other event of the same time and class was
// scheduled between two of them: a sweep is joined only within the handler
// that scheduled it (a sweep of collections, or a round opening its sites,
// see [transport.begin]), and only while the last event that handler
// scheduled for that time is the sweep itself.
type transport struct {
	*Testing
	pickups    [][]int32    // sites to collect from, by the id of their sweep
	deliveries [][]delivery // loads on the road, by the id of their sweep
	freeP      []int32      // ids of pickups swept, to reuse
	freeD      []int32      // ids of deliveries swept, to reuse

	// While a handler schedules sweeps (scoped, depth scopes open), last
	// holds, for each time it scheduled a sweep for, the last one.
	scoped bool
	depth  int
	last   []lastSweep

	kDirect, kPickup, kDeliver sim.Kind
	// The swabs of a RequestVolume, and their tubes' arrival at the lab by
	// courier: typed events, as the requests of single contacts in quarantine
	// are many (about a fifth of a fit's events were these two closures).
	kVolume, kVolumeArrive sim.Kind
}

// volumeLoad packs a request of volume, n tubes (at most maxVolumeLoad) for the
// lab's class, into an event's payload.
func volumeLoad(n, class int) int64 { return int64(n)<<8 | int64(class) }

// maxVolumeLoad is the most tubes an event's payload holds, beside the class.
const maxVolumeLoad = 1<<55 - 1

// onVolume takes the swabs of a request of volume and sends their tubes to
// the lab by courier.
func (t *transport) onVolume(e sim.Event) {
	n := float64(e.ID >> 8)
	t.m.Count(t.swabs, e.Time, n)
	t.m.Count(t.tubesUsed, e.Time, n)
	t.m.Sim().After(sim.Duration(t.cfg.Courier.Mean()), t.kVolumeArrive, e.ID)
}

// onVolumeArrive hands a request's tubes to the lab.
func (t *transport) onVolumeArrive(e sim.Event) {
	t.inFlight--
	t.lab.server.ArriveClass(otherVolume, int(e.ID>>8), int(e.ID&0xff))
}

// noSweeps, set by tests only, makes every collection and delivery an event
// of its own, as before sweeps.
var noSweeps bool

// lastSweep is the sweep last scheduled for a time by the current handler.
type lastSweep struct {
	at   sim.Time
	kind sim.Kind
	id   int32
}

// delivery is a van's load of tubes from a site.
type delivery struct {
	site        int32
	first, last int64 // tube numbers [first, last)
	marked      []int32
}

// begin starts a handler's scope: until end, collections and deliveries it
// schedules for the same time, one after the other, are one sweep. Scopes may
// nest: each begin and end forgets the sweeps that could be joined (a sweep is
// then new), which is never wrong.
func (t *transport) begin() {
	t.depth++
	t.scoped = !noSweeps
	t.last = t.last[:0]
}

// end closes the scope that begin opened.
func (t *transport) end() {
	t.depth--
	t.scoped = t.depth > 0 && !noSweeps
	t.last = t.last[:0]
}

// sweepFor returns the id of the sweep of kind k at time at to add to: the
// last one the handler scheduled for that time if it is of kind k, or else a
// new one, scheduled now (new reports which). Outside a scope every sweep is
// new.
func (t *transport) sweepFor(k sim.Kind, at sim.Time) (id int32, isNew bool) {
	li := -1
	if t.scoped {
		for i := range t.last {
			if t.last[i].at == at {
				li = i
				break
			}
		}
		if li >= 0 && t.last[li].kind == k {
			return t.last[li].id, false
		}
	}
	if k == t.kPickup {
		if n := len(t.freeP); n > 0 {
			id, t.freeP = t.freeP[n-1], t.freeP[:n-1]
		} else {
			id = int32(len(t.pickups))
			t.pickups = append(t.pickups, nil)
		}
	} else {
		if n := len(t.freeD); n > 0 {
			id, t.freeD = t.freeD[n-1], t.freeD[:n-1]
		} else {
			id = int32(len(t.deliveries))
			t.deliveries = append(t.deliveries, nil)
		}
	}
	t.m.Sim().At(at, k, int64(id))
	if t.scoped {
		if li >= 0 {
			t.last[li] = lastSweep{at: at, kind: k, id: id}
		} else {
			t.last = append(t.last, lastSweep{at: at, kind: k, id: id})
		}
	}
	return id, true
}

// addPickup schedules a collection at site si at time at.
func (t *transport) addPickup(si int32, at sim.Time) {
	id, _ := t.sweepFor(t.kPickup, at)
	t.pickups[id] = append(t.pickups[id], si)
}

// addDelivery puts a load on the road, to reach the lab at time at.
func (t *transport) addDelivery(d delivery, at sim.Time) {
	t.inFlight++
	id, _ := t.sweepFor(t.kDeliver, at)
	t.deliveries[id] = append(t.deliveries[id], d)
}

// schedulePickup makes sure a collection is scheduled at site si.
func (t *transport) schedulePickup(si int32) {
	s := &t.sampling.sites[si]
	if s.pickups {
		return
	}
	s.pickups = true
	t.addPickup(si, t.m.Now().Add(t.cfg.Sites[s.group].Pickup))
}

// onPickup handles a sweep of collections.
func (t *transport) onPickup(e sim.Event) {
	sites := t.pickups[e.ID]
	t.begin()
	for _, si := range sites {
		t.pickup(si, e.Time)
	}
	t.end()
	t.pickups[e.ID] = sites[:0]
	t.freeP = append(t.freeP, int32(e.ID))
}

// pickup collects the closed tubes of site si and sends them to the lab.
func (t *transport) pickup(si int32, now sim.Time) {
	s := &t.sampling.sites[si]
	s.advance(float64(now))
	if len(s.streams) == 0 && s.q < 1e-9 {
		s.closeTube() // no one left to fill the last tube
	}
	t.m.Count(t.swabs, now, s.swabs-s.counted)
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
		t.m.Count(t.tubesUsed, now, float64(d.last-d.first))
		t.addDelivery(d, now.Add(t.cfg.Sites[s.group].Travel))
	}
	if s.active() {
		t.addPickup(si, now.Add(t.cfg.Sites[s.group].Pickup))
	} else {
		s.pickups = false
	}
}

// onDeliver handles a sweep of deliveries.
func (t *transport) onDeliver(e sim.Event) {
	loads := t.deliveries[e.ID]
	for i := range loads {
		t.deliver(&loads[i])
		loads[i] = delivery{} // done with it
	}
	t.deliveries[e.ID] = loads[:0]
	t.freeD = append(t.freeD, int32(e.ID))
}

// deliver hands a van's load to the lab: the volume as lots, each tube with an
// infected sample as a lot of its own, in tube order.
func (t *transport) deliver(d *delivery) {
	t.inFlight--
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
