package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/epiplan/epiplan/sim"
)

// Record says how a result was made, so that it can be made again to the last
// digit: the program, the scenario file (its name and the SHA-256 of its bytes,
// which are copied next to the outputs as scenario.yaml), the fields changed
// on top of it, the seed and the random stream of every replication. It does
// not record the number of workers: results do not depend on it.
type Record struct {
	Epiplan        string   `json:"epiplan_version"` // module version of the binary, "(devel)" when built from a work tree
	Go             string   `json:"go_version"`      // the Go toolchain that built it
	ScenarioFile   string   `json:"scenario_file"`   // the file as named on the command line, or library/NAME.yaml
	ScenarioSHA256 string   `json:"scenario_sha256"` // hash of the file's bytes
	Sets           []string `json:"sets"`            // fields changed with --set, in order, as path=value
	Seed           uint64   `json:"seed"`            // the root seed
	Replications   int      `json:"replications"`    // replications per strategy
	// Keys are the random streams of the replications (sim.Stream.String):
	// replication r of every strategy draws from Keys[r].
	Keys []string `json:"replication_keys"`
}

// Source returns the bytes the scenario was read from.
func (s *Scenario) Source() []byte { return s.source }

// File returns the name the scenario was read under.
func (s *Scenario) File() string { return s.file }

// Sets returns the fields changed with Set since the file was read, as
// path=value, in order.
func (s *Scenario) Sets() []string { return append([]string(nil), s.sets...) }

// firstKeys returns the keys of replications 0 to n−1.
func firstKeys(n int) []int {
	keys := make([]int, n)
	for r := range keys {
		keys[r] = r
	}
	return keys
}

// record returns the record of playing sc with a seed, on the replications
// of the given keys.
func record(sc *Scenario, seed uint64, keys []int) Record {
	sum := sha256.Sum256(sc.source)
	r := Record{Epiplan: version(), Go: runtime.Version(), ScenarioFile: sc.file,
		ScenarioSHA256: hex.EncodeToString(sum[:]), Sets: sc.Sets(), Seed: seed, Replications: len(keys)}
	if r.Sets == nil {
		r.Sets = []string{}
	}
	root := sim.NewStream(seed)
	for _, k := range keys {
		r.Keys = append(r.Keys, root.Key(uint64(k)).String())
	}
	return r
}

// Check returns an error naming the first difference between the record and
// another one of the same scenario, seed and replications; versions may differ.
func (r Record) Check(other Record) error {
	switch {
	case r.ScenarioSHA256 != other.ScenarioSHA256:
		return fmt.Errorf("scenario hash %s, recorded %s", other.ScenarioSHA256, r.ScenarioSHA256)
	case strings.Join(r.Sets, "\n") != strings.Join(other.Sets, "\n"):
		return fmt.Errorf("--set %q, recorded %q", other.Sets, r.Sets)
	case r.Seed != other.Seed:
		return fmt.Errorf("seed %d, recorded %d", other.Seed, r.Seed)
	case r.Replications != other.Replications || strings.Join(r.Keys, ",") != strings.Join(other.Keys, ","):
		return fmt.Errorf("replication keys differ from the record's")
	}
	return nil
}

// version returns the module version of the running binary, or "(devel)".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// ReadRecord reads the record in dir/summary.json.
func ReadRecord(dir string) (Record, error) {
	var sum struct {
		Record Record `json:"record"`
	}
	err := readJSON(dir, "summary.json", &sum)
	return sum.Record, err
}

// SameProgram reports whether the record was made by this program: the same
// version of epiplan built by the same Go. Only then are outputs promised to
// agree to the last digit.
func (r Record) SameProgram() bool { return r.Epiplan == version() && r.Go == runtime.Version() }

// FromRecord reads the record of the run whose outputs are in dir
// (summary.json and scenario.yaml) and returns the scenario with the recorded
// fields set and the options that play it again: the same seed and
// replications, hence the same outputs byte for byte when played by the same
// version of epiplan. The scenario's hash must match the record's.
func FromRecord(dir string) (*Scenario, RunOptions, error) {
	rec, err := ReadRecord(dir)
	if err != nil {
		return nil, RunOptions{}, err
	}
	if rec.ScenarioSHA256 == "" {
		return nil, RunOptions{}, fmt.Errorf("%s: summary.json has no record of how it was made", dir)
	}
	if rec.Replications < 1 || rec.Replications > MaxReplications || len(rec.Keys) != rec.Replications {
		return nil, RunOptions{}, fmt.Errorf("%s: the record's replications (%d, with %d keys) must be from 1 to %d, one key each", dir, rec.Replications, len(rec.Keys), MaxReplications)
	}
	data, err := ReadRegular(filepath.Join(dir, "scenario.yaml"), MaxFileSize)
	if err != nil {
		return nil, RunOptions{}, err
	}
	if h := sha256.Sum256(data); hex.EncodeToString(h[:]) != rec.ScenarioSHA256 {
		return nil, RunOptions{}, fmt.Errorf("%s: scenario.yaml has changed since the run (its SHA-256 is not the record's)", dir)
	}
	sc, err := Parse(rec.ScenarioFile, data)
	if err != nil {
		return nil, RunOptions{}, err
	}
	for _, set := range rec.Sets {
		path, value, _ := strings.Cut(set, "=")
		if err := sc.Set(path, value); err != nil {
			return nil, RunOptions{}, err
		}
	}
	opts := RunOptions{Replications: rec.Replications, Seed: rec.Seed, SeedSet: true}
	if err := rec.Check(record(sc, rec.Seed, firstKeys(rec.Replications))); err != nil {
		return nil, RunOptions{}, fmt.Errorf("%s: %w", dir, err)
	}
	return sc, opts, nil
}

// CompareDirs compares the files of two output folders byte for byte and
// returns the names of those that differ ("summary.csv differs") or are in one
// folder only ("x.svg is only in DIR").
func CompareDirs(a, b string) ([]string, error) {
	files := map[string]bool{}
	for _, dir := range []string{a, b} {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				rel, _ := filepath.Rel(dir, path)
				files[rel] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var diffs []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		_, errA := os.Lstat(filepath.Join(a, name))
		_, errB := os.Lstat(filepath.Join(b, name))
		switch {
		case errA != nil:
			diffs = append(diffs, name+" is only in "+b)
		case errB != nil:
			diffs = append(diffs, name+" is only in "+a)
		default:
			// Files are compared in pieces; a FIFO or a device is not read.
			same, err := sameContent(filepath.Join(a, name), filepath.Join(b, name))
			if err != nil {
				return nil, err
			}
			if !same {
				diffs = append(diffs, name+" differs")
			}
		}
	}
	return diffs, nil
}
