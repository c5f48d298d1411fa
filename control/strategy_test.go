package control

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

func TestBuiltinStrategies(t *testing.T) {
	// Each built-in strategy attaches to a city and runs; on the same seeds, the
	// dynamic-zero protocols end with far fewer infections than no intervention,
	// and mitigation slows the start. Three paired replications.
	assert.Equal(t, []string{"mitigation", "ninth_edition", "no_intervention", "twenty_measures"}, BuiltinStrategies())
	_, err := BuiltinStrategy("lockdown_forever")
	assert.ErrorContains(t, err, `unknown strategy "lockdown_forever"`)
	mean := map[string]float64{}
	early := map[string]float64{} // infections in the first 25 days, before any cap
	for _, name := range BuiltinStrategies() {
		s, err := BuiltinStrategy(name)
		require.NoError(t, err)
		require.Equal(t, name, s.Name)
		for rep := 0; rep < 3; rep++ {
			m, err := model.New(cityConfig(), sim.NewStream(51).Key(uint64(rep)), model.Options{Horizon: 90, MaxInfections: 20_000})
			require.NoError(t, err)
			require.NoError(t, m.Add(s.Measures()...), name)
			res := m.Run()
			mean[name] += metric(t, res, "infections") / 3
			ni := res.Series.Get("new_infections")
			for d := 0; d < 25 && d < len(ni); d++ {
				early[name] += ni[d] / 3
			}
		}
	}
	t.Logf("mean infections: %v; in the first 25 days: %v", mean, early)
	assert.Less(t, mean["ninth_edition"], mean["no_intervention"]/4)
	assert.Less(t, mean["twenty_measures"], mean["no_intervention"]/4)
	assert.Less(t, early["mitigation"], early["no_intervention"], "home isolation of tested cases slows the start")
}

func TestEveryMetricIsDocumented(t *testing.T) {
	// A run with the testing pipeline and the response reports exactly the
	// metrics of the documented table, each once.
	s := NinthEdition()
	m, err := model.New(cityConfig(), sim.NewStream(52).Key(0), model.Options{Horizon: 30})
	require.NoError(t, err)
	require.NoError(t, m.Add(s.Measures()...))
	res := m.Run()
	documented := map[string]bool{}
	for _, mi := range slices.Concat(model.MetricNames, MetricNames) {
		require.False(t, documented[mi.Name], "%s documented twice", mi.Name)
		documented[mi.Name] = true
		require.NotEmpty(t, mi.Unit, mi.Name)
		require.NotEmpty(t, mi.Definition, mi.Name)
	}
	seen := map[string]bool{}
	for _, mt := range res.Metrics {
		assert.True(t, documented[mt.Name], "metric %s is not documented", mt.Name)
		assert.False(t, seen[mt.Name], "metric %s reported twice", mt.Name)
		seen[mt.Name] = true
	}
	for name := range documented {
		assert.True(t, seen[name], "documented metric %s is not reported", name)
	}
	assert.Equal(t, total(res.Series.Get("swabs")), metric(t, res, "tests"))
}
