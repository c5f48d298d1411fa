package bench

import (
	"context"
	"testing"
	"time"

	"github.com/epiplan/epiplan/scenarios"
)

// ReplicateReplications is the number of replications of each strategy in one
// op of BenchmarkReplicate: 4 of each of the default scenario's 4 strategies,
// 16 runs, enough for the two workers to share the load evenly.
const ReplicateReplications = 4

// Replicate plays every strategy of sc, ReplicateReplications replications
// each, on the given number of workers, as `epiplan run` does
// (scenarios.Play). One op is the whole set; it reports the runs per second of
// wall time (replications/s). The results do not depend on workers, only the
// time does.
func Replicate(b *testing.B, sc *scenarios.Scenario, workers int) {
	b.ReportAllocs()
	start := time.Now()
	runs := 0
	for i := 0; i < b.N; i++ {
		res, err := scenarios.Play(context.Background(), sc, scenarios.RunOptions{Replications: ReplicateReplications, Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		for _, st := range res.Strategies {
			runs += len(st.Runs)
		}
	}
	b.ReportMetric(float64(runs)/time.Since(start).Seconds(), "replications/s")
}
