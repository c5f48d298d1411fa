package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// holdRun is a small stochastic simulation whose result depends on every draw:
// a hold model that sums the times of the events it fires.
func holdRun(root Stream) func(context.Context, int) (float64, error) {
	return func(_ context.Context, rep int) (float64, error) {
		s := New()
		r := root.Key(uint64(rep)).Named("hold").Rand()
		sum := 0.0
		var k Kind
		k = s.NewKind("hold", 0, func(e Event) {
			sum += float64(e.Time)
			if s.Fired() < 20000 {
				s.After(Duration(r.ExpFloat64()), k, 0)
			}
		})
		for i := 0; i < 100; i++ {
			s.After(Duration(r.ExpFloat64()), k, 0)
		}
		s.Run()
		return sum, nil
	}
}

func TestReplicateDeterministicAcrossWorkers(t *testing.T) {
	root := NewStream(2024)
	want, err := Replicate(context.Background(), 24, 1, holdRun(root))
	require.NoError(t, err)
	for _, w := range []int{2, 8, 0} {
		got, err := Replicate(context.Background(), 24, w, holdRun(root))
		require.NoError(t, err)
		for i := range want {
			// Bit-identical, not merely close.
			require.Equal(t, math.Float64bits(want[i]), math.Float64bits(got[i]), "workers=%d rep=%d", w, i)
		}
	}
	for i := 1; i < len(want); i++ {
		assert.NotEqual(t, want[0], want[i], "replications draw from different streams")
	}
	other, err := Replicate(context.Background(), 1, 1, holdRun(NewStream(2025)))
	require.NoError(t, err)
	assert.NotEqual(t, want[0], other[0], "a different seed gives a different run")
}

func TestReplicateErrors(t *testing.T) {
	// The error of the lowest-numbered failing replication is reported, whatever
	// the number of workers; a panic becomes an error.
	for _, w := range []int{1, 3, 8} {
		_, err := Replicate(context.Background(), 20, w, func(_ context.Context, rep int) (int, error) {
			switch rep {
			case 5:
				return 0, errors.New("bad five")
			case 6:
				panic("six")
			}
			return rep, nil
		})
		require.Error(t, err)
		if w == 1 {
			assert.EqualError(t, err, "replication 5: bad five")
		} else {
			// With several workers replication 6 may fail first, but 5 still
			// started (they are handed out in order) and is reported.
			assert.Contains(t, err.Error(), "replication 5: bad five")
		}
	}
	_, err := Replicate(context.Background(), 3, 1, func(_ context.Context, rep int) (int, error) {
		if rep == 1 {
			var m map[string]int
			m["x"] = 1
		}
		return 0, nil
	})
	require.ErrorContains(t, err, "replication 1: panic: assignment to entry in nil map")

	_, err = Replicate(context.Background(), -1, 1, func(context.Context, int) (int, error) { return 0, nil })
	require.ErrorContains(t, err, "n must be ≥ 0")
	res, err := Replicate(context.Background(), 0, 4, func(context.Context, int) (int, error) { return 0, nil })
	require.NoError(t, err)
	assert.Empty(t, res)
}

func TestReplicateCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	res, err := Replicate(ctx, 1000, 2, func(ctx context.Context, rep int) (int, error) {
		if started.Add(1) == 10 {
			cancel()
		}
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("stopped: %w", err)
		}
		return rep + 1, nil
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, res, 1000)
	assert.Less(t, int(started.Load()), 20, "no new replication starts after cancellation")
	assert.Equal(t, 1, res[0], "finished replications keep their results")
}

func TestReplicateReportsTheRealFailure(t *testing.T) {
	// Replication 2 fails; replications 0 and 1 are still running and stop with
	// the context's error. The report names replication 2.
	for _, w := range []int{3, 8} {
		started := make(chan struct{}, 3)
		_, err := Replicate(context.Background(), 3, w, func(ctx context.Context, rep int) (int, error) {
			started <- struct{}{}
			if rep == 2 {
				for len(started) < 3 {
					// wait until the others run
				}
				return 0, errors.New("disk full")
			}
			<-ctx.Done()
			return 0, ctx.Err()
		})
		assert.EqualError(t, err, "replication 2: disk full", "workers=%d", w)
	}
}
