package control

import (
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// tracing is contact tracing: investigators and their queue, and the close
// contacts each investigation finds, infected (people) or not (volume).
type tracing struct {
	*Response
	tracers *sim.Server
	// The infections each case caused, in the order they happened: lists
	// threaded through slices by infection number (model.InfectionNumber),
	// each case's first and last child and each child's next sibling, -1 for
	// none (cheaper than a map of slices, one entry a case).
	firstChild, lastChild, nextSibling []int32
	kInvestigate                       sim.Kind
	backlog                            model.Daily

	onTraced func(p model.PersonID) // for tests: called when an investigation ends

	// the second ring: people quarantined (the infected among them too) and
	// the infected among them
	secondRingPeople   float64
	secondRingInfected int
}

// investigate puts a case in the investigators' queue (or traces it at once).
func (r *tracing) investigate(p model.PersonID) {
	if r.tracers == nil {
		r.trace(p)
		return
	}
	prio := 0
	if r.inControl[p] {
		prio = 1
	}
	r.tracers.Arrive(sim.Job{ID: int64(p), Priority: prio})
}

// findProb returns the probability of finding a contact in layer l.
func (r *tracing) findProb(l model.Layer) float64 {
	f := &r.cfg.Tracing.Find
	switch l {
	case model.LayerHousehold:
		return f.Household
	case model.LayerCommunity:
		return f.Community
	case model.LayerCity:
		return f.City
	case model.LayerImport:
		return 0
	}
	return f.Group
}

// trace ends the investigation of case p: its close contacts since Lookback
// before its reference time are found, each with the probability of its layer,
// and quarantined. Infected contacts are people; the others are volume.
func (r *tracing) trace(p model.PersonID) {
	if r.onTraced != nil {
		r.onTraced(p)
	}
	m := r.m
	tr := &r.cfg.Tracing
	from := r.caseRef[p].Add(-tr.Lookback)
	now := m.Now()
	household := 0
	second := 0.0 // uninfected contacts of contacts found, as volume
	for _, c := range r.found(p, from) {
		if m.InfectionOf(c).Layer == model.LayerHousehold {
			household++
		}
		r.quarantines.quarantinePerson(c, &r.cfg.Quarantine)
		if tr.SecondRing != nil {
			// The people c met since its infection, found with the same chance
			// whether c infected them or not: those it infected as people, the
			// others as volume.
			exposed := m.InfectionOf(c).Time
			kids, hh := 0, 0
			for _, cc := range r.found(c, exposed) {
				if m.InfectionOf(cc).Layer == model.LayerHousehold {
					hh++
				}
				kids++
				r.secondRingInfected++
				r.secondRingPeople++
				r.quarantines.quarantinePerson(cc, tr.SecondRing)
			}
			_, size := m.Household(c)
			second += float64(r.weight(c)) * (max(0, float64(size-1-hh))*tr.Find.Household +
				max(0, float64(now-exposed)*r.outside()-float64(kids-hh)))
		}
	}
	// The uninfected close contacts: the rest of the household, and the
	// contacts of the other layers over the days since the window opened.
	_, size := m.Household(p)
	// Contacts count until the case was notified and isolated, not until the
	// investigation (which may wait in a backlog).
	days := max(0, float64(r.notified[p]-from))
	volume := float64(size-1-household)*tr.Find.Household + days*r.outside()
	if w := r.weight(p); w > 1 {
		volume *= float64(w) // a case that stands for w people has w people's contacts
	}
	// Contacts already in quarantine are not quarantined again, and no more
	// are quarantined than the people who are not (a bound that only a trace
	// of more contacts than the city has reaches).
	free := r.quarantines.inQuarantine.free(now, m.Population())
	volume = min(volume*free, free*float64(m.Population()))
	n := int(volume)
	if u := m.PersonStream(p).Named("traced volume").Float64(); u < volume-float64(n) {
		n++
	}
	r.quarantines.quarantineVolume(n, &r.cfg.Quarantine)
	if tr.SecondRing != nil {
		// Each uninfected close contact's own household (about the size of the
		// case's) and the people it met since its contact with the case, on
		// average half-way through the window.
		exposure := max(0, float64(now)-(float64(from)+float64(r.notified[p]))/2)
		// The new close contacts' contacts (those already in quarantine were
		// traced before), thinned as the close contacts were, within the
		// people still free after them.
		second += float64(n) * (float64(size-1)*tr.Find.Household + exposure*r.outside())
		second = min(second*free, r.quarantines.inQuarantine.free(now, m.Population())*float64(m.Population()))
		k := int(second)
		if u := m.PersonStream(p).Named("second ring volume").Float64(); u < second-float64(k) {
			k++
		}
		r.secondRingPeople += float64(k)
		r.quarantines.quarantineVolume(k, tr.SecondRing)
	}
}

// outside returns the close contacts found per day of contacts outside the
// household.
func (r *tracing) outside() float64 {
	tr := &r.cfg.Tracing
	return tr.ContactsPerDay.Community*tr.Find.Community + tr.ContactsPerDay.City*tr.Find.City +
		tr.ContactsPerDay.Group*tr.Find.Group
}

// found returns the people case p infected since time from whom tracing finds,
// each with the probability of the layer they met in, keyed by both.
func (r *tracing) found(p model.PersonID, from sim.Time) []model.PersonID {
	m := r.m
	var out []model.PersonID
	j := m.InfectionNumber(p)
	if j < 0 || j >= len(r.firstChild) {
		return nil
	}
	for c := r.firstChild[j]; c >= 0; c = r.nextSibling[c] {
		inf := m.Infection(int(c))
		if inf.Time < from {
			continue
		}
		if m.PersonStream(inf.Person).Named("traced").Key(uint64(p)).Float64() < r.findProb(inf.Layer) {
			out = append(out, inf.Person)
		}
	}
	return out
}

// addChild records infection inf in its infector's list of children.
func (r *tracing) addChild(inf *model.Infection) {
	m := r.m
	i := int32(m.InfectionNumber(inf.Person))
	for int(i) >= len(r.firstChild) { // the infections up to this one, imports included
		r.firstChild = append(r.firstChild, -1)
		r.lastChild = append(r.lastChild, -1)
		r.nextSibling = append(r.nextSibling, -1)
	}
	j := m.InfectionNumber(inf.Infector) // before i: the infector was infected first
	if r.firstChild[j] < 0 {
		r.firstChild[j] = i
	} else {
		r.nextSibling[r.lastChild[j]] = i
	}
	r.lastChild[j] = i
}
