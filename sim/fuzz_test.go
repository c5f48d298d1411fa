package sim

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The fuzz targets of the text parsers: any text gives a value or an error
// that quotes it, never a panic, and every value has the properties the format
// promises. Their seed corpora are in testdata/fuzz; `go test` replays them.

// unitOf returns the unit Duration.String writes d in.
func unitOf(d Duration) Duration {
	a := math.Abs(float64(d))
	switch {
	case a >= 1:
		return Day
	case a >= float64(Hour)-1e-12:
		return Hour
	case a >= float64(Minute)-1e-12:
		return Minute
	}
	return Second
}

// roundTripError is how far ParseDuration(d.String()) may be from d: String
// keeps six decimals of its unit, and the parse of a long decimal may round
// once in the last place of d.
func roundTripError(d Duration) float64 {
	return 0.5e-6*float64(unitOf(d)) + 4e-16*float64(d)
}

func FuzzParseDuration(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		var dt Duration
		errText := dt.UnmarshalText([]byte(s))
		var tt Time
		errTime := tt.UnmarshalText([]byte(s))
		if err != nil {
			if !strings.Contains(err.Error(), strconv.Quote(s)) {
				t.Fatalf("ParseDuration(%q): the error does not quote the text: %v", s, err)
			}
			if errText == nil || errTime == nil {
				t.Fatalf("ParseDuration(%q) fails (%v) but UnmarshalText does not", s, err)
			}
			return
		}
		if errText != nil || errTime != nil || dt != d || tt != Time(d) {
			t.Fatalf("%q: ParseDuration gives %v, Duration.UnmarshalText %v (%v), Time.UnmarshalText %v (%v)", s, d, dt, errText, tt, errTime)
		}
		if !(d >= 0) || math.IsInf(float64(d), 0) {
			t.Fatalf("ParseDuration(%q) = %v: want a finite duration ≥ 0", s, d)
		}
		// String writes what ParseDuration reads, to six decimals of its unit;
		// MarshalText is String.
		text := d.String()
		back, err := ParseDuration(text)
		if err != nil {
			t.Fatalf("ParseDuration(%q) = %v, whose String %q does not parse: %v", s, d, text, err)
		}
		if diff := math.Abs(float64(back - d)); diff > roundTripError(d) {
			t.Fatalf("ParseDuration(%q) = %v, String %q, parsed back %v: off by %g", s, float64(d), text, float64(back), diff)
		}
		if m, _ := d.MarshalText(); string(m) != text {
			t.Fatalf("MarshalText %q, String %q", m, text)
		}
		// Parts add up: a text that ends in a unit, written twice, is twice as
		// long (within rounding), unless the sum overflows.
		if last := strings.TrimSpace(s); last != "" && (last[len(last)-1] < '0' || last[len(last)-1] > '9') && last[len(last)-1] != '.' {
			twice, err := ParseDuration(s + " " + s)
			switch {
			case math.IsInf(float64(2*d), 0):
				if err == nil {
					t.Fatalf("%q twice overflows but parses: %v", s, twice)
				}
			case err != nil:
				t.Fatalf("%q parses but %q does not: %v", s, s+" "+s, err)
			case math.Abs(float64(twice-2*d)) > 1e-12*float64(d):
				t.Fatalf("%q is %v, twice is %v", s, d, twice)
			}
		}
	})
}

func FuzzParseDist(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDist(s)
		if err != nil {
			if !strings.Contains(err.Error(), strconv.Quote(s)) {
				t.Fatalf("ParseDist(%q): the error does not quote the text: %v", s, err)
			}
			var u Dist
			if u.UnmarshalText([]byte(s)) == nil {
				t.Fatalf("ParseDist(%q) fails (%v) but UnmarshalText does not", s, err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("ParseDist(%q) = %v, which is invalid: %v", s, d, err)
		}
		// String writes what ParseDist reads back exactly ('g' with the
		// shortest exact representation).
		text := d.String()
		back, err := ParseDist(text)
		if err != nil {
			t.Fatalf("ParseDist(%q) = %v, whose String does not parse: %v", s, text, err)
		}
		if back.Family != d.Family || back.P1 != d.P1 || back.P2 != d.P2 ||
			!slices.Equal(back.Values, d.Values) || !slices.Equal(back.Weights, d.Weights) {
			t.Fatalf("ParseDist(%q) = %#v, String %q, parsed back %#v", s, d, text, back)
		}
		if m := d.Mean(); math.IsNaN(m) || math.IsInf(m, 0) {
			t.Fatalf("ParseDist(%q) = %v has mean %v", s, text, m)
		}
		// Draws lie in the support, and are never NaN.
		src := NewStream(7).Named(text).Source()
		lo, hi := math.Inf(-1), math.Inf(1)
		switch d.Family {
		case FamilyFixed:
			lo, hi = d.P1, d.P1
		case FamilyExponential, FamilyGamma, FamilyLogNormal, FamilyWeibull:
			lo = 0
		case FamilyUniform:
			lo, hi = d.P1, d.P2
		}
		for range 16 {
			x := d.Sample(src)
			if math.IsNaN(x) || x < lo || x > hi {
				t.Fatalf("%v: draw %v outside [%v, %v]", text, x, lo, hi)
			}
			if d.Family == FamilyEmpirical && !slices.Contains(d.Values, x) {
				t.Fatalf("%v: draw %v is not one of the values", text, x)
			}
		}
	})
}
