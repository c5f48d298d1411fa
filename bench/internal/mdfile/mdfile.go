package mdfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Begin returns the marker comment that starts the section name.
func Begin(name string) string { return "<!-- BEGIN " + name + " -->" }

// End returns the marker comment that ends the section name.
func End(name string) string { return "<!-- END " + name + " -->" }

// WriteFile writes content to path, atomically.
func WriteFile(path, content string) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.WriteString(content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// CanWrite returns an error if the file at path could not be written: its
// directory does not exist. Commands check their outputs with it before a long
// run.
func CanWrite(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("cannot write %s: %s is not a directory", path, dir)
	}
	return nil
}

// CheckSection returns the error ReplaceSection would return for path and
// name before writing anything, if any.
func CheckSection(path, name string) error {
	_, _, _, err := section(path, name)
	return err
}

// section reads the file at path and returns its text and the index of the
// end of the begin marker and of the start of the end marker of section name.
func section(path, name string) (text string, from, to int, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", 0, 0, err
	}
	text = string(data)
	begin, end := Begin(name), End(name)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i || strings.Count(text, begin) != 1 || strings.Count(text, end) != 1 {
		return "", 0, 0, fmt.Errorf("%s: needs one section %s … %s to replace", path, begin, end)
	}
	return text, i + len(begin), j, nil
}

// ReplaceSection replaces what lies between the markers Begin(name) and
// End(name) in the file at path with content (the markers stay), atomically.
// It returns an error, and leaves the file alone, if the file cannot be read
// or does not hold exactly one such pair of markers in that order.
func ReplaceSection(path, name, content string) error {
	text, from, to, err := section(path, name)
	if err != nil {
		return err
	}
	if !strings.HasSuffix(content, "\n") {
		content += "\n"
	}
	return WriteFile(path, text[:from]+"\n"+content+text[to:])
}
