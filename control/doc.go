// Package control is epiplan's built-in control measures: the testing
// pipeline, the response to the cases it finds, risk zones, switches between
// strategies and the strategies of 2022. Each is a [model.Measure] written
// only against the public API of the package model, as a user's own measure
// is: it observes the epidemic, confines people, cuts contacts, reports
// detections ([model.Model.Detect]) and adds series and metrics through the
// same hooks. One run of a built-in strategy:
//
//	m, err := model.New(model.DefaultConfig(), sim.NewStream(seed).Key(rep), model.Options{Horizon: 120})
//	if err != nil {
//		return err
//	}
//	s := control.NinthEdition()
//	if err := m.Add(s.Measures()...); err != nil {
//		return err
//	}
//	res := m.Run() // with the metrics of MetricNames beside model.MetricNames
//
// docs/model.md describes the measures in plain words, with their
// assumptions and limits; docs/scenario-format.md gives every field.
//
// # Finding infections
//
// [Testing] is the testing pipeline, a measure built from a [TestingConfig]:
// sampling sites ([SiteGroup]: swabs per hour, opening hours, pooling, van
// collections), a PCR lab network ([LabConfig], a sim.BatchServer with
// priority classes), reporting, and the recall of positive pools for single
// tests. Demand comes from people with symptoms ([SymptomaticTesting]),
// mass-testing rounds ([MassTesting]), routine screening ([Screening]), entry
// tests ([EntryTesting]) and other measures ([Testing.Request]). Sites are
// fluid first-come-first-served queues: the people who are not infected are
// volume, and cost work per change of demand and per van, not per person; an
// infected person is followed into the tube their swab falls in. Whether a
// tube is positive follows from each infection's viral load
// ([model.Model.ViralLoadOf]) at its swab, diluted in the pool
// ([PoolPositive]), against the test's limit of detection ([TestKind]). A
// positive result is reported with [model.Model.Detect], which tells the
// model's [model.DetectionObserver]s.
//
// # Cutting chains
//
// [Response] is the response to detected cases, a measure built from a
// [ResponseConfig]: isolation at home from notification and transfer
// (vehicles) to isolation beds ([IsolationConfig]); contact tracing by
// investigators with a queue that carries its backlog, finding each infected
// contact in the look-back window with the probability of its layer and
// counting the uninfected ones as volume ([TracingConfig]); quarantine in
// rooms then at home, tested on the protocol's days ([QuarantineConfig]); risk
// zones around cases ([ZonesConfig]); and city-wide static management
// ([StaticConfig]). Overflow of beds and rooms goes home and is counted. Other
// measures read who is in a risk zone from the response ([Response.ZoneRisk],
// [Response.ZonePeople]): zones drawn by block act on contacts, not on
// [model.Model.AreaContacts].
//
// # Strategies
//
// A [Strategy] bundles testing and response; [Strategy.Measures] makes the
// measures of one run. [BuiltinStrategy] returns the 2022 protocols by name:
// [NinthEdition] (June 2022: 7+3 days of quarantine, contacts of contacts,
// high- and medium-risk zones, city-wide PCR rounds), [TwentyMeasures] (11
// November 2022: 5+3 days, no contacts of contacts, no medium-risk zones, no
// area-wide testing), [Mitigation] (testing on symptoms, home isolation) and
// [NoIntervention]. Their capacities are left to the scenario. A [Switch]
// hands a run over from one strategy to another at a time.
//
// # Events and draws
//
// The measures schedule their events in the model's priority classes:
// [model.PriorityTesting] for swabs, collections, lab runs and results,
// [model.PriorityTracing] for investigations and [model.PriorityPolicy] for
// transfers, the end of isolation and quarantine, and zones. Every draw about
// a person comes from [model.Model.PersonStream], keyed by a purpose of the
// measure's own, so that two strategies on the same seed make the same draws
// for a person wherever their histories agree.
//
// # Outputs
//
// The measures add daily series to the run (swabs, tubes, detections by
// route, lab and site backlogs; people in quarantine, isolation and risk
// zones, overflows) and the metrics documented in [MetricNames].
package control
