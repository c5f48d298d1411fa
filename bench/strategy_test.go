package bench

import (
	"testing"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// BenchmarkStrategy runs one replication of a strategy of the library scenario
// fuzhou-2022 (8.4 million people, an Omicron outbreak seeded in a dense
// old-town community, the city's resources). One op is a whole run.
func BenchmarkStrategy(b *testing.B) {
	sc, err := scenarios.LibraryScenario("fuzhou-2022")
	if err != nil {
		b.Fatal(err)
	}
	for i, sp := range sc.Strategies {
		if sp.Name != "ninth_edition" && sp.Name != "twenty_measures" {
			continue
		}
		st := sc.Strategy(i)
		b.Run(sp.Name+"/N=8.4e6", func(b *testing.B) {
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
		})
	}
}
