package infer

import (
	"math"
	"sort"
	"time"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// Analysis is what a fit says of the outbreak, read from the data and from
// the simulations at the estimate (the fit's replications over the scenario's
// whole horizon).
type Analysis struct {
	// DataPeak is the day of the highest 7-day mean of the data (centred), and
	// DataPeakMean that mean; zero if the highest is the last day with a 7-day
	// mean (the data still rise at their end: DataRising).
	DataPeak     time.Time
	DataPeakMean float64 // cases a day
	DataRising   bool    // the data's 7-day mean is highest on its last day
	// DataGrowth is the daily growth rate of the data's 7-day mean over the
	// week before its peak, or its last week if it has none (log-linear least
	// squares; NaN if a day of it has no count or its mean is 0), and
	// DataDoubling the doubling time it implies, in days.
	DataGrowth, DataDoubling float64
	// FittedPeak is the day of the highest expected count of the fitted curve,
	// and InfectionPeak that of the most new infections in the model (their
	// mean over replications), from the data's first day to the strategy's
	// first switch, or to the end of the scenario's horizon; zero if it is the
	// last of those days (no peak yet).
	FittedPeak    time.Time // the day of the highest expected count
	InfectionPeak time.Time // the day of the most new infections
	// FirstDetection is the median over replications of the first day on which
	// the model finds a case: when control begins.
	FirstDetection time.Time
	// Growth is the daily growth rate of the model's mean new infections over
	// the week before FirstDetection, from the day after the first infection if
	// that is later (NaN if that leaves fewer than 3 days), and Doubling its
	// doubling time, in days.
	Growth, Doubling float64
	// RBefore is the case reproduction number of the infections before
	// FirstDetection: the mean number of people each of them infected.
	RBefore Spread
	// RUnder is that of the infections from a week after FirstDetection to the
	// switch of strategy, or to 10 days before the end of the data (whose
	// infections have not all had their offspring yet): under the measures.
	RUnder Spread
	// RAfterSwitch is that of the infections from the strategy's first switch
	// to 10 days before the end of the data, if the switch falls in that time.
	RAfterSwitch *Spread
	// UnderFrom and UnderTo are the days RUnder covers.
	UnderFrom, UnderTo time.Time
	// Rc is the case reproduction number by day of infection.
	Rc []RcDay
}

// Spread is a figure over replications: its value pooled over all of them and
// the quantiles of its value in each at the fit's level.
type Spread struct {
	Value float64 // pooled over all replications
	Lo    float64 // the low quantile of the replications' values
	Hi    float64 // the high quantile
	// Cases is the number of infections it is computed from, over all
	// replications.
	Cases int
}

// RcDay is the case reproduction number of the infections of one day.
type RcDay struct {
	Date   time.Time // the day of infection
	Spread           // the number's mean and band
}

// analyse reads the fit's runs and data.
func analyse(f *Fit) Analysis {
	var a Analysis
	start, _ := f.Scenario.StartTime()
	date := func(d int) time.Time { return start.AddDate(0, 0, d) }

	// The data: 7-day centred mean, its peak and the growth before it.
	y := f.Data.Values
	week := make([]float64, len(y))
	for i := range y {
		week[i] = math.NaN()
		if i < 3 || i+3 >= len(y) {
			continue
		}
		s := 0.0
		for j := i - 3; j <= i+3; j++ {
			s += y[j]
		}
		week[i] = s / 7
	}
	peak := -1
	for i, v := range week {
		if !math.IsNaN(v) && (peak < 0 || v > week[peak]) {
			peak = i
		}
	}
	a.DataGrowth, a.DataDoubling, a.DataPeakMean = math.NaN(), math.NaN(), math.NaN()
	if peak >= 0 {
		if peak == len(y)-4 {
			a.DataRising = true
		} else {
			a.DataPeak, a.DataPeakMean = f.Data.Date(peak), week[peak]
		}
		if peak >= 9 {
			a.DataGrowth = growth(week[peak-6 : peak+1])
			a.DataDoubling = math.Ln2 / a.DataGrowth
		}
	}

	// The fitted curve.
	b := &f.Band
	end := len(b.Mean)
	st := f.Scenario.Strategy(f.StrategyIndex)
	if st.Switch != nil {
		end = min(end, int(math.Ceil(float64(st.Switch.At))))
	}
	if from := f.Alignment.Offset; end > from {
		if d := argmax(b.Mean[from:end]) + from; d < end-1 {
			a.FittedPeak = date(d)
		}
		if d := argmax(b.Infections[from:end]) + from; d < end-1 {
			a.InfectionPeak = date(d)
		}
	}
	var firsts []float64
	for _, r := range f.runs {
		det := r.Series.Get(DefaultSeries)
		first := math.NaN()
		for d, v := range det {
			if v > 0 {
				first = float64(d)
				break
			}
		}
		if !math.IsNaN(first) {
			firsts = append(firsts, first)
		}
	}
	a.Growth, a.Doubling = math.NaN(), math.NaN()
	first := -1
	if len(firsts) > 0 {
		sort.Float64s(firsts)
		first = int(math.Round(sim.Quantile(firsts, 0.5)))
		a.FirstDetection = date(first)
		from := max(0, first-7)
		for from < first && !(b.Infections[from] > 0) {
			from++
		}
		from = min(from+1, first) // the day of the introduction is partial
		if first-from >= 3 {
			a.Growth = growth(b.Infections[from:first])
			a.Doubling = math.Ln2 / a.Growth
		}
	}

	// Reproduction numbers.
	days := len(b.Mean)
	end = f.Alignment.Offset + f.Alignment.Days - 10 // infections up to here have had their offspring
	level := f.Level
	for d := 0; d < days; d++ {
		if s := reproduction(f.runs, d, d+1, level); s.Cases > 0 {
			a.Rc = append(a.Rc, RcDay{Date: date(d), Spread: s})
		}
	}
	if first >= 0 {
		a.RBefore = reproduction(f.runs, 0, first, level)
		from, to := first+7, end
		if st.Switch != nil {
			at := int(math.Ceil(float64(st.Switch.At)))
			if at < to && at > from {
				s := reproduction(f.runs, at, end, level)
				a.RAfterSwitch = &s
				to = at
			}
		}
		if to > from {
			a.RUnder = reproduction(f.runs, from, to, level)
			a.UnderFrom, a.UnderTo = date(from), date(to-1)
		}
	}
	return a
}

// argmax returns the index of the largest value.
func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// growth returns the least-squares slope of log v over its days (NaN if a
// value is not positive).
func growth(v []float64) float64 {
	n := float64(len(v))
	sx, sy, sxx, sxy := 0.0, 0.0, 0.0, 0.0
	for i, x := range v {
		if !(x > 0) {
			return math.NaN()
		}
		t, l := float64(i), math.Log(x)
		sx += t
		sy += l
		sxx += t * t
		sxy += t * l
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}

// reproduction returns the mean number of people infected by the infections
// of days [from, to), pooled over the runs, with the quantiles of its value
// in each run (runs without such infections left out).
func reproduction(runs []*model.Result, from, to int, level float64) Spread {
	var per []float64
	cases, offspring := 0, 0
	for _, r := range runs {
		n, o := 0, 0
		for i := 0; i < r.LineList.Len(); i++ {
			inf := r.LineList.At(i)
			if d := inf.Time.Day(); d >= from && d < to {
				n++
				o += int(inf.Offspring)
			}
		}
		if n > 0 {
			per = append(per, float64(o)/float64(n))
		}
		cases += n
		offspring += o
	}
	s := Spread{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Cases: cases}
	if cases == 0 {
		return s
	}
	sort.Float64s(per)
	s.Value = float64(offspring) / float64(cases)
	s.Lo, s.Hi = sim.Quantile(per, (1-level)/2), sim.Quantile(per, (1+level)/2)
	return s
}
