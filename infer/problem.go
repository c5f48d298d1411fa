package infer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// problem is the likelihood of a calibration, as a function of the parameters.
type problem struct {
	ctx       context.Context
	base      *scenarios.Scenario // horizon cut to the data, no stop rule
	strategy  int
	params    []Param
	integer   []bool
	obs       Observation
	objective Objective
	y         []float64
	align     Alignment
	reps      int
	seed      uint64
	workers   int
	evals     int
	err       error
	cache     map[string][2]float64 // log-likelihood and dispersion by point
	// The memory of the search's runs, by replication: an evaluation's runs
	// are done with once it is scored (score), and the next evaluation's take
	// their memory over.
	scratch []model.Scratch
}

// newProblem checks the calibration's inputs and sets its likelihood up: the
// settings, the strategy, the days of data fitted, the scenario they are
// fitted with, and the parameters; last, one simulation checks that the model
// records what the observation counts. It returns the settings with their
// defaults filled in.
func newProblem(ctx context.Context, sc *scenarios.Scenario, data Daily, params []Param, set Settings) (*problem, Settings, error) {
	start, ok := sc.StartTime()
	if !ok {
		return nil, set, errors.New("the scenario has no start_date: the data's dates cannot be placed on its days")
	}
	if len(params) == 0 {
		return nil, set, errors.New("nothing to fit: give at least one --fit path=lo:hi")
	}
	if err := fillSettings(&set, len(params)); err != nil {
		return nil, set, err
	}
	reps, seed, err := replicationKeys(sc, set)
	if err != nil {
		return nil, set, err
	}
	strategy, err := strategyIndex(sc, set.Strategy)
	if err != nil {
		return nil, set, err
	}
	window, align, err := dataWindow(data, set.From, set.To, start, int(math.Ceil(float64(sc.Horizon))))
	if err != nil {
		return nil, set, err
	}
	base := fitBase(sc, align)
	p := &problem{ctx: ctx, base: base, strategy: strategy, params: params, obs: set.Observation, objective: set.Objective,
		y: append([]float64(nil), window.Values...), align: align, reps: reps, seed: seed, workers: set.Workers,
		cache: map[string][2]float64{}}
	if p.integer, err = checkParams(base, params, set.Observation); err != nil {
		return nil, set, err
	}
	// The data must be something the model records.
	if _, err := p.simulate(base, 1, 0); err != nil {
		return nil, set, err
	}
	return p, set, nil
}

// fillSettings fills in the defaults of a calibration's settings for nparams
// parameters, and checks the values given.
func fillSettings(set *Settings, nparams int) error {
	if set.Level == 0 {
		set.Level = 0.9
	}
	if !(set.Level > 0 && set.Level < 1) {
		return fmt.Errorf("the interval level must be in (0, 1), got %v", set.Level)
	}
	if set.Starts == 0 {
		set.Starts = 1
	}
	if set.Starts < 1 || set.Starts > 100 {
		return fmt.Errorf("starts must be from 1 to 100, got %d", set.Starts)
	}
	if set.MaxEvaluations == 0 {
		set.MaxEvaluations = 40 + 40*nparams
	}
	if set.MaxEvaluations < nparams+2 {
		return fmt.Errorf("max evaluations must be at least %d (the first simplex), got %d", nparams+2, set.MaxEvaluations)
	}
	if set.Tolerance == 0 {
		set.Tolerance = 0.01
	}
	if !(set.Tolerance > 0) {
		return fmt.Errorf("the tolerance must be > 0, got %v", set.Tolerance)
	}
	if set.Bootstrap == 0 {
		set.Bootstrap = 40
	}
	if set.Bootstrap == 1 {
		return fmt.Errorf("the intervals need at least 2 bootstrap data sets, got 1")
	}
	if set.Bootstrap > 10_000 {
		return fmt.Errorf("at most 10,000 bootstrap data sets, got %d", set.Bootstrap)
	}
	switch set.Objective {
	case "":
		set.Objective = ObjectiveMixture
	case ObjectiveMixture, ObjectiveMeanCurve:
	default:
		return fmt.Errorf("the objective must be %q or %q, got %q", ObjectiveMixture, ObjectiveMeanCurve, set.Objective)
	}
	return set.Observation.Validate()
}

// replicationKeys returns the number of replications of an evaluation and
// their seed: the settings', or else the scenario's.
func replicationKeys(sc *scenarios.Scenario, set Settings) (int, uint64, error) {
	reps := sc.Replications
	if set.Replications != 0 {
		reps = set.Replications
	}
	if reps < 1 || reps > scenarios.MaxReplications {
		return 0, 0, fmt.Errorf("replications must be from 1 to %d, got %d", scenarios.MaxReplications, reps)
	}
	seed := sc.Seed
	if set.SeedSet {
		seed = set.Seed
	}
	return reps, seed, nil
}

// strategyIndex returns the index of the strategy named name in the scenario's
// list (the first for "").
func strategyIndex(sc *scenarios.Scenario, name string) (int, error) {
	if name == "" {
		return 0, nil
	}
	strategy := sc.StrategyIndex(name)
	if strategy < 0 {
		return 0, fmt.Errorf("strategy %q is not one of the scenario's (%s)", name, strings.Join(sc.StrategyNames(), ", "))
	}
	return strategy, nil
}

// daysToFit returns the first and last days of data to fit: from and to, or
// where zero, the first and last days that both the data and the scenario
// (from start for horizon days) cover.
func daysToFit(data Daily, from, to, start time.Time, horizon int) (time.Time, time.Time) {
	if from.IsZero() {
		from = data.Start
		if start.After(from) {
			from = start
		}
	}
	if to.IsZero() {
		to = data.Date(data.Len() - 1)
		if last := start.AddDate(0, 0, horizon-1); last.Before(to) {
			to = last
		}
	}
	return from, to
}

// dataWindow returns the data fitted, from to to (see [daysToFit]), and their
// place on the clock of a scenario that starts on start and runs for horizon
// days; it is an error if the days are not all in the data and the scenario,
// or none of them has a count.
func dataWindow(data Daily, from, to, start time.Time, horizon int) (Daily, Alignment, error) {
	from, to = daysToFit(data, from, to, start, horizon)
	if to.Before(from) {
		return Daily{}, Alignment{}, fmt.Errorf("no data day to fit: from %s to %s (the data run from %s to %s, the scenario from %s for %d days)",
			from.Format(dateFmt), to.Format(dateFmt), data.Start.Format(dateFmt), data.Date(data.Len()-1).Format(dateFmt), start.Format(dateFmt), horizon)
	}
	if data.Index(from) < 0 || data.Index(to) >= data.Len() {
		return Daily{}, Alignment{}, fmt.Errorf("the days to fit (%s to %s) are not all in the data (%s to %s)",
			from.Format(dateFmt), to.Format(dateFmt), data.Start.Format(dateFmt), data.Date(data.Len()-1).Format(dateFmt))
	}
	window := data.Slice(from, to)
	align, err := Align(window, start, horizon)
	if err != nil {
		return Daily{}, Alignment{}, err
	}
	observed := 0
	for _, v := range window.Values {
		if !math.IsNaN(v) {
			observed++
		}
	}
	if observed == 0 {
		return Daily{}, Alignment{}, fmt.Errorf("no count in the days to fit (%s to %s): every one is missing", from.Format(dateFmt), to.Format(dateFmt))
	}
	return window, align, nil
}

// fitBase returns the scenario the likelihood simulates: a copy of sc whose
// horizon ends with the data fitted, with no stop rule (a run that stopped
// would count nothing on the days after).
func fitBase(sc *scenarios.Scenario, align Alignment) *scenarios.Scenario {
	base := sc.Clone()
	base.Horizon = sim.Duration(align.Offset + align.Days)
	base.StopAfterCommunityZero = 0
	return base
}

// TransmissionFields returns the fields of sc's layers that a transmission
// scale x sets (the pseudo-field [ParamTransmission]) and their values: the
// community, city and group layers' strengths times x, and the household
// secondary attack rate s as 1 − (1 − s)^x (at most 0.999; left out when s is
// 0). sc is not changed; set them with [scenarios.Scenario.SetNumbers].
func TransmissionFields(sc *scenarios.Scenario, x float64) ([]string, []float64) {
	l := &sc.Population.Layers
	paths := []string{"population.layers.community", "population.layers.city"}
	vals := []float64{l.Community * x, l.City * x}
	for g, gl := range l.Groups {
		paths = append(paths, fmt.Sprintf("population.layers.groups[%d].r", g))
		vals = append(vals, gl.R*x)
	}
	if l.HouseholdSAR > 0 {
		paths = append(paths, "population.layers.household_sar")
		vals = append(vals, math.Min(1-math.Pow(1-l.HouseholdSAR, x), 0.999))
	}
	return paths, vals
}

// round rounds the value of an integer parameter.
func (p *problem) round(i int, x float64) float64 {
	if p.integer[i] {
		return math.Round(x)
	}
	return x
}

// apply returns the scenario and the observation model at parameters x.
func (p *problem) apply(x []float64) (*scenarios.Scenario, Observation, error) {
	sc := p.base.Clone()
	obs := p.obs
	var paths []string
	var vals []float64
	for i, prm := range p.params {
		v := p.round(i, x[i])
		switch prm.Path {
		case ParamTransmission:
			tp, tv := TransmissionFields(p.base, v)
			paths, vals = append(paths, tp...), append(vals, tv...)
		case ParamRho:
			obs.Rho = v
		case ParamBackground:
			obs.Background = v
		case ParamDispersion:
			obs.Dispersion = v
		default:
			for _, path := range fieldPaths(prm.Path) {
				paths = append(paths, path)
				vals = append(vals, v)
			}
		}
	}
	if err := sc.SetNumbers(paths, vals); err != nil {
		return nil, obs, fmt.Errorf("at %v: %w", x, err)
	}
	return sc, obs, nil
}

// simulate plays the fitted strategy of sc for n replications, from
// replication first on.
func (p *problem) simulate(sc *scenarios.Scenario, n, first int) ([]*model.Result, error) {
	return p.simulateOn(sc, n, first, nil)
}

// simulateOn runs as simulate does, replication first+i on the memory of
// scratch[i] if scratch is not nil (see [model.Scratch]).
func (p *problem) simulateOn(sc *scenarios.Scenario, n, first int, scratch []model.Scratch) ([]*model.Result, error) {
	st := sc.Strategy(p.strategy)
	runs, err := sim.Replicate(p.ctx, n, p.workers, func(ctx context.Context, rep int) (*model.Result, error) {
		var mem *model.Scratch
		if scratch != nil {
			mem = &scratch[rep]
		}
		r, err := sc.RunStrategyWith(ctx, st, p.seed, first+rep, mem)
		if err != nil {
			return nil, err
		}
		if _, err := p.obs.Observed(r.Series.Get); err != nil {
			return nil, err
		}
		return r, nil
	})
	return runs, err
}

// meanCurve returns the mean over runs of the observed model curve.
func (p *problem) meanCurve(runs []*model.Result) []float64 {
	var mean []float64
	for _, r := range runs {
		c, _ := p.obs.Observed(r.Series.Get)
		for len(mean) < len(c) {
			mean = append(mean, 0)
		}
		for d, v := range c {
			mean[d] += v / float64(len(runs))
		}
	}
	return mean
}

// score returns the log-likelihood at x and the dispersion it used; it is a
// pure function of x and the seed. An error stops the search (see p.err).
func (p *problem) score(x []float64) (float64, float64) {
	key := fmt.Sprint(roundAll(p, x))
	if v, ok := p.cache[key]; ok {
		return v[0], v[1]
	}
	sc, obs, err := p.apply(x)
	if err != nil {
		p.err = err
		return math.NaN(), math.NaN()
	}
	if p.scratch == nil {
		p.scratch = make([]model.Scratch, p.reps)
	}
	runs, err := p.simulateOn(sc, p.reps, 0, p.scratch)
	if err != nil {
		if p.ctx.Err() == nil {
			p.err = err
		}
		return math.NaN(), math.NaN()
	}
	p.evals++
	var ll, k float64
	if p.objective == ObjectiveMeanCurve {
		ll, k = obs.LogLik(p.y, obs.Expected(p.meanCurve(runs), p.align.Offset, p.align.Days))
	} else {
		mus := make([][]float64, len(runs))
		for r, run := range runs {
			c, _ := obs.Observed(run.Series.Get)
			mus[r] = obs.Expected(c, p.align.Offset, p.align.Days)
		}
		ll, k = obs.LogLikMix(p.y, mus)
	}
	p.cache[key] = [2]float64{ll, k}
	return ll, k
}

func roundAll(p *problem, x []float64) []float64 {
	out := make([]float64, len(x))
	for i := range x {
		out[i] = p.round(i, x[i])
	}
	return out
}
