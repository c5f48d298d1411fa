package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed library/*.yaml
var library embed.FS

// DefaultScenario is the name of the library scenario run when none is given.
const DefaultScenario = "fuzhou-2022"

// Library returns the names of the ready scenarios that come with epiplan.
func Library() []string {
	entries, _ := fs.ReadDir(library, "library")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// LibraryScenario reads a library scenario by name.
func LibraryScenario(name string) (*Scenario, error) {
	data, err := library.ReadFile("library/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no library scenario %q (have %v)", name, Library())
	}
	return Parse("library/"+name+".yaml", data)
}
