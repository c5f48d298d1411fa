package scenarios

import (
	"bufio"
	"bytes"
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/epiplan/epiplan/sim"
)

// figure is a plot of the results, written as SVG and PNG: one plot with its
// legend outside the data, or small multiples.
type figure struct {
	Name   string // file name without extension
	Title  string
	Plot   *plot.Plot   // the plot, if one
	Legend *plot.Legend // drawn right of the plot, outside the data; nil: none
	Panels []*plot.Plot // small multiples, drawn in a grid, if no Plot
	Cols   int          // columns of the grid of panels
	// Side, if not nil, is drawn in a strip right of the plot (a colour bar).
	Side func(c draw.Canvas)
	W, H vg.Length // size; 0: 9 × 4.5 inches
	SVG  []byte
}

// palette gives each strategy a colour.
var palette = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xd6, 0x27, 0x28, 0xff}, {0x2c, 0xa0, 0x2c, 0xff},
	{0xff, 0x7f, 0x0e, 0xff}, {0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff},
}

// curve is a daily series plotted for every strategy.
type curve struct {
	name, title, unit string
	series            []string // summed
	// capacity is a facility's capacity to draw, if any, and what it is.
	capacity func(*StrategyResult) float64
	capName  string
	capLabel string // the capacity line's label; "": capName and the value
	per      string // if set, series is divided by this one (a mean)
	scale    float64
	// scaleOf, if set, gives the factor of a strategy's values (0: leave the
	// strategy out).
	scaleOf func(*StrategyResult) float64
	// logIfSpread draws the values on a log scale when the strategies' peaks
	// differ more than tenfold.
	logIfSpread bool
}

// curves are the daily series plotted for every strategy, with their labels.
var curves = []curve{
	{name: "infections", title: "New infections per day", unit: "people per day", series: []string{"new_infections"}, logIfSpread: true},
	{name: "detections", title: "Cases found per day", unit: "people per day", series: []string{"detections"}, logIfSpread: true},
	{name: "found_in_community", title: "Cases found in the community per day", unit: "people per day", series: []string{"detections_community"}, logIfSpread: true},
	{name: "found_in_control", title: "Cases found in control (quarantine, isolation, locked zones) per day", unit: "people per day", series: []string{"detections_in_control"}, logIfSpread: true},
	{name: "infectious", title: "Infectious people", unit: "people", series: []string{"presymptomatic", "symptomatic", "asymptomatic"}, logIfSpread: true},
	{name: "quarantine", title: "People in centralized quarantine", unit: "people", series: []string{"quarantined_centralized"},
		capacity: func(s *StrategyResult) float64 { return float64(s.Rooms) }, capName: "rooms"},
	{name: "isolation", title: "Cases in isolation beds", unit: "beds", series: []string{"isolated"},
		capacity: func(s *StrategyResult) float64 { return float64(s.Beds) }, capName: "beds"},
	{name: "lockdown", title: "People in high- and medium-risk zones", unit: "people", series: []string{"lockdown_high", "lockdown_medium"}},
	{name: "lab_tubes", title: "Tubes sent to the lab per day", unit: "tubes per day", series: []string{"tubes"},
		capacity: func(s *StrategyResult) float64 { return s.LabPerDay }, capName: "what the lab can run in a day"},
	{name: "lab_utilisation", title: "Lab load: tubes sent per day, as a share of what the lab can run in a day", unit: "% of capacity", series: []string{"tubes"},
		scaleOf: func(s *StrategyResult) float64 {
			if s.LabPerDay > 0 {
				return 100 / s.LabPerDay
			}
			return 0
		},
		capacity: func(s *StrategyResult) float64 {
			if s.LabPerDay > 0 {
				return 100
			}
			return 0
		}, capName: "the lab's capacity", capLabel: "100%: the lab's capacity"},
	{name: "lab_backlog", title: "Lab backlog at the end of the day", unit: "tubes waiting", series: []string{"lab_backlog"}},
	{name: "turnaround", title: "Mean time from swab to notification of the day's cases", unit: "hours", series: []string{"turnaround_days_sum"}, per: "detections", scale: 24},
}

// band returns, by day up to end (inclusive; < 0: every day), the median and
// the 5% and 95% quantiles over replications of the sum of the named series
// (a run that ended early counts 0).
func band(runs []Run, names []string, per string, scale float64, end int) (med, lo, hi []float64, any bool) {
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
	if end >= 0 {
		days = min(days, end+1)
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

// capEnd returns the last whole day of a strategy's curves: the day before
// the first of its replications reached the infection cap (its series stop
// there, and the day of the cap is partial), or -1 if none did.
func capEnd(runs []Run) int {
	end := -1
	for _, r := range runs {
		if r.Capped() {
			if d := max(r.CapDay()-1, 0); end < 0 || d < end {
				end = d
			}
		}
	}
	return end
}

// sansFont sets every text of a plot in the sans-serif face of the report's
// page (Liberation Sans, which gonum/plot ships).
func sansFont(p *plot.Plot) {
	for _, f := range []*font.Variant{&p.Title.TextStyle.Font.Variant, &p.X.Label.TextStyle.Font.Variant, &p.Y.Label.TextStyle.Font.Variant,
		&p.X.Tick.Label.Font.Variant, &p.Y.Tick.Label.Font.Variant, &p.Legend.TextStyle.Font.Variant} {
		*f = "Sans"
	}
}

// newPlot returns a plot with a title, in sans-serif.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	sansFont(p)
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	return p
}

// newLegend returns a legend to draw outside the data, in sans-serif.
func newLegend() *plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font.Variant = "Sans"
	l.TextStyle.Font.Size = vg.Points(9)
	l.Top, l.Left = true, true
	l.Padding = vg.Points(2)
	return &l
}

// dayAxis labels the x axis in days or, with a start date, in dates, with a
// tick every week.
func (r *Results) dayAxis(p *plot.Plot) {
	p.X.Label.Text = "day"
	if !r.StartDate.IsZero() {
		p.X.Label.Text = "date"
	}
	p.X.Tick.Marker = weekTicks{r}
}

// weekTicks puts a tick on the x axis (in days) every week: labelled "2 Jan"
// (on Mondays) with a start date, "day 14" without; on long horizons, every
// second or fourth week is labelled.
type weekTicks struct{ r *Results }

// Ticks returns the ticks between min and max days.
func (w weekTicks) Ticks(min, max float64) []plot.Tick {
	first := 0 // the first tick: day 0, or the first Monday
	if !w.r.StartDate.IsZero() {
		first = (8 - int(w.r.StartDate.Weekday())) % 7
	}
	every := 1
	switch span := max - min; {
	case span > 7*40:
		every = 8
	case span > 7*20:
		every = 4
	case span > 7*12:
		every = 2
	}
	var ticks []plot.Tick
	k0 := int(math.Ceil((min - float64(first)) / 7))
	for k := k0; float64(first+7*k) <= max; k++ {
		d := first + 7*k
		t := plot.Tick{Value: float64(d)}
		if k%every == 0 {
			if w.r.StartDate.IsZero() {
				t.Label = fmt.Sprintf("day %d", d)
			} else {
				t.Label = w.r.StartDate.AddDate(0, 0, d).Format("2 Jan")
			}
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// logFloor is where a zero is drawn on a log scale: below 1, the smallest count.
const logFloor = 0.5

// figures draws the curves of every strategy (median line, 90% band) and the
// costs side by side.
func (r *Results) figures() ([]figure, error) {
	var figs []figure
	for _, c := range curves {
		f, ok, err := r.curveFigure(c)
		if err != nil {
			return nil, err
		}
		if ok {
			figs = append(figs, f)
		}
	}
	costs, err := r.costsFigure()
	if err != nil {
		return nil, err
	}
	return append(figs, costs), nil
}

// curveFigure draws one curve for every strategy.
func (r *Results) curveFigure(c curve) (figure, bool, error) {
	p := newPlot(c.title)
	r.dayAxis(p)
	p.Y.Label.Text = c.unit
	leg := newLegend()
	type line struct {
		i              int
		med, lo, hi    []float64
		end            int // the last day drawn when capped, else -1
		days           []int
		cap            float64
		capped, totals int
	}
	var lines []line
	peaks := map[int]float64{}
	for i := range r.Strategies {
		st := &r.Strategies[i]
		scale := c.scale
		if c.scaleOf != nil {
			if scale = c.scaleOf(st); scale == 0 {
				continue
			}
		}
		end := capEnd(st.Runs)
		med, lo, hi, ok := band(st.Runs, c.series, c.per, scale, end)
		if !ok {
			continue
		}
		l := line{i: i, med: med, lo: lo, hi: hi, end: end, totals: len(st.Runs)}
		for _, run := range st.Runs {
			if run.Capped() {
				l.capped++
			}
		}
		for d := range med {
			if !math.IsNaN(med[d]) {
				l.days = append(l.days, d)
				peaks[i] = math.Max(peaks[i], med[d])
			}
		}
		if len(l.days) == 0 {
			continue
		}
		if c.capacity != nil {
			l.cap = c.capacity(st)
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		return figure{}, false, nil
	}
	// A log scale when the strategies' peaks differ more than tenfold.
	lo, hi := math.Inf(1), 0.0
	for _, pk := range peaks {
		lo, hi = math.Min(lo, math.Max(pk, 1)), math.Max(hi, pk)
	}
	logScale := c.logIfSpread && hi > 10*lo
	y := func(v float64) float64 { return v }
	if logScale {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = countLogTicks{}
		p.Y.Min = logFloor
		// On the title: a long rotated axis label shrinks gonum/plot's data area.
		p.Title.Text += " (log scale)"
		y = func(v float64) float64 { return math.Max(v, logFloor) }
	}
	markedCap := false
	for _, l := range lines {
		st := &r.Strategies[l.i]
		col := palette[l.i%len(palette)]
		if len(l.days) > 1 {
			poly := make(plotter.XYs, 0, 2*len(l.days))
			for _, d := range l.days {
				poly = append(poly, plotter.XY{X: float64(d), Y: y(l.hi[d])})
			}
			for k := len(l.days) - 1; k >= 0; k-- {
				poly = append(poly, plotter.XY{X: float64(l.days[k]), Y: y(l.lo[l.days[k]])})
			}
			pg, err := plotter.NewPolygon(poly)
			if err != nil {
				return figure{}, false, err
			}
			pg.Color = color.NRGBA{col.R, col.G, col.B, 0x40} // not premultiplied
			pg.LineStyle.Width = 0
			p.Add(pg)
		}
		xy := make(plotter.XYs, len(l.days))
		for k, d := range l.days {
			xy[k] = plotter.XY{X: float64(d), Y: y(l.med[d])}
		}
		ln, err := plotter.NewLine(xy)
		if err != nil {
			return figure{}, false, err
		}
		ln.Color = col
		ln.Width = vg.Points(1.5)
		p.Add(ln)
		name := st.Name
		if l.capped > 0 {
			name += fmt.Sprintf(" (%d/%d runs capped)", l.capped, l.totals)
		}
		leg.Add(name, ln)
		if l.end >= 0 {
			// The curve stops where the cap stopped the runs: a mark, not a fall
			// to zero.
			last := xy[len(xy)-1]
			sc, err := plotter.NewScatter(plotter.XYs{last})
			if err != nil {
				return figure{}, false, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(5), Shape: draw.CrossGlyph{}}
			p.Add(sc)
			if !markedCap {
				markedCap = true
				mark, _ := plotter.NewScatter(plotter.XYs{})
				mark.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(4), Shape: draw.CrossGlyph{}}
				leg.Add(fmt.Sprintf("stopped at the cap of %s infections", Count(float64(r.MaxInfections))), mark)
			}
		}
	}
	// Capacities: one dashed line for each value, labelled.
	var caps []capLine
	for _, l := range lines {
		if l.cap > 0 {
			caps = append(caps, capLine{l.i, l.cap, len(l.med)})
		}
	}
	if err := r.drawCapacities(p, leg, c, caps); err != nil {
		return figure{}, false, err
	}
	// Headroom, so that the peaks do not touch the frame.
	if logScale {
		p.Y.Max *= 1.5
	} else {
		p.Y.Max *= 1.05
	}
	if !logScale {
		p.Y.Min = 0
		if c.unit != "hours" && c.unit != "% of capacity" {
			p.Y.Tick.Marker = countTicks{}
		}
	}
	leg.Add("shaded: 90% of runs")
	if logScale {
		leg.Add("log scale: 0 on the bottom edge")
	}
	svg, err := render(figure{Plot: p, Legend: leg}, "svg")
	if err != nil {
		return figure{}, false, err
	}
	return figure{Name: c.name, Title: c.title, Plot: p, Legend: leg, SVG: svg}, true, nil
}

// capLine is a strategy's capacity on a plot.
type capLine struct {
	i    int
	cap  float64
	days int
}

// drawCapacities draws each capacity as a dashed line across the plot,
// labelled with its value and, when strategies differ, their names.
func (r *Results) drawCapacities(p *plot.Plot, leg *plot.Legend, c curve, caps []capLine) error {
	if len(caps) == 0 {
		return nil
	}
	days := 0
	byValue := map[float64][]capLine{}
	var values []float64
	for _, cl := range caps {
		days = max(days, cl.days)
		if byValue[cl.cap] == nil {
			values = append(values, cl.cap)
		}
		byValue[cl.cap] = append(byValue[cl.cap], cl)
	}
	sort.Float64s(values)
	var thumb *plotter.Line
	for _, v := range values {
		group := byValue[v]
		cl, err := plotter.NewLine(plotter.XYs{{X: 0, Y: v}, {X: float64(max(days-1, 1)), Y: v}})
		if err != nil {
			return err
		}
		cl.Color = color.Gray{0x55}
		if len(values) > 1 {
			cl.Color = palette[group[0].i%len(palette)]
		}
		cl.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		cl.Width = vg.Points(1)
		p.Add(cl)
		thumb = cl
		label := fmt.Sprintf("%s: %s", c.capName, Count(v))
		if c.capLabel != "" {
			label = c.capLabel
		}
		if len(values) > 1 {
			var names []string
			for _, g := range group {
				names = append(names, r.Strategies[g.i].Name)
			}
			label += " (" + strings.Join(names, ", ") + ")"
		}
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: 0, Y: v}}, Labels: []string{label}})
		if err != nil {
			return err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font.Variant = "Sans"
			lb.TextStyle[i].Font.Size = vg.Points(9)
			lb.TextStyle[i].Color = cl.Color
		}
		lb.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(2)}
		p.Add(lb)
	}
	leg.Add("dashed: "+c.capName, thumb)
	return nil
}

// countLogTicks are the ticks of a log axis of counts: 1, 10, 100… labelled
// with thousands separators, and 2 and 5 between them unlabelled.
type countLogTicks struct{}

// Ticks returns the ticks between min and max.
func (countLogTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(math.Max(min, 1e-9))); math.Pow(10, e) <= max; e++ {
		base := math.Pow(10, e)
		for _, m := range []float64{1, 2, 5} {
			v := m * base
			if v < min || v > max {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 {
				t.Label = Count(v)
				if v < 1 {
					t.Label = fig(Num(v))
				}
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// costPanels are the costs drawn in absolute units, one small plot each: a
// label and the metrics summed.
var costPanels = []struct {
	title, unit string
	metrics     []string
}{
	{"Tests", "swabs", []string{"tests"}},
	{"Centralized quarantine", "person-days", []string{"quarantine_centralized_person_days"}},
	{"Home quarantine", "person-days", []string{"quarantine_home_person_days"}},
	{"Isolation (beds and home)", "person-days", []string{"isolation_person_days", "isolation_home_person_days"}},
	{"High- and medium-risk zones", "person-days", []string{"lockdown_high_person_days", "lockdown_medium_person_days"}},
	{"City-wide restrictions (static)", "person-days", []string{"lockdown_static_person_days"}},
}

// costsFigure draws each cost in its own panel, in absolute units: the
// median of every strategy as a bar labelled with its value (≥ for a lower
// bound), and the 90% range of the runs as a line.
func (r *Results) costsFigure() (figure, error) {
	var panels []*plot.Plot
	for _, cp := range costPanels {
		meds := make(plotter.Values, len(r.Strategies))
		var labels []string
		any := false
		type bar struct{ lo, hi float64 }
		ranges := make([]bar, len(r.Strategies))
		var names []string
		for i := range r.Strategies {
			st := &r.Strategies[i]
			s := r.sumStats(st, cp.metrics)
			names = append(names, st.Name)
			if s.N == 0 {
				labels = append(labels, "")
				continue
			}
			meds[i] = float64(s.Median)
			ranges[i] = bar{float64(s.P05), float64(s.P95)}
			any = any || s.P95 > 0
			lab := shortCount(float64(s.Median))
			if s.Capped > 0 {
				lab = "≥ " + lab
			}
			labels = append(labels, lab)
		}
		if !any {
			continue
		}
		p := newPlot(cp.title)
		p.Title.TextStyle.Font.Size = vg.Points(11)
		p.Y.Label.Text = cp.unit
		p.Y.Tick.Marker = countTicks{}
		p.Y.Min = 0
		for i := range r.Strategies {
			vals := make(plotter.Values, len(r.Strategies))
			vals[i] = meds[i]
			bars, err := plotter.NewBarChart(vals, vg.Points(22))
			if err != nil {
				return figure{}, err
			}
			bars.Color = palette[i%len(palette)]
			bars.LineStyle.Width = 0
			p.Add(bars)
			rg, err := plotter.NewLine(plotter.XYs{{X: float64(i), Y: ranges[i].lo}, {X: float64(i), Y: ranges[i].hi}})
			if err != nil {
				return figure{}, err
			}
			rg.Width = vg.Points(1)
			p.Add(rg)
			p.Y.Max = math.Max(p.Y.Max, ranges[i].hi*1.15)
		}
		xy := make(plotter.XYs, len(r.Strategies))
		for i := range xy {
			xy[i] = plotter.XY{X: float64(i), Y: meds[i]}
		}
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: labels})
		if err != nil {
			return figure{}, err
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i].Font.Variant = "Sans"
			lb.TextStyle[i].Font.Size = vg.Points(8)
			lb.TextStyle[i].XAlign = draw.XCenter
		}
		lb.Offset = vg.Point{Y: vg.Points(3)}
		p.Add(lb)
		p.NominalX(names...)
		p.X.Tick.Label.Rotation = 0.6
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.Font.Size = vg.Points(9)
		panels = append(panels, p)
	}
	title := "Costs: median of the runs (bar, with its value) and 90% of the runs (line)"
	cols := min(3, max(len(panels), 1))
	rows := (len(panels) + cols - 1) / cols
	f := figure{Name: "costs", Title: title, Panels: panels, Cols: cols, W: 9 * vg.Inch, H: vg.Length(max(rows, 1)) * 3.4 * vg.Inch}
	svg, err := render(f, "svg")
	if err != nil {
		return figure{}, err
	}
	f.SVG = svg
	return f, nil
}

// countTicks are the default ticks of a linear axis, labelled as counts
// (thousands separated, no decimals).
type countTicks struct{}

// Ticks returns the ticks between min and max.
func (countTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = Count(ticks[i].Value)
		}
	}
	return ticks
}

// render draws a figure in a format ("svg", "png").
func render(f figure, format string) ([]byte, error) {
	w, h := f.W, f.H
	if w == 0 {
		w, h = 10*vg.Inch, 4.5*vg.Inch
	}
	cv, err := draw.NewFormattedCanvas(w, h, format)
	if err != nil {
		return nil, err
	}
	c := draw.New(cv)
	switch {
	case f.Plot != nil:
		right := vg.Length(0)
		if f.Legend != nil {
			rect := f.Legend.Rectangle(c)
			right = rect.Max.X - rect.Min.X + vg.Points(12)
		}
		if f.Side != nil {
			right = vg.Points(90)
		}
		f.Plot.Draw(draw.Crop(c, 0, -right, 0, 0))
		if f.Legend != nil {
			f.Legend.Draw(draw.Crop(c, w-right+vg.Points(6), 0, 0, -vg.Points(24)))
		}
		if f.Side != nil {
			f.Side(draw.Crop(c, w-right+vg.Points(8), 0, vg.Points(36), -vg.Points(30)))
		}
	case len(f.Panels) > 0:
		rows := (len(f.Panels) + f.Cols - 1) / f.Cols
		tiles := draw.Tiles{Rows: rows, Cols: f.Cols, PadX: vg.Points(8), PadY: vg.Points(8), PadTop: vg.Points(30), PadLeft: vg.Points(4), PadRight: vg.Points(4), PadBottom: vg.Points(4)}
		for k, p := range f.Panels {
			p.Draw(tiles.At(c, k%f.Cols, k/f.Cols))
		}
		if f.Title != "" {
			sty := f.Panels[0].Title.TextStyle
			sty.Font.Size = vg.Points(12)
			sty.XAlign = draw.XCenter
			c.FillText(sty, vg.Point{X: w / 2, Y: h - vg.Points(14)}, f.Title)
		}
	}
	var b bytes.Buffer
	if _, err := cv.WriteTo(&b); err != nil {
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
		png, err := render(f, "png")
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
