// Package scenarios reads scenario files and plays their strategies against each
// other: every strategy on the same seeds (common random numbers), each metric
// summed up per strategy and as the paired difference from a baseline strategy,
// written out as summary.json, summary.csv and timeseries.csv, with plots and a
// report. It is what the epiplan command runs; a program can do the same in a
// few lines:
//
//	sc, err := scenarios.Load("city.yaml") // or scenarios.LibraryScenario("fuzhou-2022")
//	if err != nil {
//		return err // every problem of the file, one a line
//	}
//	res, err := scenarios.Play(ctx, sc, scenarios.RunOptions{})
//	if err != nil {
//		return err
//	}
//	return res.Write("out") // summaries, time series, plots, report.html
//
// # Scenario files
//
// A [Scenario] is a city ([model.Population]), a virus ([model.Disease]), the
// infections that arrive ([model.Imports]), the city's [Resources] and the
// strategies to compare ([StrategySpec]), with how to run them (seed,
// replications, horizon, a cap on infections). Every field but the strategies
// has a default: the Omicron city of [model.DefaultConfig], 20 replications of
// 120 days. docs/scenario-format.md lists every field with its unit, default,
// valid values and the source of the default.
//
// A file is YAML, read strictly ([Load], [Parse]): an unknown key, a wrong type
// or an impossible value is an error that names the file, the line and column,
// the field path (strategies[2].response.tracing.delay) and what is wrong; every
// problem of a file is reported at once, and nothing runs on a bad file. The
// fields are those of the model's configuration structs, in snake_case;
// durations are text ("36h", "2d") and distributions too
// ("gamma(mean=3.8, sd=2.1)").
//
// # Strategies
//
// A strategy is a built-in one by name (see [control.BuiltinStrategies]), a
// built-in one with changes (builtin names the one it starts from; every field
// the file gives replaces the built-in value), or one written in full. The
// city's resources (sampling sites, the lab, investigators, vehicles, beds,
// rooms) are given to every strategy that uses them and sets none of its own.
// [Scenario.Set] changes any field by its path after reading, as the command's
// --set does, and checks the scenario again.
//
// # Playing
//
// [Play] runs every strategy for every replication: replication r of every
// strategy draws from sim.NewStream(seed).Key(r), so the strategies meet the same
// outbreaks wherever their histories agree, and the result does not depend on the
// number of workers. [Results.Summarize] reduces the runs to a [Summary]: per
// strategy and metric the mean, median and 5th and 95th percentiles ([Stats]),
// and the paired difference from the baseline strategy with its 95% interval
// ([Difference]), taken replication by replication, which is far narrower than a
// difference of independent runs. [Results.Write] writes the summaries, the daily
// series of every run (tidy: strategy, replication, day, series, value), the
// plots (SVG and PNG, drawn with gonum/plot) and report.html, one self-contained
// page.
//
// # Sweeps
//
// [Grid] turns "path=v1,v2,…" settings into every combination of their values,
// and [Sweep] plays the scenario at each point, writes each point's summary and
// sweep.csv, and draws heat maps of the medians for a sweep over two numeric
// paths.
//
// # The library
//
// [Library] names the ready scenarios embedded in the package and
// [LibraryScenario] reads one; [DefaultScenario] (fuzhou-2022: a city of 8.4
// million people and the four strategies of late 2022) is the one the epiplan
// command runs when it is given no file.
package scenarios
