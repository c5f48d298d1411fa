// Package sim is a generic discrete-event simulation kernel: a clock, a queue of
// pending events, resources for queueing processes, statistics, keyed random
// streams and parallel replications. It knows nothing about epidemics; the model
// package builds on it, and examples/lab-queue uses it alone.
//
//	s := sim.New()
//	s.AfterFunc(2*sim.Hour, 0, func() { fmt.Println("a van arrives at", s.Now()) })
//	s.Run() // a van arrives at day 0.083
//
// # Time
//
// [Time] and [Duration] are float64 days. Build durations from the unit constants
// ([Day], [Hour], [Minute], [Second], [Week]) or parse text with [ParseDuration]
// ("36h", "2d", "90m", "1.5" days).
//
// # Events
//
// A [Sim] fires events in order of time, then [Priority] class (lower first), then
// the order in which they were scheduled. Nothing else (not map order, not the
// worker a replication runs on, not the wall clock) decides the order, so a run is a
// pure function of its seed. A model names its priority classes once, for example
// progression before testing before tracing before policy, and every event at the
// same instant then runs in that documented order.
//
// There are two ways to schedule. The typed path registers a handler once with
// [Sim.NewKind] and schedules events as a [Kind] plus an int64 payload with
// [Sim.At] and [Sim.After]; it allocates nothing in steady state and is the one
// for hot models. The closure path, [Sim.AtFunc] and [Sim.AfterFunc], takes a
// func() and is the convenient one. Both return a [Handle] for [Sim.Cancel] and
// [Sim.Pending]. Scheduling in the past, at NaN or at +Inf panics: it is a
// programming error, never clamped.
//
// Events that are due in the order they are scheduled, such as the ends of
// services of one fixed length, may go through a [Line] ([Sim.NewLine]): they
// fire exactly where [Sim.At] would put them, but only the line's earliest is in
// the queue, and those that fire one after the other cost no queue operation.
//
// Drive a Sim with [Sim.Step] (one event), [Sim.RunUntil] (every event before a
// time, then the clock moves to that time; an event exactly at the boundary waits
// for the next call) or [Sim.Run] (until no event is left or [Sim.Stop] is called).
// Between calls the caller may inspect the model and schedule more.
//
// # Resources and statistics
//
// [Server] (c parallel servers with a FIFO or priority queue), [BatchServer]
// (instruments that run up to B units at once, started by a full batch or a timer)
// and [Pool] (a capacity of places, with a policy when full) model the stages of
// queueing processes. Each keeps time-weighted statistics ([TimeWeighted]) and
// tallies of waiting and sojourn times ([Tally]) and reports them as a
// [ResourceReport].
//
// # Randomness
//
// Randomness is explicit, never global. A [Stream] derives child streams from keys
// (seed, replication, purpose, entity) with [Stream.Key] and [Stream.Named], and
// seeds a math/rand/v2 source from them. Draws for one purpose therefore never
// shift draws for another, and two strategies run on the same seed see the same
// draws wherever their histories agree (common random numbers). Distributions are
// gonum's distuv values with such a source, plus [Fixed], [NegBinomial] and
// [Empirical]; [Dist] describes one as configuration (family and parameters,
// parsed from text such as "gamma(mean=3.8, sd=2.1)") and draws from a source
// given at each draw. A nil source is an error, never a fall-back to a global
// generator.
//
// # Replications
//
// [Replicate] runs independent replications on all cores and returns the results
// by replication index; when each replication derives its randomness from its
// index, the results do not depend on the number of workers.
package sim
