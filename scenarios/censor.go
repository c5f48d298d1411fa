package scenarios

import (
	"fmt"
	"math"

	"github.com/epiplan/epiplan/model"
)

// Capped reports whether the replication was stopped by max_infections: its
// metrics are then lower bounds (censored), and its series end on the day of
// the cap.
func (r Run) Capped() bool { return r.StopReason == model.StopMaxInfections }

// CapDay is the last day a capped replication's series cover: the day it
// reached the cap.
func (r Run) CapDay() int {
	days := 0
	for _, v := range r.Series.Values {
		days = max(days, len(v))
	}
	return days - 1
}

// uncensored are the metrics that a cap does not cut: they are exact in a
// capped replication too.
var uncensored = map[string]bool{"uncontrolled": true, "controlled": true, "burned_out": true}

// cappedRuns returns, by replication, whether it was capped.
func cappedRuns(runs []Run) []bool {
	out := make([]bool, len(runs))
	for i, r := range runs {
		out[i] = r.Capped()
	}
	return out
}

// cappedStats counts the values of s that come from capped replications.
func cappedStats(s Stats, xs []float64, capped []bool) Stats {
	for i, x := range xs {
		if capped[i] && !math.IsNaN(x) {
			s.Capped++
		}
	}
	return s
}

// notComparable withdraws a paired difference that involves capped
// replications of either strategy, saying how many.
func notComparable(d Difference, st, base *StrategyResult) Difference {
	count := func(s *StrategyResult) int {
		n := 0
		for _, r := range s.Runs {
			if r.Capped() {
				n++
			}
		}
		return n
	}
	a, b := count(st), count(base)
	if a == 0 && b == 0 {
		return d
	}
	nan := Num(math.NaN())
	d.Mean, d.Lo, d.Hi = nan, nan, nan
	switch {
	case a > 0 && b > 0:
		d.NotComparable = fmt.Sprintf("not comparable: %d of %d replications of %s and %d of %d of %s capped", a, len(st.Runs), st.Name, b, len(base.Runs), base.Name)
	case a > 0:
		d.NotComparable = fmt.Sprintf("not comparable: %d of %d replications of %s capped", a, len(st.Runs), st.Name)
	default:
		d.NotComparable = fmt.Sprintf("not comparable: %d of %d replications of %s capped", b, len(base.Runs), base.Name)
	}
	return d
}
