package scenarios

import (
	"context"
	"encoding/json"
	"math"
	"sort"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// RunOptions override a scenario's run settings; zero values keep the file's.
type RunOptions struct {
	Replications int // replications per strategy; 0: the file's
	// Keys, if not nil, are the replications played, by key: replication r of
	// every strategy draws from sim.NewStream(seed).Key(Keys[r]) (a key may
	// come more than once), and Replications is len(Keys). A forecast
	// conditioned on data plays the keys of the outbreaks that match them.
	Keys    []int
	Seed    uint64 // the root seed, used if SeedSet
	SeedSet bool   // Seed was given (0 is a valid seed)
	Workers int    // parallel workers; 0: all cores
	// Progress, if not nil, is called after each replication with the number done
	// and the total.
	Progress func(done, total int)
	// MaxMemory, if positive, bounds the memory of a run in bytes: Play runs
	// fewer replications at once to keep within it, and refuses a scenario
	// estimated to need more even with one (see [EstimateMemory]).
	MaxMemory int64
}

// Results are the outcome of playing a scenario's strategies.
type Results struct {
	Scenario      string           // the scenario's name
	Description   string           // the scenario's description, for the report
	Sources       []string         // the scenario's sources, for the report
	Horizon       string           // the horizon, as written ("120d")
	StartDate     time.Time        // day 0; zero if the scenario has no start date
	Seed          uint64           // the root seed played
	Replications  int              // replications per strategy
	MaxInfections int              // the infection cap (0: none)
	Baseline      string           // the strategy the others are compared with
	Strategies    []StrategyResult // in the scenario's order
	// Record says how the results were made (see [Record]).
	Record Record
	source []byte // the scenario file, written next to the outputs
}

// StrategyResult is one strategy's replications.
type StrategyResult struct {
	Name string // the strategy's name
	Runs []Run  // by replication
	// Capacities of the strategy's facilities (0: no limit), drawn on the plots.
	Rooms, Beds int
	// LabPerDay is the number of tubes the lab can run in a day (instruments ×
	// wells per run × runs a day); 0 without testing.
	LabPerDay float64
}

// Run is one replication: its metrics and daily series.
type Run struct {
	StopReason string         // why the run ended (model.Result.StopReason, or community_zero)
	Metrics    []model.Metric // the run's metrics, documented in model.MetricNames and control.MetricNames
	Series     model.Series   // the run's daily series
}

// Play runs every strategy of the scenario on the same seeds: replication r of
// every strategy draws from sim.NewStream(seed).Key(r), so that the strategies
// are compared on the same outbreaks wherever their histories agree.
func Play(ctx context.Context, sc *Scenario, opts RunOptions) (*Results, error) {
	strategies := make([]control.Strategy, len(sc.Strategies))
	for i := range sc.Strategies {
		strategies[i] = sc.Strategy(i)
	}
	return PlayStrategies(ctx, sc, strategies, opts)
}

// Stats sum up a metric over replications.
type Stats struct {
	N      int `json:"n"`      // replications where the metric is defined (not NaN)
	Mean   Num `json:"mean"`   // mean of the defined values
	Median Num `json:"median"` // median, interpolated
	P05    Num `json:"p05"`    // 5% quantile, interpolated
	P95    Num `json:"p95"`    // 95% quantile, interpolated
	// Capped is how many of the N values come from replications stopped by
	// max_infections: those are lower bounds, and so are the statistics when
	// Capped is not 0 (0 for the metrics a cap does not cut: uncontrolled,
	// controlled).
	Capped int `json:"capped"`
}

// Num is a figure that is written as null in JSON when it is not a number.
type Num float64

// MarshalJSON writes the number, or null for NaN and infinities.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads a number, or null as NaN.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = Num(f)
	return nil
}

// Difference is the paired difference of a metric from the baseline strategy:
// the mean over replications of (strategy - baseline), with its 95% interval
// (Student's t). A difference is not comparable, and its figures are null,
// when a replication of either strategy was stopped by max_infections: a
// capped figure is only a lower bound.
type Difference struct {
	N    int `json:"n"`    // replications where both are defined
	Mean Num `json:"mean"` // mean difference; null if not comparable
	Lo   Num `json:"lo95"` // lower end of the 95% interval; null if not comparable
	Hi   Num `json:"hi95"` // upper end of the 95% interval; null if not comparable
	// NotComparable, if not empty, says why there is no difference ("not
	// comparable: 20 of 20 replications of no_intervention capped").
	NotComparable string `json:"not_comparable,omitempty"`
}

// Summary sums up every metric of every strategy.
type Summary struct {
	Record       Record `json:"record"`       // how the results were made
	Scenario     string `json:"scenario"`     // the scenario's name
	Seed         uint64 `json:"seed"`         // the root seed
	Replications int    `json:"replications"` // replications per strategy
	// MaxInfections is the scenario's infection cap (0: none); a replication
	// that reached it is capped and its metrics are lower bounds.
	MaxInfections int               `json:"max_infections"`
	Baseline      string            `json:"baseline"`   // the strategy the others are compared with
	Metrics       []MetricDoc       `json:"metrics"`    // the metrics reported, in the order of model.MetricNames, control.MetricNames
	Strategies    []StrategySummary `json:"strategies"` // in the scenario's order
}

// MetricDoc documents a metric in the summary.
type MetricDoc struct {
	Name       string `json:"name"`       // snake_case name
	Unit       string `json:"unit"`       // unit of its values
	Definition string `json:"definition"` // what it counts
}

// StrategySummary is a strategy's metrics.
type StrategySummary struct {
	Name        string         `json:"name"`         // the strategy's name
	StopReasons map[string]int `json:"stop_reasons"` // replications by the reason they ended
	// Capped is the number of replications stopped by max_infections: their
	// metrics are lower bounds (censored).
	Capped int `json:"capped"`
	// CapDay is the day on which the capped replications reached the cap
	// (N = Capped).
	CapDay     Stats                 `json:"cap_day"`
	Metrics    map[string]Stats      `json:"metrics"`     // by metric name
	VsBaseline map[string]Difference `json:"vs_baseline"` // by metric name; empty for the baseline
}

// Summarize computes the summary of results.
func (r *Results) Summarize() *Summary {
	s := &Summary{Record: r.Record, Scenario: r.Scenario, Seed: r.Seed, Replications: r.Replications, MaxInfections: r.MaxInfections, Baseline: r.Baseline}
	names := r.metricNames()
	for _, mi := range metricDocs() {
		for _, n := range names {
			if n == mi.Name {
				s.Metrics = append(s.Metrics, MetricDoc{mi.Name, mi.Unit, mi.Definition})
			}
		}
	}
	base := r.strategy(r.Baseline)
	for _, st := range r.Strategies {
		ss := StrategySummary{Name: st.Name, StopReasons: map[string]int{}, Metrics: map[string]Stats{}, VsBaseline: map[string]Difference{}}
		var capDays []float64
		for _, run := range st.Runs {
			ss.StopReasons[run.StopReason]++
			if run.Capped() {
				ss.Capped++
				capDays = append(capDays, float64(run.CapDay()))
			}
		}
		ss.CapDay = stats(capDays)
		capped := cappedRuns(st.Runs)
		for _, name := range names {
			xs := values(st.Runs, name)
			censored := !uncensored[name]
			ss.Metrics[name] = stats(xs)
			if censored {
				ss.Metrics[name] = cappedStats(ss.Metrics[name], xs, capped)
			}
			if base != nil && st.Name != r.Baseline {
				d := paired(xs, values(base.Runs, name))
				if censored {
					d = notComparable(d, &st, base)
				}
				ss.VsBaseline[name] = d
			}
		}
		s.Strategies = append(s.Strategies, ss)
	}
	return s
}

// metricNames returns every metric any run reports, in the order first seen.
func (r *Results) metricNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, st := range r.Strategies {
		for _, run := range st.Runs {
			for _, m := range run.Metrics {
				if !seen[m.Name] {
					seen[m.Name] = true
					out = append(out, m.Name)
				}
			}
		}
	}
	return out
}

func (r *Results) strategy(name string) *StrategyResult {
	for i := range r.Strategies {
		if r.Strategies[i].Name == name {
			return &r.Strategies[i]
		}
	}
	return nil
}

// values returns a metric by replication. A run whose strategy has no measure
// that reports the metric used none of it: counts and costs are 0 there, and
// times (days_to_…) are undefined (NaN).
func values(runs []Run, name string) []float64 {
	missing := 0.0
	if strings.HasPrefix(name, "days_to") || name == "turnaround_p95" {
		missing = math.NaN()
	}
	out := make([]float64, len(runs))
	for i, run := range runs {
		out[i] = missing
		for _, m := range run.Metrics {
			if m.Name == name {
				out[i] = m.Value
				break
			}
		}
	}
	return out
}

// stats sums up the defined values.
func stats(xs []float64) Stats {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	nan := Num(math.NaN())
	s := Stats{N: len(v), Mean: nan, Median: nan, P05: nan, P95: nan}
	if len(v) == 0 {
		return s
	}
	sort.Float64s(v)
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	s.Mean = Num(sum / float64(len(v)))
	s.Median, s.P05, s.P95 = Num(sim.Quantile(v, 0.5)), Num(sim.Quantile(v, 0.05)), Num(sim.Quantile(v, 0.95))
	return s
}

// paired returns the mean difference xs - base over the replications where both
// are defined, with its 95% t interval.
func paired(xs, base []float64) Difference {
	var d []float64
	for i := range xs {
		if !math.IsNaN(xs[i]) && !math.IsNaN(base[i]) {
			d = append(d, xs[i]-base[i])
		}
	}
	nan := Num(math.NaN())
	out := Difference{N: len(d), Mean: nan, Lo: nan, Hi: nan}
	if len(d) == 0 {
		return out
	}
	mean := 0.0
	for _, x := range d {
		mean += x
	}
	mean /= float64(len(d))
	out.Mean = Num(mean)
	if len(d) < 2 {
		return out
	}
	ss := 0.0
	for _, x := range d {
		ss += (x - mean) * (x - mean)
	}
	se := math.Sqrt(ss / float64(len(d)-1) / float64(len(d)))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(d) - 1)}.Quantile(0.975)
	out.Lo, out.Hi = Num(mean-t*se), Num(mean+t*se)
	return out
}

// cancel stops a run at the end of a day once its context is done, so that an
// interrupted run stops within a simulated day.
type cancel struct{ ctx context.Context }

// OnDayEnd checks the context.
func (c cancel) OnDayEnd(m *model.Model, day int) {
	if c.ctx.Err() != nil {
		m.Stop("interrupted")
	}
}

// StopCommunityZero is the stop reason of a replication that held community zero
// for the scenario's stop_after_community_zero.
const StopCommunityZero = "community_zero"

// communityZero stops a run once no case has been found in the community for
// hold days after the first detection.
type communityZero struct {
	hold, first, last int
}

// OnDayEnd checks the day's detections.
func (c *communityZero) OnDayEnd(m *model.Model, day int) {
	if v, _ := m.DailyValue("detections", day); v > 0 && c.first < 0 {
		c.first = day
	}
	if v, _ := m.DailyValue("detections_community", day); v > 0 {
		c.last = day
	}
	if c.first >= 0 && day-max(c.last, c.first) >= c.hold {
		m.Stop(StopCommunityZero)
	}
}
