package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

func root(t *testing.T) string {
	r, err := moduleRoot()
	require.NoError(t, err)
	return r
}

// The committed pages are what gen writes: a change to a field, its comment,
// its default or its source must come with `go run ./docs/gen`.
func TestPagesAreUpToDate(t *testing.T) {
	r := root(t)
	pages, err := generate(r)
	require.NoError(t, err)
	for name, want := range pages {
		got, err := os.ReadFile(filepath.Join(r, "docs", name))
		require.NoError(t, err, "docs/%s: run go run ./docs/gen", name)
		if !bytes.Equal(got, want) {
			gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
			i := 0
			for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
				i++
			}
			line := func(ls []string) string {
				if i < len(ls) {
					return ls[i]
				}
				return "(end of page)"
			}
			t.Errorf("docs/%s is out of date: run go run ./docs/gen\nline %d is\n\t%s\nand should be\n\t%s", name, i+1, line(gl), line(wl))
		}
	}
}

// Every field of the format has its unit and valid values in fields.go, and
// fields.go names no field that is gone.
func TestEveryFieldHasInfo(t *testing.T) {
	tr := newTree(reflect.TypeOf(scenarios.Scenario{}))
	seen := map[string]bool{}
	for _, s := range tr.sections {
		for _, f := range s.fields {
			seen[f.key] = true
			if f.sec != nil && f.typ.Kind() == reflect.Struct {
				continue // a section of its own
			}
			in, ok := infos[f.key]
			if assert.True(t, ok, "fields.go has no entry for %s (%s)", f.key, s.path(f)) {
				assert.NotEmpty(t, in.valid, "%s: valid values", f.key)
			}
		}
	}
	for key := range infos {
		assert.True(t, seen[key], "fields.go names %s, which is not a field of the format", key)
	}
	// The walk finds every part of the file, each once.
	assert.Len(t, tr.sections, 32)
	assert.Equal(t, []string{"population.areas[]", "population.areas[].children[]"}, tr.byName["model.Area"].paths)
	assert.Equal(t, "strategies[].response.quarantine", primaryPath(tr.byName["control.QuarantineConfig"]))
	assert.Equal(t, "strategies[].testing.lab", primaryPath(tr.byName["control.LabConfig"]))
}

// The comments beside the default values are found and given to the right
// fields: a comment above a value, a comment carried over consecutive
// one-line values, a comment at the end of a line, a comment on a statement,
// and none given across a multi-line value.
func TestSourcesOfTheDefaults(t *testing.T) {
	tr := newTree(reflect.TypeOf(scenarios.Scenario{}))
	c, err := readComments(root(t), module, []string{module + "/sim", module + "/model", module + "/control", module + "/scenarios"}, tr.types)
	require.NoError(t, err)
	has := func(key, where, via, part string) {
		t.Helper()
		for _, s := range c.sources[key] {
			if s.where == where && s.via == via && strings.Contains(s.text, part) {
				return
			}
		}
		t.Errorf("%s has no source %q (where %q, via %q): %+v", key, part, where, via, c.sources[key])
	}
	has("model.Layers.HouseholdSAR", "", "", "Madewell")
	has("model.Layers.CityWithinDistrict", "", "", "Community, city and group strengths")
	has("model.Population.HouseholdSize", "", "", "family households by size")
	has("model.Disease.OnsetToSevere", "", "", "[A]")
	has("model.Infectiousness.Dispersion", "", "", "k = 0.33")
	has("control.LabConfig.Instruments", "control.DefaultTesting", "", "51.65 million")
	has("control.TestKind.LoD", "", "", "Larremore")
	has("control.SymptomaticTesting.Probability", "ninth_edition, twenty_measures", "symptomatic", "Everyone with fever")
	has("control.ZonesConfig.HighDays", "ninth_edition", "zones", "高风险区连续7天无新增感染者")
	has("control.QuarantineConfig.Home", "ninth_edition", "second_ring", "Contacts of close contacts")
	has("control.IsolationConfig.Stay", "mitigation", "", "Home isolation of 7 days")
	// Nothing crosses a value written over several lines.
	assert.Empty(t, c.sources["model.Population.Layers"], "the census comment of household_size")
	assert.Empty(t, c.sources["model.Disease.Infectiousness"], "the [A] at the end of severe_to_outcome's line")
	assert.Empty(t, c.sources["control.ResponseConfig.Zones"], "the second ring's comment")
	for _, s := range c.sources["model.Disease.OnsetToSevere"] {
		assert.NotContains(t, s.text, "Shedding", "asymptomatic's comment stops at a line with its own")
	}
	assert.Contains(t, c.fields["model.Layers.HouseholdSAR"], "secondary attack rate")
	assert.Contains(t, c.types["control.ZonesConfig"], "risk zones")
	assert.Contains(t, distForms(c), "gamma(mean=3.8, sd=2.1)")
}

// The example of the page is a valid scenario and means what its comments say.
func TestExampleIsValid(t *testing.T) {
	sc, err := scenarios.Parse("example.yaml", []byte(example))
	require.NoError(t, err)
	require.Len(t, sc.Strategies, 3)
	ninth, short, full := sc.Strategies[0], sc.Strategies[1], sc.Strategies[2]
	assert.EqualValues(t, 7, ninth.Response.Quarantine.Centralized)
	assert.EqualValues(t, 5, short.Response.Quarantine.Centralized, "changed")
	assert.Equal(t, ninth.Response.Tracing, short.Response.Tracing, "the rest of the ninth edition")
	assert.Equal(t, ninth.Testing.Mass, short.Testing.Mass)
	assert.Equal(t, 100, short.Response.Tracing.Investigators, "the city's investigators")
	assert.False(t, full.Response.Tracing.Enabled, "a strategy in full has only what is written")
	assert.Empty(t, full.Testing.Mass)
	assert.Len(t, full.Testing.Screening, 1)
	assert.Equal(t, 2000, full.Response.Quarantine.Rooms, "the city's rooms, as for every strategy with a response")
	assert.InDelta(t, 2.65, sc.Disease.Latent.Mean(), 1e-9)
	assert.Equal(t, model.DefaultConfig().Disease.Presymptomatic, sc.Disease.Presymptomatic, "left out: the default")
}

// Every distribution the page writes reads back as the same distribution.
func TestDistributionsReadBack(t *testing.T) {
	def, err := scenarios.Parse("defaults", []byte(defaultsFile))
	require.NoError(t, err)
	n := 0
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch {
		case v.Type() == distType:
			d := v.Interface().(sim.Dist)
			if d.Family == 0 {
				return
			}
			n++
			text := formatDist(d)
			back, err := sim.ParseDist(text)
			require.NoError(t, err, "%s: %s", path, text)
			assert.Equal(t, d.Family, back.Family, path)
			assert.InEpsilon(t, d.Mean(), back.Mean(), 1e-5, "%s: %s", path, text)
			return
		case v.Kind() == reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case v.Kind() == reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case v.Kind() == reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), path+"."+v.Type().Field(i).Name)
				}
			}
		}
	}
	walk(reflect.ValueOf(def).Elem(), "")
	assert.Greater(t, n, 20, "distributions checked")
}

// probeFile has every part of the format in use, so that every field's
// validation runs.
const probeFile = `
population:
  areas:
    - {name: a, population: 200000}
    - {name: b, children: [{name: b1, population: 20000}, {name: b2, population: 30000}]}
imports:
  schedule: [{time: 5d, count: 2, area: a}]
resources:
  sites: [{name: community, people_per_site: 2000, swabs_per_hour: 200, open: 7h, close: 23h, pool: 10, pickup: 2h, travel: 1h}]
  lab: {instruments: 10, wells: 94, run_time: 3h, max_wait: 1h}
  investigators: 10
  cases_per_day: 3
  vehicles: 5
  isolation_beds: 100
  hospital_beds: 10
  quarantine_rooms: 100
strategies:
  - name: probe
    builtin: ninth_edition
    testing:
      screening: [{name: workers, group: work, every: 2d, sites: community}]
      entry: {probability: 0.5}
    response:
      static: {enabled: true, detections: 5, within_days: 3d, contacts: 0.5, lift_after: 7d}
`

// boundDependsOnOthers are the fields whose bounds are not always valid: the
// other conditions of their valid values decide.
var boundDependsOnOthers = map[string]string{
	"scenarios.Resources.CasesPerDay": "0 only without investigators",
	"control.MassTesting.Every":       "0 only for a single round",
	"control.SiteGroup.PeoplePerSite": "at most 100,000 sites in all (scenarios.MaxSites)",
}

// rangeRE reads the range at the start of a field's valid values.
var rangeRE = regexp.MustCompile(`^(?:([\[(])([^,]+), ([^\])]+)([\])])|(≥|>) (\S+)|(\S+) to (\S+))$`)

// A value just outside the range fields.go gives is rejected by the
// validation, at the field's path, and a value at a closed bound (or just
// inside an open one) is not: the page's valid values are the ones the code
// enforces.
func TestValidRangesAreEnforced(t *testing.T) {
	tr := newTree(reflect.TypeOf(scenarios.Scenario{}))
	probes := 0
	for _, s := range tr.sections {
		base := strings.ReplaceAll(primaryPath(s), "[]", "[0]")
		for _, f := range s.fields {
			in := infos[f.key]
			spec := strings.SplitN(in.valid, ";", 2)[0]
			m := rangeRE.FindStringSubmatch(spec)
			if m == nil {
				continue
			}
			path := f.yaml
			if base != "" {
				path = base + "." + f.yaml
			}
			// Values just outside the range, and the bounds (or just inside an
			// open bound).
			var outside, inside []string
			switch {
			case m[1] != "": // [a, b], [a, b), (a, b]
				if m[1] == "(" {
					outside = append(outside, m[2])
					inside = append(inside, above(t, f.typ, m[2]))
				} else {
					outside = append(outside, below(t, f.typ, m[2]))
					inside = append(inside, m[2])
				}
				if m[4] == ")" {
					outside = append(outside, m[3])
					inside = append(inside, below(t, f.typ, m[3]))
				} else {
					outside = append(outside, above(t, f.typ, m[3]))
					inside = append(inside, m[3])
				}
			case m[5] == ">":
				outside = append(outside, m[6])
				inside = append(inside, above(t, f.typ, m[6]))
			case m[5] == "≥":
				outside = append(outside, below(t, f.typ, m[6]))
				inside = append(inside, m[6])
			default: // a to b
				outside = append(outside, below(t, f.typ, m[7]), above(t, f.typ, m[8]))
				inside = append(inside, m[7], m[8])
			}
			for _, v := range outside {
				if v == "" {
					continue // below 0 cannot be written for this type
				}
				sc, err := scenarios.Parse("probe.yaml", []byte(probeFile))
				require.NoError(t, err)
				probes++
				err = sc.Set(path, v)
				if assert.Error(t, err, "%s=%s is outside %q but accepted", path, v, spec) {
					assert.Contains(t, err.Error(), ": "+path+": ", "%s=%s: rejected, but not by the validation of the field", path, v)
				}
			}
			for _, v := range inside {
				if _, ok := boundDependsOnOthers[f.key]; ok {
					continue
				}
				sc, err := scenarios.Parse("probe.yaml", []byte(probeFile))
				require.NoError(t, err)
				probes++
				// Another field may object (shares that no longer sum to 1),
				// but not the field's own check.
				if err := sc.Set(path, v); err != nil {
					assert.NotContains(t, err.Error(), ": "+path+": ", "%s=%s is inside %q but rejected", path, v, spec)
				}
			}
		}
	}
	t.Logf("%d values probed", probes)
	assert.Greater(t, probes, 180)
}

// below returns a value just below the bound b, written for type t ("" when
// it cannot be written: no negative durations, times or unsigned integers).
func below(t *testing.T, typ reflect.Type, b string) string {
	return step(t, typ, b, -1)
}

func above(t *testing.T, typ reflect.Type, b string) string {
	return step(t, typ, b, +1)
}

func step(t *testing.T, typ reflect.Type, b string, sign float64) string {
	t.Helper()
	switch typ {
	case durationType, timeType:
		d, err := sim.ParseDuration(b)
		require.NoError(t, err, b)
		v := float64(d) + sign*0.5
		if v < 0 {
			return ""
		}
		return sim.Duration(v).String()
	}
	x, err := strconv.ParseFloat(b, 64)
	require.NoError(t, err, b)
	switch typ.Kind() {
	case reflect.Int:
		return strconv.Itoa(int(x + sign))
	case reflect.Uint64:
		if x+sign < 0 {
			return ""
		}
		return strconv.FormatUint(uint64(x+sign), 10)
	case reflect.Float64:
		return strconv.FormatFloat(x+sign*0.5*math.Max(1, math.Abs(x)/10), 'g', -1, 64)
	}
	t.Fatalf("no probe for type %v", typ)
	return ""
}
