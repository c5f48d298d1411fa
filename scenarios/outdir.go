package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
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
// An existing dir that holds files is replaced only if force is set, only
// if ReplaceDir made it (it holds the [Marker] file) and only if it holds
// nothing but the files the Marker lists: it never deletes a folder, or a
// file, of the user's. Temporary folders that a killed process left next to
// dir are removed first (see removeStale), and those of this process by
// [RemoveUnfinished]. It refuses the current folder and its parents. A symbolic link
// is followed: the folder it points to is replaced. If the new folder is
// complete but cannot be moved into place, it is kept and the error says where.
func ReplaceDir(dir string, force bool, write func(tmp string) error) (err error) {
	dir, exists, err := checkOut(dir, force)
	if err != nil {
		return err
	}
	parent, base := filepath.Split(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	removeStale(parent, base)
	tmp, err := os.MkdirTemp(parent, "."+base+".new-"+owner()+"-*")
	if err != nil {
		return err
	}
	unfinished.add(tmp)
	defer unfinished.remove(tmp)
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
	if err := writeManifest(tmp); err != nil {
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
	old, err := os.MkdirTemp(parent, "."+base+".old-"+owner()+"-*")
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
	marker, err := os.ReadFile(filepath.Join(dir, Marker))
	if err != nil {
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
	if foreign := foreignFiles(dir, marker); len(foreign) > 0 {
		more := ""
		if len(foreign) > 5 {
			more = fmt.Sprintf(" and %d more", len(foreign)-5)
			foreign = foreign[:5]
		}
		return true, fmt.Errorf("%s: holds files that epiplan did not write (%s%s), which replacing it would delete; move them out first", dir, strings.Join(foreign, ", "), more)
	}
	return true, nil
}

// CheckOut checks, before any work is done, that ReplaceDir could make the
// output folder dir: not the root, not the current folder or one holding it,
// not a symbolic link to nothing, and, if it exists with files, replaceable
// with force. A command calls it first, so that a long run does not end in a
// refusal.
func CheckOut(dir string, force bool) error {
	_, _, err := checkOut(dir, force)
	return err
}

// checkOut is CheckOut; it returns the folder as an absolute path with
// symbolic links resolved, and whether it exists.
func checkOut(dir string, force bool) (string, bool, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false, err
	}
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if _, err := os.Stat(dir); err != nil {
			target, _ := os.Readlink(dir)
			return "", false, fmt.Errorf("%s: is a symbolic link to %s, which does not exist (%v); make that folder or choose another --out", dir, target, errors.Unwrap(err))
		}
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	if filepath.Dir(dir) == dir {
		return "", false, fmt.Errorf("%s: choose a folder to create, not the root", dir)
	}
	if wd, err := os.Getwd(); err == nil {
		if real, err := filepath.EvalSymlinks(wd); err == nil {
			wd = real
		}
		if wd == dir || strings.HasPrefix(wd, dir+string(filepath.Separator)) {
			return "", false, fmt.Errorf("%s: is the current folder or holds it; choose a folder of its own for the outputs", dir)
		}
	}
	exists, err := checkReplaceable(dir, force)
	return dir, exists, err
}

// manifestHeader starts the list of files in the Marker file.
const manifestHeader = "files:\n"

// writeManifest writes the Marker file of the finished folder tmp with the
// list of the files in it, so that --force later replaces the folder only if
// it holds nothing else.
func writeManifest(tmp string) error {
	var b strings.Builder
	b.WriteString("made by epiplan; replaced only with --force\n" + manifestHeader)
	err := filepath.WalkDir(tmp, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(tmp, path)
		if path == tmp || rel == Marker {
			return nil
		}
		b.WriteString(filepath.ToSlash(rel) + "\n")
		return nil
	})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(tmp, Marker), []byte(b.String()), 0o644)
}

// foreignFiles returns the files and folders in dir that its Marker (whose
// content is given) does not list. A Marker without a list (written by an
// older epiplan) vouches for everything.
func foreignFiles(dir string, marker []byte) []string {
	_, list, ok := strings.Cut(string(marker), manifestHeader)
	if !ok {
		return nil
	}
	known := map[string]bool{Marker: true}
	for _, name := range strings.Split(list, "\n") {
		if name != "" {
			known[name] = true
		}
	}
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		if !known[filepath.ToSlash(rel)] {
			out = append(out, filepath.ToSlash(rel))
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	return out
}

// unfinished holds the temporary folders being written, for
// RemoveUnfinished.
var unfinished = &tempDirs{dirs: map[string]bool{}}

type tempDirs struct {
	sync.Mutex
	dirs map[string]bool
}

func (t *tempDirs) add(dir string)    { t.Lock(); t.dirs[dir] = true; t.Unlock() }
func (t *tempDirs) remove(dir string) { t.Lock(); delete(t.dirs, dir); t.Unlock() }

// RemoveUnfinished deletes the temporary folders that ReplaceDir is writing
// in this process: a command that must stop at once (a second Ctrl-C, a run
// that does not answer its cancellation in time) calls it before it exits,
// so that no hidden .OUT.new-* folder is left behind.
func RemoveUnfinished() {
	unfinished.Lock()
	defer unfinished.Unlock()
	for d := range unfinished.dirs {
		os.RemoveAll(d)
		delete(unfinished.dirs, d)
	}
}

// owner names this process in the names of its temporary folders, as
// host-pid, so that a later run can tell that their writer is gone.
func owner() string {
	host, _ := os.Hostname()
	host = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, host)
	if len(host) > 32 {
		host = host[:32]
	}
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// removeStale deletes the temporary folders of output folder base in parent
// that a process of this host left when it was killed (SIGKILL, a second
// Ctrl-C, a crash): .base.new-host-pid-* whose process is gone. An old folder
// (.base.old-host-pid-*) left between two renames goes back in place if base
// is missing, and is deleted otherwise. Folders of another host, or of a
// process still running, are left alone.
func removeStale(parent, base string) {
	mine := owner()
	myHost := mine[:strings.LastIndexByte(mine, '-')]
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		var kind string
		switch {
		case strings.HasPrefix(name, "."+base+".new-"):
			kind = "new"
		case strings.HasPrefix(name, "."+base+".old-"):
			kind = "old"
		default:
			continue
		}
		// host-pid-random
		parts := strings.Split(strings.TrimPrefix(name, "."+base+"."+kind+"-"), "-")
		if len(parts) != 3 || parts[0] != myHost || !e.IsDir() {
			continue
		}
		pid, err := strconv.Atoi(parts[1])
		if err != nil || pid <= 0 || alive(pid) {
			continue
		}
		path := filepath.Join(parent, name)
		if kind == "old" {
			if _, err := os.Stat(filepath.Join(parent, base)); errors.Is(err, fs.ErrNotExist) {
				if os.Rename(filepath.Join(path, base), filepath.Join(parent, base)) == nil {
					os.Remove(path)
				}
				continue
			}
		}
		os.RemoveAll(path)
	}
}

// alive reports whether process pid exists.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
