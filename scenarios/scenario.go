package scenarios

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// Scenario is a scenario file: a city, a virus, the city's resources and the
// strategies to compare, with how to run them. Every field has a default (the
// Omicron city of model.DefaultConfig, 20 replications of 120 days).
type Scenario struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Sources     []string `yaml:"sources"`
	// StartDate is the calendar date of day 0 (YYYY-MM-DD), for the time axis of
	// the plots; empty means days.
	StartDate string `yaml:"start_date"`

	Seed          uint64       `yaml:"seed"`
	Replications  int          `yaml:"replications"`
	Horizon       sim.Duration `yaml:"horizon"`
	MaxInfections int          `yaml:"max_infections"`
	// StopAfterCommunityZero ends a replication once no case has been found in
	// the community for that long after the first detection (0: never).
	StopAfterCommunityZero sim.Duration `yaml:"stop_after_community_zero"`

	Population model.Population `yaml:"population"`
	Disease    model.Disease    `yaml:"disease"`
	Imports    model.Imports    `yaml:"imports"`
	Resources  Resources        `yaml:"resources"`

	Strategies []StrategySpec `yaml:"strategies"`
	// Baseline names the strategy the others are compared with (default: the
	// first).
	Baseline string `yaml:"baseline"`

	file    string
	astFile *ast.File
}

// Resources are the city's means, given to every strategy that uses them (a
// strategy's own values win where it sets them).
type Resources struct {
	Sites           []model.SiteGroup `yaml:"sites"`
	Lab             *model.LabConfig  `yaml:"lab"`
	Investigators   int               `yaml:"investigators"`
	CasesPerDay     float64           `yaml:"cases_per_day"`
	Vehicles        int               `yaml:"vehicles"`
	IsolationBeds   int               `yaml:"isolation_beds"`
	HospitalBeds    int               `yaml:"hospital_beds"`
	QuarantineRooms int               `yaml:"quarantine_rooms"`
}

// StrategySpec is a strategy of a scenario: a built-in one by name, with
// overrides of any of its fields, or one defined in full.
type StrategySpec struct {
	Name string `yaml:"name"`
	// Builtin names the built-in strategy it starts from (default: Name, if it
	// is a built-in one; otherwise nothing).
	Builtin  string                `yaml:"builtin"`
	Testing  *model.TestingConfig  `yaml:"testing"`
	Response *model.ResponseConfig `yaml:"response"`
	// Switch, if set, hands the strategy over to another strategy of the
	// scenario at a time (see model.Switch).
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
	return model.Options{Horizon: sim.Time(s.Horizon), MaxInfections: s.MaxInfections}
}

// Strategy returns strategy i, with the city's resources and its switches.
func (s *Scenario) Strategy(i int) model.Strategy {
	sp := s.Strategies[i]
	st := model.Strategy{Name: sp.Name, Testing: sp.Testing, Response: sp.Response}
	if sw := sp.Switch; sw != nil {
		if j := s.strategyIndex(sw.To); j >= 0 && s.switchLoop(i) == "" {
			st.Switch = &model.Switch{At: sw.At, To: s.Strategy(j)}
		}
	}
	return st
}

// strategyIndex returns the index of the strategy of that name, or -1.
func (s *Scenario) strategyIndex(name string) int {
	for i, sp := range s.Strategies {
		if sp.Name == name {
			return i
		}
	}
	return -1
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
		i = s.strategyIndex(sw.To)
	}
	return ""
}

// applyResources gives a strategy the city's resources where it has none of its
// own (a zero capacity, no sites).
func (s *Scenario) applyResources(sp *StrategySpec) {
	res := &s.Resources
	if tc := sp.Testing; tc != nil {
		if len(res.Sites) > 0 && len(tc.Sites) == 0 {
			tc.Sites = append([]model.SiteGroup(nil), res.Sites...)
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

// defaults returns a scenario with every default.
func defaults() *Scenario {
	cfg := model.DefaultConfig()
	return &Scenario{
		Seed: 1, Replications: 20, Horizon: 120,
		Population: cfg.Population, Disease: cfg.Disease, Imports: cfg.Imports,
	}
}

// Load reads and validates a scenario file.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse reads a scenario from data (file names it in errors) and validates it.
// Every problem is reported, each as "file:line:column: field.path: what is
// wrong", one a line.
func Parse(file string, data []byte) (*Scenario, error) {
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, fmt.Errorf("%s:1:1: the file is empty", file)
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, fmt.Errorf("%s:%s", file, yamlError(err))
	}
	if len(f.Docs) == 0 || f.Docs[0] == nil || f.Docs[0].Body == nil {
		return nil, fmt.Errorf("%s:1:1: the file has no fields (only comments or an empty document)", file)
	}
	s := defaults()
	s.file, s.astFile = file, f
	if err := yaml.UnmarshalWithOptions(data, s, yaml.Strict()); err != nil {
		return nil, s.decodeError(err)
	}
	// Each strategy again, starting from its built-in strategy, so that what the
	// file gives overrides it.
	for i := range s.Strategies {
		sp := &s.Strategies[i]
		base := sp.Builtin
		if base == "" {
			if _, err := model.BuiltinStrategy(sp.Name); err == nil {
				base = sp.Name
			}
		}
		spec := StrategySpec{Name: sp.Name, Builtin: sp.Builtin}
		if base != "" {
			b, err := model.BuiltinStrategy(base)
			if err != nil {
				return nil, s.problem(fmt.Sprintf("strategies[%d].builtin", i), err.Error())
			}
			// The built-in strategy with the city's resources, then what the file
			// says of this strategy on top.
			spec.Testing, spec.Response = b.Testing, b.Response
			if b.Testing != nil {
				spec.Testing.Sites, spec.Testing.Lab = nil, model.LabConfig{}
			}
			s.applyResources(&spec)
			if b.Testing != nil && len(spec.Testing.Sites) == 0 {
				spec.Testing.Sites = model.DefaultTesting().Sites
			}
			if b.Testing != nil && spec.Testing.Lab.Instruments == 0 {
				spec.Testing.Lab = model.DefaultTesting().Lab
			}
		}
		node, err := s.node(fmt.Sprintf("strategies[%d]", i))
		if err != nil {
			return nil, err
		}
		if err := yaml.NodeToValue(node, &spec, yaml.Strict()); err != nil {
			return nil, s.decodeError(err)
		}
		if base == "" {
			s.applyResources(&spec)
		}
		*sp = spec
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return s, nil
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

// yamlError turns a go-yaml error into "line:column: message" (its first line;
// the source excerpt it prints is left out).
func yamlError(err error) string {
	msg := strings.SplitN(err.Error(), "\n", 2)[0]
	if m := yamlPos.FindStringSubmatch(msg); m != nil {
		return m[1] + ":" + m[2] + ": " + m[3]
	}
	return "1:1: " + msg
}

var quoted = regexp.MustCompile(`"([^"]*)"`)

// decodeError places a decoding error in the file: go-yaml's own errors carry
// their position; those of our text parsers (durations, distributions) quote the
// text, which is found in the file.
func (s *Scenario) decodeError(err error) error {
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
			if sv, ok := n.(*ast.StringNode); ok && sv.Value == m[1] {
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
	if s.StartDate != "" {
		if _, err := time.Parse("2006-01-02", s.StartDate); err != nil {
			add("start_date", fmt.Sprintf("must be a date YYYY-MM-DD, got %q", s.StartDate))
		}
	}
	if s.StopAfterCommunityZero < 0 {
		add("stop_after_community_zero", fmt.Sprintf("must be ≥ 0, got %v", s.StopAfterCommunityZero))
	}
	if len(s.Strategies) == 0 {
		add("strategies", "name at least one strategy")
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
		case s.strategyIndex(sp.Switch.To) < 0:
			add(path+".to", fmt.Sprintf("%q is not one of the strategies", sp.Switch.To))
		case s.switchLoop(i) != "":
			add(path+".to", "the switches run in a loop: "+s.switchLoop(i))
		}
	}
	if s.Baseline != "" && !names[s.Baseline] {
		add("baseline", fmt.Sprintf("%q is not one of the strategies", s.Baseline))
	}
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

// Limits on what a scenario may ask for.
const (
	MaxReplications = 10_000
	MaxHorizon      = 3650 * sim.Day
)
