package scenarios

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// SweepResult is one point of a sweep, played.
type SweepResult struct {
	Point   Point    // the values of the swept paths
	Summary *Summary // the point's summary, as in its summary.json
}

// Shard is the Index-th of Count deterministic slices of a sweep (1 ≤ Index ≤
// Count): the points i (counted from 0) with i mod Count = Index−1, so that
// neighbouring points, which often cost alike, go to different shards. The
// zero Shard is the whole sweep.
type Shard struct {
	Index, Count int // this slice, from 1, and the number of slices
}

// ParseShard reads a shard written "i/n".
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n || n > MaxSweepPoints {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 1 ≤ i ≤ n ≤ %d", s, MaxSweepPoints)
	}
	return Shard{i, n}, nil
}

// String writes the shard as "i/n", or "" for the whole sweep.
func (s Shard) String() string {
	if s.Count == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Has reports whether point i (from 0) belongs to the shard.
func (s Shard) Has(i int) bool { return s.Count == 0 || i%s.Count == s.Index-1 }

// SweepOptions are the run options of every point, and the shard to play.
type SweepOptions struct {
	RunOptions       // the options of every point's run
	Shard      Shard // the slice of the points to play; zero: all
}

// SweepManifest is sweep.json: what was swept, how, and (for a shard) which
// points its folder holds. [Merge] checks shards against each other with it.
type SweepManifest struct {
	Record Record     `json:"record"`          // the scenario before the sweep's values are set
	Paths  []string   `json:"paths"`           // the swept paths
	Points [][]string `json:"points"`          // every point's values, in order
	Shard  string     `json:"shard,omitempty"` // "i/n" for a shard; empty for a whole sweep
	// Done lists the points (from 1) played into this folder; only a shard has it.
	Done []int `json:"done,omitempty"`
}

// Sweep plays the scenario read by load at every point of the grid (each point a
// fresh scenario with the point's values set) and writes into dir: each point's
// summary into dir/point-NNN (NNN from 1), sweep.json, one row per point,
// strategy and metric into sweep.csv, and, for a sweep over two numeric paths,
// heat maps of the medians. With a shard, it plays and writes only the shard's
// points and sweep.json; [Merge] makes the rest from the shards' folders.
func Sweep(ctx context.Context, load func() (*Scenario, error), points []Point, opts SweepOptions, dir string) ([]SweepResult, error) {
	base, err := load()
	if err != nil {
		return nil, err
	}
	reps, seed := base.Replications, base.Seed
	if opts.Replications > 0 {
		reps = opts.Replications
	}
	if opts.SeedSet {
		seed = opts.Seed
	}
	man := SweepManifest{Record: record(base, seed, firstKeys(reps)), Paths: []string{}, Points: [][]string{}, Shard: opts.Shard.String()}
	if len(points) > 0 {
		man.Paths = points[0].Paths
	}
	var out []SweepResult
	for i, p := range points {
		man.Points = append(man.Points, p.Values)
		if !opts.Shard.Has(i) {
			continue
		}
		sc, err := load()
		if err != nil {
			return nil, err
		}
		for k := range p.Paths {
			if err := sc.Set(p.Paths[k], p.Values[k]); err != nil {
				return nil, err
			}
		}
		res, err := Play(ctx, sc, opts.RunOptions)
		if err != nil {
			return nil, fmt.Errorf("point %d (%s): %w", i+1, p, err)
		}
		if err := res.WriteSummary(filepath.Join(dir, pointDir(i))); err != nil {
			return nil, err
		}
		out = append(out, SweepResult{Point: p, Summary: res.Summarize()})
		if opts.Shard.Count > 0 {
			man.Done = append(man.Done, i+1)
		}
	}
	if opts.Shard.Count > 0 {
		return out, writeJSON(dir, "sweep.json", man)
	}
	return out, writeSweep(dir, man, out)
}

// pointDir is the folder of point i (from 0) in a sweep's folder.
func pointDir(i int) string { return fmt.Sprintf("point-%03d", i+1) }

// writeSweep writes sweep.json, sweep.csv and the heat maps of a whole sweep.
func writeSweep(dir string, man SweepManifest, out []SweepResult) error {
	if err := writeJSON(dir, "sweep.json", man); err != nil {
		return err
	}
	err := writeFile(dir, "sweep.csv", func(w *bufio.Writer) error {
		header := append([]string{"point"}, man.Paths...)
		// n: the replications a statistic rests on; capped: how many of them
		// were stopped by max_infections (lower bounds).
		header = append(header, "strategy", "metric", "median", "p05", "p95", "diff_mean", "diff_lo95", "diff_hi95", "n", "capped")
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
						fmt.Fprintf(w, ",%s,%s,%s", num(d.Mean), num(d.Lo), num(d.Hi))
					} else {
						fmt.Fprint(w, ",,,")
					}
					fmt.Fprintf(w, ",%d,%d\n", s.N, s.Capped)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return writeHeatMaps(dir, out)
}

// writeJSON writes v as indented JSON into dir/name.
func writeJSON(dir, name string, v any) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return writeFile(dir, name, func(w *bufio.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// readJSON reads dir/name into v.
func readJSON(dir, name string, v any) error {
	data, err := ReadRegular(filepath.Join(dir, name), MaxRecordFile)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, name), err)
	}
	return nil
}

// Merge combines the folders of the shards of one sweep into dir, which then
// holds exactly what the sweep played at once would have written: the
// points' folders are copied byte for byte, and sweep.json, sweep.csv and the
// heat maps are made from the points' summaries. The shards must come from the
// same scenario, fields, seed, replications and program version, and hold
// every point exactly once; each difference is an error.
func Merge(ctx context.Context, shards []string, dir string) error {
	if len(shards) == 0 {
		return errors.New("merge: no shard folders")
	}
	var man SweepManifest
	owner := map[int]string{}
	for k, sd := range shards {
		var m SweepManifest
		if err := readJSON(sd, "sweep.json", &m); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		if m.Shard == "" {
			return fmt.Errorf("merge: %s is a whole sweep, not a shard", sd)
		}
		sh, err := ParseShard(m.Shard)
		if err != nil {
			return fmt.Errorf("merge: %s/sweep.json: %w", sd, err)
		}
		if len(m.Paths) == 0 || len(m.Points) == 0 || len(m.Points) > MaxSweepPoints {
			return fmt.Errorf("merge: %s/sweep.json: no points, or more than %d", sd, MaxSweepPoints)
		}
		if k == 0 {
			man = m
		} else if err := sameSweep(man, m); err != nil {
			return fmt.Errorf("merge: %s and %s: %w", shards[0], sd, err)
		}
		for _, p := range m.Done {
			if p < 1 || p > len(m.Points) || !sh.Has(p-1) {
				return fmt.Errorf("merge: %s: point %d is not one of shard %s's of the sweep's %d", sd, p, m.Shard, len(m.Points))
			}
			if prev, ok := owner[p]; ok {
				return fmt.Errorf("merge: point %d is in both %s and %s", p, prev, sd)
			}
			owner[p] = sd
		}
	}
	var missing []string
	for p := 1; p <= len(man.Points); p++ {
		if _, ok := owner[p]; !ok {
			missing = append(missing, strconv.Itoa(p))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("merge: points %s are in none of the shards", strings.Join(missing, ", "))
	}
	out := make([]SweepResult, len(man.Points))
	for i := range man.Points {
		if err := ctx.Err(); err != nil {
			return err
		}
		src := filepath.Join(owner[i+1], pointDir(i))
		s := new(Summary)
		if err := readJSON(src, "summary.json", s); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		pt := Point{Paths: man.Paths, Values: man.Points[i]}
		if err := pointRecord(man.Record, pt, s.Record); err != nil {
			return fmt.Errorf("merge: %s: %w", src, err)
		}
		out[i] = SweepResult{Point: pt, Summary: s}
		for _, name := range []string{"summary.json", "summary.csv"} {
			if err := copyFile(filepath.Join(src, name), filepath.Join(dir, pointDir(i)), name); err != nil {
				return fmt.Errorf("merge: %w", err)
			}
		}
	}
	man.Shard, man.Done = "", nil
	return writeSweep(dir, man, out)
}

// pointRecord returns an error if a point's record is not that of the sweep's
// scenario with the point's values set.
func pointRecord(sweep Record, p Point, got Record) error {
	if len(p.Paths) != len(p.Values) {
		return errors.New("the point's values do not match the swept paths")
	}
	want := sweep
	want.Sets = append([]string(nil), sweep.Sets...)
	for i := range p.Paths {
		want.Sets = append(want.Sets, p.Paths[i]+"="+p.Values[i])
	}
	if err := want.Check(got); err != nil {
		return fmt.Errorf("summary.json is not of this point of the sweep: %w", err)
	}
	return nil
}

// sameSweep returns an error if two shards' manifests are not of one sweep.
func sameSweep(a, b SweepManifest) error {
	if err := a.Record.Check(b.Record); err != nil {
		return err
	}
	// The scenario is the same by its SHA-256 (Check), however its path was
	// spelled on each node (results/../x.yaml, /abs/x.yaml).
	if a.Record.Epiplan != b.Record.Epiplan || a.Record.Go != b.Record.Go {
		return fmt.Errorf("made by epiplan %s (%s) and %s (%s)", a.Record.Epiplan, a.Record.Go, b.Record.Epiplan, b.Record.Go)
	}
	ja, _ := json.Marshal([]any{a.Paths, a.Points})
	jb, _ := json.Marshal([]any{b.Paths, b.Points})
	if string(ja) != string(jb) {
		return errors.New("the swept paths or values differ")
	}
	sa, _ := ParseShard(a.Shard)
	sb, _ := ParseShard(b.Shard)
	if sa.Count != sb.Count {
		return fmt.Errorf("shards %s and %s are of different splits", a.Shard, b.Shard)
	}
	return nil
}

// copyFile copies the file src into dir/name, through a temporary file.
func copyFile(src, dir, name string) error {
	data, err := ReadRegular(src, 1<<34)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return writeFile(dir, name, func(w *bufio.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// String writes the point as path=value pairs.
func (p Point) String() string {
	var parts []string
	for i := range p.Paths {
		parts = append(parts, p.Paths[i]+"="+p.Values[i])
	}
	return strings.Join(parts, " ")
}
