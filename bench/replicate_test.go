package bench

import (
	"fmt"
	"testing"
)

// BenchmarkReplicate plays the default scenario's strategies (fuzhou-2022:
// ninth edition, twenty measures, mitigation, no intervention, whole
// epidemics) on 1 and on 2 workers; the ratio of their replications/s is the
// parallel speed-up (issue #19: at least 1.8 on two cores).
func BenchmarkReplicate(b *testing.B) {
	sc := strategyScenario(b)
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("%s/workers=%d", StrategyScenario, w), func(b *testing.B) { Replicate(b, sc, w) })
	}
}
