package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
)

// builtins are the built-in strategies whose values the reference shows, in
// order (no_intervention has neither testing nor response).
var builtins = []string{"ninth_edition", "twenty_measures", "mitigation"}

// defaultsFile is the smallest scenario: nothing but its strategies, so that
// everything else takes its default.
const defaultsFile = `strategies: [{name: ninth_edition}, {name: twenty_measures}, {name: mitigation}, {name: no_intervention}]`

// example is a scenario written for this page, read by the test: a strategy
// that changes a built-in one, and a strategy written in full.
const example = `# Two strategies of your own against a built-in one, in a city of 200,000.
name: my-city
description: Shorter quarantine and twice-weekly screening of workers, against the ninth edition.
seed: 7                    # every strategy plays replication r on the same seed
replications: 10
horizon: 60d               # durations: 60d, 36h, 90m, 1d12h; a bare number is days
max_infections: 20000

population:
  areas:                   # districts, then communities; people live in the leaves
    - {name: east, population: 120000, communities: 12}
    - name: west
      children:
        - {name: west-village, population: 8000, density: 2}   # a dense urban village
        - {name: west-rest, population: 72000, communities: 8}
disease:                   # any field left out keeps its default (Omicron, China 2022)
  latent: "lognormal(mean=2.65, sd=1.3)"
imports: {initial: 5, area: west-village}

resources:                 # given to every strategy that does not set its own
  investigators: 100
  cases_per_day: 3
  quarantine_rooms: 2000

strategies:
  - name: ninth_edition    # a built-in strategy, as it is
  - name: five_day_quarantine
    builtin: ninth_edition # starts from the built-in one…
    response:
      quarantine: {centralized: 5d, home: 3d, tests: [1d, 2d, 3d, 5d, 8d]}   # …and changes this
  - name: screen_workers   # a strategy in full: only what is written is used
    testing:
      test: {name: pcr, lod: 3}
      viral_load: {rise: "uniform(lo=0.5, hi=2.5)", peak: "uniform(lo=6, hi=9)", decline: "uniform(lo=5, hi=9)"}
      lab: {instruments: 20, wells: 94, run_time: 3h, max_wait: 1h}
      courier: "uniform(lo=0.04, hi=0.125)"     # 1 to 3 hours: parameters are in days
      report: "gamma(mean=0.083, sd=0.042)"
      recall: "gamma(mean=0.17, sd=0.083)"
      symptomatic: {probability: 0.8, delay: "gamma(mean=1, sd=0.7)"}
      sites:
        - {name: workplace, people_per_site: 2000, swabs_per_hour: 200, open: 8h, close: 20h, pool: 10, pickup: 2h, travel: 1h}
      screening:
        - {name: workers, group: work, every: 3.5d, sites: workplace}
    response:
      isolation: {delay: "gamma(mean=0.5, sd=0.3)", trip: 2h, stay: "gamma(mean=10, sd=2)"}
baseline: ninth_edition
`

// notes add what the types do not say to some sections.
var notes = map[string]string{
	"scenarios.Costs": `The unit costs of the cost metrics (see [metrics.md](metrics.md#costs)), in ` + "`currency`" + `. The defaults (` + "`scenarios.DefaultCosts`" + `) are assumptions for China in 2022: ` +
		"`swab`" + ` and ` + "`tube`" + ` from the price caps of the National Healthcare Security Administration (April 2022: 16 yuan a single-tube test, 5 yuan a person pooled; with 10-in-1 pooling a swab is 3.8 and a tube 12.2); ` +
		"`lockdown_person_day`" + ` is half of Fuzhou's GDP per person-day in 2021 (1,132 billion yuan for 8.4 million people, Fuzhou statistics bureau); ` +
		"`quarantine_room_day`" + ` is within the 200–400 yuan a day quarantine hotels charged in 2022; the rest are assumptions of the order of magnitude. Put in your own.`,
	"scenarios.Scenario": `The top level of the file. Only ` + "`strategies`" + ` is required.`,
	"scenarios.Resources": `The city's means, written once and given to every strategy that uses them and sets none of its own: ` +
		"`sites`" + ` and ` + "`lab`" + ` to its testing, ` + "`investigators`" + ` (with ` + "`cases_per_day`" + `) to its tracing, ` +
		"`vehicles`" + ` and ` + "`isolation_beds`" + ` to its isolation (unless at home), ` + "`hospital_beds`" + ` and ` +
		"`quarantine_rooms`" + ` to its response. A strategy that starts from a built-in one takes the city's sites and lab in place of the built-in ones, ` +
		`and the built-in ones (the defaults shown under ` + "`strategies[].testing`" + `) when the city gives none. ` +
		"`--set resources.…` on the command line changes the city's means as if the file said so: every strategy that takes them from the city gets the new value.",
	"scenarios.StrategySpec": `A strategy is one of three things. A built-in strategy by its name (` + "`- name: ninth_edition`" + `). ` +
		`A built-in strategy with changes: ` + "`builtin`" + ` names the one it starts from and every field written under ` + "`testing`" + ` or ` + "`response`" +
		` replaces the built-in value, down to single fields (a list is replaced whole). Or a strategy in full: with no ` + "`builtin`" +
		` (and a name that is not a built-in one), only what is written is used; every field left out is zero, and a part left out (` + "`testing`" + ` or ` + "`response`" + `) is not used at all.`,
	"control.TestingConfig":  `The default column shows the values of the built-in strategies (no_intervention has no testing); a strategy written in full starts from zero values instead.`,
	"control.ResponseConfig": `The default column shows the values of the built-in strategies (no_intervention has no response); a strategy written in full starts from zero values instead.`,
}

// scenarioFormat writes docs/scenario-format.md.
func scenarioFormat(root string) ([]byte, error) {
	tr := newTree(reflect.TypeOf(scenarios.Scenario{}))
	c, err := readComments(root, module, []string{module + "/sim", module + "/model", module + "/control", module + "/scenarios"}, tr.types)
	if err != nil {
		return nil, err
	}
	def, err := scenarios.Parse("defaults", []byte(defaultsFile))
	if err != nil {
		return nil, fmt.Errorf("the default scenario: %w", err)
	}
	library, err := os.ReadFile(filepath.Join(root, "scenarios", "library", scenarios.DefaultScenario+".yaml"))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("<!-- Written by `go run ./docs/gen` from the Go source: edit the source, not this page. -->\n\n")
	p("# The scenario file format\n\n")
	p("A scenario file is YAML. It describes a city, a virus, the city's resources and the strategies to compare, and how to run them: ")
	p("`epiplan run FILE` plays every strategy on the same seeds and writes the results; `epiplan validate FILE` only reads it. ")
	p("This page lists every field: its YAML path, type, unit, default, the values it may take and what it is for, ")
	p("with the source of each default that has one.\n\n")
	p("Files are read strictly: an unknown key, a wrong type or an impossible value is an error, and every problem of a file ")
	p("is reported at once, one a line, as `file:line:column: field.path: what is wrong`. Nothing runs on a bad file.\n\n")
	p("- [Writing values](#writing-values)\n- [Limits](#limits)\n- [A complete example](#a-complete-example)\n- [Strategies of your own](#strategies-of-your-own)\n- [Reference](#reference)\n")
	for _, s := range tr.sections {
		p("  - [`%s`](#%s)\n", displayPath(primaryPath(s)), s.anchor())
	}
	p("\n## Writing values\n\n")
	p("| kind | how to write it | examples |\n|---|---|---|\n")
	p("| duration | a number and a unit: `d` (days), `h`, `m` (minutes), `s`, `w` (weeks); parts add up; a bare number is days; never negative | `3.5d`, `12h`, `1d12h`, `90m`, `2` |\n")
	p("| time | a duration since the start of the run (day 0, dated by `start_date`) | `0`, `8h` (8:00 on day 0), `30d` |\n")
	p("| distribution | `family(parameters)`, quoted inside a flow list or map (`{…}`, `[…]`); see below | `gamma(mean=3.8, sd=2.1)`, `fixed(2)` |\n")
	p("| probability, fraction, factor | a number from 0 to 1 | `0.45` |\n")
	p("| list | a YAML list, in block or flow style | `[1d, 2d, 3d]` |\n\n")
	p("Distributions, written as `family(parameters)`; the parameters are plain numbers in the field's unit (days for a delay: 2 hours is `0.083`):\n\n```\n%s```\n\n", distForms(c))
	p("Every field of the file can also be changed on the command line, with its path: `epiplan run FILE --set strategies[1].response.tracing.find.community=0.7`. ")
	p("A path names a list's element by its index from 0 (`strategies[1]`); the value is written as in the file.\n\n")
	p("## Limits\n\n")
	p("Scenario files get shared, so what a file may ask for is bounded; beyond a bound the file gets an error at its line, quickly and in little memory:\n\n")
	p("| what | at most |\n|---|---|\n")
	for _, l := range []struct {
		what string
		max  int64
	}{
		{"size of the file, bytes", scenarios.MaxFileSize},
		{"YAML tokens (flow characters `[ ] { } , & * ? !` count too)", scenarios.MaxTokens},
		{"depth of nested mappings and lists", scenarios.MaxDepth},
		{"nodes once aliases are expanded", scenarios.MaxExpandedNodes},
		{"text once aliases are expanded, bytes", scenarios.MaxExpandedText},
		{"people in the city", model.MaxPopulation},
		{"areas in the city (communities included)", model.MaxAreas},
		{"communities an area is split into", model.MaxCommunities},
		{"age groups", model.MaxAgeGroups},
		{"people in a household", model.MaxHouseholdSize},
		{"strategies", scenarios.MaxStrategies},
		{"servers of one kind in a strategy (lab instruments, vehicles, investigators)", scenarios.MaxServers},
		{"sampling sites of a strategy", scenarios.MaxSites},
		{"replications of a strategy", scenarios.MaxReplications},
		{"horizon, days", int64(scenarios.MaxHorizon)},
		{"points of a sweep", scenarios.MaxSweepPoints},
		{"any duration, time, or value of a delay's distribution, days", int64(scenarios.MaxDelay)},
		{"characters of a name (scenario, strategy, area, site group, age group…)", scenarios.MaxNameLength},
		{"bytes of the description or of one source", scenarios.MaxTextLength},
		{"problems listed for one file (the others are counted)", 100},
	} {
		p("| %s | %s |\n", l.what, thousands(l.max))
	}
	p("\nThe text must be UTF-8 without control characters; numbers must be finite and fit their field (a count is a whole number); only the standard YAML tags are read. ")
	p("A run also estimates its memory from the file and refuses one that would need more than `--max-memory` (see [cluster.md](cluster.md)).\n\n")
	p("More rules, each an error at its line and field, never a silent reading:\n\n")
	p("- **No leading zeros.** `030`, `0700000` and `09` are refused: YAML reads the first two as octal (24 and 229,376) and the last as 9.\n")
	p("- **Names are plain text.** A name (of the scenario, a strategy, an area, a site group, an age group…) has at most %d characters, ", scenarios.MaxNameLength)
	p("no control, format or invisible character (ESC, NUL, CR, tab, zero-width spaces and joiners, bidirectional marks, private-use characters), ")
	p("no leading or trailing space, and does not start with `=`, `+`, `-` or `@` (a spreadsheet opening the CSV outputs would read it as a formula). ")
	p("Names reach terminals, CSV files, SVG and HTML: they are refused, not escaped. A description or a source may also hold line breaks and tabs.\n")
	p("- **Built-in strategies by their exact name.** A strategy named like a built-in one but for a few letters or their case ")
	p("(`ninth_editon`, `Ninth_Edition`), which gives neither `builtin:`, `testing:`, `response:` nor `switch:`, is refused with a \"did you mean\"; ")
	p("so is an unknown `builtin:`. An unknown field gets a \"did you mean\" too, or the list of the fields there.\n")
	p("- **`~` means none.** `testing: ~` and `response: ~` remove the section; a list given as `~` is empty (`mass: ~` is `mass: []`); ")
	p("a section given as `~` is zeroed (`quarantine: ~`). `{}` changes nothing: `testing: {}` keeps the built-in strategy's testing. ")
	p("A number, a duration, a distribution or a name cannot be `~`: leave the field out to keep its default.\n")
	p("- **Delays are bounded.** Every duration and time, and the mean and the largest value of every distribution, is at most %s days (100 years), ", thousands(int64(scenarios.MaxDelay)))
	p("so that sums of delays stay finite (two delays of `fixed(1e308)` would add up to infinity).\n")
	p("- **Imports are people of the city.** The initial imports, those expected at `rate` until `until` or the horizon, and the scheduled ones ")
	p("add up to at most the population; the memory estimate counts them.\n")
	p("- **Every problem at once.** A value of the wrong type (`replications: many`) is reported with its field and without Go's type names, ")
	p("and the rest of the file is still read and checked; the problems that follow only from a value already reported are left out.\n\n")
	p("### Guarantees\n\n")
	p("These hold for any input within the limits above, and are tested:\n\n")
	p("- **Linear time.** Reading and validating a file takes time linear in its size: `BenchmarkParse` (in `scenarios/`) reads a file at the size limit, ")
	p("with 6,000 durations and 1,500 scheduled imports, in well under the 1 s it must take (0.19 s on a loaded 2-core machine).\n")
	p("- **What validates runs.** A file that `epiplan validate` accepts runs without a panic (`TestValidEdgesRun`; the fuzz target `FuzzParse` checks ")
	p("that what parses attaches to a model).\n")
	p("- **Signals are answered within 1 s.** `run`, `sweep`, `merge`, `reproduce` and `fit` take SIGINT or SIGTERM within a second of wall time whatever the scenario: ")
	p("each stops (after half a second of grace for the run to end by itself, at once at a second signal), deletes ")
	p("the output folder it was writing and exits with status 130; the other commands are stopped at once by the default handling. Temporary folders ")
	p("(`.OUT.new-*`) that a killed process (SIGKILL) left are deleted by the next run into the same folder (`TestSignalsAnsweredWithinASecond`, on a scenario ")
	p("with a mass-testing round every second).\n")
	p("- **Memory within the estimate.** No run's memory exceeds its estimate (the figure checked against `--max-memory`) by more than 25%% ")
	p("(`TestMemoryEstimate`, `TestPeakMemoryWithinTheEstimate`).\n")
	p("- **Output folders.** `--out` is checked before any work (a dangling symbolic link, the current folder, a folder of the user's); ")
	p("`--force` replaces only a folder epiplan made and only if it holds nothing but the files epiplan wrote there.\n\n")
	p("The files of `scenarios/testdata/adversarial/` are hostile inputs, each with the errors it must get; they seed the fuzz target.\n\n")
	p("## A complete example\n\n")
	p("The library scenario `%s` (`scenarios/library/%s.yaml`), which `epiplan run` plays when no file is given:\n\n```yaml\n%s```\n\n",
		scenarios.DefaultScenario, scenarios.DefaultScenario, library)
	p("## Strategies of your own\n\n")
	p("A built-in strategy as it is, a built-in strategy with changes, and a strategy written in full (this file is checked by the test of `docs/gen`):\n\n```yaml\n%s```\n\n", example)
	p("## Reference\n\n")
	p("Each section below is one part of the file, and one Go type (named for those who build scenarios in Go; `go doc` shows the same text). ")
	p("\"[]\" in a path stands for any element of a list. ")
	p("Sources of the defaults: [A] marks a modelling assumption and [D] a value derived from published figures; the rest are cited.\n\n")
	for _, s := range tr.sections {
		writeSection(&b, s, c, def)
	}
	return b.Bytes(), nil
}

// primaryPath is the path under which a section is shown: the one in a
// strategy when there is one (to show the built-in defaults), else the
// shortest.
func primaryPath(s *section) string {
	if len(s.paths) == 1 {
		return s.paths[0]
	}
	best := ""
	for _, p := range s.paths {
		if best == "" && p != "" {
			best = p
		}
		strat := strings.HasPrefix(p, "strategies[]")
		if strat && !strings.HasPrefix(best, "strategies[]") || strat == strings.HasPrefix(best, "strategies[]") && len(p) < len(best) {
			best = p
		}
	}
	return best
}

func displayPath(p string) string {
	if p == "" {
		return "(top level)"
	}
	return p
}

// distForms returns the code block of sim.ParseDist's doc comment.
func distForms(c *comments) string {
	var b strings.Builder
	for _, l := range strings.Split(c.funcs["sim.ParseDist"], "\n") {
		if strings.HasPrefix(l, "\t") {
			b.WriteString(strings.TrimPrefix(l, "\t") + "\n")
		}
	}
	return b.String()
}

// writeSection writes the table of one section.
func writeSection(b *bytes.Buffer, s *section, c *comments, def *scenarios.Scenario) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	path := primaryPath(s)
	p("<a id=\"%s\"></a>\n### `%s`\n\n", s.anchor(), displayPath(path))
	p("Go type `%s`", s.name)
	var also []string
	for _, q := range s.paths {
		if q != path {
			also = append(also, "`"+displayPath(q)+"`")
		}
	}
	if len(also) > 0 {
		p("; also at %s", strings.Join(also, ", "))
	}
	p(".\n\n")
	if doc := c.types[s.name]; doc != "" {
		p("%s\n\n", prose(doc, s))
	}
	if n := notes[s.name]; n != "" {
		p("%s\n\n", n)
	}
	p("| field | type | unit | valid values | default | what it is for |\n|---|---|---|---|---|---|\n")
	var blocks []string
	for _, f := range s.fields {
		in := infos[f.key]
		unit, valid := in.unit, in.valid
		d := defaultText(s, f, path, def)
		if f.key == "scenarios.Scenario.Strategies" {
			d = "none: required"
		}
		if len(d) > 110 {
			blocks = append(blocks, fmt.Sprintf("Default of `%s`:\n\n```yaml\n%s\n```\n", f.yaml, blockDefault(s, f, path, def)))
			d = "below"
		}
		if d != "" && d != "—" && d != "below" && d != "none: required" && !strings.Contains(d, "`") {
			d = "`" + d + "`"
		}
		p("| `%s` | %s | %s | %s | %s | %s |\n", f.yaml, typeText(f.typ), cell(unit), cell(valid), cell(d), prose(c.fields[f.key], s))
	}
	p("\n")
	for _, bl := range blocks {
		p("%s\n", bl)
	}
	writeSources(b, s, c)
}

// defaultText returns the default of field f of section s shown at path: the
// value in the default scenario, or the values in the built-in strategies; "—"
// for the fields of a list's elements.
func defaultText(s *section, f *field, path string, def *scenarios.Scenario) string {
	if f.sec != nil && f.typ.Kind() == reflect.Struct {
		return "" // the type links to the section, which shows the defaults
	}
	full := f.yaml
	if path != "" {
		full = path + "." + f.yaml
	}
	if strings.HasPrefix(full, "strategies[]") {
		if strings.Count(full, "[]") > 1 || path == "strategies[]" {
			return "—"
		}
		var vals []string
		for _, name := range builtins {
			v, ok := valueAt(reflect.ValueOf(def).Elem(), full, strategyIndex(def, name))
			if !ok {
				vals = append(vals, "none")
				continue
			}
			vals = append(vals, formatValue(v, false))
		}
		same := true
		for _, v := range vals[1:] {
			same = same && v == vals[0]
		}
		if same {
			return vals[0]
		}
		var parts []string
		for i, name := range builtins {
			parts = append(parts, name+" `"+vals[i]+"`")
		}
		return strings.Join(parts, "; ")
	}
	if strings.Contains(full, "[]") {
		return "—"
	}
	v, ok := valueAt(reflect.ValueOf(def).Elem(), full, 0)
	if !ok {
		return "none"
	}
	return formatValue(v, false)
}

// blockDefault writes a long default as YAML, one element of a list a line.
func blockDefault(s *section, f *field, path string, def *scenarios.Scenario) string {
	full := f.yaml
	if path != "" {
		full = path + "." + f.yaml
	}
	write := func(v reflect.Value, indent string) string {
		if v.Kind() == reflect.Slice && v.Len() > 0 && isSection(v.Type().Elem()) {
			var lines []string
			for i := 0; i < v.Len(); i++ {
				lines = append(lines, indent+"  - "+formatValue(v.Index(i), true))
			}
			return indent + f.yaml + ":\n" + strings.Join(lines, "\n")
		}
		return indent + f.yaml + ": " + formatValue(v, false)
	}
	if strings.HasPrefix(full, "strategies[]") {
		var parts []string
		for _, name := range builtins {
			v, ok := valueAt(reflect.ValueOf(def).Elem(), full, strategyIndex(def, name))
			if !ok {
				continue
			}
			parts = append(parts, "# "+name+"\n"+write(v, ""))
		}
		return strings.Join(parts, "\n")
	}
	v, _ := valueAt(reflect.ValueOf(def).Elem(), full, 0)
	return write(v, "")
}

func strategyIndex(sc *scenarios.Scenario, name string) int {
	for i, st := range sc.Strategies {
		if st.Name == name {
			return i
		}
	}
	return -1
}

// writeSources lists the sources of the section's defaults, each text once
// with the fields it is the source of.
func writeSources(b *bytes.Buffer, s *section, c *comments) {
	type entry struct {
		where, via, text string
		fields           []string
	}
	path := primaryPath(s)
	var entries []*entry
	for _, f := range s.fields {
		for _, src := range c.sources[f.key] {
			via := src.via
			if via != "" && (path == via || strings.HasSuffix(path, "."+via)) {
				via = "" // set at the path the section is shown at
			}
			var e *entry
			for _, x := range entries {
				if x.where == src.where && x.via == via && x.text == src.text {
					e = x
				}
			}
			if e == nil {
				e = &entry{where: src.where, via: via, text: src.text}
				entries = append(entries, e)
			}
			e.fields = append(e.fields, "`"+f.yaml+"`")
		}
	}
	if len(entries) == 0 {
		return
	}
	fmt.Fprintf(b, "Sources of the defaults:\n\n")
	for _, e := range entries {
		var where []string
		if e.where != "" {
			where = append(where, e.where)
		}
		if e.via != "" {
			where = append(where, "in `"+e.via+"`")
		}
		if len(where) > 0 {
			where = []string{" (" + strings.Join(where, ", ") + ")"}
		}
		fmt.Fprintf(b, "- %s%s: %s\n", strings.Join(e.fields, ", "), strings.Join(where, ""), prose(e.text, nil))
	}
	fmt.Fprintln(b)
}

// metricsPage writes docs/metrics.md from model.MetricNames and control.MetricNames.
func metricsPage() []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("<!-- Written by `go run ./docs/gen` from model.MetricNames and control.MetricNames: edit the source, not this page. -->\n\n")
	p("# Metrics\n\n")
	p("Every replication of every strategy reports these figures (`model.MetricNames`, then `control.MetricNames` for the testing pipeline and the response; `go doc ./model MetricNames`, `go doc ./control MetricNames`). ")
	p("The model's own come first; those marked (testing) or (response) come from a strategy's testing pipeline or response, ")
	p("A strategy without that part used none of it: its counts and costs are 0, and its times (`days_to_…`) are undefined. ")
	p("A figure that is undefined in a replication (NaN: no detection, so no `days_to_community_zero`) is left out of the statistics, which say over how many replications they were taken (`n`). ")
	p("`summary.json` and `summary.csv` give, for every strategy and metric, the mean, median and 5th and 95th percentiles over the replications, ")
	p("and the paired difference from the baseline strategy (replication by replication, on the same seeds) with its 95%% interval; ")
	p("`summary.json` repeats this table.\n\n")
	p("A replication stopped by `max_infections` is *capped*: its figures are lower bounds (censored), and so is every statistic that includes it. ")
	p("`summary.json` gives each strategy's `capped` count and `cap_day`, and each statistic's `capped` (how many of its `n` values are lower bounds; `summary.csv` has the same column); ")
	p("the console and `report.html` write such figures with `≥`. A paired difference that involves a capped replication is not comparable: ")
	p("its mean and interval are null, and `not_comparable` (`diff_note` in `summary.csv`) says why. A statistic over fewer than all replications says over how many (\"(4 of 20 runs)\").\n\n")
	p("| metric | unit | definition |\n|---|---|---|\n")
	for _, m := range slices.Concat(model.MetricNames, control.MetricNames) {
		p("| `%s` | %s | %s |\n", m.Name, cell(m.Unit), cell(m.Definition))
	}
	p("\n## Costs\n\n")
	p("Every run also reports what its strategy spent, in the scenario's `costs.currency` (yuan by default), from the metrics above, ")
	p("the capacities the strategy holds and the unit costs of the scenario's `costs:` section (`scenarios.CostMetricNames`; ")
	p("the defaults, `scenarios.DefaultCosts`, are assumptions with their sources in [scenario-format.md](scenario-format.md#scenarios-costs)). ")
	p("A strategy that switches pays the fixed costs of the capacities it starts with.\n\n")
	p("| metric | unit | definition |\n|---|---|---|\n")
	for _, m := range scenarios.CostMetricNames {
		p("| `%s` | %s | %s |\n", m.Name, cell(m.Unit), cell(m.Definition))
	}
	return b.Bytes()
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
