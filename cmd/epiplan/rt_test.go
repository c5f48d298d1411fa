package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const fujian = "../../scenarios/data/fujian_2022-09-01_2022-12-07.csv"

// readRt reads rt.csv into rows keyed by date.
func readRt(t *testing.T, path string) (head []string, rows map[string]map[string]string, n int) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	rows = map[string]map[string]string{}
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		rows[rec[0]] = row
	}
	return recs[0], rows, len(recs) - 1
}

func TestRtFujian(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"rt", fujian, "--si", "gamma:3.3,2.2", "--from", "2022-10-01", "--to", "2022-12-07", "--out", dir}, &out, &errOut))
	s := out.String()
	assert.Contains(t, s, "local_total_new, 2022-10-01 to 2022-12-07; serial interval gamma:3.3,2.2 = gamma(shape=2.25, scale=1.467)")
	assert.Contains(t, s, "date         cases  Rt median [95% interval]")
	assert.Contains(t, s, "2022-12-07     600  ", "the last day is shown")
	assert.Contains(t, s, "2022-11-30     184  ", "weekly, ending on the last day")
	assert.NotContains(t, s, "2022-12-06")
	assert.Contains(t, s, "median Rt crossed 1:")

	head, rows, n := readRt(t, filepath.Join(dir, "rt.csv"))
	assert.Equal(t, 68, n, "1 October to 7 December")
	assert.Equal(t, strings.Split("date,cases,imported,lambda,window_cases,window_lambda,shape,scale,mean,sd,cv,median,q2.5,q5,q25,q75,q95,q97.5,note", ","), head)
	num := func(date, col string) float64 {
		v, err := strconv.ParseFloat(rows[date][col], 64)
		require.NoError(t, err, "%s %s", date, col)
		return v
	}
	assert.Equal(t, 209.0, num("2022-10-29", "cases"))
	// The window of 23–29 October holds the cases of those days.
	assert.Equal(t, 23.0+57+93+109+176+104+209, num("2022-10-29", "window_cases"))
	assert.Equal(t, 1+num("2022-10-29", "window_cases"), num("2022-10-29", "shape"))
	// What the data say: growth in late October, R below 1 under the
	// measures in mid-November, growth again at the end of November.
	assert.Greater(t, num("2022-10-29", "q2.5"), 1.5)
	assert.Less(t, num("2022-11-10", "q97.5"), 1.0)
	assert.Greater(t, num("2022-11-28", "q2.5"), 1.0)

	svg, err := os.ReadFile(filepath.Join(dir, "rt.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(svg), "<svg")
	assert.Contains(t, string(svg), "reproduction number")
	png, err := os.ReadFile(filepath.Join(dir, "rt.png"))
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(png, []byte("\x89PNG")))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 4, "rt.csv, rt.svg, rt.png and the marker: no temporary file left")
}

func TestRtImportedAndGaps(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "counts.csv")
	// Ten imported cases start it; 6 January is absent from the file.
	data := "date,local,imp\n2022-01-01,0,10\n2022-01-02,6,0\n2022-01-03,8,0\n2022-01-04,9,0\n2022-01-05,10,0\n2022-01-07,12,0\n2022-01-08,13,0\n2022-01-09,12,0\n2022-01-10,14,0\n"
	require.NoError(t, os.WriteFile(file, []byte(data), 0o644))
	outDir := filepath.Join(dir, "o")
	var out, errOut bytes.Buffer
	require.NoError(t, run([]string{"rt", file, "--si", "discrete:0.5,0.3,0.2", "--column", "local", "--imported", "imp", "--window", "2", "--every", "1", "--out", outDir}, &out, &errOut))
	s := out.String()
	assert.Contains(t, s, "2022-01-06      NA  -  (a day of the window is missing)")
	assert.Contains(t, s, "2022-01-03       8  ")
	_, rows, n := readRt(t, filepath.Join(outDir, "rt.csv"))
	assert.Equal(t, 10, n)
	assert.Equal(t, "10", rows["2022-01-01"]["imported"])
	// Λ of 2 January = 0.5 × 10 imported; of 3 January = 0.5 × 6 + 0.3 × 10.
	assert.Equal(t, "5", rows["2022-01-02"]["lambda"])
	assert.Equal(t, "6", rows["2022-01-03"]["lambda"])
	assert.Equal(t, "15", rows["2022-01-03"]["shape"], "prior 1 + 6 + 8 local cases")
	assert.Equal(t, "", rows["2022-01-06"]["median"])
}

func TestRtErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{fujian}, "rt needs --si"},
		{[]string{"--si", "gamma:3.3,2.2"}, "rt takes one CSV file, got 0"},
		{[]string{fujian, fujian, "--si", "gamma:3.3,2.2"}, "got 2"},
		{[]string{fujian, "--si", "gamma:3.3"}, `--si: serial interval "gamma:3.3": want gamma:MEAN,SD`},
		{[]string{fujian, "--si", "gamma:3.3,2.2", "--column", "deaths"}, `no column named "deaths"`},
		{[]string{fujian, "--si", "gamma:3.3,2.2", "--imported", "nope"}, `--imported: ../../scenarios/data/fujian_2022-09-01_2022-12-07.csv: line 1: no column named "nope"`},
		{[]string{fujian, "--si", "gamma:3.3,2.2", "--from", "2022-10-32"}, `--from "2022-10-32": want a date YYYY-MM-DD`},
		{[]string{fujian, "--si", "gamma:3.3,2.2", "--from", "2022-11-01", "--to", "2022-10-01"}, "--to 2022-10-01 is before --from 2022-11-01"},
		{[]string{fujian, "--si", "gamma:3.3,2.2", "--from", "2023-01-01"}, "no days between --from and --to (the series runs from 2022-09-01 to 2022-12-07)"},
		{[]string{fujian, "--si", "gamma:3.3,2.2", "--window", "0"}, "--window 0"},
		{[]string{fujian, "--si", "gamma:3.3,2.2", "--window", "98"}, "a series of 98 days is too short for a window of 98 days"},
		{[]string{fujian, "--si", "gamma:3.3,2.2", "--every", "0"}, "--every 0"},
		{[]string{filepath.Join(dir, "missing.csv"), "--si", "gamma:3.3,2.2"}, "missing.csv: no such file"},
		{[]string{fujian, "--si", "gamma:3.3,2.2", "--window", "x"}, `invalid value "x" for flag -window`},
	} {
		outDir := filepath.Join(dir, "out")
		var out, errOut bytes.Buffer
		err := run(append(append([]string{"rt"}, c.args...), "--out", outDir), &out, &errOut)
		if assert.Error(t, err, strings.Join(c.args, " ")) {
			assert.Contains(t, err.Error(), c.want)
		}
		_, statErr := os.Stat(outDir)
		assert.True(t, os.IsNotExist(statErr), "%v: nothing written", c.args)
	}
}
