package plan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// Options say how hard to search; zero values take the defaults.
type Options struct {
	// Levels is the number of values a range is cut into (default 5).
	Levels int
	// MaxCandidates bounds the candidates searched: a larger grid is sampled
	// (a Latin hypercube over the levels, drawn from the seed; default 120).
	MaxCandidates int
	// MinReplications are the replications of every candidate in the first
	// round (default 8); MaxReplications those of the last (default 64).
	// Each round doubles them for the candidates still in the race.
	MinReplications, MaxReplications int
	// Finalists is the number of candidates confirmed (default 3).
	Finalists int
	// Confirm is the number of replications of the confirmation, on fresh
	// seeds (default 100).
	Confirm int
	// ConfirmSeed is the root seed of the confirmation, used if
	// ConfirmSeedSet; by default it is drawn from the scenario's seed, so
	// that no confirmation run shares a random stream with the search's.
	ConfirmSeed    uint64
	ConfirmSeedSet bool // ConfirmSeed was given
	// Workers is the number of runs at once (0: all cores); results do not
	// depend on it.
	Workers int
	// Progress, if not nil, is called after each run with the stage
	// ("search", "size", "confirm"), the runs done and those planned so far
	// in the stage. It may be called from several goroutines, one at a time.
	Progress func(stage string, done, total int)
	// Cache holds runs already played (by the shards of a grid stage); they
	// are not played again.
	Cache *Cache
	// Stage, if not empty, plays one stage of the plan only, into
	// Result.Cache, and Search returns no plan: StageGrid (the first round,
	// for the candidates of Shard), StageSearch (every round, no
	// confirmation) or StageConfirm (the confirmation runs of Shard: the
	// search's runs must all be in Cache).
	Stage string
	Shard scenarios.Shard // the slice of the stage's work played
}

// The stages of a plan that can be played apart (Options.Stage).
const (
	StageGrid    = "grid"
	StageSearch  = "search"
	StageConfirm = "confirm"
)

func (o *Options) defaults() error {
	set := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	set(&o.Levels, 5)
	set(&o.MaxCandidates, 120)
	set(&o.MinReplications, 8)
	set(&o.MaxReplications, 64)
	set(&o.Finalists, 3)
	set(&o.Confirm, 100)
	switch {
	case o.Levels < 2 || o.Levels > MaxLevels:
		return fmt.Errorf("levels must be from 2 to %d, got %d", MaxLevels, o.Levels)
	case o.MaxCandidates < 1 || o.MaxCandidates > scenarios.MaxSweepPoints:
		return fmt.Errorf("max candidates must be from 1 to %d, got %d", scenarios.MaxSweepPoints, o.MaxCandidates)
	case o.MinReplications < 2 || o.MinReplications > o.MaxReplications || o.MaxReplications > scenarios.MaxReplications:
		return fmt.Errorf("replications: want 2 ≤ min (%d) ≤ max (%d) ≤ %d", o.MinReplications, o.MaxReplications, scenarios.MaxReplications)
	case o.Finalists < 1:
		return fmt.Errorf("finalists must be at least 1, got %d", o.Finalists)
	case o.Confirm < 2 || o.Confirm > scenarios.MaxReplications:
		return fmt.Errorf("confirmation replications must be from 2 to %d, got %d", scenarios.MaxReplications, o.Confirm)
	case o.Stage != "" && o.Stage != StageGrid && o.Stage != StageSearch && o.Stage != StageConfirm:
		return fmt.Errorf("stage %q: want grid, search or confirm", o.Stage)
	case o.Stage == StageSearch && o.Shard.Count > 0:
		return errors.New("the search stage cannot be split into shards (the grid and confirm stages can)")
	}
	return nil
}

// Candidate is one plan the search considered: a value for each knob.
type Candidate struct {
	Values []string // by knob, as written in a file
	// Sets are the fields of the planned scenario that make it, as given to
	// --set (path=value).
	Sets []string
	// Replications are the runs played on the search's seeds (keys 0 to
	// Replications−1).
	Replications int
	// Objective is the mean of the metric minimised over those runs.
	Objective Estimate
	// Risk is the share of those runs in which some target's event failed
	// (for a target on a mean, the metric beyond its threshold).
	Risk float64
	// Targets are the estimates of each target over those runs.
	Targets []Estimate
	// Out says why and when the candidate left the race ("" if it stayed to
	// the end).
	Out string
	// Pareto is true for a candidate on the frontier: no other has both a
	// lower objective and a lower risk.
	Pareto bool

	id  string
	sc  *scenarios.Scenario // the planned scenario with the candidate's values; nil until needed
	err error
}

// Confirmed is a finalist played on the confirmation's fresh seeds.
type Confirmed struct {
	Candidate    int        // its index in Result.Candidates
	Replications int        // confirmation runs
	Objective    Estimate   // the mean of the metric minimised
	Targets      []Estimate // each target's estimate with its 95% interval
	Met          bool       // every target is met by its estimate
	Costs        []CostItem // the mean of each cost metric
}

// CostItem is the mean of a cost metric over the confirmation runs.
type CostItem struct {
	Metric string  `json:"metric"` // a metric of scenarios.CostMetricNames
	Mean   float64 `json:"mean"`   // its mean
}

// Result is what a plan found.
type Result struct {
	Problem    *Problem    // the question
	Options    Options     // the settings, defaults filled in
	Seed       uint64      // the root seed of the search
	Candidates []Candidate // every candidate considered, in grid order
	Rounds     []Round     // the search's rounds
	Finalists  []Confirmed // the finalists on the confirmation's seeds, best first
	// Recommended is the index in Finalists of the plan recommended (the
	// cheapest that meets every target on the confirmation), or −1 if none
	// meets them all (Finalists[0] is then the nearest).
	Recommended int
	// Played is the scenario of the recommended (or nearest) plan, played on
	// the confirmation's seeds as epiplan run plays it.
	Played *scenarios.Results
	// Scenario is the planned scenario (the planned strategy alone), and
	// Text its file.
	Scenario *scenarios.Scenario
	Text     []byte // plan.yaml
	// Runs counts the runs played (cached ones not counted).
	Runs int
	// Cache holds the metrics of every run of the search (for a grid stage,
	// what its shard writes).
	Cache *Cache
}

// Round is one round of the race.
type Round struct {
	Replications int `json:"replications"` // per candidate still in the race
	In           int `json:"candidates"`   // candidates played
	Out          int `json:"dropped"`      // candidates that left the race after it
}

// metrics returns the metrics a plan needs from each run.
func (p *Problem) metrics() []string {
	names := []string{p.Minimize}
	for _, t := range p.Targets {
		names = append(names, t.Metric)
	}
	for _, m := range scenarios.CostMetricNames {
		names = append(names, m.Name)
	}
	out := names[:0]
	seen := map[string]bool{}
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// Cache holds the metrics of runs by candidate and replication key.
type Cache struct {
	mu      sync.Mutex
	Metrics []string                     // the metrics held, in order
	Runs    map[string]map[int][]float64 // candidate id → key → values of Metrics
}

// NewCache returns an empty cache of the metrics.
func NewCache(metrics []string) *Cache {
	return &Cache{Metrics: metrics, Runs: map[string]map[int][]float64{}}
}

func (c *Cache) get(id string, key int) ([]float64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.Runs[id][key]
	return v, ok
}

func (c *Cache) put(id string, key int, v []float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Runs[id] == nil {
		c.Runs[id] = map[int][]float64{}
	}
	c.Runs[id][key] = v
}

// searcher holds the state of one search.
type searcher struct {
	p       *Problem
	o       Options
	base    *scenarios.Scenario
	index   int // the planned strategy's index in the original scenario
	seed    uint64
	metrics []string
	cache   *Cache
	paths   []string // knob paths in the planned scenario
	runs    atomic.Int64
}

// Search answers the problem: the cheapest plan meeting the targets (Vary),
// or the smallest capacities meeting them (Size).
//
// Every candidate is played on the same replication keys of the scenario's
// seed (common random numbers), so that their differences are those of the
// plans and not of the outbreaks. The race starts with every candidate on
// MinReplications runs and doubles the runs of those still in it each round,
// up to MaxReplications; after each round it drops a candidate that surely
// fails a target (the 95% interval of its estimate is on the wrong side) or
// is surely dearer than the cheapest sure one (the paired 95% interval of the
// difference of their objectives is above 0), and then, successive halving,
// the worse half of the rest (fewest targets missed, then lowest objective,
// first), keeping at least Finalists. The finalists are played again on a
// fresh seed never searched on, and the cheapest that meets every target
// there is recommended.
func Search(ctx context.Context, p *Problem, o Options) (*Result, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	if p.Minimize == "" {
		p.Minimize = "total_cost"
	}
	if !known(p.Minimize) {
		return nil, fmt.Errorf("--minimize %s: no such metric (see docs/metrics.md)", p.Minimize)
	}
	if len(p.Targets) == 0 {
		return nil, errors.New("plan needs at least one --target")
	}
	if (len(p.Vary) == 0) == (len(p.Size) == 0) {
		return nil, errors.New("plan needs --vary fields or --size capacities (not both)")
	}
	if len(p.Size) > 0 && o.Stage == StageGrid {
		return nil, errors.New("sizing has no grid stage (its points follow one another): play its search, then shard its confirmation")
	}
	base, idx, err := planned(p.Scenario, p.Strategy)
	if err != nil {
		return nil, err
	}
	p.Strategy = base.Strategies[0].Name
	s := &searcher{p: p, o: o, base: base, index: idx, seed: base.Seed, metrics: p.metrics(), cache: o.Cache}
	if s.cache == nil {
		s.cache = NewCache(s.metrics)
	} else if !slices.Equal(s.cache.Metrics, s.metrics) {
		return nil, errors.New("the cached runs are of other metrics: give the same --target and --minimize to every stage")
	}
	res := &Result{Problem: p, Options: o, Seed: s.seed, Recommended: -1, Scenario: base, Text: base.Source(), Cache: s.cache}
	if len(p.Vary) > 0 {
		err = s.race(ctx, res)
	} else {
		err = s.size(ctx, res)
	}
	res.Runs = int(s.runs.Load())
	if err != nil || o.Stage == StageGrid || o.Stage == StageSearch {
		return res, err
	}
	if err := s.confirm(ctx, res); err != nil {
		return res, err
	}
	res.Runs = int(s.runs.Load())
	return res, nil
}

// candidate makes the candidate of the given knob values.
func (s *searcher) candidate(values []string) Candidate {
	c := Candidate{Values: values}
	for k, v := range values {
		c.Sets = append(c.Sets, s.paths[k]+"="+v)
	}
	c.id = strings.Join(c.Sets, "\x00")
	return c
}

// scenario returns the candidate's planned scenario.
func (s *searcher) scenario(c *Candidate) (*scenarios.Scenario, error) {
	if c.sc != nil || c.err != nil {
		return c.sc, c.err
	}
	sc := s.base.Clone()
	for _, set := range c.Sets {
		p, v, _ := strings.Cut(set, "=")
		if err := sc.Set(p, v); err != nil {
			c.err = err
			return nil, err
		}
	}
	c.sc = sc
	return sc, nil
}

// play plays every candidate on keys [0, n) (those not yet played), and
// fills its estimates from its first n runs.
func (s *searcher) play(ctx context.Context, cands []*Candidate, n int, stage string) error {
	type job struct {
		c   *Candidate
		key int
	}
	var jobs []job
	for _, c := range cands {
		if _, err := s.scenario(c); err != nil {
			return fmt.Errorf("candidate %s: %w", strings.Join(c.Sets, " "), err)
		}
		for k := 0; k < n; k++ {
			if _, ok := s.cache.get(c.id, k); !ok {
				jobs = append(jobs, job{c, k})
			}
		}
	}
	if len(jobs) > 0 && s.o.Stage == StageConfirm {
		return fmt.Errorf("the confirm stage needs every run of the search in --from (%d are missing): play the search stage first", len(jobs))
	}
	var done atomic.Int64
	var mu sync.Mutex
	_, err := sim.Replicate(ctx, len(jobs), s.o.Workers, func(ctx context.Context, i int) (struct{}, error) {
		j := jobs[i]
		sc := j.c.sc
		r, err := sc.RunStrategy(ctx, sc.Strategy(0), s.seed, j.key)
		if err != nil {
			return struct{}{}, err
		}
		s.cache.put(j.c.id, j.key, pick(r, s.metrics))
		s.runs.Add(1)
		if s.o.Progress != nil {
			d := int(done.Add(1))
			mu.Lock()
			s.o.Progress(stage, d, len(jobs))
			mu.Unlock()
		}
		return struct{}{}, nil
	})
	if err != nil {
		return err
	}
	for _, c := range cands {
		s.evaluate(c, n)
	}
	return nil
}

// pick returns the values of the metrics of a run (NaN for one it lacks).
func pick(r *model.Result, names []string) []float64 {
	out := make([]float64, len(names))
	for i, n := range names {
		out[i] = math.NaN()
		if v, ok := r.Metric(n); ok {
			out[i] = v
		} else if !strings.HasPrefix(n, "days_to") {
			out[i] = 0 // a measure the strategy lacks used none of it
		}
	}
	return out
}

// column returns the values of metric m of the candidate's first n runs.
func (s *searcher) column(c *Candidate, m string, n int) []float64 {
	j := slices.Index(s.metrics, m)
	out := make([]float64, n)
	for k := 0; k < n; k++ {
		v, _ := s.cache.get(c.id, k)
		out[k] = v[j]
	}
	return out
}

// evaluate fills the candidate's estimates from its first n runs.
func (s *searcher) evaluate(c *Candidate, n int) {
	c.Replications = n
	c.Objective = meanCI(s.column(c, s.p.Minimize, n))
	c.Targets = c.Targets[:0]
	fail := make([]bool, n)
	for _, t := range s.p.Targets {
		xs := s.column(c, t.Metric, n)
		c.Targets = append(c.Targets, t.estimate(xs))
		for k, x := range xs {
			if !t.holds(x) {
				fail[k] = true
			}
		}
	}
	bad := 0
	for _, f := range fail {
		if f {
			bad++
		}
	}
	c.Risk = float64(bad) / float64(n)
}

// status sums up a candidate's targets: surely failed (some target's interval
// is wholly on the wrong side), surely met (every one's wholly on the right
// side), and the number missed by their estimates.
func status(c *Candidate) (surelyFails, surelyMeets bool, missed int) {
	surelyMeets = true
	for _, e := range c.Targets {
		if !e.Met {
			missed++
		}
		if e.Decided && !e.Met {
			surelyFails = true
		}
		if !(e.Decided && e.Met) {
			surelyMeets = false
		}
	}
	return
}

// race runs the search over the grid of the knobs.
func (s *searcher) race(ctx context.Context, res *Result) error {
	var cands []Candidate
	total := 1
	for i := range s.p.Vary {
		k := &s.p.Vary[i]
		p, err := mapPath(k.Path, s.index)
		if err != nil {
			return fmt.Errorf("--vary %w", err)
		}
		given := k.Path
		k.Path = p
		err = k.resolve(s.base, s.o.Levels)
		k.Path = given
		if err != nil {
			return err
		}
		s.paths = append(s.paths, p)
		total *= len(k.Values)
		if total > 1e9 {
			total = 1e9
		}
	}
	for _, vals := range grid(s.p.Vary, total, s.o.MaxCandidates, s.seed) {
		cands = append(cands, s.candidate(vals))
	}
	res.Candidates = cands
	alive := make([]*Candidate, 0, len(cands))
	for i := range cands {
		if s.o.Stage != StageGrid || s.o.Shard.Has(i) {
			alive = append(alive, &cands[i])
		}
	}
	n := s.o.MinReplications
	for round := 1; ; round++ {
		if err := s.play(ctx, alive, n, "search"); err != nil {
			return err
		}
		if s.o.Stage == StageGrid {
			return nil
		}
		rd := Round{Replications: n, In: len(alive)}
		// Drop the sure failures, then those surely dearer than the cheapest
		// sure success (paired on the same keys).
		var best *Candidate
		for _, c := range alive {
			if _, sure, _ := status(c); sure && (best == nil || c.Objective.Value < best.Objective.Value) {
				best = c
			}
		}
		var next []*Candidate
		for _, c := range alive {
			fails, _, _ := status(c)
			switch {
			case fails:
				c.Out = fmt.Sprintf("round %d (%d runs): surely misses a target", round, n)
			case best != nil && c != best && s.surelyDearer(c, best, n):
				c.Out = fmt.Sprintf("round %d (%d runs): surely dearer than %s", round, n, strings.Join(best.Values, ", "))
			default:
				next = append(next, c)
			}
		}
		// Successive halving: keep the better half, at least the finalists.
		sort.SliceStable(next, func(i, j int) bool { return better(next[i], next[j]) })
		if keep := max(s.o.Finalists, (len(next)+1)/2); n < s.o.MaxReplications && len(next) > keep {
			for _, c := range next[keep:] {
				c.Out = fmt.Sprintf("round %d (%d runs): in the worse half", round, n)
			}
			next = next[:keep]
		}
		for _, c := range alive {
			if c.Out != "" {
				c.sc = nil // made again if needed
			}
		}
		rd.Out = len(alive) - len(next)
		res.Rounds = append(res.Rounds, rd)
		alive = next
		if n >= s.o.MaxReplications || len(alive) == 0 || len(alive) <= s.o.Finalists && allSure(alive) {
			break
		}
		n = min(2*n, s.o.MaxReplications)
	}
	if len(alive) == 0 {
		// Every candidate surely misses a target: confirm the nearest.
		all := make([]*Candidate, len(cands))
		for i := range cands {
			all[i] = &cands[i]
		}
		sort.SliceStable(all, func(i, j int) bool { return better(all[i], all[j]) })
		alive = all[:min(len(all), s.o.Finalists)]
	}
	sort.SliceStable(alive, func(i, j int) bool { return better(alive[i], alive[j]) })
	for _, c := range alive[min(len(alive), s.o.Finalists):] {
		c.Out = "not among the finalists"
	}
	pareto(cands)
	return nil
}

// allSure reports whether every candidate surely meets or surely fails its
// targets.
func allSure(cs []*Candidate) bool {
	for _, c := range cs {
		fails, meets, _ := status(c)
		if !fails && !meets {
			return false
		}
	}
	return true
}

// better orders candidates: fewer targets missed, then the lower objective.
func better(a, b *Candidate) bool {
	_, _, ma := status(a)
	_, _, mb := status(b)
	if ma != mb {
		return ma < mb
	}
	return a.Objective.Value < b.Objective.Value
}

// surelyDearer reports whether the 95% interval of the paired difference of
// the objective of c and best, on their first n runs, is above 0.
func (s *searcher) surelyDearer(c, best *Candidate, n int) bool {
	x, y := s.column(c, s.p.Minimize, n), s.column(best, s.p.Minimize, n)
	d := make([]float64, n)
	for k := range d {
		d[k] = x[k] - y[k]
	}
	e := meanCI(d)
	return e.N >= 2 && e.Lo > 0
}

// pareto marks the candidates no other beats on both objective and risk.
func pareto(cands []Candidate) {
	for i := range cands {
		a := &cands[i]
		if a.Replications == 0 || math.IsNaN(a.Objective.Value) {
			continue
		}
		a.Pareto = true
		for j := range cands {
			b := &cands[j]
			if b.Replications == 0 || i == j || math.IsNaN(b.Objective.Value) {
				continue
			}
			if b.Objective.Value <= a.Objective.Value && b.Risk <= a.Risk && (b.Objective.Value < a.Objective.Value || b.Risk < a.Risk) {
				a.Pareto = false
				break
			}
		}
	}
}

// grid returns every combination of the knobs' values (the last knob
// varying fastest) or, if there are more than max, max of them drawn as a
// Latin hypercube over the levels from the seed: each level of each knob
// equally often.
func grid(knobs []Knob, total, maxN int, seed uint64) [][]string {
	if total <= maxN {
		out := [][]string{{}}
		for _, k := range knobs {
			var next [][]string
			for _, p := range out {
				for _, v := range k.Values {
					next = append(next, append(slices.Clone(p), v))
				}
			}
			out = next
		}
		return out
	}
	rng := rand.New(rand.NewPCG(seed, 0x706c616e)) // "plan"
	out := make([][]string, maxN)
	for _, k := range knobs {
		perm := rng.Perm(maxN)
		for i := range out {
			out[i] = append(out[i], k.Values[perm[i]*len(k.Values)/maxN])
		}
	}
	// No candidate twice.
	seen := map[string]bool{}
	uniq := out[:0]
	for _, v := range out {
		id := strings.Join(v, "\x00")
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, v)
		}
	}
	return uniq
}

// confirm plays the finalists on a fresh seed and picks the plan.
func (s *searcher) confirm(ctx context.Context, res *Result) error {
	seed := s.confirmSeed()
	var finals []int
	for i := range res.Candidates {
		if res.Candidates[i].Out == "" && res.Candidates[i].Replications > 0 {
			finals = append(finals, i)
		}
	}
	sort.SliceStable(finals, func(a, b int) bool { return better(&res.Candidates[finals[a]], &res.Candidates[finals[b]]) })
	// The confirmation runs, through the cache (a shard of the confirm stage
	// plays its slice of them).
	type job struct {
		c   *Candidate
		id  string
		key int
	}
	var jobs []job
	for fi, i := range finals {
		c := &res.Candidates[i]
		if _, err := s.scenario(c); err != nil {
			return err
		}
		id := confirmID(seed, c)
		for k := 0; k < s.o.Confirm; k++ {
			if s.o.Stage == StageConfirm && !s.o.Shard.Has(fi*s.o.Confirm+k) {
				continue
			}
			if _, ok := s.cache.get(id, k); !ok {
				jobs = append(jobs, job{c, id, k})
			}
		}
	}
	var done atomic.Int64
	var mu sync.Mutex
	_, err := sim.Replicate(ctx, len(jobs), s.o.Workers, func(ctx context.Context, j int) (struct{}, error) {
		jb := jobs[j]
		r, err := jb.c.sc.RunStrategy(ctx, jb.c.sc.Strategy(0), seed, jb.key)
		if err != nil {
			return struct{}{}, err
		}
		s.cache.put(jb.id, jb.key, pick(r, s.metrics))
		s.runs.Add(1)
		if s.o.Progress != nil {
			d := int(done.Add(1))
			mu.Lock()
			s.o.Progress("confirm", d, len(jobs))
			mu.Unlock()
		}
		return struct{}{}, nil
	})
	if err != nil {
		return err
	}
	if s.o.Stage == StageConfirm {
		return nil
	}
	for _, i := range finals {
		c := &res.Candidates[i]
		id := confirmID(seed, c)
		col := func(m string) []float64 {
			j := slices.Index(s.metrics, m)
			xs := make([]float64, s.o.Confirm)
			for k := range xs {
				v, _ := s.cache.get(id, k)
				xs[k] = v[j]
			}
			return xs
		}
		cf := Confirmed{Candidate: i, Replications: s.o.Confirm, Objective: meanCI(col(s.p.Minimize)), Met: true}
		for _, t := range s.p.Targets {
			e := t.estimate(col(t.Metric))
			cf.Targets = append(cf.Targets, e)
			cf.Met = cf.Met && e.Met
		}
		for _, m := range scenarios.CostMetricNames {
			cf.Costs = append(cf.Costs, CostItem{m.Name, meanCI(col(m.Name)).Value})
		}
		res.Finalists = append(res.Finalists, cf)
	}
	// Best first: those that meet every target, cheapest first; then the rest
	// by targets missed and objective.
	order := make([]int, len(res.Finalists))
	for i := range order {
		order[i] = i
	}
	missed := func(c Confirmed) int {
		n := 0
		for _, e := range c.Targets {
			if !e.Met {
				n++
			}
		}
		return n
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := res.Finalists[order[a]], res.Finalists[order[b]]
		if mx, my := missed(x), missed(y); mx != my {
			return mx < my
		}
		return x.Objective.Value < y.Objective.Value
	})
	sorted := make([]Confirmed, len(order))
	for k, i := range order {
		sorted[k] = res.Finalists[i]
	}
	res.Finalists = sorted
	if len(sorted) == 0 {
		return nil
	}
	if sorted[0].Met {
		res.Recommended = 0
	}
	// The recommended plan played as epiplan run plays it, on the
	// confirmation's seed: the same runs as its confirmation.
	c := &res.Candidates[sorted[0].Candidate]
	sc, err := s.scenario(c)
	if err != nil {
		return err
	}
	opts := scenarios.RunOptions{Replications: s.o.Confirm, Seed: seed, SeedSet: true, Workers: s.o.Workers}
	var ticks atomic.Int64
	played, err := playCounted(ctx, sc, opts, func() {
		if s.o.Progress != nil {
			s.o.Progress("report", int(ticks.Add(1)), s.o.Confirm)
		}
	})
	if err != nil {
		return err
	}
	s.runs.Add(int64(s.o.Confirm))
	res.Played = played
	return nil
}

// confirmSeed returns the root seed of the confirmation.
func (s *searcher) confirmSeed() uint64 {
	if s.o.ConfirmSeedSet {
		return s.o.ConfirmSeed
	}
	return ConfirmSeed(s.seed)
}

// ConfirmSeed returns the default root seed of the confirmation of a search
// on seed: a different stream root, so that no confirmation run repeats a
// search run.
func ConfirmSeed(seed uint64) uint64 {
	return sim.NewStream(seed).Key(0x636f6e6669726d).Uint64() // "confirm"
}

// playCounted plays the scenario with Play, calling tick after each
// replication.
func playCounted(ctx context.Context, sc *scenarios.Scenario, opts scenarios.RunOptions, tick func()) (*scenarios.Results, error) {
	last := 0
	opts.Progress = func(done, total int) {
		for ; last < done; last++ {
			tick()
		}
	}
	return scenarios.Play(ctx, sc, opts)
}

// sha returns the hex SHA-256 of data.
func sha(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// Column returns the values of a metric in runs, by replication: NaN where
// a time (days_to_…) is undefined, 0 for a count or a cost of a measure the
// strategy lacks.
func Column(runs []scenarios.Run, metric string) []float64 {
	xs := make([]float64, len(runs))
	for k, r := range runs {
		xs[k] = math.NaN()
		found := false
		for _, mt := range r.Metrics {
			if mt.Name == metric {
				xs[k], found = mt.Value, true
			}
		}
		if !found && !strings.HasPrefix(metric, "days_to") {
			xs[k] = 0
		}
	}
	return xs
}

// Estimate returns the target's estimate, with its 95% interval, over the
// values of its metric in runs.
func (t Target) Estimate(runs []scenarios.Run) Estimate {
	return t.estimate(Column(runs, t.Metric))
}

// confirmID is the cache's name of the confirmation runs of a candidate on a
// seed.
func confirmID(seed uint64, c *Candidate) string {
	return "confirm\x00" + strconv.FormatUint(seed, 10) + "\x00" + c.id
}
