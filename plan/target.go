package plan

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
)

// Target is a requirement on a metric over the replications, read from a
// --target flag:
//
//   - mean(metric) OP x: the mean over the replications where the metric
//     is defined;
//   - pQ(metric) OP x, with Q a percentage (p90): the Q% quantile, judged as
//     the probability of the event it implies: p90(m)<=21 is P(m ≤ 21) ≥ 0.9
//     and p10(m)>=5 is P(m ≥ 5) ≥ 0.9;
//   - prob(metric OP x) OP p: the probability of an event per replication;
//   - metric OP x: for a metric of unit 0/1 (controlled, uncontrolled), the
//     probability that it is 1 (controlled>=0.9 is P(controlled) ≥ 0.9);
//     for any other metric, the event metric OP x with the default
//     probability (Options.Probability, 0.9): days_to_community_zero<=21.
//
// OP is one of <=, >=, <, >. x may be a duration (36h) for a metric in days.
// A replication where the metric is undefined (NaN: no community zero)
// fails an event.
type Target struct {
	Text   string // as given
	Metric string // the metric
	// Mean is true for a target on the mean; otherwise it is the event
	// (Metric Op Value) with probability at least Prob (or at most, for
	// ProbOp "<=").
	Mean   bool
	Op     string  // the comparison of the metric (or its mean) with Value
	Value  float64 // the threshold
	ProbOp string  // ">=" or "<=": the comparison of the event's probability with Prob
	Prob   float64 // the probability required
}

var (
	statRE = regexp.MustCompile(`^(mean|p(\d{1,2}(?:\.\d+)?))\(\s*([a-z0-9_]+)\s*\)\s*(<=|>=|<|>)\s*(\S+)$`)
	probRE = regexp.MustCompile(`^prob\(\s*([a-z0-9_]+)\s*(<=|>=|<|>)\s*([^)\s]+)\s*\)\s*(<=|>=|<|>)\s*(\S+)$`)
	bareRE = regexp.MustCompile(`^([a-z0-9_]+)\s*(<=|>=|<|>)\s*(\S+)$`)
)

// ParseTarget reads a --target flag (see Target); prob is the default
// probability of an event given bare.
func ParseTarget(s string, prob float64) (Target, error) {
	text := strings.TrimSpace(s)
	t := Target{Text: text}
	bad := func(format string, args ...any) (Target, error) {
		return Target{}, fmt.Errorf("--target %q: "+format, append([]any{s}, args...)...)
	}
	var err error
	switch m := statRE.FindStringSubmatch(text); {
	case m != nil:
		t.Metric, t.Op = m[3], m[4]
		if t.Value, err = threshold(m[5]); err != nil {
			return bad("%v", err)
		}
		if m[1] == "mean" {
			t.Mean = true
			break
		}
		q, _ := strconv.ParseFloat(m[2], 64)
		if !(q > 0 && q < 100) {
			return bad("the quantile must be from p1 to p99")
		}
		t.ProbOp = ">="
		switch t.Op {
		case "<=", "<":
			t.Prob = q / 100
		default:
			t.Prob = 1 - q/100
		}
	default:
		if m := probRE.FindStringSubmatch(text); m != nil {
			t.Metric, t.Op = m[1], m[2]
			if t.Value, err = threshold(m[3]); err != nil {
				return bad("%v", err)
			}
			p, err := strconv.ParseFloat(m[5], 64)
			if err != nil || !(p >= 0 && p <= 1) {
				return bad("the probability must be a number from 0 to 1, got %s", m[5])
			}
			t.Prob = p
			switch m[4] {
			case ">=", ">":
				t.ProbOp = ">="
			default:
				t.ProbOp = "<="
			}
			break
		}
		m := bareRE.FindStringSubmatch(text)
		if m == nil {
			return bad("want metric<=x, mean(metric)<=x, p90(metric)<=x or prob(metric<=x)>=p (operators <=, >=, <, >)")
		}
		t.Metric, t.Op = m[1], m[2]
		if t.Value, err = threshold(m[3]); err != nil {
			return bad("%v", err)
		}
		if indicator(t.Metric) {
			// controlled>=0.9: P(controlled = 1) ≥ 0.9.
			if !(t.Value >= 0 && t.Value <= 1) {
				return bad("%s is 0 or 1: its target is a probability from 0 to 1", t.Metric)
			}
			t.Prob, t.Value = t.Value, 0.5
			t.ProbOp = ">="
			if t.Op == "<=" || t.Op == "<" {
				t.ProbOp = "<="
			}
			t.Op = ">"
			break
		}
		if !(prob > 0 && prob <= 1) {
			return bad("the default probability must be in (0, 1], got %v", prob)
		}
		t.ProbOp, t.Prob = ">=", prob
	}
	if !known(t.Metric) {
		return bad("no metric %q (see docs/metrics.md)", t.Metric)
	}
	return t, nil
}

// threshold reads a number or a duration (in days).
func threshold(s string) (float64, error) {
	x, _, err := number(s)
	return x, err
}

// indicator reports whether a metric is 0 or 1 in each replication.
func indicator(name string) bool {
	for _, m := range slices.Concat(model.MetricNames, control.MetricNames) {
		if m.Name == name {
			return m.Unit == "0/1"
		}
	}
	return false
}

// known reports whether a metric is documented.
func known(name string) bool {
	for _, m := range slices.Concat(model.MetricNames, control.MetricNames) {
		if m.Name == name {
			return true
		}
	}
	for _, m := range scenarios.CostMetricNames {
		if m.Name == name {
			return true
		}
	}
	return false
}

// String writes the target as read, with what it means.
func (t Target) String() string {
	if t.Mean {
		return fmt.Sprintf("mean(%s) %s %.6g", t.Metric, t.Op, t.Value)
	}
	return fmt.Sprintf("P(%s %s %.6g) %s %.6g", t.Metric, t.Op, t.Value, t.ProbOp, t.Prob)
}

// holds reports whether a replication's value meets the target's event (or,
// for a target on the mean, the threshold).
func (t Target) holds(x float64) bool {
	if math.IsNaN(x) {
		return false
	}
	return compare(x, t.Op, t.Value)
}

func compare(x float64, op string, v float64) bool {
	switch op {
	case "<=":
		return x <= v
	case "<":
		return x < v
	case ">=":
		return x >= v
	}
	return x > v
}

// Estimate is a target's statistic over some replications, with its 95%
// interval: the mean (Student's t) or the probability of the event
// (Wilson score).
type Estimate struct {
	N        int     `json:"n"`        // replications
	Value    float64 `json:"estimate"` // the mean, or the probability
	Lo       float64 `json:"lo95"`     // lower end of the 95% interval
	Hi       float64 `json:"hi95"`     // upper end
	Met      bool    `json:"met"`      // the estimate meets the target
	Decided  bool    `json:"decided"`  // the whole interval is on one side of the target
	Required float64 `json:"required"` // the mean's threshold, or the probability required
}

// estimate returns the target's estimate over the values of its metric.
func (t Target) estimate(xs []float64) Estimate {
	if t.Mean {
		e := meanCI(xs)
		e.Required = t.Value
		e.Met = compare(e.Value, t.Op, t.Value)
		e.Decided = e.N >= 2 && compare(e.Lo, t.Op, t.Value) == compare(e.Hi, t.Op, t.Value)
		return e
	}
	k := 0
	for _, x := range xs {
		if t.holds(x) {
			k++
		}
	}
	e := wilson(k, len(xs))
	e.Required = t.Prob
	e.Met = compare(e.Value, t.ProbOp, t.Prob)
	e.Decided = compare(e.Lo, t.ProbOp, t.Prob) == compare(e.Hi, t.ProbOp, t.Prob)
	return e
}

// wilson returns k/n with its 95% Wilson score interval.
func wilson(k, n int) Estimate {
	if n == 0 {
		return Estimate{Value: math.NaN(), Lo: 0, Hi: 1}
	}
	const z = 1.959963984540054
	p, nn := float64(k)/float64(n), float64(n)
	c := (p + z*z/(2*nn)) / (1 + z*z/nn)
	h := z / (1 + z*z/nn) * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))
	return Estimate{N: n, Value: p, Lo: math.Max(0, c-h), Hi: math.Min(1, c+h)}
}

// meanCI returns the mean of the defined values with its 95% t interval.
func meanCI(xs []float64) Estimate {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	e := Estimate{N: len(v), Value: math.NaN(), Lo: math.Inf(-1), Hi: math.Inf(1), Required: math.NaN()}
	if len(v) == 0 {
		return e
	}
	e.Value = 0
	for _, x := range v {
		e.Value += x
	}
	e.Value /= float64(len(v))
	if len(v) < 2 {
		return e
	}
	ss := 0.0
	for _, x := range v {
		ss += (x - e.Value) * (x - e.Value)
	}
	se := math.Sqrt(ss / float64(len(v)-1) / float64(len(v)))
	tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(v) - 1)}.Quantile(0.975)
	e.Lo, e.Hi = e.Value-tq*se, e.Value+tq*se
	return e
}

// MarshalJSON writes the estimate with null for an undefined or infinite
// figure.
func (e Estimate) MarshalJSON() ([]byte, error) {
	if math.IsNaN(e.Required) {
		// A statistic without a target (the objective).
		return json.Marshal(struct {
			N     int           `json:"n"`
			Value scenarios.Num `json:"estimate"`
			Lo    scenarios.Num `json:"lo95"`
			Hi    scenarios.Num `json:"hi95"`
		}{e.N, scenarios.Num(e.Value), scenarios.Num(e.Lo), scenarios.Num(e.Hi)})
	}
	return json.Marshal(struct {
		N        int           `json:"n"`
		Value    scenarios.Num `json:"estimate"`
		Lo       scenarios.Num `json:"lo95"`
		Hi       scenarios.Num `json:"hi95"`
		Met      bool          `json:"met"`
		Decided  bool          `json:"decided"`
		Required scenarios.Num `json:"required"`
	}{e.N, scenarios.Num(e.Value), scenarios.Num(e.Lo), scenarios.Num(e.Hi), e.Met, e.Decided, scenarios.Num(e.Required)})
}
