// Command epiplan runs scenario files: it plays their strategies on the same
// seeds and writes the results.
//
//	epiplan run [FILE] [--out DIR] [--replications N] [--seed S] [--workers W] [--set path=value]… [--quiet]
//	epiplan sweep [FILE] --set path=v1,v2… [--set …] [--out DIR] [--replications N] [--seed S] [--workers W]
//	epiplan validate FILE
//	epiplan list
//
// run plays the scenario in FILE (the built-in fuzhou-2022 scenario when FILE is
// absent) and writes summary.json, summary.csv and timeseries.csv into DIR
// (default "out"), with the plots and report.html. --set changes a field of the
// scenario (population.layers.community=1.2). sweep plays every combination of
// the values given with --set and writes one summary per point and sweep.csv.
// validate checks a file without running it. list names the
// library scenarios and the built-in strategies. The exit code is 0 on success;
// otherwise a reason is printed on standard error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "epiplan:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  epiplan run [FILE] [--out DIR] [--replications N] [--seed S] [--workers W] [--set path=value]… [--quiet]
  epiplan sweep [FILE] --set path=v1,v2… [--set …] [--out DIR] [--replications N] [--seed S] [--workers W]
  epiplan fit FILE --data COUNTS.csv --fit path=lo:hi [--fit …] [--out DIR] [--forecast DATE] (epiplan fit -h: all options)
  epiplan validate FILE
  epiplan list`

// run is the command with its arguments; it returns the error to report.
func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("no command\n" + usage)
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], stdout, stderr, false)
	case "sweep":
		return runCmd(args[1:], stdout, stderr, true)
	case "fit":
		return fitCmd(args[1:], stdout, stderr)
	case "validate":
		fs := flag.NewFlagSet("validate", flag.ContinueOnError)
		fs.SetOutput(stderr)
		files, err := parse(fs, args[1:])
		if err != nil {
			return err
		}
		if len(files) != 1 {
			return errors.New("validate takes one file\n" + usage)
		}
		sc, err := scenarios.Load(files[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: ok (%d strategies, %d replications)\n", files[0], len(sc.Strategies), sc.Replications)
		return nil
	case "list":
		fmt.Fprintln(stdout, "library scenarios:")
		for _, n := range scenarios.Library() {
			fmt.Fprintln(stdout, "  "+n)
		}
		fmt.Fprintln(stdout, "built-in strategies:")
		for _, n := range model.BuiltinStrategies() {
			fmt.Fprintln(stdout, "  "+n)
		}
		return nil
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

// parse parses flags and positional arguments in any order.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, " ") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func runCmd(args []string, stdout, stderr io.Writer, sweep bool) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var sets multi
	fs.Var(&sets, "set", "path=value: change a field of the scenario (sweep: path=v1,v2,…)")
	fs.SetOutput(stderr)
	out := fs.String("out", "out", "folder for the outputs")
	reps := fs.Int("replications", 0, "replications per strategy (default: the file's)")
	seed := fs.Uint64("seed", 0, "seed (default: the file's)")
	workers := fs.Int("workers", 0, "parallel workers (default: all cores)")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	load := func() (*scenarios.Scenario, error) {
		return scenarios.LibraryScenario(scenarios.DefaultScenario)
	}
	switch len(files) {
	case 0:
	case 1:
		load = func() (*scenarios.Scenario, error) { return scenarios.Load(files[0]) }
	default:
		return errors.New("run takes at most one file\n" + usage)
	}
	sc, err := load()
	if err != nil {
		return err
	}
	if !sweep {
		for _, set := range sets {
			path, value, ok := strings.Cut(set, "=")
			if !ok {
				return fmt.Errorf("--set %q: want path=value", set)
			}
			if err := sc.Set(path, value); err != nil {
				return err
			}
		}
	}
	if *reps < 0 || *reps > scenarios.MaxReplications {
		return fmt.Errorf("--replications must be from 1 to %d, got %d", scenarios.MaxReplications, *reps)
	}
	opts := scenarios.RunOptions{Replications: *reps, Workers: *workers}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			opts.Seed, opts.SeedSet = *seed, true
		}
	})
	if !*quiet && isTerminal(stderr) {
		opts.Progress = func(done, total int) {
			const width = 30
			n := done * width / total
			fmt.Fprintf(stderr, "\r[%s%s] %d/%d", strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
			if done == total {
				fmt.Fprintln(stderr)
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if sweep {
		if len(sets) == 0 {
			return errors.New("sweep needs at least one --set path=v1,v2…\n" + usage)
		}
		points, err := scenarios.Grid(sets)
		if err != nil {
			return err
		}
		results, err := scenarios.Sweep(ctx, load, points, opts, *out)
		if err != nil {
			if ctx.Err() != nil {
				return errors.New("interrupted: the sweep is incomplete")
			}
			return err
		}
		fmt.Fprintf(stdout, "%s: %d points → %s/sweep.csv\n", sc.Name, len(results), *out)
		return nil
	}
	res, err := scenarios.Play(ctx, sc, opts)
	if err != nil {
		if ctx.Err() != nil {
			return errors.New("interrupted: nothing written")
		}
		return err
	}
	if err := res.Write(*out); err != nil {
		return err
	}
	sum := res.Summarize()
	fmt.Fprintf(stdout, "%s: %d strategies × %d replications (seed %d) → %s\n", sc.Name, len(sum.Strategies), sum.Replications, sum.Seed, *out)
	for _, st := range sum.Strategies {
		inf := st.Metrics["infections"]
		fmt.Fprintf(stdout, "  %-20s infections median %.0f [%.0f, %.0f]\n", st.Name, float64(inf.Median), float64(inf.P05), float64(inf.P95))
	}
	return nil
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
