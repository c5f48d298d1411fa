// Command recovery is the parameter-recovery study of the calibration (issue
// #9, acceptance 1): it simulates data sets from a small scenario at known
// values of its fields, calibrates each with epiplan's calibration
// (infer.Calibrate: Nelder–Mead on common random numbers, bootstrap intervals)
// and counts how often the intervals hold the true values. It prints a
// Markdown table, one row per data set, and the coverage of each field.
//
//	go run ./bench/cmd/recovery -sets 20 -bootstrap 20 -replications 6
//
// The scenario is a city of 500,000 people (a virus with a basic reproduction
// number of about 2, testing on symptoms and home isolation) where 50 imported
// infections start an outbreak on a day to be found; the fields are the
// transmission scale and the day of the introduction. (The share of cases
// counted is not fitted with them: in a window of exponential growth, a
// smaller share and an earlier introduction give the same curve.) Data set j is replication j of seed -data-seed (never a key of the
// fits) with Poisson counting noise, over days 3 to 20. The city is large
// enough that the outbreak does not run out of people in that time (in a small
// town it would, and the estimates' spread would then depend strongly on the
// transmission). -truth sets other true values, and the last lines give the
// estimates' mean and standard deviation over the data sets: -bootstrap -1
// (no intervals) is a quick study of the estimator's bias and spread.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/epiplan/epiplan/infer"
	"github.com/epiplan/epiplan/scenarios"
)

// town is the scenario of the study.
const town = `name: recovery-town
start_date: 2022-10-01
seed: 11
replications: 4
horizon: 21d
population:
  areas:
    - {name: a, population: 300000}
    - {name: b, population: 200000}
  layers:
    household_sar: 0.3
    community: 0.6
    city: 0.4
    city_within_district: 0.7
    groups:
      - {name: work, r: 0.5, size: 20, ages: [adult], share: 0.75}
      - {name: school, r: 0.8, size: 40, ages: [child], share: 0.95}
imports:
  initial: 0
  schedule: [{time: 3d, count: 50, area: a}]
strategies:
  - name: mitigation
`

func main() {
	sets := flag.Int("sets", 20, "synthetic data sets")
	boot := flag.Int("bootstrap", 20, "bootstrap data sets per fit")
	reps := flag.Int("replications", 6, "simulations per evaluation")
	dataSeed := flag.Uint64("data-seed", 777, "seed of the synthetic data")
	likelihood := flag.String("likelihood", "poisson", "poisson or negbin")
	objective := flag.String("objective", "mixture", "mixture or mean_curve")
	level := flag.Float64("level", 0.9, "level of the intervals")
	workers := flag.Int("workers", 0, "parallel simulations (0: all cores)")
	starts := flag.Int("starts", 1, "Nelder–Mead searches per fit (the first from the file's values, the others from random points)")
	truthFlag := flag.String("truth", "1.3,6.5", "true transmission scale and day of the introduction")
	flag.Parse()
	var truth [2]float64
	if _, err := fmt.Sscanf(*truthFlag, "%g,%g", &truth[0], &truth[1]); err != nil {
		fmt.Fprintln(os.Stderr, "recovery: -truth: want two numbers, as 1.3,6.5:", err)
		os.Exit(2)
	}
	if err := run(*sets, *boot, *reps, *dataSeed, infer.Likelihood(*likelihood), infer.Objective(*objective), *level, *workers, *starts, truth[:]); err != nil {
		fmt.Fprintln(os.Stderr, "recovery:", err)
		os.Exit(1)
	}
}

func run(sets, boot, reps int, dataSeed uint64, likelihood infer.Likelihood, objective infer.Objective, level float64, workers, starts int, truth []float64) error {
	sc, err := scenarios.Parse("recovery-town.yaml", []byte(town))
	if err != nil {
		return err
	}
	start, _ := sc.StartTime()
	params := []infer.Param{
		{Path: infer.ParamTransmission, Lo: 0.5, Hi: 2.5},
		{Path: "imports.schedule[0].time", Lo: 0, Hi: 12},
	}
	obs := infer.Observation{Likelihood: likelihood}
	if likelihood == infer.NegBin {
		obs.Dispersion = 20 // the synthetic data's; the fits profile it
	}
	set := infer.Settings{From: start.AddDate(0, 0, 3), To: start.AddDate(0, 0, 20), Replications: reps, Bootstrap: boot,
		Level: level, Workers: workers, Observation: obs, Objective: objective, Starts: starts}
	fmt.Printf("Parameter recovery: %d data sets, %d replications per evaluation, %d bootstrap data sets, %s likelihood, objective %s, %.0f%% intervals\n\n",
		sets, reps, boot, likelihood, objective, 100*level)
	var head, rule []string
	for _, p := range params {
		head = append(head, fmt.Sprintf("%s (true %g)", p.Path, truth[truthIndex(params, p.Path)]))
		rule = append(rule, "---")
	}
	fmt.Printf("| set | %s | log-lik | evaluations | seconds |\n|---|%s|---|---|---|\n", strings.Join(head, " | "), strings.Join(rule, "|"))
	t0 := time.Now()
	intervals := boot >= 0 // -bootstrap -1: estimates only, no coverage to count (0: infer's default, 40)
	covered := make([]int, len(params))
	est := make([][]float64, len(params))
	all := 0
	for j := 0; j < sets; j++ {
		data, err := infer.Synthetic(context.Background(), sc, params, truth, set, dataSeed, j)
		if err != nil {
			return err
		}
		fitSet := set
		if likelihood == infer.NegBin {
			fitSet.Observation.Dispersion = 0
		}
		fit, err := infer.Calibrate(context.Background(), sc, data, params, fitSet)
		if err != nil {
			return fmt.Errorf("data set %d: %w", j, err)
		}
		var cells []string
		ok := true
		for i, e := range fit.Estimates {
			est[i] = append(est[i], e.Value)
			if !intervals {
				cells = append(cells, fmt.Sprintf("%.3g", e.Value))
				continue
			}
			in := e.IntervalLo <= truth[i] && truth[i] <= e.IntervalHi
			mark := ""
			if in {
				covered[i]++
			} else {
				ok = false
				mark = " **out**"
			}
			cells = append(cells, fmt.Sprintf("%.3g [%.3g, %.3g]%s", e.Value, e.IntervalLo, e.IntervalHi, mark))
		}
		if ok {
			all++
		}
		fmt.Printf("| %d | %s | %.1f | %d + %d | %.0f |\n", j, strings.Join(cells, " | "), fit.LogLik, fit.Evaluations, fit.BootstrapEvaluations,
			(fit.Duration + fit.BootstrapDuration).Seconds())
	}
	fmt.Println()
	for i, p := range params {
		mean, sd := stat.MeanStdDev(est[i], nil)
		if !intervals {
			fmt.Printf("%s: estimates %.3f ± %.3f (mean ± sd)\n", p.Path, mean, sd)
			continue
		}
		fmt.Printf("%s: true value inside the interval in %d of %d data sets; estimates %.3f ± %.3f (mean ± sd)\n", p.Path, covered[i], sets, mean, sd)
	}
	if intervals {
		fmt.Printf("every field inside its interval: %d of %d\n", all, sets)
	}
	fmt.Printf("total time %v\n", time.Since(t0).Round(time.Second))
	return nil
}

func truthIndex(params []infer.Param, path string) int {
	for i, p := range params {
		if p.Path == path {
			return i
		}
	}
	return -1
}
