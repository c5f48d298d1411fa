// Command epiplan runs scenario files: it plays their strategies on the same
// seeds and writes the results.
//
//	epiplan run [FILE] [--out DIR] [--replications N] [--seed S] [--workers W] [--set path=value]… [--force] [--max-memory SIZE] [--quiet]
//	epiplan sweep [FILE] --set path=v1,v2… [--set …] [--shard i/n] [--out DIR] [run flags]
//	epiplan merge SHARD_DIR… [--out DIR] [--force]
//	epiplan reproduce DIR [--out DIR2] [--check] [--workers W] [--force]
//	epiplan validate FILE
//	epiplan list
//	epiplan rt COUNTS.csv --si gamma:MEAN,SD [--column NAME] [--imported NAME] [--window DAYS] [--from DATE] [--to DATE] [--every DAYS] [--out DIR] [--force]
//	epiplan serve [--addr 127.0.0.1:8080] [--dir DIR] [--max-runs N] [--workers W] [--max-memory SIZE]
//	epiplan plan [FILE] (--vary path=lo:hi|a,b,c … | --size path …) --target T … [--minimize METRIC] [--out DIR]
//
// run plays the scenario in FILE (a library scenario by name, as list shows
// them; the built-in fuzhou-2022 scenario when FILE is absent), prints the
// findings and a table of key figures, and writes summary.json, summary.csv and timeseries.csv into DIR
// (default "out"), with the plots, report.html and scenario.yaml (a copy of the
// file). --set changes a field of the scenario (population.layers.community=1.2).
// summary.json records how the run was made (program and Go versions, the
// scenario's SHA-256, the fields set, the seed, every replication's random
// stream); reproduce plays a run again from that record, and with --check
// compares every output byte for byte. Outputs do not depend on --workers.
//
// An output folder is made whole or not at all: the outputs are written into a
// new folder that takes DIR's place at the end. An existing DIR is replaced
// only with --force (and only if it is an epiplan output folder); an
// interrupted run (SIGINT, SIGTERM) stops within a simulated day, writes
// nothing and says so. --max-memory refuses a run estimated to need more memory
// (default: the machine's memory).
//
// sweep plays every combination of the values given with --set and writes one
// summary per point, sweep.json and sweep.csv (and heat maps for two paths
// with numbers or durations). With --shard i/n it plays only the i-th of n slices of the points;
// merge combines the shards' folders into exactly the output of the whole
// sweep (see docs/cluster.md). validate checks a file without running it. list
// names the library scenarios, with their descriptions, and the built-in
// strategies. plan finds the cheapest plan meeting targets, or the smallest
// capacities (docs/planning.md); reproduce of a plan's folder makes the plan
// again. serve is a local workbench in the browser (see package workbench).
// Progress goes to standard error (--quiet: none): a bar on a terminal, plain
// lines otherwise, with an estimate of the time left. The exit code is 0 on
// success and for -h; otherwise a reason is printed on standard error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/epiplan/epiplan/scenarios"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "epiplan:", err)
		if errors.Is(err, errInterrupted) {
			os.Exit(130) // as a shell reports a command stopped by Ctrl-C
		}
		os.Exit(1)
	}
}

const usage = `usage:
  epiplan run [FILE] [--out DIR] [--replications N] [--seed S] [--workers W] [--set path=value]… [--force] [--max-memory SIZE] [--quiet]
  epiplan sweep [FILE] --set path=v1,v2… [--set …] [--shard i/n] [--out DIR] [run flags]
  epiplan merge SHARD_DIR… [--out DIR] [--force]
  epiplan reproduce DIR [--out DIR2] [--check] [--workers W] [--force]
  epiplan fit FILE --data COUNTS.csv --fit path=lo:hi [--fit …] [--out DIR] [--forecast DATE] [--force] (epiplan fit -h: all options)
  epiplan plan [FILE] (--vary path=lo:hi|a,b,c … | --size path …) --target T … [--minimize METRIC] (epiplan plan -h: all options)
  epiplan validate FILE
  epiplan list
  epiplan rt COUNTS.csv --si gamma:MEAN,SD [--column NAME] [--imported NAME] [--window DAYS] [--from DATE] [--to DATE] [--every DAYS] [--out DIR] [--force]
  epiplan serve [--addr 127.0.0.1:8080] [--dir DIR] [--max-runs N] [--workers W] [--max-memory SIZE]`

// run is the command with its arguments; it returns the error to report. A
// request for help (-h) is not an error.
func run(args []string, stdout, stderr io.Writer) error {
	err := dispatch(args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the flag package has printed the usage
	}
	return err
}

// dispatch runs the command named by args[0].
func dispatch(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("no command\n" + usage)
	}
	switch args[0] {
	case "run":
		return runCmd(args[1:], stdout, stderr, false)
	case "sweep":
		return runCmd(args[1:], stdout, stderr, true)
	case "merge":
		return mergeCmd(args[1:], stdout, stderr)
	case "reproduce":
		return reproduceCmd(args[1:], stdout, stderr)
	case "fit":
		return fitCmd(args[1:], stdout, stderr)
	case "plan":
		return planCmd(args[1:], stdout, stderr)
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
		load, err := loader(files)
		if err != nil {
			return err
		}
		sc, err := load()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: ok (%s, %s)\n", files[0], scenarios.Plural(len(sc.Strategies), "strategy"), scenarios.Plural(sc.Replications, "replication"))
		return nil
	case "rt":
		return rtCmd(args[1:], stdout, stderr)
	case "serve":
		return serveCmd(args[1:], stdout, stderr)
	case "list":
		return listCmd(stdout)
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

// runFlags are the flags shared by run and sweep.
type runFlags struct {
	fs        *flag.FlagSet
	sets      multi
	out       *string
	reps      *int
	seed      *uint64
	workers   *int
	quiet     *bool
	force     *bool
	maxMemory *string
}

func newRunFlags(name string, stderr io.Writer) *runFlags {
	f := &runFlags{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.fs.SetOutput(stderr)
	f.fs.Var(&f.sets, "set", "path=value: change a field of the scenario (sweep: path=v1,v2,…)")
	f.out = f.fs.String("out", "out", "folder for the outputs")
	f.reps = f.fs.Int("replications", 0, "replications per strategy (default: the file's)")
	f.seed = f.fs.Uint64("seed", 0, "seed (default: the file's)")
	f.workers = f.fs.Int("workers", 0, "parallel workers (default: all cores); results do not depend on it")
	f.quiet = f.fs.Bool("quiet", false, "no progress on standard error")
	f.force = f.fs.Bool("force", false, "replace the output folder if it exists")
	f.maxMemory = f.fs.String("max-memory", "", "refuse a run estimated to need more memory than this (e.g. 4GB; default: the machine's memory)")
	return f
}

// options returns the run options the flags give.
func (f *runFlags) options(stderr io.Writer) (scenarios.RunOptions, error) {
	given := false
	f.fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == "replications" })
	if *f.reps < 0 || *f.reps > scenarios.MaxReplications || given && *f.reps == 0 {
		return scenarios.RunOptions{}, fmt.Errorf("--replications must be from 1 to %d, got %d", scenarios.MaxReplications, *f.reps)
	}
	if *f.workers < 0 {
		return scenarios.RunOptions{}, fmt.Errorf("--workers must be ≥ 0, got %d", *f.workers)
	}
	opts := scenarios.RunOptions{Replications: *f.reps, Workers: *f.workers}
	f.fs.Visit(func(fl *flag.Flag) {
		if fl.Name == "seed" {
			opts.Seed, opts.SeedSet = *f.seed, true
		}
	})
	limit, err := memoryLimit(*f.maxMemory)
	if err != nil {
		return opts, err
	}
	opts.MaxMemory = limit
	if limit > 0 {
		debug.SetMemoryLimit(limit) // the collector works harder near the limit
	}
	if !*f.quiet {
		opts.Progress = newProgress(stderr, isTerminal(stderr), time.Now)
	}
	if hook := testHook; hook != nil {
		opts.Progress = hook
	}
	return opts, nil
}

// testHook, when set by a test, replaces the progress report.
var testHook func(done, total int)

// loader returns the function that reads the scenario named by the
// arguments: the file, a library scenario by name (when no such file
// exists), or the default library scenario.
func loader(files []string) (func() (*scenarios.Scenario, error), error) {
	switch len(files) {
	case 0:
		return func() (*scenarios.Scenario, error) { return scenarios.LibraryScenario(scenarios.DefaultScenario) }, nil
	case 1:
		if _, err := os.Stat(files[0]); err != nil && slices.Contains(scenarios.Library(), files[0]) {
			// A library scenario by name, as epiplan list shows them.
			return func() (*scenarios.Scenario, error) { return scenarios.LibraryScenario(files[0]) }, nil
		}
		return func() (*scenarios.Scenario, error) { return scenarios.Load(files[0]) }, nil
	}
	return nil, errors.New("takes at most one file\n" + usage)
}

// errInterrupted is the error of a command stopped by SIGINT or SIGTERM.
var errInterrupted = errors.New("interrupted")

// interrupted turns the error of a run stopped by a signal into a clear one.
func interrupted(ctx context.Context, err error, out string) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: nothing written to %s", errInterrupted, out)
	}
	return err
}

// signals returns a context that SIGINT or SIGTERM cancels. A command answers
// a signal within a second whatever it is doing: once cancelled it has
// graceTime to return; if it has not (a step of a run that does not look at
// its context), or at a second signal, the process deletes the output folders
// it was writing and exits with status 130 at once.
func signals() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
		case <-done:
			return
		}
		cancel()
		if signalled != nil {
			close(signalled)
		}
		select {
		case <-ch:
		case <-time.After(graceTime):
		case <-done:
			return
		}
		scenarios.RemoveUnfinished()
		fmt.Fprintln(os.Stderr, "epiplan: interrupted: stopped at once; nothing written")
		os.Exit(130)
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
			cancel()
		})
	}
}

// graceTime is how long a cancelled command may take to return before the
// process exits without it.
const graceTime = 500 * time.Millisecond

// signalled, when a test makes it, is closed once a signal has been taken.
var signalled chan struct{}

func runCmd(args []string, stdout, stderr io.Writer, sweep bool) error {
	f := newRunFlags(args0(sweep), stderr)
	shard := f.fs.String("shard", "", "i/n: play only the i-th of n slices of the sweep's points (see epiplan merge); auto/n takes i from a Slurm array or Kubernetes indexed job")
	files, err := parse(f.fs, args)
	if err != nil {
		return err
	}
	load, err := loader(files)
	if err != nil {
		return err
	}
	sc, err := load()
	if err != nil {
		return err
	}
	opts, err := f.options(stderr)
	if err != nil {
		return err
	}
	ctx, stop := signals()
	defer stop()
	if sweep {
		if len(f.sets) == 0 {
			return errors.New("sweep needs at least one --set path=v1,v2…\n" + usage)
		}
		points, err := scenarios.Grid(f.sets)
		if err != nil {
			return err
		}
		sopts := scenarios.SweepOptions{RunOptions: opts}
		if *shard != "" {
			if sopts.Shard, err = parseShard(*shard); err != nil {
				return err
			}
		}
		sopts.Progress = sweepProgress(opts.Progress, points, sopts.Shard)
		// Check every point before playing any, and its memory.
		for _, p := range points {
			psc, err := load()
			if err != nil {
				return err
			}
			for k := range p.Paths {
				if err := psc.Set(p.Paths[k], p.Values[k]); err != nil {
					return fmt.Errorf("point %s: %w", p, err)
				}
			}
			if _, err := scenarios.CheckMemory(psc, opts); err != nil {
				return fmt.Errorf("point %s: %w", p, err)
			}
		}
		var results []scenarios.SweepResult
		err = scenarios.ReplaceDir(*f.out, *f.force, func(tmp string) error {
			results, err = scenarios.Sweep(ctx, load, points, sopts, tmp)
			return err
		})
		if err != nil {
			return interrupted(ctx, err, *f.out)
		}
		what := fmt.Sprintf("%d points → %s/sweep.csv", len(results), *f.out)
		if sopts.Shard.Count > 0 {
			what = fmt.Sprintf("shard %s: %d of %d points → %s (combine the shards with epiplan merge)", sopts.Shard, len(results), len(points), *f.out)
		}
		fmt.Fprintf(stdout, "%s: %s\n", sc.Name, what)
		return nil
	}
	if *shard != "" {
		return errors.New("--shard is for sweep")
	}
	for _, set := range f.sets {
		path, value, ok := strings.Cut(set, "=")
		if !ok {
			return fmt.Errorf("--set %q: want path=value", set)
		}
		if err := sc.Set(path, value); err != nil {
			return err
		}
	}
	return play(ctx, sc, opts, *f.out, *f.force, stdout)
}

// nested reports whether one of two folders is the other or holds it.
func nested(a, b string) (bool, error) {
	abs := func(p string) (string, error) {
		p, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return p + string(filepath.Separator), nil
	}
	x, err := abs(a)
	if err != nil {
		return false, err
	}
	y, err := abs(b)
	if err != nil {
		return false, err
	}
	return strings.HasPrefix(x, y) || strings.HasPrefix(y, x), nil
}

// args0 names the flag set of run or sweep.
func args0(sweep bool) string {
	if sweep {
		return "sweep"
	}
	return "run"
}

// play plays a scenario, writes its outputs into the folder out and prints a
// short summary.
func play(ctx context.Context, sc *scenarios.Scenario, opts scenarios.RunOptions, out string, force bool, stdout io.Writer) error {
	res, err := scenarios.PlayInto(ctx, sc, opts, out, force)
	if err != nil {
		return interrupted(ctx, err, out)
	}
	printResults(stdout, res, out)
	return nil
}

// mergeCmd combines the folders of a sharded sweep.
func mergeCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "out", "folder for the merged sweep")
	force := fs.Bool("force", false, "replace the output folder if it exists")
	dirs, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return errors.New("merge needs the shards' folders\n" + usage)
	}
	for _, d := range dirs {
		if same, err := nested(d, *out); err != nil || same {
			if err != nil {
				return err
			}
			return fmt.Errorf("--out %s: merge into a folder of its own, not into or around the shard %s", *out, d)
		}
	}
	ctx, stop := signals()
	defer stop()
	if err := scenarios.ReplaceDir(*out, *force, func(tmp string) error { return scenarios.Merge(ctx, dirs, tmp) }); err != nil {
		return interrupted(ctx, err, *out)
	}
	fmt.Fprintf(stdout, "merged %d shards → %s/sweep.csv\n", len(dirs), *out)
	return nil
}

// reproduceCmd plays a run again from its output folder's record.
func reproduceCmd(args []string, stdout, stderr io.Writer) error {
	f := newRunFlags("reproduce", stderr)
	check := f.fs.Bool("check", false, "compare every output with the original's and fail on a difference")
	dirs, err := parse(f.fs, args)
	if err != nil {
		return err
	}
	if len(dirs) != 1 {
		return errors.New("reproduce takes one output folder\n" + usage)
	}
	given := false
	f.fs.Visit(func(fl *flag.Flag) {
		given = given || fl.Name == "set" || fl.Name == "seed" || fl.Name == "replications"
	})
	if given {
		return errors.New("reproduce takes its fields, seed and replications from the record")
	}
	if same, err := nested(dirs[0], *f.out); err != nil || same {
		if err != nil {
			return err
		}
		return fmt.Errorf("--out %s: the run is played again into a folder of its own, not into or around %s", *f.out, dirs[0])
	}
	if _, err := os.Stat(filepath.Join(dirs[0], "plan.json")); err == nil {
		ctx, stop := signals()
		defer stop()
		return reproducePlan(ctx, dirs[0], *f.out, *f.force, *check, stdout, stderr)
	}
	sc, opts, err := scenarios.FromRecord(dirs[0])
	if err != nil {
		return err
	}
	if rec, err := scenarios.ReadRecord(dirs[0]); err == nil && !rec.SameProgram() {
		fmt.Fprintf(stderr, "note: %s was made by epiplan %s (%s), not by this program; outputs may differ\n", dirs[0], rec.Epiplan, rec.Go)
	}
	ropts, err := f.options(stderr)
	if err != nil {
		return err
	}
	opts.Workers, opts.Progress, opts.MaxMemory = ropts.Workers, ropts.Progress, ropts.MaxMemory
	ctx, stop := signals()
	defer stop()
	if err := play(ctx, sc, opts, *f.out, *f.force, stdout); err != nil {
		return err
	}
	if !*check {
		return nil
	}
	diffs, err := scenarios.CompareDirs(dirs[0], *f.out)
	if err != nil {
		return err
	}
	if len(diffs) > 0 {
		return fmt.Errorf("not reproduced: %s", strings.Join(diffs, "; "))
	}
	fmt.Fprintf(stdout, "reproduced: every output in %s is byte-identical to %s\n", *f.out, dirs[0])
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
