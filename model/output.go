package model

import (
	"math"

	"github.com/epiplan/epiplan/sim"
)

// Daily refers to a daily series of a run, created with [Model.NewCounter] or
// [Model.NewLevel].
type Daily int

// series is one daily series being recorded.
type series struct {
	name  string
	level bool      // a level (prevalence), kept as day-to-day differences
	v     []float64 // by day: counts, or differences of the level
}

// recorder keeps the model's daily series.
type recorder struct {
	m      *Model
	series []series
	spare  [][]float64 // memory for new series, from the run before (Scratch)
	days   int         // days completed

	newInf, byLayer, byDistrict        Daily // byLayer, byDistrict: first of a run of series
	onsets, severe, deaths, exports    Daily
	exposed, presym, sympt, asym, hosp Daily
	recovered, susceptible             Daily
	districts                          []AreaID
	districtIndex                      map[AreaID]int
}

func (r *recorder) init(m *Model) {
	r.m = m
	r.newInf = m.NewCounter("new_infections")
	names := []string{"import", "household", "community", "city"}
	for _, g := range m.cfg.Population.Layers.Groups {
		names = append(names, g.Name)
	}
	for i, n := range names {
		d := m.NewCounter("new_infections_" + n)
		if i == 0 {
			r.byLayer = d
		}
	}
	r.districtIndex = map[AreaID]int{}
	if len(m.cfg.Population.Areas) > 1 {
		for i, a := range m.city.areas {
			if a.parent < 0 {
				d := m.NewCounter("new_infections_area_" + a.name)
				if len(r.districts) == 0 {
					r.byDistrict = d
				}
				r.districtIndex[AreaID(i)] = len(r.districts)
				r.districts = append(r.districts, AreaID(i))
			}
		}
	}
	r.onsets = m.NewCounter("new_onsets")
	r.severe = m.NewCounter("new_severe")
	r.deaths = m.NewCounter("new_deaths")
	r.exports = m.NewCounter("new_exports")
	r.exposed = m.NewLevel("exposed")
	r.presym = m.NewLevel("presymptomatic")
	r.sympt = m.NewLevel("symptomatic")
	r.asym = m.NewLevel("asymptomatic")
	r.hosp = m.NewLevel("hospitalized")
	r.recovered = m.NewLevel("recovered")
	r.susceptible = m.NewLevel("susceptible")
	m.Level(r.susceptible, 0, sim.Time(math.Inf(1)), float64(m.city.n))
}

// infection records a new infection and its whole course, counting the people
// it stands for.
func (r *recorder) infection(inf *Infection) {
	m := r.m
	w := float64(inf.Weight())
	m.Count(r.newInf, inf.Time, w)
	m.Count(r.byLayer+Daily(inf.Layer), inf.Time, w)
	if len(r.districts) > 0 {
		m.Count(r.byDistrict+Daily(r.districtIndex[m.city.areas[inf.Area].district]), inf.Time, w)
	}
	m.Level(r.susceptible, inf.Time, sim.Time(math.Inf(1)), -w)
	m.Level(r.exposed, inf.Time, inf.Infectious, w)
	m.Level(r.recovered, inf.Recovery, sim.Time(math.Inf(1)), w)
	if inf.Symptomatic {
		m.Count(r.onsets, inf.Onset, w)
		m.Level(r.presym, inf.Infectious, inf.Onset, w)
		m.Level(r.sympt, inf.Onset, inf.Recovery, w)
	} else {
		m.Level(r.asym, inf.Infectious, inf.Recovery, w)
	}
	if inf.Severe {
		ns := float64(inf.SevereCount())
		m.Count(r.severe, inf.SevereTime, ns)
		m.Level(r.hosp, inf.SevereTime, inf.OutcomeTime, ns)
		if inf.Died {
			m.Count(r.deaths, inf.OutcomeTime, float64(inf.DeathCount()))
		}
	}
}

func (r *recorder) dayEnd(day int) { r.days = day + 1 }

// NewCounter adds a daily series that counts events by the day they happen on
// (new infections, tests used). Call it from a measure's Attach.
func (m *Model) NewCounter(name string) Daily {
	m.rec.series = append(m.rec.series, series{name: name, v: m.rec.memory()})
	return Daily(len(m.rec.series) - 1)
}

// NewLevel adds a daily series of a level (people in quarantine, beds in use),
// reported as its value at the end of each day. Call it from a measure's Attach.
func (m *Model) NewLevel(name string) Daily {
	m.rec.series = append(m.rec.series, series{name: name, level: true, v: m.rec.memory()})
	return Daily(len(m.rec.series) - 1)
}

// memory returns the memory for a new series: an empty slice, with the
// capacity of a series of the run before if a Scratch passed them on.
func (r *recorder) memory() []float64 {
	n := len(r.spare)
	if n == 0 {
		return nil
	}
	v := r.spare[n-1]
	r.spare = r.spare[:n-1]
	return v
}

// growTo returns v lengthened with zeros to hold day, at least doubling its
// capacity when it must move. Callers call it only when day ≥ len(v): storing
// a slice into the model's memory costs a write barrier while the garbage
// collector marks, and a series is touched several times per infection.
func growTo(v []float64, day int) []float64 {
	if day >= cap(v) {
		w := make([]float64, len(v), max(day+1, 2*cap(v), 64))
		copy(w, v)
		v = w
	}
	n := len(v)
	v = v[:day+1]
	clear(v[n:])
	return v
}

// dayOf returns the day time t falls in, or -1 for an infinite or negative time.
func dayOf(t sim.Time) int {
	if !(t >= 0) || t > 1e9 { // t > 1e9 includes +Inf
		return -1
	}
	return int(t)
}

// Count adds v to counter d on the day time t falls in.
func (m *Model) Count(d Daily, t sim.Time, v float64) {
	day := dayOf(t)
	if day < 0 {
		return
	}
	s := &m.rec.series[d]
	if day >= len(s.v) {
		s.v = growTo(s.v, day)
	}
	s.v[day] += v
}

// SetDay sets the value of series d on day to v: the state of something at the
// end of the day (a backlog), recorded by a [DayObserver].
func (m *Model) SetDay(d Daily, day int, v float64) {
	if day < 0 {
		return
	}
	s := &m.rec.series[d]
	if day >= len(s.v) {
		s.v = growTo(s.v, day)
	}
	s.v[day] = v
}

// Total returns the sum of counter d over the days so far: all the events it
// has counted.
func (m *Model) Total(d Daily) float64 {
	t := 0.0
	for _, v := range m.rec.series[d].v {
		t += v
	}
	return t
}

// Level adds v to level d from time from until time to: the level counts it at
// the end of every day D with from < D+1 ≤ to (the end of day D is time D+1). An
// infinite to never takes it away.
func (m *Model) Level(d Daily, from, to sim.Time, v float64) {
	start, end := dayOf(from), dayOf(to)
	if start < 0 || end == start && !math.IsInf(float64(to), 1) {
		return
	}
	s := &m.rec.series[d]
	if start >= len(s.v) {
		s.v = growTo(s.v, start)
	}
	s.v[start] += v
	if end >= 0 {
		if end >= len(s.v) {
			s.v = growTo(s.v, end)
		}
		s.v[end] -= v
	}
}

// Series is a set of daily series of equal length: day d covers [d, d+1).
type Series struct {
	Names  []string    // the series' names, in the order they were created
	Values [][]float64 // Values[i] is series Names[i], by day
}

// Get returns the series with the given name, or nil.
func (s *Series) Get(name string) []float64 {
	for i, n := range s.Names {
		if n == name {
			return s.Values[i]
		}
	}
	return nil
}

// Sum returns the sum of the named series over its days (0 if there is none):
// the total of a counter, or the person-days of a level.
func (s *Series) Sum(name string) float64 {
	t := 0.0
	for _, v := range s.Get(name) {
		t += v
	}
	return t
}

// Max returns the largest value of the named series, and 0 if it is never
// positive or there is none: the peak of a level.
func (s *Series) Max(name string) float64 {
	mx := 0.0
	for _, v := range s.Get(name) {
		mx = max(mx, v)
	}
	return mx
}

// DaysPositive returns the number of days on which the named series is
// positive (0 if there is none).
func (s *Series) DaysPositive(name string) float64 {
	n := 0.0
	for _, v := range s.Get(name) {
		if v > 0 {
			n++
		}
	}
	return n
}

// Metric is a named figure of a run.
type Metric struct {
	Name  string  // snake_case name, documented in MetricNames
	Value float64 // value, in the unit MetricNames gives
}

// Result is what a run produced.
type Result struct {
	// StopReason says why the run ended: [StopExtinct], [StopHorizon],
	// [StopMaxInfections] or a measure's reason.
	StopReason string
	// End is the time the run ended.
	End sim.Time
	// Days is the number of days covered by Series (the last may be partial).
	Days int
	// Series holds the daily series: the model's own and those measures added.
	Series Series
	// Metrics are the run's figures: see [MetricNames].
	Metrics []Metric
	// MeanOffspring is the mean number of infections caused by the cases of each
	// generation (imports are generation 0); the last generations of a run that
	// did not end by extinction are incomplete.
	MeanOffspring []float64
	// LineList is every infection, in the order they happened.
	LineList LineList
	// Routes names the routes by which cases were found (Infection.FoundBy).
	Routes []string
}

// LineList is the list of every infection of a run, in the order they happened.
type LineList struct{ s *infStore }

// Len returns the number of infections.
func (l LineList) Len() int {
	if l.s == nil {
		return 0
	}
	return l.s.len()
}

// At returns infection i, 0 ≤ i < Len(). It must not be changed.
func (l LineList) At(i int) *Infection { return l.s.at(int32(i)) }

// All returns a copy of the whole list.
func (l LineList) All() []Infection {
	if l.s == nil {
		return nil
	}
	return l.s.all()
}

// Metric returns the value of the named metric, and false if there is none.
func (r *Result) Metric(name string) (float64, bool) {
	for _, m := range r.Metrics {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}

// MetricInfo documents a metric: its name, unit and definition.
type MetricInfo struct {
	Name       string // snake_case name, as in Metric.Name and the outputs
	Unit       string // unit of the values ("people", "person-days", "0/1")
	Definition string // what is counted or measured, in a sentence
}

// MetricNames documents the metrics of the epidemic that every run reports.
// Measures add their own ([MetricSource]) and document them beside them, as
// the package control does for the testing pipeline and the response.
var MetricNames = []MetricInfo{
	{"infections", "people", "infections during the run, imports included"},
	{"imports", "people", "imported infections"},
	{"exports", "people", "infected people who left the city while infectious"},
	{"severe", "people", "infections that became severe during the run"},
	{"deaths", "people", "deaths during the run"},
	{"peak_infectious", "people", "largest number of infectious people at the end of a day"},
	{"peak_day", "day", "the day of peak_infectious"},
	{"last_infection_day", "day", "the day of the last infection (-1 if none)"},
	{"duration", "days", "time from the first infection until the last case stopped being infectious"},
	{"uncontrolled", "0/1", "1 if the run hit the infection cap"},
	{"rescaled", "0/1", "1 if the run rescaled: past its threshold, each simulated infection stood for several people (docs/model.md, Large epidemics)"},
	{"max_weight", "people", "the most people one simulated infection stood for (1 in an exact run)"},
	{"controlled", "0/1", "1 if the outbreak was contained: it ended (no one left infectious, a measure stopped the run, as stop_after_community_zero does, or no infection in its last 14 days), the cap not hit, and fewer than half of the residents infected (see burned_out)"},
	{"burned_out", "0/1", "1 if the epidemic ran its course: it ended (as for controlled) having infected at least half of the residents. For a virus with R0 above 2 (Omicron's is 5 or more) that is past what a response that stops transmission lets happen; with R0 below 2 an unchecked epidemic may end below it, so read controlled against the counterfactual then"},
}

// BurnedOutShare is the share of the residents an ended epidemic must have
// infected to count as burned out (the burned_out metric) rather than
// controlled.
const BurnedOutShare = 0.5

// MetricSource is a measure that adds metrics to a run's result, computed from
// the result's series and its own state. Document each metric beside the
// measure, as [MetricNames] documents the model's.
type MetricSource interface {
	// Metrics returns the measure's metrics for the run whose result so far is
	// res.
	Metrics(res *Result) []Metric
}

// Result returns what the run has produced so far.
func (m *Model) Result() *Result {
	now := m.sim.Now()
	days := m.rec.days
	if float64(now) > float64(days) {
		days = int(math.Ceil(float64(now)))
	}
	res := &Result{StopReason: m.stopReason, End: now, Days: days, LineList: LineList{&m.infections}, Routes: append([]string(nil), m.routes...)}
	// One array holds every series (a controlled outbreak's run is short, and
	// its result was dozens of small allocations); each series is capped at its
	// end, so that appending to one never writes into the next. The array is
	// the memory a Scratch passed on from the run before, if it fits, used
	// once: a second Result of this run must not write into the first's.
	all := m.resultMem
	m.resultMem = nil
	if n := len(m.rec.series) * days; cap(all) >= n {
		all = all[:n]
		clear(all)
	} else {
		all = make([]float64, n)
	}
	m.lastResult = all
	res.Series.Names = make([]string, 0, len(m.rec.series))
	res.Series.Values = make([][]float64, 0, len(m.rec.series))
	for i, s := range m.rec.series {
		v := all[i*days : (i+1)*days : (i+1)*days]
		copy(v, s.v)
		if s.level {
			sum := 0.0
			for i := range v {
				sum += v[i]
				v[i] = sum
			}
		}
		res.Series.Names = append(res.Series.Names, s.name)
		res.Series.Values = append(res.Series.Values, v)
	}
	peak, peakDay := 0.0, 0
	pre, sy, as := res.Series.Get("presymptomatic"), res.Series.Get("symptomatic"), res.Series.Get("asymptomatic")
	for d := 0; d < days; d++ {
		if x := pre[d] + sy[d] + as[d]; x > peak {
			peak, peakDay = x, d
		}
	}
	// Counts of what happened up to the end of the run (a death drawn for later
	// is not counted).
	imports := res.Series.Sum("new_infections_import")
	last := -1
	var offspring, cases []float64
	for i := 0; i < m.infections.len(); i++ {
		inf := m.infections.at(int32(i))
		last = max(last, inf.Time.Day())
		for len(cases) <= int(inf.Generation) {
			cases = append(cases, 0)
			offspring = append(offspring, 0)
		}
		// People, weights counted: a case's offspring are the people its
		// simulated infections stand for.
		w := float64(inf.Weight())
		cases[inf.Generation] += w
		if inf.Generation > 0 {
			offspring[inf.Generation-1] += w
		}
	}
	for g := range cases {
		res.MeanOffspring = append(res.MeanOffspring, offspring[g]/cases[g])
	}
	duration := 0.0
	if m.infections.len() > 0 {
		duration = float64(m.lastActive - m.infections.at(0).Time)
	}
	uncontrolled := 0.0
	if m.stopReason == StopMaxInfections {
		uncontrolled = 1
	}
	// A run ended if no one was left infectious, a measure stopped it (as
	// stop_after_community_zero does), or nothing happened in its last 14
	// days; a run cut by the horizon with recent infections was still going.
	// One that ended having infected at least half the city ran its course:
	// for a virus with R0 > 2 (Omicron's is 5 or more) a response that stops
	// transmission does so before that share, while the susceptible people
	// left are fewer than the herd-immunity threshold 1 - 1/R0 > 1/2 asks for.
	// With R0 < 2 an unchecked epidemic may end below it: read controlled
	// against the counterfactual then.
	controlled, burnedOut := 0.0, 0.0
	if uncontrolled == 0 && (last < days-14 || m.stopReason != StopHorizon) {
		if float64(m.scaler.people) >= BurnedOutShare*float64(m.Population()) {
			burnedOut = 1
		} else {
			controlled = 1
		}
	}
	res.Metrics = []Metric{
		{"infections", float64(m.scaler.people)},
		{"imports", imports},
		{"exports", res.Series.Sum("new_exports")},
		{"severe", res.Series.Sum("new_severe")},
		{"deaths", res.Series.Sum("new_deaths")},
		{"peak_infectious", peak},
		{"peak_day", float64(peakDay)},
		{"last_infection_day", float64(last)},
		{"duration", duration},
		{"uncontrolled", uncontrolled},
		{"controlled", controlled},
		{"burned_out", burnedOut},
		{"rescaled", b2f(m.scaler.rescaled())},
		{"max_weight", float64(m.scaler.scale)},
	}
	for _, src := range m.metricSources {
		res.Metrics = append(res.Metrics, src.Metrics(res)...)
	}
	return res
}

// b2f returns 1 for true and 0 for false.
func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// DailyValue returns the value of the named daily series on a day, as recorded so
// far (for a level, its value at the end of that day), and whether the series
// exists. It is meant for measures that act on the epidemic's figures, once a
// day.
func (m *Model) DailyValue(name string, day int) (float64, bool) {
	for _, s := range m.rec.series {
		if s.name != name {
			continue
		}
		if !s.level {
			if day < 0 || day >= len(s.v) {
				return 0, true
			}
			return s.v[day], true
		}
		sum := 0.0
		for d := 0; d <= day && d < len(s.v); d++ {
			sum += s.v[d]
		}
		return sum, true
	}
	return 0, false
}
