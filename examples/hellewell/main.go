// Command hellewell prints the probability that isolation of cases and
// contacts controls an outbreak in the model of Hellewell et al. 2020
// ("Feasibility of controlling COVID-19 outbreaks by isolation of cases and
// contacts", Lancet Glob Health 8:e488; code: the R package ringbp), by the
// share of contacts traced, for short and long delays from onset to isolation.
//
// The model is written on epiplan's public API in the package
// examples/hellewell/ring: an epidemic configuration and the isolation as a
// custom measure (ring.Isolation), which uses nothing but the model's public
// API.
//
//	go run ./examples/hellewell -runs 1000
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/epiplan/epiplan/examples/hellewell/ring"
	"github.com/epiplan/epiplan/sim"
)

func main() {
	runs := flag.Int("runs", 500, "outbreaks per setting")
	seed := flag.Uint64("seed", 1, "seed")
	workers := flag.Int("workers", 0, "runs at once (0: all cores)")
	flag.Parse()
	if err := table(os.Stdout, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}, *runs, *seed, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "hellewell:", err)
		os.Exit(1)
	}
}

// table prints P(control) by the share of contacts traced for the baseline
// with short and long delays, with the binomial standard error.
func table(w io.Writer, traced []float64, runs int, seed uint64, workers int) error {
	fmt.Fprintf(w, "P(control), R0 2.5, k 0.16, 20 index cases, 15%% before onset, %d runs each (± 1 binomial SE)\n", runs)
	fmt.Fprintln(w, "| traced | short delay | long delay |\n|---:|---:|---:|")
	for _, traced := range traced {
		fmt.Fprintf(w, "| %.0f%% |", 100*traced)
		for _, delay := range []sim.Dist{ring.ShortDelay, ring.LongDelay} {
			p := ring.Baseline(traced)
			p.Delay = delay
			c, err := ring.ControlProbability(p, seed, runs, workers)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, " %.3f ± %.3f |", c, math.Sqrt(c*(1-c)/float64(runs)))
		}
		fmt.Fprintln(w)
	}
	return nil
}
