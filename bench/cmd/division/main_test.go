package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMedianInterval(t *testing.T) {
	// n = 20: the 6th and 15th in order hold the median with probability
	// 1 − 2·P(Binomial(20, ½) ≤ 5) = 0.9586 (5 and 14 from 0).
	lo, hi := medianInterval(20)
	assert.Equal(t, 5, lo)
	assert.Equal(t, 14, hi)
	lo, hi = medianInterval(6) // 1 − 2/64 = 0.969: the extremes
	assert.Equal(t, 0, lo)
	assert.Equal(t, 5, hi)
}

func TestMannWhitney(t *testing.T) {
	// Two samples that do not overlap: U = 0, z = (50 − 0.5)/√(10·10·21/12),
	// two-sided p = 0.000183 (the normal approximation with continuity
	// correction, as scipy.stats.mannwhitneyu computes it).
	var a, b []float64
	for i := 1; i <= 10; i++ {
		a = append(a, float64(i))
		b = append(b, float64(i+10))
	}
	assert.InDelta(t, 0.000183, mannWhitney(a, b), 0.000005)
	assert.Equal(t, 1.0, mannWhitney(a, a), "the same sample")
	assert.Equal(t, 1.0, mannWhitney([]float64{0, 0, 0}, []float64{0, 0}), "all tied")
}
