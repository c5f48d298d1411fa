// Package scenarios reads scenario files and plays their strategies against each
// other: every strategy on the same seeds (common random numbers), each metric
// summed up per strategy and as the paired difference from a baseline strategy,
// written out as summary.json, summary.csv and timeseries.csv.
//
// A scenario file is YAML, read strictly: an unknown key, a wrong type or an
// impossible value is an error that names the file, the line and column, the
// field path (strategies[2].response.tracing.delay) and what is wrong; every
// problem of a file is reported at once, and nothing runs on a bad file. The
// fields are those of the model's configuration structs, in snake_case.
package scenarios
