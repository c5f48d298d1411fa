package bench

import (
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// SuiteCity is the library scenario whose city, virus and resources the
// interventions suite uses: 8.4 million people in 13 districts cut into 840
// communities, with the city's sampling sites, PCR lab, investigators,
// vehicles, beds and quarantine rooms.
const SuiteCity = "fuzhou-2022"

// SuiteHorizon and SuiteCap bound every run of the suite: 120 days, and a stop
// at 50,000 infections, where the outbreak counts as uncontrolled.
const (
	SuiteHorizon = 120
	SuiteCap     = 50_000
)

// SuiteSeeds are the suite's fixed seeds: run r of every contender in every
// scenario draws the epidemic from sim.NewStream(SuiteSeeds[r]), so that
// contenders meet the same outbreaks (common random numbers) and their
// differences are paired.
var SuiteSeeds = []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}

// SuiteScenario is an outbreak of the interventions suite: a city, a virus and
// the index cases, with the run's horizon and infection cap.
type SuiteScenario struct {
	// Name is a short identifier ("fast"), used in tables and in the CSV file.
	Name string
	// Description says what the outbreak is, in a line.
	Description string
	// Config is the epidemic; it must not be changed while the suite runs.
	Config *model.Config
	// Options are the run's horizon and infection cap.
	Options model.Options
}

// suiteBase returns the library scenario the suite is built on.
func suiteBase() (*scenarios.Scenario, error) {
	sc, err := scenarios.LibraryScenario(SuiteCity)
	if err != nil {
		return nil, fmt.Errorf("interventions suite: %w", err)
	}
	return sc, nil
}

// SuiteScenarios returns the suite's three outbreaks, all in the city of
// SuiteCity, run for SuiteHorizon days or until SuiteCap infections:
//
//   - slow: a slower virus (every contact layer scaled so that the basic
//     reproduction number is about 2.5 instead of 5), 10 index cases in the
//     dense old-town community gulou-old-town;
//   - fast: the default Omicron (basic reproduction number about 5), 10 index
//     cases in gulou-old-town, as in the library scenario;
//   - large: the default Omicron, 100 index cases, 10 in each of 10
//     communities of 10 districts (an outbreak found late, already seeded
//     across the city).
func SuiteScenarios() ([]SuiteScenario, error) {
	sc, err := suiteBase()
	if err != nil {
		return nil, err
	}
	opts := model.Options{Horizon: SuiteHorizon, MaxInfections: SuiteCap}
	fast := sc.Config()
	fast.Imports = model.Imports{Initial: 10, Area: "gulou-old-town"}

	slow := sc.Config()
	slow.Population.Layers = cloneLayers(slow.Population.Layers)
	// Half of every layer's strength: R0 about 2.5 for the default Omicron's 5.0.
	ScaleLayers(&slow.Population.Layers, 0.5)
	slow.Imports = model.Imports{Initial: 10, Area: "gulou-old-town"}

	large := sc.Config()
	large.Imports = model.Imports{}
	for _, a := range []string{"gulou-rest-1", "taijiang-1", "cangshan-1", "jinan-1", "mawei-1",
		"changle-1", "minhou-1", "lianjiang-1", "fuqing-1", "pingtan-1"} {
		large.Imports.Schedule = append(large.Imports.Schedule, model.ImportAt{Time: 0, Count: 10, Area: a})
	}
	out := []SuiteScenario{
		{"slow", "R0 about 2.5, 10 index cases in a dense old-town community", slow, opts},
		{"fast", "Omicron (R0 about 5), 10 index cases in a dense old-town community", fast, opts},
		{"large", "Omicron, 100 index cases in 10 communities of 10 districts", large, opts},
	}
	for _, s := range out {
		if err := s.Config.Validate(); err != nil {
			return nil, fmt.Errorf("suite scenario %s: %w", s.Name, err)
		}
	}
	return out, nil
}

// cloneLayers returns a copy of l that shares no slice with it.
func cloneLayers(l model.Layers) model.Layers {
	l.Groups = append([]model.GroupLayer(nil), l.Groups...)
	return l
}

// Contender is an intervention scored by the suite.
type Contender struct {
	// Name identifies the contender in tables and in the CSV file; it must be
	// unique and non-empty.
	Name string
	// Measures returns new measures for one run (a measure keeps state and must
	// not be shared between runs). A measure that draws random numbers draws
	// them from stream, which is the same for every contender in a run, so
	// that contenders drawing the same things draw the same numbers.
	Measures func(stream sim.Stream) ([]model.Measure, error)
}

// StrategyContender makes a contender of a strategy.
func StrategyContender(st control.Strategy) Contender {
	return Contender{Name: st.Name, Measures: func(sim.Stream) ([]model.Measure, error) {
		return st.Measures(), nil
	}}
}

// SuiteStrategy returns the built-in strategy of that name (see
// control.BuiltinStrategies) with the resources of the suite's city: the
// capacities every contender is given, so that a new intervention built on a
// built-in strategy is scored on the same means.
func SuiteStrategy(name string) (control.Strategy, error) {
	if _, err := control.BuiltinStrategy(name); err != nil {
		return control.Strategy{}, err
	}
	sc, err := suiteBase()
	if err != nil {
		return control.Strategy{}, err
	}
	for i, sp := range sc.Strategies {
		if sp.Name == name {
			return sc.Strategy(i), nil
		}
	}
	return control.Strategy{}, fmt.Errorf("interventions suite: the library scenario %s has no strategy %q", SuiteCity, name)
}

// BuiltinContenders returns the built-in strategies with the city's resources
// (SuiteStrategy), in the order of control.BuiltinStrategies.
func BuiltinContenders() ([]Contender, error) {
	var out []Contender
	for _, name := range control.BuiltinStrategies() {
		st, err := SuiteStrategy(name)
		if err != nil {
			return nil, err
		}
		out = append(out, StrategyContender(st))
	}
	return out, nil
}

// SuiteMetric is a figure the suite scores, read off a run's result.
type SuiteMetric struct {
	// Name is the snake_case name, the column of the CSV file.
	Name string
	// Label is the column head of the leaderboard.
	Label string
	// Unit is the figure's unit.
	Unit string
	// Definition says how the figure is computed from the run's metrics
	// (model.MetricNames).
	Definition string
	// sum lists the model's metrics that are added up; a metric the run does
	// not report (its contender has no measure that reports it) counts 0.
	sum []string
	// ended: defined only for a run whose outbreak ended (model.StopExtinct).
	ended bool
	// contained: 1 if the run's outbreak ended, else 0.
	contained bool
}

// SuiteMetrics are the figures the suite scores, in the order of the
// leaderboard's columns.
var SuiteMetrics = []SuiteMetric{
	{Name: "infections", Label: "infections", Unit: "people",
		Definition: "infections in the run, imports included (model: infections)", sum: []string{"infections"}},
	{Name: "contained", Label: "contained", Unit: "0/1",
		Definition: "1 if the outbreak ended within the horizon (no one infectious, no measure at work: model.StopExtinct), 0 if the run reached the horizon or the infection cap; the leaderboard shows the share of runs",
		contained:  true},
	{Name: "days_to_community_zero", Label: "days to community zero", Unit: "days",
		Definition: "days from the first detection to the last detection in the community (model: days_to_community_zero); defined for runs in which the outbreak ended and a case was found",
		sum:        []string{"days_to_community_zero"}, ended: true},
	{Name: "tests", Label: "tests", Unit: "swabs",
		Definition: "swabs taken (model: tests)", sum: []string{"tests"}},
	{Name: "quarantine_person_days", Label: "quarantine person-days", Unit: "person-days",
		Definition: "quarantine_centralized_person_days + quarantine_home_person_days",
		sum:        []string{"quarantine_centralized_person_days", "quarantine_home_person_days"}},
	{Name: "lockdown_person_days", Label: "lockdown person-days", Unit: "person-days",
		Definition: "person-days under any lockdown, each counted once: the city on a day of static management, else the residents of risk zones (model: lockdown_person_days)",
		sum:        []string{"lockdown_person_days"}},
	{Name: "peak_isolation", Label: "peak isolation", Unit: "beds",
		Definition: "largest number of isolation beds in use at the end of a day (model: peak_isolation)", sum: []string{"peak_isolation"}},
}

// value returns the metric of a run's result (NaN where it is not defined).
func (sm *SuiteMetric) value(res *model.Result) float64 {
	if sm.contained {
		if res.StopReason == model.StopExtinct {
			return 1
		}
		return 0
	}
	if sm.ended && res.StopReason != model.StopExtinct {
		return math.NaN()
	}
	total, found := 0.0, false
	for _, name := range sm.sum {
		if v, ok := res.Metric(name); ok {
			total += v
			found = true
		}
	}
	if sm.ended && !found {
		return math.NaN()
	}
	return total
}

// SuiteOptions are the settings of RunSuite.
type SuiteOptions struct {
	// Seeds are the runs' seeds; nil means SuiteSeeds.
	Seeds []uint64
	// Workers is the number of runs played at once; 0 means all cores. The
	// scores do not depend on it.
	Workers int
	// Progress, if not nil, is called after each run with the number done and
	// the total (from the goroutine that finished the run).
	Progress func(done, total int)
}

// RunScore is one run of a contender in a scenario.
type RunScore struct {
	// Seed is the run's seed.
	Seed uint64
	// StopReason says why the run ended (model.StopExtinct, StopHorizon,
	// StopMaxInfections…).
	StopReason string
	// Values are the run's figures, in the order of SuiteMetrics (NaN where a
	// figure is not defined).
	Values []float64
}

// ContenderScores are a contender's runs in one scenario, by seed.
type ContenderScores struct {
	// Name is the contender's name.
	Name string
	// Runs are its runs, in the order of the seeds.
	Runs []RunScore
}

// ScenarioScores are every contender's runs in one scenario.
type ScenarioScores struct {
	// Scenario is the outbreak played.
	Scenario SuiteScenario
	// Contenders are the contenders' runs, in the order they were given.
	Contenders []ContenderScores
}

// Scores are the outcome of RunSuite.
type Scores struct {
	// Seeds are the seeds of the runs.
	Seeds []uint64
	// Scenarios are the scores by scenario, in the order given.
	Scenarios []ScenarioScores
}

// RunSuite plays every contender in every scenario on every seed. A run's
// epidemic draws from sim.NewStream(seed) and its contender's measures from
// sim.NewStream(seed).Named("contender"), whatever the contender and the
// number of workers. It returns an error if a name is missing or repeated, if
// there is no seed, or if a contender's measures fail to attach (naming the
// scenario, the contender and the seed).
func RunSuite(ctx context.Context, scs []SuiteScenario, cs []Contender, opts SuiteOptions) (*Scores, error) {
	seeds := opts.Seeds
	if seeds == nil {
		seeds = SuiteSeeds
	}
	if len(seeds) == 0 {
		return nil, fmt.Errorf("interventions suite: no seeds")
	}
	if err := checkNames("scenario", len(scs), func(i int) string { return scs[i].Name }); err != nil {
		return nil, err
	}
	if err := checkNames("contender", len(cs), func(i int) string { return cs[i].Name }); err != nil {
		return nil, err
	}
	for i, c := range cs {
		if c.Measures == nil {
			return nil, fmt.Errorf("interventions suite: contender %d (%s) has no Measures function", i, c.Name)
		}
	}
	for _, s := range scs {
		if s.Config == nil {
			return nil, fmt.Errorf("interventions suite: scenario %s has no configuration", s.Name)
		}
	}
	perScenario := len(cs) * len(seeds)
	total := len(scs) * perScenario
	progress := newCounter(total, opts.Progress)
	runs, err := sim.Replicate(ctx, total, opts.Workers, func(ctx context.Context, job int) (RunScore, error) {
		if err := ctx.Err(); err != nil {
			return RunScore{}, err
		}
		s := &scs[job/perScenario]
		c := &cs[job%perScenario/len(seeds)]
		seed := seeds[job%len(seeds)]
		r, err := playOne(s, c, seed)
		if err != nil {
			return RunScore{}, fmt.Errorf("scenario %s, contender %s, seed %d: %w", s.Name, c.Name, seed, err)
		}
		progress.add()
		return r, nil
	})
	if err != nil {
		return nil, fmt.Errorf("interventions suite: %w", err)
	}
	out := &Scores{Seeds: append([]uint64(nil), seeds...)}
	for si, s := range scs {
		ss := ScenarioScores{Scenario: s}
		for ci, c := range cs {
			first := si*perScenario + ci*len(seeds)
			ss.Contenders = append(ss.Contenders, ContenderScores{Name: c.Name, Runs: runs[first : first+len(seeds)]})
		}
		out.Scenarios = append(out.Scenarios, ss)
	}
	return out, nil
}

// playOne runs contender c in scenario s on one seed.
func playOne(s *SuiteScenario, c *Contender, seed uint64) (RunScore, error) {
	root := sim.NewStream(seed)
	m, err := model.New(s.Config, root, s.Options)
	if err != nil {
		return RunScore{}, err
	}
	ms, err := c.Measures(root.Named("contender"))
	if err != nil {
		return RunScore{}, err
	}
	if err := m.Add(ms...); err != nil {
		return RunScore{}, err
	}
	res := m.Run()
	r := RunScore{Seed: seed, StopReason: res.StopReason, Values: make([]float64, len(SuiteMetrics))}
	for i := range SuiteMetrics {
		r.Values[i] = SuiteMetrics[i].value(res)
	}
	return r, nil
}

// checkNames reports an empty or repeated name among n things of a kind.
func checkNames(kind string, n int, name func(int) string) error {
	if n == 0 {
		return fmt.Errorf("interventions suite: no %s", kind)
	}
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		nm := name(i)
		if nm == "" || seen[nm] {
			return fmt.Errorf("interventions suite: %s %d must have a unique, non-empty name, got %q", kind, i, nm)
		}
		seen[nm] = true
	}
	return nil
}

// counter counts finished runs for a progress callback.
type counter struct {
	mu       sync.Mutex
	n, total int
	report   func(done, total int)
}

func newCounter(total int, report func(done, total int)) *counter {
	return &counter{total: total, report: report}
}

// add counts a finished run and reports it.
func (c *counter) add() {
	if c.report == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	c.report(c.n, c.total)
}
