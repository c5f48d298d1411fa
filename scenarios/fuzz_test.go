package scenarios

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the seed corpus of FuzzParse from the library, the broken and the adversarial scenarios")

// positioned is the form of every line of a Parse error.
var positioned = regexp.MustCompile(`^x\.yaml:\d+:\d+: \S`)

// FuzzParse feeds any bytes to the scenario reader: the answer is an error whose
// every line says where and what, or a scenario that validates again and whose
// every strategy attaches to a model. Its seed corpus (testdata/fuzz/FuzzParse)
// holds the library, the broken scenarios of TestBrokenScenarios and the
// adversarial files; `go test` replays it, without running any simulation.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("x.yaml", data)
		if err != nil {
			if errors.Is(err, errLibrary) {
				t.Fatalf("the YAML library panics: %v", err)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !positioned.MatchString(line) {
					t.Fatalf("error line without a position: %q (of %v)", line, err)
				}
			}
			return
		}
		if n := len(sc.Strategies); n < 1 || n > MaxStrategies {
			t.Fatalf("%d strategies", n)
		}
		if sc.Replications < 1 || sc.Replications > MaxReplications || !(sc.Horizon > 0) || sc.Horizon > MaxHorizon {
			t.Fatalf("replications %d, horizon %v", sc.Replications, sc.Horizon)
		}
		if err := sc.validate(); err != nil {
			t.Fatalf("a parsed scenario does not validate again: %v", err)
		}
		cfg := sc.Config()
		if err := cfg.Validate(); err != nil {
			t.Fatalf("the model configuration of a parsed scenario is invalid: %v", err)
		}
		for i := range sc.Strategies {
			m, err := model.New(cfg, sim.NewStream(sc.Seed), sc.Options())
			if err != nil {
				t.Fatalf("model.New: %v", err)
			}
			st := sc.Strategy(i)
			if err := m.Add(st.Measures()...); err != nil {
				t.Fatalf("strategy %d does not attach: %v", i, err)
			}
		}
	})
}

// seedCorpus returns the seed corpus of FuzzParse: file name to content.
func seedCorpus(t *testing.T) map[string][]byte {
	seeds := map[string][]byte{}
	for _, name := range Library() {
		data, err := library.ReadFile("library/" + name + ".yaml")
		require.NoError(t, err)
		seeds["library-"+name] = data
	}
	for _, c := range brokenScenarios {
		seeds["broken-"+strings.ReplaceAll(c.name, " ", "-")] = []byte(c.edit)
	}
	files, err := filepath.Glob("testdata/adversarial/*")
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		seeds["adversarial-"+filepath.Base(f)] = data
	}
	return seeds
}

// corpusEntry is the text of a corpus file holding data.
func corpusEntry(data []byte) string {
	return fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
}

func TestFuzzCorpus(t *testing.T) {
	// The seed corpus holds every library, broken and adversarial scenario as
	// it is now (rewrite it with -update-corpus).
	dir := filepath.Join("testdata", "fuzz", "FuzzParse")
	seeds := seedCorpus(t)
	require.GreaterOrEqual(t, len(seeds), 4+21+10)
	for name, data := range seeds {
		path := filepath.Join(dir, name)
		if *updateCorpus {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(path, []byte(corpusEntry(data)), 0o644))
			continue
		}
		got, err := os.ReadFile(path)
		if assert.NoError(t, err, "%s is missing from the corpus: go test -run TestFuzzCorpus -update-corpus", name) {
			assert.Equal(t, corpusEntry(data), string(got), "%s is out of date: go test -run TestFuzzCorpus -update-corpus", name)
		}
	}
}
