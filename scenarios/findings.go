package scenarios

import (
	"fmt"
	"math"
	"time"

	"github.com/epiplan/epiplan/model"
)

// Finding is what the results say of one strategy, in plain sentences
// generated from the numbers, each with the replications it rests on and its
// interval (median [5%, 95%] over replications).
type Finding struct {
	Strategy  string   // the strategy's name
	Sentences []string // containment, infections, cost, overflows
}

// KeyMetric is a row of the compact table of key figures: a label and, by
// strategy, the figure as text (see [StatText]).
type KeyMetric struct {
	Label string   // what the row counts ("infections")
	Unit  string   // the unit of its figures, as in model.MetricNames and control.MetricNames
	Cells []string // in the order of the strategies
}

// overflows are the capacities a finding reports when they overflowed: the
// daily series that counts the overflow, what it is a capacity of, and who
// overflowed.
var overflows = []struct{ series, capacity, who string }{
	{"quarantine_overflow", "quarantine rooms", "contacts quarantined at home instead"},
	{"isolation_overflow", "isolation beds", "cases isolated at home instead"},
	{"hospital_overflow", "hospital beds", "severe cases without a hospital bed"},
}

// costParts are the person-days of restrictions added up in a finding.
var costParts = []struct {
	label   string
	metrics []string
}{
	{"in quarantine", []string{"quarantine_centralized_person_days", "quarantine_home_person_days"}},
	{"in isolation", []string{"isolation_person_days", "isolation_home_person_days"}},
	{"under lockdown or city-wide restrictions", []string{"lockdown_person_days"}},
}

// Findings returns, for every strategy, the finding in plain sentences: the
// share of replications that contained the outbreak and by when, infections,
// the cost in tests and person-days of restrictions, and every capacity that
// overflowed (when, by how much). A figure from replications stopped by
// max_infections is marked as a lower bound (≥).
func (r *Results) Findings() []Finding {
	var out []Finding
	for i := range r.Strategies {
		st := &r.Strategies[i]
		total := len(st.Runs)
		f := Finding{Strategy: st.Name}
		capped := cappedRuns(st.Runs)
		ncap := 0
		var capDays []float64
		for _, run := range st.Runs {
			if run.Capped() {
				ncap++
				capDays = append(capDays, float64(run.CapDay()))
			}
		}
		get := func(name string) Stats {
			return cappedStats(stats(values(st.Runs, name)), values(st.Runs, name), capped)
		}
		// How the runs ended: contained, ran their course, capped (below), or
		// still going when the horizon came.
		ctl, bo := values(st.Runs, "controlled"), values(st.Runs, "burned_out")
		contained, burned, going := 0, 0, 0
		for k, run := range st.Runs {
			switch {
			case ctl[k] == 1:
				contained++
			case bo[k] == 1:
				burned++
			case run.StopReason == model.StopHorizon:
				going++
			}
		}
		s := fmt.Sprintf("Contained the outbreak in %d of %d runs (%.0f%%)", contained, total, 100*float64(contained)/float64(max(total, 1)))
		if burned > 0 {
			s += fmt.Sprintf("; in %d of %d the epidemic ran its course, ending only once at least half the city had been infected", burned, total)
		}
		if going > 0 {
			s += fmt.Sprintf("; in %d of %d the outbreak was still going at the end of the horizon (%s)", going, total, r.Horizon)
		}
		if cz := get("days_to_community_zero"); cz.N > 0 {
			s += fmt.Sprintf("; the community reached zero %s after the first case was found", statWords(cz, "days", "days", total))
		}
		if contained > 0 {
			// The last infection of the runs that contained it.
			var last []float64
			for k, x := range values(st.Runs, "last_infection_day") {
				if ctl[k] == 1 {
					last = append(last, x)
				}
			}
			if li := stats(last); li.N > 0 {
				s += fmt.Sprintf("; the last infection of those runs on day %s%s", StatText(li, "day", contained), r.dateOf(li.Median))
			}
		}
		f.Sentences = append(f.Sentences, s+".")
		if ncap > 0 {
			cd := stats(capDays)
			f.Sentences = append(f.Sentences, fmt.Sprintf("%d of %d runs reached the cap of %s infections (max_infections), on day %s%s: their figures are lower bounds (≥), and the epidemic had not ended.",
				ncap, total, Count(float64(r.MaxInfections)), StatText(cd, "day", ncap), r.dateOf(cd.Median)))
		}
		// Infections and their outcomes.
		s = fmt.Sprintf("Infections: %s", StatText(get("infections"), "people", total))
		if sev := get("severe"); sev.N > 0 && float64(sev.P95) > 0 {
			s += fmt.Sprintf("; severe cases %s; deaths %s", StatText(sev, "people", total), StatText(get("deaths"), "people", total))
		}
		f.Sentences = append(f.Sentences, s+".")
		// Cost.
		var costs []string
		if t := get("tests"); float64(t.P95) > 0 {
			costs = append(costs, statWords(t, "swabs", "swabs tested", total))
		}
		for _, c := range costParts {
			sum := r.sumStats(st, c.metrics)
			if float64(sum.P95) > 0 {
				costs = append(costs, statWords(sum, "person-days", "person-days "+c.label, total))
			}
		}
		if len(costs) == 0 {
			f.Sentences = append(f.Sentences, "Cost: no tests and no person-days of quarantine, isolation or lockdown.")
		} else {
			f.Sentences = append(f.Sentences, "Cost: "+joinAnd(costs)+".")
		}
		// Capacities that overflowed.
		for _, o := range overflows {
			var first, size []float64
			for _, run := range st.Runs {
				v := run.Series.Get(o.series)
				tot, day := 0.0, -1
				for d, x := range v {
					if x > 0 && day < 0 {
						day = d
					}
					tot += x
				}
				if day >= 0 {
					first = append(first, float64(day))
					size = append(size, tot)
				}
			}
			if len(first) == 0 {
				continue
			}
			fd := stats(first)
			f.Sentences = append(f.Sentences, fmt.Sprintf("The %s overflowed in %d of %d runs, first on day %s%s, with %s %s (in those runs).",
				o.capacity, len(first), total, StatText(fd, "day", len(first)), r.dateOf(fd.Median), StatText(stats(size), "people", len(first)), o.who))
		}
		if lab := get("lab_days_over_capacity"); lab.N > 0 && float64(lab.P95) > 0 {
			over := 0
			for _, x := range values(st.Runs, "lab_days_over_capacity") {
				if x > 0 {
					over++
				}
			}
			f.Sentences = append(f.Sentences, fmt.Sprintf("The lab was over capacity in %d of %d runs, for %s, with a peak backlog of %s and a 95th-percentile turnaround of %s.",
				over, total, statWords(lab, "days", "days", total), statWords(get("peak_lab_backlog"), "tubes", "tubes", total), statWords(get("turnaround_p95"), "hours", "hours", total)))
		}
		out = append(out, f)
	}
	return out
}

// dateOf writes the date of a day after the start date (" (12 Oct)"), or
// nothing without a start date.
func (r *Results) dateOf(day Num) string {
	if r.StartDate.IsZero() || math.IsNaN(float64(day)) {
		return ""
	}
	return " (" + r.StartDate.Add(time.Duration(math.Round(float64(day)))*24*time.Hour).Format("2 Jan") + ")"
}

// sumStats returns the statistics of the sum of metrics, replication by
// replication.
func (r *Results) sumStats(st *StrategyResult, metrics []string) Stats {
	sum := make([]float64, len(st.Runs))
	for _, m := range metrics {
		for i, x := range values(st.Runs, m) {
			if !math.IsNaN(x) {
				sum[i] += x
			}
		}
	}
	return cappedStats(stats(sum), sum, cappedRuns(st.Runs))
}

// keyMetrics are the rows of the compact table: a metric, or the sum of
// several.
var keyMetrics = []struct {
	label, unit string
	metrics     []string
}{
	{"contained (ended, under half the city infected)", "0/1", []string{"controlled"}},
	{"ran its course (half the city infected)", "0/1", []string{"burned_out"}},
	{"reached the infection cap", "0/1", []string{"uncontrolled"}},
	{"infections", "people", []string{"infections"}},
	{"severe cases", "people", []string{"severe"}},
	{"deaths", "people", []string{"deaths"}},
	{"days to community zero", "days", []string{"days_to_community_zero"}},
	{"tests (swabs)", "swabs", []string{"tests"}},
	{"quarantine (person-days)", "person-days", costParts[0].metrics},
	{"isolation (person-days)", "person-days", costParts[1].metrics},
	{"lockdown or city-wide restrictions (person-days)", "person-days", costParts[2].metrics},
	{"peak lab backlog (tubes)", "tubes", []string{"peak_lab_backlog"}},
	{"95th-percentile turnaround (hours)", "hours", []string{"turnaround_p95"}},
}

// KeyMetrics returns the compact table of key figures, by strategy (median
// [5%, 95%], with n when fewer than all replications, ≥ for lower bounds).
// Rows no strategy reports are left out.
func (r *Results) KeyMetrics() []KeyMetric {
	names := map[string]bool{}
	for _, n := range r.metricNames() {
		names[n] = true
	}
	var out []KeyMetric
	for _, k := range keyMetrics {
		have := false
		for _, m := range k.metrics {
			have = have || names[m]
		}
		if !have {
			continue
		}
		row := KeyMetric{Label: k.label, Unit: k.unit}
		for i := range r.Strategies {
			st := &r.Strategies[i]
			var s Stats
			if len(k.metrics) == 1 {
				xs := values(st.Runs, k.metrics[0])
				s = stats(xs)
				if !uncensored[k.metrics[0]] {
					s = cappedStats(s, xs, cappedRuns(st.Runs))
				}
			} else {
				s = r.sumStats(st, k.metrics)
			}
			row.Cells = append(row.Cells, StatText(s, k.unit, len(st.Runs)))
		}
		out = append(out, row)
	}
	return out
}
