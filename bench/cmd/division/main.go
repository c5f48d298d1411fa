// Command division plays the ninth edition and the twenty measures on the
// library city fuzhou-2022 and on the same city cut into sub-districts of
// 50,000 people (bench/testdata/fuzhou-2022-subdistricts.yaml), on the same
// seeds, and prints a Markdown table of the medians of the figures a verdict
// turns on, each with a distribution-free 95% interval and the two-sided
// Mann–Whitney p-value of the two files' replications, and how the runs ended:
// the check that the verdict does not depend on how finely the city file is
// divided (issue #15;
// bench/README.md, "Zones and the division of the city"). Run it from the
// module's root:
//
//	go run ./bench/cmd/division -replications 20
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/epiplan/epiplan/internal/report"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"gonum.org/v1/gonum/stat/distuv"
)

// metrics are the figures compared.
var metrics = []string{"infections", "detections", "deaths", "quarantine_home_person_days", "lockdown_high_person_days", "lockdown_medium_person_days"}

func main() {
	reps := flag.Int("replications", 20, "replications per strategy")
	workers := flag.Int("workers", 0, "parallel workers (0: all cores)")
	finer := flag.String("finer", "bench/testdata/fuzhou-2022-subdistricts.yaml", "the city cut finer")
	flag.Parse()
	if *reps < 6 {
		fmt.Fprintln(os.Stderr, "division: at least 6 replications are needed for a 95% interval of a median")
		os.Exit(2)
	}
	if err := run(*reps, *workers, *finer); err != nil {
		fmt.Fprintln(os.Stderr, "division:", err)
		os.Exit(1)
	}
}

func run(reps, workers int, finer string) error {
	lib, err := scenarios.LibraryScenario("fuzhou-2022")
	if err != nil {
		return err
	}
	cut, err := scenarios.Load(finer)
	if err != nil {
		return err
	}
	// Both files play the same two strategies.
	lib.Strategies = lib.Strategies[:0:0]
	for _, sp := range cut.Strategies {
		lib.Strategies = append(lib.Strategies, sp)
	}
	lib.Baseline = cut.Baseline
	var res [2]*scenarios.Results
	for i, sc := range []*scenarios.Scenario{lib, cut} {
		if res[i], err = scenarios.Play(context.Background(), sc, scenarios.RunOptions{Replications: reps, Workers: workers}); err != nil {
			return err
		}
	}
	lo, hi := medianInterval(reps)
	var b strings.Builder
	fmt.Fprintf(&b, "| strategy | metric | library: median [95%% interval] | sub-districts: median [95%% interval] | Mann–Whitney p |\n|---|---|---|---|---:|\n")
	for s, st := range res[0].Strategies {
		for _, name := range metrics {
			var v [2][]float64
			for i := range res {
				for _, r := range res[i].Strategies[s].Runs {
					v[i] = append(v[i], metric(r, name))
				}
				sort.Float64s(v[i])
			}
			fmt.Fprintf(&b, "| %s | %s | %s [%s, %s] | %s [%s, %s] | %.2f |\n", st.Name, name,
				report.Thousands(median(v[0])), report.Thousands(v[0][lo]), report.Thousands(v[0][hi]),
				report.Thousands(median(v[1])), report.Thousands(v[1][lo]), report.Thousands(v[1][hi]), mannWhitney(v[0], v[1]))
		}
	}
	fmt.Fprintf(&b, "\nIntervals: the replications of ranks %d and %d of %d in order, a distribution-free interval of at least 95%% for a median.\n\n", lo+1, hi+1, reps)
	b.WriteString("| strategy | how the runs ended | library | sub-districts |\n|---|---|---:|---:|\n")
	for s, st := range res[0].Strategies {
		for _, end := range []struct{ label, metric string }{
			{"contained (ended, under half the city infected)", "controlled"},
			{"ran its course (half the city infected)", "burned_out"},
		} {
			fmt.Fprintf(&b, "| %s | %s | %d | %d |\n", st.Name, end.label, count(res[0].Strategies[s].Runs, end.metric), count(res[1].Strategies[s].Runs, end.metric))
		}
		fmt.Fprintf(&b, "| %s | still going at the horizon | %d | %d |\n", st.Name, going(res[0].Strategies[s].Runs), going(res[1].Strategies[s].Runs))
	}
	fmt.Print(b.String())
	return nil
}

// count returns the number of runs whose metric (a 0/1 flag) is 1.
func count(runs []scenarios.Run, name string) int {
	n := 0
	for _, r := range runs {
		if metric(r, name) == 1 {
			n++
		}
	}
	return n
}

// going returns the number of runs that reached the horizon neither contained
// nor burned out: their figures are censored there.
func going(runs []scenarios.Run) int {
	n := 0
	for _, r := range runs {
		if r.StopReason == model.StopHorizon && metric(r, "controlled") == 0 && metric(r, "burned_out") == 0 {
			n++
		}
	}
	return n
}

// mannWhitney returns the two-sided p-value of the Mann–Whitney U test of two
// sorted samples, by the normal approximation with the correction for ties.
func mannWhitney(a, b []float64) float64 {
	type obs struct {
		v     float64
		first bool
	}
	all := make([]obs, 0, len(a)+len(b))
	for _, v := range a {
		all = append(all, obs{v, true})
	}
	for _, v := range b {
		all = append(all, obs{v, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v < all[j].v })
	n1, n2 := float64(len(a)), float64(len(b))
	n := n1 + n2
	r1, ties := 0.0, 0.0
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		rank := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for k := i; k < j; k++ {
			if all[k].first {
				r1 += rank
			}
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	u := r1 - n1*(n1+1)/2
	sd := math.Sqrt(n1 * n2 / 12 * ((n + 1) - ties/(n*(n-1))))
	if sd == 0 {
		return 1
	}
	z := (math.Abs(u-n1*n2/2) - 0.5) / sd
	return math.Min(1, 2*distuv.UnitNormal.Survival(math.Max(z, 0)))
}

// medianInterval returns the 0-based ranks of the order statistics that hold
// the median of n draws with probability at least 95% (binomial, symmetric).
func medianInterval(n int) (int, int) {
	bin := distuv.Binomial{N: float64(n), P: 0.5}
	k := 0
	for k+1 < n/2 && bin.CDF(float64(k)) <= 0.025 {
		k++
	}
	// P(x(k) ≤ median ≤ x(n−k+1)) = 1 − 2·P(B ≤ k−1) with 1-based ranks.
	return k - 1, n - k
}

func median(v []float64) float64 {
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

func metric(r scenarios.Run, name string) float64 {
	for _, m := range r.Metrics {
		if m.Name == name {
			return m.Value
		}
	}
	return 0
}
