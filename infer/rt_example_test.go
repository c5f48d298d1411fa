package infer_test

import (
	"fmt"
	"time"

	"github.com/epiplan/epiplan/infer"
)

// Estimate the reproduction number of a short series with a serial interval
// of mean 3.3 days and sd 2.2 days, over windows of 3 days.
func ExampleEstimateRt() {
	cases := infer.Daily{
		Start:  time.Date(2022, 10, 20, 0, 0, 0, 0, time.UTC),
		Values: []float64{2, 3, 5, 8, 12, 18, 25, 30, 32, 30, 26, 21},
	}
	si, err := infer.ParseSerialInterval("gamma:3.3,2.2")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := infer.EstimateRt(cases, si, &infer.RtOptions{Window: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	lo, hi, _ := r.Interval(0.95)
	for _, d := range r.Days {
		if !d.OK() {
			continue
		}
		fmt.Printf("%s %3.0f cases  Rt %.2f [%.2f, %.2f]\n", d.Date.Format("Jan 2"), d.Cases, d.Median, d.Quantiles[lo], d.Quantiles[hi])
	}
	// Output:
	// Oct 23   8 cases  Rt 4.70 [2.79, 7.33]
	// Oct 24  12 cases  Rt 3.86 [2.55, 5.55]
	// Oct 25  18 cases  Rt 3.43 [2.46, 4.63]
	// Oct 26  25 cases  Rt 3.10 [2.35, 3.98]
	// Oct 27  30 cases  Rt 2.69 [2.12, 3.35]
	// Oct 28  32 cases  Rt 2.22 [1.79, 2.72]
	// Oct 29  30 cases  Rt 1.75 [1.42, 2.14]
	// Oct 30  26 cases  Rt 1.36 [1.10, 1.66]
	// Oct 31  21 cases  Rt 1.05 [0.83, 1.30]
}
