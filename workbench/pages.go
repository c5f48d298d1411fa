package workbench

import (
	"embed"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/epiplan/epiplan/internal/report"
	"github.com/epiplan/epiplan/scenarios"
)

//go:embed templates/*.html
var templateFiles embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"cell": cell,
}).ParseFS(templateFiles, "templates/*.html"))

// render writes a page, or an error if the template fails.
func render(w http.ResponseWriter, name string, data any) {
	var b strings.Builder
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, b.String())
}

// home is the workbench page: the library, the editor and form, the runs.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	render(w, "home.html", struct {
		Library         []string
		Default         string
		Runs            []RunInfo
		MaxRuns         int
		MaxFile, Dir    string
		MaxReplications int
	}{
		Library: scenarios.Library(), Default: scenarios.DefaultScenario, Runs: s.runList(), MaxRuns: s.opts.MaxRuns,
		MaxFile: scenarios.Bytes(scenarios.MaxFileSize), Dir: s.opts.Dir, MaxReplications: scenarios.MaxReplications,
	})
}

// side is one run of a comparison.
type side struct {
	ID      string
	Summary *scenarios.Summary
}

// compareRow is a metric of a comparison: its cells for the strategies of
// the first run, then of the second.
type compareRow struct {
	Name, Unit, Definition string
	A, B                   []scenarios.Stats
}

// figurePair is a plot of both runs.
type figurePair struct{ Name string }

// compare shows two runs side by side: the medians and bands of every metric
// of both, and their plots.
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	var sides [2]side
	for i, key := range []string{"a", "b"} {
		id := r.FormValue(key)
		dir, ok := s.runDir(id)
		if !ok {
			http.Error(w, fmt.Sprintf("compare: %s=%q is not a finished run", key, id), http.StatusNotFound)
			return
		}
		sum, err := readSummary(dir)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		sides[i] = side{ID: id, Summary: sum}
	}
	var rows []compareRow
	seen := map[string]bool{}
	metrics := append(append([]scenarios.MetricDoc(nil), sides[0].Summary.Metrics...), sides[1].Summary.Metrics...)
	for _, md := range metrics {
		if seen[md.Name] {
			continue
		}
		seen[md.Name] = true
		row := compareRow{Name: md.Name, Unit: md.Unit, Definition: md.Definition}
		for _, st := range sides[0].Summary.Strategies {
			row.A = append(row.A, stat(st.Metrics, md.Name))
		}
		for _, st := range sides[1].Summary.Strategies {
			row.B = append(row.B, stat(st.Metrics, md.Name))
		}
		rows = append(rows, row)
	}
	// The plots both runs have, by name.
	var figs []figurePair
	pngs, _ := filepath.Glob(filepath.Join(s.opts.Dir, sides[0].ID, "*.png"))
	for _, p := range pngs {
		name := filepath.Base(p)
		if _, err := os.Stat(filepath.Join(s.opts.Dir, sides[1].ID, name)); err == nil {
			figs = append(figs, figurePair{Name: name})
		}
	}
	render(w, "compare.html", struct {
		A, B    side
		Rows    []compareRow
		Figures []figurePair
	}{sides[0], sides[1], rows, figs})
}

func stat(m map[string]scenarios.Stats, name string) scenarios.Stats {
	if st, ok := m[name]; ok {
		return st
	}
	nan := scenarios.Num(math.NaN())
	return scenarios.Stats{Mean: nan, Median: nan, P05: nan, P95: nan}
}

// cell formats a metric's median and 90% band, with its n when some
// replications did not define it.
func cell(st scenarios.Stats, reps int) string {
	if st.N == 0 {
		return "—"
	}
	s := fmt.Sprintf("%s [%s, %s]", num(st.Median), num(st.P05), num(st.P95))
	if st.N < reps {
		s += fmt.Sprintf(" (n=%d)", st.N)
	}
	return s
}

// num formats a figure: thousands separated, three significant digits below.
func num(n scenarios.Num) string {
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
