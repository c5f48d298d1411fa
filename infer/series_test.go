package infer

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadCSVFujian(t *testing.T) {
	d, err := ReadCSVFile("../scenarios/data/fujian_2022-09-01_2022-12-07.csv", "local_total_new")
	require.NoError(t, err)
	assert.Equal(t, 98, d.Len())
	assert.Equal(t, time.Date(2022, 9, 1, 0, 0, 0, 0, time.UTC), d.Start)
	assert.Equal(t, 209.0, d.Values[d.Index(time.Date(2022, 10, 29, 0, 0, 0, 0, time.UTC))])
	oct := d.Slice(time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 10, 31, 0, 0, 0, 0, time.UTC))
	assert.Equal(t, 31, oct.Len())
	assert.Equal(t, 205.0, oct.Values[30])
}

func TestReadCSVMissingDays(t *testing.T) {
	d, err := ReadCSV(strings.NewReader("date,n\n2022-01-01,3\n2022-01-02,\n2022-01-04,NA\n2022-01-05,7\n"), "n")
	require.NoError(t, err)
	require.Equal(t, 5, d.Len())
	assert.Equal(t, 3.0, d.Values[0])
	for _, i := range []int{1, 2, 3} {
		assert.True(t, math.IsNaN(d.Values[i]), "day %d", i)
	}
	assert.Equal(t, 7.0, d.Values[4])
}

func TestReadCSVErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "empty file"},
		{"day,n\n", `no column named "date"`},
		{"date,m\n", `no column named "n"`},
		{"date,n\n", "no rows"},
		{"date,n\n2022-13-01,1\n", "line 2: date"},
		{"date,n\n2022-01-01,-1\n", "line 2, column 2: n \"-1\""},
		{"date,n\n2022-01-01,x\n", "line 2, column 2: n \"x\""},
		{"date,n\n2022-01-02,1\n2022-01-01,1\n", "line 3: date 2022-01-01 does not follow"},
		{"date,n\n2022-01-01,1\n9999-01-01,1\n", "longer than"},
	} {
		_, err := ReadCSV(strings.NewReader(c.in), "n")
		if assert.Error(t, err, c.in) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
}
