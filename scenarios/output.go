package scenarios

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Write writes the results into dir: summary.json, summary.csv,
// timeseries.csv, the plots (SVG and PNG), report.html and scenario.yaml (the
// scenario file as read, which with summary.json's record reproduces the run).
// Each file is written under a temporary name and renamed into place, so that a
// file is either whole or absent; [ReplaceDir] does the same for the folder.
func (r *Results) Write(dir string) error {
	if err := r.WriteSummary(dir); err != nil {
		return err
	}
	if err := writeFile(dir, "scenario.yaml", func(w *bufio.Writer) error {
		_, err := w.Write(r.source)
		return err
	}); err != nil {
		return err
	}
	if err := r.writeTimeSeries(dir); err != nil {
		return err
	}
	figs, err := r.writeFigures(dir)
	if err != nil {
		return err
	}
	return r.writeReport(dir, figs)
}

// WriteSummary writes summary.json and summary.csv into dir.
func (r *Results) WriteSummary(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	sum := r.Summarize()
	if err := writeFile(dir, "summary.json", func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sum)
	}); err != nil {
		return err
	}
	if err := writeFile(dir, "summary.csv", func(w *bufio.Writer) error {
		// capped: how many of the n values are lower bounds (replications
		// stopped by max_infections); diff_note: why a difference is empty.
		fmt.Fprintln(w, "strategy,metric,n,mean,median,p05,p95,diff_mean,diff_lo95,diff_hi95,capped,diff_note")
		for _, st := range sum.Strategies {
			for _, md := range sum.Metrics {
				s := st.Metrics[md.Name]
				d, ok := st.VsBaseline[md.Name]
				fmt.Fprintf(w, "%s,%s,%d,%s,%s,%s,%s", csvField(st.Name), md.Name, s.N, num(s.Mean), num(s.Median), num(s.P05), num(s.P95))
				if ok {
					fmt.Fprintf(w, ",%s,%s,%s", num(d.Mean), num(d.Lo), num(d.Hi))
				} else {
					fmt.Fprint(w, ",,,")
				}
				fmt.Fprintf(w, ",%d,%s\n", s.Capped, csvField(d.NotComparable))
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return nil
}

// writeTimeSeries writes timeseries.csv into dir.
func (r *Results) writeTimeSeries(dir string) error {
	return writeFile(dir, "timeseries.csv", func(w *bufio.Writer) error {
		fmt.Fprintln(w, "strategy,replication,day,series,value")
		for _, st := range r.Strategies {
			name := csvField(st.Name)
			for rep, run := range st.Runs {
				for i, series := range run.Series.Names {
					for day, v := range run.Series.Values[i] {
						fmt.Fprintf(w, "%s,%d,%d,%s,%s\n", name, rep, day, series, csvNum(v))
					}
				}
			}
		}
		return nil
	})
}

// writeFile writes name in dir through a temporary file renamed into place.
func writeFile(dir, name string, fill func(*bufio.Writer) error) error {
	tmp, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	w := bufio.NewWriterSize(tmp, 1<<16)
	if err := fill(w); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

// num writes a figure for CSV (empty for NaN).
func num(n Num) string {
	return csvNum(float64(n)) // empty for NaN, as summary.json writes null
}

// csvField quotes a field if it needs it (RFC 4180).
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
