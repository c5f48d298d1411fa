package bench

import (
	"fmt"
	"testing"
)

// BenchmarkHold is the classic hold model (Jones 1986, "An empirical comparison of
// priority-queue and event-set implementations", CACM 29:300): N events pending;
// each step pops the earliest and schedules one new event at now + Exp(1). One op
// is one event. Sub-benchmarks:
//
//   - typed: the kernel's allocation-free path (Kind + int64 payload);
//   - closure: the kernel's closure path, with a new closure per event capturing
//     its payload, as a model using closures would;
//   - baseline: a bare hand-written binary heap of (time, seq) with no kernel
//     around it, the floor the kernel is measured against.
func BenchmarkHold(b *testing.B) {
	for _, n := range HoldSizes {
		b.Run(fmt.Sprintf("typed/N=%d", n), func(b *testing.B) { HoldTyped(b, n) })
		b.Run(fmt.Sprintf("closure/N=%d", n), func(b *testing.B) { HoldClosure(b, n) })
		b.Run(fmt.Sprintf("baseline/N=%d", n), func(b *testing.B) { HoldBaseline(b, n) })
	}
}
