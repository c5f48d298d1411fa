package scenarios

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// Scenario is a scenario file: a city, a virus, the city's resources and the
// strategies to compare, with how to run them. Every field has a default (the
// Omicron city of model.DefaultConfig, 20 replications of 120 days).
type Scenario struct {
	// Name names the scenario in the outputs and the report's title.
	Name string `yaml:"name"`
	// Description says what the scenario asks, for the report.
	Description string `yaml:"description"`
	// Sources lists where the scenario's values come from, for the report.
	Sources []string `yaml:"sources"`
	// StartDate is the calendar date of day 0 (YYYY-MM-DD), for the time axis of
	// the plots; empty means days.
	StartDate string `yaml:"start_date"`

	// Seed is the root of every random draw: replication r of every strategy
	// draws from sim.NewStream(Seed).Key(r).
	Seed uint64 `yaml:"seed"`
	// Replications is the number of runs of each strategy.
	Replications int `yaml:"replications"`
	// Horizon is the length of a run; a run ends earlier when no one is
	// infectious and no import is due, at the infection cap, or by the
	// community-zero rule.
	Horizon sim.Duration `yaml:"horizon"`
	// MaxInfections stops a run once this many people have been infected and
	// counts it as uncontrolled; 0 means no cap.
	MaxInfections int `yaml:"max_infections"`
	// Rescale lets a large epidemic be simulated at a scale (model.Rescale):
	// past threshold people infected, each simulated infection stands for
	// several people, so that a whole epidemic in a city of millions takes
	// seconds. Runs that stay below the threshold are exact; threshold: 0 keeps
	// every run exact.
	Rescale model.Rescale `yaml:"rescale"`
	// StopAfterCommunityZero ends a replication once no case has been found in
	// the community for that long after the first detection (0: never).
	StopAfterCommunityZero sim.Duration `yaml:"stop_after_community_zero"`

	// Population is the city (default: one area of 1,000,000 people).
	Population model.Population `yaml:"population"`
	// Disease is the virus (default: Omicron as in China in 2022).
	Disease model.Disease `yaml:"disease"`
	// Imports are the infections from outside (default: 10 at time 0).
	Imports model.Imports `yaml:"imports"`
	// Resources are the city's means, given to the strategies.
	Resources Resources `yaml:"resources"`
	// Costs are the unit costs of the means, for the cost metrics (default:
	// DefaultCosts).
	Costs Costs `yaml:"costs"`

	// Strategies are the strategies to compare, each played on the same seeds;
	// at least one.
	Strategies []StrategySpec `yaml:"strategies"`
	// Baseline names the strategy the others are compared with (default: the
	// first).
	Baseline string `yaml:"baseline"`

	file    string
	astFile *ast.File
	source  []byte   // the file as read
	sets    []string // the fields changed by Set since, as path=value
	// cities is shared by the scenario's runs and its clones' (Clone copies
	// it as it is): the runs of one replication draw their city once, across
	// strategies, sweeps and a calibration's evaluations.
	cities *model.Cities
}

// Resources are the city's means, given to every strategy that uses them (a
// strategy's own values win where it sets them).
type Resources struct {
	// Sites are the sampling sites, for every strategy that tests and has none
	// of its own.
	Sites []control.SiteGroup `yaml:"sites"`
	// Lab is the PCR lab network, for every strategy that tests and has none of
	// its own.
	Lab *control.LabConfig `yaml:"lab"`
	// Investigators is the number of contact tracers, for every strategy that
	// traces and gives no number of its own.
	Investigators int `yaml:"investigators"`
	// CasesPerDay is the number of cases one investigator completes in a day,
	// given with Investigators.
	CasesPerDay float64 `yaml:"cases_per_day"`
	// Vehicles is the number of transfers to isolation that can be under way at
	// once, for every strategy that isolates cases away from home.
	Vehicles int `yaml:"vehicles"`
	// IsolationBeds is the number of isolation beds (fangcang), for every
	// strategy that isolates cases away from home.
	IsolationBeds int `yaml:"isolation_beds"`
	// HospitalBeds is the number of hospital beds for severe cases, for every
	// strategy with a response.
	HospitalBeds int `yaml:"hospital_beds"`
	// QuarantineRooms is the number of centralized quarantine rooms, for every
	// strategy with a response.
	QuarantineRooms int `yaml:"quarantine_rooms"`
}

// StrategySpec is a strategy of a scenario: a built-in one by name, with
// overrides of any of its fields, or one defined in full.
type StrategySpec struct {
	// Name names the strategy in the outputs; a built-in strategy's name alone
	// plays that strategy.
	Name string `yaml:"name"`
	// Builtin names the built-in strategy it starts from (default: Name, if it
	// is a built-in one; otherwise nothing).
	Builtin string `yaml:"builtin"`
	// Testing is how the strategy finds cases: the built-in strategy's testing
	// with the fields given here replaced, or, without a built-in strategy, only
	// what is given here (none: no testing).
	Testing *control.TestingConfig `yaml:"testing"`
	// Response is what the strategy does about the cases found, read as Testing
	// is (none: no response).
	Response *control.ResponseConfig `yaml:"response"`
	// Switch, if set, hands the strategy over to another strategy of the
	// scenario at a time (see control.Switch).
	Switch *SwitchSpec `yaml:"switch"`
}

// SwitchSpec is the switch of a strategy to another at a time: "switch: {at:
// 41d, to: twenty_measures}" plays the strategy until day 41 and the strategy
// named twenty_measures from then on.
type SwitchSpec struct {
	At sim.Time `yaml:"at"` // when, since day 0
	To string   `yaml:"to"` // the name of another strategy of the scenario
}

// Config returns the model configuration of the scenario.
func (s *Scenario) Config() *model.Config {
	return &model.Config{Population: s.Population, Disease: s.Disease, Imports: s.Imports}
}

// Options returns the run options of the scenario.
func (s *Scenario) Options() model.Options {
	return model.Options{Horizon: sim.Time(s.Horizon), MaxInfections: s.MaxInfections, Rescale: s.Rescale, Cities: s.cities}
}

// Strategy returns strategy i, with the city's resources and its switches.
func (s *Scenario) Strategy(i int) control.Strategy {
	sp := s.Strategies[i]
	st := control.Strategy{Name: sp.Name, Testing: sp.Testing, Response: sp.Response}
	if sw := sp.Switch; sw != nil {
		if j := s.StrategyIndex(sw.To); j >= 0 && s.switchLoop(i) == "" {
			st.Switch = &control.Switch{At: sw.At, To: s.Strategy(j)}
		}
	}
	return st
}

// StrategyIndex returns the index of the strategy of that name, or -1.
func (s *Scenario) StrategyIndex(name string) int {
	for i, sp := range s.Strategies {
		if sp.Name == name {
			return i
		}
	}
	return -1
}

// StrategyNames returns the names of the strategies, in order.
func (s *Scenario) StrategyNames() []string {
	var names []string
	for _, sp := range s.Strategies {
		names = append(names, sp.Name)
	}
	return names
}

// switchLoop returns a description of the loop the switches from strategy i
// run into ("a → b → a"), or "" if they end.
func (s *Scenario) switchLoop(i int) string {
	seen := map[int]bool{}
	path := []string{}
	for i >= 0 {
		path = append(path, s.Strategies[i].Name)
		if seen[i] {
			return strings.Join(path, " → ")
		}
		seen[i] = true
		sw := s.Strategies[i].Switch
		if sw == nil {
			return ""
		}
		i = s.StrategyIndex(sw.To)
	}
	return ""
}

// applyResources gives a strategy the city's resources where it has none of its
// own (a zero capacity, no sites).
func (s *Scenario) applyResources(sp *StrategySpec) {
	res := &s.Resources
	if tc := sp.Testing; tc != nil {
		if len(res.Sites) > 0 && len(tc.Sites) == 0 {
			tc.Sites = append([]control.SiteGroup(nil), res.Sites...)
		}
		if res.Lab != nil && tc.Lab.Instruments == 0 {
			tc.Lab = *res.Lab
		}
	}
	if rc := sp.Response; rc != nil {
		setIf := func(dst *int, v int) {
			if *dst == 0 && v > 0 {
				*dst = v
			}
		}
		if rc.Tracing.Enabled && rc.Tracing.Investigators == 0 && res.Investigators > 0 {
			rc.Tracing.Investigators, rc.Tracing.CasesPerDay = res.Investigators, res.CasesPerDay
		}
		if !rc.Isolation.AtHome {
			setIf(&rc.Isolation.Vehicles, res.Vehicles)
			setIf(&rc.Isolation.Beds, res.IsolationBeds)
		}
		setIf(&rc.Isolation.HospitalBeds, res.HospitalBeds)
		setIf(&rc.Quarantine.Rooms, res.QuarantineRooms)
	}
}

// DefaultRescaleThreshold is the number of people infected after which a
// scenario's runs rescale (model.Rescale) unless the file says otherwise: at
// 50,000 a run has reached tens of generations of thousands of cases, far past
// where chance decides its course, and is 0.6% of a city like Fuzhou.
const DefaultRescaleThreshold = 50000

// defaults returns a scenario with every default.
func defaults() *Scenario {
	cfg := model.DefaultConfig()
	return &Scenario{
		Seed: 1, Replications: 20, Horizon: 120,
		Rescale:    model.Rescale{Threshold: DefaultRescaleThreshold, Budget: model.DefaultRescaleBudget, MaxScale: model.DefaultRescaleMaxScale},
		Population: cfg.Population, Disease: cfg.Disease, Imports: cfg.Imports,
		Costs:  DefaultCosts(),
		cities: model.NewCities(0),
	}
}

// Load reads and validates a scenario file. A file larger than MaxFileSize is
// refused before it is read.
func Load(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s:1:1: the file is %d bytes, more than the limit of %d (512 KiB)", path, st.Size(), MaxFileSize)
	}
	// A pipe or a device says nothing of its size: read one byte more than the
	// limit, which Parse then refuses.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Parse(filepath.Clean(path), data)
}

// Parse reads a scenario from data (file names it in errors) and validates it.
// Every problem is reported, each as "file:line:column: field.path: what is
// wrong", one a line. Before decoding, the text is checked against the limits
// MaxFileSize, MaxTokens, MaxDepth, MaxExpandedNodes and MaxExpandedText, so
// that any input gives a scenario or an error quickly, in little memory.
func Parse(file string, data []byte) (*Scenario, error) {
	return parse(file, data, nil)
}

// parse is Parse with a hook: pre, if not nil, changes the scenario after the
// file is decoded and before its strategies are built from the built-in ones
// and the city's resources.
func parse(file string, data []byte, pre func(*Scenario) error) (*Scenario, error) {
	if len(data) > MaxFileSize {
		return nil, checkText(file, data)
	}
	if len(strings.TrimSpace(strings.TrimPrefix(string(data), byteOrderMark))) == 0 {
		return nil, fmt.Errorf("%s:1:1: the file is empty", file)
	}
	f, body, err := parseYAML(file, data)
	if err != nil {
		return nil, err
	}
	if body == nil {
		return nil, fmt.Errorf("%s:1:1: the file has no fields (only comments or an empty document)", file)
	}
	fc := &fieldChecker{file: file}
	fc.check(body, reflect.TypeFor[Scenario](), "")
	// The values that are wrong are dropped from the tree; the rest is read
	// and checked, and every problem reported at once (the problems that the
	// dropped values cause further on are left out).
	var builtinErrs []error // reported as they are, not filtered
	fail := func(err error) (*Scenario, error) {
		all := errors.Join(fc.err(), errors.Join(builtinErrs...), fc.filter(err))
		if all == nil {
			// Only problems that follow from others, which were all dropped:
			// cannot be, but never return neither a scenario nor an error.
			all = fmt.Errorf("%s:1:1: the file is not valid", file)
		}
		return nil, capErrors(file, all)
	}
	s := defaults()
	s.file, s.astFile, s.source = file, f, data
	if err := decode(file, body, s); err != nil {
		return fail(s.decodeError(err))
	}
	if pre != nil {
		if err := pre(s); err != nil {
			return fail(err)
		}
	}
	if len(s.Strategies) > MaxStrategies {
		return fail(s.problem("strategies", fmt.Sprintf("at most %d strategies, got %d (compare more with a sweep)", MaxStrategies, len(s.Strategies))))
	}
	// Each strategy again, starting from its built-in strategy, so that what the
	// file gives overrides it.
	for i := range s.Strategies {
		sp := &s.Strategies[i]
		base := sp.Builtin
		if base == "" {
			if _, err := control.BuiltinStrategy(sp.Name); err == nil {
				base = sp.Name
			} else if msg := s.notBuiltin(i); msg != "" {
				builtinErrs = append(builtinErrs, s.problem(fmt.Sprintf("strategies[%d].name", i), msg))
			}
		}
		spec := StrategySpec{Name: sp.Name, Builtin: sp.Builtin}
		if base != "" {
			b, err := control.BuiltinStrategy(base)
			if err != nil {
				msg := fmt.Sprintf("%q is not a built-in strategy (built in: %s)", base, strings.Join(control.BuiltinStrategies(), ", "))
				if near := suggest(base, control.BuiltinStrategies()); near != "" {
					msg = fmt.Sprintf("%q is not a built-in strategy (did you mean %q?)", base, near)
				}
				builtinErrs = append(builtinErrs, s.problem(fmt.Sprintf("strategies[%d].builtin", i), msg))
				// What else is wrong with it follows from this.
				fc.badPaths = append(fc.badPaths, fmt.Sprintf("strategies[%d]", i))
				continue
			}
			// The built-in strategy with the city's resources, then what the file
			// says of this strategy on top.
			spec.Testing, spec.Response = b.Testing, b.Response
			if b.Testing != nil {
				spec.Testing.Sites, spec.Testing.Lab = nil, control.LabConfig{}
			}
			s.applyResources(&spec)
			if b.Testing != nil && len(spec.Testing.Sites) == 0 {
				spec.Testing.Sites = control.DefaultTesting().Sites
			}
			if b.Testing != nil && spec.Testing.Lab.Instruments == 0 {
				spec.Testing.Lab = control.DefaultTesting().Lab
			}
		}
		node, err := s.node(fmt.Sprintf("strategies[%d]", i))
		if err != nil {
			return fail(s.problem(fmt.Sprintf("strategies[%d]", i), err.Error()))
		}
		if err := decode(file, node, &spec); err != nil {
			return fail(s.decodeError(err))
		}
		if base == "" {
			s.applyResources(&spec)
		}
		*sp = spec
	}
	// The built-in names are reported with the rest, not instead of it.
	if err := s.validate(); err != nil || len(fc.errs) > 0 || len(builtinErrs) > 0 {
		return fail(err)
	}
	return s, nil
}

// notBuiltin returns why strategy i, which names no built-in strategy and is
// named after none, may not be what the file meant, or "": a name a few
// letters or a case away from a built-in one is a misspelling unless the
// strategy says what it does (builtin:, testing:, response: or switch:).
func (s *Scenario) notBuiltin(i int) string {
	sp := &s.Strategies[i]
	if sp.Testing != nil || sp.Response != nil || sp.Switch != nil {
		return ""
	}
	if n, err := s.node(fmt.Sprintf("strategies[%d]", i)); err == nil {
		if m, ok := unwrap(n).(*ast.MappingNode); ok {
			for _, mv := range m.Values {
				if k := keyText(mv.Key); k == "testing" || k == "response" {
					return "" // given as ~: none, on purpose
				}
			}
		}
	}
	near := suggest(sp.Name, control.BuiltinStrategies())
	if near == "" {
		return ""
	}
	return fmt.Sprintf("%q is not a built-in strategy (did you mean %q?); a strategy of your own that does nothing says builtin: no_intervention", sp.Name, near)
}

// maxProblems is the most problems an error lists; the rest are counted.
const maxProblems = 100

// capErrors keeps the first maxProblems lines of err and counts the others.
func capErrors(file string, err error) error {
	if err == nil {
		return nil
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) <= maxProblems {
		return err
	}
	return fmt.Errorf("%s\n%s:1:1: and %d more problems, not listed", strings.Join(lines[:maxProblems], "\n"), file, len(lines)-maxProblems)
}

// node returns the YAML node at a field path.
func (s *Scenario) node(path string) (ast.Node, error) {
	if s.astFile == nil || len(s.astFile.Docs) == 0 || s.astFile.Docs[0] == nil || s.astFile.Docs[0].Body == nil {
		return nil, fmt.Errorf("%s: the file has no fields", s.file)
	}
	p, err := yaml.PathString("$." + path)
	if err != nil {
		return nil, err
	}
	return p.FilterFile(s.astFile)
}

// position returns "line:column" of the field at path, or of its nearest parent
// given in the file.
func (s *Scenario) position(path string) string {
	for path != "" {
		if n, err := s.node(path); err == nil && n != nil {
			tk := n.GetToken()
			return fmt.Sprintf("%d:%d", tk.Position.Line, tk.Position.Column)
		}
		if i := strings.LastIndexAny(path, ".["); i > 0 {
			path = path[:i]
		} else {
			break
		}
	}
	return "1:1"
}

// problem returns an error at a field path.
func (s *Scenario) problem(path, msg string) error {
	return fmt.Errorf("%s:%s: %s: %s", s.file, s.position(path), path, msg)
}

var yamlPos = regexp.MustCompile(`^\[(\d+):(\d+)\] (.*)`)

// yamlWords rewrites the YAML reader's messages that a reader would not
// follow, naming the key where there is one.
var yamlWords = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`^mapping key "([^"]*)" already defined at \[(\d+):(\d+)\]`), `$1: given twice (first at line $2, column $3)`},
	{regexp.MustCompile(`^found character '\t' that cannot start any token`), `a tab cannot indent YAML: indent with spaces`},
}

// yamlError turns a go-yaml error into "line:column: message" (its first line;
// the source excerpt it prints is left out).
func yamlError(err error) string {
	msg := strings.SplitN(err.Error(), "\n", 2)[0]
	if m := yamlPos.FindStringSubmatch(msg); m != nil {
		text := m[3]
		for _, w := range yamlWords {
			if w.re.MatchString(text) {
				text = w.re.ReplaceAllString(text, w.with)
				break
			}
		}
		return m[1] + ":" + m[2] + ": " + text
	}
	return "1:1: " + msg
}

var quoted = regexp.MustCompile(`"([^"]*)"`)

// decodeError places a decoding error in the file: go-yaml's own errors carry
// their position; those of our text parsers (durations, distributions) quote the
// text, which is found in the file.
func (s *Scenario) decodeError(err error) error {
	if errors.Is(err, errLibrary) {
		return err
	}
	msg := strings.SplitN(err.Error(), "\n", 2)[0]
	if yamlPos.MatchString(msg) {
		return fmt.Errorf("%s:%s", s.file, yamlError(err))
	}
	if m := quoted.FindStringSubmatch(msg); m != nil && len(s.astFile.Docs) > 0 && s.astFile.Docs[0] != nil {
		var found ast.Node
		ast.Walk(visitor(func(n ast.Node) bool {
			if found != nil {
				return false
			}
			if text, ok := scalarText(n); ok && text == m[1] {
				found = n
			}
			return true
		}), s.astFile.Docs[0])
		if found != nil {
			tk := found.GetToken()
			return fmt.Errorf("%s:%d:%d: %s", s.file, tk.Position.Line, tk.Position.Column, msg)
		}
	}
	return fmt.Errorf("%s:1:1: %s", s.file, msg)
}

type visitor func(ast.Node) bool

func (v visitor) Visit(n ast.Node) ast.Visitor {
	if v(n) {
		return v
	}
	return nil
}

// validate checks the whole scenario: the run settings, the model and every
// strategy (as the runner would attach it), and reports every problem with its
// position.
func (s *Scenario) validate() error {
	var errs []error
	add := func(path, msg string) { errs = append(errs, s.problem(path, msg)) }
	if s.Replications < 1 || s.Replications > MaxReplications {
		add("replications", fmt.Sprintf("must be from 1 to %d, got %d", MaxReplications, s.Replications))
	}
	if !(s.Horizon > 0) || s.Horizon > MaxHorizon {
		add("horizon", fmt.Sprintf("must be a duration from 1 day to %v, got %v", MaxHorizon, s.Horizon))
	}
	if s.MaxInfections < 0 {
		add("max_infections", fmt.Sprintf("must be ≥ 0, got %d", s.MaxInfections))
	}
	if r := s.Rescale; r.Threshold < 0 {
		add("rescale.threshold", fmt.Sprintf("must be ≥ 0, got %d", r.Threshold))
	}
	if r := s.Rescale; r.Budget < 1 {
		add("rescale.budget", fmt.Sprintf("must be ≥ 1, got %d", r.Budget))
	}
	if r := s.Rescale; r.MaxScale < 1 || r.MaxScale&(r.MaxScale-1) != 0 || r.MaxScale > model.MaxRescale {
		add("rescale.max_scale", fmt.Sprintf("must be a power of two from 1 to %d, got %d", model.MaxRescale, r.MaxScale))
	}
	if s.StartDate != "" {
		if _, err := time.Parse("2006-01-02", s.StartDate); err != nil {
			add("start_date", fmt.Sprintf("must be a date YYYY-MM-DD, got %q", s.StartDate))
		}
	}
	if s.StopAfterCommunityZero < 0 {
		add("stop_after_community_zero", fmt.Sprintf("must be ≥ 0, got %v", s.StopAfterCommunityZero))
	}
	s.Costs.validate(add)
	r := &s.Resources
	for _, c := range []struct {
		path string
		v    int
	}{
		{"resources.investigators", r.Investigators},
		{"resources.vehicles", r.Vehicles},
		{"resources.isolation_beds", r.IsolationBeds},
		{"resources.hospital_beds", r.HospitalBeds},
		{"resources.quarantine_rooms", r.QuarantineRooms},
	} {
		if c.v < 0 {
			add(c.path, fmt.Sprintf("must be ≥ 0, got %d", c.v))
		}
	}
	if !(r.CasesPerDay >= 0) || math.IsInf(r.CasesPerDay, 1) {
		add("resources.cases_per_day", fmt.Sprintf("must be a finite number ≥ 0, got %v", r.CasesPerDay))
	} else if r.Investigators > 0 && r.CasesPerDay == 0 {
		add("resources.cases_per_day", "must be > 0 with investigators")
	}
	if len(s.Strategies) == 0 {
		add("strategies", "name at least one strategy")
	} else if len(s.Strategies) > MaxStrategies {
		add("strategies", fmt.Sprintf("at most %d strategies, got %d (compare more with a sweep)", MaxStrategies, len(s.Strategies)))
	}
	names := map[string]bool{}
	for i, sp := range s.Strategies {
		if sp.Name == "" || names[sp.Name] {
			add(fmt.Sprintf("strategies[%d].name", i), fmt.Sprintf("must be a unique, non-empty name, got %q", sp.Name))
		}
		names[sp.Name] = true
	}
	for i, sp := range s.Strategies {
		if sp.Switch == nil {
			continue
		}
		path := fmt.Sprintf("strategies[%d].switch", i)
		switch {
		case s.StrategyIndex(sp.Switch.To) < 0:
			add(path+".to", fmt.Sprintf("%q is not one of the strategies", sp.Switch.To))
		case s.switchLoop(i) != "":
			add(path+".to", "the switches run in a loop: "+s.switchLoop(i))
		}
	}
	if s.Baseline != "" && !names[s.Baseline] {
		add("baseline", fmt.Sprintf("%q is not one of the strategies", s.Baseline))
	}
	errs = append(errs, s.checkDelays()...)
	errs = append(errs, s.checkImports()...)
	cfg := s.Config()
	if len(errs) > 0 {
		// The run settings are wrong: check the model's own fields only.
		if err := cfg.Validate(); err != nil {
			errs = append(errs, s.placeAll("", err)...)
		}
	} else if err := cfg.Validate(); err != nil {
		errs = append(errs, s.placeAll("", err)...)
	} else {
		for i := range s.Strategies {
			if over := s.overLimits(i); len(over) > 0 {
				for _, e := range over {
					// The city's resources are reported once, not per strategy.
					if !slices.ContainsFunc(errs, func(x error) bool { return x.Error() == e.Error() }) {
						errs = append(errs, e)
					}
				}
				continue
			}
			m, err := model.New(cfg, sim.NewStream(0), s.Options())
			if err != nil {
				errs = append(errs, s.placeAll("", err)...)
				break
			}
			st := s.Strategy(i)
			if err := m.Add(st.Measures()...); err != nil {
				errs = append(errs, s.placeAll(fmt.Sprintf("strategies[%d].", i), err)...)
			}
		}
	}
	return errors.Join(errs...)
}

// overLimits checks the resources of strategy i against MaxServers and
// MaxSites, which bound the memory that setting the strategy up takes. A value
// that comes from the city's resources is reported there.
func (s *Scenario) overLimits(i int) []error {
	var errs []error
	path := fmt.Sprintf("strategies[%d].", i)
	res := &s.Resources
	servers := func(field string, n, fromResources int, resField string) {
		if n <= MaxServers {
			return
		}
		at := path + field
		if n == fromResources {
			at = resField
		}
		errs = append(errs, s.problem(at, fmt.Sprintf("at most %d, got %d", MaxServers, n)))
	}
	sp := &s.Strategies[i]
	if tc := sp.Testing; tc != nil {
		resLab := 0
		if res.Lab != nil {
			resLab = res.Lab.Instruments
		}
		servers("testing.lab.instruments", tc.Lab.Instruments, resLab, "resources.lab.instruments")
		for j, g := range tc.Sites {
			if g.PeoplePerSite < 1 {
				continue // the model says so
			}
			if n := sitesOf(s.Population.Areas, g); n > MaxSites {
				at := fmt.Sprintf("%stesting.sites[%d].people_per_site", path, j)
				if j < len(res.Sites) && res.Sites[j].PeoplePerSite == g.PeoplePerSite {
					at = fmt.Sprintf("resources.sites[%d].people_per_site", j)
				}
				errs = append(errs, s.problem(at, fmt.Sprintf("one site per %d people makes %d sites, more than %d", g.PeoplePerSite, n, MaxSites)))
			}
		}
	}
	if rc := sp.Response; rc != nil {
		servers("response.isolation.vehicles", rc.Isolation.Vehicles, res.Vehicles, "resources.vehicles")
		servers("response.tracing.investigators", rc.Tracing.Investigators, res.Investigators, "resources.investigators")
	}
	return errs
}

// sitesOf returns the number of sampling sites of group g in a valid city, as
// the model makes them: one per PeoplePerSite residents (rounded, at least one)
// of each leaf area under the group's areas (any area, if it names none).
func sitesOf(areas []model.Area, g control.SiteGroup) int {
	names := map[string]bool{}
	for _, a := range g.Areas {
		names[a] = true
	}
	n := 0
	perLeaf := func(pop int) int { return max(1, (pop+g.PeoplePerSite/2)/g.PeoplePerSite) }
	var walk func(a *model.Area, covered bool)
	walk = func(a *model.Area, covered bool) {
		covered = covered || len(names) == 0 || names[a.Name]
		switch {
		case len(a.Children) > 0:
			for i := range a.Children {
				walk(&a.Children[i], covered)
			}
		case a.Communities > 1 && covered:
			// The communities of model.Area, in equal shares (a site group
			// names areas of the file, not communities).
			for i := 0; i < a.Communities; i++ {
				n += perLeaf(a.Population*(i+1)/a.Communities - a.Population*i/a.Communities)
			}
		case a.Communities > 1:
		case covered:
			n += perLeaf(a.Population)
		}
	}
	for i := range areas {
		walk(&areas[i], false)
	}
	return n
}

// placeAll turns the lines "field.path: message" of a model error into
// positioned problems, prefixing each path.
func (s *Scenario) placeAll(prefix string, err error) []error {
	var out []error
	for _, line := range strings.Split(err.Error(), "\n") {
		path, msg, ok := strings.Cut(line, ": ")
		if !ok || strings.ContainsAny(path, " ") {
			out = append(out, s.problem(strings.TrimSuffix(prefix, "."), line))
			continue
		}
		out = append(out, s.problem(prefix+path, msg))
	}
	return out
}
