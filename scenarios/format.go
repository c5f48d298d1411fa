package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// countUnits are the units whose figures count whole things (people, swabs,
// person-days…): they are shown as integers with thousands separators.
var countUnits = map[string]bool{"people": true, "swabs": true, "tubes": true, "person-days": true, "beds": true, "rooms": true, "cases": true}

// Count writes a count of things as an integer with thousands separators
// ("100,000"), "—" for none.
func Count(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Abs(math.Round(x)), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if math.Round(x) < 0 {
		s = "−" + s
	}
	return s
}

// shortCount writes a count for a label beside a bar: as Count below a
// million, in millions with three significant digits above ("949 M", "36.9 M"),
// so that labels of neighbouring bars do not run into each other.
func shortCount(x float64) string {
	if math.Abs(math.Round(x)) < 1e6 || math.IsNaN(x) || math.IsInf(x, 0) {
		return Count(x)
	}
	s := strconv.FormatFloat(math.Abs(x)/1e6, 'g', 3, 64)
	if strings.ContainsAny(s, "e") {
		s = Count(math.Abs(x) / 1e6)
	}
	if x < 0 {
		s = "−" + s
	}
	return s + " M"
}

// figUnit writes a figure in its unit: counts as counts, other figures with a
// few significant digits.
func figUnit(x Num, unit string) string {
	if countUnits[unit] {
		return Count(float64(x))
	}
	return fig(x)
}

// StatText writes a statistic over the replications for a reader: the median
// and the 5% and 95% quantiles ("94 [35, 245]"), each preceded by "≥" when
// capped replications make it a lower bound, followed by the number of
// replications it rests on when that is fewer than total ("(4 of 20 runs)").
// A 0/1 metric is written as the number of replications where it is 1.
func StatText(s Stats, unit string, total int) string {
	if s.N == 0 {
		return fmt.Sprintf("— (0 of %d runs)", total)
	}
	if unit == "0/1" {
		return fmt.Sprintf("%d of %d runs", int(math.Round(float64(s.Mean)*float64(s.N))), s.N)
	}
	return statCore(s, unit) + nOf(s.N, total)
}

// statCore writes median [5%, 95%], with ≥ for lower bounds.
func statCore(s Stats, unit string) string {
	ge := ""
	if s.Capped > 0 {
		ge = "≥ "
	}
	return fmt.Sprintf("%s%s [%s%s, %s%s]", ge, figUnit(s.Median, unit), ge, figUnit(s.P05, unit), ge, figUnit(s.P95, unit))
}

// nOf writes " (4 of 20 runs)" when n is fewer than total, else nothing.
func nOf(n, total int) string {
	if n < total {
		return fmt.Sprintf(" (%d of %d runs)", n, total)
	}
	return ""
}

// statWords writes a statistic followed by its unit in words, then its n
// ("15 [2, 17] days (4 of 20 runs)").
func statWords(s Stats, unit, words string, total int) string {
	if s.N == 0 {
		return fmt.Sprintf("— (0 of %d runs)", total)
	}
	return statCore(s, unit) + " " + words + nOf(s.N, total)
}

// DiffText writes a paired difference for a reader: its mean and 95%
// interval, its n when fewer than total, or why it is not comparable.
func DiffText(d Difference, unit string, total int) string {
	if d.NotComparable != "" {
		return d.NotComparable
	}
	if d.N == 0 {
		return fmt.Sprintf("— (0 of %d runs)", total)
	}
	f := func(x Num) string {
		s := figUnit(x, unit)
		if float64(x) > 0 && s != "0" {
			s = "+" + s
		}
		return s
	}
	out := fmt.Sprintf("%s [%s, %s]", f(d.Mean), f(d.Lo), f(d.Hi))
	if d.N < total {
		out += fmt.Sprintf(" (%d of %d runs)", d.N, total)
	}
	return out
}

// plural writes n and a noun, with an s unless n is 1 ("1 replication").
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") && !strings.HasSuffix(noun, "ay") {
		return Count(float64(n)) + " " + noun[:len(noun)-1] + "ies"
	}
	return Count(float64(n)) + " " + noun + "s"
}

// Plural writes n and a noun, in the plural unless n is 1 ("1 replication",
// "20 replications", "2 strategies"), n with thousands separators.
func Plural(n int, noun string) string { return plural(n, noun) }

// csvNum writes a number for CSV: at most 12 significant digits, in fixed
// notation, without trailing zeros (5551813.6, not 5.551813599999986e+06);
// empty for NaN.
func csvNum(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 12, 64), 64)
	if r != 0 && (math.Abs(r) >= 1e15 || math.Abs(r) < 1e-6) {
		return strconv.FormatFloat(r, 'g', -1, 64)
	}
	s := strconv.FormatFloat(r, 'f', -1, 64)
	if s == "-0" {
		s = "0"
	}
	return s
}

// joinAnd joins words as a list in prose: "a", "a and b", "a, b and c".
func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
