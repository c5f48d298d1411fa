package infer

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"

	"github.com/epiplan/epiplan/sim"
)

// Search is one Nelder–Mead search of a calibration.
type Search struct {
	Start       []float64 // the starting point
	Value       []float64 // where it ended
	LogLik      float64   // the log-likelihood there
	Evaluations int       // the calls of the likelihood, repeated points included
	Status      string    // why it stopped (gonum's status)
}

// logit maps a value of parameter i to the search's scale (kept 1e-6 inside
// the range) and expit maps it back.
func (p *problem) logit(i int, x float64) float64 {
	prm := p.params[i]
	u := (x - prm.Lo) / (prm.Hi - prm.Lo)
	u = math.Min(math.Max(u, 1e-6), 1-1e-6)
	return math.Log(u / (1 - u))
}

// expit is the inverse of logit.
func (p *problem) expit(i int, z float64) float64 {
	prm := p.params[i]
	return prm.Lo + (prm.Hi-prm.Lo)/(1+math.Exp(-z))
}

// toX maps a point of the search space to the parameters.
func (p *problem) toX(z []float64) []float64 {
	x := make([]float64, len(z))
	for i := range p.params {
		x[i] = p.expit(i, z[i])
	}
	return x
}

// toZ maps parameters inside their ranges to the search space.
func (p *problem) toZ(x []float64) []float64 {
	z := make([]float64, len(x))
	for i := range p.params {
		z[i] = p.logit(i, x[i])
	}
	return z
}

// starts returns the starting points of the searches: the file's values (kept
// 5% inside the ranges; the middle of a range that does not hold them), then
// points drawn in the ranges from the seed.
func (p *problem) starts(n int) [][]float64 {
	x0 := make([]float64, len(p.params))
	for i, prm := range p.params {
		v := initialValue(p.base, prm.Path, p.obs)
		w := prm.Hi - prm.Lo
		if math.IsNaN(v) || v < prm.Lo || v > prm.Hi {
			v = prm.Lo + w/2
		}
		x0[i] = math.Min(math.Max(v, prm.Lo+0.05*w), prm.Hi-0.05*w)
	}
	out := [][]float64{x0}
	root := sim.NewStream(p.seed).Named("calibration starts")
	for s := 1; s < n; s++ {
		x := make([]float64, len(p.params))
		for i, prm := range p.params {
			u := 0.05 + 0.9*root.Key(uint64(s)).Key(uint64(i)).Float64()
			x[i] = prm.Lo + u*(prm.Hi-prm.Lo)
		}
		out = append(out, x)
	}
	return out
}

// searchFrom runs a search from each of the starts, telling set.Progress of
// the evaluations, and returns the searches and the index of the best.
func (p *problem) searchFrom(starts [][]float64, set Settings) ([]Search, int, error) {
	maxEval := set.MaxEvaluations
	var searches []Search
	best := -1
	for s, x0 := range starts {
		var progress func(int)
		if set.Progress != nil {
			progress = func(n int) { set.Progress("fit", s*maxEval+n, len(starts)*maxEval) }
		}
		sr, err := p.search(x0, 1, maxEval, set.Tolerance, progress)
		if err != nil {
			return nil, 0, err
		}
		searches = append(searches, sr)
		if best < 0 || sr.LogLik > searches[best].LogLik {
			best = s
		}
	}
	return searches, best, nil
}

// search runs Nelder–Mead from x0, with a first simplex of the given size in
// the search space, and restarts it from the best point found, with a new
// simplex of the same size, as long as a restart gains at least tol and the
// evaluations last: the likelihood of a simulation is rough (its mean curve
// moves in small jumps as the parameters change), and a simplex that has
// shrunk onto a bump of it is then set free.
func (p *problem) search(x0 []float64, size float64, maxEval int, tol float64, progress func(int)) (Search, error) {
	dim := len(x0)
	evals := 0
	f := func(z []float64) float64 {
		evals++
		if progress != nil {
			progress(evals)
		}
		if p.err != nil || p.ctx.Err() != nil {
			return math.MaxFloat64
		}
		ll, _ := p.score(p.toX(z))
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return math.MaxFloat64
		}
		return -ll
	}
	z := p.toZ(x0)
	best := math.Inf(1)
	status := ""
	for restart := 0; evals < maxEval; restart++ {
		settings := &optimize.Settings{
			FuncEvaluations: maxEval - evals,
			Converger:       &optimize.FunctionConverge{Absolute: tol, Iterations: 5 + dim},
		}
		res, err := optimize.Minimize(optimize.Problem{Func: f}, z, settings, &optimize.NelderMead{SimplexSize: size})
		if p.err != nil {
			return Search{}, p.err
		}
		if err := p.ctx.Err(); err != nil {
			return Search{}, err
		}
		if err != nil {
			return Search{}, fmt.Errorf("the search failed: %w", err)
		}
		status = res.Status.String()
		gain := best - res.F
		if res.F < best {
			best, z = res.F, res.X
		}
		if !(gain >= tol) || res.Status != optimize.FunctionConvergence || dim == 1 {
			break // a simplex of one dimension does not get stuck on a bump
		}
	}
	x := p.toX(z)
	for i := range x {
		x[i] = p.round(i, x[i])
	}
	ll, _ := p.score(x)
	start := make([]float64, dim)
	for i := range start {
		start[i] = p.round(i, x0[i])
	}
	return Search{Start: start, Value: x, LogLik: ll, Evaluations: evals, Status: status}, nil
}
