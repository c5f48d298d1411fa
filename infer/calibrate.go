package infer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// Param is a field of the scenario to fit and the range searched, written
// "path=lo:hi" on the command line. Path is any numeric field of the scenario
// ("population.layers.community", "imports.schedule[0].time",
// "strategies[0].testing.symptomatic.probability", "strategies[0].switch.at")
// or one of the pseudo-fields [ParamTransmission], [ParamRho],
// [ParamBackground] and [ParamDispersion]. Several fields separated by commas
// are tied: each gets the parameter's value (the detection probability of two
// strategies, "strategies[0].testing.symptomatic.probability,
// strategies[1].testing.symptomatic.probability"). An integer field (a count) is
// searched as a real number and rounded to the nearest whole number for each
// simulation, so that the likelihood is flat between whole numbers and the
// estimate and its interval are whole numbers.
type Param struct {
	Path string  // the field, fields or pseudo-field set
	Lo   float64 // the lowest value searched
	Hi   float64 // the highest value searched
}

// Pseudo-fields that can be fitted besides the scenario's own fields.
const (
	// ParamTransmission multiplies every contact layer's reproduction number
	// (community, city and each group layer) by a factor, and raises the
	// household's escape probability to that power (a secondary attack rate s
	// becomes 1 − (1 − s)^x): the transmission scale of the whole model, 1
	// being the file's.
	ParamTransmission = "transmission"
	// ParamRho is the observation's Rho, the share of the model's cases counted.
	ParamRho = "observation.rho"
	// ParamBackground is the observation's Background, cases a day the model
	// does not make.
	ParamBackground = "observation.background"
	// ParamDispersion is the negative binomial's size k, fitted with the
	// others instead of profiled.
	ParamDispersion = "observation.dispersion"
)

// ParseParam reads a parameter written "path=lo:hi".
func ParseParam(s string) (Param, error) {
	path, rng, ok := strings.Cut(s, "=")
	lo, hi, ok2 := strings.Cut(rng, ":")
	if !ok || !ok2 || strings.TrimSpace(path) == "" {
		return Param{}, fmt.Errorf("--fit %q: want path=lo:hi", s)
	}
	p := Param{Path: strings.TrimSpace(path)}
	var err error
	if p.Lo, err = parseNumber(lo); err != nil {
		return Param{}, fmt.Errorf("--fit %q: lo: %w", s, err)
	}
	if p.Hi, err = parseNumber(hi); err != nil {
		return Param{}, fmt.Errorf("--fit %q: hi: %w", s, err)
	}
	return p, nil
}

// parseNumber reads a number, or a duration in days ("12d", "36h").
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		return x, nil
	}
	d, err := sim.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number or a duration", s)
	}
	return float64(d), nil
}

// Objective names how a calibration scores the data against the replications
// of an evaluation.
type Objective string

// The objectives of a calibration.
const (
	// ObjectiveMixture is the likelihood of the data as one realization of the
	// model: the mean over replications of the likelihood of the data given
	// each replication's curve (a simulated likelihood, which counts the
	// epidemic's own randomness, such as when it takes off).
	ObjectiveMixture Objective = "mixture"
	// ObjectiveMeanCurve is the likelihood of the data given the mean of the
	// replications' curves: smoother in the parameters, but a single
	// realization is steeper than a mean over realizations that take off at
	// different times, which biases the estimates.
	ObjectiveMeanCurve Objective = "mean_curve"
)

// Settings say what a calibration fits and how.
type Settings struct {
	// Strategy names the strategy of the scenario the data were observed under
	// (default: the first).
	Strategy string
	// From and To bound the data days fitted, both included (zero: from the
	// first, to the last day of the data that the scenario covers).
	From, To time.Time
	// Observation is how the model's cases are counted; a fitted pseudo-field
	// overrides its value.
	Observation Observation
	// Objective is what the data are scored against: [ObjectiveMixture] (the
	// default, "") or [ObjectiveMeanCurve].
	Objective Objective
	// Replications is the number of simulations of each evaluation, the same
	// keys at every point (default: the scenario's).
	Replications int
	// Seed is the seed of the simulations (default: the scenario's, unless
	// SeedSet).
	Seed    uint64
	SeedSet bool // Seed was given (0 is a valid seed)
	// Starts is the number of Nelder–Mead searches, the first from the file's
	// values (or the middle of a range that does not hold them), the others from
	// points drawn at random in the ranges (default 1).
	Starts int
	// MaxEvaluations bounds the evaluations of each search (default 40 + 40 per
	// parameter).
	MaxEvaluations int
	// Tolerance is the gain in log-likelihood below which a search counts an
	// iteration as no progress; a search stops after 4 + 2 per parameter such
	// iterations in a row (default 0.01).
	Tolerance float64
	// Bootstrap is the number of data sets simulated from the fitted model and
	// refitted for the intervals: at least 2 (default 40; negative: no
	// intervals).
	Bootstrap int
	// Level is the level of the intervals (default 0.9).
	Level float64
	// Workers is the number of simulations run at once (0: all cores).
	Workers int
	// Progress, if not nil, is told of the work done: the stage ("fit",
	// "bootstrap", "band"), and the evaluations or data sets done out of the most
	// there can be.
	Progress func(stage string, done, total int)
}

// Estimate is a fitted parameter.
type Estimate struct {
	Param           // the field fitted and its range
	Integer bool    // the field holds whole numbers
	Initial float64 // the value in the scenario before the fit (NaN for a pseudo-field it does not hold)
	Value   float64 // the estimate
	// IntervalLo and IntervalHi bound the interval at the fit's level (NaN
	// without a bootstrap).
	IntervalLo, IntervalHi float64
}

// Search is one Nelder–Mead search of a calibration.
type Search struct {
	Start       []float64 // the starting point
	Value       []float64 // where it ended
	LogLik      float64   // the log-likelihood there
	Evaluations int       // the calls of the likelihood, repeated points included
	Status      string    // why it stopped (gonum's status)
}

// Fit is the result of a calibration.
type Fit struct {
	// Scenario is the scenario with the estimates set (and the transmission
	// scale applied to its layers).
	Scenario *scenarios.Scenario
	// Strategy is the name of the strategy fitted, StrategyIndex its index.
	Strategy      string
	StrategyIndex int // the index of Strategy in the scenario's list
	// Data is the series fitted, and Alignment its place on the model's clock.
	Data      Daily
	Alignment Alignment // Data's place on the model's clock
	// Observation is the observation model at the estimate (with its fitted
	// Rho, Background or Dispersion).
	Observation Observation
	Estimates   []Estimate // the fitted parameters, in the order given
	// LogLik is the log-likelihood at the estimate; Dispersion the negative
	// binomial's size there (NaN for Poisson).
	LogLik, Dispersion float64
	// ObservedDays is the number of data days with a count.
	ObservedDays int
	Searches     []Search // the Nelder–Mead searches of the fit
	// Evaluations counts the evaluations of the likelihood (each a set of
	// Replications simulations) of the searches; BootstrapEvaluations those of
	// the refits.
	Evaluations          int
	BootstrapEvaluations int // the evaluations of the bootstrap's refits
	// Duration is the time the searches took; BootstrapDuration that of the
	// intervals.
	Duration, BootstrapDuration time.Duration
	// Bootstrap holds the refitted values of each simulated data set, in the
	// order of Estimates. The interval of a parameter is centred on its
	// estimate on the search's logit scale, logit((x − lo)/(hi − lo)), and
	// reaches t·s either side, where s is the standard deviation of the
	// refitted values on that scale and t the quantile of Student's t with
	// B − 1 degrees of freedom at the fit's level (a normal bootstrap interval,
	// which allows for s being estimated from few data sets); it stays inside
	// the range and is wider on the side away from a near bound. Percentile
	// intervals of the refits held the truth too rarely in the recovery study
	// (14 of 20 at 90%, see bench/README.md): the refits on fresh keys spread
	// as the estimator does, but their centre moves with the bias of a few
	// keys, and with few data sets their outer quantiles fall short of the
	// level.
	Bootstrap    [][]float64
	Replications int     // simulations per evaluation
	Seed         uint64  // seed of the simulations
	Level        float64 // level of the intervals
	// Capped counts the replications at the estimate that hit the scenario's
	// max_infections (their curves stop there, and count 0 after it).
	Capped int
	// Band is the fitted curve against the data, from the simulations at the
	// estimate over the scenario's whole horizon.
	Band Band
	// Analysis sums up what the fit says of the outbreak.
	Analysis Analysis
	// Settings are the calibration's settings, with their defaults filled in.
	Settings Settings

	runs []*model.Result // the simulations at the estimate, whole horizon
}

// problem is the likelihood of a calibration, as a function of the parameters.
type problem struct {
	ctx       context.Context
	base      *scenarios.Scenario // horizon cut to the data, no stop rule
	strategy  int
	params    []Param
	integer   []bool
	layers    layerBase // the file's layers, for the transmission scale
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
}

// layerBase holds the file's transmission fields.
type layerBase struct {
	community, city, sar float64
	groups               []float64
}

// Calibrate fits the settings' parameters of scenario sc to the data, by
// maximum likelihood: each evaluation plays the strategy fitted with the
// parameters set, Replications times on fixed keys (replication r draws from
// sim.NewStream(seed).Key(r), as [scenarios.Play] does), and scores the data
// against the replications' curves with the observation model (see
// [Objective]). The search is Nelder–Mead (gonum/optimize) in a space where
// each parameter is logit((x − lo)/(hi − lo)), so that every point searched is
// inside the ranges; a search that reaches MaxEvaluations stops there (its
// Status says so). The intervals come from a parametric bootstrap: data sets
// simulated from the fitted model (replications Replications,
// Replications+1, … of its seed, with observation noise drawn around them),
// each refitted by the same searches as the data on simulation keys of its own
// (from a seed drawn for it), so that their spread holds the error of a fit on
// few replications as well as the data's; see [Fit.Bootstrap] for how the
// interval is drawn from them. sc is not changed.
func Calibrate(ctx context.Context, sc *scenarios.Scenario, data Daily, params []Param, set Settings) (*Fit, error) {
	p, set, err := newProblem(ctx, sc, data, params, set)
	if err != nil {
		return nil, err
	}
	fit := &Fit{Strategy: sc.Strategies[p.strategy].Name, StrategyIndex: p.strategy, Alignment: p.align,
		Replications: p.reps, Seed: p.seed, Level: set.Level, Settings: set}
	fit.Settings.Progress = nil
	fit.Settings.Replications, fit.Settings.Seed, fit.Settings.SeedSet = p.reps, p.seed, true
	fit.Settings.From, fit.Settings.To = sc0(sc).AddDate(0, 0, p.align.Offset), sc0(sc).AddDate(0, 0, p.align.Offset+p.align.Days-1)
	fit.Data = Daily{Start: sc0(sc).AddDate(0, 0, p.align.Offset), Values: p.y}
	for _, v := range p.y {
		if !math.IsNaN(v) {
			fit.ObservedDays++
		}
	}
	t0 := time.Now()
	starts := p.starts(set.Starts)
	maxEval := set.MaxEvaluations
	best := -1
	for s, x0 := range starts {
		var progress func(int)
		if set.Progress != nil {
			progress = func(n int) { set.Progress("fit", s*maxEval+n, len(starts)*maxEval) }
		}
		sr, err := p.search(x0, 1, maxEval, set.Tolerance, progress)
		if err != nil {
			return nil, err
		}
		fit.Searches = append(fit.Searches, sr)
		if best < 0 || sr.LogLik > fit.Searches[best].LogLik {
			best = s
		}
	}
	fit.Evaluations = p.evals
	fit.Duration = time.Since(t0)
	xhat := fit.Searches[best].Value
	fit.LogLik = fit.Searches[best].LogLik
	if math.IsNaN(fit.LogLik) || math.IsInf(fit.LogLik, 0) {
		// No point of the search explains the data at all: there is no fit
		// to report (the JSON would say null and the value be arbitrary).
		return nil, fmt.Errorf("no fit: the log-likelihood of the data is %v at every point tried (%d evaluations); are the counts, the column or the dates right?", fit.LogLik, p.evals)
	}
	scFit, obs, err := p.apply(xhat)
	if err != nil {
		return nil, err
	}
	fit.Observation = obs
	_, fit.Dispersion = p.score(xhat)
	if obs.Likelihood == NegBin && obs.Dispersion == 0 {
		fit.Observation.Dispersion = fit.Dispersion
	}
	for i, prm := range params {
		e := Estimate{Param: prm, Integer: p.integer[i], Value: p.round(i, xhat[i]), IntervalLo: math.NaN(), IntervalHi: math.NaN()}
		e.Initial = initialValue(sc, prm.Path, set.Observation)
		fit.Estimates = append(fit.Estimates, e)
	}

	// The intervals.
	if set.Bootstrap > 0 {
		t1 := time.Now()
		evals := p.evals
		for b := 0; b < set.Bootstrap; b++ {
			if set.Progress != nil {
				set.Progress("bootstrap", b, set.Bootstrap)
			}
			y, err := p.synthetic(scFit, fit.Observation, p.reps+b)
			if err != nil {
				return nil, err
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
				sr, err := q.search(x0, 1, maxEval, set.Tolerance, nil)
				if err != nil {
					return nil, err
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
	}

	// The fitted curve over the whole horizon, and what it says.
	full := scFit.Clone()
	full.Horizon = sc.Horizon
	fit.Scenario = scFit.Clone()
	fit.Scenario.Horizon = sc.Horizon
	fit.Scenario.StopAfterCommunityZero = sc.StopAfterCommunityZero
	if set.Progress != nil {
		set.Progress("band", 0, 1)
	}
	runs, err := p.simulate(full, p.reps, 0)
	if err != nil {
		return nil, err
	}
	fit.runs = runs
	for _, r := range runs {
		if r.StopReason == model.StopMaxInfections {
			fit.Capped++
		}
	}
	if fit.Band, err = band(runs, fit.Observation, int(math.Ceil(float64(sc.Horizon))), fit.Dispersion, set.Level, p.seed); err != nil {
		return nil, err
	}
	fit.Analysis = analyse(fit)
	if set.Progress != nil {
		set.Progress("band", 1, 1)
	}
	return fit, nil
}

// sc0 returns the scenario's start date (checked by newProblem).
func sc0(sc *scenarios.Scenario) time.Time {
	t, _ := sc.StartTime()
	return t
}

// initialValue returns the value of a parameter before the fit.
func initialValue(sc *scenarios.Scenario, path string, obs Observation) float64 {
	switch path {
	case ParamTransmission:
		return 1
	case ParamRho:
		return obs.rho()
	case ParamBackground:
		return obs.Background
	case ParamDispersion:
		if obs.Dispersion > 0 {
			return obs.Dispersion
		}
		return math.NaN()
	}
	x, _, err := sc.Number(fieldPaths(path)[0])
	if err != nil {
		return math.NaN()
	}
	return x
}

// newProblem checks the calibration's inputs and sets its likelihood up.
func newProblem(ctx context.Context, sc *scenarios.Scenario, data Daily, params []Param, set Settings) (*problem, Settings, error) {
	start, ok := sc.StartTime()
	if !ok {
		return nil, set, errors.New("the scenario has no start_date: the data's dates cannot be placed on its days")
	}
	if len(params) == 0 {
		return nil, set, errors.New("nothing to fit: give at least one --fit path=lo:hi")
	}
	if set.Level == 0 {
		set.Level = 0.9
	}
	if !(set.Level > 0 && set.Level < 1) {
		return nil, set, fmt.Errorf("the interval level must be in (0, 1), got %v", set.Level)
	}
	if set.Starts == 0 {
		set.Starts = 1
	}
	if set.Starts < 1 || set.Starts > 100 {
		return nil, set, fmt.Errorf("starts must be from 1 to 100, got %d", set.Starts)
	}
	if set.MaxEvaluations == 0 {
		set.MaxEvaluations = 40 + 40*len(params)
	}
	if set.MaxEvaluations < len(params)+2 {
		return nil, set, fmt.Errorf("max evaluations must be at least %d (the first simplex), got %d", len(params)+2, set.MaxEvaluations)
	}
	if set.Tolerance == 0 {
		set.Tolerance = 0.01
	}
	if !(set.Tolerance > 0) {
		return nil, set, fmt.Errorf("the tolerance must be > 0, got %v", set.Tolerance)
	}
	if set.Bootstrap == 0 {
		set.Bootstrap = 40
	}
	if set.Bootstrap == 1 {
		return nil, set, fmt.Errorf("the intervals need at least 2 bootstrap data sets, got 1")
	}
	if set.Bootstrap > 10_000 {
		return nil, set, fmt.Errorf("at most 10,000 bootstrap data sets, got %d", set.Bootstrap)
	}
	switch set.Objective {
	case "":
		set.Objective = ObjectiveMixture
	case ObjectiveMixture, ObjectiveMeanCurve:
	default:
		return nil, set, fmt.Errorf("the objective must be %q or %q, got %q", ObjectiveMixture, ObjectiveMeanCurve, set.Objective)
	}
	if err := set.Observation.Validate(); err != nil {
		return nil, set, err
	}
	reps := sc.Replications
	if set.Replications != 0 {
		reps = set.Replications
	}
	if reps < 1 || reps > scenarios.MaxReplications {
		return nil, set, fmt.Errorf("replications must be from 1 to %d, got %d", scenarios.MaxReplications, reps)
	}
	seed := sc.Seed
	if set.SeedSet {
		seed = set.Seed
	}
	strategy := 0
	if set.Strategy != "" {
		strategy = -1
		for i, sp := range sc.Strategies {
			if sp.Name == set.Strategy {
				strategy = i
			}
		}
		if strategy < 0 {
			var names []string
			for _, sp := range sc.Strategies {
				names = append(names, sp.Name)
			}
			return nil, set, fmt.Errorf("strategy %q is not one of the scenario's (%s)", set.Strategy, strings.Join(names, ", "))
		}
	}

	// The data window.
	horizon := int(math.Ceil(float64(sc.Horizon)))
	from, to := set.From, set.To
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
	if to.Before(from) {
		return nil, set, fmt.Errorf("no data day to fit: from %s to %s (the data run from %s to %s, the scenario from %s for %d days)",
			from.Format(dateFmt), to.Format(dateFmt), data.Start.Format(dateFmt), data.Date(data.Len()-1).Format(dateFmt), start.Format(dateFmt), horizon)
	}
	if data.Index(from) < 0 || data.Index(to) >= data.Len() {
		return nil, set, fmt.Errorf("the days to fit (%s to %s) are not all in the data (%s to %s)",
			from.Format(dateFmt), to.Format(dateFmt), data.Start.Format(dateFmt), data.Date(data.Len()-1).Format(dateFmt))
	}
	window := data.Slice(from, to)
	align, err := Align(window, start, horizon)
	if err != nil {
		return nil, set, err
	}
	observed := 0
	for _, v := range window.Values {
		if !math.IsNaN(v) {
			observed++
		}
	}
	if observed == 0 {
		return nil, set, fmt.Errorf("no count in the days to fit (%s to %s): every one is missing", from.Format(dateFmt), to.Format(dateFmt))
	}

	base := sc.Clone()
	base.Horizon = sim.Duration(align.Offset + align.Days)
	base.StopAfterCommunityZero = 0
	l := &base.Population.Layers
	p := &problem{ctx: ctx, base: base, strategy: strategy, params: params, obs: set.Observation, objective: set.Objective,
		y: append([]float64(nil), window.Values...), align: align, reps: reps, seed: seed, workers: set.Workers,
		layers: layerBase{community: l.Community, city: l.City, sar: l.HouseholdSAR}, cache: map[string][2]float64{}}
	for _, g := range l.Groups {
		p.layers.groups = append(p.layers.groups, g.R)
	}

	// The parameters.
	seen := map[string]bool{}
	var errs []error
	for _, prm := range params {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("--fit %s=%v:%v: %s", prm.Path, prm.Lo, prm.Hi, fmt.Sprintf(format, args...)))
		}
		if seen[prm.Path] {
			bad("fitted twice")
		}
		seen[prm.Path] = true
		if math.IsNaN(prm.Lo) || math.IsNaN(prm.Hi) || math.IsInf(prm.Lo, 0) || math.IsInf(prm.Hi, 0) || !(prm.Lo < prm.Hi) {
			bad("the range must be finite with lo < hi")
			p.integer = append(p.integer, false)
			continue
		}
		integer := false
		switch prm.Path {
		case ParamTransmission:
			if prm.Lo < 0 {
				bad("a transmission scale must be ≥ 0")
			}
		case ParamRho:
			if prm.Lo <= 0 || prm.Hi > 1 {
				bad("rho must stay in (0, 1]")
			}
		case ParamBackground:
			if prm.Lo < 0 {
				bad("the background must be ≥ 0")
			}
		case ParamDispersion:
			if set.Observation.Likelihood != NegBin {
				bad("a dispersion is fitted with the negative binomial likelihood only")
			}
			if prm.Lo < MinDispersion || prm.Hi > MaxDispersion {
				bad("the dispersion must stay in [%v, %v]", MinDispersion, MaxDispersion)
			}
		default:
			paths := fieldPaths(prm.Path)
			kinds := map[bool]bool{}
			for _, path := range paths {
				_, isInt, err := base.Number(path)
				if err != nil {
					bad("%v", err)
					continue
				}
				kinds[isInt] = true
				integer = isInt
			}
			if len(kinds) > 1 {
				bad("the fields tied together must all be integers or all real numbers")
			}
			if len(kinds) != 1 {
				break
			}
			if integer && math.Round(prm.Lo) == math.Round(prm.Hi) {
				bad("an integer field needs a range holding two whole numbers at least")
			}
			for _, x := range []float64{prm.Lo, prm.Hi} {
				if err := base.Clone().SetNumbers(paths, repeat(x, len(paths))); err != nil {
					bad("the scenario is not valid at %v: %v", x, err)
				}
			}
		}
		p.integer = append(p.integer, integer)
	}
	if seen[ParamTransmission] {
		for _, prm := range params {
			for _, path := range fieldPaths(prm.Path) {
				if strings.HasPrefix(path, "population.layers.") && path != "population.layers.city_within_district" {
					errs = append(errs, fmt.Errorf("--fit %s: the transmission scale already sets the layers' strengths", prm.Path))
				}
			}
		}
	}
	if seen[ParamDispersion] && set.Observation.Dispersion > 0 {
		errs = append(errs, fmt.Errorf("--fit %s: the dispersion is both given and fitted", ParamDispersion))
	}
	if len(errs) > 0 {
		return nil, set, errors.Join(errs...)
	}
	// The data must be something the model records.
	if _, err := p.simulate(base, 1, 0); err != nil {
		return nil, set, err
	}
	return p, set, nil
}

// fieldPaths returns the fields a parameter sets: its path, or its paths
// separated by commas.
func fieldPaths(path string) []string {
	var out []string
	for _, p := range strings.Split(path, ",") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

// repeat returns n copies of x.
func repeat(x float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = x
	}
	return out
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

// logit maps a value of parameter i to the search's scale (kept 1e-6 inside
// the range) and expit maps it back.
func (p *problem) logit(i int, x float64) float64 {
	prm := p.params[i]
	u := (x - prm.Lo) / (prm.Hi - prm.Lo)
	u = math.Min(math.Max(u, 1e-6), 1-1e-6)
	return math.Log(u / (1 - u))
}

// expit is the inverse of logit.
func (p *problem) expit(i int, z float64) float64 {
	prm := p.params[i]
	return prm.Lo + (prm.Hi-prm.Lo)/(1+math.Exp(-z))
}

// with returns the problem for other data.
func (p *problem) with(y []float64) *problem {
	q := *p
	q.y = y
	q.evals = 0
	q.cache = map[string][2]float64{}
	return &q
}

// round rounds the value of an integer parameter.
func (p *problem) round(i int, x float64) float64 {
	if p.integer[i] {
		return math.Round(x)
	}
	return x
}

// toX maps a point of the search space to the parameters.
func (p *problem) toX(z []float64) []float64 {
	x := make([]float64, len(z))
	for i := range p.params {
		x[i] = p.expit(i, z[i])
	}
	return x
}

// toZ maps parameters inside their ranges to the search space.
func (p *problem) toZ(x []float64) []float64 {
	z := make([]float64, len(x))
	for i := range p.params {
		z[i] = p.logit(i, x[i])
	}
	return z
}

// starts returns the starting points of the searches: the file's values (kept
// 5% inside the ranges; the middle of a range that does not hold them), then
// points drawn in the ranges from the seed.
func (p *problem) starts(n int) [][]float64 {
	x0 := make([]float64, len(p.params))
	for i, prm := range p.params {
		v := initialValue(p.base, prm.Path, p.obs)
		w := prm.Hi - prm.Lo
		if math.IsNaN(v) || v < prm.Lo || v > prm.Hi {
			v = prm.Lo + w/2
		}
		x0[i] = math.Min(math.Max(v, prm.Lo+0.05*w), prm.Hi-0.05*w)
	}
	out := [][]float64{x0}
	root := sim.NewStream(p.seed).Named("calibration starts")
	for s := 1; s < n; s++ {
		x := make([]float64, len(p.params))
		for i, prm := range p.params {
			u := 0.05 + 0.9*root.Key(uint64(s)).Key(uint64(i)).Float64()
			x[i] = prm.Lo + u*(prm.Hi-prm.Lo)
		}
		out = append(out, x)
	}
	return out
}

// search runs Nelder–Mead from x0, with a first simplex of the given size in
// the search space, and restarts it from the best point found, with a new
// simplex of the same size, as long as a restart gains at least tol and the
// evaluations last: the likelihood of a simulation is rough (its mean curve
// moves in small jumps as the parameters change), and a simplex that has
// shrunk onto a bump of it is then set free.
func (p *problem) search(x0 []float64, size float64, maxEval int, tol float64, progress func(int)) (Search, error) {
	dim := len(x0)
	evals := 0
	f := func(z []float64) float64 {
		evals++
		if progress != nil {
			progress(evals)
		}
		if p.err != nil || p.ctx.Err() != nil {
			return math.MaxFloat64
		}
		ll, _ := p.score(p.toX(z))
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return math.MaxFloat64
		}
		return -ll
	}
	z := p.toZ(x0)
	best := math.Inf(1)
	status := ""
	for restart := 0; evals < maxEval; restart++ {
		settings := &optimize.Settings{
			FuncEvaluations: maxEval - evals,
			Converger:       &optimize.FunctionConverge{Absolute: tol, Iterations: 4 + 2*dim},
		}
		res, err := optimize.Minimize(optimize.Problem{Func: f}, z, settings, &optimize.NelderMead{SimplexSize: size})
		if p.err != nil {
			return Search{}, p.err
		}
		if err := p.ctx.Err(); err != nil {
			return Search{}, err
		}
		if err != nil {
			return Search{}, fmt.Errorf("the search failed: %w", err)
		}
		status = res.Status.String()
		gain := best - res.F
		if res.F < best {
			best, z = res.F, res.X
		}
		if !(gain >= tol) || res.Status != optimize.FunctionConvergence || dim == 1 {
			break // a simplex of one dimension does not get stuck on a bump
		}
	}
	x := p.toX(z)
	for i := range x {
		x[i] = p.round(i, x[i])
	}
	ll, _ := p.score(x)
	start := make([]float64, dim)
	for i := range start {
		start[i] = p.round(i, x0[i])
	}
	return Search{Start: start, Value: x, LogLik: ll, Evaluations: evals, Status: status}, nil
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
			paths = append(paths, "population.layers.community", "population.layers.city")
			vals = append(vals, p.layers.community*v, p.layers.city*v)
			for g, r := range p.layers.groups {
				paths = append(paths, fmt.Sprintf("population.layers.groups[%d].r", g))
				vals = append(vals, r*v)
			}
			if p.layers.sar > 0 {
				paths = append(paths, "population.layers.household_sar")
				vals = append(vals, math.Min(1-math.Pow(1-p.layers.sar, v), 0.999))
			}
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
	st := sc.Strategy(p.strategy)
	runs, err := sim.Replicate(p.ctx, n, p.workers, func(ctx context.Context, rep int) (*model.Result, error) {
		r, err := sc.RunStrategy(ctx, st, p.seed, first+rep)
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
	runs, err := p.simulate(sc, p.reps, 0)
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
