package infer

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

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
