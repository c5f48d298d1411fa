package scenarios

import (
	"bufio"
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/epiplan/epiplan/internal/report"
)

// reportPage is the self-contained HTML report: plots inline as SVG, tables, the
// scenario's description and sources, the seed and the version.
var reportPage = template.Must(report.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Name}} — epiplan report</title>
<style>
{{template "style"}}h1 { margin-bottom: 0.2em; }
figure { margin: 1.5em 0; }
.finding h3 { margin: 1em 0 0.2em; }
.finding p { margin: 0.2em 0; }
</style>
</head>
<body>
<h1>{{.Name}}</h1>
<p class="meta">{{.RepText}} of each strategy on the same seeds (seed {{.Seed}}), horizon {{.Horizon}}; baseline {{.Baseline}}. Made by epiplan {{.Version}} ({{.GoVersion}}); scenario {{.File}} (SHA-256 {{.Hash}}).</p>
{{if .Description}}<p>{{.Description}}</p>{{end}}

<h2>Findings</h2>
<p>Figures are the median [5%, 95%] over the replications; a figure that rests on fewer than all of them says how many; ≥ marks a lower bound (replications stopped by the infection cap).</p>
{{range .Findings}}<section class="finding"><h3>{{.Strategy}}</h3>
{{range .Sentences}}<p>{{.}}</p>
{{end}}</section>
{{end}}
<h2>Key figures</h2>
<table class="key">
<tr><th></th>{{range .Strategies}}<th>{{.}}</th>{{end}}</tr>
{{range .Key}}<tr><td>{{.Label}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>

<h2>Details: every metric</h2>
<p>Median [5%, 95%] over replications{{if .Capped}}; ≥: a lower bound, from replications stopped by the cap of {{.Cap}} infections ({{.Capped}}){{end}}.</p>
<table>
<tr><th>metric</th>{{range .Strategies}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><td title="{{.Definition}}">{{.Name}} ({{.Unit}})</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>

<h2>Compared with {{.Baseline}}</h2>
<p>Mean paired difference (strategy − baseline, same seeds) with its 95% interval. A difference involving replications stopped by the infection cap is not comparable: their figures are only lower bounds.</p>
<table>
<tr><th>metric</th>{{range .Others}}<th>{{.}}</th>{{end}}</tr>
{{range .Diffs}}<tr><td>{{.Name}}</td>{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>

<h2>Curves</h2>
{{template "figures" .Figures}}

{{if .Sources}}<h2>Sources</h2>
<ul>{{range .Sources}}<li>{{.}}</li>{{end}}</ul>{{end}}
</body>
</html>
`))

type reportRow struct {
	Name, Unit, Definition string
	Cells                  []string
}

// writeReport writes report.html into dir.
func (r *Results) writeReport(dir string, figs []figure) error {
	sum := r.Summarize()
	data := struct {
		Name, Description, Baseline, Horizon, Version, GoVersion, File, Hash string
		RepText, Cap, Capped                                                 string
		Seed                                                                 uint64
		Replications                                                         int
		Strategies, Others, Sources                                          []string
		Rows, Diffs                                                          []reportRow
		Figures                                                              []figure
		Findings                                                             []Finding
		Key                                                                  []KeyMetric
	}{
		Name: r.Scenario, Description: r.Description, Baseline: r.Baseline, Horizon: r.Horizon,
		Version: r.Record.Epiplan, GoVersion: r.Record.Go, File: r.Record.ScenarioFile, Hash: r.Record.ScenarioSHA256[:min(12, len(r.Record.ScenarioSHA256))],
		Seed: r.Seed, Replications: r.Replications, Sources: r.Sources, Figures: figs,
		RepText: plural(r.Replications, "replication"), Findings: r.Findings(), Key: r.KeyMetrics(), Cap: Count(float64(r.MaxInfections)),
	}
	var capped []string
	for _, st := range sum.Strategies {
		if st.Capped > 0 {
			capped = append(capped, fmt.Sprintf("%s: %d of %d", st.Name, st.Capped, len(r.strategy(st.Name).Runs)))
		}
	}
	data.Capped = joinAnd(capped)
	for _, st := range sum.Strategies {
		data.Strategies = append(data.Strategies, st.Name)
		if st.Name != sum.Baseline {
			data.Others = append(data.Others, st.Name)
		}
	}
	for _, md := range sum.Metrics {
		row := reportRow{Name: md.Name, Unit: md.Unit, Definition: md.Definition}
		diff := reportRow{Name: md.Name}
		for _, st := range sum.Strategies {
			s := st.Metrics[md.Name]
			total := len(r.strategy(st.Name).Runs)
			row.Cells = append(row.Cells, StatText(s, md.Unit, total))
			if st.Name != sum.Baseline {
				d := st.VsBaseline[md.Name]
				diff.Cells = append(diff.Cells, DiffText(d, md.Unit, total))
			}
		}
		data.Rows = append(data.Rows, row)
		data.Diffs = append(data.Diffs, diff)
	}
	return writeFile(dir, "report.html", func(w *bufio.Writer) error { return reportPage.Execute(w, data) })
}

// fig formats a figure for a table: thousands separated, a few significant
// digits for small values, "—" for none.
func fig(n Num) string {
	x := float64(n)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return "—"
	case math.Abs(x) >= 1000:
		return report.Thousands(x)
	case x == math.Trunc(x):
		return strings.Replace(fmt.Sprintf("%.0f", x), "-", "−", 1)
	}
	return strings.Replace(fmt.Sprintf("%.3g", x), "-", "−", 1)
}
