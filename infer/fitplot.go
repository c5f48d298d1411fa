package infer

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// Figure is a plot of a fit, drawn as SVG and PNG.
type Figure struct {
	Name  string // file name without extension
	Title string // the plot's title, for a caption
	SVG   []byte // the plot drawn as SVG
	PNG   []byte // the plot drawn as PNG
}

// palette gives each strategy of a forecast a colour (as the scenarios'
// plots do).
var palette = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xd6, 0x27, 0x28, 0xff}, {0x2c, 0xa0, 0x2c, 0xff},
	{0xff, 0x7f, 0x0e, 0xff}, {0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
}

// dayX returns the plot's x of a model day: the date's Unix time, for the time
// axis.
func dayX(start time.Time) func(d float64) float64 {
	s := float64(start.Unix())
	return func(d float64) float64 { return s + d*86400 }
}

// newDatePlot returns a plot with dates on its x axis.
func newDatePlot(title, unit string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "date"
	p.X.Tick.Marker = plot.TimeTicks{Format: "2 Jan"}
	p.Y.Label.Text = unit
	p.Legend.Top = true
	return p
}

// addBand draws the band between lo and hi over days [from, to) in col,
// leaving out days where it is NaN.
func addBand(p *plot.Plot, x func(float64) float64, lo, hi []float64, from, to int, col color.RGBA, alpha uint8) error {
	for a := from; a < to; {
		if math.IsNaN(lo[a]) || math.IsNaN(hi[a]) {
			a++
			continue
		}
		b := a
		for b < to && !math.IsNaN(lo[b]) && !math.IsNaN(hi[b]) {
			b++
		}
		if b-a >= 2 {
			poly := make(plotter.XYs, 0, 2*(b-a))
			for d := a; d < b; d++ {
				poly = append(poly, plotter.XY{X: x(float64(d)), Y: hi[d]})
			}
			for d := b - 1; d >= a; d-- {
				poly = append(poly, plotter.XY{X: x(float64(d)), Y: lo[d]})
			}
			pg, err := plotter.NewPolygon(poly)
			if err != nil {
				return err
			}
			pg.Color = color.NRGBA{col.R, col.G, col.B, alpha}
			pg.LineStyle.Width = 0
			p.Add(pg)
		}
		a = b
	}
	return nil
}

// addLine draws v over days [from, to) in col, with a legend entry.
func addLine(p *plot.Plot, x func(float64) float64, v []float64, from, to int, col color.RGBA, dashed bool, legend string) error {
	pts := make(plotter.XYs, 0, to-from)
	for d := from; d < to; d++ {
		if !math.IsNaN(v[d]) {
			pts = append(pts, plotter.XY{X: x(float64(d)), Y: v[d]})
		}
	}
	if len(pts) == 0 {
		return nil
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.Color = col
	l.Width = vg.Points(1.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	p.Add(l)
	if legend != "" {
		p.Legend.Add(legend, l)
	}
	return nil
}

// addData draws the data as dots (missing days left out).
func addData(p *plot.Plot, x func(float64) float64, data Daily, offset int) error {
	var pts plotter.XYs
	for i, v := range data.Values {
		if !math.IsNaN(v) {
			pts = append(pts, plotter.XY{X: x(float64(offset + i)), Y: v})
		}
	}
	if len(pts) == 0 {
		return nil
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	sc.GlyphStyle.Color = color.Black
	sc.GlyphStyle.Radius = vg.Points(2)
	sc.GlyphStyle.Shape = draw.CircleGlyph{}
	p.Add(sc)
	p.Legend.Add("data", sc)
	return nil
}

// readableTicks are gonum/plot's default ticks, labelled as a reader writes
// numbers: integers with thousands separators ("25,000", not "25000.00"),
// others with at most four significant digits; when there are few ticks,
// every one is labelled.
type readableTicks struct{}

// Ticks returns the ticks between min and max.
func (readableTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	all := len(ts) <= 8
	for i := range ts {
		if ts[i].Label == "" && !all {
			continue
		}
		v := ts[i].Value
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			ts[i].Label = scenarios.Count(v)
			if v < 0 {
				ts[i].Label = "-" + scenarios.Count(-v)
			}
		} else {
			ts[i].Label = strconv.FormatFloat(v, 'g', 4, 64)
		}
	}
	return ts
}

// sans sets the plot's text in the sans-serif face of the report's page.
func sans(p *plot.Plot) {
	for _, v := range []*font.Variant{&p.Title.TextStyle.Font.Variant, &p.X.Label.TextStyle.Font.Variant, &p.Y.Label.TextStyle.Font.Variant,
		&p.X.Tick.Label.Font.Variant, &p.Y.Tick.Label.Font.Variant, &p.Legend.TextStyle.Font.Variant} {
		*v = "Sans"
	}
}

// render draws p as SVG and PNG.
func render(name, title string, p *plot.Plot) (Figure, error) {
	f := Figure{Name: name, Title: title}
	sans(p)
	if _, ok := p.Y.Tick.Marker.(plot.DefaultTicks); ok {
		p.Y.Tick.Marker = readableTicks{}
	}
	// The legend is drawn right of the data, not over it.
	leg := p.Legend
	leg.Top, leg.Left = true, true
	leg.TextStyle.Font.Size = vg.Points(10)
	leg.Padding = vg.Points(3)
	p.Legend = plot.NewLegend()
	w, h := 10*vg.Inch, 4.5*vg.Inch
	for _, format := range []string{"svg", "png"} {
		cv, err := draw.NewFormattedCanvas(w, h, format)
		if err != nil {
			return f, err
		}
		c := draw.New(cv)
		r := leg.Rectangle(c)
		right := r.Max.X - r.Min.X + vg.Points(12)
		p.Draw(draw.Crop(c, 0, -right, 0, 0))
		leg.Draw(draw.Crop(c, w-right+vg.Points(6), 0, 0, -vg.Points(24)))
		var b bytes.Buffer
		if _, err := cv.WriteTo(&b); err != nil {
			return f, err
		}
		if format == "svg" {
			f.SVG = b.Bytes()
		} else {
			f.PNG = b.Bytes()
		}
	}
	return f, nil
}

// Figures draws the fit: the data against the fitted curve and its bands, and
// the model's case reproduction number by day of infection; with a forecast,
// the strategies' curves from the forecast date.
func (f *Fit) Figures(fc *Forecast) ([]Figure, error) {
	var figs []Figure
	start, _ := f.Scenario.StartTime()
	x := dayX(start)
	b := &f.Band
	days := len(b.Mean)
	from := max(0, f.Alignment.Offset-7)
	level := fmt.Sprintf("%.0f%%", 100*f.Level)

	p := newDatePlot(fmt.Sprintf("Data and the fitted model (%s, %d replications)", f.Strategy, f.Replications), "cases per day")
	blue := palette[0]
	if err := addBand(p, x, b.Lo, b.Hi, from, days, blue, 0x30); err != nil {
		return nil, err
	}
	if err := addBand(p, x, b.ExpLo, b.ExpHi, from, days, blue, 0x50); err != nil {
		return nil, err
	}
	if err := addLine(p, x, b.Mean, from, days, blue, false, "fitted mean; bands: "+level+" of replications, with and without counting noise"); err != nil {
		return nil, err
	}
	if err := addData(p, x, f.Data, f.Alignment.Offset); err != nil {
		return nil, err
	}
	fig, err := render("fit", p.Title.Text, p)
	if err != nil {
		return nil, err
	}
	figs = append(figs, fig)

	if len(f.Analysis.Rc) > 0 {
		p := newDatePlot("Case reproduction number of the fitted model, by day of infection", "people infected per case")
		rc := f.Analysis.Rc
		n := int(math.Round(rc[len(rc)-1].Date.Sub(start).Hours()/24)) + 1
		val, lo, hi := nanSlice(n), nanSlice(n), nanSlice(n)
		first := n
		for _, r := range rc {
			d := int(math.Round(r.Date.Sub(start).Hours() / 24))
			val[d], lo[d], hi[d] = r.Value, r.Lo, r.Hi
			first = min(first, d)
		}
		// The last days' cases have not had all their offspring: cut 10 days.
		last := max(first+1, n-10)
		if err := addBand(p, x, fillNaN(lo), fillNaN(hi), first, last, palette[2], 0x40); err != nil {
			return nil, err
		}
		if err := addLine(p, x, val, first, last, palette[2], false, "pooled over replications; band: "+level+" of replications"); err != nil {
			return nil, err
		}
		one := make([]float64, last)
		for i := range one {
			one[i] = 1
		}
		if err := addLine(p, x, one, first, last, color.RGBA{0x80, 0x80, 0x80, 0xff}, true, "R = 1"); err != nil {
			return nil, err
		}
		fig, err := render("reproduction", p.Title.Text, p)
		if err != nil {
			return nil, err
		}
		figs = append(figs, fig)
	}

	if fc != nil {
		p := newDatePlot(fmt.Sprintf("Forecast from %s by strategy (expected counts: median and %s band)", fc.Date.Format(dateFmt), level), "cases per day")
		n := fc.Day + fc.Days
		from := max(0, fc.Day-21)
		for i, st := range fc.Results.Strategies {
			med, lo, hi, err := f.observedBand(st.Runs, n)
			if err != nil {
				return nil, err
			}
			col := palette[i%len(palette)]
			if err := addBand(p, x, lo, hi, fc.Day, n, col, 0x30); err != nil {
				return nil, err
			}
			if err := addLine(p, x, med, from, n, col, false, st.Name); err != nil {
				return nil, err
			}
		}
		if err := addData(p, x, f.Data, f.Alignment.Offset); err != nil {
			return nil, err
		}
		fig, err := render("forecast", p.Title.Text, p)
		if err != nil {
			return nil, err
		}
		figs = append(figs, fig)

		p = newDatePlot(fmt.Sprintf("Forecast from %s by strategy: new infections (median and %s band)", fc.Date.Format(dateFmt), level), "people per day")
		for i, st := range fc.Results.Strategies {
			med, lo, hi := seriesBand(st.Runs, "new_infections", n, f.Level)
			col := palette[i%len(palette)]
			if err := addBand(p, x, lo, hi, fc.Day, n, col, 0x30); err != nil {
				return nil, err
			}
			if err := addLine(p, x, med, from, n, col, false, st.Name); err != nil {
				return nil, err
			}
		}
		fig, err = render("forecast_infections", p.Title.Text, p)
		if err != nil {
			return nil, err
		}
		figs = append(figs, fig)
	}
	return figs, nil
}

// observedBand returns the median and quantiles over runs of the expected
// count by model day (a run stopped at the infection cap is left out after its
// end; NaN when no run is left).
func (f *Fit) observedBand(runs []scenarios.Run, days int) (med, lo, hi []float64, err error) {
	mus := make([][]float64, len(runs))
	for r, run := range runs {
		c, err := f.Observation.Observed(run.Series.Get)
		if err != nil {
			return nil, nil, nil, err
		}
		mus[r] = f.Observation.Expected(c, 0, days)
	}
	med, lo, hi = bandOf(runs, days, f.Level, func(r, d int) float64 { return mus[r][d] })
	return med, lo, hi, nil
}

// seriesBand returns the median and quantiles over runs of a series by day (a
// run that ended by extinction counts 0 after its end).
func seriesBand(runs []scenarios.Run, name string, days int, level float64) (med, lo, hi []float64) {
	return bandOf(runs, days, level, func(r, d int) float64 {
		if v := runs[r].Series.Get(name); d < len(v) {
			return v[d]
		}
		return 0
	})
}

// bandOf returns the median and quantiles of value(r, d) over the runs r
// still going on day d (a run stopped at the infection cap is left out after
// its end; NaN when no run is left).
func bandOf(runs []scenarios.Run, days int, level float64, value func(r, d int) float64) (med, lo, hi []float64) {
	col := make([]float64, 0, len(runs))
	for d := 0; d < days; d++ {
		col = col[:0]
		for r, run := range runs {
			if run.StopReason == model.StopMaxInfections && d >= len(run.Series.Get("new_infections"))-1 {
				continue
			}
			col = append(col, value(r, d))
		}
		sort.Float64s(col)
		med = append(med, sim.Quantile(col, 0.5))
		lo = append(lo, sim.Quantile(col, (1-level)/2))
		hi = append(hi, sim.Quantile(col, (1+level)/2))
	}
	return med, lo, hi
}

func nanSlice(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

// fillNaN replaces each NaN by the last value before it (0 at the start), for
// a band's outline.
func fillNaN(v []float64) []float64 {
	out := make([]float64, len(v))
	last := 0.0
	for i, x := range v {
		if !math.IsNaN(x) {
			last = x
		}
		out[i] = last
	}
	return out
}
