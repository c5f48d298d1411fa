// Package bench holds epiplan's performance benchmarks: the event-queue hold model
// for the sim kernel, and whole-model benchmarks as the model grows. It has no code
// of its own besides the benchmarks; see README.md for the figures and how to
// reproduce and compare them.
package bench
