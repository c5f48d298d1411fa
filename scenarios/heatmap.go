package scenarios

import (
	"bufio"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"unicode"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/epiplan/epiplan/sim"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
)

// grid is the median of one metric of one strategy over a two-path sweep, for a
// heat map.
type grid struct {
	xs, ys []float64
	z      [][]float64 // z[row (y)][col (x)]
}

func (g grid) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g grid) Z(c, r int) float64 { return g.z[r][c] }
func (g grid) X(c int) float64    { return g.xs[c] }
func (g grid) Y(r int) float64    { return g.ys[r] }

// sweptValue reads a swept value as a number for an axis: a number, or a
// duration in days ("3d", "36h").
func sweptValue(v string) (float64, bool) {
	if x, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(x) && !math.IsInf(x, 0) {
		return x, true
	}
	if d, err := sim.ParseDuration(v); err == nil {
		return float64(d), true
	}
	return 0, false
}

// axisTitle makes a swept field's path readable: the strategy and the
// section words dropped, the rest joined by " › " with spaces for
// underscores, and the unit of a duration ("quarantine › centralized
// (days)").
func axisTitle(path string, duration bool) string {
	parts := strings.Split(path, ".")
	if len(parts) > 1 && strings.HasPrefix(parts[0], "strategies[") {
		parts = parts[1:]
	}
	if len(parts) > 2 && (parts[0] == "response" || parts[0] == "testing") {
		parts = parts[1:]
	}
	t := strings.ReplaceAll(strings.Join(parts, " › "), "_", " ")
	if duration {
		t += " (days)"
	}
	return t
}

// sweptStrategies returns the indices of the strategies a path changes:
// strategies[i] (by number or by name), or every strategy for a field
// outside the strategies.
func sweptStrategies(path string, sts []StrategySummary) []int {
	if !strings.HasPrefix(path, "strategies[") {
		out := make([]int, len(sts))
		for i := range out {
			out[i] = i
		}
		return out
	}
	in, _, _ := strings.Cut(strings.TrimPrefix(path, "strategies["), "]")
	if i, err := strconv.Atoi(in); err == nil {
		if i >= 0 && i < len(sts) {
			return []int{i}
		}
		return nil
	}
	for i, st := range sts {
		if st.Name == in {
			return []int{i}
		}
	}
	return nil
}

// heatMetrics are the metrics drawn as heat maps.
var heatMetrics = []string{"infections", "tests", "lockdown_high_person_days", "peak_lab_backlog"}

// writeHeatMaps draws, for a sweep over exactly two paths with numeric or
// duration values, a heat map of the median of each of a few metrics for
// each strategy the sweep changes, as SVG and PNG files
// heatmap-<strategy>-<metric>: ticks on the swept values, each cell labelled
// with its value, and a colour bar. Other sweeps get none.
func writeHeatMaps(dir string, results []SweepResult) error {
	if len(results) == 0 || len(results[0].Point.Paths) != 2 {
		return nil
	}
	paths := results[0].Point.Paths
	var axes [2]struct {
		vals     []float64
		labels   []string
		duration bool
	}
	index := func(k int, v float64, label string) int {
		for i, x := range axes[k].vals {
			if x == v {
				return i
			}
		}
		axes[k].vals = append(axes[k].vals, v)
		axes[k].labels = append(axes[k].labels, label)
		return len(axes[k].vals) - 1
	}
	type cell struct{ c, r int }
	cells := make([]cell, len(results))
	for i, r := range results {
		var at [2]int
		for k := 0; k < 2; k++ {
			v, ok := sweptValue(r.Point.Values[k])
			if !ok {
				return nil // not numeric: no heat map
			}
			if _, err := strconv.ParseFloat(r.Point.Values[k], 64); err != nil {
				axes[k].duration = true
			}
			at[k] = index(k, v, r.Point.Values[k])
		}
		cells[i] = cell{at[0], at[1]}
	}
	sts := results[0].Summary.Strategies
	// A strategy is drawn if a path names it, or if a path outside the
	// strategies (resources, population…) changes its figures.
	swept, named := map[int]bool{}, map[int]bool{}
	for _, p := range paths {
		for _, i := range sweptStrategies(p, sts) {
			swept[i] = true
			named[i] = named[i] || strings.HasPrefix(p, "strategies[")
		}
	}
	files := strategyFiles(sts)
	for _, metric := range heatMetrics {
		for si, st := range sts {
			if !swept[si] {
				continue
			}
			g := grid{xs: axes[0].vals, ys: axes[1].vals, z: make([][]float64, len(axes[1].vals))}
			for r := range g.z {
				g.z[r] = make([]float64, len(g.xs))
				for c := range g.z[r] {
					g.z[r][c] = math.NaN()
				}
			}
			any, capped := false, false
			for i, res := range results {
				if si >= len(res.Summary.Strategies) {
					continue
				}
				if m, ok := res.Summary.Strategies[si].Metrics[metric]; ok && m.N > 0 {
					g.z[cells[i].r][cells[i].c] = float64(m.Median)
					any = true
					capped = capped || m.Capped > 0
				}
			}
			if !any || !named[si] && constant(g.z) {
				continue
			}
			f, err := heatFigure(g, st.Name, metric, capped, [2]string{axisTitle(paths[0], axes[0].duration), axisTitle(paths[1], axes[1].duration)}, [2][]string{axes[0].labels, axes[1].labels})
			if err != nil {
				return err
			}
			for _, ext := range []string{"svg", "png"} {
				data, err := render(f, ext)
				if err != nil {
					return err
				}
				name := fmt.Sprintf("heatmap-%s-%s.%s", files[si], metric, ext)
				if err := writeFile(dir, name, func(w *bufio.Writer) error { _, err := w.Write(data); return err }); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// heatFigure draws a heat map of g with its colour bar.
func heatFigure(g grid, strategy, metric string, capped bool, titles [2]string, labels [2][]string) (figure, error) {
	p := newPlot(fmt.Sprintf("%s: median %s", strategy, metric))
	p.X.Label.Text, p.Y.Label.Text = titles[0], titles[1]
	ticks := func(vals []float64, labels []string) plot.ConstantTicks {
		t := make(plot.ConstantTicks, len(vals))
		for i := range vals {
			t[i] = plot.Tick{Value: vals[i], Label: labels[i]}
		}
		return t
	}
	p.X.Tick.Marker = ticks(g.xs, labels[0])
	p.Y.Tick.Marker = ticks(g.ys, labels[1])
	cm := moreland.SmoothBlueRed()
	pal := cm.Palette(64)
	h := plotter.NewHeatMap(g, pal)
	h.NaN = color.Transparent
	p.Add(h)
	// Each cell says its value.
	var xy plotter.XYs
	var text []string
	unit := metricUnit(metric)
	for r := range g.z {
		for c, v := range g.z[r] {
			if math.IsNaN(v) {
				continue
			}
			xy = append(xy, plotter.XY{X: g.xs[c], Y: g.ys[r]})
			s := figUnit(Num(v), unit)
			if capped {
				s = "≥ " + s
			}
			text = append(text, s)
		}
	}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: text})
	if err != nil {
		return figure{}, err
	}
	for i := range lb.TextStyle {
		lb.TextStyle[i].Font.Variant = "Sans"
		lb.TextStyle[i].Font.Size = vg.Points(9)
		lb.TextStyle[i].XAlign = draw.XCenter
		lb.TextStyle[i].YAlign = draw.YCenter
	}
	p.Add(lb)
	// The colour bar: gonum/plot's ColorBar on a plot of its own, right of the map.
	lo, hi := h.Min, h.Max
	if hi <= lo {
		hi = lo + 1
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	bar := newPlot("")
	bar.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true, Colors: 64})
	bar.HideX()
	bar.Y.Min, bar.Y.Max = lo, hi
	bar.Y.Label.Text = metric
	if unit != "" {
		bar.Y.Label.Text += " (" + unit + ")"
	}
	if capped {
		bar.Y.Label.Text = "≥ " + bar.Y.Label.Text
	}
	if countUnits[unit] {
		bar.Y.Tick.Marker = countTicks{}
	}
	f := figure{Plot: p, W: 8 * vg.Inch, H: 5.5 * vg.Inch, Side: func(c draw.Canvas) { bar.Draw(draw.Crop(c, 0, -vg.Points(12), 0, 0)) }}
	return f, nil
}

// constant reports whether every defined cell holds the same value.
func constant(z [][]float64) bool {
	first := math.NaN()
	for _, row := range z {
		for _, v := range row {
			switch {
			case math.IsNaN(v):
			case math.IsNaN(first):
				first = v
			case v != first:
				return false
			}
		}
	}
	return true
}

// metricUnit returns the unit of a metric, or "".
func metricUnit(name string) string {
	for _, m := range metricDocs() {
		if m.Name == name {
			return m.Unit
		}
	}
	return ""
}

// strategyFiles returns the strategies' names made into distinct file names:
// two names that differ only in characters a file name cannot hold ("a b",
// "a/b") get the strategy's number after them.
func strategyFiles(sts []StrategySummary) []string {
	out := make([]string, len(sts))
	seen := map[string]bool{}
	for i, st := range sts {
		out[i] = fileName(st.Name)
		if seen[out[i]] || out[i] == "" {
			out[i] = fmt.Sprintf("%s-%d", out[i], i+1)
		}
		seen[out[i]] = true
	}
	return out
}

// fileName keeps the letters, digits, '-' and '_' of a name (in any script),
// so that it can go into a file name without leaving the output folder.
func fileName(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' {
			out = append(out, r)
		} else {
			out = append(out, '_')
		}
	}
	return string(out)
}
