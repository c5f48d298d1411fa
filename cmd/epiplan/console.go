package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/epiplan/epiplan/scenarios"
)

// printResults prints what a planner reads first: the findings in sentences,
// then the compact table of key figures, then where the details are.
func printResults(w io.Writer, res *scenarios.Results, out string) {
	sum := res.Summarize()
	fmt.Fprintf(w, "%s: %d strategies × %s (seed %d) → %s\n", res.Scenario, len(sum.Strategies), scenarios.Plural(sum.Replications, "replication"), sum.Seed, out)
	fmt.Fprintln(w, "Figures are median [5%, 95%] over replications; ≥ marks a lower bound (runs stopped by the infection cap).")
	for _, f := range res.Findings() {
		fmt.Fprintf(w, "\n%s\n", f.Strategy)
		for _, s := range f.Sentences {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	fmt.Fprintln(w)
	key := res.KeyMetrics()
	labelW := 0
	for _, k := range key {
		labelW = max(labelW, utf8.RuneCountInString(k.Label))
	}
	// One block per strategy keeps the lines short on a terminal.
	for i, st := range sum.Strategies {
		fmt.Fprintf(w, "%s\n", st.Name)
		for _, k := range key {
			fmt.Fprintf(w, "  %s%s  %s\n", k.Label, strings.Repeat(" ", labelW-utf8.RuneCountInString(k.Label)), k.Cells[i])
		}
	}
	fmt.Fprintf(w, "\nDetails: %s/report.html, summary.json, summary.csv\n", out)
}
