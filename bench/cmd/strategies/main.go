// Command strategies plays the built-in strategies against each other on a city
// like Fuzhou in October 2022 (8.4 million people, an Omicron outbreak seeded in a
// dense old-town community), every strategy on the same seeds, and prints a
// Markdown table of the median and 90% range of each metric.
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

	"github.com/epiplan/epiplan/bench/internal/fuzhou"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// metrics are the figures compared, with how each is read off a result.
var metrics = []struct {
	name string
	get  func(*model.Result) float64
}{
	{"infections", func(r *model.Result) float64 { v, _ := r.Metric("infections"); return v }},
	{"days to community zero", daysToCommunityZero},
	{"centralized quarantine person-days", func(r *model.Result) float64 { return sum(r, "quarantined_centralized") }},
	{"lockdown person-days (high + medium)", func(r *model.Result) float64 {
		return sum(r, "lockdown_high") + sum(r, "lockdown_medium")
	}},
	{"tests (swabs)", func(r *model.Result) float64 { return sum(r, "swabs") }},
	{"uncontrolled (≥ 200,000 infections)", func(r *model.Result) float64 {
		v, _ := r.Metric("uncontrolled")
		return v
	}},
}

func sum(r *model.Result, series string) float64 {
	t := 0.0
	for _, v := range r.Series.Get(series) {
		t += v
	}
	return t
}

// daysToCommunityZero is the number of days from the first detection to the
// last detection in the community, for a run that ended with the outbreak (NaN
// otherwise: community zero was not reached, or nothing was found).
func daysToCommunityZero(r *model.Result) float64 {
	if r.StopReason != model.StopExtinct {
		return math.NaN()
	}
	det, com := r.Series.Get("detections"), r.Series.Get("detections_community")
	first, last := -1, -1
	for d := range det {
		if det[d] > 0 && first < 0 {
			first = d
		}
		if d < len(com) && com[d] > 0 {
			last = d
		}
	}
	if first < 0 {
		return math.NaN()
	}
	return float64(max(0, last-first))
}

func main() {
	reps := flag.Int("replications", 50, "replications per strategy")
	workers := flag.Int("workers", 0, "parallel workers (0: all cores)")
	flag.Parse()
	names := []string{"ninth_edition", "twenty_measures", "mitigation", "no_intervention"}
	values := map[string][][]float64{}
	for _, name := range names {
		s, err := fuzhou.Strategy(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		rows, err := sim.Replicate(context.Background(), *reps, *workers, func(_ context.Context, rep int) ([]float64, error) {
			_, res, err := fuzhou.Run(s, rep)
			if err != nil {
				return nil, err
			}
			row := make([]float64, len(metrics))
			for i, mt := range metrics {
				row[i] = mt.get(res)
			}
			return row, nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		values[name] = rows
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| metric (median [5%%, 95%%] over %d replications) |", *reps)
	for _, n := range names {
		fmt.Fprintf(&b, " %s |", n)
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(names)) + "\n")
	for i, mt := range metrics {
		fmt.Fprintf(&b, "| %s |", mt.name)
		for _, n := range names {
			var col []float64
			for _, row := range values[n] {
				if !math.IsNaN(row[i]) {
					col = append(col, row[i])
				}
			}
			sort.Float64s(col)
			if len(col) == 0 {
				b.WriteString(" not reached |")
				continue
			}
			note := ""
			if len(col) < len(values[n]) {
				note = fmt.Sprintf(" (%d runs)", len(col))
			}
			if mt.name == metrics[len(metrics)-1].name {
				mean := 0.0
				for _, v := range col {
					mean += v
				}
				fmt.Fprintf(&b, " %.0f%% |", 100*mean/float64(len(col)))
				continue
			}
			fmt.Fprintf(&b, " %s [%s, %s]%s |", num(q(col, 0.5)), num(q(col, 0.05)), num(q(col, 0.95)), note)
		}
		b.WriteString("\n")
	}
	fmt.Print(b.String())
}

// q returns the p-quantile of sorted values (nearest rank).
func q(sorted []float64, p float64) float64 {
	i := int(p*float64(len(sorted)-1) + 0.5)
	return sorted[i]
}

// num formats a figure with thousands separators.
func num(x float64) string {
	s := fmt.Sprintf("%.0f", x)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}
