package bench

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Spread sums up a figure over a contender's runs: the median and the 5% and
// 95% quantiles (nearest rank: each is a value some run had) and the mean of
// the runs where it is defined.
type Spread struct {
	// N is the number of runs where the figure is defined (not NaN).
	N int
	// Median, P05, P95 and Mean are NaN when N is 0.
	Median, P05, P95, Mean float64
}

// SpreadOf sums up xs, leaving out NaNs.
func SpreadOf(xs []float64) Spread {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	nan := math.NaN()
	s := Spread{N: len(v), Median: nan, P05: nan, P95: nan, Mean: nan}
	if len(v) == 0 {
		return s
	}
	sort.Float64s(v)
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	s.Mean = sum / float64(len(v))
	s.Median, s.P05, s.P95 = quantile(v, 0.5), quantile(v, 0.05), quantile(v, 0.95)
	return s
}

// quantile returns the p-quantile of sorted values by nearest rank: the value
// of rank round(p·(n-1)) from 0, so that a figure counted in whole people is
// shown as a whole number some run reached (of 20 runs: the 2nd, 11th and 19th
// smallest for p = 0.05, 0.5 and 0.95).
func quantile(v []float64, p float64) float64 {
	return v[int(p*float64(len(v)-1)+0.5)]
}

// Paired is the paired difference of a figure between two contenders run on
// the same seeds: the mean over seeds of (contender - baseline), with its 95%
// confidence interval (Student's t), over the seeds where both are defined.
type Paired struct {
	// N is the number of seeds where both are defined.
	N int
	// Mean, Lo and Hi are NaN when N is 0; Lo and Hi also when N is 1.
	Mean, Lo, Hi float64
}

// PairedOf returns the paired difference xs - base.
func PairedOf(xs, base []float64) Paired {
	var d []float64
	for i := range xs {
		if !math.IsNaN(xs[i]) && !math.IsNaN(base[i]) {
			d = append(d, xs[i]-base[i])
		}
	}
	nan := math.NaN()
	out := Paired{N: len(d), Mean: nan, Lo: nan, Hi: nan}
	if len(d) == 0 {
		return out
	}
	mean := 0.0
	for _, x := range d {
		mean += x
	}
	mean /= float64(len(d))
	out.Mean = mean
	if len(d) < 2 {
		return out
	}
	ss := 0.0
	for _, x := range d {
		ss += (x - mean) * (x - mean)
	}
	se := math.Sqrt(ss / float64(len(d)-1) / float64(len(d)))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(d) - 1)}.Quantile(0.975)
	out.Lo, out.Hi = mean-t*se, mean+t*se
	return out
}

// Values returns figure k (an index into SuiteMetrics) of every run of c, in
// the order of the seeds.
func (c *ContenderScores) Values(k int) []float64 {
	out := make([]float64, len(c.Runs))
	for i, r := range c.Runs {
		out[i] = r.Values[k]
	}
	return out
}

// Ranked returns the contenders ranked by infections: by their median, then
// their mean, then by name.
func (s *ScenarioScores) Ranked() []*ContenderScores {
	type key struct {
		c            *ContenderScores
		median, mean float64
	}
	keys := make([]key, len(s.Contenders))
	for i := range s.Contenders {
		c := &s.Contenders[i]
		sp := SpreadOf(c.Values(0))
		keys[i] = key{c, sp.Median, sp.Mean}
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.median != b.median {
			return a.median < b.median
		}
		if a.mean != b.mean {
			return a.mean < b.mean
		}
		return a.c.Name < b.c.Name
	})
	out := make([]*ContenderScores, len(keys))
	for i, k := range keys {
		out[i] = k.c
	}
	return out
}

// contender returns the scores of the named contender, or nil.
func (s *ScenarioScores) contender(name string) *ContenderScores {
	for i := range s.Contenders {
		if s.Contenders[i].Name == name {
			return &s.Contenders[i]
		}
	}
	return nil
}

// Markdown returns the leaderboard: for each scenario, the contenders ranked
// by infections, each figure as median [5%, 95%] over the seeds, the share of
// uncontrolled runs, and, if baseline names a contender, the paired difference
// of infections from it (mean [95% CI]).
func (s *Scores) Markdown(baseline string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Each figure is the median [5%%, 95%%] over %d seeds (%s); \"(k runs)\" when it is defined in fewer; "+
		"M stands for millions. Runs stop at %s infections (uncontrolled) or after %d days.\n",
		len(s.Seeds), seedList(s.Seeds), num(SuiteCap), SuiteHorizon)
	for _, ss := range s.Scenarios {
		base := ss.contender(baseline)
		fmt.Fprintf(&b, "\n#### %s: %s\n\n", ss.Scenario.Name, ss.Scenario.Description)
		b.WriteString("| rank | contender |")
		for k, sm := range SuiteMetrics {
			fmt.Fprintf(&b, " %s |", sm.Label)
			if k == 0 && base != nil {
				fmt.Fprintf(&b, " Δ infections vs %s (paired) |", baseline)
			}
		}
		b.WriteString("\n|---:|---|")
		cols := len(SuiteMetrics)
		if base != nil {
			cols++
		}
		b.WriteString(strings.Repeat("---:|", cols) + "\n")
		for rank, c := range ss.Ranked() {
			fmt.Fprintf(&b, "| %d | %s |", rank+1, c.Name)
			for k, sm := range SuiteMetrics {
				v := c.Values(k)
				if sm.contained {
					fmt.Fprintf(&b, " %.0f%% |", 100*SpreadOf(v).Mean)
				} else {
					fmt.Fprintf(&b, " %s |", spreadCell(SpreadOf(v), len(v)))
				}
				if k == 0 && base != nil {
					if c == base {
						b.WriteString(" — |")
					} else {
						fmt.Fprintf(&b, " %s |", pairedCell(PairedOf(v, base.Values(k))))
					}
				}
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// seedList writes the seeds, as a range when they are consecutive.
func seedList(seeds []uint64) string {
	consecutive := true
	for i := 1; i < len(seeds); i++ {
		consecutive = consecutive && seeds[i] == seeds[i-1]+1
	}
	if consecutive && len(seeds) > 2 {
		return fmt.Sprintf("seeds %d–%d", seeds[0], seeds[len(seeds)-1])
	}
	parts := make([]string, len(seeds))
	for i, x := range seeds {
		parts[i] = strconv.FormatUint(x, 10)
	}
	return "seeds " + strings.Join(parts, ", ")
}

// spreadCell writes a spread as median [p05, p95], saying from how many runs
// when not all.
func spreadCell(s Spread, runs int) string {
	if s.N == 0 {
		return "not reached"
	}
	out := fmt.Sprintf("%s [%s, %s]", num(s.Median), num(s.P05), num(s.P95))
	if s.N < runs {
		out += fmt.Sprintf(" (%d runs)", s.N)
	}
	return out
}

// pairedCell writes a paired difference as mean [lo, hi].
func pairedCell(p Paired) string {
	switch {
	case p.N == 0:
		return "—"
	case p.N == 1:
		return num(p.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", num(p.Mean), num(p.Lo), num(p.Hi))
}

// num writes a figure for a table: millions as 12.3M, whole numbers with
// thousands separators, small fractions with one decimal.
func num(x float64) string {
	switch {
	case math.IsNaN(x):
		return "—"
	case math.Abs(x) >= 1e6:
		return strconv.FormatFloat(x/1e6, 'f', 1, 64) + "M"
	case math.Abs(x) < 100 && x != math.Round(x):
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	s := strconv.FormatFloat(math.Abs(math.Round(x)), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if math.Round(x) < 0 {
		return "-" + s
	}
	return s
}

// WriteCSV writes every run as a row: scenario, contender, seed, stop_reason
// and the figures of SuiteMetrics by name, a figure that is not defined being
// left empty.
func (s *Scores) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"scenario", "contender", "seed", "stop_reason"}
	for _, sm := range SuiteMetrics {
		head = append(head, sm.Name)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, ss := range s.Scenarios {
		for _, c := range ss.Contenders {
			for _, r := range c.Runs {
				row := []string{ss.Scenario.Name, c.Name, strconv.FormatUint(r.Seed, 10), r.StopReason}
				for _, v := range r.Values {
					cell := ""
					if !math.IsNaN(v) {
						cell = strconv.FormatFloat(v, 'g', -1, 64)
					}
					row = append(row, cell)
				}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
