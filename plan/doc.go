// Package plan answers the inverse questions of a scenario: what is the
// cheapest plan that meets a set of targets, and what are the smallest
// capacities that do? It is what epiplan plan runs; docs/planning.md is the
// user's guide.
//
// # Problems
//
// A Problem names a scenario and one of its strategies (the one planned;
// only it is played), the targets every plan must meet (Target: a mean, a
// quantile, or the probability of an event per replication, on any metric
// of model.MetricNames, control.MetricNames or scenarios.CostMetricNames), the metric whose mean
// is minimised (total_cost by default), and either the knobs to search over
// (Knob, from --vary path=lo:hi or path=a,b,c: any field of the scenario,
// the strategy's or the city's) or the capacities to size (SizeKnob, from
// --size path).
//
// # Search
//
// Search plays the candidates on common random numbers: replication k of
// every candidate draws from the same stream (the scenario's seed, key k),
// so two candidates differ by their plans, not by their outbreaks, and a
// paired comparison of two candidates is far sharper than one of
// independent runs.
//
// With knobs, the candidates are the grid of their values (a Latin hypercube
// sample of it when it is larger than Options.MaxCandidates). The race
// starts every candidate on MinReplications runs and doubles the runs of
// those still in it each round up to MaxReplications, so the runs go where
// the decision is close. After each round it drops a candidate that surely
// misses a target (the 95% interval of its estimate is wholly on the wrong
// side: Wilson's for a probability, Student's t for a mean), one that is
// surely dearer than the cheapest candidate that surely meets every target
// (the paired 95% interval of their difference is above zero), and then the
// worse half of the rest, ranked by the targets their estimates miss and
// then by the objective (successive halving), keeping at least
// Options.Finalists.
//
// With capacities, Search cuts each capacity in turn, by bisection, to the
// smallest value that still meets the targets with the others where they
// are, starting from the top of every range; a point is played on
// MinReplications runs, doubled while a target's interval straddles its
// threshold. If more capacity never makes a target harder to meet, the
// result is minimal: no capacity can be cut alone.
//
// # Confirmation
//
// The finalists are played again on a fresh root seed (ConfirmSeed of the
// search's), which no search run used, so that their estimates are not
// biased by the selection (the winner of a race on a seed is flattered by
// that seed). The recommended plan is the cheapest finalist whose
// confirmation estimates meet every target; each target's estimate is
// given with its 95% interval.
//
// # Outputs and shards
//
// Result.Write writes plan.json (the question, the recommended plan and
// the finalists with their estimates, every candidate and the rounds, and
// the command line that makes it again), plan.yaml (the scenario with the
// planned strategy alone: with the plan's --set fields it is the plan),
// frontier.csv, the frontier plot (SVG and PNG) and plan.html, and
// recommended/, the outputs of epiplan run for the recommended plan on the
// confirmation's seeds. A plan can be played in stages (Options.Stage): the
// grid (the first round) and the confirmation split into shards
// (Options.Shard), the race between them; each stage's runs, kept in a
// Cache, are not played again by the next.
package plan
