package model

import (
	"errors"
	"fmt"
	"math"

	"github.com/epiplan/epiplan/sim"
)

// checker collects the problems of a configuration, each with the path of its
// field, so that every problem is reported at once.
type checker struct {
	errs []error
}

// bad records a problem at path.
func (c *checker) bad(path, format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...)))
}

// err returns the problems found, joined, or nil.
func (c *checker) err() error { return errors.Join(c.errs...) }

// prob checks a probability.
func (c *checker) prob(path string, v float64) {
	if !(v >= 0 && v <= 1) {
		c.bad(path, "must be a probability in [0, 1], got %v", v)
	}
}

// nonneg checks a finite number ≥ 0.
func (c *checker) nonneg(path string, v float64) {
	if !(v >= 0) || math.IsInf(v, 1) {
		c.bad(path, "must be a finite number ≥ 0, got %v", v)
	}
}

// duration checks a finite duration ≥ 0, or > 0 if positive.
func (c *checker) duration(path string, d sim.Duration, positive bool) {
	if math.IsNaN(float64(d)) || math.IsInf(float64(d), 0) || d < 0 || positive && d == 0 {
		want := "≥ 0"
		if positive {
			want = "> 0"
		}
		c.bad(path, "must be a finite duration %s, got %v", want, d)
	}
}

// dist checks a distribution, and that it takes no negative value unless
// negative values are allowed.
func (c *checker) dist(path string, d sim.Dist, allowNegative bool) {
	if err := d.Validate(); err != nil {
		c.bad(path, "%v", err)
	} else if !allowNegative && d.Min() < 0 {
		c.bad(path, "must not take negative values, got %v", d)
	}
}

// unique checks that name is not empty and not in seen, and adds it.
func (c *checker) unique(path, name string, seen map[string]bool) {
	if name == "" || seen[name] {
		c.bad(path, "must be a unique, non-empty name, got %q", name)
	}
	seen[name] = true
}
