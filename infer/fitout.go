package infer

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/epiplan/epiplan/internal/report"
	"github.com/epiplan/epiplan/scenarios"
)

// Record says where a fit's inputs came from, for fit.json.
type Record struct {
	// Command is the command line that made the fit.
	Command []string
	// ScenarioFile and ScenarioSHA256 name the scenario file and its SHA-256.
	ScenarioFile, ScenarioSHA256 string
	// DataFile, DataSHA256 and Column name the data file, its SHA-256 and the
	// column fitted.
	DataFile, DataSHA256, Column string
}

type num = scenarios.Num

// fitJSON is the content of fit.json.
type fitJSON struct {
	Scenario       string         `json:"scenario"`
	ScenarioFile   string         `json:"scenario_file,omitempty"`
	ScenarioSHA256 string         `json:"scenario_sha256,omitempty"`
	Strategy       string         `json:"strategy"`
	Data           dataJSON       `json:"data"`
	Settings       settingsJSON   `json:"settings"`
	Estimates      []estimateJSON `json:"estimates"`
	LogLikelihood  num            `json:"log_likelihood"`
	Dispersion     num            `json:"dispersion"`
	Evaluations    int            `json:"evaluations"`
	BootstrapEvals int            `json:"bootstrap_evaluations"`
	Seconds        float64        `json:"seconds"`
	BootstrapSecs  float64        `json:"bootstrap_seconds"`
	Searches       []searchJSON   `json:"searches"`
	Bootstrap      [][]float64    `json:"bootstrap_values"`
	Capped         int            `json:"capped_replications"`
	Analysis       analysisJSON   `json:"analysis"`
	Curve          []curveJSON    `json:"curve"`
	Forecast       *forecastJSON  `json:"forecast,omitempty"`
	Version        string         `json:"version"`
	GoVersion      string         `json:"go_version"`
	Generated      string         `json:"generated"`
	Command        []string       `json:"command,omitempty"`
}

type dataJSON struct {
	File         string `json:"file,omitempty"`
	SHA256       string `json:"sha256,omitempty"`
	Column       string `json:"column,omitempty"`
	From         string `json:"from"`
	To           string `json:"to"`
	Days         int    `json:"days"`
	ObservedDays int    `json:"observed_days"`
	FirstDay     int    `json:"model_day_of_from"`
}

type settingsJSON struct {
	Objective      string    `json:"objective"`
	Likelihood     string    `json:"likelihood"`
	Dispersion     string    `json:"dispersion"`
	Series         []string  `json:"series"`
	Delay          []float64 `json:"delay"`
	Rho            float64   `json:"rho"`
	Background     float64   `json:"background"`
	Replications   int       `json:"replications"`
	Seed           uint64    `json:"seed"`
	Starts         int       `json:"starts"`
	MaxEvaluations int       `json:"max_evaluations"`
	Tolerance      float64   `json:"tolerance"`
	Bootstrap      int       `json:"bootstrap"`
	Level          float64   `json:"level"`
	Intervals      string    `json:"intervals"`
}

type estimateJSON struct {
	Path       string `json:"path"`
	Lo         num    `json:"lo"`
	Hi         num    `json:"hi"`
	Integer    bool   `json:"integer"`
	Initial    num    `json:"initial"`
	Value      num    `json:"value"`
	IntervalLo num    `json:"interval_lo"`
	IntervalHi num    `json:"interval_hi"`
}

type searchJSON struct {
	Start       []float64 `json:"start"`
	Value       []float64 `json:"value"`
	LogLik      num       `json:"log_likelihood"`
	Evaluations int       `json:"evaluations"`
	Status      string    `json:"status"`
}

type spreadJSON struct {
	Value num `json:"value"`
	Lo    num `json:"lo"`
	Hi    num `json:"hi"`
	Cases int `json:"cases"`
}

type analysisJSON struct {
	DataPeak       string      `json:"data_peak"`
	DataPeakMean   num         `json:"data_peak_7day_mean"`
	DataRising     bool        `json:"data_still_rising"`
	DataGrowth     num         `json:"data_growth_per_day"`
	DataDoubling   num         `json:"data_doubling_days"`
	FittedPeak     string      `json:"fitted_peak"`
	InfectionPeak  string      `json:"infection_peak"`
	FirstDetection string      `json:"first_detection"`
	Growth         num         `json:"growth_before_control_per_day"`
	Doubling       num         `json:"doubling_before_control_days"`
	RBefore        spreadJSON  `json:"r_before_control"`
	RUnder         spreadJSON  `json:"r_under_measures"`
	UnderFrom      string      `json:"r_under_measures_from,omitempty"`
	UnderTo        string      `json:"r_under_measures_to,omitempty"`
	RAfterSwitch   *spreadJSON `json:"r_after_switch,omitempty"`
}

type curveJSON struct {
	Date       string `json:"date"`
	Day        int    `json:"day"`
	Data       num    `json:"data"`
	Mean       num    `json:"mean"`
	Median     num    `json:"median"`
	Lo         num    `json:"lo"`
	Hi         num    `json:"hi"`
	ExpLo      num    `json:"expected_lo"`
	ExpHi      num    `json:"expected_hi"`
	Infections num    `json:"infections"`
}

type forecastJSON struct {
	Date       string              `json:"date"`
	Day        int                 `json:"day"`
	Days       int                 `json:"days"`
	Strategies []string            `json:"strategies"`
	Summary    *scenarios.Summary  `json:"summary"`
	Meaning    map[string]string   `json:"meaning"`
	Curves     map[string][]curveF `json:"expected_counts"`
	Candidates int                 `json:"candidates"`
	Keys       []int               `json:"keys"`
}

type curveF struct {
	Date   string `json:"date"`
	Median num    `json:"median"`
	Lo     num    `json:"lo"`
	Hi     num    `json:"hi"`
}

func spreadOf(s Spread) spreadJSON {
	return spreadJSON{Value: num(s.Value), Lo: num(s.Lo), Hi: num(s.Hi), Cases: s.Cases}
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateFmt)
}

// record builds fit.json's content.
func (f *Fit) record(rec Record, fc *Forecast) (*fitJSON, error) {
	start, _ := f.Scenario.StartTime()
	set := f.Settings
	o := f.Observation
	j := &fitJSON{
		Scenario: f.Scenario.Name, ScenarioFile: rec.ScenarioFile, ScenarioSHA256: rec.ScenarioSHA256, Strategy: f.Strategy,
		Data: dataJSON{File: rec.DataFile, SHA256: rec.DataSHA256, Column: rec.Column, From: dateOf(f.Data.Start),
			To: dateOf(f.Data.Date(f.Data.Len() - 1)), Days: f.Data.Len(), ObservedDays: f.ObservedDays, FirstDay: f.Alignment.Offset},
		Settings: settingsJSON{Objective: string(set.Objective), Likelihood: string(likelihoodOf(o)), Series: o.series(), Delay: o.delay(), Rho: o.rho(), Background: o.Background,
			Replications: f.Replications, Seed: f.Seed, Starts: set.Starts, MaxEvaluations: set.MaxEvaluations, Tolerance: set.Tolerance,
			Bootstrap: max(set.Bootstrap, 0), Level: f.Level},
		LogLikelihood: num(f.LogLik), Dispersion: num(f.Dispersion), Evaluations: f.Evaluations, BootstrapEvals: f.BootstrapEvaluations,
		Seconds: f.Duration.Seconds(), BootstrapSecs: f.BootstrapDuration.Seconds(), Bootstrap: f.Bootstrap, Capped: f.Capped,
		Version: scenarios.Version(), GoVersion: runtime.Version(), Generated: time.Now().UTC().Format(time.RFC3339), Command: rec.Command,
	}
	switch {
	case o.Likelihood != NegBin:
		j.Settings.Dispersion = "none (Poisson)"
	case set.Observation.Dispersion > 0:
		j.Settings.Dispersion = fmt.Sprintf("given: %g", set.Observation.Dispersion)
	default:
		j.Settings.Dispersion = "fitted (profile likelihood)"
	}
	j.Settings.Intervals = "none"
	if set.Bootstrap > 0 {
		j.Settings.Intervals = fmt.Sprintf("parametric bootstrap: %d data sets simulated from the fitted model (replications %d to %d of its seed, with counting noise) and refitted on keys of their own; each interval is the estimate ± t(%d)·s on the logit scale of the range, s the refits' standard deviation there; the intervals are conditional on the model being right and on the ranges searched: they hold the error that the data's noise and the few replications make, not that of the model's structure or of the values it does not fit", set.Bootstrap, f.Replications, f.Replications+set.Bootstrap-1, set.Bootstrap-1)
	}
	for _, e := range f.Estimates {
		j.Estimates = append(j.Estimates, estimateJSON{Path: e.Path, Lo: num(e.Lo), Hi: num(e.Hi), Integer: e.Integer, Initial: num(e.Initial),
			Value: num(e.Value), IntervalLo: num(e.IntervalLo), IntervalHi: num(e.IntervalHi)})
	}
	for _, s := range f.Searches {
		j.Searches = append(j.Searches, searchJSON{Start: s.Start, Value: s.Value, LogLik: num(s.LogLik), Evaluations: s.Evaluations, Status: s.Status})
	}
	a := &f.Analysis
	j.Analysis = analysisJSON{DataPeak: dateOf(a.DataPeak), DataPeakMean: num(a.DataPeakMean), DataRising: a.DataRising, DataGrowth: num(a.DataGrowth), DataDoubling: num(a.DataDoubling),
		FittedPeak: dateOf(a.FittedPeak), InfectionPeak: dateOf(a.InfectionPeak), FirstDetection: dateOf(a.FirstDetection),
		Growth: num(a.Growth), Doubling: num(a.Doubling), RBefore: spreadOf(a.RBefore), RUnder: spreadOf(a.RUnder),
		UnderFrom: dateOf(a.UnderFrom), UnderTo: dateOf(a.UnderTo)}
	if a.RAfterSwitch != nil {
		s := spreadOf(*a.RAfterSwitch)
		j.Analysis.RAfterSwitch = &s
	}
	b := &f.Band
	for d := range b.Mean {
		c := curveJSON{Date: start.AddDate(0, 0, d).Format(dateFmt), Day: d, Data: num(math.NaN()), Mean: num(b.Mean[d]), Median: num(b.Median[d]),
			Lo: num(b.Lo[d]), Hi: num(b.Hi[d]), ExpLo: num(b.ExpLo[d]), ExpHi: num(b.ExpHi[d]), Infections: num(b.Infections[d])}
		if i := d - f.Alignment.Offset; i >= 0 && i < f.Data.Len() {
			c.Data = num(f.Data.Values[i])
		}
		j.Curve = append(j.Curve, c)
	}
	if fc != nil {
		fj := &forecastJSON{Date: dateOf(fc.Date), Day: fc.Day, Days: fc.Days, Summary: fc.Summary, Meaning: map[string]string{}, Curves: map[string][]curveF{},
			Candidates: fc.Candidates, Keys: fc.Keys}
		for i, st := range fc.Results.Strategies {
			fj.Strategies = append(fj.Strategies, st.Name)
			fj.Meaning[st.Name] = fc.Meaning[i]
			med, lo, hi, err := f.observedBand(st.Runs, fc.Day+fc.Days)
			if err != nil {
				return nil, err
			}
			for d := fc.Day; d < len(med); d++ {
				fj.Curves[st.Name] = append(fj.Curves[st.Name], curveF{Date: start.AddDate(0, 0, d).Format(dateFmt), Median: num(med[d]), Lo: num(lo[d]), Hi: num(hi[d])})
			}
		}
		j.Forecast = fj
	}
	return j, nil
}

// likelihoodOf returns the observation's likelihood, Poisson for "".
func likelihoodOf(o Observation) Likelihood {
	if o.Likelihood == "" {
		return Poisson
	}
	return o.Likelihood
}

// Write writes the fit into dir: fit.json (estimates, intervals, likelihood,
// settings, the fitted curve, the analysis, and where the inputs came from),
// the plots (fit, reproduction and, with a forecast, forecast; SVG and PNG)
// and fit.html; with a forecast, also the comparison of the strategies in
// dir/forecast (as epiplan run writes it). Each file is written under a
// temporary name and renamed into place.
func (f *Fit) Write(dir string, rec Record, fc *Forecast) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	j, err := f.record(rec, fc)
	if err != nil {
		return err
	}
	figs, err := f.Figures(fc)
	if err != nil {
		return err
	}
	for _, fig := range figs {
		for _, out := range []struct {
			ext  string
			data []byte
		}{{".svg", fig.SVG}, {".png", fig.PNG}} {
			if err := scenarios.WriteFile(dir, fig.Name+out.ext, func(w *bufio.Writer) error { _, err := w.Write(out.data); return err }); err != nil {
				return err
			}
		}
	}
	if err := scenarios.WriteFile(dir, "fit.json", func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(j)
	}); err != nil {
		return err
	}
	if fc != nil {
		if err := fc.Results.Write(filepath.Join(dir, "forecast")); err != nil {
			return fmt.Errorf("forecast: %w", err)
		}
	}
	return scenarios.WriteFile(dir, "fit.html", func(w *bufio.Writer) error { return f.writeHTML(w, j, figs, fc) })
}

// fitPage is fit.html: a report section on the fit, self-contained.
var fitPage = template.Must(report.New("fit").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.J.Scenario}} — fit to data — epiplan</title>
<style>
{{template "style"}}</style>
</head>
<body>
<section id="fit">
<h1>{{.J.Scenario}}: fit to data</h1>
<p class="meta">Strategy {{.J.Strategy}}; data {{.J.Data.File}}{{if .J.Data.Column}} (column {{.J.Data.Column}}){{end}}, {{.J.Data.From}} to {{.J.Data.To}} ({{.J.Data.ObservedDays}} days with a count); {{.J.Settings.Likelihood}} likelihood, dispersion {{.J.Settings.Dispersion}}; {{.J.Settings.Replications}} replications per evaluation (seed {{.J.Settings.Seed}}), objective {{.J.Settings.Objective}}. {{.J.Evaluations}} evaluations in {{printf "%.1f" .J.Seconds}} s{{if .J.BootstrapEvals}}, intervals {{.J.BootstrapEvals}} more in {{printf "%.1f" .J.BootstrapSecs}} s{{end}}. Generated {{.J.Generated}} by epiplan {{.J.Version}} ({{.J.GoVersion}}).</p>

<h2>Estimates</h2>
<p>Maximum likelihood (log-likelihood {{printf "%.2f" .LogLik}}); intervals at {{.Level}}: {{.J.Settings.Intervals}}.</p>
<table>
<tr><th>field</th><th>range searched</th><th>file's value</th><th>estimate</th><th>{{.Level}} interval</th></tr>
{{range .Rows}}<tr><td>{{.Path}}</td><td>{{.Range}}</td><td>{{.Initial}}</td><td>{{.Value}}</td><td>{{.Interval}}</td></tr>
{{end}}</table>

<h2>What the fit says</h2>
<ul>
{{range .Says}}<li>{{.}}</li>
{{end}}</ul>

{{template "figures" .Figures}}

{{if .Forecast}}<h2>Forecast from {{.Forecast.Date}}</h2>
<p>Each strategy takes over on {{.Forecast.Date}} in every replication of the fitted model ({{.Forecast.Conditioning}}); median [{{.Lo}}, {{.Hi}}] over {{.J.Settings.Replications}} replications of the whole run from day 0, and the paired difference from {{.J.Strategy}}. The full comparison is in <a href="forecast/report.html">forecast/report.html</a>.</p>
<table>
<tr><th>metric</th>{{range .Forecast.Names}}<th>{{.}}</th>{{end}}</tr>
{{range .Forecast.Rows}}<tr><td>{{.Name}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
<ul>{{range .Forecast.Meaning}}<li>{{.}}</li>{{end}}</ul>{{end}}
</section>
</body>
</html>
`))

// writeHTML writes fit.html.
func (f *Fit) writeHTML(w *bufio.Writer, j *fitJSON, figs []Figure, fc *Forecast) error {
	type row struct{ Path, Range, Initial, Value, Interval string }
	type frow struct {
		Name  string
		Cells []string
	}
	data := struct {
		J        *fitJSON
		LogLik   float64
		Level    string
		Lo, Hi   string
		Rows     []row
		Says     []string
		Figures  []Figure
		Forecast *struct {
			Date         string
			Names        []string
			Rows         []frow
			Meaning      []string
			Conditioning string
		}
	}{J: j, LogLik: f.LogLik, Level: fmt.Sprintf("%.0f%%", 100*f.Level), Figures: figs,
		Lo: fmt.Sprintf("%.0f%%", 50-50*f.Level), Hi: fmt.Sprintf("%.0f%%", 50+50*f.Level)}
	for _, e := range f.Estimates {
		r := row{Path: e.Path, Range: fmt.Sprintf("%s – %s", g(e.Lo), g(e.Hi)), Initial: g(e.Initial), Value: g(e.Value), Interval: "—"}
		if !math.IsNaN(e.IntervalLo) {
			r.Interval = fmt.Sprintf("%s – %s", g(e.IntervalLo), g(e.IntervalHi))
		}
		data.Rows = append(data.Rows, r)
	}
	data.Says = f.Says()
	if fc != nil {
		fd := &struct {
			Date         string
			Names        []string
			Rows         []frow
			Meaning      []string
			Conditioning string
		}{Date: dateOf(fc.Date), Meaning: fc.Meaning, Conditioning: fc.Conditioning()}
		for _, st := range fc.Summary.Strategies {
			fd.Names = append(fd.Names, st.Name)
		}
		for _, m := range forecastMetrics {
			r := frow{Name: m}
			d := frow{Name: m + " − " + fc.Summary.Baseline}
			any := false
			for _, st := range fc.Summary.Strategies {
				s, ok := st.Metrics[m]
				if !ok {
					r.Cells = append(r.Cells, "—")
					d.Cells = append(d.Cells, "—")
					continue
				}
				any = true
				r.Cells = append(r.Cells, fmt.Sprintf("%s [%s, %s]", g(float64(s.Median)), g(float64(s.P05)), g(float64(s.P95))))
				if df, ok := st.VsBaseline[m]; ok {
					d.Cells = append(d.Cells, fmt.Sprintf("%s [%s, %s]", g(float64(df.Mean)), g(float64(df.Lo)), g(float64(df.Hi))))
				} else {
					d.Cells = append(d.Cells, "—")
				}
			}
			if any {
				fd.Rows = append(fd.Rows, r, d)
			}
		}
		data.Forecast = fd
	}
	return fitPage.Execute(w, data)
}

// forecastMetrics are the metrics of the forecast table in fit.html.
var forecastMetrics = []string{"infections", "detections", "days_to_community_zero", "tests",
	"quarantine_centralized_person_days", "lockdown_high_person_days", "lockdown_medium_person_days"}

// g formats a figure for the report: thousands separated, four significant
// digits, "—" for none.
func g(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return "—"
	case math.Abs(x) >= 10000:
		return report.Thousands(x)
	}
	return strings.Replace(fmt.Sprintf("%.4g", x), "-", "−", 1)
}

// Says states what the fit says of the outbreak, in sentences.
func (f *Fit) Says() []string {
	a := &f.Analysis
	lv := fmt.Sprintf("%.0f%%", 100*f.Level)
	out := f.OnBounds()
	switch {
	case !a.DataPeak.IsZero():
		s := fmt.Sprintf("The data peak on %s (7-day mean %s a day)", dateOf(a.DataPeak), g(a.DataPeakMean))
		if !math.IsNaN(a.DataGrowth) {
			s += fmt.Sprintf(", after growing by %s%% a day in the week before (doubling in %s days)", g(100*a.DataGrowth), g(a.DataDoubling))
		}
		out = append(out, s+".")
	case a.DataRising:
		s := "The data still rise at their end"
		if !math.IsNaN(a.DataGrowth) {
			s += fmt.Sprintf(", by %s%% a day over their last week (doubling in %s days)", g(100*a.DataGrowth), g(a.DataDoubling))
		}
		out = append(out, s+".")
	}
	if !a.FirstDetection.IsZero() {
		s := fmt.Sprintf("In the fitted model the first case is found on %s (median over replications)", dateOf(a.FirstDetection))
		if !math.IsNaN(a.Growth) {
			s += fmt.Sprintf("; before that, infections grow by %s%% a day (doubling in %s days)", g(100*a.Growth), g(a.Doubling))
		}
		out = append(out, s+".")
	}
	switch {
	case a.InfectionPeak.IsZero() && a.FittedPeak.IsZero():
		out = append(out, "The fitted model's infections and counted cases do not peak before the strategy's switch or the end of the horizon.")
	case a.InfectionPeak.IsZero():
		out = append(out, fmt.Sprintf("The fitted model's counted cases peak on %s (before the strategy's switch, if any); its infections do not peak before it.", dateOf(a.FittedPeak)))
	case a.FittedPeak.IsZero():
		out = append(out, fmt.Sprintf("The fitted model's infections peak on %s (before the strategy's switch, if any); its counted cases do not peak before it.", dateOf(a.InfectionPeak)))
	default:
		out = append(out, fmt.Sprintf("The fitted model's infections peak on %s and its counted cases on %s (before the strategy's switch, if any).", dateOf(a.InfectionPeak), dateOf(a.FittedPeak)))
	}
	if a.RBefore.Cases > 0 {
		out = append(out, fmt.Sprintf("Reproduction number before control (people infected per case infected before the first detection): %s [%s of replications: %s – %s].",
			g(a.RBefore.Value), lv, g(a.RBefore.Lo), g(a.RBefore.Hi)))
	}
	if a.RUnder.Cases > 0 {
		out = append(out, fmt.Sprintf("Under the measures (infections of %s to %s): %s [%s – %s].", dateOf(a.UnderFrom), dateOf(a.UnderTo), g(a.RUnder.Value), g(a.RUnder.Lo), g(a.RUnder.Hi)))
	}
	if a.RAfterSwitch != nil && a.RAfterSwitch.Cases > 0 {
		out = append(out, fmt.Sprintf("After the strategy's switch: %s [%s – %s].", g(a.RAfterSwitch.Value), g(a.RAfterSwitch.Lo), g(a.RAfterSwitch.Hi)))
	}
	for i, sr := range f.Searches {
		if sr.Status == "FunctionEvaluationLimit" {
			out = append(out, fmt.Sprintf("Note: search %d stopped at its limit of %d evaluations before it converged (raise --max-evaluations).", i+1, f.Settings.MaxEvaluations))
		}
	}
	if f.Capped > 0 {
		out = append(out, fmt.Sprintf("Warning: %d of %d replications at the estimate hit the scenario's max_infections; their curves stop there.", f.Capped, f.Replications))
	}
	return out
}

// OnBounds returns a warning for every estimate that sits on a bound of its
// range (within a thousandth of the range): the data may want a value beyond
// it, and the estimate and its interval are then cut by the range, not
// measured.
func (f *Fit) OnBounds() []string {
	var out []string
	for _, e := range f.Estimates {
		tol := 1e-3 * (e.Hi - e.Lo)
		if e.Integer {
			tol = math.Max(tol, 0.5)
		}
		var bound, side string
		switch {
		case e.Value <= e.Lo+tol:
			bound, side = g(e.Lo), "lower"
		case e.Value >= e.Hi-tol:
			bound, side = g(e.Hi), "upper"
		default:
			continue
		}
		out = append(out, fmt.Sprintf("Warning: the estimate of %s (%s) sits on the %s bound of its range [%s, %s]: the data may want a value beyond %s; widen the range (--fit %s=lo:hi) or check the model before using it.",
			e.Path, g(e.Value), side, g(e.Lo), g(e.Hi), bound, e.Path))
	}
	return out
}
