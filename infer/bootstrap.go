package infer

import (
	"math"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// bootstrap sets the fit's intervals from a parametric bootstrap: it simulates
// set.Bootstrap data sets from the fitted model scFit, refits each by the
// fit's searches from the same starts, and centres each parameter's interval
// on its estimate in xhat (see [Fit.Bootstrap]). It also sets the bootstrap's
// evaluations and duration.
func (p *problem) bootstrap(fit *Fit, scFit *scenarios.Scenario, starts [][]float64, xhat []float64, set Settings) error {
	t1 := time.Now()
	evals := p.evals
	for b := 0; b < set.Bootstrap; b++ {
		if set.Progress != nil {
			set.Progress("bootstrap", b, set.Bootstrap)
		}
		y, err := p.synthetic(scFit, fit.Observation, p.reps+b)
		if err != nil {
			return err
		}
		// The same searches as the fit's, from the same starts, on keys of
		// their own: the bootstrap repeats the whole estimator, whose error
		// comes from the data and from the few replications it simulates
		// (refits started at the estimate, or on the fit's own keys, would
		// stay near it, and the intervals would be too narrow).
		q := p.with(y)
		q.seed = sim.NewStream(p.seed).Named("bootstrap keys").Key(uint64(b)).Uint64()
		var bestB *Search
		for _, x0 := range starts {
			sr, err := q.search(x0, 1, set.MaxEvaluations, set.Tolerance, nil)
			if err != nil {
				return err
			}
			if bestB == nil || sr.LogLik > bestB.LogLik {
				bestB = &sr
			}
		}
		p.evals += q.evals
		fit.Bootstrap = append(fit.Bootstrap, bestB.Value)
	}
	if set.Progress != nil {
		set.Progress("bootstrap", set.Bootstrap, set.Bootstrap)
	}
	fit.BootstrapEvaluations = p.evals - evals
	fit.BootstrapDuration = time.Since(t1)
	for i := range fit.Estimates {
		fit.Estimates[i].IntervalLo, fit.Estimates[i].IntervalHi = p.interval(i, xhat[i], fit.Bootstrap, set.Level)
	}
	return nil
}

// interval returns the interval of parameter i at the level, centred on its
// estimate x on the search's logit scale, from the bootstrap's refitted values
// (see [Fit.Bootstrap]).
func (p *problem) interval(i int, x float64, boot [][]float64, level float64) (float64, float64) {
	if len(boot) < 2 {
		return math.NaN(), math.NaN()
	}
	z := make([]float64, len(boot))
	for b, v := range boot {
		z[b] = p.logit(i, v[i])
	}
	_, s := stat.MeanStdDev(z, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(boot) - 1)}.Quantile((1 + level) / 2)
	c := p.logit(i, x)
	lo, hi := p.expit(i, c-t*s), p.expit(i, c+t*s)
	if p.integer[i] {
		return math.Floor(lo), math.Ceil(hi)
	}
	return lo, hi
}

// with returns the problem for other data.
func (p *problem) with(y []float64) *problem {
	q := *p
	q.y = y
	q.evals = 0
	q.cache = map[string][2]float64{}
	q.scratch = nil // its own memory: p's runs are not q's to take over
	return &q
}

// synthetic returns a data set simulated from the fitted model: replication
// rep of sc (a key the fit does not use), counted with the observation model
// and its noise, on the days the data have a count.
func (p *problem) synthetic(sc *scenarios.Scenario, obs Observation, rep int) ([]float64, error) {
	runs, err := p.simulate(sc, 1, rep)
	if err != nil {
		return nil, err
	}
	c, _ := obs.Observed(runs[0].Series.Get)
	mu := obs.Expected(c, p.align.Offset, p.align.Days)
	y := make([]float64, len(p.y))
	noise := sim.NewStream(p.seed).Named("observation noise").Key(uint64(rep))
	for i := range y {
		if math.IsNaN(p.y[i]) {
			y[i] = math.NaN()
			continue
		}
		y[i] = obs.Draw(mu[i], obs.Dispersion, noise.Key(uint64(i)).Source())
	}
	return y, nil
}
