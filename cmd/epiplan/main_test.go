package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tiny = `name: tiny
replications: 2
horizon: 20d
population:
  areas: [{name: town, population: 20000, communities: 2}]
imports: {initial: 3}
strategies: [{name: twenty_measures}, {name: no_intervention}]
`

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiny.yaml")
	require.NoError(t, os.WriteFile(file, []byte(tiny), 0o644))
	var out, errOut bytes.Buffer

	require.NoError(t, run([]string{"validate", file}, &out, &errOut))
	assert.Contains(t, out.String(), "tiny.yaml: ok (2 strategies, 2 replications)")

	out.Reset()
	require.NoError(t, run([]string{"list"}, &out, &errOut))
	assert.Contains(t, out.String(), "fuzhou-2022")
	assert.Contains(t, out.String(), "ninth_edition")

	out.Reset()
	outDir := filepath.Join(dir, "results")
	require.NoError(t, run([]string{"run", file, "--out", outDir, "--seed", "3", "--replications", "2"}, &out, &errOut))
	assert.Contains(t, out.String(), "tiny: 2 strategies × 2 replications (seed 3)")
	for _, f := range []string{"summary.json", "summary.csv", "timeseries.csv"} {
		_, err := os.Stat(filepath.Join(outDir, f))
		assert.NoError(t, err, f)
	}
	assert.Contains(t, errOut.String(), "epiplan: 4 replications done in", "plain progress lines when standard error is not a terminal")
	assert.NotContains(t, errOut.String(), "\r")

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("replications: -1\nstrategies: [{name: mitigation}]\n"), 0o644))
	err := run([]string{"validate", bad}, &out, &errOut)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bad.yaml:1:15: replications: must be from 1 to 10000, got -1")

	for _, args := range [][]string{{}, {"fly"}, {"validate"}, {"run", "a.yaml", "b.yaml"}, {"run", filepath.Join(dir, "missing.yaml")}, {"run", "--replications", "-2"}} {
		err := run(args, &out, &errOut)
		assert.Error(t, err, strings.Join(args, " "))
	}
}

func TestSweepAndSet(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tiny.yaml")
	require.NoError(t, os.WriteFile(file, []byte(tiny), 0o644))
	var out, errOut bytes.Buffer
	outDir := filepath.Join(dir, "sweep")
	require.NoError(t, run([]string{"sweep", file, "--set", "population.layers.community=0.5,1", "--set", "imports.initial=2,4", "--out", outDir}, &out, &errOut))
	assert.Contains(t, out.String(), "tiny: 4 points")
	b, err := os.ReadFile(filepath.Join(outDir, "sweep.csv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	assert.Equal(t, "point,population.layers.community,imports.initial,strategy,metric,median,p05,p95,diff_mean,diff_lo95,diff_hi95,n,capped", lines[0])
	assert.True(t, strings.HasPrefix(lines[len(lines)-1], "4,1,4,no_intervention,"))
	_, err = os.Stat(filepath.Join(outDir, "point-004", "summary.json"))
	assert.NoError(t, err)
	svg, err := os.ReadFile(filepath.Join(outDir, "heatmap-no_intervention-infections.svg"))
	require.NoError(t, err, "a heat map for a sweep over two numeric paths")
	assert.Contains(t, string(svg), "population › layers › community", "a readable axis title")
	assert.Contains(t, string(svg), "imports › initial")

	require.NoError(t, run([]string{"run", file, "--set", "population.layers.community=0.1", "--out", filepath.Join(dir, "r")}, &out, &errOut))
	err = run([]string{"run", file, "--set", "population.layers.community=-1", "--out", filepath.Join(dir, "r2")}, &out, &errOut)
	assert.ErrorContains(t, err, "population.layers.community: must be a finite number ≥ 0, got -1")
	assert.Error(t, run([]string{"sweep", file}, &out, &errOut), "a sweep needs --set")
}
