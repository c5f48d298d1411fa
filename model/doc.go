// Package model is epiplan's epidemic: a city, a virus, transmission, the run
// and its outputs, and the seams through which control measures act. It runs
// on the sim kernel and knows no measure: the built-in ones (testing, the
// response, zones, strategies) are in the package control, written against
// this package's public API as a user's own measure is. One run, with a
// built-in strategy:
//
//	cfg := model.DefaultConfig() // Omicron, China 2022: change what differs
//	m, err := model.New(cfg, sim.NewStream(seed).Key(rep), model.Options{Horizon: 120})
//	if err != nil {
//		return err // every problem of cfg, one a line, each with its field path
//	}
//	s := control.NinthEdition()
//	if err := m.Add(s.Measures()...); err != nil {
//		return err
//	}
//	res := m.Run() // res.Metrics, res.Series, res.LineList
//
// The package scenarios plays many runs of several strategies from a file;
// docs/model.md describes the model in plain words, with its assumptions,
// limits and validation.
//
// # The city
//
// A [Population] is a hierarchy of areas (district → subdistrict → community);
// people live in the leaf areas, each a contiguous range of [PersonID]s. People
// belong to households (sizes drawn from a distribution), to age groups (with their
// own susceptibility and severity) and, for group layers such as schools,
// workplaces and elder-care homes, to fixed groups. They meet through contact
// layers: the household, the community (their leaf area, scaled by its density),
// the city (with a share kept within the district) and the group layers.
//
// The population is counted, not stored. Nothing is kept for a person until the
// outbreak or a measure touches them: who a contact reaches is a random index in
// the right range, and a person's household, age and groups are functions of their
// id and the run's key (households by keyed runs of sizes, groups by a keyed
// permutation of the city). Uniform mixing is exact, since a random index hits an
// already infected person with exactly the right probability, and the cost of a
// run grows with the size of the outbreak and the work of the response, not with
// the population.
//
// # The virus
//
// Every infection draws its whole course at the moment of infection, from keys of
// the infected person: latent period, presymptomatic period, symptoms or not,
// infectious period, severity, leaving the city. Infectiousness varies between
// people (gamma with dispersion k, so offspring numbers are negative binomial) and
// over time: at a constant rate over the infectious period ([TimingWindow], the
// SEIR model), by a generation interval since infection ([TimingGeneration]),
// around symptom onset ([TimingOnset], the default for Omicron) or in proportion
// to log10 viral load above 10^6 ([TimingViralLoad], Larremore et al. 2021).
// [DefaultConfig] gives Omicron as in China in 2022, with a source for every
// value.
//
// Transmission is event-driven: a case's infectious contacts are drawn layer by
// layer when it is infected and scheduled as events; only infectious people
// generate events. A contact infects if its target is still susceptible, if
// neither side is kept from it (see below) and with the target's susceptibility.
//
// # Common random numbers
//
// Every draw is keyed: a person's course by the person, a contact by the infector
// and the contact's number, an import by its number. Two runs on the same seed
// that differ in a measure therefore share every chain of transmission that both
// allow, and a person infected in both has the same course of disease in both.
//
// # Measures
//
// A [Measure] is attached before the run. It can schedule its own events on
// [Model.Sim], observe infections, onsets, recoveries, detections and the end of
// each day ([InfectionObserver], [OnsetObserver], [RecoveryObserver],
// [DetectionObserver], [DayObserver]), keep people at home or in a facility
// ([Model.Confine]), cut contacts of whole areas ([Model.SetAreaContacts]), veto
// single contacts ([ContactFilter]), report the people it finds ([Model.Detect]),
// make draws that belong to a person ([Model.PersonStream]) or to itself
// ([Model.Stream]), add daily series ([Model.NewCounter], [Model.NewLevel]) and
// metrics ([MetricSource]), keep the run going while it has work under way
// ([Activity]), and stop the run ([Model.Stop]). That is all the built-in
// measures of the package control use. A measure that keeps every case at home
// from the onset of symptoms:
//
//	type selfIsolation struct{}
//
//	func (s selfIsolation) Attach(m *model.Model) error { m.Observe(s); return nil }
//
//	func (selfIsolation) OnOnset(m *model.Model, inf *model.Infection) {
//		m.Confine(inf.Person, model.Home)
//	}
//
// Build a new measure for every run: a measure's state belongs to one run.
//
// Whether a test finds an infection follows from its viral load
// ([ViralLoadConfig], a hinge in log10 copies/ml; [Model.ViralLoadOf]), drawn
// from the person's key, so that every test of one person at one moment sees
// the same load.
//
// # The order of events within one instant
//
// Events at the same time run by priority class: [PriorityDayEnd] (the record of
// the day that ends at that instant: day D ends at time D+1, before anything
// happens at D+1), [PriorityProgression] (onset, recovery, leaving the city,
// severe disease), [PriorityTransmission] (contacts, imports), [PriorityTesting]
// (swabs, collections, lab runs, results), [PriorityTracing] (investigations) and
// [PriorityPolicy] (transfers, the end of isolation and quarantine, zones): the
// classes the built-in measures use, and a measure of one's own should; within
// a class, in the order they were scheduled. So at one instant the course of
// disease moves first, then infections happen, then the response reacts: a
// contact at the instant of a confinement still happens.
//
// # Outputs
//
// A run returns a [Result]: why and when it ended, daily series (new infections in
// total, by layer and by district; onsets, severe cases, deaths, exports; the
// number of people in each compartment at the end of each day), metrics (see
// [MetricNames]), mean offspring by generation, and the line list of every
// infection with its infector, layer, area and course.
//
// # Many runs
//
// A program that plays many runs shares what they share: the drawn city of the
// runs on one key through [Options].Cities, and the memory of a run with the
// next through [Options].Scratch (a run made with a [Scratch] takes over the
// memory of the run before it, whose Model and Result must then no longer be
// used). Neither changes a run.
//
// # Invariants
//
// Nobody is infected twice; an infection's infector was in the city at that
// moment, and infectious (between the end of its latent period and its recovery)
// unless the timing is [TimingGeneration], which draws contacts from the
// generation interval alone; the compartments add up to the population at the end
// of every day; a run is a pure function of its configuration, measures and
// stream. The tests check these, and the analytical results the model must
// reproduce: the SIR final size, the probability of a major outbreak (geometric
// and negative binomial offspring), the growth rate for a gamma generation
// interval, and the published figures of Omicron its
// defaults claim (docs/model.md lists each with its test).
package model
