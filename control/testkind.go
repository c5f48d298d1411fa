package control

import (
	"fmt"
	"math"
)

// TestKind is a kind of test: what it detects and what it costs.
type TestKind struct {
	// Name labels the test ("pcr", "antigen").
	Name string `yaml:"name"`
	// LoD is the limit of detection, log10 copies/ml: a sample is positive when its
	// concentration is at or above it.
	LoD float64 `yaml:"lod"`
}

// PCR and antigen tests. PCR detects about 10^3 copies/ml (the limit used by
// Larremore et al. 2021); antigen tests about 10^5–10^6 (limits of detection of 14
// rapid antigen tests span Ct 26.8–34.7, Sci Rep 2021) [A: 10^5.5].
var (
	PCR     = TestKind{Name: "pcr", LoD: 3}
	Antigen = TestKind{Name: "antigen", LoD: 5.5}
)

// PoolPositive reports whether a pool of n samples is positive: the samples' viral
// loads (log10 copies/ml; -Inf for an uninfected sample) are diluted together,
// so the pool's concentration is the sum of theirs over n. One infected sample of
// load x in a pool of n is detected when x - log10(n) ≥ lod.
func PoolPositive(loads []float64, n int, lod float64) bool {
	if n < 1 || n < len(loads) {
		panic(fmt.Sprintf("control: pool of %d samples with %d loads", n, len(loads)))
	}
	sum := 0.0
	for _, x := range loads {
		sum += math.Pow(10, x)
	}
	return sum > 0 && math.Log10(sum/float64(n)) >= lod-1e-12
}
