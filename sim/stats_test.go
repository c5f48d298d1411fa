package sim

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/stat"
)

func TestTally(t *testing.T) {
	var tl Tally
	assert.True(t, math.IsNaN(tl.Mean()))
	assert.True(t, math.IsNaN(tl.Var()))
	xs := []float64{4, 7, 13, 16, 1e9 + 4, 1e9 + 7}
	for _, x := range xs {
		tl.Add(x)
	}
	assert.EqualValues(t, 6, tl.N())
	assert.InDelta(t, stat.Mean(xs, nil), tl.Mean(), 1e-6)
	assert.InEpsilon(t, stat.Variance(xs, nil), tl.Var(), 1e-12)
	assert.Equal(t, 4.0, tl.Min())
	assert.Equal(t, 1e9+7, tl.Max())
	s := tl.Summary()
	assert.Equal(t, tl.StdDev(), s.StdDev)
}

func TestTimeWeighted(t *testing.T) {
	var w TimeWeighted
	w.Set(0, 2) // 2 from 0 to 1
	w.Add(1, 3) // 5 from 1 to 3
	w.Set(3, 0) // 0 from 3 to 4
	w.Add(4, 1) // 1 from 4 on
	assert.Equal(t, 2.0+10+0+1, w.Integral(5))
	assert.InDelta(t, 13.0/5, w.Mean(5), 1e-12)
	assert.Equal(t, 5.0, w.Max())
	assert.Equal(t, 1.0, w.Level())
	w.Reset(5)
	assert.Equal(t, 1.0, w.Mean(5), "no time passed: the current level")
	w.Set(6, 3)
	assert.InDelta(t, (1.0+3)/2, w.Mean(7), 1e-12)
	assert.Equal(t, 3.0, w.Max())
}

func TestTallyAddN(t *testing.T) {
	// AddN(x, n) is n calls of Add(x).
	var a, b Tally
	for _, c := range []struct {
		x float64
		n int64
	}{{3, 4}, {10, 1}, {-2, 7}, {5, 0}, {1e6, 2}} {
		a.AddN(c.x, c.n)
		for i := int64(0); i < c.n; i++ {
			b.Add(c.x)
		}
	}
	assert.Equal(t, b.N(), a.N())
	assert.InEpsilon(t, b.Mean(), a.Mean(), 1e-12)
	assert.InEpsilon(t, b.Var(), a.Var(), 1e-12)
	assert.Equal(t, b.Min(), a.Min())
	assert.Equal(t, b.Max(), a.Max())
}

func TestQuantile(t *testing.T) {
	v := []float64{1, 2, 4, 8, 16}
	// Type 7 (R's default): position p·(n−1).
	for p, want := range map[float64]float64{0: 1, 0.25: 2, 0.5: 4, 0.6: 5.6, 0.95: 14.4, 1: 16} {
		assert.InDelta(t, want, Quantile(v, p), 1e-12, "p=%v", p)
	}
	assert.True(t, math.IsNaN(Quantile(nil, 0.5)))
	assert.Equal(t, 3.0, Quantile([]float64{3}, 0.9))
}
