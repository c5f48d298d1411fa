package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// town is a small city with a slow virus under testing on symptoms, starting on
// a date so that data can be placed on its days.
const town = `name: town
start_date: 2022-10-01
seed: 5
replications: 2
horizon: 30d
population:
  areas: [{name: town, population: 20000}]
  layers:
    household_sar: 0.3
    community: 0.8
    city: 0.4
    groups: []
imports: {initial: 5}
strategies: [{name: mitigation}, {name: no_intervention}]
`

// townData are daily counts from 2022-10-03 (a missing day on the 10th).
func townData() string {
	var b strings.Builder
	b.WriteString("date,cases\n")
	counts := []string{"0", "1", "0", "2", "1", "3", "2", "", "4", "6", "5", "9", "8", "12", "11", "15", "18", "20"}
	for i, c := range counts {
		fmt.Fprintf(&b, "2022-10-%02d,%s\n", 3+i, c)
	}
	return b.String()
}

func TestFitCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "town.yaml")
	data := filepath.Join(dir, "counts.csv")
	require.NoError(t, os.WriteFile(file, []byte(town), 0o644))
	require.NoError(t, os.WriteFile(data, []byte(townData()), 0o644))
	outDir := filepath.Join(dir, "fit")
	var out, errOut bytes.Buffer
	err := run([]string{"fit", file, "--data", data, "--column", "cases", "--fit", "transmission=0.5:2",
		"--likelihood", "poisson", "--bootstrap", "3", "--max-evaluations", "12", "--forecast", "2022-10-15",
		"--forecast-days", "5", "--out", outDir}, &out, &errOut)
	require.NoError(t, err, errOut.String())
	t.Log(out.String())
	assert.Contains(t, out.String(), "town: mitigation fitted to cases 2022-10-03–2022-10-20 (17 days)")
	assert.Contains(t, out.String(), "transmission")

	var fit struct {
		Strategy  string
		Data      struct{ SHA256, Column, From, To string }
		Estimates []struct {
			Path                          string
			Value, IntervalLo, IntervalHi *float64 `json:"-"`
			V                             *float64 `json:"value"`
			Lo                            *float64 `json:"interval_lo"`
			Hi                            *float64 `json:"interval_hi"`
		}
		Curve    []map[string]any
		Forecast struct {
			Strategies []string
			Candidates int
			Keys       []int
		}
	}
	raw, err := os.ReadFile(filepath.Join(outDir, "fit.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &fit))
	assert.Equal(t, "mitigation", fit.Strategy)
	assert.Equal(t, sha([]byte(townData())), fit.Data.SHA256)
	assert.Equal(t, "2022-10-03", fit.Data.From)
	require.Len(t, fit.Estimates, 1)
	e := fit.Estimates[0]
	require.NotNil(t, e.V)
	require.NotNil(t, e.Lo)
	require.NotNil(t, e.Hi)
	assert.True(t, 0.5 <= *e.Lo && *e.Lo <= *e.Hi && *e.Hi <= 2, "interval %v–%v inside the range", *e.Lo, *e.Hi)
	assert.Len(t, fit.Curve, 30, "the fitted curve over the horizon")
	assert.Nil(t, fit.Curve[9]["data"], "a missing day is null")
	assert.Equal(t, []string{"mitigation", "no_intervention"}, fit.Forecast.Strategies)
	// The forecast of 15 October starts from the outbreaks that best match
	// the data of 3–14 October.
	assert.Equal(t, 4*len(fit.Forecast.Keys), fit.Forecast.Candidates)
	assert.Contains(t, out.String(), "Forecast from 2022-10-15 (in "+outDir+"/forecast): outbreaks that match the data before the date")
	for _, f := range []string{"fit.svg", "fit.png", "reproduction.svg", "forecast.png", "fit.html", "forecast/summary.json", "forecast/report.html"} {
		_, err := os.Stat(filepath.Join(outDir, f))
		assert.NoError(t, err, f)
	}
	html, err := os.ReadFile(filepath.Join(outDir, "fit.html"))
	require.NoError(t, err)
	assert.Contains(t, string(html), "<h2>Estimates</h2>")
	assert.Contains(t, string(html), "Forecast from 2022-10-15")
}

func TestFitCommandErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "town.yaml")
	data := filepath.Join(dir, "counts.csv")
	require.NoError(t, os.WriteFile(file, []byte(town), 0o644))
	require.NoError(t, os.WriteFile(data, []byte(townData()), 0o644))
	early := filepath.Join(dir, "early.csv")
	require.NoError(t, os.WriteFile(early, []byte("date,cases\n2022-09-01,1\n2022-09-02,3\n"), 0o644))
	noStart := filepath.Join(dir, "nostart.yaml")
	require.NoError(t, os.WriteFile(noStart, []byte(strings.Replace(town, "start_date: 2022-10-01\n", "", 1)), 0o644))
	pipes := filepath.Join(dir, "pipes.yaml")
	require.NoError(t, os.WriteFile(pipes, []byte(strings.Replace(town, "{name: no_intervention}", "{name: fast_lab, builtin: mitigation, testing: {lab: {instruments: 99, wells: 94, run_time: 3h}}}", 1)), 0o644))
	outDir := filepath.Join(dir, "out")
	base := []string{"--data", data, "--column", "cases", "--out", outDir, "--bootstrap", "0", "--max-evaluations", "5"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"fit", file, "--fit", "transmission=0.5:2"}, "fit needs --data"},
		{append([]string{"fit", file}, base...), "fit needs at least one --fit"},
		{append([]string{"fit", file, "--fit", "transmission"}, base...), `--fit "transmission": want path=lo:hi`},
		{append([]string{"fit", file, "--fit", "transmission=2:1"}, base...), "transmission=2:1: the range must be finite with lo < hi"},
		{append([]string{"fit", file, "--fit", "name=0:1"}, base...), "name: not a number field"},
		{append([]string{"fit", file, "--fit", "population.layers.nope=0:1"}, base...), `no field "nope"`},
		{append([]string{"fit", file, "--fit", "population.layers.household_sar=0:1.5"}, base...), "the scenario is not valid at 1.5"},
		{append([]string{"fit", file, "--fit", "imports.initial=1:1.2"}, base...), "an integer field needs a range holding two whole numbers"},
		{append([]string{"fit", file, "--fit", "observation.rho=0:1"}, base...), "rho must stay in (0, 1]"},
		{append([]string{"fit", file, "--fit", "transmission=0.5:2", "--column", "deaths"}, base[:2]...), `no column named "deaths"`},
		{[]string{"fit", file, "--fit", "transmission=0.5:2", "--data", early, "--column", "cases"}, "no data day to fit"},
		{[]string{"fit", file, "--fit", "transmission=0.5:2", "--data", data, "--column", "cases", "--from", "2022-09-20"}, "are not all in the data"},
		{[]string{"fit", file, "--fit", "transmission=0.5:2", "--data", data, "--column", "cases", "--to", "2022-11-20"}, "are not all in the data"},
		{[]string{"fit", noStart, "--fit", "transmission=0.5:2", "--data", data, "--column", "cases"}, "no start_date"},
		{append([]string{"fit", file, "--fit", "transmission=0.5:2", "--delay", "x"}, base...), `--delay "x"`},
		{append([]string{"fit", file, "--fit", "transmission=0.5:2", "--likelihood", "gauss"}, base...), `likelihood must be "poisson" or "negbin"`},
		{append([]string{"fit", file, "--fit", "transmission=0.5:2", "--series", "deaths"}, base...), `the model has no series "deaths"`},
		{append([]string{"fit", file, "--fit", "transmission=0.5:2", "--strategy", "lockdown"}, base...), `strategy "lockdown" is not one of the scenario's (mitigation, no_intervention)`},
		{append([]string{"fit", file, "--fit", "transmission=0.5:2", "--forecast", "2022-09-01"}, base...), "--forecast 2022-09-01 must be after"},
		// Refused before the fit (CheckForecast says so; the forecast after the fit
		// would fail with "forecast: …"): a lab of another size cannot
		// take over at a switch.
		{append([]string{"fit", pipes, "--fit", "transmission=0.5:2", "--forecast", "2022-10-10"}, base...), "--forecast 2022-10-10: strategy fast_lab cannot take over from mitigation on 2022-10-10"},
	} {
		var out, errOut bytes.Buffer
		err := run(c.args, &out, &errOut)
		if assert.Error(t, err, strings.Join(c.args, " ")) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
	_, err := os.Stat(outDir)
	assert.True(t, os.IsNotExist(err), "nothing written")
}

func TestParseDelay(t *testing.T) {
	d, err := parseDelay("0")
	require.NoError(t, err)
	assert.Equal(t, []float64{1}, d)
	d, err = parseDelay("2")
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 0, 1}, d, "all counted two days later")
	d, err = parseDelay("0.25, 0.75")
	require.NoError(t, err)
	assert.Equal(t, []float64{0.25, 0.75}, d)
	for _, bad := range []string{"-1", "61", "x", "0.5,y"} {
		_, err := parseDelay(bad)
		assert.Error(t, err, bad)
	}
}
