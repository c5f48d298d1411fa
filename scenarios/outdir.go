package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists is returned by [ReplaceDir] for an output folder that exists and
// holds files, when it may not be replaced.
var ErrExists = errors.New("exists; use --force to replace it")

// Marker is the file by which ReplaceDir knows an output folder it made; it
// replaces no other folder.
const Marker = ".epiplan-output"

// ReplaceDir makes the output folder dir in one step: write fills a new,
// empty folder next to dir, which then takes dir's place. If write fails, is
// interrupted or panics, the new folder is removed and dir is left as it was,
// so that an output folder is always whole: the result of one run, never of
// half of two.
//
// An existing dir that holds files is replaced only if force is set, and only
// if ReplaceDir made it (it holds the [Marker] file): it never deletes a folder
// of the user's. It refuses the current folder and its parents. A symbolic link
// is followed: the folder it points to is replaced. If the new folder is
// complete but cannot be moved into place, it is kept and the error says where.
func ReplaceDir(dir string, force bool, write func(tmp string) error) (err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return err
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	if filepath.Dir(dir) == dir {
		return fmt.Errorf("%s: choose a folder to create, not the root", dir)
	}
	if wd, err := os.Getwd(); err == nil {
		if real, err := filepath.EvalSymlinks(wd); err == nil {
			wd = real
		}
		if wd == dir || strings.HasPrefix(wd, dir+string(filepath.Separator)) {
			return fmt.Errorf("%s: is the current folder or holds it; choose a folder of its own for the outputs", dir)
		}
	}
	exists, err := checkReplaceable(dir, force)
	if err != nil {
		return err
	}
	parent, base := filepath.Split(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".new-*")
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		if !keep {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte("made by epiplan; replaced only with --force\n"), 0o644); err != nil {
		return err
	}
	if err := write(tmp); err != nil {
		return err
	}
	// Check again: the folder may have changed while the run went on.
	if exists, err = checkReplaceable(dir, force); err != nil {
		return err
	}
	kept := func(err error) error {
		keep = true
		return fmt.Errorf("could not move the outputs into %s (%v); they are in %s", dir, err, tmp)
	}
	if !exists {
		if err := os.Rename(tmp, dir); err != nil {
			return kept(err)
		}
		return nil
	}
	// Move the old folder aside, the new one in, then delete the old one; a
	// crash between the two renames leaves both, under names that say so.
	old, err := os.MkdirTemp(parent, "."+base+".old-*")
	if err != nil {
		return kept(err)
	}
	if err := os.Rename(dir, filepath.Join(old, base)); err != nil {
		os.Remove(old)
		return kept(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(filepath.Join(old, base), dir) // put the old one back
		os.Remove(old)
		return kept(err)
	}
	return os.RemoveAll(old)
}

// checkReplaceable reports whether dir exists, and an error if it may not be
// replaced.
func checkReplaceable(dir string, force bool) (bool, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case !st.IsDir():
		return true, fmt.Errorf("%s: exists and is not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return true, err
	}
	if len(entries) == 0 {
		return true, nil
	}
	if !force {
		return true, fmt.Errorf("%s: %w", dir, ErrExists)
	}
	if _, err := os.Stat(filepath.Join(dir, Marker)); err != nil {
		return true, fmt.Errorf("%s: not an output folder made by epiplan (no %s); not replacing it", dir, Marker)
	}
	// Another output folder inside it would go with it.
	var nested string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && path != dir {
			if _, err := os.Stat(filepath.Join(path, Marker)); err == nil {
				nested = path
				return filepath.SkipAll
			}
		}
		return nil
	})
	if nested != "" {
		return true, fmt.Errorf("%s: holds another output folder, %s, which replacing it would delete; move that one first", dir, nested)
	}
	return true, nil
}
