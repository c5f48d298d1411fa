package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/scenarios"
)

// newProgress returns a progress report for a run: on a terminal, a bar
// redrawn in place with the time left; otherwise plain lines, one when the
// first replications give an estimate of the time the run takes and one at
// every tenth of the work, so that a log shows the run advancing.
func newProgress(w io.Writer, terminal bool, now func() time.Time) func(done, total int) {
	return newProgressOf(w, terminal, now, "replication")
}

// newProgressOf is newProgress counting things of another name.
func newProgressOf(w io.Writer, terminal bool, now func() time.Time, noun string) func(done, total int) {
	var mu sync.Mutex
	start := now()
	lastTenth := 0
	estimated := false
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		elapsed := now().Sub(start)
		left := ""
		if done > 0 && done < total {
			rest := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
			left = ", about " + roughly(rest) + " left"
		}
		if terminal {
			const width = 30
			n := done * width / total
			fmt.Fprintf(w, "\r[%s%s] %d/%d%s   ", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total, left)
			if done == total {
				fmt.Fprintln(w)
			}
			return
		}
		tenth := done * 10 / total
		switch {
		case done == total:
			fmt.Fprintf(w, "epiplan: %s done in %s\n", scenarios.Plural(total, noun), roughly(elapsed))
		case !estimated:
			estimated = true
			lastTenth = tenth
			fmt.Fprintf(w, "epiplan: %d of %s done in %s%s\n", done, scenarios.Plural(total, noun), roughly(elapsed), left)
		case tenth > lastTenth:
			lastTenth = tenth
			fmt.Fprintf(w, "epiplan: %d of %s done (%d%%) in %s%s\n", done, scenarios.Plural(total, noun), 100*done/total, roughly(elapsed), left)
		}
	}
}

// roughly writes a duration to a reader's precision: "40 s", "3 min", "2.7 h".
func roughly(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%.0f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%.0f min", d.Minutes())
	}
	return fmt.Sprintf("%.1f h", d.Hours())
}

// listCmd names the library scenarios, each with the first sentence of its
// description and how to run it, and the built-in strategies.
func listCmd(stdout io.Writer) error {
	fmt.Fprintln(stdout, "library scenarios (epiplan run NAME):")
	for _, n := range scenarios.Library() {
		desc := ""
		if sc, err := scenarios.LibraryScenario(n); err == nil {
			desc = firstSentence(sc.Description)
		}
		fmt.Fprintf(stdout, "  %-18s %s\n", n, desc)
	}
	fmt.Fprintln(stdout, "built-in strategies (strategies: [{name: NAME}] in a scenario file):")
	for _, n := range control.BuiltinStrategies() {
		fmt.Fprintln(stdout, "  "+n)
	}
	return nil
}

// firstSentence returns the first sentence of a text, on one line.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return s
}

// sweepProgress turns the progress of each point's run into the progress of
// the whole sweep (the points the shard plays, one after the other), so that
// the estimate of the time left is the sweep's.
func sweepProgress(p func(done, total int), points []scenarios.Point, shard scenarios.Shard) func(done, total int) {
	if p == nil {
		return nil
	}
	n := 0
	for i := range points {
		if shard.Has(i) {
			n++
		}
	}
	point, last := 0, 0
	return func(done, total int) {
		if done < last {
			point++ // the next point's run has started
		}
		last = done
		p(point*total+done, n*total)
	}
}
