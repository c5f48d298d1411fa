package infer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// Forecast is every strategy of a fitted scenario played on from a date.
type Forecast struct {
	// Date is the day the strategies change, Day its model day, and Days the
	// number of days simulated after it.
	Date time.Time
	Day  int // the model day of Date
	Days int // days simulated after Date
	// Results are the runs, one strategy each: first the strategy fitted, kept,
	// then each other strategy of the scenario taking over from Date. The
	// replications are the fit's (the same keys), so that every strategy's
	// replication r is the fitted model's replication r up to Date.
	Results *scenarios.Results
	// Summary sums up the metrics of each strategy, as the comparison runner
	// does, with paired differences from the strategy fitted. The metrics count
	// the whole run, from day 0: up to Date the runs are the same.
	Summary *scenarios.Summary
	// Meaning says what each strategy of Results is.
	Meaning []string
	// Candidates is the number of the fitted model's replications simulated
	// up to Date to choose the forecast's outbreaks from (0: the forecast is
	// not conditioned on the data, which have no day before Date). Keys are
	// the replication keys played, in increasing order: those of the
	// candidates with the highest likelihood of the data before Date. LogLik
	// is the log-likelihood of those data under each candidate, by key.
	Candidates int
	Keys       []int     // the replication keys played, increasing
	LogLik     []float64 // by candidate key: its log-likelihood of the data before Date
}

// forecastCandidates is the number of candidates simulated for each
// replication of a conditioned forecast.
const forecastCandidates = 4

// Forecast plays every strategy of the fitted scenario from date on, for days
// days after it (default 30), from outbreaks of the fitted model that match the
// data up to the date.
//
// The state at the date is re-simulated: 4 candidates per replication of the
// fit (keys 0, 1, … of the fit's seed) play the fitted model (the strategy
// fitted, with the estimates) from day 0 to the date, and the quarter of them
// with the highest likelihood of the data days before the date (the fit's
// observation model) are kept, as many as the fit's replications: a rejection
// step of approximate Bayesian computation, with the likelihood as the
// distance. (Drawing candidates in proportion to their likelihoods would be
// exact, but over a few weeks of data one candidate takes nearly all the
// weight, and a key drawn several times plays the same outbreak after the date
// too: the forecast would lose its spread.) Each strategy then plays the kept
// keys from day 0, the strategy changing at the start of the date's day (a
// [control.Switch]), so that every strategy starts from the same outbreaks, ones
// that agree with the data. With no data day before the date the forecast
// plays the fit's own keys, unconditioned.
func (f *Fit) Forecast(ctx context.Context, date time.Time, days, workers int, progress func(done, total int)) (*Forecast, error) {
	day, err := forecastDay(f.Scenario, date, days)
	if err != nil {
		return nil, err
	}
	if days == 0 {
		days = 30
	}
	sc := f.Scenario.Clone()
	sc.Horizon = sim.Duration(day + days)
	fitted, strategies, meaning := forecastStrategies(sc, f.StrategyIndex, day, date)
	fc := &Forecast{Date: date, Day: day, Days: days, Meaning: meaning}
	// Progress counts the candidates' runs, then the strategies'.
	var tick func()
	play := progress
	if n := f.candidates(day); progress != nil {
		total := n + len(strategies)*f.Replications
		var mu sync.Mutex
		done := 0
		tick = func() {
			mu.Lock()
			defer mu.Unlock()
			done++
			progress(done, total)
		}
		play = func(d, _ int) { progress(n+d, total) }
	}
	if err := f.condition(ctx, fc, workers, tick); err != nil {
		return nil, err
	}
	res, err := scenarios.PlayStrategies(ctx, sc, strategies, scenarios.RunOptions{
		Keys: fc.Keys, Seed: f.Seed, SeedSet: true, Workers: workers, Progress: play})
	if err != nil {
		return nil, err
	}
	res.Baseline = fitted.Name
	res.Description = fmt.Sprintf("Forecast from %s: the fitted model (%s) until then, then each strategy; %s.", date.Format(dateFmt), fitted.Name, sc.Description)
	fc.Results, fc.Summary = res, res.Summarize()
	return fc, nil
}

// Conditioning says in words how the forecast's outbreaks were chosen.
func (fc *Forecast) Conditioning() string {
	if fc.Candidates == 0 {
		return "the fitted model's replications, not conditioned on the data, which have no day before the date"
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, k := range fc.Keys {
		lo, hi = math.Min(lo, fc.LogLik[k]), math.Max(hi, fc.LogLik[k])
	}
	return fmt.Sprintf("outbreaks that match the data before the date: the %d of %d replications of the fitted model with the highest likelihood of those data (log-likelihood %.1f to %.1f)",
		len(fc.Keys), fc.Candidates, lo, hi)
}

// dataBefore returns the number of data days before model day day, or 0 if
// none of them has a count.
func (f *Fit) dataBefore(day int) int {
	n := min(day-f.Alignment.Offset, f.Alignment.Days, len(f.Data.Values))
	for i := 0; i < n; i++ {
		if !math.IsNaN(f.Data.Values[i]) {
			return n
		}
	}
	return 0
}

// candidates returns the number of candidates a forecast from model day day
// simulates: 0 if the data have no count before it.
func (f *Fit) candidates(day int) int {
	if f.dataBefore(day) == 0 {
		return 0
	}
	return min(forecastCandidates*f.Replications, scenarios.MaxReplications)
}

// condition chooses the keys of the forecast fc: the fit's own keys if the
// data have no day before fc.Day, else the candidates of highest likelihood of
// the data up to then. tick, if not nil, is called after each candidate.
func (f *Fit) condition(ctx context.Context, fc *Forecast, workers int, tick func()) error {
	fc.Candidates = f.candidates(fc.Day)
	if fc.Candidates == 0 {
		fc.Keys = make([]int, f.Replications)
		for r := range fc.Keys {
			fc.Keys[r] = r
		}
		return nil
	}
	n := f.dataBefore(fc.Day)
	sc := f.Scenario.Clone()
	sc.Horizon = sim.Duration(fc.Day)
	st := sc.Strategy(f.StrategyIndex)
	obs := f.Observation
	y := f.Data.Values[:n]
	ll, err := sim.Replicate(ctx, fc.Candidates, workers, func(ctx context.Context, key int) (float64, error) {
		r, err := sc.RunStrategy(ctx, st, f.Seed, key)
		if err != nil {
			return 0, err
		}
		c, err := obs.Observed(r.Series.Get)
		if err != nil {
			return 0, err
		}
		v, _ := obs.LogLik(y, obs.Expected(c, f.Alignment.Offset, n))
		if tick != nil {
			tick()
		}
		return v, nil
	})
	if err != nil {
		return fmt.Errorf("forecast: choosing outbreaks that match the data: %w", err)
	}
	order := make([]int, len(ll))
	for k := range order {
		order[k] = k
	}
	// Highest likelihood first; NaN last; ties by key.
	sort.SliceStable(order, func(a, b int) bool {
		x, y := ll[order[a]], ll[order[b]]
		return x > y || !math.IsNaN(x) && math.IsNaN(y)
	})
	fc.Keys = append([]int(nil), order[:f.Replications]...)
	sort.Ints(fc.Keys)
	fc.LogLik = ll
	return nil
}

// switchAt returns s, with its own switches up to time at, then to from at on.
func switchAt(s control.Strategy, at sim.Time, to control.Strategy) control.Strategy {
	if s.Switch == nil || s.Switch.At >= at {
		s.Switch = &control.Switch{At: at, To: to}
		return s
	}
	next := switchAt(s.Switch.To, at, to)
	s.Switch = &control.Switch{At: s.Switch.At, To: next}
	return s
}

// forecastDay returns the model day of a forecast from date for days (0: 30),
// or why there can be none.
func forecastDay(sc *scenarios.Scenario, date time.Time, days int) (int, error) {
	start, _ := sc.StartTime()
	if days == 0 {
		days = 30
	}
	if days < 1 || days > int(scenarios.MaxHorizon) {
		return 0, fmt.Errorf("forecast days must be from 1 to %d, got %d", int(scenarios.MaxHorizon), days)
	}
	day := int(math.Round(date.Sub(start).Hours() / 24))
	if day < 1 {
		return 0, fmt.Errorf("the forecast date %s must be after the scenario's day 0 (%s)", date.Format(dateFmt), start.Format(dateFmt))
	}
	if day+days > int(scenarios.MaxHorizon) {
		return 0, fmt.Errorf("the forecast date %s is too far from the scenario's day 0", date.Format(dateFmt))
	}
	return day, nil
}

// forecastStrategies returns the strategies a forecast from model day day
// plays: the fitted one (index fitted), then each other switching to it at
// the start of that day, with what each means in words.
func forecastStrategies(sc *scenarios.Scenario, fittedIndex, day int, date time.Time) (control.Strategy, []control.Strategy, []string) {
	fitted := sc.Strategy(fittedIndex)
	strategies := []control.Strategy{fitted}
	meaning := []string{fmt.Sprintf("%s, the strategy fitted, kept", fitted.Name)}
	for i := range sc.Strategies {
		if i == fittedIndex {
			continue
		}
		st := sc.Strategy(i)
		sw := switchAt(fitted, sim.Time(day), st)
		sw.Name = st.Name
		strategies = append(strategies, sw)
		meaning = append(meaning, fmt.Sprintf("%s from %s (%s until then)", st.Name, date.Format(dateFmt), fitted.Name))
	}
	return fitted, strategies, meaning
}

// CheckForecast checks, before a fit, everything about a forecast from date
// for days that does not depend on the fitted values: the date, and that every
// other strategy of sc can take over from the strategy fitted (named
// strategy; "" for the first) at that date (a switch cannot change the
// testing pipeline, for one). fit --forecast calls it before the first run,
// so that a forecast that cannot be made does not fail after the whole fit.
func CheckForecast(sc *scenarios.Scenario, strategy string, date time.Time, days int) error {
	idx := 0
	if strategy != "" {
		idx = -1
		for i, sp := range sc.Strategies {
			if sp.Name == strategy {
				idx = i
			}
		}
		if idx < 0 {
			return nil // the fit says so
		}
	}
	day, err := forecastDay(sc, date, days)
	if err != nil {
		return err
	}
	if days == 0 {
		days = 30
	}
	c := sc.Clone()
	c.Horizon = sim.Duration(day + days)
	_, strategies, _ := forecastStrategies(c, idx, day, date)
	var errs []error
	for _, st := range strategies[1:] {
		m, err := model.New(c.Config(), sim.NewStream(0), c.Options())
		if err != nil {
			return err
		}
		if err := m.Add(st.Measures()...); err != nil {
			errs = append(errs, fmt.Errorf("strategy %s cannot take over from %s on %s: %w", st.Name, strategies[0].Name, date.Format(dateFmt), err))
		}
	}
	return errors.Join(errs...)
}
