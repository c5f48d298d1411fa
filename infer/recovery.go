package infer

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/epiplan/epiplan/scenarios"
)

// Synthetic simulates a data series from scenario sc with the parameters set
// to the values truth: replication rep of seed's simulations of the strategy
// named in set (a key the calibration does not use if seed differs from the
// fit's), counted with set's observation model and its noise, on the scenario's
// days from set.From to set.To (both needed). It is what a calibration's
// bootstrap draws, and the data of a parameter-recovery study.
func Synthetic(ctx context.Context, sc *scenarios.Scenario, params []Param, truth []float64, set Settings, seed uint64, rep int) (Daily, error) {
	if set.From.IsZero() || set.To.IsZero() || set.To.Before(set.From) {
		return Daily{}, fmt.Errorf("synthetic data need their days: from %v to %v", set.From, set.To)
	}
	if len(truth) != len(params) {
		return Daily{}, fmt.Errorf("%d values for %d parameters", len(truth), len(params))
	}
	n := int(math.Round(set.To.Sub(set.From).Hours()/24)) + 1
	blank := Daily{Start: set.From, Values: make([]float64, n)}
	set.Seed, set.SeedSet, set.Bootstrap = seed, true, -1
	p, set, err := newProblem(ctx, sc, blank, params, set)
	if err != nil {
		return Daily{}, err
	}
	scT, obs, err := p.apply(truth)
	if err != nil {
		return Daily{}, err
	}
	if obs.Likelihood == NegBin && obs.Dispersion == 0 {
		return Daily{}, fmt.Errorf("synthetic data with the negative binomial need a dispersion")
	}
	y, err := p.synthetic(scT, obs, rep)
	if err != nil {
		return Daily{}, err
	}
	return Daily{Start: set.From, Values: y}, nil
}

// Study is a parameter-recovery study: data sets simulated at known values,
// each calibrated with its intervals.
type Study struct {
	Params []Param   // the fields fitted
	Truth  []float64 // their true values, the data's
	Level  float64   // the level of the intervals
	// Fits are the calibrations of each data set (without their runs).
	Fits []*Fit
	// Covered counts, by parameter, the data sets whose interval holds the true
	// value.
	Covered []int
	// AllCovered counts the data sets whose every interval holds its value.
	AllCovered int
	Duration   time.Duration // the time the study took
}

// RecoveryStudy simulates sets data sets from sc at the values truth (data
// set j is replication j of dataSeed's simulations, with its observation
// noise, over set.From to set.To) and calibrates each with set, counting how
// often the intervals hold the truth. progress, if not nil, is told of each
// data set done.
func RecoveryStudy(ctx context.Context, sc *scenarios.Scenario, params []Param, truth []float64, set Settings, sets int, dataSeed uint64, progress func(done, total int)) (*Study, error) {
	t0 := time.Now()
	st := &Study{Params: params, Truth: truth, Covered: make([]int, len(params))}
	for j := 0; j < sets; j++ {
		data, err := Synthetic(ctx, sc, params, truth, set, dataSeed, j)
		if err != nil {
			return nil, err
		}
		fit, err := Calibrate(ctx, sc, data, params, set)
		if err != nil {
			return nil, fmt.Errorf("data set %d: %w", j, err)
		}
		fit.runs = nil
		st.Level = fit.Level
		all := true
		for i, e := range fit.Estimates {
			if e.IntervalLo <= truth[i] && truth[i] <= e.IntervalHi {
				st.Covered[i]++
			} else {
				all = false
			}
		}
		if all {
			st.AllCovered++
		}
		st.Fits = append(st.Fits, fit)
		if progress != nil {
			progress(j+1, sets)
		}
	}
	st.Duration = time.Since(t0)
	return st, nil
}
