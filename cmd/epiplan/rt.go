package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/epiplan/epiplan/infer"
	"github.com/epiplan/epiplan/scenarios"
)

// rtUsage describes the rt command.
const rtUsage = `epiplan rt COUNTS.csv --si FAMILY:MEAN,SD [--column NAME] [--imported NAME] [--window DAYS]
           [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--every DAYS] [--out DIR] [--force]

Estimates the time-varying reproduction number from daily counts (Cori et al. 2013,
Am J Epidemiol 178:1505) and writes rt.csv, rt.svg and rt.png into DIR (default "rt").
--si is required: the serial interval, in days, as gamma:MEAN,SD, lognormal:MEAN,SD,
weibull:MEAN,SD, discrete:W1,W2,… or gamma(mean=…, sd=…). Published Omicron means are
near 3 days: 3.5 d for BA.1 in the Netherlands (Backer et al. 2022, Euro Surveill
27(6):2200042), 2.7 d for BA.5 in Hong Kong (Guo et al. 2023, Influenza Other Respir
Viruses 17:e13105). --from and --to choose the days shown; earlier cases still count
as infectors.`

// rtCmd runs "epiplan rt".
func rtCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "usage:\n  "+rtUsage) }
	siText := fs.String("si", "", "serial interval in days, e.g. gamma:3.3,2.2 (mean, sd); required")
	column := fs.String("column", "local_total_new", "column of the local cases")
	importedCol := fs.String("imported", "", "column of imported cases (they infect but are not counted as infected)")
	window := fs.Int("window", infer.DefaultRtWindow, "days in each sliding window")
	fromText := fs.String("from", "", "first day shown (YYYY-MM-DD)")
	toText := fs.String("to", "", "last day shown (YYYY-MM-DD)")
	every := fs.Int("every", 7, "print every N-th day, ending on the last (rt.csv has every day)")
	out := fs.String("out", "rt", "folder for rt.csv, rt.svg and rt.png")
	force := fs.Bool("force", false, "replace the output folder if it exists")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("rt takes one CSV file, got %d\nusage:\n  %s", len(files), rtUsage)
	}
	if *siText == "" {
		return errors.New("rt needs --si, the serial interval in days (for example --si gamma:3.3,2.2)\nusage:\n  " + rtUsage)
	}
	si, err := infer.ParseSerialInterval(*siText)
	if err != nil {
		return fmt.Errorf("--si: %w", err)
	}
	if *window < 1 {
		return fmt.Errorf("--window %d: want 1 or more days", *window)
	}
	if *every < 1 {
		return fmt.Errorf("--every %d: want 1 or more days", *every)
	}
	date := func(flagName, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("--%s %q: want a date YYYY-MM-DD", flagName, s)
		}
		return t, nil
	}
	from, err := date("from", *fromText)
	if err != nil {
		return err
	}
	to, err := date("to", *toText)
	if err != nil {
		return err
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return fmt.Errorf("--to %s is before --from %s", *toText, *fromText)
	}
	cases, err := infer.ReadCSVFile(files[0], *column)
	if err != nil {
		return err
	}
	opts := &infer.RtOptions{Window: *window}
	if *importedCol != "" {
		imp, err := infer.ReadCSVFile(files[0], *importedCol)
		if err != nil {
			return fmt.Errorf("--imported: %w", err)
		}
		opts.Imported = &imp
	}
	if err := scenarios.CheckOut(*out, *force); err != nil {
		return err
	}
	est, err := infer.EstimateRt(cases, si, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	shown := est.Slice(from, to)
	if len(shown.Days) == 0 {
		last := cases.Date(cases.Len() - 1)
		return fmt.Errorf("%s: no days between --from and --to (the series runs from %s to %s)", files[0], cases.Start.Format(time.DateOnly), last.Format(time.DateOnly))
	}
	lo, hi, err := shown.Interval(0.95)
	if err != nil {
		return err
	}

	// Everything is built before anything is written.
	name := strings.TrimSuffix(filepath.Base(files[0]), filepath.Ext(files[0]))
	title := fmt.Sprintf("%s, %s: reproduction number (window %d d, serial interval %s)", name, *column, *window, *siText)
	csv := rtCSV(shown)
	svg, err := infer.RenderRt(shown, title, "svg")
	if err != nil {
		return err
	}
	png, err := infer.RenderRt(shown, title, "png")
	if err != nil {
		return err
	}
	// The folder is made whole or not at all (see scenarios.ReplaceDir).
	err = scenarios.ReplaceDir(*out, *force, func(tmp string) error {
		for _, f := range []struct {
			name string
			data []byte
		}{{"rt.csv", csv}, {"rt.svg", svg}, {"rt.png", png}} {
			if err := os.WriteFile(filepath.Join(tmp, f.name), f.data, 0o644); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	first, last := shown.Days[0].Date, shown.Days[len(shown.Days)-1].Date
	fmt.Fprintf(stdout, "%s: %s, %s to %s; serial interval %v; window %d d\n",
		files[0], *column, first.Format(time.DateOnly), last.Format(time.DateOnly), si, *window)
	fmt.Fprintf(stdout, "%-10s  %6s  %s\n", "date", "cases", "Rt median [95% interval]")
	unreliable := false
	for i, d := range shown.Days {
		if (len(shown.Days)-1-i)%*every != 0 {
			continue
		}
		cases := "NA"
		if !math.IsNaN(d.Cases) {
			cases = strconv.FormatFloat(d.Cases, 'f', -1, 64)
		}
		rt := "-  (" + d.Note + ")"
		if d.OK() {
			rt = fmt.Sprintf("%.2f [%.2f, %.2f]", d.Median, d.Quantiles[lo], d.Quantiles[hi])
			if d.CV > 0.3 {
				rt += " *"
				unreliable = true
			}
		}
		fmt.Fprintf(stdout, "%-10s  %6s  %s\n", d.Date.Format(time.DateOnly), cases, rt)
	}
	if unreliable {
		fmt.Fprintln(stdout, "* posterior CV above 0.3: fewer than about ten cases in the window, unreliable")
	}
	for _, c := range crossings(shown, lo, hi) {
		fmt.Fprintln(stdout, c)
	}
	fmt.Fprintf(stdout, "→ %s\n", strings.Join([]string{filepath.Join(*out, "rt.csv"), "rt.svg", "rt.png"}, ", "))
	return nil
}

// crossings describes the days on which the median of R crossed 1 and those
// on which its 95% interval came to lie wholly on one side of 1, among
// consecutive days with an estimate.
func crossings(r *infer.Rt, lo, hi int) []string {
	var out []string
	var med, side []string
	for i := 1; i < len(r.Days); i++ {
		a, b := r.Days[i-1], r.Days[i]
		if !a.OK() || !b.OK() {
			continue
		}
		day := b.Date.Format("2 Jan")
		switch {
		case a.Median >= 1 && b.Median < 1:
			med = append(med, "below on "+day)
		case a.Median < 1 && b.Median >= 1:
			med = append(med, "above on "+day)
		}
		switch {
		case a.Quantiles[hi] >= 1 && b.Quantiles[hi] < 1:
			side = append(side, "below 1 from "+day)
		case a.Quantiles[lo] <= 1 && b.Quantiles[lo] > 1:
			side = append(side, "above 1 from "+day)
		}
	}
	if len(med) > 0 {
		out = append(out, "median Rt crossed 1: "+strings.Join(med, ", "))
	}
	if len(side) > 0 {
		out = append(out, "95% interval wholly "+strings.Join(side, ", "))
	}
	return out
}

// rtCSV writes the estimates as CSV, one row per day; missing values are
// empty.
func rtCSV(r *infer.Rt) []byte {
	var b bytes.Buffer
	b.WriteString("date,cases,imported,lambda,window_cases,window_lambda,shape,scale,mean,sd,cv,median")
	for _, p := range r.Probs {
		b.WriteString(",q" + strconv.FormatFloat(100*p, 'g', -1, 64))
	}
	b.WriteString(",note\n")
	num := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', 8, 64)
	}
	for _, d := range r.Days {
		f := []string{d.Date.Format(time.DateOnly), num(d.Cases), num(d.Imported), num(d.Lambda), num(d.SumCases), num(d.SumLambda)}
		if d.OK() {
			f = append(f, num(d.Shape), num(d.Scale), num(d.Mean), num(d.SD), num(d.CV), num(d.Median))
			for _, q := range d.Quantiles {
				f = append(f, num(q))
			}
		} else {
			for range 6 + len(r.Probs) {
				f = append(f, "")
			}
		}
		if d.Note != "" {
			f = append(f, `"`+d.Note+`"`)
		} else {
			f = append(f, "")
		}
		b.WriteString(strings.Join(f, ",") + "\n")
	}
	return b.Bytes()
}
