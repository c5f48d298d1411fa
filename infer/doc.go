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
package infer
