package infer

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
)

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
	// iteration as no progress; a search stops after 5 + 1 per parameter such
	// iterations in a row (default 0.01): as many as the simplex has corners,
	// plus 4.
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
	var best int
	if fit.Searches, best, err = p.searchFrom(starts, set); err != nil {
		return nil, err
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
		if err := p.bootstrap(fit, scFit, starts, xhat, set); err != nil {
			return nil, err
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
