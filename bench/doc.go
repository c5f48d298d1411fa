// Package bench holds epiplan's two benchmark suites.
//
// # Performance
//
// The Go benchmarks (BenchmarkHold, BenchmarkEpidemic, BenchmarkMassTesting,
// BenchmarkStrategy, BenchmarkControlled, BenchmarkReplicate) measure the sim
// kernel's event queue, the epidemic core, a city-wide testing round, a
// strategy of the library scenario fuzhou-2022, controlled outbreaks of
// Hellewell et al. 2020 against a minimal program of the same model ([Floor]),
// and the default scenario's replications on one and two workers. Their bodies are
// exported functions of this package ([HoldTyped], [Epidemic], [MassTesting],
// [Strategy], [ControlledRing]…), so that the command bench/cmd/perf can run
// the very same code through testing.Benchmark and print one table:
//
//	go test -run '^$' -bench . ./bench/      # the Go benchmarks, for benchstat
//	go run ./bench/cmd/perf                  # the table
//
// # Interventions
//
// The interventions suite scores control strategies on equal terms: a fixed set
// of seeded outbreaks ([SuiteScenarios]) in the city of the library scenario
// fuzhou-2022, with its resources, every contender ([Contender]; the built-in
// strategies are [BuiltinContenders]) on the same fixed seeds ([SuiteSeeds]),
// so that the comparison of two contenders is paired. [RunSuite] plays them,
// and the [Scores] it returns print a leaderboard and a CSV file:
//
//	go run ./bench/cmd/interventions
//
// README.md holds the latest figures of both, the machine they ran on, and how
// to add an intervention to the suite and compare two versions of the code.
package bench
