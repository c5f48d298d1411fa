package scenarios

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gonum.org/v1/plot"

	"github.com/epiplan/epiplan/model"
)

// textsOf returns the texts an SVG draws.
func textsOf(svg string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`>([^<>]+)</text>`).FindAllStringSubmatch(svg, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestPlotsForAPlanner(t *testing.T) {
	res, dir := playCapped(t)
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err, name)
		return string(b)
	}
	inf := read("infections.svg")
	// Sans-serif text, as the report's page.
	assert.Contains(t, inf, "font-family:Liberation Sans")
	assert.NotContains(t, inf, "Liberation Serif")
	// The capped curve stops with a mark, named in the legend.
	assert.Contains(t, inf, "no_intervention (4/4 runs capped)")
	assert.Contains(t, inf, "stopped at the cap of 300 infections")
	// The legend is outside the data: every legend text starts right of the
	// plot's area (x beyond the last date tick).
	texts := textsOf(inf)
	assert.Contains(t, texts, "ninth_edition")
	xOf := func(text string) float64 {
		m := regexp.MustCompile(`<text x="([0-9.]+)"[^>]*\n?[^>]*>` + regexp.QuoteMeta(text) + `</text>`).FindStringSubmatch(inf)
		require.NotNil(t, m, text)
		x, _ := strconv.ParseFloat(m[1], 64)
		return x
	}
	assert.Greater(t, xOf("ninth_edition"), 0.7*720, "the legend is right of the data")
	// Weekly date ticks from the start date (2022-10-01, a Saturday): Mondays.
	assert.Contains(t, texts, "3 Oct")
	assert.Contains(t, texts, "10 Oct")
	assert.Contains(t, texts, "17 Oct")

	// Capacities are labelled with their value.
	lab := read("lab_tubes.svg")
	assert.Regexp(t, `what the lab can run in a day: [0-9,]+`, lab)
	// Lab load is plotted.
	for _, f := range []string{"lab_utilisation.svg", "lab_backlog.svg", "turnaround.svg"} {
		_, err := os.Stat(filepath.Join(dir, f))
		assert.NoError(t, err, f)
	}
	// Costs in absolute units: the median tests of ninth_edition, as a count.
	costs := read("costs.svg")
	tests := stats(values(res.Strategies[1].Runs, "tests"))
	assert.Contains(t, costs, ">"+shortCount(float64(tests.Median))+"<")
	assert.Contains(t, costs, "swabs")
	assert.NotContains(t, costs, "share of the largest")
}

func TestLogScaleWhenStrategiesDifferTenfold(t *testing.T) {
	run := func(peak float64) Run {
		return Run{Series: model.Series{Names: []string{"new_infections"}, Values: [][]float64{{1, peak, peak / 2, 0}}}}
	}
	for _, c := range []struct {
		a, b float64
		log  bool
	}{{10, 1000, true}, {10, 90, false}, {0, 50, true}, {0, 5, false}} {
		r := &Results{Strategies: []StrategyResult{{Name: "a", Runs: []Run{run(c.a)}}, {Name: "b", Runs: []Run{run(c.b)}}}}
		f, ok, err := r.curveFigure(curves[0])
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, c.log, strings.HasSuffix(f.Plot.Title.Text, "(log scale)"), "peaks %v and %v", c.a, c.b)
	}
}

func TestCapEndStopsCurves(t *testing.T) {
	res, _ := playCapped(t)
	runs := res.Strategies[0].Runs
	end := capEnd(runs)
	require.GreaterOrEqual(t, end, 0)
	med, _, _, ok := band(runs, []string{"new_infections"}, "", 1, end)
	require.True(t, ok)
	assert.Len(t, med, end+1, "the curve ends on the last whole day before the cap")
	assert.Greater(t, med[len(med)-1], 0.0, "it does not fall to zero")
	assert.Equal(t, -1, capEnd(res.Strategies[1].Runs[:0]))
}

func TestWeekTicks(t *testing.T) {
	r := &Results{StartDate: time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC)} // a Saturday
	ticks := weekTicks{r}.Ticks(0, 30)
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tk.Label)
		assert.Equal(t, 2.0, math.Mod(tk.Value, 7), "on Mondays")
	}
	assert.Equal(t, []string{"3 Oct", "10 Oct", "17 Oct", "24 Oct", "31 Oct"}, labels)
	ticks = weekTicks{&Results{}}.Ticks(0, 200)
	assert.Equal(t, "day 0", ticks[0].Label)
	assert.Empty(t, ticks[1].Label, "on a long horizon every fourth week is labelled")
	assert.Equal(t, "day 28", ticks[4].Label)
	var lt []plot.Tick = countLogTicks{}.Ticks(0.5, 30000)
	var ll []string
	for _, tk := range lt {
		if tk.Label != "" {
			ll = append(ll, tk.Label)
		}
	}
	assert.Equal(t, []string{"1", "10", "100", "1,000", "10,000"}, ll)
}

func TestHeatMapAxes(t *testing.T) {
	assert.Equal(t, "quarantine › centralized (days)", axisTitle("strategies[1].response.quarantine.centralized", true))
	assert.Equal(t, "resources › lab › instruments", axisTitle("resources.lab.instruments", false))
	x, ok := sweptValue("3d")
	assert.True(t, ok)
	assert.Equal(t, 3.0, x)
	x, ok = sweptValue("36h")
	assert.True(t, ok)
	assert.Equal(t, 1.5, x)
	_, ok = sweptValue("fast")
	assert.False(t, ok)
	sts := []StrategySummary{{Name: "a"}, {Name: "b"}}
	assert.Equal(t, []int{1}, sweptStrategies("strategies[1].response.quarantine.centralized", sts))
	assert.Equal(t, []int{0}, sweptStrategies("strategies[a].response.quarantine.centralized", sts))
	assert.Equal(t, []int{0, 1}, sweptStrategies("population.layers.community", sts))
	assert.True(t, constant([][]float64{{1, math.NaN()}, {1, 1}}))
	assert.False(t, constant([][]float64{{1, 2}}))
}
