package infer

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOnBoundsWarns(t *testing.T) {
	f := &Fit{Estimates: []Estimate{
		{Param: Param{Path: "population.layers.community", Lo: 0.5, Hi: 3}, Value: 3},
		{Param: Param{Path: "imports.initial", Lo: 1, Hi: 50}, Integer: true, Value: 1},
		{Param: Param{Path: "observation.rho", Lo: 0.1, Hi: 1}, Value: 0.4},
	}}
	w := f.OnBounds()
	if assert.Len(t, w, 2, "the estimates on a bound, not the one inside") {
		assert.Contains(t, w[0], "population.layers.community (3) sits on the upper bound of its range [0.5, 3]")
		assert.Contains(t, w[1], "imports.initial (1) sits on the lower bound")
	}
	assert.True(t, strings.HasPrefix(f.Says()[0], "Warning:"), "the warnings come first in what the fit says")
}

func TestReadableTicks(t *testing.T) {
	var labels []string
	for _, tk := range (readableTicks{}).Ticks(0, 27000) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	assert.GreaterOrEqual(t, len(labels), 3, "more than the two ends: %v", labels)
	for _, l := range labels {
		assert.NotContains(t, l, ".00", "no needless decimals")
	}
	assert.Contains(t, labels, "20,000")
	labels = nil
	for _, tk := range (readableTicks{}).Ticks(0, 1.5) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	assert.Contains(t, labels, "0.5")
}
