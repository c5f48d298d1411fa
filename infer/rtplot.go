package infer

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Colours of the Rt figure (those of the scenario plots).
var (
	rtColour       = color.RGBA{0x1f, 0x77, 0xb4, 0xff}
	casesColour    = color.RGBA{0x7f, 0x7f, 0x7f, 0xff}
	importedColour = color.RGBA{0xd6, 0x27, 0x28, 0xff}
)

// unreliableCV is the posterior coefficient of variation above which an
// estimate is left out when the figure chooses its vertical range: it rests on
// fewer than about ten cases.
const unreliableCV = 0.3

// RenderRt draws the estimates of r as a figure in format ("svg" or "png"):
// above, the posterior median of R with its 95% interval (or the widest
// central interval among [Rt.Probs]) and a dashed line at R = 1; below, the
// daily cases on the same dates. Days without an estimate leave a gap. The
// vertical range of R is chosen from the estimates whose coefficient of
// variation is at most 0.3, so that the wide intervals of the first cases
// do not flatten the rest; intervals above it are cut at the top. title, if
// not empty, is shown above.
func RenderRt(r *Rt, title, format string) ([]byte, error) {
	if len(r.Days) == 0 {
		return nil, fmt.Errorf("rt: no days to plot")
	}
	lo, hi, level := -1, -1, 0.0
	for i, p := range r.Probs {
		for j, q := range r.Probs {
			if p < 0.5 && math.Abs(p+q-1) < 1e-12 && 1-2*p > level {
				lo, hi, level = i, j, 1-2*p
			}
		}
	}
	const day = 86400.0
	start := float64(r.Days[0].Date.Unix())
	end := float64(r.Days[len(r.Days)-1].Date.Unix()) + day
	mid := func(i int) float64 { return float64(r.Days[i].Date.Unix()) + day/2 }

	top := plot.New()
	top.Title.Text = title
	top.Y.Label.Text = "reproduction number"
	top.X.Tick.Marker = dateTicks{}
	top.Legend.Top = true
	top.X.Min, top.X.Max = start, end
	ymax := 1.5
	anyReliable := false
	for _, d := range r.Days {
		if d.OK() && d.CV <= unreliableCV {
			anyReliable = true
		}
	}
	// Runs of consecutive days with an estimate: a band and a line each.
	first := firstRun(r)
	for i := 0; i < len(r.Days); {
		if !r.Days[i].OK() {
			i++
			continue
		}
		j := i
		for j < len(r.Days) && r.Days[j].OK() {
			d := r.Days[j]
			if !anyReliable || d.CV <= unreliableCV {
				up := d.Median
				if hi >= 0 {
					up = d.Quantiles[hi]
				}
				ymax = max(ymax, 1.05*up)
			}
			j++
		}
		if hi >= 0 {
			poly := make(plotter.XYs, 0, 2*(j-i)+2)
			for k := i; k < j; k++ {
				poly = append(poly, plotter.XY{X: mid(k), Y: r.Days[k].Quantiles[hi]})
			}
			for k := j - 1; k >= i; k-- {
				poly = append(poly, plotter.XY{X: mid(k), Y: r.Days[k].Quantiles[lo]})
			}
			if j-i == 1 { // a single day: a thin bar
				poly = plotter.XYs{
					{X: mid(i) - day/4, Y: r.Days[i].Quantiles[hi]}, {X: mid(i) + day/4, Y: r.Days[i].Quantiles[hi]},
					{X: mid(i) + day/4, Y: r.Days[i].Quantiles[lo]}, {X: mid(i) - day/4, Y: r.Days[i].Quantiles[lo]},
				}
			}
			pg, err := plotter.NewPolygon(poly)
			if err != nil {
				return nil, err
			}
			pg.Color = color.NRGBA{rtColour.R, rtColour.G, rtColour.B, 0x40}
			pg.LineStyle.Width = 0
			top.Add(pg)
			if i == first {
				top.Legend.Add(fmt.Sprintf("%g%% interval", 100*math.Round(level*1000)/1000), pg)
			}
		}
		line := make(plotter.XYs, 0, j-i)
		for k := i; k < j; k++ {
			line = append(line, plotter.XY{X: mid(k), Y: r.Days[k].Median})
		}
		l, err := plotter.NewLine(line)
		if err != nil {
			return nil, err
		}
		l.Color = rtColour
		l.Width = vg.Points(1.5)
		top.Add(l)
		if i == first {
			top.Legend.Add(fmt.Sprintf("posterior median (window %d d)", r.Window), l)
		}
		i = j
	}
	one, err := plotter.NewLine(plotter.XYs{{X: start, Y: 1}, {X: end, Y: 1}})
	if err != nil {
		return nil, err
	}
	one.Color = color.Black
	one.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	top.Add(one)
	top.Legend.Add("R = 1", one)
	top.Y.Min, top.Y.Max = 0, ymax

	bottom := plot.New()
	bottom.X.Label.Text = "date"
	bottom.Y.Label.Text = "cases per day"
	bottom.X.Tick.Marker = dateTicks{}
	bottom.X.Min, bottom.X.Max = start, end
	bottom.Legend.Top = true
	bottom.Legend.Left = true
	// Imported cases are stacked on the local ones: the total is drawn first.
	var local, total []plotter.HistogramBin
	anyImported := false
	for i, d := range r.Days {
		x := mid(i) - day/2
		if !math.IsNaN(d.Cases) {
			local = append(local, plotter.HistogramBin{Min: x, Max: x + day, Weight: d.Cases})
		}
		if d.Imported > 0 {
			anyImported = true
		}
		sum := 0.0
		for _, v := range []float64{d.Cases, d.Imported} {
			if !math.IsNaN(v) {
				sum += v
			}
		}
		total = append(total, plotter.HistogramBin{Min: x, Max: x + day, Weight: sum})
	}
	if anyImported {
		h := &plotter.Histogram{Bins: total, Width: day, FillColor: importedColour}
		h.LineStyle.Width = 0
		bottom.Add(h)
		bottom.Legend.Add("imported cases", h)
	}
	if len(local) > 0 {
		h := &plotter.Histogram{Bins: local, Width: day, FillColor: casesColour}
		h.LineStyle.Width = 0
		bottom.Add(h)
		bottom.Legend.Add("local cases", h)
	}
	bottom.Y.Min = 0

	sans(top)
	sans(bottom)
	if _, ok := bottom.Y.Tick.Marker.(plot.DefaultTicks); ok {
		bottom.Y.Tick.Marker = readableTicks{}
	}
	const w, h = 9 * vg.Inch, 7 * vg.Inch
	c, err := draw.NewFormattedCanvas(w, h, format)
	if err != nil {
		return nil, err
	}
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Points(6), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	canvases := plot.Align([][]*plot.Plot{{top}, {bottom}}, tiles, draw.New(c))
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// firstRun is the index of the first day with an estimate (-1 if none).
func firstRun(r *Rt) int {
	for i, d := range r.Days {
		if d.OK() {
			return i
		}
	}
	return -1
}

// dateTicks marks the days of a time axis in Unix seconds: a labelled tick
// every week (every 2 or 4 weeks on long axes), counted from the first
// midnight, and a small tick every day on axes of up to 120 days.
type dateTicks struct{}

// Ticks returns the ticks between min and max.
func (dateTicks) Ticks(min, max float64) []plot.Tick {
	const day = 86400.0
	first := math.Ceil(min/day) * day
	days := int((max - first) / day)
	step := 7
	for days/step > 12 {
		step *= 2
	}
	var ticks []plot.Tick
	for i := 0; i <= days; i++ {
		x := first + float64(i)*day
		switch {
		case i%step == 0:
			ticks = append(ticks, plot.Tick{Value: x, Label: time.Unix(int64(x), 0).UTC().Format("2 Jan")})
		case days <= 120:
			ticks = append(ticks, plot.Tick{Value: x})
		}
	}
	return ticks
}
