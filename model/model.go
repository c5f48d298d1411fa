package model

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/epiplan/epiplan/sim"
)

// Priority classes of the model's events. Within one instant, events run in this
// order: the record of the day that has just ended comes first (at time D+1, the
// end of day D is recorded before anything happens at D+1), then the course of
// disease moves, infections happen, and tests, tracing and policy react.
const (
	PriorityDayEnd       sim.Priority = 0
	PriorityProgression  sim.Priority = 10
	PriorityTransmission sim.Priority = 20
	PriorityTesting      sim.Priority = 30
	PriorityTracing      sim.Priority = 40
	PriorityPolicy       sim.Priority = 50
)

// Layer identifies how an infection happened: a contact layer, or an import.
type Layer uint8

// The layers every model has; group layers follow, as LayerGroup+i for the i-th
// entry of [Layers.Groups].
const (
	LayerImport Layer = iota
	LayerHousehold
	LayerCommunity
	LayerCity
	LayerGroup
)

// Infection is one infection: a row of the line list, with the whole course of
// disease drawn at the moment of infection.
type Infection struct {
	Person     PersonID // who was infected
	Infector   PersonID // who infected them; -1 for an import
	Area       AreaID   // the leaf area the person lives in
	Generation int32    // 0 for an import, else the infector's generation + 1
	Offspring  int32    // infections this case caused
	Layer      Layer    // where the infection happened: a contact layer, or LayerImport
	Age        uint8    // index of the person's age group
	// Symptomatic tells whether the case ever has symptoms.
	Symptomatic bool
	// Severe tells whether the case needs hospital care, from SevereTime to
	// OutcomeTime.
	Severe bool
	// Died tells whether a severe case ends in death, at OutcomeTime (discharge
	// otherwise).
	Died bool
	// FoundBy is the route of the test that found the case (see Found), an
	// index into Result.Routes (see [Model.Route]); meaningless while Found is
	// +Inf.
	FoundBy uint8
	// In a rescaled run, how many of the people an infection stands for become
	// severe and die (see SevereCount, DeathCount), and how many people it
	// stands for beyond one (see Weight; at most MaxRescale-1).
	nSevere, nDied, extra uint16

	Time        sim.Time // when the infection happened
	Infectious  sim.Time // end of the latent period
	Onset       sim.Time // symptom onset; for an asymptomatic case, when it would have been
	Recovery    sim.Time // end of infectiousness
	SevereTime  sim.Time // onset of severe disease (hospital admission); severe cases only
	OutcomeTime sim.Time // death or discharge from hospital; severe cases only
	// Exit is when the case left the city while infectious (+Inf if it did not,
	// or not yet): it makes no contacts in the city from then on. Cases leave at a
	// time drawn when they are infected, unless they are confined then.
	Exit sim.Time
	// Found is when the case was notified of its first positive test (+Inf if
	// never); FoundBy (above) is the route of that test.
	Found sim.Time
}

// person is the record of someone the outbreak has touched.
type person struct {
	hhStart PersonID
	hhSize  uint8
	age     uint8
	conf    Confinement
	groups  uint8 // bit i: takes part in group layer i
	inf     int32 // index into Model.infections, -1 if never infected
}

// Options are settings of one run that are not part of the epidemic itself.
type Options struct {
	// Horizon ends the run at this time; 0 runs until no one is infectious and no
	// import is due.
	Horizon sim.Time
	// MaxInfections stops the run as soon as this many infections have happened,
	// marking the outbreak as uncontrolled; 0 means no cap.
	MaxInfections int
	// Rescale sets the dynamic rescaling of a large epidemic; the zero value
	// keeps every infection one person.
	Rescale Rescale
	// Cities, if not nil, shares the drawn static population (households,
	// residents by age) with the other runs given it on the same stream and
	// city: they draw it once. The run is the same with or without.
	Cities *Cities
	// Scratch, if not nil, gives the run the memory of the run made before it
	// with the same Scratch, which must then no longer be used (see
	// [Scratch]). The run is the same with or without.
	Scratch *Scratch
}

// Model is one run of the epidemic: the city, the virus, the measures added to it,
// and the state of everyone the outbreak has touched. Create it with [New], add
// measures with [Model.Add], then call [Model.Run] (or step it with
// [Model.RunUntil]).
type Model struct {
	cfg  *Config
	opts Options
	sim  *sim.Sim
	city *city

	sPerson, sContact, sImport sim.Stream
	pcg                        *rand.PCG
	rng                        *rand.Rand

	people     blocks[person] // records of the people the outbreak has touched
	index      personIndex
	infections infStore

	layerR     []float64  // strength of each layer; for households, the per-member hazard
	meanDur    [2]float64 // mean infectious period of asymptomatic, symptomatic cases
	susc       []float64  // susceptibility by age group
	areaFactor []float64  // contact factor of each area (1: open)
	restricted bool       // some area has a factor below 1
	confined   int        // people whose confinement is not Free
	exits      int        // cases that have left the city
	resultMem  []float64  // memory for the result's series, from the run before (Scratch)
	lastResult []float64  // the series of the last Result, for the run after (Scratch)
	// allSusceptible: every age group has susceptibility 1, so no draw is needed.
	allSusceptible bool

	kExit, kOnset, kRecovery, kImport, kDay, kIsolate sim.Kind
	// kContacts[0] handles the contacts of an exact run; kScaled[L·steps+s-1]
	// (a kind + 1, 0 before it is registered) those of a rescaled run made by
	// infections of scale 2^L and kept with chance s/steps when drawn (see
	// rescaledTarget).
	kContacts []sim.Kind
	kScaled   []sim.Kind

	infObs []InfectionObserver
	onsObs []OnsetObserver
	recObs []RecoveryObserver
	dayObs []DayObserver
	detObs []DetectionObserver
	actObs []Activity

	// While infection observers are told of a new case: the case, its
	// infection number, and when a measure isolated it for good (Isolate);
	// newCase is -1 otherwise.
	newCase         PersonID
	newCaseInf      int32
	newCaseIsolated sim.Time
	// The isolations that Isolate decided for new cases and that are still to
	// be applied, when the case's confinement is next looked at (settle), by
	// infection number; the zero Mark is none. Empty until Isolate is first
	// called.
	isolations blocks[sim.Mark]

	metricSources []MetricSource
	filters       []ContactFilter

	routes []string // names of the routes by which cases are found

	imports    int      // imports so far
	importsDue int      // scheduled imports still to come, plus 1 while a rate of imports runs
	lastActive sim.Time // when the last case stops being infectious or makes its last contact
	stopReason string
	started    bool

	rec    recorder
	scaler scaler
}

// A contact event's payload: infector (30 bits), target (30 bits), layer (4 bits).
const (
	contactPersonBits = 30
	contactLayerBits  = 4
	maxContacts       = 1<<24 - 1 // per case, a bound that is never reached in practice
)

// New builds a run of the epidemic described by cfg, with its randomness drawn
// from stream (derive it from a seed and a replication: sim.NewStream(seed).Key(rep)).
// It returns an error if cfg is invalid.
func New(cfg *Config, stream sim.Stream, opts Options) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !(opts.Horizon >= 0) || math.IsInf(float64(opts.Horizon), 0) {
		return nil, fmt.Errorf("options: horizon must be finite and ≥ 0, got %v", opts.Horizon)
	}
	if cfg.Imports.Rate > 0 && cfg.Imports.Until == 0 && opts.Horizon == 0 {
		return nil, fmt.Errorf("options: imports at a rate with no end need a horizon")
	}
	if opts.MaxInfections < 0 {
		return nil, fmt.Errorf("options: max infections must be ≥ 0, got %d", opts.MaxInfections)
	}
	if err := opts.Rescale.validate(); err != nil {
		return nil, err
	}
	m := &Model{
		cfg:      cfg,
		opts:     opts,
		city:     newCity(&cfg.Population, stream),
		sPerson:  stream.Named("person"),
		sContact: stream.Named("contact"),
		sImport:  stream.Named("import"),
		pcg:      new(rand.PCG),
	}
	m.rng = rand.New(m.pcg)
	if opts.Cities != nil {
		m.city.share = opts.Cities.share(m.city, stream)
	}
	m.index = newPersonIndex(m.city.n)
	opts.Scratch.lend(m) // the simulator and the memory of the run before
	l := &cfg.Population.Layers
	m.layerR = []float64{0, householdHazard(cfg), l.Community, l.City}
	for _, g := range l.Groups {
		m.layerR = append(m.layerR, g.R)
	}
	m.allSusceptible = true
	for _, a := range cfg.Population.AgeGroups {
		m.susc = append(m.susc, a.Susceptibility)
		m.allSusceptible = m.allSusceptible && a.Susceptibility == 1
	}
	d := &cfg.Disease
	m.meanDur = [2]float64{d.Asymptomatic.Mean(), d.Presymptomatic.Mean() + d.Symptomatic.Mean()}
	if d.Infectiousness.Timing == TimingViralLoad {
		sym, _ := viralLoadAreas(cfg)
		// Contacts in proportion to the area of the load above 6 log10, relative
		// to a typical symptomatic case's, whatever the class.
		m.meanDur = [2]float64{meanOf(sym), meanOf(sym)}
	}
	m.areaFactor = make([]float64, len(m.city.areas))
	for i := range m.areaFactor {
		m.areaFactor[i] = 1
	}
	m.kContacts = []sim.Kind{m.sim.NewKind("contact", PriorityTransmission, func(e sim.Event) { m.onContact(e, 0, depletionSteps) })}
	m.kExit = m.sim.NewKind("exit", PriorityProgression, m.onExit)
	m.kOnset = m.sim.NewKind("onset", PriorityProgression, m.onOnset)
	m.kRecovery = m.sim.NewKind("recovery", PriorityProgression, m.onRecovery)
	m.kImport = m.sim.NewKind("import", PriorityTransmission, m.onImport)
	m.kDay = m.sim.NewKind("day", PriorityDayEnd, m.onDay)
	m.kIsolate = m.sim.NewKind("isolate", PriorityPolicy, func(e sim.Event) { m.Confine(PersonID(e.ID), Facility) })
	m.newCase = -1
	m.rec.init(m)
	m.scaler.init(opts.Rescale, len(m.city.leaves), len(cfg.Population.AgeGroups))
	return m, nil
}

// Sim returns the simulator the model runs on, for measures to schedule events.
func (m *Model) Sim() *sim.Sim { return m.sim }

// Config returns the model's configuration. It must not be changed.
func (m *Model) Config() *Config { return m.cfg }

// Now returns the current simulation time.
func (m *Model) Now() sim.Time { return m.sim.Now() }

// Population returns the number of people in the city.
func (m *Model) Population() int { return int(m.city.n) }

// Add attaches measures to the model. It must be called before the run starts.
func (m *Model) Add(ms ...Measure) error {
	if m.started {
		return fmt.Errorf("model: Add after the run started")
	}
	for _, x := range ms {
		if err := x.Attach(m); err != nil {
			return err
		}
		if r, ok := x.(Rescalable); !ok || !r.Rescalable() {
			m.scaler.blocked = true
		}
	}
	return nil
}

// Observe registers x for every observer interface it implements
// ([InfectionObserver], [OnsetObserver], [RecoveryObserver], [DayObserver],
// [DetectionObserver], [Activity], [MetricSource], [ContactFilter]). Onset and
// recovery events are only scheduled when someone observes them.
func (m *Model) Observe(x any) {
	if o, ok := x.(InfectionObserver); ok {
		m.infObs = append(m.infObs, o)
	}
	if o, ok := x.(OnsetObserver); ok {
		m.onsObs = append(m.onsObs, o)
	}
	if o, ok := x.(RecoveryObserver); ok {
		m.recObs = append(m.recObs, o)
	}
	if o, ok := x.(DayObserver); ok {
		m.dayObs = append(m.dayObs, o)
	}
	if f, ok := x.(ContactFilter); ok {
		m.filters = append(m.filters, f)
	}
	if o, ok := x.(DetectionObserver); ok {
		m.detObs = append(m.detObs, o)
	}
	if o, ok := x.(Activity); ok {
		m.actObs = append(m.actObs, o)
	}
	if o, ok := x.(MetricSource); ok {
		m.metricSources = append(m.metricSources, o)
	}
}

// Route returns the index of the named route by which cases are found
// ("symptomatic", "mass", "quarantine"…), registering it on first use.
func (m *Model) Route(name string) uint8 {
	for i, r := range m.routes {
		if r == name {
			return uint8(i)
		}
	}
	if len(m.routes) == 255 {
		panic("model: more than 255 routes")
	}
	m.routes = append(m.routes, name)
	return uint8(len(m.routes) - 1)
}

// keyed seeds the model's generator for a draw that belongs to person p, with a
// purpose and a number, and returns it: the draw is the same whatever else the
// run does.
func (m *Model) keyed(p PersonID, purpose string, n uint64) rand.Source {
	m.sPerson.Key(uint64(p)).Named(purpose).Key(n).Seed(m.pcg)
	return m.pcg
}

// start schedules the initial imports and the first day's end.
func (m *Model) start() {
	if m.started {
		return
	}
	m.started = true
	im := &m.cfg.Imports
	for i := 0; i < im.Initial; i++ {
		m.importInto(im.Area)
	}
	for _, s := range im.Schedule {
		for i := 0; i < s.Count; i++ {
			area := s.Area
			m.importsDue++
			m.sim.AtFunc(s.Time, PriorityTransmission, func() {
				m.importsDue--
				m.importInto(area)
			})
		}
	}
	if im.Rate > 0 {
		m.importsDue++
		m.scheduleImport(0)
	}
	first := sim.Time(1)
	if m.opts.Horizon > 0 && m.opts.Horizon < first {
		first = m.opts.Horizon
	}
	m.sim.At(first, m.kDay, 0)
}
