package bench

import "testing"

// BenchmarkCalibration evaluates the likelihood of the 30-day calibration of
// Fujian's counts (issue #9), on one worker and on all cores. One op is one
// evaluation of the search (6 replications).
func BenchmarkCalibration(b *testing.B) {
	b.Run("fujian-30d/workers=1", func(b *testing.B) { Calibration(b, "..", 1) })
	b.Run("fujian-30d/workers=all", func(b *testing.B) { Calibration(b, "..", 0) })
}

// BenchmarkCalibrationWhole evaluates the likelihood of the fit of Fujian's
// counts over the whole outbreak (issues #15 and #19) at its estimate, on one
// worker and on two. One op is one evaluation of the search (8 replications).
func BenchmarkCalibrationWhole(b *testing.B) {
	b.Run("fujian-47d/workers=1", func(b *testing.B) { CalibrationWholeEval(b, "..", 1) })
	b.Run("fujian-47d/workers=2", func(b *testing.B) { CalibrationWholeEval(b, "..", 2) })
}
