// Command gen writes the reference pages of the scenario format and of the
// metrics from the Go source, so that they never drift from the code:
//
//	go run ./docs/gen
//
// rewrites docs/scenario-format.md and docs/metrics.md. The fields come from the
// scenario's Go types by reflection (their YAML names and types), their
// descriptions from the fields' doc comments, the defaults from a scenario read
// with nothing but its strategies (and from the built-in strategies), and the
// sources of the defaults from the comments written beside each value in
// package model. Units and valid values are kept in fields.go. The test of this
// package fails when a committed page differs from what gen writes.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	dir := flag.String("dir", "", "folder to write the pages into (default: docs/ of the module)")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if dir == "" {
		dir = filepath.Join(root, "docs")
	}
	pages, err := generate(root)
	if err != nil {
		return err
	}
	for name, data := range pages {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// moduleRoot returns the folder of go.mod, from the working folder up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			if strings.Contains(string(data), "module "+module+"\n") {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of %s above the working folder", module)
		}
		dir = parent
	}
}

const module = "github.com/epiplan/epiplan"

// generate returns the pages by file name.
func generate(root string) (map[string][]byte, error) {
	format, err := scenarioFormat(root)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{
		"scenario-format.md": format,
		"metrics.md":         metricsPage(),
	}, nil
}
