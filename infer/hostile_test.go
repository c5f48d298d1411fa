package infer

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFitWithoutLikelihoodFails(t *testing.T) {
	// Counts of 1e306 make every log-likelihood NaN (lgamma overflows): there
	// is no fit, and Calibrate says so rather than returning a "fitted"
	// value with a null log-likelihood.
	sc := tinyScenario(t)
	start, _ := sc.StartTime()
	data := Daily{Start: start.AddDate(0, 0, 5), Values: []float64{1e306, 1e306, 1e306, 1e306}}
	_, err := Calibrate(context.Background(), sc, data, []Param{{Path: ParamTransmission, Lo: 0.5, Hi: 2}}, Settings{Bootstrap: -1, MaxEvaluations: 4})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no fit: the log-likelihood of the data is")
}

func TestRtHugeCounts(t *testing.T) {
	// A count of 1e306 is refused by name and date; the gamma quantile of a
	// huge shape (which gonum's inverse never returns for) is approximated,
	// so that counts below the bound (1e300) give an estimate.
	si, err := NewSerialInterval([]float64{0, 0.2, 0.3, 0.3, 0.2})
	require.NoError(t, err)
	d := Daily{Start: time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC), Values: []float64{1, 2, 3, 4, 5, 6, 7, 1e306, 9, 10}}
	done := make(chan error, 1)
	go func() { _, err := EstimateRt(d, si, nil); done <- err }()
	select {
	case err := <-done:
		require.Error(t, err)
		assert.Contains(t, err.Error(), "rt: cases on 2022-10-08: 1e+306, more than 1e+300 a day")
	case <-time.After(10 * time.Second):
		t.Fatal("EstimateRt does not return on a count of 1e306")
	}
	d.Values[7] = 1e299
	r, err := EstimateRt(d, si, nil)
	require.NoError(t, err)
	assert.False(t, math.IsNaN(r.Days[8].Median) || math.IsInf(r.Days[8].Median, 0), "a finite median: %v", r.Days[8].Median)
	for _, shape := range []float64{1e12, 1e13, 1e300, 1e306} {
		q := gammaQuantile(shape, 1/shape, 0.975)
		assert.InDelta(t, 1, q, 2.5/1e6, "shape %g", shape) // 1.96/sqrt(shape) above 1
		assert.GreaterOrEqual(t, q, 1.0)
	}
	// Where gonum answers, the approximation agrees to 1e-9.
	assert.InEpsilon(t, gammaQuantile(1e12, 1, 0.975), gammaQuantile(1e12*(1+1e-15), 1, 0.975), 1e-9)
}

func TestReadCSVRefusesBadCounts(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"date,cases\n2022-10-01,1.5\n", `line 2, column 2: cases "1.5": a count of cases is a whole number`},
		{"date,cases,cases\n2022-10-01,1,2\n", `line 1: the column "cases" appears twice (columns 2 and 3)`},
		{"date,cases,date\n2022-10-01,1,2022-10-02\n", `line 1: the column "date" appears twice (columns 1 and 3)`},
		{"date,cases\n2022-10-01,1e306\n", `line 2, column 2: cases "1e306": more than 1e+10 cases in a day`},
		{"date,cases\n2022-10-01,-1\n", `line 2, column 2: cases "-1": want a non-negative whole number of cases`},
	} {
		_, err := ReadCSV(strings.NewReader(c.in), "cases")
		if assert.Error(t, err, c.in) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
}
