package infer

import (
	"context"
	"fmt"
	"math"

	"github.com/epiplan/epiplan/scenarios"
)

// Evaluate returns the log-likelihood of the data at the parameter values x
// (in the order of params), and the negative binomial's size it used (NaN for
// Poisson), exactly as one evaluation of [Calibrate] with the same settings
// computes it: the same replications on the same keys, the same observation
// model. It is one point of the surface a calibration searches, for a profile
// by hand or a plot of the likelihood; x must be inside the ranges.
func Evaluate(ctx context.Context, sc *scenarios.Scenario, data Daily, params []Param, x []float64, set Settings) (float64, float64, error) {
	if len(x) != len(params) {
		return math.NaN(), math.NaN(), fmt.Errorf("%d values for %d parameters", len(x), len(params))
	}
	set.Bootstrap = -1
	p, _, err := newProblem(ctx, sc, data, params, set)
	if err != nil {
		return math.NaN(), math.NaN(), err
	}
	for i, prm := range params {
		if !(x[i] >= prm.Lo && x[i] <= prm.Hi) {
			return math.NaN(), math.NaN(), fmt.Errorf("%s = %v is outside its range %v:%v", prm.Path, x[i], prm.Lo, prm.Hi)
		}
	}
	ll, k := p.score(x)
	if p.err != nil {
		return math.NaN(), math.NaN(), p.err
	}
	if err := ctx.Err(); err != nil {
		return math.NaN(), math.NaN(), err
	}
	return ll, k, nil
}
