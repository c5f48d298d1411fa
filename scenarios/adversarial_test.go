package scenarios

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/control"
)

// adversarial are the files of testdata/adversarial with their errors (every
// line given here must be in the error, position included; "" means the file
// is valid).
var adversarial = map[string][]string{
	"deep-flow.yaml":     {"deep-flow.yaml:2:50009: the file has more than 50000 characters of YAML punctuation ([ ] { } , & * ? !)"},
	"deep-flow-10k.yaml": {"deep-flow-10k.yaml:2:73: mappings and lists nested more than 64 levels deep"},
	"deep-block.yaml":    {"deep-block.yaml:66:66: mappings and lists nested more than 64 levels deep"},
	"deep-dashes.yaml":   {"deep-dashes.yaml:3:129: mappings and lists nested more than 64 levels deep"},
	"huge-numbers.yaml": {
		"huge-numbers.yaml:2:7: seed: must be a whole number from 0 to 18446744073709551615, got 18446744073709551616",
		"huge-numbers.yaml:3:15: replications: must be a whole number from 1 to 10000, got 9223372036854775808",
		"huge-numbers.yaml:4:17: max_infections: must be a whole number from 0 (no cap) to 1073741823, got -9223372036854775809",
		"huge-numbers.yaml:7:16: population.layers.community: the number 1e400 is out of range",
		"huge-numbers.yaml:9:22: resources.lab.instruments: must be a whole number from 0 to 100000, got 1e400",
	},
	"fractions.yaml": {
		"fractions.yaml:2:15: replications: must be a whole number, got 2.5",
		"fractions.yaml:3:7: seed: must be a whole number, got 1.5",
	},
	"nan-inf.yaml": {
		`nan-inf.yaml:2:10: horizon: sim: invalid duration ".inf": expected a number at ".inf"`,
		"nan-inf.yaml:4:23: population.layers.community: must be a finite number, got .nan",
		"nan-inf.yaml:4:35: population.layers.city: must be a finite number, got .inf",
		"nan-inf.yaml:6:45: population.age_groups[0].susceptibility: must be a finite number, got .nan",
		`nan-inf.yaml:8:11: disease.latent: sim: invalid distribution "fixed(NaN)": fixed: value must be finite, got NaN`,
		`nan-inf.yaml:9:19: disease.presymptomatic: sim: invalid distribution "gamma(shape=Inf, scale=1)": gamma: shape must be positive and finite, got +Inf`,
		`nan-inf.yaml:10:16: disease.symptomatic: sim: invalid distribution "lognormal(mu=800, sigma=1)": lognormal: the mean is +Inf`,
		"nan-inf.yaml:11:29: imports.rate: must be a finite number, got -.inf",
	},
	"alias-bomb.yaml":      {"alias-bomb.yaml:7:8: f[0]: alias *e makes the file hold more than 200000 values once aliases are expanded (an alias bomb?)"},
	"alias-bomb-text.yaml": {"alias-bomb-text.yaml:4:171: sources[40]: alias *a makes the file hold more than 4194304 bytes of text once aliases are expanded"},
	"alias-recursive.yaml": {"alias-recursive.yaml:2:17: sources[1]: alias *s is inside its own anchor &s"},
	"merge-strategies.yaml": {
		"merge-strategies.yaml:10:34: strategies[1].testing.lab.instruments: must be at least 1, got -1",
	},
	"latin1.yaml": {"latin1.yaml:2:10: invalid UTF-8 (byte 0xe9): a scenario file must be UTF-8 text"},
	"binary.gz":   {"binary.gz:1:1: control character U+001F is not allowed in a YAML file (is it a binary file?)"},
	"nul.yaml":    {"nul.yaml:2:25: control character U+0000 is not allowed"},
	"million-areas.yaml": {
		"million-areas.yaml:4:5: population.areas: more than 100000 areas in all (communities included)",
	},
	"population-1e12.yaml": {
		"population-1e12.yaml:3:33: population.areas[0].population: must be from 1 to 1073741823 people, got 1000000000000",
	},
	"population-wrap.yaml": {
		"population-wrap.yaml:4:29: population.areas[0].population: must be from 1 to 1073741823 people, got 4611686018427387904",
		"population-wrap.yaml:5:29: population.areas[1].population: must be from 1 to 1073741823 people, got 4611686018427387904",
	},
	"horizon-1e6.yaml": {"horizon-1e6.yaml:1:10: horizon: must be a duration from 1 day to 3650d, got 1000000d"},
	"negative-zero.yaml": {
		"negative-zero.yaml:3:15: replications: must be from 1 to 10000, got 0",
		"negative-zero.yaml:4:10: horizon: must be a duration from 1 day to 3650d, got 0d",
		"negative-zero.yaml:5:17: max_infections: must be ≥ 0, got -1",
		"negative-zero.yaml:8:33: population.areas[0].population: must be from 1 to 1073741823 people, got -5",
		"negative-zero.yaml:8:60: population.areas[1].population: a leaf area must have at least 1 person, got 0",
		"negative-zero.yaml:9:54: population.layers.household_sar: must be in [0, 1), got -0.1",
		"negative-zero.yaml:9:23: population.layers.community: must be a finite number ≥ 0, got -1",
		"negative-zero.yaml:9:33: population.layers.city: must be a finite number ≥ 0, got -0.5",
		"negative-zero.yaml:10:20: imports.initial: must be ≥ 0, got -3",
		"negative-zero.yaml:10:30: imports.rate: must be a finite number ≥ 0, got -1",
	},
	"duplicate-keys.yaml": {"duplicate-keys.yaml:3:1: replications: given twice (first at line 2, column 1)"},
	"tab-indented.yaml":   {"tab-indented.yaml:2:1: a tab cannot indent YAML: indent with spaces"},
	"scenario.json":       {`scenario.json:6:15: baseline: "none" is not one of the strategies`},
	"huge-resources.yaml": {
		"huge-resources.yaml:3:42: resources.sites[0].people_per_site: one site per 1 people makes 1000000 sites, more than 100000",
		"huge-resources.yaml:4:22: resources.lab.instruments: at most 100000, got 1000000000",
		"huge-resources.yaml:5:13: resources.vehicles: at most 100000, got 1000000000",
		"huge-resources.yaml:6:18: resources.investigators: at most 100000, got 1000000000",
	},
	"many-strategies.yaml": {"many-strategies.yaml:3:3: strategies: at most 20 strategies, got 21"},
	"two-documents.yaml":   {"two-documents.yaml:3:1: a second YAML document starts here; a scenario file holds one"},
	"imports-beyond-population.yaml": {
		"imports-beyond-population.yaml:4:12: imports.initial: must be at most the population (1000), got 1000000000000",
		"imports-beyond-population.yaml:5:9: imports.rate: must be at most the population (1000) per day, got 1e+12",
		"imports-beyond-population.yaml:6:32: imports.schedule[0].count: must be at most the population (1000), got 5000",
	},
}

// maxAlloc bounds the memory that reading any adversarial file may allocate in
// all (the deepest file, 100 KB of brackets, takes about 30 MB to lex).
const maxAlloc = 64 << 20

// allocated returns the bytes that f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestAdversarialScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/adversarial/*")
	require.NoError(t, err)
	require.Len(t, files, len(adversarial), "every adversarial file has its expected errors, and every expectation its file")
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			want, ok := adversarial[name]
			require.True(t, ok, "no expected error for %s", name)
			var err error
			bytes := allocated(func() { _, err = Load(path) })
			require.Error(t, err)
			msg := strings.ReplaceAll(err.Error(), "testdata/adversarial/", "")
			for _, w := range want {
				assert.Contains(t, msg, w)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				assert.Regexp(t, `^testdata/adversarial/`+regexpQuote(name)+`:\d+:\d+: \S`, line, "every line says where")
			}
			assert.Less(t, bytes, uint64(maxAlloc), "memory allocated to read %s", name)
		})
	}
	t.Run("50 MB file", func(t *testing.T) {
		// A sparse file: 50 MB long, nothing written. Load refuses it from its
		// size, without reading it.
		path := filepath.Join(t.TempDir(), "big.yaml")
		f, err := os.Create(path)
		require.NoError(t, err)
		_, err = f.WriteString("name: big\n")
		require.NoError(t, err)
		require.NoError(t, f.Truncate(50<<20))
		require.NoError(t, f.Close())
		bytes := allocated(func() { _, err = Load(path) })
		require.EqualError(t, err, path+":1:1: the file is 52428800 bytes, more than the limit of 524288 (512 KiB)")
		assert.Less(t, bytes, uint64(1<<20), "the file is not read")
		// The same bytes given to Parse are refused as quickly.
		_, err = Parse("big.yaml", make([]byte, 50<<20))
		require.EqualError(t, err, "big.yaml:1:1: the file is 52428800 bytes, more than the limit of 524288 (512 KiB)")
	})
	t.Run("too many tokens", func(t *testing.T) {
		// 12,000 areas written out: under 512 KiB and 36,000 brackets and
		// commas, but 108,000 tokens.
		var b strings.Builder
		b.WriteString("population:\n  areas:\n")
		for i := 0; i < 12_000; i++ {
			b.WriteString("    - {name: a, population: 1}\n")
		}
		require.Less(t, b.Len(), MaxFileSize)
		_, err := Parse("x.yaml", []byte(b.String()))
		require.Error(t, err)
		assert.Regexp(t, `^x\.yaml:\d+:\d+: the file has more than 50000 YAML tokens`, err.Error())
	})
}

// regexpQuote escapes the dots of a file name for a regular expression.
func regexpQuote(s string) string { return strings.ReplaceAll(s, ".", `\.`) }

func TestAliasesAndMerges(t *testing.T) {
	// Anchors, aliases and merge keys work as YAML defines them: an alias is
	// a copy of its anchor; in a merge, the mapping's own keys win, then the
	// first merged mapping that has the key.
	// A strategy that is an alias of another has its name: the error is
	// where that name is written.
	_, err := Parse("x.yaml", []byte("strategies:\n  - &fast {name: fast_lab, builtin: ninth_edition}\n  - *fast\n"))
	require.EqualError(t, err, `x.yaml:2:18: strategies[1].name: must be a unique, non-empty name, got "fast_lab"`)

	sc, err := Parse("x.yaml", []byte(`
strategies:
  - &fast {name: fast_lab, builtin: ninth_edition, testing: {lab: {instruments: 60, wells: 94, run_time: 3h}}}
  - <<: *fast
    name: mitigation_like
    builtin: mitigation
    testing: null
  - {<<: [{name: x, builtin: twenty_measures}, *fast], name: fastest}
`[1:]))
	require.NoError(t, err)
	require.Len(t, sc.Strategies, 3)
	assert.Equal(t, "fast_lab", sc.Strategies[0].Name)
	assert.Equal(t, 60, sc.Strategy(0).Testing.Lab.Instruments)
	assert.Equal(t, "mitigation_like", sc.Strategies[1].Name)
	assert.Equal(t, "mitigation", sc.Strategies[1].Builtin)
	assert.Equal(t, "fastest", sc.Strategies[2].Name)
	assert.Equal(t, "twenty_measures", sc.Strategies[2].Builtin, "the first merged mapping wins")
	assert.Equal(t, 60, sc.Strategy(2).Testing.Lab.Instruments, "what the first lacks comes from the second")
	tm, err := control.BuiltinStrategy("twenty_measures")
	require.NoError(t, err)
	assert.Equal(t, tm.Response.Quarantine, sc.Strategy(2).Response.Quarantine, "on top of its built-in strategy")

	// A whole number may be written as a float; a BOM is allowed; JSON is YAML.
	sc, err = Parse("x.yaml", []byte("\ufeff{\"population\": {\"areas\": [{\"name\": \"city\", \"population\": 1e6, \"communities\": 1e2}]}, \"strategies\": [{\"name\": \"mitigation\"}]}"))
	require.NoError(t, err)
	assert.Equal(t, 1_000_000, sc.Population.Areas[0].Population)
	assert.Equal(t, 100, sc.Population.Areas[0].Communities)
}

func TestSetAndGridLimits(t *testing.T) {
	sc, err := Parse("small.yaml", []byte(small))
	require.NoError(t, err)
	for _, c := range []struct{ path, value, want string }{
		{"replications", "2.5", "--set replications=2.5: replications: must be a whole number, got 2.5"},
		{"seed", "18446744073709551616", "seed: must be a whole number from 0 to 18446744073709551615"},
		{"population.layers.community", ".nan", "population.layers.community: must be a finite number, got .nan"},
		{"population.layers.community", "[&a [*a]]", "alias *a is inside its own anchor &a"},
		{"population.layers.community", strings.Repeat("[", 1000), "nested more than 64 levels deep"},
		{"horizon", "\xff", "invalid UTF-8"},
		{"replications", "", "--set replications=: no value"},
	} {
		err := sc.Set(c.path, c.value)
		if assert.Error(t, err, c.value) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
	assert.Equal(t, 3, sc.Replications, "a failed --set changes nothing")

	// A grid of 10^40 points is refused before it is built.
	var sets []string
	for i := 0; i < 10; i++ {
		sets = append(sets, "population.layers.community="+strings.Repeat("1,", 9999)+"1")
	}
	_, err = Grid(sets)
	require.EqualError(t, err, "a sweep of more than 10000 points (at --set population.layers.community)")
	points, err := Grid([]string{"replications=1,2,3,4", "seed=" + strings.Repeat("1,", 2499) + "1"})
	require.NoError(t, err)
	assert.Len(t, points, MaxSweepPoints)
}

func TestSiteLimitCountsCoveredAreas(t *testing.T) {
	// One site per person is fine for the 10,000 people of the old town, not
	// for the whole city of a million: sites are counted where a group has
	// them, as the model makes them (one per leaf area at least).
	file := func(dense string) []byte {
		return []byte(`population:
  areas:
    - {name: old, population: 10000}
    - {name: rest, population: 1000000, communities: 100}
resources:
  sites:
    - {name: community, people_per_site: 2000, swabs_per_hour: 200, open: 7h, close: 23h, pool: 10, pickup: 2h, travel: 1h}
    - {name: dense, ` + dense + `people_per_site: 1, swabs_per_hour: 200, open: 7h, close: 23h, pool: 10, pickup: 2h, travel: 1h}
strategies: [{name: ninth_edition}]
`)
	}
	sc, err := Parse("x.yaml", file("areas: [old], "))
	require.NoError(t, err)
	assert.Equal(t, 5+100*5, sitesOf(sc.Population.Areas, sc.Resources.Sites[0]), "10,000 people per community of the rest: 5 sites each")
	assert.Equal(t, 10_000, sitesOf(sc.Population.Areas, sc.Resources.Sites[1]))
	_, err = Parse("x.yaml", file(""))
	require.EqualError(t, err, "x.yaml:8:38: resources.sites[1].people_per_site: one site per 1 people makes 1010000 sites, more than 100000")
}
