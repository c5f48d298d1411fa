package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Time is a point on the simulation clock, in days since the start of a run.
//
// A run starts at time 0. Time is a float64 so that events can fall anywhere within
// a day; use [Time.Add] and [Time.Sub] to move between times and durations.
type Time float64

// Duration is a length of simulated time, in days. Construct one from the unit
// constants (3*Hour, 2*Day) or parse one with [ParseDuration].
type Duration float64

// Units of simulated time.
const (
	Second Duration = 1.0 / 86400
	Minute Duration = 1.0 / 1440
	Hour   Duration = 1.0 / 24
	Day    Duration = 1
	Week   Duration = 7
)

// Add returns the time d after t.
func (t Time) Add(d Duration) Time { return t + Time(d) }

// Sub returns the duration from u to t (t - u).
func (t Time) Sub(u Time) Duration { return Duration(t - u) }

// Days returns t as a number of days since the start of the run.
func (t Time) Days() float64 { return float64(t) }

// Day returns the whole day that t falls in: day 0 is [0, 1), day 1 is [1, 2), ...
func (t Time) Day() int { return int(math.Floor(float64(t))) }

// String formats t as the day number with three decimals, for example "day 2.375".
func (t Time) String() string {
	return "day " + strconv.FormatFloat(float64(t), 'f', 3, 64)
}

// Days returns d as a number of days.
func (d Duration) Days() float64 { return float64(d) }

// Hours returns d as a number of hours.
func (d Duration) Hours() float64 { return float64(d / Hour) }

// Minutes returns d as a number of minutes.
func (d Duration) Minutes() float64 { return float64(d / Minute) }

// String formats d in the largest unit that shows it exactly enough: whole or
// fractional days ("2d", "1.5d") from one day up, hours below a day ("36h" is shown
// as "1.5d", "6h"), minutes below an hour ("90m" is shown as "1.5h"), seconds below
// a minute. The text parses back with [ParseDuration].
func (d Duration) String() string {
	switch {
	case math.IsNaN(float64(d)):
		return "NaN"
	case math.IsInf(float64(d), 0):
		if d > 0 {
			return "+Inf"
		}
		return "-Inf"
	case d == 0:
		return "0d"
	}
	a := math.Abs(float64(d))
	switch {
	case a >= 1:
		return formatUnit(float64(d), "d")
	case a >= float64(Hour)-1e-12:
		return formatUnit(d.Hours(), "h")
	case a >= float64(Minute)-1e-12:
		return formatUnit(d.Minutes(), "m")
	default:
		return formatUnit(float64(d/Second), "s")
	}
}

// formatUnit prints v with at most six significant decimals and no trailing zeros.
func formatUnit(v float64, unit string) string {
	s := strconv.FormatFloat(v, 'f', 6, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	return s + unit
}

// units maps a duration suffix to its length.
var units = []struct {
	suffix string
	d      Duration
}{
	{"days", Day}, {"day", Day}, {"d", Day},
	{"hours", Hour}, {"hour", Hour}, {"h", Hour},
	{"minutes", Minute}, {"min", Minute}, {"m", Minute},
	{"seconds", Second}, {"s", Second},
	{"weeks", Week}, {"week", Week}, {"w", Week},
}

// ParseDuration parses a duration such as "36h", "2d", "90m", "1.5w" or "1.5" (a bare
// number is in days). Several parts add up: "1d12h" is 1.5 days. White space between
// a number and its unit and between parts is allowed. Negative, NaN and infinite
// durations are errors, as is any text that is not a duration; the error quotes the
// text.
func ParseDuration(s string) (Duration, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("sim: empty duration %q", orig)
	}
	if s[0] == '-' || s[0] == '+' {
		if _, err := ParseDuration(s[1:]); err == nil {
			if s[0] == '+' {
				return 0, fmt.Errorf("sim: invalid duration %q: write it without the sign", orig)
			}
			return 0, fmt.Errorf("sim: invalid duration %q: a duration cannot be negative", orig)
		}
	}
	var total Duration
	parts := 0
	for s != "" {
		// A number: digits and at most one dot.
		i := 0
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			i++
		}
		if strings.Trim(s[:i], ".") == "" {
			return 0, fmt.Errorf("sim: invalid duration %q: expected a number at %q", orig, s)
		}
		v, err := strconv.ParseFloat(s[:i], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("sim: invalid duration %q: bad number %q", orig, s[:i])
		}
		s = strings.TrimLeftFunc(s[i:], unicode.IsSpace)
		unit := Day
		if s == "" && parts == 0 {
			// A bare number is in days.
		} else {
			found := false
			for _, u := range units {
				if strings.HasPrefix(s, u.suffix) {
					rest := s[len(u.suffix):]
					// The unit must end here or be followed by space or another number.
					r, _ := utf8.DecodeRuneInString(rest)
					if rest == "" || unicode.IsSpace(r) || r >= '0' && r <= '9' || r == '.' {
						unit, s, found = u.d, strings.TrimLeftFunc(rest, unicode.IsSpace), true
						break
					}
				}
			}
			if !found {
				if s == "" {
					return 0, fmt.Errorf("sim: invalid duration %q: number %q has no unit (d, h, m or s)", orig, strconv.FormatFloat(v, 'g', -1, 64))
				}
				return 0, fmt.Errorf("sim: invalid duration %q: unknown unit %q (use d, h, m, s or w)", orig, s)
			}
		}
		total += Duration(v) * unit
		parts++
	}
	if math.IsInf(float64(total), 0) {
		return 0, fmt.Errorf("sim: invalid duration %q: too large", orig)
	}
	return total, nil
}

// MustParseDuration is like [ParseDuration] but panics on error. It is meant for
// constants in code and tests, never for user input.
func MustParseDuration(s string) Duration {
	d, err := ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

// UnmarshalText implements [encoding.TextUnmarshaler] for a time as the duration
// since the start of the run ("3d", "3d8h", "3.5"), as configuration files write
// it.
func (t *Time) UnmarshalText(b []byte) error {
	d, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*t = Time(d)
	return nil
}

// MarshalText implements [encoding.TextMarshaler]: the time as a duration since
// the start.
func (t Time) MarshalText() ([]byte, error) { return Duration(t).MarshalText() }

// UnmarshalText implements [encoding.TextUnmarshaler], so that configuration files can
// write durations as text ("36h", "2d", "1.5").
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText implements [encoding.TextMarshaler] with [Duration.String].
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
