package scenarios

import (
	"bufio"
	"bytes"
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/epiplan/epiplan/sim"
)

// figure is a plot of the results, written as SVG and PNG.
type figure struct {
	Name  string // file name without extension
	Title string
	Plot  *plot.Plot
	SVG   []byte
}

// palette gives each strategy a colour.
var palette = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xd6, 0x27, 0x28, 0xff}, {0x2c, 0xa0, 0x2c, 0xff},
	{0xff, 0x7f, 0x0e, 0xff}, {0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
}

// curves are the daily series plotted for every strategy, with their labels.
var curves = []struct {
	name, title, unit string
	series            []string                  // summed
	capacity          func(*StrategyResult) int // a facility's capacity to draw, if any
	per               string                    // if set, series is divided by this one (a mean)
	scale             float64                   // multiplies the values (0: 1)
}{
	{"infections", "New infections per day", "people", []string{"new_infections"}, nil, "", 0},
	{"detections", "Cases found per day", "people", []string{"detections"}, nil, "", 0},
	{"found_in_community", "Cases found in the community per day", "people", []string{"detections_community"}, nil, "", 0},
	{"found_in_control", "Cases found in control (quarantine, isolation, locked zones) per day", "people", []string{"detections_in_control"}, nil, "", 0},
	{"infectious", "Infectious people", "people", []string{"presymptomatic", "symptomatic", "asymptomatic"}, nil, "", 0},
	{"quarantine", "People in centralized quarantine (dashed: rooms)", "people", []string{"quarantined_centralized"}, func(s *StrategyResult) int { return s.Rooms }, "", 0},
	{"isolation", "Cases in isolation beds (dashed: beds)", "beds", []string{"isolated"}, func(s *StrategyResult) int { return s.Beds }, "", 0},
	{"lockdown", "People in high- and medium-risk zones", "people", []string{"lockdown_high", "lockdown_medium"}, nil, "", 0},
	{"lab_backlog", "Lab backlog at the end of the day", "tubes", []string{"lab_backlog"}, nil, "", 0},
	{"turnaround", "Mean time from swab to notification of the day's cases", "hours", []string{"turnaround_days_sum"}, nil, "detections", 24},
}

// band returns, by day, the median and the 5% and 95% quantiles over
// replications of the sum of the named series (a run that ended early counts 0).
func band(runs []Run, names []string, per string, scale float64) (med, lo, hi []float64, any bool) {
	if scale == 0 {
		scale = 1
	}
	days := 0
	for _, r := range runs {
		for _, n := range names {
			if v := r.Series.Get(n); v != nil {
				any = true
				days = max(days, len(v))
			}
		}
	}
	med, lo, hi = make([]float64, days), make([]float64, days), make([]float64, days)
	col := make([]float64, len(runs))
	for d := 0; d < days; d++ {
		vals := col[:0]
		for _, r := range runs {
			x := 0.0
			for _, n := range names {
				if v := r.Series.Get(n); d < len(v) {
					x += v[d]
				}
			}
			if per != "" {
				den := r.Series.Get(per)
				if d >= len(den) || den[d] == 0 {
					continue // no mean on a day with nothing to average
				}
				x /= den[d]
			}
			vals = append(vals, x*scale)
		}
		if len(vals) == 0 {
			med[d], lo[d], hi[d] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		sort.Float64s(vals)
		med[d], lo[d], hi[d] = sim.Quantile(vals, 0.5), sim.Quantile(vals, 0.05), sim.Quantile(vals, 0.95)
	}
	return med, lo, hi, any
}

// figures draws the curves of every strategy (median line, 90% band) and the
// costs side by side.
func (r *Results) figures() ([]figure, error) {
	var figs []figure
	for _, c := range curves {
		p := plot.New()
		p.Title.Text = c.title
		p.X.Label.Text = "day"
		x := func(d int) float64 { return float64(d) }
		if !r.StartDate.IsZero() {
			p.X.Label.Text = "date"
			p.X.Tick.Marker = plot.TimeTicks{Format: "2 Jan"}
			start := r.StartDate.Unix()
			x = func(d int) float64 { return float64(start + int64(d)*86400) }
		}
		p.Y.Label.Text = c.unit
		p.Legend.Top = true
		drawn := false
		for i, st := range r.Strategies {
			med, lo, hi, ok := band(st.Runs, c.series, c.per, c.scale)
			if !ok {
				continue
			}
			drawn = true
			col := palette[i%len(palette)]
			// Days with no value (a mean over nothing) are left out.
			var days []int
			for d := range med {
				if !math.IsNaN(med[d]) {
					days = append(days, d)
				}
			}
			if len(days) == 0 {
				continue
			}
			if len(days) > 1 {
				poly := make(plotter.XYs, 0, 2*len(days))
				for _, d := range days {
					poly = append(poly, plotter.XY{X: x(d), Y: hi[d]})
				}
				for k := len(days) - 1; k >= 0; k-- {
					poly = append(poly, plotter.XY{X: x(days[k]), Y: lo[days[k]]})
				}
				pg, err := plotter.NewPolygon(poly)
				if err != nil {
					return nil, err
				}
				pg.Color = color.NRGBA{col.R, col.G, col.B, 0x40} // not premultiplied
				pg.LineStyle.Width = 0
				p.Add(pg)
			}
			line := make(plotter.XYs, len(days))
			for k, d := range days {
				line[k] = plotter.XY{X: x(d), Y: med[d]}
			}
			l, err := plotter.NewLine(line)
			if err != nil {
				return nil, err
			}
			l.Color = col
			l.Width = vg.Points(1.5)
			p.Add(l)
			p.Legend.Add(st.Name+" (median, 90% band)", l)
			if c.capacity != nil && len(med) > 1 {
				if cp := c.capacity(&r.Strategies[i]); cp > 0 {
					cl, err := plotter.NewLine(plotter.XYs{{X: x(0), Y: float64(cp)}, {X: x(len(med) - 1), Y: float64(cp)}})
					if err != nil {
						return nil, err
					}
					cl.Color = col
					cl.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
					p.Add(cl)
				}
			}
		}
		if !drawn {
			continue
		}
		svg, err := render(p, "svg")
		if err != nil {
			return nil, err
		}
		figs = append(figs, figure{Name: c.name, Title: c.title, Plot: p, SVG: svg})
	}
	costs, err := r.costsFigure()
	if err != nil {
		return nil, err
	}
	return append(figs, costs), nil
}

// costMetrics are compared side by side, each relative to the largest.
var costMetrics = []string{"tests", "quarantine_centralized_person_days", "lockdown_high_person_days", "lockdown_medium_person_days", "isolation_person_days"}

// costsFigure draws the median of each cost, per strategy, as a share of the
// largest median of that cost.
func (r *Results) costsFigure() (figure, error) {
	p := plot.New()
	p.Title.Text = "Costs (median, relative to the largest strategy)"
	p.Y.Label.Text = "share of the largest"
	w := vg.Points(12)
	labels := append([]string(nil), costMetrics...)
	maxes := make([]float64, len(costMetrics))
	meds := make([][]float64, len(r.Strategies))
	for i, st := range r.Strategies {
		meds[i] = make([]float64, len(costMetrics))
		for j, m := range costMetrics {
			s := stats(values(st.Runs, m))
			if v := float64(s.Median); v == v {
				meds[i][j] = v
				maxes[j] = max(maxes[j], v)
			}
		}
	}
	for i, st := range r.Strategies {
		vals := make(plotter.Values, len(costMetrics))
		for j := range costMetrics {
			if maxes[j] > 0 {
				vals[j] = meds[i][j] / maxes[j]
			}
		}
		bars, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return figure{}, err
		}
		bars.Color = palette[i%len(palette)]
		bars.LineStyle.Width = 0
		bars.Offset = w * vg.Length(i-len(r.Strategies)/2)
		p.Add(bars)
		p.Legend.Add(st.Name, bars)
	}
	p.Legend.Top = true
	p.NominalX(labels...)
	p.X.Tick.Label.Rotation = 0.3
	p.X.Tick.Label.XAlign = draw.XRight
	svg, err := render(p, "svg")
	if err != nil {
		return figure{}, err
	}
	return figure{Name: "costs", Title: p.Title.Text, Plot: p, SVG: svg}, nil
}

// render draws p in a format ("svg", "png").
func render(p *plot.Plot, format string) ([]byte, error) {
	wt, err := p.WriterTo(9*vg.Inch, 4.5*vg.Inch, format)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := wt.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeFigures writes every figure as SVG and PNG into dir.
func (r *Results) writeFigures(dir string) ([]figure, error) {
	figs, err := r.figures()
	if err != nil {
		return nil, err
	}
	for _, f := range figs {
		png, err := render(f.Plot, "png")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		for _, out := range []struct {
			ext  string
			data []byte
		}{{".svg", f.SVG}, {".png", png}} {
			if err := writeFile(dir, f.Name+out.ext, func(w *bufio.Writer) error { _, err := w.Write(out.data); return err }); err != nil {
				return nil, err
			}
		}
	}
	return figs, nil
}
