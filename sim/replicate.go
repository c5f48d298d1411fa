package sim

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// Replicate runs n independent replications of run on up to workers goroutines
// (all cores when workers ≤ 0) and returns their results indexed by replication.
//
// Each replication must be a pure function of its index (derive its randomness
// from a root [Stream] with Key(rep)); then the results are the same for any number
// of workers. Replications are handed out in index order.
//
// If a replication returns an error or ctx is cancelled, no new replication starts,
// the running ones see their context cancelled, and Replicate returns the error of
// the lowest-numbered failed replication, preferring real failures to
// cancellations (or ctx's error), so the reported error does not depend on
// scheduling either. Results of replications that finished are
// still returned.
func Replicate[T any](ctx context.Context, n, workers int, run func(ctx context.Context, rep int) (T, error)) ([]T, error) {
	if n < 0 {
		return nil, fmt.Errorf("sim: Replicate: n must be ≥ 0, got %d", n)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > n {
		workers = n
	}
	results := make([]T, n)
	errs := make([]error, n)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu   sync.Mutex
		next int
		wg   sync.WaitGroup
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= n || ctx.Err() != nil {
			return 0, false
		}
		next++
		return next - 1, true
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				rep, ok := take()
				if !ok {
					return
				}
				r, err := runOne(ctx, rep, run)
				results[rep], errs[rep] = r, err
				if err != nil {
					cancel()
				}
			}
		}()
	}
	wg.Wait()
	// The lowest-numbered real failure: replications that stopped because another
	// failed (and said so with the context's error) come second.
	first := -1
	for rep, err := range errs {
		if err == nil {
			continue
		}
		if first < 0 {
			first = rep
		}
		if !errors.Is(err, context.Canceled) {
			return results, &ReplicationError{Rep: rep, Err: err}
		}
	}
	if first >= 0 {
		return results, &ReplicationError{Rep: first, Err: errs[first]}
	}
	if next < n {
		// Cancelled from outside before every replication started.
		return results, context.Cause(ctx)
	}
	return results, nil
}

// ReplicationError is the error Replicate returns for a failed replication
// (a panic included): its index, so that a caller that maps indices to its
// own tasks can say which failed, and the error.
type ReplicationError struct {
	Rep int   // the replication's index
	Err error // what went wrong
}

// Error says which replication failed and why.
func (e *ReplicationError) Error() string { return fmt.Sprintf("replication %d: %v", e.Rep, e.Err) }

// Unwrap returns the replication's error.
func (e *ReplicationError) Unwrap() error { return e.Err }

// runOne runs one replication and turns a panic into an error, so that one bad
// replication cannot take down a whole batch.
func runOne[T any](ctx context.Context, rep int, run func(context.Context, int) (T, error)) (r T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return run(ctx, rep)
}
