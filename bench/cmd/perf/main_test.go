package main

import (
	"flag"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/bench"
)

// rows returns the cells of the table rows that follow the heading h.
func rows(t *testing.T, table, h string) [][]string {
	t.Helper()
	i := strings.Index(table, h)
	require.GreaterOrEqual(t, i, 0, "no heading %q", h)
	var out [][]string
	header := 0
	for _, line := range strings.Split(table[i:], "\n")[1:] {
		if strings.HasPrefix(line, "####") {
			break
		}
		if !strings.HasPrefix(line, "|") {
			continue
		}
		if header < 2 { // the head and the alignment row
			header++
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for k := range cells {
			cells[k] = strings.TrimSpace(cells[k])
		}
		out = append(out, cells)
	}
	return out
}

// TestTinyTable runs the whole table on small cases, one op each, and checks
// its shape and the claims it exists to check: the typed event path allocates
// nothing, and the small outbreak's memory does not grow with the city.
func TestTinyTable(t *testing.T) {
	require.NoError(t, flag.Set("test.benchtime", "1x"))
	defer flag.Set("test.benchtime", "1s")
	p := plan{
		hold:        []int{1_000},
		uncontained: 20_000,
		populations: []bench.Size{{Name: "1e4", N: 10_000}, {Name: "1e5", N: 100_000}},
		outbreaks:   []bench.Size{{Name: "1e3", N: 1_000}},
		mass:        []bench.Size{{Name: "1e5", N: 100_000}},
		strategies:  []string{"ninth_edition"},
		perWorker:   1,
	}
	table, err := run(p, 1, "1x", io.Discard)
	require.NoError(t, err)

	assert.Contains(t, table, "cores (GOMAXPROCS")
	core := rows(t, table, "#### The epidemic core")
	require.Len(t, core, 1)
	require.Len(t, core[0], 8)
	infections, err := strconv.ParseFloat(strings.ReplaceAll(core[0][1], ",", ""), 64)
	require.NoError(t, err)
	// R0 about 2.5 with no variation: most of the city is infected.
	assert.Greater(t, infections, 0.7*20_000)

	pop := rows(t, table, "#### Scaling with the population")
	require.Len(t, pop, 2)
	ratio, err := strconv.ParseFloat(strings.TrimSuffix(pop[1][5], "x"), 64)
	require.NoError(t, err)
	assert.Less(t, ratio, 1.5, "memory of a small outbreak in 10^5 people vs 10^4")

	assert.Len(t, rows(t, table, "#### Scaling with the outbreak"), 1)
	hold := rows(t, table, "#### The event queue")
	require.Len(t, hold, 1)
	assert.Equal(t, "0", hold[0][5], "typed allocations per event")
	mass := rows(t, table, "#### A city-wide PCR round")
	require.Len(t, mass, 1)
	assert.Contains(t, mass[0][5], "of 1,000")
	strat := rows(t, table, "#### A strategy on fuzhou-2022")
	require.Len(t, strat, 1)
	assert.Equal(t, "ninth_edition", strat[0][0])
	assert.NotEmpty(t, rows(t, table, "#### Replications on all cores"))
}

func TestFormats(t *testing.T) {
	assert.Equal(t, "1.84 s", dur(1.84e9))
	assert.Equal(t, "1.23 ms", dur(1.234e6))
	assert.Equal(t, "87 ns", dur(87))
	assert.Equal(t, "205 MB", bytes(205e6))
	assert.Equal(t, "2.2 KB", bytes(2200))
	assert.Equal(t, "1,460", num(1460.2))
	assert.Equal(t, "-12,345", num(-12345))
	assert.Equal(t, "87.4", nsEvent(87.4))
	assert.Equal(t, []int{1, 4}, workerCounts(4))
	assert.Equal(t, []int{1}, workerCounts(1))
}
