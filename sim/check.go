package sim

import (
	"errors"
	"fmt"
	"math"
)

// Checker collects the problems of a configuration, each with the path of its
// field ("testing.lab.wells: must be at least 1, got 0"), so that every
// problem is reported at once: check each field, then return [Checker.Err].
// The zero value is ready to use.
type Checker struct {
	errs []error
}

// Bad records a problem at path.
func (c *Checker) Bad(path, format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

// Add records the problems of err, one for each error joined in it (see
// errors.Join); nil adds none.
func (c *Checker) Add(err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		c.errs = append(c.errs, j.Unwrap()...)
		return
	}
	c.errs = append(c.errs, err)
}

// Len returns the number of problems recorded so far.
func (c *Checker) Len() int { return len(c.errs) }

// Err returns the problems recorded, joined, or nil.
func (c *Checker) Err() error { return errors.Join(c.errs...) }

// Prob checks a probability, in [0, 1].
func (c *Checker) Prob(path string, v float64) {
	if !(v >= 0 && v <= 1) {
		c.Bad(path, "must be a probability in [0, 1], got %v", v)
	}
}

// NonNeg checks a finite number ≥ 0.
func (c *Checker) NonNeg(path string, v float64) {
	if !(v >= 0) || math.IsInf(v, 1) {
		c.Bad(path, "must be a finite number ≥ 0, got %v", v)
	}
}

// Duration checks a finite duration ≥ 0, or > 0 if positive.
func (c *Checker) Duration(path string, d Duration, positive bool) {
	if math.IsNaN(float64(d)) || math.IsInf(float64(d), 0) || d < 0 || positive && d == 0 {
		want := "≥ 0"
		if positive {
			want = "> 0"
		}
		c.Bad(path, "must be a finite duration %s, got %v", want, d)
	}
}

// Dist checks a distribution ([Dist.Validate]), and that it takes no
// negative value unless allowNegative.
func (c *Checker) Dist(path string, d Dist, allowNegative bool) {
	if err := d.Validate(); err != nil {
		c.Bad(path, "%v", err)
	} else if !allowNegative && d.Min() < 0 {
		c.Bad(path, "must not take negative values, got %v", d)
	}
}

// Unique checks that name is not empty and not in seen, and adds it to seen.
func (c *Checker) Unique(path, name string, seen map[string]bool) {
	if name == "" || seen[name] {
		c.Bad(path, "must be a unique, non-empty name, got %q", name)
	}
	seen[name] = true
}
