package plan

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// Knob is a field of the scenario that the search may change: a numeric
// range (lo:hi, numbers or durations) cut into levels, or a list of choices.
type Knob struct {
	Path string // the field, as given to --set ("resources.lab.instruments")
	// Values are the candidate values, as written in a file, in increasing
	// order for a range.
	Values []string
	// Range is true for a knob given as lo:hi; Lo and Hi are its ends (in days
	// for a duration), Integer that the field holds whole numbers.
	Range    bool
	Lo, Hi   float64 // the ends of a range (days for a duration)
	Integer  bool    // the field holds whole numbers
	Duration bool    // the range was given as durations
}

// MaxLevels is the most levels of a range and the most choices of a knob.
const MaxLevels = 100

// ParseVary reads a --vary flag: "path=lo:hi" (numbers, or durations such as
// 3d:7d) or "path=a,b,c" (choices, each as written in a file).
func ParseVary(s string) (Knob, error) {
	path, spec, ok := strings.Cut(s, "=")
	path, spec = strings.TrimSpace(path), strings.TrimSpace(spec)
	if !ok || path == "" || spec == "" {
		return Knob{}, fmt.Errorf("--vary %q: want path=lo:hi or path=a,b,c", s)
	}
	if lo, hi, ok := strings.Cut(spec, ":"); ok && !strings.Contains(spec, ",") {
		k := Knob{Path: path, Range: true}
		var err error
		if k.Lo, k.Duration, err = number(lo); err != nil {
			return Knob{}, fmt.Errorf("--vary %s: %w", s, err)
		}
		var dur bool
		if k.Hi, dur, err = number(hi); err != nil {
			return Knob{}, fmt.Errorf("--vary %s: %w", s, err)
		}
		if dur != k.Duration {
			return Knob{}, fmt.Errorf("--vary %s: give both ends as numbers or both as durations", s)
		}
		if !(k.Lo < k.Hi) {
			return Knob{}, fmt.Errorf("--vary %s: want lo < hi", s)
		}
		return k, nil
	}
	k := Knob{Path: path}
	seen := map[string]bool{}
	for _, v := range strings.Split(spec, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			return Knob{}, fmt.Errorf("--vary %s: an empty choice", s)
		}
		if seen[v] {
			return Knob{}, fmt.Errorf("--vary %s: %s is given twice", s, v)
		}
		seen[v] = true
		k.Values = append(k.Values, v)
	}
	if len(k.Values) > MaxLevels {
		return Knob{}, fmt.Errorf("--vary %s: at most %d choices", s, MaxLevels)
	}
	return k, nil
}

// number reads a finite number or a duration (in days).
func number(s string) (float64, bool, error) {
	s = strings.TrimSpace(s)
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, false, fmt.Errorf("%q is not a finite number", s)
		}
		return x, false, nil
	}
	d, err := sim.ParseDuration(s)
	if err != nil {
		return 0, false, fmt.Errorf("%q is neither a number nor a duration (36h, 2d)", s)
	}
	return float64(d), true, nil
}

// resolve checks the knob against the scenario and makes the levels of a
// range: levels values from Lo to Hi (whole numbers for an integer field,
// without repeats).
func (k *Knob) resolve(sc *scenarios.Scenario, levels int) error {
	if !k.Range {
		for _, v := range k.Values {
			c := sc.Clone()
			if err := c.Set(k.Path, v); err != nil {
				return fmt.Errorf("--vary %s: %w", k.Path, err)
			}
		}
		return nil
	}
	_, integer, err := sc.Number(k.Path)
	if err != nil {
		return fmt.Errorf("--vary %s: %w", k.Path, err)
	}
	k.Integer = integer
	if integer && k.Duration {
		return fmt.Errorf("--vary %s: the field holds whole numbers, not durations", k.Path)
	}
	k.Values = nil
	seen := map[string]bool{}
	for i := 0; i < levels; i++ {
		x := k.Lo + (k.Hi-k.Lo)*float64(i)/float64(max(1, levels-1))
		v := k.format(x)
		if !seen[v] {
			seen[v] = true
			k.Values = append(k.Values, v)
		}
	}
	for _, v := range []string{k.Values[0], k.Values[len(k.Values)-1]} {
		c := sc.Clone()
		if err := c.Set(k.Path, v); err != nil {
			return fmt.Errorf("--vary %s: %w", k.Path, err)
		}
	}
	return nil
}

// format writes a value of the knob as in a file.
func (k *Knob) format(x float64) string {
	switch {
	case k.Integer:
		return strconv.FormatInt(int64(math.Round(x)), 10)
	case k.Duration:
		return strconv.FormatFloat(x, 'g', 6, 64) + "d"
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// SizeKnob is a capacity to size: an integer field searched over the whole
// numbers from Lo to Hi, or a number field (a share, a rate) searched from
// Lo to Hi in Steps equal steps.
type SizeKnob struct {
	Path   string  // the field ("resources.lab.instruments")
	Lo, Hi float64 // the range searched; by default, for a count, 0 (or 1 if 0 is not allowed) to 8 times the scenario's value
	// Integer is true for a field of whole numbers; otherwise the range is
	// cut into Steps steps (100 unless given as path=lo:hi/steps).
	Integer bool
	Steps   int // steps of a number field's range
	given   bool
}

// ParseSize reads a --size flag: "path", "path=lo:hi" or, for a field that
// is not a count, "path=lo:hi/steps".
func ParseSize(s string) (SizeKnob, error) {
	path, spec, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if path == "" {
		return SizeKnob{}, fmt.Errorf("--size %q: want path, path=lo:hi or path=lo:hi/steps", s)
	}
	k := SizeKnob{Path: path}
	if !ok {
		return k, nil
	}
	spec, steps, hasSteps := strings.Cut(spec, "/")
	lo, hi, ok := strings.Cut(spec, ":")
	a, _, err1 := number(lo)
	b, _, err2 := number(hi)
	if !ok || err1 != nil || err2 != nil || !(a < b) {
		return SizeKnob{}, fmt.Errorf("--size %s: want path=lo:hi with numbers lo < hi", s)
	}
	if hasSteps {
		n, err := strconv.Atoi(strings.TrimSpace(steps))
		if err != nil || n < 1 || n > 1_000_000 {
			return SizeKnob{}, fmt.Errorf("--size %s: the steps must be a whole number from 1 to 1,000,000", s)
		}
		k.Steps = n
	}
	k.Lo, k.Hi, k.given = a, b, true
	return k, nil
}

// resolve checks the field and sets the default range.
func (k *SizeKnob) resolve(sc *scenarios.Scenario) error {
	x, integer, err := sc.Number(k.Path)
	if err != nil {
		return fmt.Errorf("--size %s: %w", k.Path, err)
	}
	k.Integer = integer
	switch {
	case integer && k.Steps > 0:
		return fmt.Errorf("--size %s: a count is searched over every whole number; give no steps", k.Path)
	case integer && k.given && (k.Lo != math.Trunc(k.Lo) || k.Hi != math.Trunc(k.Hi) || k.Lo < 0):
		return fmt.Errorf("--size %s: a count's range is of whole numbers ≥ 0", k.Path)
	case integer && !k.given:
		k.Lo, k.Hi = 0, math.Max(8, 8*x)
		if c := sc.Clone(); c.Set(k.Path, "0") != nil {
			k.Lo = 1
		}
	case !integer && !k.given:
		return fmt.Errorf("--size %s: the field is not a count: give its range, path=lo:hi", k.Path)
	case !integer && k.Steps == 0:
		k.Steps = 100
	}
	if integer && k.Hi-k.Lo > 1e9 {
		return fmt.Errorf("--size %s: a range of more than 10^9", k.Path)
	}
	for _, i := range []int{0, k.positions() - 1} {
		if err := sc.Clone().Set(k.Path, k.value(i)); err != nil {
			return fmt.Errorf("--size %s: %w", k.Path, err)
		}
	}
	return nil
}

// positions returns the number of values searched.
func (k *SizeKnob) positions() int {
	if k.Integer {
		return int(k.Hi-k.Lo) + 1
	}
	return k.Steps + 1
}

// value returns the i-th value searched, as written in a file.
func (k *SizeKnob) value(i int) string {
	if k.Integer {
		return strconv.FormatInt(int64(k.Lo)+int64(i), 10)
	}
	return strconv.FormatFloat(k.Lo+(k.Hi-k.Lo)*float64(i)/float64(k.Steps), 'g', 8, 64)
}
