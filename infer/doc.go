// Package infer learns from observed data: it reads daily count series,
// estimates the time-varying reproduction number from them, and calibrates a
// scenario's fields so that the model's detections match a series.
//
// A [Daily] series is a run of consecutive days starting at a date; a missing
// day is NaN, not zero, so that likelihoods and estimators can skip it.
//
// # Reading data
//
// [ReadCSV] and [ReadCSVFile] read one column of a CSV file with a date column
// (YYYY-MM-DD, increasing): an empty value, "NA" or a date left out is a missing
// day, and every error names its line and column. The daily counts of Fujian
// province from September to December 2022 ship in
// scenarios/data/fujian_2022-09-01_2022-12-07.csv, with their source and caveats
// in scenarios/data/README.md.
//
// # Calibration
//
// [Calibrate] fits numeric fields of a scenario (any field path, such as
// "imports.schedule[0].time" or "strategies[0].testing.symptomatic.probability",
// and the pseudo-fields "transmission", "observation.rho",
// "observation.background" and "observation.dispersion") to a [Daily] series:
//
//   - The [Observation] model counts the model's cases by day of notification
//     (a series or a sum of series, by route), shifted by a reporting delay,
//     scaled by a reporting share and raised by a background, with a Poisson or
//     negative binomial likelihood; missing days are skipped. Day 0 of the
//     scenario is its start_date ([Align]).
//   - Each evaluation plays the strategy fitted on fixed keys (common random
//     numbers: replication r draws from sim.NewStream(seed).Key(r) at every
//     point), so that the likelihood is a pure function of the parameters and
//     the seed, and scores the data as one realization of the model (the mean
//     over replications of their likelihoods), or against the mean curve.
//   - The search is Nelder–Mead (gonum/optimize) on logit-transformed ranges,
//     restarted while it gains; integer fields are rounded.
//   - Intervals come from a parametric bootstrap: data sets simulated from
//     the fitted model on keys the fit does not use, with counting noise, each
//     refitted by the same searches on simulation keys of its own. The
//     interval is centred on the estimate on the logit scale, with the
//     refits' spread and Student's t ([Fit.Bootstrap]; [RecoveryStudy] checks
//     the coverage). The intervals are conditional on the model being right
//     and on the ranges searched: they hold the error that the data's noise
//     and the few replications make, not that of the model's structure or of
//     the values it does not fit.
//
// A [Fit] holds the estimates, the fitted curve and its band, and an
// [Analysis] (growth before control, the peak, case reproduction numbers);
// [Fit.Forecast] plays every strategy of the scenario on from a date, from the
// fitted model's outbreaks that best match the data before it, and
// [Fit.Write] writes fit.json, the plots and fit.html.
package infer
