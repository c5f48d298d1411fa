package infer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/epiplan/epiplan/scenarios"
)

// Daily is a series of daily counts: Values[i] is the count of day Start+i.
// A missing day is NaN.
type Daily struct {
	Start  time.Time // the first day, at midnight UTC
	Values []float64 // the count of each day from Start on; NaN for a missing day
}

// Len is the number of days in the series.
func (d Daily) Len() int { return len(d.Values) }

// Date is the date of day i.
func (d Daily) Date(i int) time.Time { return d.Start.AddDate(0, 0, i) }

// Index is the day of the series on date t (which may fall outside it).
func (d Daily) Index(t time.Time) int {
	return int(math.Round(t.Sub(d.Start).Hours() / 24))
}

// Slice is the part of the series from date from to date to, both included,
// clipped to the series.
func (d Daily) Slice(from, to time.Time) Daily {
	i, j := max(d.Index(from), 0), min(d.Index(to)+1, d.Len())
	if i >= j {
		return Daily{Start: d.Date(max(i, 0))}
	}
	return Daily{Start: d.Date(i), Values: d.Values[i:j]}
}

// MaxDays bounds the length of a series read from a file (about 270 years).
const MaxDays = 100_000

// MaxDailyCount is the largest count of a day in a data file: more people
// than live on Earth is a mistake, and such numbers (1e306) break the
// estimates' arithmetic.
const MaxDailyCount = 1e10

// MaxDataFile is the largest data file read, in bytes.
const MaxDataFile = 64 << 20

// ReadCSV reads a daily series from CSV with a header row: the column named
// "date" (YYYY-MM-DD) and the column named column, whose values are
// non-negative numbers; an empty value or "NA" is a missing day, and so is a
// date absent from the file between the first and the last. Dates must
// increase. Errors name the line and the column.
func ReadCSV(r io.Reader, column string) (Daily, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Daily{}, errors.New("empty file: want a header row with a date column")
		}
		return Daily{}, err
	}
	di, vi := -1, -1
	seen := map[string]int{}
	for i, h := range head {
		name := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if j, ok := seen[name]; ok {
			return Daily{}, fmt.Errorf("line 1: the column %q appears twice (columns %d and %d); which one is meant?", name, j+1, i+1)
		}
		seen[name] = i
		switch name {
		case "date":
			di = i
		case column:
			vi = i
		}
	}
	if di < 0 {
		return Daily{}, errors.New("line 1: no column named \"date\"")
	}
	if vi < 0 {
		return Daily{}, fmt.Errorf("line 1: no column named %q (columns: %s)", column, strings.Join(head, ", "))
	}
	var d Daily
	last := time.Time{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Daily{}, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) <= max(di, vi) {
			return Daily{}, fmt.Errorf("line %d: %d fields, want at least %d", line, len(rec), max(di, vi)+1)
		}
		t, err := time.Parse("2006-01-02", strings.TrimSpace(rec[di]))
		if err != nil {
			return Daily{}, fmt.Errorf("line %d: date %q: want YYYY-MM-DD", line, rec[di])
		}
		v := math.NaN()
		if s := strings.TrimSpace(rec[vi]); s != "" && s != "NA" {
			v, err = strconv.ParseFloat(s, 64)
			switch {
			case err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v):
				return Daily{}, fmt.Errorf("line %d, column %d: %s %q: want a non-negative whole number of cases", line, vi+1, column, s)
			case v != math.Trunc(v):
				return Daily{}, fmt.Errorf("line %d, column %d: %s %q: a count of cases is a whole number", line, vi+1, column, s)
			case v > MaxDailyCount:
				return Daily{}, fmt.Errorf("line %d, column %d: %s %q: more than %g cases in a day", line, vi+1, column, s, float64(MaxDailyCount))
			}
		}
		if d.Values == nil {
			d.Start = t
		} else {
			gap := int(t.Sub(last).Hours() / 24)
			if gap <= 0 {
				return Daily{}, fmt.Errorf("line %d: date %s does not follow %s", line, t.Format("2006-01-02"), last.Format("2006-01-02"))
			}
			if len(d.Values)+gap > MaxDays {
				return Daily{}, fmt.Errorf("line %d: the series is longer than %d days", line, MaxDays)
			}
			for k := 1; k < gap; k++ {
				d.Values = append(d.Values, math.NaN())
			}
		}
		d.Values = append(d.Values, v)
		last = t
	}
	if d.Values == nil {
		return Daily{}, errors.New("no rows after the header")
	}
	return d, nil
}

// ReadCSVFile reads a daily series from the CSV file at path (see [ReadCSV]);
// errors start with the path.
func ReadCSVFile(path, column string) (Daily, error) {
	// A regular file of at most MaxDataFile bytes: a FIFO would block.
	data, err := scenarios.ReadRegular(path, MaxDataFile)
	if err != nil {
		return Daily{}, err
	}
	d, err := ReadCSV(bytes.NewReader(data), column)
	if err != nil {
		return Daily{}, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}
