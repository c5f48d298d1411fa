package sim

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Duration
	}{
		{"36h", 1.5},
		{"2d", 2},
		{"90m", 1.5 * Hour},
		{"1.5", 1.5},
		{"0", 0},
		{"7", 7},
		{" 3 days ", 3},
		{"1d12h", 1.5},
		{"1 day 6 hours", 1.25},
		{"2w", 14},
		{"30s", 30 * Second},
		{"45min", 45 * Minute},
		{".5d", 0.5},
	} {
		got, err := ParseDuration(c.in)
		require.NoError(t, err, c.in)
		assert.InDelta(t, float64(c.want), float64(got), 1e-12, c.in)
	}
}

func TestParseDurationErrors(t *testing.T) {
	for _, c := range []struct{ in, msg string }{
		{"", `empty duration ""`},
		{"   ", "empty duration"},
		{"-2d", `"-2d": a duration cannot be negative`},
		{"-7d", `a duration cannot be negative`},
		{"2x", `unknown unit "x"`},
		{"2dd", `unknown unit "dd"`},
		{"d", `expected a number at "d"`},
		{"1.2.3d", `bad number "1.2.3"`},
		{"1d2", `number "2" has no unit`},
		{"NaN", `expected a number at "NaN"`},
		{"Inf", `expected a number`},
		{"1e400", `unknown unit "e400"`},
		{"2 hours later", `expected a number at "later"`},
	} {
		_, err := ParseDuration(c.in)
		require.Error(t, err, c.in)
		assert.Contains(t, err.Error(), c.msg, c.in)
		assert.Contains(t, err.Error(), `"`+c.in+`"`, "the error quotes the text")
	}
}

func TestDurationStringRoundTrip(t *testing.T) {
	for _, c := range []struct {
		d    Duration
		want string
	}{
		{2, "2d"}, {1.5, "1.5d"}, {6 * Hour, "6h"}, {90 * Minute, "1.5h"},
		{30 * Minute, "30m"}, {15 * Second, "15s"}, {0, "0d"}, {36 * Hour, "1.5d"},
	} {
		assert.Equal(t, c.want, c.d.String())
		back, err := ParseDuration(c.d.String())
		require.NoError(t, err)
		assert.InDelta(t, float64(c.d), float64(back), 1e-9)
	}
	assert.Equal(t, "NaN", Duration(math.NaN()).String())
	assert.Equal(t, "+Inf", Duration(math.Inf(1)).String())
}

func TestDurationText(t *testing.T) {
	var d Duration
	require.NoError(t, d.UnmarshalText([]byte("36h")))
	assert.Equal(t, Duration(1.5), d)
	require.Error(t, d.UnmarshalText([]byte("soon")))
	assert.Equal(t, Duration(1.5), d, "a failed parse leaves the value alone")
	b, err := Duration(2).MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "2d", string(b))
}

func TestTimeArithmetic(t *testing.T) {
	at := Time(2).Add(6 * Hour)
	assert.Equal(t, Time(2.25), at)
	assert.Equal(t, Duration(0.25), at.Sub(2))
	assert.Equal(t, 2, at.Day())
	assert.Equal(t, -1, Time(-0.5).Day())
	assert.Equal(t, "day 2.250", at.String())
	assert.InDelta(t, 6.0, (6 * Hour).Hours(), 1e-12)
	assert.InDelta(t, 90.0, (90 * Minute).Minutes(), 1e-12)
}

func TestTimeText(t *testing.T) {
	var at Time
	require.NoError(t, at.UnmarshalText([]byte("3d8h")))
	assert.InDelta(t, 3+1.0/3, float64(at), 1e-12)
	b, err := Time(2.5).MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "2.5d", string(b))
	assert.Error(t, at.UnmarshalText([]byte("tomorrow")))
}
