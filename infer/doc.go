// Package infer learns from observed data: it reads daily count series,
// estimates the time-varying reproduction number from them, and calibrates a
// scenario's fields so that the model's detections match a series.
//
// A [Daily] series is a run of consecutive days starting at a date; a missing
// day is NaN, not zero, so that likelihoods and estimators can skip it.
package infer
