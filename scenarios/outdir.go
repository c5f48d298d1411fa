package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is returned by [ReplaceDir] for an output folder that exists and
// holds files, when it may not be replaced.
var ErrExists = errors.New("exists; use --force to replace it")

// markers are the files by which an output folder of epiplan is known; only
// such a folder is ever replaced.
var markers = []string{"summary.json", "sweep.json", "fit.json", "rt.csv"}

// ReplaceDir makes the output folder dir in one step: write fills a new,
// empty folder next to dir, which then takes dir's place. If write fails or is
// interrupted, the new folder is removed and dir is left as it was, so that an
// output folder is always whole: the result of one run, never of half of two.
//
// An existing dir that holds files is replaced only if force is set, and only
// if it is an epiplan output folder (it holds summary.json, sweep.json,
// fit.json or rt.csv): ReplaceDir never deletes a folder it did not make. An
// existing empty folder is replaced without force.
func ReplaceDir(dir string, force bool, write func(tmp string) error) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if filepath.Base(dir) == string(filepath.Separator) {
		return fmt.Errorf("%s: choose a folder to create, not the root", dir)
	}
	st, err := os.Stat(dir)
	exists := err == nil
	switch {
	case exists && !st.IsDir():
		return fmt.Errorf("%s: exists and is not a folder", dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if exists {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		if len(entries) > 0 {
			if !force {
				return fmt.Errorf("%s: %w", dir, ErrExists)
			}
			if !isOutputDir(dir) {
				return fmt.Errorf("%s: not an epiplan output folder (no %v); not replacing it", dir, markers)
			}
		}
	}
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".new-*")
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := write(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if !exists {
		if err := os.Rename(tmp, dir); err != nil {
			os.RemoveAll(tmp)
			return err
		}
		return nil
	}
	// Move the old folder aside, the new one in, then delete the old one; a
	// crash between the two renames leaves both, under names that say so.
	old, err := os.MkdirTemp(parent, "."+base+".old-*")
	if err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(dir, filepath.Join(old, base)); err != nil {
		os.RemoveAll(tmp)
		os.Remove(old)
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(filepath.Join(old, base), dir) // put the old one back
		os.RemoveAll(tmp)
		os.Remove(old)
		return err
	}
	return os.RemoveAll(old)
}

// isOutputDir reports whether dir holds one of the marker files.
func isOutputDir(dir string) bool {
	for _, m := range markers {
		if _, err := os.Stat(filepath.Join(dir, m)); err == nil {
			return true
		}
	}
	return false
}
