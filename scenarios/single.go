package scenarios

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// Clone returns a deep copy of the scenario, whose fields can be changed (with
// [Scenario.Set] or [Scenario.SetNumbers]) without changing s.
func (s *Scenario) Clone() *Scenario {
	c := reflect.New(reflect.TypeOf(*s))
	deepCopy(c.Elem(), reflect.ValueOf(s).Elem())
	cs := c.Interface().(*Scenario)
	cs.sets = slices.Clone(s.sets) // appended to by Set: not shared
	return cs
}

// deepCopy copies src into dst, with new pointers, slices and maps for every
// exported field; unexported fields are copied as they are (shared, read
// only: a distribution's table, the parsed file).
func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			dst.Set(src)
			return
		}
		p := reflect.New(src.Elem().Type())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			dst.Set(src)
			return
		}
		sl := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			deepCopy(sl.Index(i), src.Index(i))
		}
		dst.Set(sl)
	case reflect.Map:
		if src.IsNil() {
			dst.Set(src)
			return
		}
		mp := reflect.MakeMapWithSize(src.Type(), src.Len())
		iter := src.MapRange()
		for iter.Next() {
			v := reflect.New(iter.Value().Type()).Elem()
			deepCopy(v, iter.Value())
			mp.SetMapIndex(iter.Key(), v)
		}
		dst.Set(mp)
	case reflect.Struct:
		dst.Set(src)
		t := src.Type()
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				deepCopy(dst.Field(i), src.Field(i))
			}
		}
	default:
		dst.Set(src)
	}
}

// Number returns the value of the numeric field at a path
// ("population.layers.community", "imports.schedule[0].time"), and whether it
// holds whole numbers (an integer field, such as a count).
func (s *Scenario) Number(path string) (x float64, integer bool, err error) {
	v, err := s.field(path)
	if err != nil {
		return 0, false, err
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return v.Float(), false, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int()), true, nil
	}
	return 0, false, fmt.Errorf("%s: not a number field (it holds %s)", path, v.Type())
}

// SetNumbers sets the numeric fields at paths to values, an integer field to
// its value rounded to the nearest whole number, and checks the scenario again
// (once, after every field is set). A value that is not finite, or does not fit
// an integer field, is an error.
func (s *Scenario) SetNumbers(paths []string, values []float64) error {
	if len(paths) != len(values) {
		return fmt.Errorf("SetNumbers: %d paths and %d values", len(paths), len(values))
	}
	for i, path := range paths {
		x := values[i]
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s: %v is not a finite number", path, x)
		}
		v, err := s.field(path)
		if err != nil {
			return err
		}
		switch v.Kind() {
		case reflect.Float32, reflect.Float64:
			v.SetFloat(x)
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			r := math.Round(x)
			if v.OverflowInt(int64(r)) || math.Abs(r) > 1<<53 {
				return fmt.Errorf("%s: %v does not fit the field", path, x)
			}
			v.SetInt(int64(r))
		default:
			return fmt.Errorf("%s: not a number field (it holds %s)", path, v.Type())
		}
	}
	return s.validate()
}

// StartTime returns the calendar date of day 0 (start_date), and false if the
// scenario has none.
func (s *Scenario) StartTime() (time.Time, bool) {
	if s.StartDate == "" {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", s.StartDate)
	return t, err == nil
}

// RunStrategy runs replication rep of strategy st (one of the scenario's, or
// any other, with switches or not) on the scenario's city and virus, drawing
// from sim.NewStream(seed).Key(rep) as [Play] does, so that it reproduces
// Play's replication rep of the same strategy. The scenario's
// stop_after_community_zero applies.
func (s *Scenario) RunStrategy(ctx context.Context, st control.Strategy, seed uint64, rep int) (*model.Result, error) {
	return s.RunStrategyWith(ctx, st, seed, rep, nil)
}

// RunStrategyWith runs as [Scenario.RunStrategy] does, on the memory of the
// run made before with scratch (nil: none; see [model.Scratch]), which must
// then no longer be used. A program that plays a replication again and again
// (a calibration's evaluations) keeps a Scratch for it.
func (s *Scenario) RunStrategyWith(ctx context.Context, st control.Strategy, seed uint64, rep int, scratch *model.Scratch) (*model.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opts := s.Options()
	opts.Scratch = scratch
	m, err := model.New(s.Config(), sim.NewStream(seed).Key(uint64(rep)), opts)
	if err != nil {
		return nil, err
	}
	if err := m.Add(st.Measures()...); err != nil {
		return nil, fmt.Errorf("strategy %s: %w", st.Name, err)
	}
	if d := s.StopAfterCommunityZero; d > 0 {
		m.Observe(&communityZero{hold: int(math.Ceil(float64(d))), first: -1, last: -1})
	}
	m.Observe(cancel{ctx})
	r := m.Run()
	if err := ctx.Err(); err != nil {
		return nil, err // stopped half-way: not a result
	}
	r.Metrics = append(r.Metrics, s.CostMetrics(st, r)...)
	return r, nil
}

// PlayStrategies is [Play] for a list of strategies given in code (the
// scenario's own strategies are not played): every strategy on the same seeds,
// replication r drawing from sim.NewStream(seed).Key(r) (or Key(opts.Keys[r])).
// The baseline is the
// scenario's if it is one of them, else the first.
func PlayStrategies(ctx context.Context, sc *Scenario, strategies []control.Strategy, opts RunOptions) (*Results, error) {
	if len(strategies) == 0 {
		return nil, fmt.Errorf("no strategy to play")
	}
	reps := sc.Replications
	if opts.Replications > 0 {
		reps = opts.Replications
	}
	keys := firstKeys(reps)
	if opts.Keys != nil {
		if len(opts.Keys) == 0 || len(opts.Keys) > MaxReplications {
			return nil, fmt.Errorf("from 1 to %d replication keys, got %d", MaxReplications, len(opts.Keys))
		}
		for _, k := range opts.Keys {
			if k < 0 {
				return nil, fmt.Errorf("replication key %d: keys are ≥ 0", k)
			}
		}
		keys = opts.Keys
		reps = len(keys)
		opts.Replications = reps
	}
	seed := sc.Seed
	if opts.SeedSet {
		seed = opts.Seed
	}
	res := &Results{Scenario: sc.Name, Description: sc.Description, Sources: sc.Sources, Horizon: sc.Horizon.String(),
		Seed: seed, Replications: reps, MaxInfections: sc.MaxInfections, Baseline: strategies[0].Name, Record: record(sc, seed, keys), source: sc.source}
	for _, st := range strategies {
		if st.Name == sc.Baseline {
			res.Baseline = st.Name
		}
	}
	res.StartDate, _ = sc.StartTime()
	mem, err := CheckMemory(sc, opts)
	if err != nil {
		return nil, err
	}
	// Every (strategy, replication) pair is one task, replication by
	// replication, so that the workers stay busy across the strategies (no
	// idle tail at the end of each) and the progress, with its time estimate,
	// sees every strategy's cost from the start. A run is a pure function of
	// its strategy, seed and key: the order changes no result.
	nst := len(strategies)
	total := reps * nst
	var (
		mu   sync.Mutex
		done int
	)
	runs, err := sim.Replicate(ctx, total, mem.Workers, func(ctx context.Context, i int) (Run, error) {
		st, rep := strategies[i%nst], i/nst
		r, err := sc.RunStrategy(ctx, st, seed, keys[rep])
		if err != nil {
			return Run{}, err
		}
		if opts.Progress != nil {
			mu.Lock()
			done++
			opts.Progress(done, total)
			mu.Unlock()
		}
		return Run{StopReason: r.StopReason, Metrics: r.Metrics, Series: r.Series}, nil
	})
	if re := (*sim.ReplicationError)(nil); errors.As(err, &re) {
		// Say which strategy and replication failed, not the task's index.
		return nil, &runError{strategy: strategies[re.Rep%nst].Name, rep: re.Rep / nst, err: re.Err}
	} else if err != nil {
		return nil, err
	}
	for k, st := range strategies {
		sr := StrategyResult{Name: st.Name, Runs: make([]Run, reps)}
		for rep := range sr.Runs {
			sr.Runs[rep] = runs[rep*nst+k]
		}
		if st.Response != nil {
			sr.Rooms, sr.Beds = st.Response.Quarantine.Rooms, st.Response.Isolation.Beds
		}
		if st.Testing != nil && st.Testing.Lab.RunTime > 0 {
			lab := st.Testing.Lab
			sr.LabPerDay = float64(lab.Instruments*lab.Wells) / float64(lab.RunTime)
		}
		res.Strategies = append(res.Strategies, sr)
	}
	return res, nil
}

// runError is the error of one run of PlayStrategies: its strategy, its
// replication and what went wrong.
type runError struct {
	strategy string
	rep      int
	err      error
}

func (e *runError) Error() string {
	msg := strings.TrimPrefix(e.err.Error(), "strategy "+e.strategy+": ")
	return fmt.Sprintf("strategy %s, replication %d: %s", e.strategy, e.rep, msg)
}

func (e *runError) Unwrap() error { return e.err }

// WriteFile writes the file name in dir through a temporary file renamed into
// place, so that it is either whole or absent; fill writes its content.
func WriteFile(dir, name string, fill func(*bufio.Writer) error) error {
	return writeFile(dir, name, fill)
}

// Version returns the module version of the running binary, or "(devel)".
func Version() string { return version() }
