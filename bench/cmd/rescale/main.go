// Command rescale compares the rescaled model (the default scenario's dynamic
// rescaling, model.Rescale) with the exact individual model on whole epidemics
// in the fuzhou-2022 city scaled to -n people: the same replications of no
// intervention and mitigation played both ways, a Markdown table of the means
// (± standard error) of final size, peak day, peak daily infections, severe
// cases, deaths and hospital peak, and the time each way took.
//
//	go run ./bench/cmd/rescale -n 8400000 -replications 3
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/epiplan/epiplan/bench"
	"github.com/epiplan/epiplan/model"
)

func main() {
	n := flag.Int("n", 8_400_000, "people in the city")
	reps := flag.Int("replications", 3, "replications of each strategy, each way")
	seed := flag.Uint64("seed", 2022, "seed")
	exact := flag.Bool("exact", true, "play the exact model too (minutes a run at millions of people)")
	flag.Parse()
	if err := run(*n, *reps, *seed, *exact); err != nil {
		fmt.Fprintln(os.Stderr, "rescale:", err)
		os.Exit(1)
	}
}

func run(n, reps int, seed uint64, withExact bool) error {
	sc, cfg, opts := bench.ValidationCity(n)
	exactOpts := opts
	exactOpts.Rescale = model.Rescale{}
	for _, name := range []string{"no_intervention", "mitigation"} {
		st, err := bench.ScenarioStrategy(sc, name)
		if err != nil {
			return err
		}
		t0 := time.Now()
		var exact []bench.EpidemicFigures
		if withExact {
			if exact, err = bench.PlayFigures(cfg, exactOpts, st, seed, reps); err != nil {
				return err
			}
		}
		t1 := time.Now()
		got, err := bench.PlayFigures(cfg, opts, st, seed, reps)
		if err != nil {
			return err
		}
		t2 := time.Now()
		fmt.Printf("\n%s, %d people, %d replications (exact %.1f s, rescaled %.1f s wall)\n\n", name, n, reps, t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds())
		fmt.Println("| figure | exact | rescaled | difference | tolerance at 1 M |")
		fmt.Println("|---|---|---|---|---|")
		if !withExact {
			exact = got // the rescaled figures alone, as both columns
		}
		lines, _ := bench.CompareFigures(got, exact)
		for _, l := range lines {
			fmt.Println(l)
		}
	}
	return nil
}
