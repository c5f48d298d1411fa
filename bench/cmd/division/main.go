// Command division plays the ninth edition and the twenty measures on the
// library city fuzhou-2022 and on the same city cut into sub-districts of
// 50,000 people (bench/testdata/fuzhou-2022-subdistricts.yaml), on the same
// seeds, and prints a Markdown table of the medians of the figures a verdict
// turns on, each with a distribution-free 95% interval: the check that the
// verdict does not depend on how finely the city file is divided (issue #15;
// bench/README.md, "Zones and the division of the city"). Run it from the
// module's root:
//
//	go run ./bench/cmd/division -replications 20
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/epiplan/epiplan/internal/report"
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
	fmt.Fprintf(&b, "| strategy | metric | library: median [95%% interval] | sub-districts: median [95%% interval] | each median inside the other's interval |\n|---|---|---|---|---|\n")
	for s, st := range res[0].Strategies {
		for _, name := range metrics {
			var v [2][]float64
			for i := range res {
				for _, r := range res[i].Strategies[s].Runs {
					v[i] = append(v[i], metric(r, name))
				}
				sort.Float64s(v[i])
			}
			m0, m1 := median(v[0]), median(v[1])
			in := v[0][lo] <= m1 && m1 <= v[0][hi] && v[1][lo] <= m0 && m0 <= v[1][hi]
			fmt.Fprintf(&b, "| %s | %s | %s [%s, %s] | %s [%s, %s] | %s |\n", st.Name, name,
				report.Thousands(m0), report.Thousands(v[0][lo]), report.Thousands(v[0][hi]),
				report.Thousands(m1), report.Thousands(v[1][lo]), report.Thousands(v[1][hi]), yes(in))
		}
	}
	fmt.Fprintf(&b, "\nIntervals: the %dth and %dth of the %d replications in order, a distribution-free interval of at least 95%% for a median.\n", lo+1, hi+1, reps)
	fmt.Print(b.String())
	return nil
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

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
