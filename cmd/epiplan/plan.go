package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/epiplan/epiplan/plan"
	"github.com/epiplan/epiplan/scenarios"
)

const planUsage = `usage: epiplan plan [FILE] (--vary path=lo:hi|a,b,c … | --size path[=lo:hi] …) --target T … [--minimize METRIC] [options]

Finds the cheapest plan meeting the targets (--vary), or the smallest
capacities meeting them (--size), for one strategy of the scenario, and
writes plan.json, plan.yaml, frontier.csv, frontier.svg/.png, plan.html and
recommended/ (the plan played as epiplan run plays it) into --out.
Targets: metric<=x, mean(metric)<=x, p90(metric)<=x, prob(metric<=x)>=p;
a 0/1 metric bare is a probability (controlled>=0.9). See docs/planning.md.`

// planFlags are the flags of plan.
type planFlags struct {
	fs                        *flag.FlagSet
	vary, size, target, sets  multi
	from                      multi
	minimize, strategy, out   *string
	shard                     *string
	levels, maxCands, minReps *int
	maxReps, finalists, conf  *int
	workers                   *int
	seed, confirmSeed         *uint64
	prob                      *float64
	force, quiet              *bool
	verify, stage             *string
}

func newPlanFlags(stderr io.Writer) *planFlags {
	f := &planFlags{fs: flag.NewFlagSet("plan", flag.ContinueOnError)}
	fs := f.fs
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, planUsage); fs.PrintDefaults() }
	fs.Var(&f.vary, "vary", "path=lo:hi or path=a,b,c: a field the search may change (strategy.… is the planned strategy)")
	fs.Var(&f.size, "size", "path or path=lo:hi: a capacity to size (whole numbers)")
	fs.Var(&f.target, "target", "a target every plan must meet (metric<=x, mean(m)<=x, p90(m)<=x, prob(m<=x)>=p, controlled>=0.9)")
	fs.Var(&f.sets, "set", "path=value: change a field of the scenario before the search")
	fs.Var(&f.from, "from", "a folder of a grid shard (plan --shard): its runs are not played again")
	f.minimize = fs.String("minimize", "total_cost", "the metric whose mean is minimised")
	f.strategy = fs.String("strategy", "", "the strategy planned (default: the only one, or the baseline)")
	f.out = fs.String("out", "plan", "folder for the outputs")
	f.shard = fs.String("shard", "", "i/n: play only the i-th of n slices of the stage (auto/n from Slurm or Kubernetes); without --stage, of the grid stage")
	f.stage = fs.String("stage", "", "play one stage only and write its runs (grid.json) for --from: grid (the first round), search (every round) or confirm (the finalists' confirmation; needs the search's runs in --from)")
	f.levels = fs.Int("levels", 0, "values a range is cut into (default 5)")
	f.maxCands = fs.Int("max-candidates", 0, "most candidates; a larger grid is sampled (default 120)")
	f.minReps = fs.Int("min-replications", 0, "runs of every candidate in the first round (default 8)")
	f.maxReps = fs.Int("max-replications", 0, "runs of a candidate in the last round (default 64)")
	f.finalists = fs.Int("finalists", 0, "candidates confirmed on fresh seeds (default 3)")
	f.conf = fs.Int("confirm", 0, "runs of each finalist's confirmation (default 100)")
	f.seed = fs.Uint64("seed", 0, "root seed of the search (default: the file's)")
	f.confirmSeed = fs.Uint64("confirm-seed", 0, "root seed of the confirmation (default: drawn from the search's seed)")
	f.prob = fs.Float64("probability", 0.9, "the probability a bare target on a metric must hold with (days_to_community_zero<=21)")
	f.workers = fs.Int("workers", 0, "runs at once (default: all cores); results do not depend on it")
	f.force = fs.Bool("force", false, "replace the output folder if it exists")
	f.quiet = fs.Bool("quiet", false, "no progress on standard error")
	f.verify = fs.String("verify", "", "PLAN_DIR: replay the recommended plan of an earlier plan on --confirm runs (default 100) of --seed, into --out, and compare each target with the interval the plan stated")
	return f
}

// record returns the arguments that make the same plan: the file and every
// flag that changes the result, in a fixed order.
func (f *planFlags) record(files []string) []string {
	args := append([]string(nil), files...)
	for _, m := range []struct {
		name string
		v    multi
	}{{"set", f.sets}, {"vary", f.vary}, {"size", f.size}, {"target", f.target}} {
		for _, v := range m.v {
			args = append(args, "--"+m.name, v)
		}
	}
	f.fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "set", "vary", "size", "target", "from", "out", "shard", "stage", "workers", "force", "quiet":
		default:
			args = append(args, "--"+fl.Name+"="+fl.Value.String())
		}
	})
	return args
}

// planCmd runs epiplan plan.
func planCmd(args []string, stdout, stderr io.Writer) error {
	f := newPlanFlags(stderr)
	files, err := parse(f.fs, args)
	if err != nil {
		return err
	}
	if *f.verify != "" {
		if len(files) > 0 {
			return errors.New("plan --verify takes the plan's folder, not a scenario file")
		}
		seed := uint64(7)
		f.fs.Visit(func(fl *flag.Flag) {
			if fl.Name == "seed" {
				seed = *f.seed
			}
		})
		reps := *f.conf
		if reps == 0 {
			reps = 100
		}
		if reps < 2 || reps > scenarios.MaxReplications {
			return fmt.Errorf("--confirm must be from 2 to %d, got %d", scenarios.MaxReplications, reps)
		}
		ctx, stop := signals()
		defer stop()
		return verifyPlan(ctx, *f.verify, *f.out, *f.force, seed, reps, *f.workers, stdout)
	}
	prob, opts, err := f.problem(files, stderr)
	if err != nil {
		return err
	}
	ctx, stop := signals()
	defer stop()
	opts.Stage = *f.stage
	if *f.shard != "" {
		sh, err := parseShard(*f.shard)
		if err != nil {
			return err
		}
		opts.Shard = sh
		if opts.Stage == "" {
			opts.Stage = plan.StageGrid
		}
	}
	var res *plan.Result
	err = scenarios.ReplaceDir(*f.out, *f.force, func(tmp string) error {
		var err error
		if res, err = plan.Search(ctx, prob, opts); err != nil {
			return err
		}
		if opts.Stage != "" {
			return writeGrid(tmp, gridKey(prob, opts, f.record(files)), res.Cache)
		}
		return res.Write(tmp, f.record(files))
	})
	if err != nil {
		return interrupted(ctx, err, *f.out)
	}
	if opts.Stage != "" {
		what := opts.Stage + " stage"
		if opts.Shard.Count > 0 {
			what = fmt.Sprintf("%s shard %s", opts.Stage, opts.Shard)
		}
		fmt.Fprintf(stdout, "%s: %d runs → %s (give the folders to epiplan plan with --from)\n", what, res.Runs, *f.out)
		return nil
	}
	man := res.Manifest(nil)
	fmt.Fprintf(stdout, "%s, strategy %s: %d candidates, %d runs → %s\n", prob.Scenario.Name, prob.Strategy, len(man.Candidates), man.Runs, *f.out)
	if rec := man.Recommended; rec != nil {
		verdict := "meets every target"
		if !rec.MeetsTargets {
			verdict = "MISSES a target (the nearest plan found)"
		}
		fmt.Fprintf(stdout, "  plan: %s — %s on %d fresh runs\n", strings.Join(rec.Sets, " "), verdict, rec.Replications)
		fmt.Fprintf(stdout, "  mean %s %s [%s, %s]\n", prob.Minimize, g(rec.Objective.Value), g(rec.Objective.Lo), g(rec.Objective.Hi))
		for _, t := range rec.Targets {
			fmt.Fprintf(stdout, "  %-40s estimate %s [%s, %s] (n=%d)\n", t.Target, g(t.Value), g(t.Lo), g(t.Hi), t.N)
		}
	}
	return nil
}

func g(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

// problem reads the scenario and the flags into a planning problem.
func (f *planFlags) problem(files []string, stderr io.Writer) (*plan.Problem, plan.Options, error) {
	var opts plan.Options
	load, err := loader(files)
	if err != nil {
		return nil, opts, err
	}
	sc, err := load()
	if err != nil {
		return nil, opts, err
	}
	for _, set := range f.sets {
		path, value, ok := strings.Cut(set, "=")
		if !ok {
			return nil, opts, fmt.Errorf("--set %q: want path=value", set)
		}
		if err := sc.Set(path, value); err != nil {
			return nil, opts, err
		}
	}
	f.fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "seed":
			sc.Seed = *f.seed
		case "confirm-seed":
			opts.ConfirmSeed, opts.ConfirmSeedSet = *f.confirmSeed, true
		}
	})
	p := &plan.Problem{Scenario: sc, Strategy: *f.strategy, Minimize: *f.minimize}
	for _, v := range f.vary {
		k, err := plan.ParseVary(v)
		if err != nil {
			return nil, opts, err
		}
		p.Vary = append(p.Vary, k)
	}
	for _, v := range f.size {
		k, err := plan.ParseSize(v)
		if err != nil {
			return nil, opts, err
		}
		p.Size = append(p.Size, k)
	}
	for _, v := range f.target {
		t, err := plan.ParseTarget(v, *f.prob)
		if err != nil {
			return nil, opts, err
		}
		p.Targets = append(p.Targets, t)
	}
	if *f.workers < 0 {
		return nil, opts, fmt.Errorf("--workers must be ≥ 0, got %d", *f.workers)
	}
	opts.Levels, opts.MaxCandidates, opts.MinReplications = *f.levels, *f.maxCands, *f.minReps
	opts.MaxReplications, opts.Finalists, opts.Confirm, opts.Workers = *f.maxReps, *f.finalists, *f.conf, *f.workers
	if len(f.from) > 0 {
		c, err := readGrids(f.from, gridKey(p, opts, f.record(files)))
		if err != nil {
			return nil, opts, err
		}
		opts.Cache = c
	}
	if !*f.quiet && isTerminal(stderr) || testHook != nil {
		var mu sync.Mutex
		last := ""
		opts.Progress = func(stage string, done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if testHook != nil {
				testHook(done, total)
				return
			}
			const width = 30
			n := done * width / max(1, total)
			if stage != last && last != "" {
				fmt.Fprintln(stderr)
			}
			last = stage
			fmt.Fprintf(stderr, "\r%-8s [%s%s] %d/%d", stage, strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
		}
	}
	return p, opts, nil
}

// gridKey names a grid stage: the command line without the flags that do
// not change its runs. Shards and the plan that reads them must agree.
func gridKey(p *plan.Problem, o plan.Options, args []string) string {
	var keep []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "--finalists=") || strings.HasPrefix(a, "--confirm") || strings.HasPrefix(a, "--max-replications=") {
			continue
		}
		keep = append(keep, a)
	}
	h := sha256.Sum256([]byte(strings.Join(keep, "\x00") + "\x00" + string(p.Scenario.Source())))
	return hex.EncodeToString(h[:])
}

// gridFile is grid.json: the runs of a grid shard.
type gridFile struct {
	Key     string                        `json:"key"`     // the grid stage's key (gridKey)
	Version string                        `json:"version"` // epiplan's version
	Metrics []string                      `json:"metrics"` // the metrics of each run, in order
	Runs    map[string]map[int][]jsonNums `json:"runs"`    // candidate → replication key → metrics
}

// jsonNums is a list of numbers with NaN written as null.
type jsonNums = []scenarios.Num

func writeGrid(dir, key string, c *plan.Cache) error {
	g := gridFile{Key: key, Version: scenarios.Version(), Metrics: c.Metrics, Runs: map[string]map[int][]jsonNums{}}
	for id, runs := range c.Runs {
		g.Runs[id] = map[int][]jsonNums{}
		for k, v := range runs {
			nums := make(jsonNums, len(v))
			for i, x := range v {
				nums[i] = scenarios.Num(x)
			}
			g.Runs[id][k] = []jsonNums{nums}
		}
	}
	return scenarios.WriteFile(dir, "grid.json", func(w *bufio.Writer) error { return json.NewEncoder(w).Encode(g) })
}

func readGrids(dirs []string, key string) (*plan.Cache, error) {
	var c *plan.Cache
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(d, "grid.json"))
		if err != nil {
			return nil, fmt.Errorf("--from %s: %w", d, err)
		}
		var g gridFile
		if err := json.Unmarshal(data, &g); err != nil {
			return nil, fmt.Errorf("--from %s/grid.json: %w", d, err)
		}
		if g.Key != key {
			return nil, fmt.Errorf("--from %s: a grid of another plan (other scenario, fields, targets or options)", d)
		}
		if g.Version != scenarios.Version() {
			return nil, fmt.Errorf("--from %s: made by epiplan %s, not %s", d, g.Version, scenarios.Version())
		}
		if c == nil {
			c = plan.NewCache(g.Metrics)
		}
		for id, runs := range g.Runs {
			if c.Runs[id] == nil {
				c.Runs[id] = map[int][]float64{}
			}
			for k, v := range runs {
				if len(v) != 1 || len(v[0]) != len(g.Metrics) {
					return nil, fmt.Errorf("--from %s/grid.json: a run with the wrong number of metrics", d)
				}
				xs := make([]float64, len(v[0]))
				for i, x := range v[0] {
					xs[i] = float64(x)
				}
				c.Runs[id][k] = xs
			}
		}
	}
	if c == nil {
		return nil, errors.New("--from: no grid")
	}
	return c, nil
}

// reproducePlan makes a plan again from its folder's plan.json.
func reproducePlan(ctx context.Context, dir string, out string, force, check bool, stdout, stderr io.Writer) error {
	_ = ctx
	data, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		return err
	}
	var man plan.Manifest
	if err := json.Unmarshal(data, &man); err != nil {
		return fmt.Errorf("%s/plan.json: %w", dir, err)
	}
	if len(man.Args) == 0 {
		return fmt.Errorf("%s/plan.json: no command line recorded", dir)
	}
	args := append(append([]string(nil), man.Args...), "--out", out, "--quiet")
	if force {
		args = append(args, "--force")
	}
	if err := planCmd(args, stdout, stderr); err != nil {
		return err
	}
	text, err := os.ReadFile(filepath.Join(out, "plan.yaml"))
	if err != nil {
		return err
	}
	if h := sha256.Sum256(text); hex.EncodeToString(h[:]) != man.ScenarioSHA256 {
		return fmt.Errorf("not reproduced: the scenario file has changed since the plan (plan.yaml's SHA-256 differs)")
	}
	if !check {
		return nil
	}
	diffs, err := scenarios.CompareDirs(dir, out)
	if err != nil {
		return err
	}
	if len(diffs) > 0 {
		return fmt.Errorf("not reproduced: %s", strings.Join(diffs, "; "))
	}
	fmt.Fprintf(stdout, "reproduced: every output in %s is byte-identical to %s\n", out, dir)
	return nil
}

// verifyPlan replays the recommended plan of the plan in dir on fresh seeds
// (seed, reps) into out, and compares each target's estimate with the
// interval the plan stated.
func verifyPlan(ctx context.Context, dir, out string, force bool, seed uint64, reps, workers int, stdout io.Writer) error {
	data, err := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err != nil {
		return err
	}
	var man plan.Manifest
	if err := json.Unmarshal(data, &man); err != nil {
		return fmt.Errorf("%s/plan.json: %w", dir, err)
	}
	if man.Recommended == nil {
		return fmt.Errorf("%s/plan.json: no recommended plan", dir)
	}
	text, err := os.ReadFile(filepath.Join(dir, "plan.yaml"))
	if err != nil {
		return err
	}
	if h := sha256.Sum256(text); hex.EncodeToString(h[:]) != man.ScenarioSHA256 {
		return fmt.Errorf("%s/plan.yaml has changed since the plan", dir)
	}
	sc, err := scenarios.Parse(filepath.Join(dir, "plan.yaml"), text)
	if err != nil {
		return err
	}
	for _, set := range man.Recommended.Sets {
		p, v, _ := strings.Cut(set, "=")
		if err := sc.Set(p, v); err != nil {
			return err
		}
	}
	prob := 0.9
	for _, a := range man.Args {
		if v, ok := strings.CutPrefix(a, "--probability="); ok {
			if prob, err = strconv.ParseFloat(v, 64); err != nil {
				return fmt.Errorf("%s/plan.json: %s: %w", dir, a, err)
			}
		}
	}
	var targets []plan.Target
	for _, t := range man.Targets {
		tg, err := plan.ParseTarget(t, prob)
		if err != nil {
			return err
		}
		targets = append(targets, tg)
	}
	var res *scenarios.Results
	err = scenarios.ReplaceDir(out, force, func(tmp string) error {
		var err error
		if res, err = scenarios.Play(ctx, sc, scenarios.RunOptions{Replications: reps, Seed: seed, SeedSet: true, Workers: workers}); err != nil {
			return err
		}
		return res.Write(tmp)
	})
	if err != nil {
		return interrupted(ctx, err, out)
	}
	fmt.Fprintf(stdout, "replay of %s on %d runs of seed %d → %s\n", strings.Join(man.Recommended.Sets, " "), reps, seed, out)
	within := true
	for i, t := range targets {
		e := t.Estimate(res.Strategies[0].Runs)
		st := man.Recommended.Targets[i]
		ok := e.Value >= st.Lo && e.Value <= st.Hi
		within = within && ok
		fmt.Fprintf(stdout, "  %-40s plan %s [%s, %s] (n=%d); replay %s [%s, %s] (n=%d); met %v; within the plan's interval %v\n",
			t.Text, g(st.Value), g(st.Lo), g(st.Hi), st.N, g(e.Value), g(e.Lo), g(e.Hi), e.N, e.Met, ok)
	}
	if !within {
		fmt.Fprintln(stdout, "  a replay estimate falls outside the plan's interval (a 95% interval misses about 1 time in 20)")
	}
	return nil
}
