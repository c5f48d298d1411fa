package scenarios

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// TestRescaleKeepsSmallRunsExact checks that rescaling changes nothing in runs
// that stay below its threshold: the library's four strategies on the
// fuzhou-2022 city (2 replications of 40 days, up to 4,000 infections), with the default
// rescaling and without, give the same result bit for bit (every metric, every
// daily series, every infection of the line list); with a threshold of 3,000,
// the runs that stay below it are still the exact ones and the others rescale.
func TestRescaleKeepsSmallRunsExact(t *testing.T) {
	sc, err := LibraryScenario("fuzhou-2022")
	require.NoError(t, err)
	cfg := sc.Config()
	opts := sc.Options()
	opts.MaxInfections, opts.Horizon = 4000, 40
	exactOpts := opts
	exactOpts.Rescale = model.Rescale{}
	small := opts
	small.Rescale.Threshold = 3000
	rescaled := 0
	for i := range sc.Strategies {
		st := sc.Strategy(i)
		for r := uint64(0); r < 2; r++ {
			run := func(o model.Options) (*model.Result, *model.Model) {
				m, err := model.New(cfg, sim.NewStream(sc.Seed).Key(r), o)
				require.NoError(t, err)
				require.NoError(t, m.Add(st.Measures()...))
				return m.Run(), m
			}
			a, _ := run(exactOpts)
			b, mb := run(opts)
			require.Equal(t, fingerprint(a), fingerprint(b), "%s, replication %d: the default rescaling changed the run", st.Name, r)
			require.False(t, mb.Rescaled(), "%s, replication %d", st.Name, r)
			c, mc := run(small)
			if v, _ := a.Metric("infections"); v < 3000 {
				require.Equal(t, fingerprint(a), fingerprint(c), "%s, replication %d: a run below the threshold changed", st.Name, r)
				require.False(t, mc.Rescaled())
			} else {
				require.True(t, mc.Rescaled(), "%s, replication %d: a run past the threshold did not rescale", st.Name, r)
				rescaled++
			}
		}
	}
	require.Positive(t, rescaled, "some run passes the threshold")
}

// fingerprint returns everything a run produced, as text.
func fingerprint(res *model.Result) string {
	s := fmt.Sprintf("%s %v %d %v %v\n", res.StopReason, res.End, res.Days, res.Metrics, res.MeanOffspring)
	for i, n := range res.Series.Names {
		s += fmt.Sprintf("%s %v\n", n, res.Series.Values[i])
	}
	for i := 0; i < res.LineList.Len(); i++ {
		s += fmt.Sprintf("%+v\n", *res.LineList.At(i))
	}
	return s
}
