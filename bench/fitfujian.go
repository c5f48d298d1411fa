package bench

import (
	"testing"
	"time"
)

// CalibrationWhole is the problem of the fit over the whole outbreak, 15
// October – 30 November 2022 (issue #15; bench/README.md, "Calibration:
// Fujian"), which issue #19 asks to take a minute: the scenario as that fit
// starts (a 33% chance that a symptomatic case seeks a test, outings × 0.59
// under the low-risk area's rule, 89 infections introduced on day 18.8), the
// series, the 5 fields fitted with their ranges, a point (the estimate of that
// fit at baf15fc), and the settings (negative binomial, mean curve, a
// background of 1 a day, 8 replications), which are those of
//
//	epiplan fit scenarios/data/fujian-2022.yaml --data scenarios/data/fujian_2022-09-01_2022-12-07.csv \
//	  --from 2022-10-15 --to 2022-11-30 \
//	  --set 'strategies[0].testing.symptomatic.probability=0.33' --set 'strategies[1].testing.symptomatic.probability=0.33' \
//	  --set 'strategies[0].response.static.contacts=0.59' --set 'strategies[1].response.static.contacts=0.59' \
//	  --set 'imports.schedule[0].time=18.8' --set 'imports.schedule[0].count=89' \
//	  --fit transmission=0.5:0.75 --fit 'imports.schedule[0].time=8:22' --fit 'imports.schedule[0].count=1:100' \
//	  --fit 'strategies[0].testing.symptomatic.probability,strategies[1].testing.symptomatic.probability=0.2:0.75' \
//	  --fit 'strategies[0].response.static.contacts,strategies[1].response.static.contacts=0.3:0.9' \
//	  --background 1 --objective mean_curve --replications 8 --bootstrap 0
func CalibrationWhole(root string) (*CalibrationProblem, error) {
	return fujianProblem(root, []float64{0.33, 0.33, 0.59, 0.59, 18.8, 89},
		[]string{"transmission=0.5:0.75", "imports.schedule[0].time=8:22", "imports.schedule[0].count=1:100",
			"strategies[0].testing.symptomatic.probability,strategies[1].testing.symptomatic.probability=0.2:0.75",
			"strategies[0].response.static.contacts,strategies[1].response.static.contacts=0.3:0.9"},
		time.Date(2022, 10, 15, 0, 0, 0, 0, time.UTC), time.Date(2022, 11, 30, 0, 0, 0, 0, time.UTC), 8,
		[]float64{0.6561743537041171, 18.88902564792577, 96, 0.2629612011804454, 0.619324930791292})
}

// CalibrationWholeEval evaluates the likelihood of the whole-outbreak fit at
// its point (infer.Evaluate) on the given number of workers, and checks the
// log-likelihood there (−203.37, the fit's). One op is one evaluation of the
// search, 8 replications over the scenario's first 61 days and the score,
// plus what infer.Evaluate sets up first (one more replication, which checks
// that the model records the series, and the scenario checked at the ends of
// the ranges); the fit is about 100 evaluations.
func CalibrationWholeEval(b *testing.B, root string, workers int) {
	cp, err := CalibrationWhole(root)
	evaluate(b, cp, err, workers, -203.37)
}
