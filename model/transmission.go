package model

import (
	"math"
	"math/bits"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/sim"
)

// expOf returns an exponential draw of mean 1 determined by s alone.
func expOf(s sim.Stream) float64 { return -math.Log1p(-s.Float64()) }

// scheduleImport schedules the arrival of import n+1 of the import process, after
// an exponential gap keyed by n.
func (m *Model) scheduleImport(n int64) {
	im := &m.cfg.Imports
	t := m.sim.Now().Add(sim.Duration(expOf(m.sImport.Named("gap").Key(uint64(n))) / im.Rate))
	if im.Until > 0 && t >= im.Until {
		m.importsDue--
		return
	}
	m.sim.At(t, m.kImport, n+1)
}

// onImport handles an arrival of the import process.
func (m *Model) onImport(e sim.Event) {
	m.importInto(m.cfg.Imports.Area)
	m.scheduleImport(e.ID)
}

// importInto infects a random susceptible person of the named area (anywhere if
// empty), keyed by the number of the import.
func (m *Model) importInto(area string) {
	lo, hi := PersonID(0), m.city.n
	if area != "" {
		for _, a := range m.city.areas {
			if a.name == area {
				lo, hi = a.lo, a.hi
				break
			}
		}
	}
	n := m.imports
	m.imports++
	s := m.sImport.Named("person").Key(uint64(n))
	for try := uint64(0); try < 1000; try++ {
		p := lo + PersonID(s.Key(try).Uint64()%uint64(hi-lo))
		if m.susceptible(p) {
			m.infect(p, -1, LayerImport, 1)
			return
		}
	}
	// The area is (nearly) all infected: the import finds no one.
}

// susceptible reports whether p has never been infected.
func (m *Model) susceptible(p PersonID) bool {
	if m.index.paged() {
		return !m.index.wasInfected(p)
	}
	i := m.index.get(p)
	return i < 0 || m.people.at(i).inf < 0
}

// markInfections gives the person index, just paged, the infections so far.
func (m *Model) markInfections() {
	for j := 0; j < m.infections.len(); j++ {
		m.index.markInfected(m.infections.at(int32(j)).Person)
	}
}

// touch returns the record of person p, creating it on first use.
func (m *Model) touch(p PersonID) *person {
	return m.people.at(m.touchIndex(p))
}

// touchIndex returns the index of person p's record, creating it on first use.
func (m *Model) touchIndex(p PersonID) int32 {
	if i := m.index.get(p); i >= 0 {
		return i
	}
	start, size := m.city.household(p)
	rec := person{hhStart: start, hhSize: uint8(size), age: m.city.age(p), inf: -1}
	for gi := range m.city.groups {
		if m.city.inGroup(&m.city.groups[gi], p, rec.age) {
			rec.groups |= 1 << gi
		}
	}
	i := int32(m.people.len())
	paged := m.index.pages != nil
	m.index.set(p, i)
	if !paged && m.index.pages != nil {
		m.markInfections()
	}
	m.people.add(rec)
	return i
}

// infect infects susceptible person p now, by infector (-1 for an import) through
// layer, standing for w people, draws the whole course of the infection from p's
// key, and schedules p's infectious contacts.
func (m *Model) infect(p, infector PersonID, layer Layer, w int32) {
	now := m.sim.Now()
	ri := m.touchIndex(p)
	rec := m.people.at(ri)
	idx := int32(m.infections.len())
	rec.inf = idx
	age := rec.age
	m.index.markInfected(p)
	leaf := m.city.leafOf(p)
	inf := Infection{Person: p, Infector: infector, Layer: layer, Area: m.city.leaves[leaf], Age: age, Time: now, Exit: sim.Time(math.Inf(1)), Found: sim.Time(math.Inf(1)), extra: uint16(w - 1)}
	if infector >= 0 {
		src := m.infections.at(m.people.at(m.index.get(infector)).inf)
		src.Offspring++
		inf.Generation = src.Generation + 1
	}

	// The course of disease: every draw keyed by the person, in a fixed order.
	d := &m.cfg.Disease
	ag := &m.cfg.Population.AgeGroups[age]
	m.sPerson.Key(uint64(p)).Seed(m.pcg)
	r := m.rng
	nu := float32(1) // individual infectiousness, mean 1
	if k := d.Infectiousness.Dispersion; k > 0 {
		nu = float32(1 / k * sim.GammaVariate(r, k)) // gamma of shape k and scale 1/k
	}
	inf.Symptomatic = r.Float64() < ag.Symptomatic
	latent := d.Latent.Sample(m.pcg)
	presym := d.Presymptomatic.Sample(m.pcg)
	sympt := d.Symptomatic.Sample(m.pcg)
	asym := d.Asymptomatic.Sample(m.pcg)
	severe := r.Float64() < ag.Severe
	fatal := r.Float64() < ag.Fatal
	toSevere := d.OnsetToSevere.Sample(m.pcg)
	toOutcome := d.SevereToOutcome.Sample(m.pcg)

	inf.Infectious = now.Add(sim.Duration(latent))
	inf.Onset = inf.Infectious.Add(sim.Duration(presym))
	if inf.Symptomatic {
		inf.Recovery = inf.Onset.Add(sim.Duration(sympt))
		if severe {
			inf.Severe = true
			inf.Died = fatal
			inf.SevereTime = inf.Onset.Add(sim.Duration(toSevere))
			inf.OutcomeTime = inf.SevereTime.Add(sim.Duration(toOutcome))
		}
	} else {
		inf.Recovery = inf.Infectious.Add(sim.Duration(asym))
	}
	if w > 1 && inf.Symptomatic {
		// The people of a heavy infection share its course but not its
		// rare outcomes: how many become severe and die is binomial.
		src := m.keyed(p, "weight", 0)
		ns := distuv.Binomial{N: float64(w), P: ag.Severe, Src: src}.Rand()
		nd := 0.0
		if ns > 0 {
			nd = distuv.Binomial{N: ns, P: ag.Fatal, Src: src}.Rand()
		}
		inf.nSevere, inf.nDied = uint16(ns), uint16(nd)
		if inf.Severe = ns > 0; inf.Severe {
			inf.Died = nd > 0
			inf.SevereTime = inf.Onset.Add(sim.Duration(toSevere))
			inf.OutcomeTime = inf.SevereTime.Add(sim.Duration(toOutcome))
		}
	}
	if d.Infectiousness.Timing == TimingViralLoad {
		m.tieToViralLoad(&inf)
	}
	if w > 1 && inf.Severe {
		// A rescaled epidemic's sparse tail ends sooner than the exact one's:
		// it goes on until its hospital stays end, so that its severe cases
		// and deaths are counted whole.
		m.scaler.lastOutcome = max(m.scaler.lastOutcome, inf.OutcomeTime)
	}
	exitAt := sim.Time(math.Inf(1))
	if rate := m.cfg.Imports.ExitRate; rate > 0 {
		// Drawn from its own key, so that a city without exits skips it.
		exit := expOf(m.sPerson.Key(uint64(p)).Named("exit"))
		if t := inf.Infectious.Add(sim.Duration(exit / rate)); t < inf.Recovery {
			exitAt = t
		}
	}
	if inf.Recovery > m.lastActive {
		m.lastActive = inf.Recovery
	}
	stored := m.infections.add(inf)
	m.rec.infection(stored)

	if !math.IsInf(float64(exitAt), 1) {
		m.sim.At(exitAt, m.kExit, int64(idx))
	}
	if len(m.onsObs) > 0 && inf.Symptomatic {
		m.sim.At(inf.Onset, m.kOnset, int64(idx))
	}
	if len(m.recObs) > 0 {
		m.sim.At(inf.Recovery, m.kRecovery, int64(idx))
	}
	// The observers before the contacts, so that an isolation they decide
	// now (Isolate) removes the contacts it prevents at the source.
	outer, outerInf, outerIsolated := m.newCase, m.newCaseInf, m.newCaseIsolated // should an observer infect someone
	m.newCase, m.newCaseInf, m.newCaseIsolated = p, idx, sim.Time(math.Inf(1))
	for _, o := range m.infObs {
		o.OnInfection(m, stored)
	}
	isolated := m.newCaseIsolated
	m.newCase, m.newCaseInf, m.newCaseIsolated = outer, outerInf, outerIsolated
	m.scheduleContacts(stored, rec, nu, isolated)
	m.scaler.add(m.city, leaf, age, w)
	if m.scaler.rescaled() && m.index.pages == nil {
		// A rescaled outbreak is a large one: the faster index now.
		m.index.toPages()
		m.markInfections()
	}
	if m.opts.MaxInfections > 0 && m.scaler.people >= int64(m.opts.MaxInfections) && m.stopReason == "" {
		m.stopReason = StopMaxInfections
		m.sim.Stop()
	}
}

// scheduleContacts draws the infectious contacts of infection inf, of the
// person of record rec and of individual infectiousness nu, layer by
// layer, from the person's key, and schedules each as an event, except those
// after isolated, when the case is isolated for good (Isolate): they are drawn,
// so that every other draw is as it would be, but cost no event.
func (m *Model) scheduleContacts(inf *Infection, rec *person, nu float32, isolated sim.Time) {
	d := &m.cfg.Disease
	in := &d.Infectiousness
	var vlFrom, vlPeak, vlTo sim.Time // with TimingViralLoad: the load above 6 log10
	vlArea := 0.0
	if in.Timing == TimingViralLoad {
		vlFrom, vlPeak, vlTo, vlArea = m.viralLoad(inf, nil).infectiousWindow()
	}
	m.sContact.Key(uint64(inf.Person)).Seed(m.pcg)
	r := m.rng

	scale := float64(nu)
	class := 1
	if !inf.Symptomatic {
		scale *= in.AsymptomaticFactor
		class = 0
	}
	start, end := inf.Infectious, inf.Recovery
	if in.Timing == TimingViralLoad {
		if m.meanDur[class] > 0 {
			scale *= vlArea / m.meanDur[class]
		} else {
			scale = 0
		}
	}
	if in.Timing == TimingWindow {
		if m.meanDur[class] > 0 {
			scale *= float64(end-start) / m.meanDur[class]
		} else {
			scale = 0 // an infectious period of length 0: no contacts
		}
	}
	// The layers' strengths for this person; the number of contacts is Poisson
	// with their sum, and each contact's layer is drawn in proportion.
	var cum [LayerGroup + maxGroupLayers]float64
	sum := 0.0
	for l := LayerHousehold; int(l) < len(m.layerR); l++ {
		R := m.layerR[l]
		switch {
		case l == LayerHousehold:
			R *= float64(rec.hhSize) - 1
		case l == LayerCommunity:
			R *= m.city.areas[m.city.areaOf(inf.Person)].density
		case l >= LayerGroup && rec.groups&(1<<(l-LayerGroup)) == 0:
			R = 0
		}
		sum += R
		cum[l] = sum
	}
	count := sim.Poisson(m.pcg, scale*sum)
	from := inf.Person
	thin, level := m.contactKind(inf)
	kind := m.kContacts[0]
	n := uint64(0)
	for c := 0; c < count && n < maxContacts; c++ {
		u := r.Float64() * sum
		l := LayerHousehold
		for cum[l] <= u && int(l) < len(m.layerR)-1 {
			l++
		}
		var t sim.Time
		switch in.Timing {
		case TimingWindow:
			t = start + sim.Time(r.Float64())*(end-start)
		case TimingGeneration:
			t = inf.Time.Add(sim.Duration(in.Generation.Sample(m.pcg)))
		case TimingViralLoad:
			t = triangular(vlFrom, vlPeak, vlTo, r.Float64())
		case TimingOnset:
			// Redraw until the time falls inside the infectious period; a case
			// whose period is too short for the profile gets a uniform time.
			t = start + sim.Time(r.Float64())*(end-start)
			for try := 0; try < 100; try++ {
				x := inf.Onset.Add(in.OnsetOffset + sim.Duration(in.OnsetShift.Sample(m.pcg)))
				if x >= start && x < end {
					t = x
					break
				}
			}
		}
		n++
		if t > m.lastActive {
			m.lastActive = t
		}
		if t > isolated {
			// Isolation (priority policy) comes after transmission at the
			// same instant: a contact at exactly that time still happens.
			continue
		}
		// Whom the contact reaches, and whether it would infect them, are keyed
		// by the infector and the contact's number and settled now. A contact
		// that cannot infect (nobody, someone already infected, a draw against
		// their susceptibility) is thinned: it costs no event.
		s := m.sContact.Key(uint64(from)).Key(n)
		to := m.pickTarget(from, rec, l, s)
		if to < 0 || to == from || !m.susceptible(to) {
			continue
		}
		if m.scaler.rescaled() {
			if thin < 1 && s.Named("rescale thin").Float64() >= thin {
				continue // a light infection of a rescaled run: see contactKind
			}
			var ok bool
			if kind, ok = m.rescaledTarget(to, level, s); !ok {
				continue
			}
		}
		if !m.allSusceptible {
			if susc := m.susc[m.city.age(to)]; susc < 1 && s.Key(1).Float64() >= susc {
				continue
			}
		}
		m.sim.At(t, kind, int64(uint64(from)<<(contactPersonBits+contactLayerBits)|uint64(to)<<contactLayerBits|uint64(l)))
	}
}

// onExit handles a case's leaving the city while infectious, unless they are
// confined: from then on their contacts happen elsewhere, as an export.
func (m *Model) onExit(e sim.Event) {
	inf := m.infections.at(int32(e.ID))
	rec := m.people.at(m.index.get(inf.Person))
	m.settle(rec)
	if rec.conf != Free {
		return
	}
	inf.Exit = e.Time
	m.exits++
	m.Count(m.rec.exports, e.Time, 1)
}

// onContact handles an infectious contact that would infect its target, settled
// when the infector was infected: it infects unless, by now, the target has been
// infected by someone else, or confinement, an area's restriction or a contact
// filter prevents it. Its payload names the infector, the target and the layer,
// so that a contact costs no look-up of the infector's records unless a measure
// confines someone or the contact is within the household.
func (m *Model) onContact(e sim.Event, level, step int) {
	const personMask = 1<<contactPersonBits - 1
	id := uint64(e.ID) // unsigned: the infector's high bit may be the sign bit
	from := PersonID(id >> (contactPersonBits + contactLayerBits))
	to := PersonID(id >> contactLayerBits & personMask)
	layer := Layer(id & (1<<contactLayerBits - 1))
	paged := m.index.paged()
	if paged && m.index.wasInfected(to) {
		return
	}
	if m.exits > 0 && m.InfectionOf(from).Exit <= e.Time {
		return // the infector has left the city
	}
	if layer == LayerHousehold || m.confined > 0 {
		src := m.people.at(m.index.get(from))
		if src.conf == Facility || src.conf == Home && layer != LayerHousehold {
			return
		}
	}
	if !paged || m.confined > 0 {
		if i := m.index.get(to); i >= 0 {
			dst := m.people.at(i)
			if dst.inf >= 0 || dst.conf == Facility || dst.conf == Home && layer != LayerHousehold {
				return
			}
		}
	}
	if layer != LayerHousehold && m.restricted {
		f := m.leafFactor(m.city.areaOf(from)) * m.leafFactor(m.city.areaOf(to))
		if f < 1 && m.sContact.Key(uint64(from)).Key(uint64(to)).Named("restriction").Float64() >= f {
			return
		}
	}
	for _, f := range m.filters {
		if !f.AllowContact(m, Contact{From: from, To: to, Layer: layer, Time: e.Time}) {
			return
		}
	}
	w := int32(1)
	if m.scaler.rescaled() {
		var ok bool
		if w, ok = m.rescaleContact(from, to, level, step); !ok {
			return
		}
	}
	m.infect(to, from, layer, w)
}

// uniform returns a number in [0, n) from the 64 random bits of u (Lemire's
// multiply-high, without the modulo's bias).
func uniform(u uint64, n uint64) uint64 {
	hi, _ := bits.Mul64(u, n)
	return hi
}

// pickTarget chooses who a contact of layer reaches, or -1 for no one.
func (m *Model) pickTarget(from PersonID, src *person, layer Layer, s sim.Stream) PersonID {
	u := s.Key(0).Uint64()
	// other returns a uniform person of [lo, hi) other than from (who is in it).
	other := func(lo, hi PersonID) PersonID {
		if hi-lo < 2 {
			return -1
		}
		t := lo + PersonID(uniform(u, uint64(hi-lo-1)))
		if t >= from {
			t++
		}
		return t
	}
	switch layer {
	case LayerHousehold:
		return other(src.hhStart, src.hhStart+PersonID(src.hhSize))
	case LayerCommunity:
		a := &m.city.areas[m.city.areaOf(from)]
		return other(a.lo, a.hi)
	case LayerCity:
		lo, hi := PersonID(0), m.city.n
		if len(m.cfg.Population.Areas) > 1 && s.Key(3).Float64() < m.cfg.Population.Layers.CityWithinDistrict {
			a := &m.city.areas[m.city.areas[m.city.areaOf(from)].district]
			lo, hi = a.lo, a.hi
		}
		if hi-lo < 2 {
			return -1
		}
		return lo + PersonID(uniform(u, uint64(hi-lo)))
	}
	g := &m.city.groups[layer-LayerGroup]
	lo, hi, self := m.city.groupBlock(g, from)
	if hi-lo < 2 {
		return -1
	}
	// A uniform member of the group other than from: a place of the group held by
	// someone of an eligible age (a place falls to an eligible person with
	// probability the eligible share, so 64 tries fail with probability at most
	// (1 - share)^64: 1.4e-6 for the default elder-care layer).
	for try := uint64(0); try < 64; try++ {
		q := lo + int64(uniform(s.Key(10+try).Uint64(), uint64(hi-lo-1)))
		if q >= self {
			q++
		}
		p := PersonID(g.perm.inverse(uint64(q)))
		if g.ages&(1<<m.city.age(p)) != 0 {
			return p
		}
	}
	return -1
}
