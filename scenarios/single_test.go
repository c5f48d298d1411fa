package scenarios

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/control"
)

func TestCloneIsDeep(t *testing.T) {
	sc, err := Parse("small.yaml", []byte(small))
	require.NoError(t, err)
	c := sc.Clone()
	require.NoError(t, c.Set("strategies[0].response.quarantine.centralized", "3d"))
	require.NoError(t, c.Set("population.areas[1].population", "1000"))
	require.NoError(t, c.Set("resources.lab.instruments", "5"))
	assert.EqualValues(t, 7, sc.Strategies[0].Response.Quarantine.Centralized)
	assert.EqualValues(t, 3, c.Strategies[0].Response.Quarantine.Centralized)
	assert.Equal(t, 20000, sc.Population.Areas[1].Population)
	assert.Equal(t, 20, sc.Resources.Lab.Instruments)
	// A clone runs as the original.
	a, err := sc.RunStrategy(context.Background(), sc.Strategy(0), 3, 1)
	require.NoError(t, err)
	b, err := sc.Clone().RunStrategy(context.Background(), sc.Clone().Strategy(0), 3, 1)
	require.NoError(t, err)
	assert.Equal(t, a.Series, b.Series)
}

func TestNumbers(t *testing.T) {
	sc, err := Parse("small.yaml", []byte(small))
	require.NoError(t, err)
	x, integer, err := sc.Number("imports.initial")
	require.NoError(t, err)
	assert.Equal(t, 5.0, x)
	assert.True(t, integer)
	x, integer, err = sc.Number("population.layers.community")
	require.NoError(t, err)
	assert.Equal(t, 2.3, x) // model.DefaultConfig
	assert.False(t, integer)

	// Integers are rounded; everything is checked once at the end.
	require.NoError(t, sc.SetNumbers([]string{"imports.initial", "population.layers.community"}, []float64{7.6, 1.25}))
	assert.Equal(t, 8, sc.Imports.Initial)
	assert.Equal(t, 1.25, sc.Population.Layers.Community)

	for _, c := range []struct {
		path string
		x    float64
		want string
	}{
		{"name", 1, "name: not a number field (it holds string)"},
		{"population.layers", 1, "not a number field"},
		{"population.layers.nope", 1, `no field "nope"`},
		{"imports.schedule[0].time", 1, "no element 0"},
		{"population.layers.community", math.NaN(), "not a finite number"},
		{"imports.initial", 1e300, "does not fit"},
		{"population.layers.community", -1, "population.layers.community: must be a finite number ≥ 0"},
	} {
		err := sc.Clone().SetNumbers([]string{c.path}, []float64{c.x})
		if assert.Error(t, err, c.path) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
}

func TestRunStrategyIsPlay(t *testing.T) {
	// RunStrategy reproduces Play's replications, and PlayStrategies plays what
	// it is given on the same seeds.
	sc, err := Parse("small.yaml", []byte(small))
	require.NoError(t, err)
	res, err := Play(context.Background(), sc, RunOptions{Replications: 2})
	require.NoError(t, err)
	for rep := 0; rep < 2; rep++ {
		r, err := sc.RunStrategy(context.Background(), sc.Strategy(0), sc.Seed, rep)
		require.NoError(t, err)
		assert.Equal(t, res.Strategies[0].Runs[rep].Series, r.Series)
	}
	again, err := PlayStrategies(context.Background(), sc, []control.Strategy{sc.Strategy(2), sc.Strategy(0)}, RunOptions{Replications: 2})
	require.NoError(t, err)
	assert.Equal(t, "no_intervention", again.Baseline)
	assert.Equal(t, res.Strategies[0].Runs, again.Strategies[1].Runs)
	assert.Equal(t, res.Strategies[2].Runs, again.Strategies[0].Runs)

	// Keys choose the replications played, a key as often as it is given,
	// and the record holds their streams.
	keyed, err := PlayStrategies(context.Background(), sc, []control.Strategy{sc.Strategy(0)}, RunOptions{Keys: []int{1, 1, 0}})
	require.NoError(t, err)
	assert.Equal(t, 3, keyed.Replications)
	runs := keyed.Strategies[0].Runs
	assert.Equal(t, []Run{res.Strategies[0].Runs[1], res.Strategies[0].Runs[1], res.Strategies[0].Runs[0]}, runs)
	assert.Equal(t, []string{res.Record.Keys[1], res.Record.Keys[1], res.Record.Keys[0]}, keyed.Record.Keys)
	for _, bad := range [][]int{{}, {-1}} {
		_, err := PlayStrategies(context.Background(), sc, []control.Strategy{sc.Strategy(0)}, RunOptions{Keys: bad})
		assert.Error(t, err, "keys %v", bad)
	}
}

func TestStrategySwitchInAFile(t *testing.T) {
	// "switch" hands a strategy over to another of the file: the switched
	// strategy is the first until day 10 and the second after.
	file := strings.Replace(small, "baseline:", `  - name: ninth_then_none
    builtin: ninth_edition
    switch: {at: 10d, to: no_intervention}
baseline:`, 1)
	sc, err := Parse("switch.yaml", []byte(file))
	require.NoError(t, err)
	st := sc.Strategy(3)
	require.NotNil(t, st.Switch)
	assert.EqualValues(t, 10, st.Switch.At)
	assert.Equal(t, "no_intervention", st.Switch.To.Name)
	a, err := sc.RunStrategy(context.Background(), sc.Strategy(0), 1, 0)
	require.NoError(t, err)
	b, err := sc.RunStrategy(context.Background(), st, 1, 0)
	require.NoError(t, err)
	assert.Equal(t, a.Series.Get("new_infections")[:10], b.Series.Get("new_infections")[:10])

	for _, c := range []struct{ sw, want string }{
		{"{at: 10d, to: nobody}", `switch.yaml:24:27: `},
		{"{at: 10d, to: nobody}", `strategies[3].switch.to: "nobody" is not one of the strategies`},
		{"{at: 10d, to: ninth_then_none}", "the switches run in a loop: ninth_then_none → ninth_then_none"},
		{"{at: 0d, to: no_intervention}", "strategies[3].switch.at: must be a finite time after day 0"},
		{"{at: 10d, to: no_intervention, when: 3}", `unknown field "when"`},
	} {
		file := strings.Replace(small, "baseline:", "  - name: ninth_then_none\n    builtin: ninth_edition\n    switch: "+c.sw+"\nbaseline:", 1)
		_, err := Parse("switch.yaml", []byte(file))
		if assert.Error(t, err, c.sw) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
}
