package scenarios

import (
	"bufio"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"unicode"

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

// writeHeatMaps draws, for a sweep over exactly two numeric paths, a heat map of
// the median of each of a few metrics for each strategy, as SVG and PNG files
// heatmap-<strategy>-<metric>. Other sweeps get none.
func writeHeatMaps(dir string, results []SweepResult) error {
	if len(results) == 0 || len(results[0].Point.Paths) != 2 {
		return nil
	}
	paths := results[0].Point.Paths
	index := func(vals *[]float64, v float64) int {
		for i, x := range *vals {
			if x == v {
				return i
			}
		}
		*vals = append(*vals, v)
		return len(*vals) - 1
	}
	var xs, ys []float64
	type cell struct{ c, r int }
	cells := make([]cell, len(results))
	for i, r := range results {
		x, err1 := strconv.ParseFloat(r.Point.Values[0], 64)
		y, err2 := strconv.ParseFloat(r.Point.Values[1], 64)
		if err1 != nil || err2 != nil {
			return nil // not numeric: no heat map
		}
		cells[i] = cell{index(&xs, x), index(&ys, y)}
	}
	files := strategyFiles(results[0].Summary.Strategies)
	for _, metric := range []string{"infections", "tests", "lockdown_high_person_days"} {
		for si, st := range results[0].Summary.Strategies {
			g := grid{xs: xs, ys: ys, z: make([][]float64, len(ys))}
			for r := range g.z {
				g.z[r] = make([]float64, len(xs))
				for c := range g.z[r] {
					g.z[r][c] = math.NaN()
				}
			}
			any := false
			for i, res := range results {
				if si >= len(res.Summary.Strategies) {
					continue
				}
				if m, ok := res.Summary.Strategies[si].Metrics[metric]; ok && m.N > 0 {
					g.z[cells[i].r][cells[i].c] = float64(m.Median)
					any = true
				}
			}
			if !any {
				continue
			}
			p := plot.New()
			p.Title.Text = fmt.Sprintf("%s: median %s", st.Name, metric)
			p.X.Label.Text = paths[0]
			p.Y.Label.Text = paths[1]
			pal := moreland.SmoothBlueRed().Palette(64)
			h := plotter.NewHeatMap(g, pal)
			h.NaN = color.Transparent
			p.Add(h)
			// The range, for the reader: the colour scale runs from blue (lowest)
			// to red (highest).
			lo, hi := h.Min, h.Max
			p.Title.Text += fmt.Sprintf(" (blue %s to red %s)", fig(Num(lo)), fig(Num(hi)))
			for _, ext := range []string{"svg", "png"} {
				data, err := render(p, ext)
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
