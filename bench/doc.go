// Package bench holds epiplan's two benchmark suites.
//
// # Performance
//
// The Go benchmarks (BenchmarkHold, BenchmarkEpidemic, BenchmarkMassTesting,
// BenchmarkStrategy) measure the sim kernel's event queue, the epidemic core,
// a city-wide testing round and a strategy of the library scenario fuzhou-2022.
// Their bodies are exported functions of this package ([HoldTyped],
// [Epidemic], [MassTesting], [Strategy]…), so that the command bench/cmd/perf
// runs the very same code through testing.Benchmark and prints one table:
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
