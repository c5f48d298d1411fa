// Command interventions runs epiplan's interventions suite: every contender
// (the built-in strategies, and any intervention added in contenders.go) in
// every outbreak of bench.SuiteScenarios, on the fixed seeds bench.SuiteSeeds,
// and prints a leaderboard per outbreak: the contenders ranked by infections,
// with the share of runs in which the outbreak ended, the days to community
// zero, tests, quarantine and lockdown person-days and the peak demand for
// isolation beds, each as median [5%, 95%], and the paired difference of
// infections from a baseline contender.
//
// Usage:
//
//	go run ./bench/cmd/interventions                                # print the leaderboard
//	go run ./bench/cmd/interventions -csv runs.csv -o LEADERBOARD.md
//	go run ./bench/cmd/interventions -readme bench/README.md        # put it in the README
//	go run ./bench/cmd/interventions -seeds 5 -scenarios fast       # a quick look
//
// It takes about a minute on two cores. The figures do not depend on the
// machine or the number of workers.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/epiplan/epiplan/bench"
	"github.com/epiplan/epiplan/bench/internal/mdfile"
)

// Section is the name of the marked section of bench/README.md the
// leaderboard goes in.
const Section = "interventions"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "interventions:", err)
		os.Exit(1)
	}
}

// run parses the arguments, plays the suite, and writes the leaderboard to
// stdout and to the files asked for.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("interventions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	csvFile := fs.String("csv", "", "write every run to this CSV `file`")
	out := fs.String("o", "", "write the leaderboard to this Markdown `file`")
	readme := fs.String("readme", "", "put the leaderboard in the interventions section of this Markdown `file` (bench/README.md)")
	seeds := fs.Int("seeds", len(bench.SuiteSeeds), "play the first `n` of the suite's seeds")
	only := fs.String("scenarios", "", "play only these scenarios (comma-separated names)")
	baseline := fs.String("baseline", "ninth_edition", "the contender whose infections the others are compared with, run by run")
	workers := fs.Int("workers", 0, "runs played at once (0: all cores); the figures do not depend on it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, path := range []string{*csvFile, *out} {
		if path != "" {
			if err := mdfile.CanWrite(path); err != nil {
				return err
			}
		}
	}
	if *readme != "" {
		if err := mdfile.CheckSection(*readme, Section); err != nil {
			return err
		}
	}
	if *seeds < 1 || *seeds > len(bench.SuiteSeeds) {
		return fmt.Errorf("-seeds must be from 1 to %d, got %d", len(bench.SuiteSeeds), *seeds)
	}
	scs, err := bench.SuiteScenarios()
	if err != nil {
		return err
	}
	if *only != "" {
		if scs, err = pick(scs, strings.Split(*only, ",")); err != nil {
			return err
		}
	}
	cs, err := contenders()
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(cs, func(c bench.Contender) bool { return c.Name == *baseline }) {
		return fmt.Errorf("-baseline %q is not a contender", *baseline)
	}

	start := time.Now()
	next := 0
	scores, err := bench.RunSuite(context.Background(), scs, cs, bench.SuiteOptions{
		Seeds:   bench.SuiteSeeds[:*seeds],
		Workers: *workers,
		Progress: func(done, total int) {
			if done*10 >= next*total {
				fmt.Fprintf(stderr, "interventions: %d of %d runs (%v)\n", done, total, time.Since(start).Round(time.Second))
				next = done*10/total + 1
			}
		},
	})
	if err != nil {
		return err
	}
	w := *workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	board := fmt.Sprintf("Played with `go run ./bench/cmd/interventions` on %s: %d contenders × %d scenarios × %d seeds "+
		"in %v on %d workers. The suite's outbreaks (`bench.SuiteScenarios`) are in the city of the library scenario "+
		"%s, with its resources.\n\n%s", start.UTC().Format("2006-01-02"), len(cs), len(scs), *seeds,
		time.Since(start).Round(time.Second), w, bench.SuiteCity, scores.Markdown(*baseline))
	fmt.Fprint(stdout, board)
	if *csvFile != "" {
		if err := writeCSV(*csvFile, scores); err != nil {
			return err
		}
		fmt.Fprintln(stderr, "interventions: wrote", *csvFile)
	}
	if *out != "" {
		if err := mdfile.WriteFile(*out, board); err != nil {
			return err
		}
		fmt.Fprintln(stderr, "interventions: wrote", *out)
	}
	if *readme != "" {
		if err := mdfile.ReplaceSection(*readme, Section, board); err != nil {
			return err
		}
		fmt.Fprintln(stderr, "interventions: updated the interventions section of", *readme)
	}
	return nil
}

// pick returns the named scenarios, in the order named.
func pick(scs []bench.SuiteScenario, names []string) ([]bench.SuiteScenario, error) {
	var out []bench.SuiteScenario
	for _, n := range names {
		i := slices.IndexFunc(scs, func(s bench.SuiteScenario) bool { return s.Name == n })
		if i < 0 {
			var have []string
			for _, s := range scs {
				have = append(have, s.Name)
			}
			return nil, fmt.Errorf("-scenarios: no scenario %q (have %s)", n, strings.Join(have, ", "))
		}
		out = append(out, scs[i])
	}
	return out, nil
}

// writeCSV writes the runs to a CSV file, whole or not at all.
func writeCSV(path string, s *bench.Scores) error {
	var b strings.Builder
	if err := s.WriteCSV(&b); err != nil {
		return err
	}
	return mdfile.WriteFile(path, b.String())
}
