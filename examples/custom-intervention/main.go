// Command custom-intervention compares a control measure written outside
// epiplan (package selftest: antigen self-tests in locked zones) with the
// built-in strategies it is added to, on the library scenario fuzhou-2022.
//
// Each replication plays the built-in strategy alone and with the self-tests on
// the same stream, so that both meet the same outbreak wherever their
// histories agree (common random numbers), and prints each figure's median and
// 5–95% range with the paired difference (mean and 95% interval over the
// replications).
//
//	go run ./examples/custom-intervention -replications 20
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/examples/custom-intervention/selftest"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

func main() {
	reps := flag.Int("replications", 20, "replications of each strategy")
	workers := flag.Int("workers", 0, "replications run at once (0: all cores)")
	flag.Parse()
	sc, err := scenarios.LibraryScenario("fuzhou-2022")
	if err == nil {
		err = compare(os.Stdout, sc, []string{"ninth_edition", "twenty_measures"}, selftest.Default(), *reps, *workers)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "custom-intervention:", err)
		os.Exit(1)
	}
}

// figures are the figures compared, each read off a run's result.
var figures = []struct {
	name  string
	value func(r *model.Result) float64
}{
	{"infections", metric("infections")},
	{"found by a kit (PCR-confirmed)", series("detections_" + selftest.Route)},
	{"days from infection to detection (mean)", meanToDetection},
	{"days to community zero", metric("days_to_community_zero")},
	{"PCR tests", metric("tests")},
	{"antigen kits", metric("antigen_kits")},
	{"lockdown person-days", metric("lockdown_high_person_days", "lockdown_medium_person_days")},
	{"quarantine person-days", metric("quarantine_centralized_person_days", "quarantine_home_person_days")},
}

// compare plays each named strategy of sc alone and with self-tests for reps
// replications, and writes a table per strategy to w.
func compare(w io.Writer, sc *scenarios.Scenario, names []string, cfg selftest.Config, reps, workers int) error {
	cityCfg, opts := sc.Config(), sc.Options()
	for _, name := range names {
		var st *control.Strategy
		for i := range sc.Strategies {
			if sc.Strategies[i].Name == name {
				s := sc.Strategy(i)
				st = &s
			}
		}
		if st == nil {
			return fmt.Errorf("scenario %s has no strategy %s", sc.Name, name)
		}
		// Replication r of both arms runs on the stream of seed and r, as
		// scenarios.Play would; the self-tests draw from a child stream of it.
		runs, err := sim.Replicate(context.Background(), reps, workers, func(_ context.Context, r int) ([2][]float64, error) {
			var out [2][]float64
			stream := sim.NewStream(sc.Seed).Key(uint64(r))
			for arm := range out {
				m, err := model.New(cityCfg, stream, opts)
				if err != nil {
					return out, err
				}
				ms := st.Measures()
				if arm == 1 {
					if ms, err = selftest.With(*st, cfg, stream.Named("selftest")); err != nil {
						return out, err
					}
				}
				if err := m.Add(ms...); err != nil {
					return out, err
				}
				res := m.Run()
				for _, f := range figures {
					out[arm] = append(out[arm], f.value(res))
				}
			}
			return out, nil
		})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(w, "\n%s alone and with antigen self-tests in its locked zones: %s, %d replications\n\n", name, sc.Name, reps)
		fmt.Fprintf(w, "| figure (median [5%%, 95%%]) | %s | + self-tests | paired difference, mean [95%% CI] |\n|---|---:|---:|---:|\n", name)
		for k, f := range figures {
			var a, b []float64
			for _, r := range runs {
				a, b = append(a, r[0][k]), append(b, r[1][k])
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", f.name, spread(a), spread(b), paired(b, a))
		}
	}
	return nil
}

// metric returns the sum of a run's named metrics (0 for one it does not
// report; NaN if a days_to… metric is missing).
func metric(names ...string) func(*model.Result) float64 {
	return func(r *model.Result) float64 {
		total := 0.0
		for _, n := range names {
			v, ok := r.Metric(n)
			if !ok && strings.HasPrefix(n, "days_to") {
				return math.NaN()
			}
			total += v
		}
		return total
	}
}

// series returns the total of a run's daily series (0 if it has none).
func series(name string) func(*model.Result) float64 {
	return func(r *model.Result) float64 {
		total := 0.0
		for _, v := range r.Series.Get(name) {
			total += v
		}
		return total
	}
}

// meanToDetection is the mean time from infection to notification of the
// run's detected cases (NaN if none).
func meanToDetection(r *model.Result) float64 {
	sum, n := 0.0, 0
	for i := 0; i < r.LineList.Len(); i++ {
		if inf := r.LineList.At(i); !math.IsInf(float64(inf.Found), 1) {
			sum += float64(inf.Found - inf.Time)
			n++
		}
	}
	return sum / float64(n)
}

// spread writes the median and 5–95% range of the defined values (nearest
// rank).
func spread(xs []float64) string {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return "—"
	}
	sort.Float64s(v)
	q := func(p float64) string { return num(v[int(p*float64(len(v)-1)+0.5)]) }
	s := fmt.Sprintf("%s [%s, %s]", q(0.5), q(0.05), q(0.95))
	if len(v) < len(xs) {
		s += fmt.Sprintf(" (%d runs)", len(v))
	}
	return s
}

// paired writes the mean of the differences xs - base over the replications
// where both are defined, with its 95% interval (Student's t).
func paired(xs, base []float64) string {
	mean, half, n := pairedDiff(xs, base)
	if n < 2 {
		return "—"
	}
	return fmt.Sprintf("%s [%s, %s]", num(mean), num(mean-half), num(mean+half))
}

// pairedDiff returns the mean of the differences xs - base over the n
// replications where both are defined, and the half-width of its 95%
// interval (Student's t; NaN for n < 2).
func pairedDiff(xs, base []float64) (mean, half float64, n int) {
	var d []float64
	for i := range xs {
		if !math.IsNaN(xs[i]) && !math.IsNaN(base[i]) {
			d = append(d, xs[i]-base[i])
		}
	}
	n = len(d)
	if n < 2 {
		return math.NaN(), math.NaN(), n
	}
	ss := 0.0
	for _, x := range d {
		mean += x / float64(n)
	}
	for _, x := range d {
		ss += (x - mean) * (x - mean)
	}
	half = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975) * math.Sqrt(ss/float64(n-1)/float64(n))
	return mean, half, n
}

// num writes a figure: millions as 12.3M, a fraction below 100 with one
// decimal, anything else whole with thousands separators.
func num(x float64) string {
	switch {
	case math.Abs(x) >= 1e6:
		return fmt.Sprintf("%.1fM", x/1e6)
	case math.Abs(x) < 100 && x != math.Round(x):
		if s := fmt.Sprintf("%.1f", x); s != "-0.0" {
			return s
		}
		return "0.0"
	}
	s := fmt.Sprintf("%.0f", math.Abs(x))
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if math.Round(x) < 0 {
		return "-" + s
	}
	return s
}
