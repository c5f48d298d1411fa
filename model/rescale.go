package model

import (
	"fmt"
	"math/bits"

	"github.com/epiplan/epiplan/sim"
)

// Rescale sets the dynamic rescaling of a large epidemic, after Covasim's
// (Kerr et al. 2021, PLOS Comput Biol 17:e1009149, "Covasim: an agent-based
// model of COVID-19 dynamics and interventions", section "Dynamic rescaling"):
// while an outbreak is small every infection is one person; once Threshold
// people have been infected, each new simulated infection stands for Scale
// people, and the scale doubles every Budget simulated infections, up to
// MaxScale. The cost of a whole epidemic in a city of millions then grows with
// Budget × log2(MaxScale), not with the city.
//
// How a rescaled run stays faithful in expectation (docs/model.md, "Large
// epidemics"): a contact of a case that stands for w people, made while the
// scale is K, infects with the extra chance w/K, and the new infection stands for
// K people; the person a contact reaches stands for a random person of their
// community and age group, so it infects only with the chance that such a person
// is still susceptible, the people infected counted with their weights. The
// rare outcomes of a heavy infection (severe disease, death) are drawn for each
// of its people.
//
// The zero value never rescales: the run is the exact individual model. A run
// whose infections stay below Threshold is bit-for-bit the exact run on the same
// seed, since no draw of the rescaling is made before it. A run only rescales if
// every measure added to it counts weights ([Rescalable]).
type Rescale struct {
	// Threshold is the number of people infected after which rescaling starts;
	// 0 never rescales.
	Threshold int `yaml:"threshold"`
	// Budget is the number of infections simulated at each scale before the
	// scale doubles (default 10,000).
	Budget int `yaml:"budget"`
	// MaxScale is the largest number of people one simulated infection stands
	// for, a power of two (default 256).
	MaxScale int `yaml:"max_scale"`
}

// Default rescaling settings, used where a field of [Rescale] is 0. 10,000
// simulated infections a scale keep the relative noise of each doubling near
// 1% (1/√10,000); with at most 256 people an infection, a whole epidemic of ten
// million people is about 1.5 × 10^5 simulated infections, and one infection
// stands for at most 14% of the people of an age group in a community of
// 10,000. They were chosen by measuring both speed and fidelity
// (bench/README.md, "Whole epidemics").
const (
	DefaultRescaleBudget   = 10000
	DefaultRescaleMaxScale = 256
)

// MaxRescale is the largest MaxScale of [Rescale].
const MaxRescale = 1 << 16

// Rescalable is implemented by a measure that counts the people each infection
// stands for ([Infection.Weight], [Model.Scale]): its tests, detections and
// person-days are multiplied by the weights of the people they concern. A run
// rescales only if every measure added to it is rescalable and says so; any
// other measure keeps the run exact, however large the outbreak.
type Rescalable interface {
	// Rescalable reports whether the measure, as configured, counts weights.
	Rescalable() bool
}

// validate checks the settings; path is the field's path for messages.
func (r *Rescale) validate() error {
	switch {
	case r.Threshold < 0:
		return fmt.Errorf("options: rescale threshold must be ≥ 0, got %d", r.Threshold)
	case r.Budget < 0:
		return fmt.Errorf("options: rescale budget must be ≥ 0, got %d", r.Budget)
	case r.MaxScale < 0 || r.MaxScale&(r.MaxScale-1) != 0 || r.MaxScale > MaxRescale:
		return fmt.Errorf("options: rescale max scale must be a power of two up to %d, got %d", MaxRescale, r.MaxScale)
	}
	return nil
}

// scaler is the state of a run's rescaling and its count of people infected.
type scaler struct {
	threshold, budget int64
	maxScale          int32
	blocked           bool     // a measure does not count weights
	scale             int32    // people a new infection stands for (1 before rescaling)
	since             int64    // infections simulated at the current scale
	people            int64    // people infected so far, weights counted
	lastOutcome       sim.Time // the last death or discharge of a heavy infection
	// By leaf area (index in city.leaves) and age group, at leaf*ages+age: the
	// simulated infections (each one person id), the people they stand for
	// beyond that, and the residents (counted when the run first rescales).
	ages                        int
	leafN, leafExtra, residents []int32
}

func (s *scaler) init(r Rescale, leaves, ages int) {
	*s = scaler{threshold: int64(r.Threshold), budget: int64(r.Budget), maxScale: int32(r.MaxScale), scale: 1, ages: ages}
	if s.budget == 0 {
		s.budget = DefaultRescaleBudget
	}
	if s.maxScale == 0 {
		s.maxScale = DefaultRescaleMaxScale
	}
	s.leafN = make([]int32, leaves*ages)
	s.leafExtra = make([]int32, leaves*ages)
}

// add counts an infection of weight w in leaf and age group age, then doubles
// the scale if it is due; c is the city, whose residents are counted the first
// time.
func (s *scaler) add(c *city, leaf int, age uint8, w int32) {
	i := leaf*s.ages + int(age)
	s.leafN[i]++
	if w > 1 {
		s.leafExtra[i] += w - 1
	}
	s.people += int64(w)
	if s.threshold == 0 || s.blocked {
		return
	}
	s.since++
	switch {
	case s.scale == 1 && s.people >= s.threshold:
		s.residents = c.residentsByAge()
		fallthrough
	case s.scale > 1 && s.since >= s.budget && s.scale < s.maxScale:
		s.scale *= 2
		s.since = 0
	}
}

// residentsByAge returns the residents of each leaf area by age group, at
// leaf*ages+age, counted once for the runs that share the city.
func (c *city) residentsByAge() []int32 { return c.share.residentsByAge(c.countResidents) }

// countResidents counts the residents of each leaf area by age group, at
// leaf*ages+age.
func (c *city) countResidents() []int32 {
	ages := len(c.ageCum)
	out := make([]int32, len(c.leaves)*ages)
	s := c.ages
	for leaf := range c.leaves {
		lo, hi := c.leafLo[leaf], c.leafLo[leaf]+c.leafSize(leaf)
		cell := out[leaf*ages : (leaf+1)*ages]
		for p := lo; p < hi; p++ {
			cell[c.ageIn(s, p)]++
		}
	}
	return out
}

// rescaled reports whether some infection may stand for more than one person.
func (s *scaler) rescaled() bool { return s.scale > 1 }

// Weight returns the number of people this infection stands for: 1 in an exact
// run, and in a rescaled one before rescaling started ([Rescale]).
func (inf *Infection) Weight() int { return int(inf.extra) + 1 }

// SevereCount returns the number of the people an infection stands for who
// become severe: 0 or 1 for a weight of 1; for a larger weight, drawn as
// binomial with the person's chance, so that rare outcomes are not carried by
// a few heavy infections. They share the infection's SevereTime and
// OutcomeTime.
func (inf *Infection) SevereCount() int {
	if inf.extra == 0 {
		return int(b2f(inf.Severe))
	}
	return int(inf.nSevere)
}

// DeathCount returns the number of the people an infection stands for who die:
// as [Infection.SevereCount], of the severe ones.
func (inf *Infection) DeathCount() int {
	if inf.extra == 0 {
		return int(b2f(inf.Died))
	}
	return int(inf.nDied)
}

// Scale returns the number of people a new infection stands for now: 1 until
// the run rescales ([Rescale]). A measure that counts people who are not infected
// (the uninfected contacts of a case, say) counts each as the weight of the case
// it concerns.
func (m *Model) Scale() int { return int(m.scaler.scale) }

// InfectedPeople returns the number of people infected so far, weights counted:
// [Model.Infections] in a run that has not rescaled.
func (m *Model) InfectedPeople() int { return int(m.scaler.people) }

// Rescaled reports whether the run has rescaled: some infection stands for more
// than one person.
func (m *Model) Rescaled() bool { return m.scaler.rescaled() }

// depletionSteps is the number of steps in which a rescaled contact's chance
// of reaching a susceptible person is rounded up when it is drawn (see
// contactTarget).
const depletionSteps = 16

// contactKind returns the share of the contacts of infection inf, made now, to
// keep, and the scale K at which inf was made, as a level (K = 2^level). A
// contact made later, at scale K' > K, infects with the extra chance K/K'
// (rescaleContact). An infection that stands for fewer than K people (an
// import, or the last people of a community) keeps w/K of its contacts. In an
// exact run: all kept, level 0.
func (m *Model) contactKind(inf *Infection) (keep float64, level int) {
	k := m.scaler.scale
	if k == 1 {
		return 1, 0
	}
	return float64(inf.Weight()) / float64(k), bits.TrailingZeros32(uint32(k))
}

// rescaledTarget thins, when it is drawn, a contact of a rescaled run that
// reaches person to: the person stands for a random person of their community
// and age group, susceptible with chance p (rescaleContact). The contact is kept
// with p rounded up to a step of 1/depletionSteps, so that most contacts of a
// late epidemic cost no event, and the event's kind carries the step and the
// infector's level; rescaleContact applies the rest of the chance when the
// contact happens. It returns the kind, and false for a contact thinned out.
func (m *Model) rescaledTarget(to PersonID, level int, s sim.Stream) (sim.Kind, bool) {
	sc := &m.scaler
	i := m.city.leafOf(to)*sc.ages + int(m.city.age(to))
	open := int64(sc.residents[i]) - int64(sc.leafN[i])
	left := open - int64(sc.leafExtra[i])
	if left <= 0 {
		return 0, false
	}
	step := int((left*depletionSteps + open - 1) / open) // ⌈depletionSteps·left/open⌉
	if step < depletionSteps && s.Named("rescale deplete").Float64()*depletionSteps >= float64(step) {
		return 0, false
	}
	return m.contactKindAt(level, step), true
}

// contactKindAt returns the kind of the contacts of an infection made at scale
// 2^level, kept with chance step/depletionSteps when drawn; level 0 and the
// full step is the exact model's one contact kind.
func (m *Model) contactKindAt(level, step int) sim.Kind {
	if level == 0 && step == depletionSteps {
		return m.kContacts[0]
	}
	i := level*depletionSteps + step - 1
	for len(m.kScaled) <= i {
		m.kScaled = append(m.kScaled, 0)
	}
	if m.kScaled[i] == 0 {
		m.kScaled[i] = m.sim.NewKind(fmt.Sprintf("contact at scale %d, step %d", 1<<level, step), PriorityTransmission,
			func(e sim.Event) { m.onContact(e, level, step) }) + 1
	}
	return m.kScaled[i] - 1
}

// rescaleContact decides, in a rescaled run, whether a contact that would infect
// person to does so, and the weight of the new infection. The infector was made
// at scale 2^level; the scale is K now: the contact infects with the extra chance
// 2^level/K, and with the chance that the person reached, who stands for a random
// person of their community and age group, is not among the people infected
// there beyond the simulated ones, divided by the chance step/depletionSteps it
// was kept with when drawn (rescaledTarget). No infection makes the infected
// people of a community and age group more than its residents.
func (m *Model) rescaleContact(from, to PersonID, level, step int) (int32, bool) {
	sc := &m.scaler
	s := m.sContact.Key(uint64(from)).Key(uint64(to)).Named("rescale")
	if k := int32(1) << level; k < sc.scale && s.Key(0).Float64()*float64(sc.scale) >= float64(k) {
		return 0, false
	}
	i := m.city.leafOf(to)*sc.ages + int(m.city.age(to))
	open := int64(sc.residents[i]) - int64(sc.leafN[i]) // ids not infected, to among them
	left := open - int64(sc.leafExtra[i])               // people not infected
	if left <= 0 {
		return 0, false
	}
	// Keep with chance (left/open) / (step/depletionSteps), at most 1.
	if left*depletionSteps < open*int64(step) && s.Key(1).Float64()*float64(open)*float64(step) >= float64(left*depletionSteps) {
		return 0, false
	}
	return int32(min(int64(sc.scale), left)), true
}

// leafSize returns the number of residents of leaf area i (index in c.leaves).
func (c *city) leafSize(i int) PersonID {
	if i+1 < len(c.leafLo) {
		return c.leafLo[i+1] - c.leafLo[i]
	}
	return c.n - c.leafLo[i]
}
