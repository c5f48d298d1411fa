package scenarios

import (
	"bufio"
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// SweepResult is one point of a sweep, played.
type SweepResult struct {
	Point   Point
	Summary *Summary
}

// Sweep plays the scenario read by load at every point of the grid (each point a
// fresh scenario with the point's values set), writes each point's summary into
// dir/point-NNN, one row per point, strategy and metric into dir/sweep.csv, and,
// for a sweep over two numeric paths, heat maps of the medians.
func Sweep(ctx context.Context, load func() (*Scenario, error), points []Point, opts RunOptions, dir string) ([]SweepResult, error) {
	var out []SweepResult
	for i, p := range points {
		sc, err := load()
		if err != nil {
			return nil, err
		}
		for k := range p.Paths {
			if err := sc.Set(p.Paths[k], p.Values[k]); err != nil {
				return nil, err
			}
		}
		res, err := Play(ctx, sc, opts)
		if err != nil {
			return nil, fmt.Errorf("point %d (%s): %w", i+1, p, err)
		}
		if err := res.WriteSummary(filepath.Join(dir, fmt.Sprintf("point-%03d", i+1))); err != nil {
			return nil, err
		}
		out = append(out, SweepResult{Point: p, Summary: res.Summarize()})
	}
	err := writeFile(dir, "sweep.csv", func(w *bufio.Writer) error {
		header := []string{"point"}
		if len(points) > 0 {
			header = append(header, points[0].Paths...)
		}
		header = append(header, "strategy", "metric", "median", "p05", "p95", "diff_mean", "diff_lo95", "diff_hi95")
		fmt.Fprintln(w, strings.Join(header, ","))
		for i, r := range out {
			for _, st := range r.Summary.Strategies {
				for _, md := range r.Summary.Metrics {
					s := st.Metrics[md.Name]
					fmt.Fprintf(w, "%d", i+1)
					for _, v := range r.Point.Values {
						fmt.Fprintf(w, ",%s", csvField(v))
					}
					fmt.Fprintf(w, ",%s,%s,%s,%s,%s", csvField(st.Name), md.Name, num(s.Median), num(s.P05), num(s.P95))
					if d, ok := st.VsBaseline[md.Name]; ok {
						fmt.Fprintf(w, ",%s,%s,%s\n", num(d.Mean), num(d.Lo), num(d.Hi))
					} else {
						fmt.Fprint(w, ",,,\n")
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	return out, writeHeatMaps(dir, out)
}

// String writes the point as path=value pairs.
func (p Point) String() string {
	var parts []string
	for i := range p.Paths {
		parts = append(parts, p.Paths[i]+"="+p.Values[i])
	}
	return strings.Join(parts, " ")
}
