package scenarios

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNullMeansNone(t *testing.T) {
	// ~ means none wherever it is given (a section, a list, a sub-section);
	// {} changes nothing and keeps the defaults.
	strategy := func(body string) *StrategySpec {
		t.Helper()
		sc, err := Parse("x.yaml", []byte("strategies: [{name: ninth_edition, "+body+"}]\n"))
		require.NoError(t, err, body)
		return &sc.Strategies[0]
	}
	assert.Nil(t, strategy("testing: ~").Testing, "testing: ~")
	assert.Nil(t, strategy("response: ~").Response, "response: ~")
	def := strategy("testing: {}")
	require.NotNil(t, def.Testing)
	assert.NotEmpty(t, def.Testing.Mass, "testing: {} keeps the built-in mass testing")
	assert.Empty(t, strategy("testing: {mass: ~}").Testing.Mass, "mass: ~")
	assert.Empty(t, strategy("testing: {mass: []}").Testing.Mass, "mass: []")
	q := strategy("response: {quarantine: ~}").Response.Quarantine
	assert.Zero(t, q.Centralized, "quarantine: ~")
	assert.Empty(t, q.Tests)
	assert.NotZero(t, strategy("response: {quarantine: {}}").Response.Quarantine.Centralized, "quarantine: {}")
}

func TestValidEdgesRun(t *testing.T) {
	// Files at the edges of what validates run without a panic and end: the
	// longest delays, huge but bounded distributions, a switch at the last
	// moment, imports up to the population.
	for i, body := range []string{
		"disease: {latent: 'fixed(36500)', presymptomatic: 'fixed(36500)', symptomatic: 'fixed(36500)'}",
		"disease: {latent: 'lognormal(mu=-150, sigma=17.8)', presymptomatic: 'empirical(0, 36500)'}",
		"disease: {latent: 'weibull(shape=0.1, scale=0.0001)', symptomatic: 'uniform(lo=0, hi=36500)'}",
		"imports: {initial: 1000, rate: 0}",
		"imports: {initial: 0, rate: 30, until: 36500d}",
		"strategies: [{name: a, builtin: twenty_measures, switch: {at: 36500d, to: b}}, {name: b, builtin: twenty_measures}]",
		"strategies: [{name: ninth_edition, response: {quarantine: {centralized: 36500d, home: 36500d, tests: [36500d]}}}]",
		"strategies: [{name: ninth_edition, testing: {courier: 'fixed(36500)', report: 'exponential(mean=36500)'}}]",
		"stop_after_community_zero: 36500d",
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			file := "replications: 1\nhorizon: 60d\npopulation: {areas: [{name: town, population: 3000}]}\n" + body + "\n"
			if !strings.Contains(body, "imports") {
				file += "imports: {initial: 5}\n"
			}
			if !strings.Contains(body, "strategies") {
				file += "strategies: [{name: ninth_edition}, {name: no_intervention}]\n"
			}
			sc, err := Parse("x.yaml", []byte(file))
			require.NoError(t, err, file)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			assert.NotPanics(t, func() {
				_, err = Play(ctx, sc, RunOptions{Workers: 1})
			})
			assert.NoError(t, err, file)
		})
	}
}

func TestSetSuggestsTheField(t *testing.T) {
	sc, err := Parse("small.yaml", []byte(small))
	require.NoError(t, err)
	assert.EqualError(t, sc.Set("replicatoins", "3"), `--set replicatoins: no field "replicatoins" (did you mean "replications"?)`)
	assert.EqualError(t, sc.Set("population.layers.comunity", "3"), `--set population.layers.comunity: no field "comunity" (did you mean "community"?)`)
	err = sc.Set("replications", "many")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `replications: must be a whole number, got the text "many"`)
	assert.NotContains(t, err.Error(), "unmarshal")
}
