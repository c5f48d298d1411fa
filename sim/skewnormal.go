package sim

import (
	"math"
	"math/rand/v2"
)

// skewNormal is a [Sampler] of a skew-normal [Dist].
type skewNormal struct {
	d   Dist
	src rand.Source
}

// Rand returns a draw.
func (s skewNormal) Rand() float64 {
	return skewNormalRand(rand.New(s.src), s.d.P1, s.d.P2, s.d.P3)
}

// skewDelta returns δ = α/√(1+α²).
func skewDelta(alpha float64) float64 { return alpha / math.Sqrt(1+alpha*alpha) }

// skewNormalRand draws from the skew-normal distribution by Azzalini's
// representation: with u0, v independent standard normals and
// u1 = δ u0 + √(1−δ²) v, the value ξ + ω·(u1 if u0 ≥ 0, else −u1).
func skewNormalRand(r *rand.Rand, xi, omega, alpha float64) float64 {
	delta := skewDelta(alpha)
	u0 := r.NormFloat64()
	v := r.NormFloat64()
	u1 := delta*u0 + math.Sqrt(1-delta*delta)*v
	if u0 < 0 {
		u1 = -u1
	}
	return xi + omega*u1
}

// skewNormalCDF returns P(X ≤ x) = Φ(z) − 2 T(z, α), z = (x − ξ)/ω, with Owen's
// T function by Simpson's rule (the integrand is smooth and bounded).
func skewNormalCDF(xi, omega, alpha, x float64) float64 {
	z := (x - xi) / omega
	phi := 0.5 * math.Erfc(-z/math.Sqrt2)
	return min(1, max(0, phi-2*owenT(z, alpha)))
}

// owenT returns Owen's T(h, a) = (1/2π) ∫_0^a exp(−h²(1+x²)/2)/(1+x²) dx.
func owenT(h, a float64) float64 {
	if a == 0 {
		return 0
	}
	const n = 2000 // even
	f := func(x float64) float64 { return math.Exp(-h*h*(1+x*x)/2) / (1 + x*x) }
	step := a / n
	sum := f(0) + f(a)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		sum += w * f(float64(i)*step)
	}
	return sum * step / 3 / (2 * math.Pi)
}

// skewNormalQuantile returns the p-quantile by bisection on the distribution
// function.
func skewNormalQuantile(xi, omega, alpha, p float64) float64 {
	lo, hi := xi-40*omega, xi+40*omega
	for i := 0; i < 100 && hi-lo > 1e-12*max(1, math.Abs(hi)); i++ {
		mid := (lo + hi) / 2
		if skewNormalCDF(xi, omega, alpha, mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}
