// Command strategies plays the strategies of the library scenario fuzhou-2022 (a
// city like Fuzhou in October 2022: 8.4 million people, an Omicron outbreak
// seeded in a dense old-town community) on the same seeds, and prints a Markdown
// table of the median and 5–95% range of the figures the comparison of
// strategies turns on. There is no cap: an outbreak that escapes runs as a whole
// epidemic, rescaled past 50,000 infections (docs/model.md, "Large epidemics").
//
//	go run ./bench/cmd/strategies -replications 50
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
)

// rows are the figures compared, each read off a run's metrics.
var rows = []struct {
	name    string
	metrics []string // summed
}{
	{"infections", []string{"infections"}},
	{"severe cases", []string{"severe"}},
	{"deaths", []string{"deaths"}},
	{"days to community zero", []string{"days_to_community_zero"}},
	{"centralized quarantine person-days", []string{"quarantine_centralized_person_days"}},
	{"lockdown person-days (high + medium)", []string{"lockdown_high_person_days", "lockdown_medium_person_days"}},
	{"tests (swabs)", []string{"tests"}},
}

func main() {
	reps := flag.Int("replications", 50, "replications per strategy")
	workers := flag.Int("workers", 0, "parallel workers (0: all cores)")
	flag.Parse()
	if err := run(*reps, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "strategies:", err)
		os.Exit(1)
	}
}

func run(reps, workers int) error {
	sc, err := scenarios.LibraryScenario("fuzhou-2022")
	if err != nil {
		return err
	}
	res, err := scenarios.Play(context.Background(), sc, scenarios.RunOptions{Replications: reps, Workers: workers})
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| metric (median [5%%, 95%%] over %d replications) |", reps)
	for _, st := range res.Strategies {
		fmt.Fprintf(&b, " %s |", st.Name)
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(res.Strategies)) + "\n")
	for _, row := range rows {
		fmt.Fprintf(&b, "| %s |", row.name)
		for _, st := range res.Strategies {
			var col []float64
			for _, r := range st.Runs {
				if v, ok := sumOf(r, row.metrics); ok {
					col = append(col, v)
				}
			}
			b.WriteString(" " + cell(col, len(st.Runs)) + " |")
		}
		b.WriteString("\n")
	}
	for _, share := range []struct{ label, metric string }{
		{"contained (ended, under half the city infected)", "controlled"},
		{"ran its course (half the city infected)", "burned_out"},
		{"rescaled (past 50,000 infections)", "rescaled"},
	} {
		fmt.Fprintf(&b, "| %s |", share.label)
		for _, st := range res.Strategies {
			n := 0.0
			for _, r := range st.Runs {
				v, _ := sumOf(r, []string{share.metric})
				n += v
			}
			fmt.Fprintf(&b, " %.0f%% |", 100*n/float64(len(st.Runs)))
		}
		b.WriteString("\n")
	}
	fmt.Print(b.String())
	return nil
}

// sumOf adds the named metrics of a run: 0 for a metric the strategy does not
// report (it used none of it). A time (days_to_…) is defined only for a run that
// ended with the outbreak and reports it.
func sumOf(r scenarios.Run, names []string) (float64, bool) {
	isTime := strings.HasPrefix(names[0], "days_to")
	if isTime && r.StopReason != model.StopExtinct {
		return 0, false
	}
	total, found := 0.0, false
	for _, name := range names {
		for _, m := range r.Metrics {
			if m.Name == name {
				if math.IsNaN(m.Value) {
					return 0, false
				}
				total += m.Value
				found = true
			}
		}
	}
	return total, found || !isTime
}

// cell writes the median and 5–95% range of the defined values (nearest rank),
// saying how many runs they come from when not all.
func cell(v []float64, runs int) string {
	if len(v) == 0 {
		return "not reached"
	}
	sort.Float64s(v)
	q := func(p float64) string { return num(v[int(p*float64(len(v)-1)+0.5)]) }
	s := fmt.Sprintf("%s [%s, %s]", q(0.5), q(0.05), q(0.95))
	if len(v) < runs {
		s += fmt.Sprintf(" (%d runs)", len(v))
	}
	return s
}

// num writes a figure with thousands separators.
func num(x float64) string {
	s := fmt.Sprintf("%.0f", math.Abs(x))
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if x < 0 {
		return "-" + s
	}
	return s
}
