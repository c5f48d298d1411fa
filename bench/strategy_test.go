package bench

import (
	"slices"
	"testing"

	"github.com/epiplan/epiplan/scenarios"
)

// BenchmarkStrategy runs one replication of a strategy of the library scenario
// fuzhou-2022 (8.4 million people, an Omicron outbreak seeded in a dense
// old-town community, the city's resources). One op is a whole run.
func BenchmarkStrategy(b *testing.B) {
	sc := strategyScenario(b)
	for i, sp := range sc.Strategies {
		if !slices.Contains(StrategyNames, sp.Name) {
			continue
		}
		b.Run(sp.Name+"/N=8.4e6", func(b *testing.B) { Strategy(b, sc, i) })
	}
}

// strategyScenario loads StrategyScenario for a benchmark.
func strategyScenario(b *testing.B) *scenarios.Scenario {
	b.Helper()
	sc, err := scenarios.LibraryScenario(StrategyScenario)
	if err != nil {
		b.Fatal(err)
	}
	return sc
}
