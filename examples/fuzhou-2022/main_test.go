package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEndToEnd plays the library scenario with 2 replications, stopping runs
// at 5,000 infections (the file stops them at 100,000) to keep the test quick,
// and checks the outputs a planner reads.
func TestEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	var out, log bytes.Buffer
	require.NoError(t, run(&out, &log, 2, 2, dir, "max_infections=5000"))

	for _, f := range []string{"report.html", "summary.json", "summary.csv", "timeseries.csv", "infections.png", "infections.svg"} {
		st, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err, f)
		assert.Positive(t, st.Size(), f)
	}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	require.NoError(t, err)
	var sum struct {
		Scenario     string `json:"scenario"`
		Replications int    `json:"replications"`
		Strategies   []struct {
			Name        string         `json:"name"`
			StopReasons map[string]int `json:"stop_reasons"`
			Metrics     map[string]struct {
				Median float64 `json:"median"`
			} `json:"metrics"`
		} `json:"strategies"`
	}
	require.NoError(t, json.Unmarshal(data, &sum))
	assert.Equal(t, "fuzhou-2022", sum.Scenario)
	assert.Equal(t, 2, sum.Replications)
	got := map[string]float64{}
	for _, st := range sum.Strategies {
		got[st.Name] = st.Metrics["infections"].Median
		if st.Name == "no_intervention" {
			// With R0 about 5 and nothing done, every run reaches the cap.
			assert.Equal(t, map[string]int{"max_infections": 2}, st.StopReasons)
		}
	}
	assert.Len(t, got, 4)
	assert.Equal(t, 5000.0, got["no_intervention"])
	// The ninth edition as practised keeps the outbreak to thousands, of the
	// order of Fujian's (about two thousand infections reported from 20
	// October to 20 November 2022); with the published generation interval
	// of 3 days one of these two runs reaches the cap of 5,000.
	assert.Less(t, got["ninth_edition"], 0.75*got["no_intervention"], "the ninth edition holds the outbreak")
	assert.Greater(t, got["ninth_edition"], 300.0, "an outbreak of Fujian's order")

	text := out.String()
	assert.Contains(t, text, "2 replications of each strategy, seed 2022")
	assert.Contains(t, text, "no_intervention  5000 [5000, 5000]")
	assert.Contains(t, text, "2 of 2")
	assert.Contains(t, text, filepath.Join(dir, "report.html"))
	assert.Contains(t, log.String(), "played 8 of 8 runs")
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	assert.ErrorContains(t, run(io.Discard, io.Discard, 0, 1, dir), "-replications must be at least 1, got 0")
	err := run(io.Discard, io.Discard, 1, 1, dir, "max_infections=many")
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "--set max_infections=many"), err.Error())
	// The output directory is a file: an error, and nothing is written.
	file := filepath.Join(dir, "taken")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	assert.Error(t, run(io.Discard, io.Discard, 1, 1, file, "max_infections=200"))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1)
}
