package bench

import (
	"testing"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// StrategyScenario is the library scenario of BenchmarkStrategy.
const StrategyScenario = "fuzhou-2022"

// StrategyNames are the strategies of StrategyScenario that BenchmarkStrategy
// runs: the two that act (the others only let the outbreak grow to the cap).
var StrategyNames = []string{"ninth_edition", "twenty_measures"}

// Strategy runs replications of strategy i of scenario sc, with the scenario's
// configuration and options, replication op i drawing from
// sim.NewStream(sc.Seed).Key(i) as scenarios.Play does. One op is a whole run;
// it reports the infections per run (infections/op).
func Strategy(b *testing.B, sc *scenarios.Scenario, i int) {
	st := sc.Strategy(i)
	b.ReportAllocs()
	infections := 0.0
	for rep := 0; rep < b.N; rep++ {
		m, err := model.New(sc.Config(), sim.NewStream(sc.Seed).Key(uint64(rep)), sc.Options())
		if err != nil {
			b.Fatal(err)
		}
		if err := m.Add(st.Measures()...); err != nil {
			b.Fatal(err)
		}
		v, _ := m.Run().Metric("infections")
		infections += v
	}
	b.ReportMetric(infections/float64(b.N), "infections/op")
}
