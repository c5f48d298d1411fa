package bench

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/epiplan/epiplan/infer"
	"github.com/epiplan/epiplan/scenarios"
)

// The 30-day calibration of issue #9 (acceptance 4): the scenario
// scenarios/data/fujian-2022.yaml fitted to the daily local infections of
// Fujian from 20 October to 18 November 2022 for 5 fields. Paths are from the
// module's root.
const (
	CalibrationScenario = "scenarios/data/fujian-2022.yaml"
	CalibrationData     = "scenarios/data/fujian_2022-09-01_2022-12-07.csv"
)

// CalibrationProblem is a calibration to time: what infer.Calibrate and
// infer.Evaluate take, and a point to evaluate.
type CalibrationProblem struct {
	Scenario *scenarios.Scenario // the scenario fitted
	Data     infer.Daily         // the series
	Params   []infer.Param       // the fields fitted, with their ranges
	Point    []float64           // the point evaluated, in the order of Params
	Settings infer.Settings      // the calibration's settings
}

// Calibration30 is the problem of the 30-day calibration, read from the
// module's root folder: the scenario (with a 15% chance that a symptomatic
// case seeks a test, as the fit starts, and the file's other values as at
// 44c4749: outings × 0.7 under static management, 10 infections introduced on
// day 12), the series, the 5 fields fitted with their ranges, a point (the
// estimate of that fit at b96f236, before the protocols as practised of issue
// #15: no longer near today's estimate), and the settings (negative binomial,
// mean curve, a background of 1 a day, 6 replications), which are those of
//
//	epiplan fit scenarios/data/fujian-2022.yaml --data scenarios/data/fujian_2022-09-01_2022-12-07.csv \
//	  --from 2022-10-20 --to 2022-11-18 \
//	  --set 'strategies[0].testing.symptomatic.probability=0.15' --set 'strategies[1].testing.symptomatic.probability=0.15' \
//	  --set 'strategies[0].response.static.contacts=0.7' --set 'strategies[1].response.static.contacts=0.7' \
//	  --set 'imports.schedule[0].time=12' --set 'imports.schedule[0].count=10' \
//	  --fit transmission=0.5:1.8 --fit 'imports.schedule[0].time=0:22' --fit 'imports.schedule[0].count=1:100' \
//	  --fit 'strategies[0].testing.symptomatic.probability,strategies[1].testing.symptomatic.probability=0.02:0.9' \
//	  --fit 'strategies[0].switch.at=35:60' --background 1 --objective mean_curve --replications 6 --bootstrap 0
func Calibration30(root string) (*CalibrationProblem, error) {
	// The file as it was for issue #9 (it now holds the values of the fit
	// over 15 October – 30 November, bench/README.md).
	return fujianProblem(root, []float64{0.15, 0.15, 0.7, 0.7, 12, 10},
		[]string{"transmission=0.5:1.8", "imports.schedule[0].time=0:22", "imports.schedule[0].count=1:100",
			"strategies[0].testing.symptomatic.probability,strategies[1].testing.symptomatic.probability=0.02:0.9",
			"strategies[0].switch.at=35:60"},
		time.Date(2022, 10, 20, 0, 0, 0, 0, time.UTC), time.Date(2022, 11, 18, 0, 0, 0, 0, time.UTC), 6,
		[]float64{1.53, 16, 8, 0.123, 45})
}

// fujianProblem is a fit of the Fujian file read from the module's root: the
// file with start set as the values of its symptomatic testing (both
// strategies), its outings under static management (both) and the day and size
// of its introduction; the local infections of Fujian from from to to; the
// fields fitted (infer.ParseParam's form); the fit's settings (negative
// binomial, mean curve, a background of 1 a day, reps replications, no
// bootstrap); and the point to evaluate.
func fujianProblem(root string, start []float64, fits []string, from, to time.Time, reps int, point []float64) (*CalibrationProblem, error) {
	sc, err := scenarios.Load(filepath.Join(root, CalibrationScenario))
	if err != nil {
		return nil, err
	}
	if err := sc.SetNumbers([]string{"strategies[0].testing.symptomatic.probability", "strategies[1].testing.symptomatic.probability",
		"strategies[0].response.static.contacts", "strategies[1].response.static.contacts",
		"imports.schedule[0].time", "imports.schedule[0].count"}, start); err != nil {
		return nil, err
	}
	data, err := infer.ReadCSVFile(filepath.Join(root, CalibrationData), "local_total_new")
	if err != nil {
		return nil, err
	}
	var params []infer.Param
	for _, s := range fits {
		p, err := infer.ParseParam(s)
		if err != nil {
			return nil, err
		}
		params = append(params, p)
	}
	set := infer.Settings{
		From:         from,
		To:           to,
		Observation:  infer.Observation{Likelihood: infer.NegBin, Series: []string{infer.DefaultSeries}, Background: 1},
		Objective:    infer.ObjectiveMeanCurve,
		Replications: reps,
		Bootstrap:    -1,
	}
	return &CalibrationProblem{Scenario: sc, Data: data, Params: params, Point: point, Settings: set}, nil
}

// Calibration evaluates the likelihood of the 30-day calibration at its point
// (infer.Evaluate) on the given number of workers. One op is
// one evaluation of the search: 6 replications of the fitted strategy over
// the scenario's first 49 days, and the score. A calibration is a few hundred
// of them.
func Calibration(b *testing.B, root string, workers int) {
	cp, err := Calibration30(root)
	evaluate(b, cp, err, workers, math.NaN())
}

// evaluate times infer.Evaluate of cp at its point on the given number of
// workers, one evaluation an op; err is that of making cp. Unless want is NaN,
// every log-likelihood must be want to within 0.01.
func evaluate(b *testing.B, cp *CalibrationProblem, err error, workers int, want float64) {
	if err != nil {
		b.Fatal(err)
	}
	set := cp.Settings
	set.Workers = workers
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ll, _, err := infer.Evaluate(context.Background(), cp.Scenario, cp.Data, cp.Params, cp.Point, set)
		if err != nil {
			b.Fatal(err)
		}
		if !math.IsNaN(want) && math.Abs(ll-want) > 0.01 {
			b.Fatalf("log-likelihood %v at the point, want %v", ll, want)
		}
	}
	b.ReportMetric(float64(set.Replications), "replications/op")
}
