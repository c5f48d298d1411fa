package infer

import (
	"math"
	"sort"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// Band is the fitted curve by model day, from day 0 to the end of the
// scenario's horizon: the expected count μ of each replication and the counts
// drawn around it.
type Band struct {
	// Mean is the mean expected count over replications (the curve fitted);
	// Median, Lo and Hi are the median and the quantiles at the fit's level of
	// the counts drawn (each replication's μ with its observation noise).
	Mean, Median, Lo, Hi []float64
	// ExpLo and ExpHi are the quantiles of the replications' expected counts
	// (the spread of the epidemic alone, without observation noise).
	ExpLo, ExpHi []float64
	// Infections is the mean of the model's new infections by day.
	Infections []float64
}

// cut reports whether run stopped at the infection cap before day d: its
// curve is unknown from then on.
func cut(run *model.Result, d int) bool {
	return run.StopReason == model.StopMaxInfections && d >= run.Days-1
}

// band computes the fitted curve over days model days from the runs at the
// estimate: 20 counts drawn around each replication's expected count, keyed by
// the seed. A run stopped at the scenario's max_infections has no value after
// its end (it is left out of those days, which are NaN if every run is).
func band(runs []*model.Result, obs Observation, days int, k, level float64, seed uint64) (Band, error) {
	const draws = 20
	b := Band{}
	mus := make([][]float64, len(runs))
	for r, run := range runs {
		c, err := obs.Observed(run.Series.Get)
		if err != nil {
			return b, err
		}
		mus[r] = obs.Expected(c, 0, days)
	}
	lo, hi := (1-level)/2, (1+level)/2
	noise := sim.NewStream(seed).Named("band noise")
	col := make([]float64, 0, len(runs)*draws)
	exp := make([]float64, 0, len(runs))
	nan := math.NaN()
	for d := 0; d < days; d++ {
		col, exp = col[:0], exp[:0]
		mean, inf := 0.0, 0.0
		for r, run := range runs {
			if cut(run, d) {
				continue
			}
			mu := mus[r][d]
			mean += mu
			exp = append(exp, mu)
			src := noise.Key(uint64(r)).Key(uint64(d)).Source()
			for j := 0; j < draws; j++ {
				col = append(col, obs.Draw(mu, k, src))
			}
			if v := run.Series.Get("new_infections"); d < len(v) {
				inf += v[d]
			}
		}
		if len(exp) == 0 {
			for _, v := range []*[]float64{&b.Mean, &b.Median, &b.Lo, &b.Hi, &b.ExpLo, &b.ExpHi, &b.Infections} {
				*v = append(*v, nan)
			}
			continue
		}
		n := float64(len(exp))
		sort.Float64s(col)
		sort.Float64s(exp)
		b.Mean = append(b.Mean, mean/n)
		b.Median = append(b.Median, sim.Quantile(col, 0.5))
		b.Lo = append(b.Lo, sim.Quantile(col, lo))
		b.Hi = append(b.Hi, sim.Quantile(col, hi))
		b.ExpLo = append(b.ExpLo, sim.Quantile(exp, lo))
		b.ExpHi = append(b.ExpHi, sim.Quantile(exp, hi))
		b.Infections = append(b.Infections, inf/n)
	}
	return b, nil
}
