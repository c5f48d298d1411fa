package plan

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/epiplan/epiplan/scenarios"
)

// Manifest is plan.json: the question, how it was searched, the
// recommended plan and every candidate, and what it takes to make it again.
type Manifest struct {
	Epiplan string `json:"epiplan_version"` // module version of the binary
	Go      string `json:"go_version"`      // the Go toolchain that built it
	// Args is the plan's command line after "epiplan plan", for reproduce.
	Args []string `json:"args"`
	// ScenarioFile names the file planned; plan.yaml is its text with the
	// planned strategy alone, ScenarioSHA256 the hash of plan.yaml.
	ScenarioFile   string   `json:"scenario_file"`   // the file planned
	ScenarioSHA256 string   `json:"scenario_sha256"` // hash of plan.yaml
	Sets           []string `json:"sets"`            // fields set on the scenario before the search
	Strategy       string   `json:"strategy"`        // the strategy planned
	Seed           uint64   `json:"seed"`            // root seed of the search (keys 0, 1, …)
	ConfirmSeed    uint64   `json:"confirm_seed"`    // root seed of the confirmation
	Vary           []string `json:"vary,omitempty"`  // the knobs, path=values searched
	Size           []string `json:"size,omitempty"`  // the capacities sized, path=lo:hi
	Targets        []string `json:"targets"`         // as given
	Meanings       []string `json:"meanings"`        // what each target asks, in full
	Minimize       string   `json:"minimize"`        // the metric whose mean is minimised
	// Options are the search's settings (see Options).
	Options struct {
		Levels          int `json:"levels"`               // values of a range
		MaxCandidates   int `json:"max_candidates"`       // most candidates
		MinReplications int `json:"min_replications"`     // runs in the first round
		MaxReplications int `json:"max_replications"`     // runs in the last round
		Finalists       int `json:"finalists"`            // candidates confirmed
		Confirm         int `json:"confirm_replications"` // runs of a confirmation
	} `json:"options"`
	// Recommended is the plan: the cheapest finalist meeting every target on
	// the confirmation; when none does, the nearest, with MeetsTargets false.
	Recommended *PlanOut  `json:"recommended"`
	Finalists   []PlanOut `json:"finalists"`  // every finalist, best first
	Rounds      []Round   `json:"rounds"`     // the race's rounds
	Candidates  []CandOut `json:"candidates"` // every candidate, in grid order
	Runs        int       `json:"runs"`       // runs played by this command (cached ones not counted)
}

// PlanOut is a finalist, as confirmed on fresh seeds.
type PlanOut struct {
	Sets         []string         `json:"sets"`          // the fields of plan.yaml that make it
	MeetsTargets bool             `json:"meets_targets"` // every target's estimate meets it
	Replications int              `json:"replications"`  // confirmation runs
	Objective    Estimate         `json:"objective"`     // mean of the metric minimised
	Targets      []TargetEstimate `json:"targets"`       // each target's estimate
	Costs        []CostItem       `json:"costs"`         // mean of each cost metric
	// Run plays the plan as epiplan run does (in the plan's folder).
	Run string `json:"run"`
}

// TargetEstimate is a target's estimate with its 95% interval.
type TargetEstimate struct {
	Target   string `json:"target"`  // as given
	Meaning  string `json:"meaning"` // what it asks, in full
	Estimate        // its estimate on the confirmation runs
}

// MarshalJSON writes the target and its estimate's fields side by side.
func (t TargetEstimate) MarshalJSON() ([]byte, error) {
	e, err := t.Estimate.MarshalJSON()
	if err != nil {
		return nil, err
	}
	head, _ := json.Marshal(struct {
		Target  string `json:"target"`
		Meaning string `json:"meaning"`
	}{t.Target, t.Meaning})
	return append(append(head[:len(head)-1], ','), e[1:]...), nil
}

// CandOut is a candidate as searched.
type CandOut struct {
	Sets         []string   `json:"sets"`          // the fields that make it
	Replications int        `json:"replications"`  // runs on the search's seeds
	Objective    Estimate   `json:"objective"`     // mean of the metric minimised
	Risk         float64    `json:"risk"`          // share of runs missing a target
	Pareto       bool       `json:"pareto"`        // on the frontier
	Targets      []Estimate `json:"targets"`       // each target's estimate on the search's runs
	Out          string     `json:"out,omitempty"` // why and when it left the race
}

// Manifest returns plan.json's content; args is the command line.
func (r *Result) Manifest(args []string) Manifest {
	p := r.Problem
	m := Manifest{Epiplan: scenarios.Version(), Go: runtime.Version(), Args: args,
		ScenarioFile: r.Scenario.File(), ScenarioSHA256: sha(r.Text), Sets: r.Scenario.Sets(),
		Strategy: p.Strategy, Seed: r.Seed, Minimize: p.Minimize, Rounds: r.Rounds, Runs: r.Runs}
	if m.Sets == nil {
		m.Sets = []string{}
	}
	m.ConfirmSeed = ConfirmSeed(r.Seed)
	if r.Options.ConfirmSeedSet {
		m.ConfirmSeed = r.Options.ConfirmSeed
	}
	for _, k := range p.Vary {
		m.Vary = append(m.Vary, k.Path+"="+strings.Join(k.Values, ","))
	}
	for _, k := range p.Size {
		if k.Integer {
			m.Size = append(m.Size, fmt.Sprintf("%s=%g:%g", k.Path, k.Lo, k.Hi))
		} else {
			m.Size = append(m.Size, fmt.Sprintf("%s=%g:%g/%d", k.Path, k.Lo, k.Hi, k.Steps))
		}
	}
	for _, t := range p.Targets {
		m.Targets = append(m.Targets, t.Text)
		m.Meanings = append(m.Meanings, t.String())
	}
	o := r.Options
	m.Options.Levels, m.Options.MaxCandidates, m.Options.MinReplications = o.Levels, o.MaxCandidates, o.MinReplications
	m.Options.MaxReplications, m.Options.Finalists, m.Options.Confirm = o.MaxReplications, o.Finalists, o.Confirm
	for _, f := range r.Finalists {
		c := r.Candidates[f.Candidate]
		po := PlanOut{Sets: c.Sets, MeetsTargets: f.Met, Replications: f.Replications, Objective: f.Objective, Costs: f.Costs,
			Run: "epiplan run plan.yaml" + setFlags(c.Sets)}
		for i, t := range p.Targets {
			po.Targets = append(po.Targets, TargetEstimate{t.Text, t.String(), f.Targets[i]})
		}
		m.Finalists = append(m.Finalists, po)
	}
	if len(m.Finalists) > 0 {
		rec := m.Finalists[0]
		m.Recommended = &rec
	}
	for _, c := range r.Candidates {
		m.Candidates = append(m.Candidates, CandOut{c.Sets, c.Replications, c.Objective, c.Risk, c.Pareto, c.Targets, c.Out})
	}
	return m
}

// setFlags writes --set flags, quoted for a shell where needed.
func setFlags(sets []string) string {
	var b strings.Builder
	for _, s := range sets {
		b.WriteString(" --set ")
		if strings.ContainsAny(s, " ()'\"*?[]$&;|<>") {
			b.WriteString("'" + strings.ReplaceAll(s, "'", `'\''`) + "'")
		} else {
			b.WriteString(s)
		}
	}
	return b.String()
}

// Write writes the plan into dir: plan.json, plan.yaml (the scenario planned,
// with the planned strategy alone), frontier.csv, frontier.svg and .png,
// plan.html, and recommended/, the outputs of epiplan run for the recommended
// plan on the confirmation's seeds (reproducible with epiplan reproduce).
// args is the command line recorded in plan.json.
func (r *Result) Write(dir string, args []string) error {
	man := r.Manifest(args)
	if err := scenarios.WriteFile(dir, "plan.json", func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(man)
	}); err != nil {
		return err
	}
	if err := scenarios.WriteFile(dir, "plan.yaml", func(w *bufio.Writer) error { _, err := w.Write(r.Text); return err }); err != nil {
		return err
	}
	if err := r.writeFrontierCSV(dir); err != nil {
		return err
	}
	svg, err := r.writeFrontierPlot(dir)
	if err != nil {
		return err
	}
	if err := r.writeHTML(dir, man, svg); err != nil {
		return err
	}
	if r.Played != nil {
		return r.Played.Write(filepath.Join(dir, "recommended"))
	}
	return nil
}

// writeFrontierCSV writes frontier.csv: a row per candidate.
func (r *Result) writeFrontierCSV(dir string) error {
	return scenarios.WriteFile(dir, "frontier.csv", func(w *bufio.Writer) error {
		var paths []string
		for _, k := range r.Problem.Vary {
			paths = append(paths, csvField(k.Path))
		}
		for _, k := range r.Problem.Size {
			paths = append(paths, csvField(k.Path))
		}
		head := append([]string{"candidate"}, paths...)
		head = append(head, "replications", r.Problem.Minimize+"_mean", r.Problem.Minimize+"_lo95", r.Problem.Minimize+"_hi95", "risk", "pareto")
		for i := range r.Problem.Targets {
			head = append(head, fmt.Sprintf("target%d_estimate", i+1), fmt.Sprintf("target%d_met", i+1))
		}
		head = append(head, "out")
		fmt.Fprintln(w, strings.Join(head, ","))
		for i, c := range r.Candidates {
			row := []string{strconv.Itoa(i + 1)}
			for _, v := range c.Values {
				row = append(row, csvField(v))
			}
			row = append(row, strconv.Itoa(c.Replications), fnum(c.Objective.Value), fnum(c.Objective.Lo), fnum(c.Objective.Hi), fnum(c.Risk), strconv.FormatBool(c.Pareto))
			for k := range r.Problem.Targets {
				if k < len(c.Targets) {
					row = append(row, fnum(c.Targets[k].Value), strconv.FormatBool(c.Targets[k].Met))
				} else {
					row = append(row, "", "")
				}
			}
			row = append(row, csvField(c.Out))
			fmt.Fprintln(w, strings.Join(row, ","))
		}
		return nil
	})
}

// writeFrontierPlot draws the candidates' objective against their risk, the
// Pareto set joined and marked, and returns the SVG.
func (r *Result) writeFrontierPlot(dir string) ([]byte, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: %s against risk", r.Problem.Strategy, r.Problem.Minimize)
	p.X.Label.Text = "mean " + r.Problem.Minimize
	p.Y.Label.Text = "risk: share of runs missing a target"
	var all, front plotter.XYs
	for _, c := range r.Candidates {
		if c.Replications == 0 || math.IsNaN(c.Objective.Value) {
			continue
		}
		pt := plotter.XY{X: c.Objective.Value, Y: c.Risk}
		all = append(all, pt)
		if c.Pareto {
			front = append(front, pt)
		}
	}
	if len(all) > 0 {
		sc, err := plotter.NewScatter(all)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle.Color = color.Gray{Y: 140}
		sc.GlyphStyle.Radius = vg.Points(2.5)
		p.Add(sc)
		p.Legend.Add("candidate", sc)
	}
	if len(front) > 0 {
		sortXY(front)
		// The frontier as steps: between two plans of the set, the risk of
		// the cheaper one holds until the dearer one is affordable.
		var steps plotter.XYs
		for i, pt := range front {
			if i > 0 {
				steps = append(steps, plotter.XY{X: pt.X, Y: front[i-1].Y})
			}
			steps = append(steps, pt)
		}
		ln, err := plotter.NewLine(steps)
		if err != nil {
			return nil, err
		}
		pts, err := plotter.NewScatter(front)
		if err != nil {
			return nil, err
		}
		ln.Color = color.RGBA{R: 200, G: 40, B: 40, A: 255}
		pts.Color = ln.Color
		pts.Shape = draw.BoxGlyph{}
		pts.Radius = vg.Points(3.5)
		p.Add(ln, pts)
		p.Legend.Add("Pareto set", ln, pts)
	}
	for _, f := range r.Finalists[:min(1, len(r.Finalists))] {
		c := r.Candidates[f.Candidate]
		if c.Replications > 0 && !math.IsNaN(c.Objective.Value) {
			sc, err := plotter.NewScatter(plotter.XYs{{X: c.Objective.Value, Y: c.Risk}})
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle.Shape = draw.RingGlyph{}
			sc.GlyphStyle.Radius = vg.Points(7)
			sc.GlyphStyle.Color = color.RGBA{B: 200, A: 255}
			p.Add(sc)
			if r.Recommended == 0 {
				p.Legend.Add("recommended", sc)
			} else {
				p.Legend.Add("nearest (no plan met every target)", sc)
			}
		}
	}
	p.Legend.Top = true
	p.Y.Min, p.Y.Max = -0.02, 1.3 // room for the legend above risk 1
	p.Add(plotter.NewGrid())
	var svg []byte
	for _, format := range []string{"svg", "png"} {
		wt, err := p.WriterTo(8*vg.Inch, 5*vg.Inch, format)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		if _, err := wt.WriteTo(&b); err != nil {
			return nil, err
		}
		if format == "svg" {
			svg = b.Bytes()
		}
		if err := scenarios.WriteFile(dir, "frontier."+format, func(w *bufio.Writer) error { _, err := w.Write(b.Bytes()); return err }); err != nil {
			return nil, err
		}
	}
	return svg, nil
}

func sortXY(xy plotter.XYs) {
	for i := 1; i < len(xy); i++ {
		for j := i; j > 0 && xy[j].X < xy[j-1].X; j-- {
			xy[j], xy[j-1] = xy[j-1], xy[j]
		}
	}
}

var page = template.Must(template.New("plan").Funcs(template.FuncMap{
	"f": human,
	"pct": func(x float64) string {
		if math.IsNaN(x) {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*x)
	},
	"join": strings.Join,
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Plan: {{.M.Strategy}}</title>
<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}th{background:#eee}td.l{text-align:left}.no{color:#b00}.yes{color:#070}</style>
</head><body>
<h1>Plan for {{.M.Strategy}} ({{.M.ScenarioFile}})</h1>
{{with .M.Recommended}}
<p class="{{if .MeetsTargets}}yes{{else}}no{{end}}"><b>{{if .MeetsTargets}}Recommended plan: it meets every target on {{.Replications}} fresh runs.{{else}}No candidate met every target on the confirmation runs; this is the nearest.{{end}}</b></p>
<p>Fields: {{if .Sets}}<code>{{join .Sets " "}}</code>{{else}}as in the file{{end}}. Play it with <code>{{.Run}}</code>.</p>
<p>Mean {{$.M.Minimize}}: {{f .Objective.Value}} (95% interval {{f .Objective.Lo}} to {{f .Objective.Hi}}, n = {{.Objective.N}}).</p>
<table><tr><th>target</th><th>meaning</th><th>estimate</th><th>95% interval</th><th>required</th><th>met</th></tr>
{{range .Targets}}<tr><td class="l"><code>{{.Target}}</code></td><td class="l">{{.Meaning}}</td><td>{{f .Value}}</td><td>{{f .Lo}} – {{f .Hi}}</td><td>{{f .Required}}</td><td>{{if .Met}}yes{{else}}<span class="no">no</span>{{end}}</td></tr>
{{end}}</table>
<h3>Costs (means over the confirmation runs)</h3>
<table>{{range .Costs}}<tr><td class="l">{{.Metric}}</td><td>{{f .Mean}}</td></tr>{{end}}</table>
{{else}}<p class="no">The search left no candidate to confirm.</p>{{end}}
<h2>Frontier</h2>
<p>Each point is a candidate on the search's runs (common random numbers): its mean {{.M.Minimize}} against its risk, the share of runs in which some target's event failed. The Pareto set (no candidate is both cheaper and safer) is joined; the recommended plan is ringed. A point on few runs is uncertain: the search stopped playing it once it was surely worse.</p>
<div>{{.SVG}}</div>
<h2>Finalists, on {{.M.Options.Confirm}} fresh runs (seed {{.M.ConfirmSeed}})</h2>
<table><tr><th>fields</th><th>mean {{.M.Minimize}}</th><th>targets met</th></tr>
{{range .M.Finalists}}<tr><td class="l"><code>{{join .Sets " "}}</code></td><td>{{f .Objective.Value}}</td><td>{{if .MeetsTargets}}all{{else}}<span class="no">not all</span>{{end}}</td></tr>{{end}}</table>
<h2>Search</h2>
<p>{{len .M.Candidates}} candidates; {{.M.Runs}} runs. Rounds (successive halving on common random numbers):</p>
<table><tr><th>round</th><th>runs per candidate</th><th>candidates</th><th>dropped</th></tr>
{{range $i, $r := .M.Rounds}}<tr><td>{{$i}}</td><td>{{$r.Replications}}</td><td>{{$r.In}}</td><td>{{$r.Out}}</td></tr>{{end}}</table>
<table><tr><th>#</th><th>fields</th><th>runs</th><th>mean {{.M.Minimize}}</th><th>risk</th><th>Pareto</th><th>left the race</th></tr>
{{range $i, $c := .M.Candidates}}<tr><td>{{$i}}</td><td class="l"><code>{{join $c.Sets " "}}</code></td><td>{{$c.Replications}}</td><td>{{f $c.Objective.Value}}</td><td>{{pct $c.Risk}}</td><td>{{if $c.Pareto}}yes{{end}}</td><td class="l">{{$c.Out}}</td></tr>
{{end}}</table>
<p>Made by epiplan {{.M.Epiplan}} ({{.M.Go}}): <code>epiplan plan {{join .M.Args " "}}</code></p>
</body></html>
`))

// writeHTML writes plan.html, one self-contained page.
func (r *Result) writeHTML(dir string, man Manifest, svg []byte) error {
	// The SVG is our own drawing; its XML header is dropped to inline it.
	s := string(svg)
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:]
	}
	return scenarios.WriteFile(dir, "plan.html", func(w *bufio.Writer) error {
		return page.Execute(w, struct {
			M   Manifest
			SVG template.HTML
		}{man, template.HTML(s)})
	})
}

// fnum writes a figure with 6 significant digits, empty if not finite.
func fnum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// csvField quotes a field if it needs it (RFC 4180).
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// human writes a figure for a reader: whole numbers with thousands
// separators from 10,000 up, 4 significant digits below.
func human(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return "–"
	case math.Abs(x) >= 1e4 && math.Abs(x) < 1e18:
		n := int64(math.Round(math.Abs(x)))
		str := strconv.FormatInt(n, 10)
		for i := len(str) - 3; i > 0; i -= 3 {
			str = str[:i] + "," + str[i:]
		}
		if x < 0 {
			str = "−" + str
		}
		return str
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}
