package bench

import (
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
)

// regenExact rewrites testdata/rescale-exact-1m.json, the exact model's figures
// the rescaled runs are validated against (40 whole epidemics of about 10 s each
// on a quiet machine): go test ./bench -run TestRescaleAgainstExact -regen-exact
var regenExact = flag.Bool("regen-exact", false, "rewrite testdata/rescale-exact-1m.json from exact runs")

// TestRescaleAgainstExact validates the rescaled model (model.Rescale, the
// scenario's defaults) against the exact individual model in a city of a
// million people where both run: 20 replications each of no intervention and of
// mitigation, whole epidemics without a cap, on the same seeds. The means over
// the replications must agree: final size within 1% (relative), the day of the
// peak of new infections within a day, the peak's new infections, severe cases,
// deaths and the most severe cases in hospital within 5%. The exact figures are
// kept in testdata (see -regen-exact): an exact run of this city takes about 10
// s, a rescaled one about 1 s.
func TestRescaleAgainstExact(t *testing.T) {
	if testing.Short() {
		t.Skip("40 whole epidemics in a city of a million")
	}
	const reps, seed = 20, 2022
	sc, cfg, opts := ValidationCity(1_000_000)
	require.Equal(t, 50000, opts.Rescale.Threshold, "the scenario's default rescaling is the one validated")
	names := []string{"no_intervention", "mitigation"}
	golden := "testdata/rescale-exact-1m.json"
	exact := map[string][]EpidemicFigures{}
	if *regenExact {
		exactOpts := opts
		exactOpts.Rescale = model.Rescale{}
		for _, name := range names {
			figs, err := PlayFigures(cfg, exactOpts, strategyNamed(t, sc, name), seed, reps)
			require.NoError(t, err)
			exact[name] = figs
		}
		b, err := json.MarshalIndent(exact, "", " ")
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, append(b, '\n'), 0o644))
	}
	b, err := os.ReadFile(golden)
	require.NoError(t, err, "run with -regen-exact to make it")
	require.NoError(t, json.Unmarshal(b, &exact))
	for _, name := range names {
		got, err := PlayFigures(cfg, opts, strategyNamed(t, sc, name), seed, reps)
		require.NoError(t, err)
		require.Len(t, exact[name], reps, name)
		lines, ok := CompareFigures(got, exact[name])
		for i, l := range lines {
			t.Log(name, l)
			assert.True(t, ok[i], "%s: %s", name, l)
		}
	}
}

func strategyNamed(t *testing.T, sc *scenarios.Scenario, name string) control.Strategy {
	st, err := ScenarioStrategy(sc, name)
	require.NoError(t, err)
	return st
}
