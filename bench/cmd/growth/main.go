// Command growth measures how fast an outbreak grows without control in the
// city of the Fujian calibration (scenarios/data/fujian-2022.yaml) at given
// transmission scales (the factor `epiplan fit --fit transmission=…` applies to
// the layers): it plays no intervention, 20 infections introduced on day 10,
// and prints the least-squares slope of the log of the mean new infections a
// day over the days they lie between 200 and 20,000 (before the city runs
// short of people; runs end on day 40, after that rise). The figure is compared
// with the published growth of China's December 2022 wave in bench/README.md
// ("Calibration: Fujian"). The layers are scaled as `epiplan fit` scales them
// (infer.TransmissionFields). Run it from the module's root:
//
//	go run ./bench/cmd/growth -scales 0.618,0.656,0.689,0.737,1,1.217
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/epiplan/epiplan/infer"
	"github.com/epiplan/epiplan/scenarios"
)

func main() {
	scales := flag.String("scales", "0.656", "transmission scales, comma-separated")
	reps := flag.Int("replications", 8, "replications per scale")
	file := flag.String("file", "scenarios/data/fujian-2022.yaml", "the scenario whose city is played")
	flag.Parse()
	if *reps < 1 {
		fmt.Fprintln(os.Stderr, "growth: at least 1 replication is needed")
		os.Exit(2)
	}
	if err := run(*file, *scales, *reps); err != nil {
		fmt.Fprintln(os.Stderr, "growth:", err)
		os.Exit(1)
	}
}

func run(file, scales string, reps int) error {
	fmt.Println("| transmission scale | growth a day | doubling (days) | days fitted |\n|---:|---:|---:|---:|")
	for _, f := range strings.Split(scales, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(x > 0) {
			return fmt.Errorf("scale %q: a positive number is needed", f)
		}
		sc, err := scenarios.Load(file)
		if err != nil {
			return err
		}
		keep := -1
		for i, sp := range sc.Strategies {
			if sp.Name == "no_intervention" {
				keep = i
			}
		}
		if keep < 0 {
			return fmt.Errorf("%s has no strategy no_intervention", file)
		}
		sc.Strategies = sc.Strategies[keep : keep+1]
		sc.Baseline = "no_intervention"
		sc.MaxInfections = 0
		sc.Horizon = 40 // the rise is over by then at every scale worth measuring
		for _, set := range [][2]string{{"imports.schedule[0].time", "10"}, {"imports.schedule[0].count", "20"}} {
			if err := sc.Set(set[0], set[1]); err != nil {
				return err
			}
		}
		if err := sc.SetNumbers(infer.TransmissionFields(sc, x)); err != nil {
			return err
		}
		res, err := scenarios.Play(context.Background(), sc, scenarios.RunOptions{Replications: reps})
		if err != nil {
			return err
		}
		var mean []float64
		runs := res.Strategies[0].Runs
		for _, r := range runs {
			for d, v := range r.Series.Get("new_infections") {
				for len(mean) <= d {
					mean = append(mean, 0)
				}
				mean[d] += v / float64(len(runs))
			}
		}
		slope, n := growth(mean, 200, 20000)
		fmt.Printf("| %g | %.3f | %.2f | %d |\n", x, slope, math.Ln2/slope, n)
	}
	return nil
}

// growth returns the least-squares slope of log v over the days of the rise
// where v lies in [lo, hi], and the number of those days.
func growth(v []float64, lo, hi float64) (float64, int) {
	var sx, sy, sxx, sxy, n float64
	for d, y := range v {
		if y > hi {
			break // the rise is over: the city runs short of people
		}
		if y < lo {
			continue
		}
		x, ly := float64(d), math.Log(y)
		sx, sy, sxx, sxy, n = sx+x, sy+ly, sxx+x*x, sxy+x*ly, n+1
	}
	if n < 2 {
		return math.NaN(), int(n)
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx), int(n)
}
