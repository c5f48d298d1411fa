package infer

import (
	"context"
	"fmt"
	"math"
	"time"

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
}

// Forecast plays every strategy of the fitted scenario from date on, for days
// days after it (default 30), on the fit's replications.
//
// The state at the date is not estimated but re-simulated: each replication
// plays the fitted model (the strategy fitted, with the estimates) from day 0
// with the fit's keys until the date, and the strategy changes then (a
// [model.Switch] at the start of that day), so that every strategy starts from
// the same outbreaks, one for each replication. The runs are not conditioned
// on the data: they are the fitted model's, whose spread at the date is the
// fitted band (see Fit.Band), not only the outbreaks that match the data.
func (f *Fit) Forecast(ctx context.Context, date time.Time, days, workers int, progress func(done, total int)) (*Forecast, error) {
	start, _ := f.Scenario.StartTime()
	if days == 0 {
		days = 30
	}
	if days < 1 || days > int(scenarios.MaxHorizon) {
		return nil, fmt.Errorf("forecast days must be from 1 to %d, got %d", int(scenarios.MaxHorizon), days)
	}
	day := int(math.Round(date.Sub(start).Hours() / 24))
	if day < 1 {
		return nil, fmt.Errorf("the forecast date %s must be after the scenario's day 0 (%s)", date.Format(dateFmt), start.Format(dateFmt))
	}
	if day+days > int(scenarios.MaxHorizon) {
		return nil, fmt.Errorf("the forecast date %s is too far from the scenario's day 0", date.Format(dateFmt))
	}
	sc := f.Scenario.Clone()
	sc.Horizon = sim.Duration(day + days)
	fitted := sc.Strategy(f.StrategyIndex)
	strategies := []model.Strategy{fitted}
	meaning := []string{fmt.Sprintf("%s, the strategy fitted, kept", fitted.Name)}
	for i := range sc.Strategies {
		if i == f.StrategyIndex {
			continue
		}
		st := sc.Strategy(i)
		sw := switchAt(fitted, sim.Time(day), st)
		sw.Name = st.Name
		strategies = append(strategies, sw)
		meaning = append(meaning, fmt.Sprintf("%s from %s (%s until then)", st.Name, date.Format(dateFmt), fitted.Name))
	}
	res, err := scenarios.PlayStrategies(ctx, sc, strategies, scenarios.RunOptions{
		Replications: f.Replications, Seed: f.Seed, SeedSet: true, Workers: workers, Progress: progress})
	if err != nil {
		return nil, err
	}
	res.Baseline = fitted.Name
	res.Description = fmt.Sprintf("Forecast from %s: the fitted model (%s) until then, then each strategy; %s.", date.Format(dateFmt), fitted.Name, sc.Description)
	return &Forecast{Date: date, Day: day, Days: days, Results: res, Summary: res.Summarize(), Meaning: meaning}, nil
}

// switchAt returns s, with its own switches up to time at, then to from at on.
func switchAt(s model.Strategy, at sim.Time, to model.Strategy) model.Strategy {
	if s.Switch == nil || s.Switch.At >= at {
		s.Switch = &model.Switch{At: at, To: to}
		return s
	}
	next := switchAt(s.Switch.To, at, to)
	s.Switch = &model.Switch{At: s.Switch.At, To: next}
	return s
}
