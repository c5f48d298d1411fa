package sim

import "math"

// Tally accumulates observations (waiting times, sojourn times) and reports their
// count, mean, variance and extremes. It uses Welford's update, so it is exact to
// rounding for any number of observations and holds no samples. The zero value is
// an empty tally.
type Tally struct {
	n        int64
	mean, m2 float64
	min, max float64
}

// Add records one observation.
func (t *Tally) Add(x float64) {
	t.n++
	if t.n == 1 {
		t.min, t.max = x, x
	} else {
		t.min = min(t.min, x)
		t.max = max(t.max, x)
	}
	d := x - t.mean
	t.mean += d / float64(t.n)
	t.m2 += d * (x - t.mean)
}

// AddN records n observations of the same value x, at the cost of one: the
// waiting time shared by a batch of n units, say. n ≤ 0 records nothing.
func (t *Tally) AddN(x float64, n int64) {
	if n <= 0 {
		return
	}
	if t.n == 0 {
		t.min, t.max = x, x
	} else {
		t.min = min(t.min, x)
		t.max = max(t.max, x)
	}
	// Chan et al.'s pairwise update, merging a group of n equal values.
	total := t.n + n
	d := x - t.mean
	t.mean += d * float64(n) / float64(total)
	t.m2 += d * d * float64(t.n) * float64(n) / float64(total)
	t.n = total
}

// N returns the number of observations.
func (t *Tally) N() int64 { return t.n }

// Mean returns the mean observation, or NaN when there is none.
func (t *Tally) Mean() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.mean
}

// Var returns the unbiased sample variance, or NaN with fewer than two observations.
func (t *Tally) Var() float64 {
	if t.n < 2 {
		return math.NaN()
	}
	return t.m2 / float64(t.n-1)
}

// StdDev returns the sample standard deviation.
func (t *Tally) StdDev() float64 { return math.Sqrt(t.Var()) }

// Min returns the smallest observation, or NaN when there is none.
func (t *Tally) Min() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.min
}

// Max returns the largest observation, or NaN when there is none.
func (t *Tally) Max() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.max
}

// Summary returns the tally's figures as a value.
func (t *Tally) Summary() Summary {
	return Summary{N: t.n, Mean: t.Mean(), StdDev: t.StdDev(), Min: t.Min(), Max: t.Max()}
}

// Summary is a snapshot of a [Tally].
type Summary struct {
	N      int64   // number of observations
	Mean   float64 // mean, NaN when N is 0
	StdDev float64 // sample standard deviation, NaN when N < 2
	Min    float64 // smallest observation, NaN when N is 0
	Max    float64 // largest observation, NaN when N is 0
}

// TimeWeighted tracks a level that changes at points in time (busy servers, queue
// length, beds in use) and reports its time average and maximum. Record every
// change with [TimeWeighted.Set]; the level holds until the next change.
// The zero value starts at level 0 at time 0.
type TimeWeighted struct {
	start, last Time
	level       float64
	area        float64
	max         float64
}

// Reset restarts the statistic at time t with the current level, discarding the
// history (for example, at the end of a warm-up period).
func (w *TimeWeighted) Reset(t Time) {
	w.start, w.last, w.area, w.max = t, t, 0, w.level
}

// Set records that the level changed to v at time t. Times must not decrease.
func (w *TimeWeighted) Set(t Time, v float64) {
	w.area += w.level * float64(t-w.last)
	w.last = t
	w.level = v
	if v > w.max {
		w.max = v
	}
}

// Add changes the level by dv at time t.
func (w *TimeWeighted) Add(t Time, dv float64) { w.Set(t, w.level+dv) }

// Level returns the current level.
func (w *TimeWeighted) Level() float64 { return w.level }

// Max returns the largest level seen since the start (or the last Reset).
func (w *TimeWeighted) Max() float64 { return w.max }

// Integral returns the area under the level from the start to time t, for example
// bed-days when the level is beds in use and time is in days.
func (w *TimeWeighted) Integral(t Time) float64 {
	return w.area + w.level*float64(t-w.last)
}

// Mean returns the time average of the level from the start to time t, or the
// current level if no time has passed.
func (w *TimeWeighted) Mean(t Time) float64 {
	if t <= w.start {
		return w.level
	}
	return w.Integral(t) / float64(t-w.start)
}

// Quantile returns the p-quantile of sorted values, interpolating linearly
// between order statistics (position p·(n−1), type 7 of Hyndman and Fan
// 1996, the default of R and NumPy); NaN for no values.
func Quantile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	x := p * float64(len(sorted)-1)
	i := int(x)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (sorted[i+1]-sorted[i])*(x-float64(i))
}
