package control

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// TestSweepsChangeNothing plays the ninth edition (three city-wide rounds) with
// collections and deliveries swept together and with an event each: every
// series, metric and infection is the same, and the sweeps fire far fewer
// events. The lab is small (2 instruments), so that the order in which the
// sites' loads reach it decides when an infected tube is run.
func TestSweepsChangeNothing(t *testing.T) {
	run := func(rep uint64, sweeps bool) (*model.Result, uint64) {
		noSweeps = !sweeps
		defer func() { noSweeps = false }()
		m, err := model.New(cityConfig(), sim.NewStream(61).Key(rep), model.Options{Horizon: 60, MaxInfections: 20_000})
		require.NoError(t, err)
		s := NinthEdition()
		s.Testing.Lab.Instruments = 2
		require.NoError(t, m.Add(s.Measures()...))
		r := m.Run()
		return r, m.Sim().Fired()
	}
	for rep := uint64(0); rep < 3; rep++ {
		a, na := run(rep, true)
		b, nb := run(rep, false)
		require.Equal(t, b.Series, a.Series, "rep %d", rep)
		require.Equal(t, len(b.Metrics), len(a.Metrics))
		for i, mb := range b.Metrics {
			// Bit for bit (a metric may be NaN).
			require.Equal(t, mb.Name, a.Metrics[i].Name)
			require.Equal(t, math.Float64bits(mb.Value), math.Float64bits(a.Metrics[i].Value), "rep %d: %s", rep, mb.Name)
		}
		require.Equal(t, b.LineList.All(), a.LineList.All(), "rep %d", rep)
		require.Equal(t, b.StopReason, a.StopReason)
		// At least one round of the city's 60,000 (90% come).
		require.GreaterOrEqual(t, metric(t, a, "tests"), 0.9*60_000, "rep %d: no city-wide round to sweep", rep)
		t.Logf("rep %d: %d events with sweeps, %d without", rep, na, nb)
		// The city's 30 sites are visited about every two hours for three
		// rounds: some 2,000 collections and deliveries, swept by the dozen.
		require.Less(t, na, nb-1500, "rep %d", rep)
	}
}
