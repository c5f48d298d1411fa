package bench

import (
	"testing"

	"github.com/epiplan/epiplan/bench/internal/fuzhou"
)

// BenchmarkStrategy runs one replication of a strategy in the Fuzhou-like city of
// 8.4 million people (see bench/internal/fuzhou). One op is a whole run.
func BenchmarkStrategy(b *testing.B) {
	for _, name := range []string{"ninth_edition", "twenty_measures"} {
		b.Run(name+"/N=8.4e6", func(b *testing.B) {
			s, err := fuzhou.Strategy(name)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			infections := 0.0
			for i := 0; i < b.N; i++ {
				_, res, err := fuzhou.Run(s, i)
				if err != nil {
					b.Fatal(err)
				}
				v, _ := res.Metric("infections")
				infections += v
			}
			b.ReportMetric(infections/float64(b.N), "infections/op")
		})
	}
}
