package scenarios

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// Set sets the field at a path of the scenario ("population.layers.community",
// "strategies[1].response.tracing.find.community", "resources.lab.instruments")
// to a value written as in a scenario file, and checks the scenario again.
func (s *Scenario) Set(path, value string) error {
	v := reflect.ValueOf(s).Elem()
	for _, part := range splitPath(path) {
		if part.name != "" {
			f, ok := fieldByTag(v, part.name)
			if !ok {
				return fmt.Errorf("--set %s: no field %q", path, part.name)
			}
			v = f
			if v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return fmt.Errorf("--set %s: %s is not set in this scenario", path, part.name)
				}
				v = v.Elem()
			}
		}
		if part.index >= 0 {
			if v.Kind() != reflect.Slice || part.index >= v.Len() {
				return fmt.Errorf("--set %s: no element %d", path, part.index)
			}
			v = v.Index(part.index)
		}
	}
	// The value is read as a scenario file is, within the same limits.
	_, body, err := parseYAML("--set "+path, []byte(value))
	if err != nil {
		return err
	}
	if body == nil {
		return fmt.Errorf("--set %s=%s: no value", path, value)
	}
	fc := &fieldChecker{}
	fc.check(body, v.Type(), path)
	if err := fc.err(); err != nil {
		return fmt.Errorf("--set %s=%s: %w", path, value, err)
	}
	ptr := reflect.New(v.Type())
	ptr.Elem().Set(v)
	if err := decode("--set "+path, body, ptr.Interface()); err != nil {
		return fmt.Errorf("--set %s=%s: %s", path, value, strings.SplitN(err.Error(), "\n", 2)[0])
	}
	old := reflect.New(v.Type()).Elem()
	old.Set(v)
	v.Set(ptr.Elem())
	if err := s.validate(); err != nil {
		v.Set(old) // a change that does not validate is not kept
		return fmt.Errorf("--set %s=%s: %w", path, value, err)
	}
	s.sets = append(s.sets, path+"="+value)
	return nil
}

type pathPart struct {
	name  string
	index int // -1: none
}

var partRE = regexp.MustCompile(`^([a-z0-9_]*)(?:\[(\d+)\])?$`)

// splitPath cuts "a.b[2].c" into its parts.
func splitPath(path string) []pathPart {
	var out []pathPart
	for _, p := range strings.Split(path, ".") {
		m := partRE.FindStringSubmatch(p)
		if m == nil {
			out = append(out, pathPart{name: p, index: -1})
			continue
		}
		i := -1
		if m[2] != "" {
			i, _ = strconv.Atoi(m[2])
		}
		out = append(out, pathPart{name: m[1], index: i})
	}
	return out
}

// fieldByTag returns the field of struct v whose yaml name is name.
func fieldByTag(v reflect.Value, name string) (reflect.Value, bool) {
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag == name && t.Field(i).IsExported() {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// Point is one point of a sweep: a value for each swept path.
type Point struct {
	Paths  []string // the fields swept, as given to --set ("strategies[0].testing.lab.instruments")
	Values []string // the value of each path at this point, as written in a file
}

// Grid returns every combination of the values given for each path, as written
// on the command line ("path=v1,v2,v3"), in order, the last path varying fastest.
func Grid(sets []string) ([]Point, error) {
	// Count the points before making them: a few --set flags of many values
	// each multiply to more than memory holds.
	n := 1
	for _, set := range sets {
		path, vals, ok := strings.Cut(set, "=")
		if !ok || path == "" || vals == "" {
			return nil, fmt.Errorf("--set %q: want path=value[,value…]", set)
		}
		if n *= strings.Count(vals, ",") + 1; n > MaxSweepPoints {
			return nil, fmt.Errorf("a sweep of more than %d points (at --set %s)", MaxSweepPoints, path)
		}
	}
	points := []Point{{}}
	for _, set := range sets {
		path, vals, _ := strings.Cut(set, "=")
		var next []Point
		for _, p := range points {
			for _, v := range strings.Split(vals, ",") {
				next = append(next, Point{
					Paths:  append(append([]string(nil), p.Paths...), path),
					Values: append(append([]string(nil), p.Values...), strings.TrimSpace(v)),
				})
			}
		}
		points = next
	}
	return points, nil
}

// MaxSweepPoints bounds the size of a sweep.
const MaxSweepPoints = 10_000
