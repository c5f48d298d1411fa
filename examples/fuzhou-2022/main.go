// Command fuzhou-2022 is a planner's question answered end to end with
// epiplan's library scenario fuzhou-2022: a city like Fuzhou in October 2022
// (8.4 million people), an Omicron outbreak of 10 imported cases in a dense
// old-town community, and the four strategies of late 2022 (the ninth edition
// protocol, the twenty measures, mitigation, no intervention) played on the
// same seeds. It writes the report (report.html, with its plots) and the
// tables (summary.json, summary.csv, timeseries.csv) into a directory, and
// prints a summary and where the files are.
//
//	go run ./examples/fuzhou-2022                        # 5 replications, about half a minute
//	go run ./examples/fuzhou-2022 -replications 50 -out fuzhou
//
// Five replications show the picture; the medians and ranges of the report
// need more (the scenario file asks for 20).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
)

func main() {
	reps := flag.Int("replications", 5, "replications of each strategy (raise it for figures to rely on: 20 or more)")
	out := flag.String("out", "fuzhou-2022-results", "directory to write the report and tables into")
	workers := flag.Int("workers", 0, "replications run at once (0: all cores)")
	flag.Parse()
	if err := run(os.Stdout, os.Stderr, *reps, *workers, *out); err != nil {
		fmt.Fprintln(os.Stderr, "fuzhou-2022:", err)
		os.Exit(1)
	}
}

// run plays the library scenario with reps replications (and the overrides
// sets, "path=value" as in `epiplan run --set`), writes the outputs into dir,
// prints the summary to w and progress to log.
func run(w, log io.Writer, reps, workers int, dir string, sets ...string) error {
	if reps < 1 {
		return fmt.Errorf("-replications must be at least 1, got %d", reps)
	}
	// 1. Load the scenario: the city, the virus, the resources, the strategies.
	sc, err := scenarios.LibraryScenario("fuzhou-2022")
	if err != nil {
		return err
	}
	for _, s := range sets {
		path, value, _ := strings.Cut(s, "=")
		if err := sc.Set(path, value); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%s: %s\n", sc.Name, strings.TrimSpace(sc.Description))

	// 2. Play every strategy on the same seeds.
	res, err := scenarios.Play(context.Background(), sc, scenarios.RunOptions{
		Replications: reps, Workers: workers,
		// Progress is told of every replication; say it every tenth of the way.
		Progress: func(done, total int) {
			if done*10/total != (done-1)*10/total {
				fmt.Fprintf(log, "played %d of %d runs\n", done, total)
			}
		},
	})
	if err != nil {
		return err
	}

	// 3. Write the report, the plots and the tables, into a folder made whole
	// (as epiplan run does; this example replaces its own folder each time).
	if err := scenarios.ReplaceDir(dir, true, res.Write); err != nil {
		return err
	}

	// 4. The figures a planner asks for first, run by run (summary.json has
	// every metric's median, range and paired difference from the baseline).
	fmt.Fprintf(w, "\n%d replications of each strategy, seed %d; median [5%%, 95%%] over the replications\n\n", res.Replications, res.Seed)
	// Each run ended one of four ways: contained; ran its course (half the
	// city infected); still going at the horizon; or stopped by the cap.
	fmt.Fprintf(w, "%-16s %-28s %-10s %-15s %-8s %-23s %-20s %s\n", "strategy", "infections", "contained", "ran its course", "capped",
		"days to community zero", "tests (millions)", "restricted person-days (millions)")
	for _, st := range res.Strategies {
		var inf, days, tests, lock []float64
		contained, burned, capped := 0, 0, 0
		for _, r := range st.Runs {
			inf = append(inf, metric(r, "infections"))
			tests = append(tests, metric(r, "tests")/1e6)
			// Residents in risk zones or under city-wide restrictions, each
			// counted once a day.
			lock = append(lock, metric(r, "lockdown_person_days")/1e6)
			contained += int(metric(r, "controlled"))
			burned += int(metric(r, "burned_out"))
			if r.StopReason == model.StopMaxInfections {
				capped++ // the outbreak was still growing: no community zero
			} else if d := metric(r, "days_to_community_zero"); !math.IsNaN(d) {
				days = append(days, d)
			}
		}
		n := len(st.Runs)
		fmt.Fprintf(w, "%-16s %-28s %-10s %-15s %-8s %-23s %-20s %s\n", st.Name, spread(inf, "%.0f"),
			fmt.Sprintf("%d of %d", contained, n), fmt.Sprintf("%d of %d", burned, n), fmt.Sprintf("%d of %d", capped, n),
			spread(days, "%.0f"), spread(tests, "%.1f"), spread(lock, "%.1f"))
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	fmt.Fprintf(w, "\nThe report: %s\nThe tables: summary.json, summary.csv and timeseries.csv in %s\n",
		filepath.Join(abs, "report.html"), abs)
	return nil
}

// metric returns a run's named metric: 0 if the strategy has no measure that
// reports it (it used none of it), NaN for a time (days_to_…) it does not
// report.
func metric(r scenarios.Run, name string) float64 {
	for _, m := range r.Metrics {
		if m.Name == name {
			return m.Value
		}
	}
	if strings.HasPrefix(name, "days_to") {
		return math.NaN()
	}
	return 0
}

// spread writes the median and 5–95% range of xs (nearest rank), "—" if
// empty.
func spread(xs []float64, format string) string {
	if len(xs) == 0 {
		return "—"
	}
	v := append([]float64(nil), xs...)
	sort.Float64s(v)
	q := func(p float64) string { return fmt.Sprintf(format, v[int(p*float64(len(v)-1)+0.5)]) }
	return fmt.Sprintf("%s [%s, %s]", q(0.5), q(0.05), q(0.95))
}
