package scenarios

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

// Set sets the field at a path of the scenario ("population.layers.community",
// "strategies[1].response.tracing.find.community", "resources.lab.instruments")
// to a value written as in a scenario file, and checks the scenario again.
func (s *Scenario) Set(path, value string) error {
	v, err := s.field(path)
	if err != nil {
		return fmt.Errorf("--set %w", err)
	}
	ptr := reflect.New(v.Type())
	ptr.Elem().Set(v)
	if err := yaml.UnmarshalWithOptions([]byte(value), ptr.Interface(), yaml.Strict()); err != nil {
		return fmt.Errorf("--set %s=%s: %s", path, value, strings.SplitN(err.Error(), "\n", 2)[0])
	}
	v.Set(ptr.Elem())
	if err := s.validate(); err != nil {
		return fmt.Errorf("--set %s=%s: %w", path, value, err)
	}
	return nil
}

// field returns the field at a path of the scenario; errors start with the path.
func (s *Scenario) field(path string) (reflect.Value, error) {
	v := reflect.ValueOf(s).Elem()
	for _, part := range splitPath(path) {
		if part.name != "" {
			f, ok := fieldByTag(v, part.name)
			if !ok {
				return reflect.Value{}, fmt.Errorf("%s: no field %q", path, part.name)
			}
			v = f
			if v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return reflect.Value{}, fmt.Errorf("%s: %s is not set in this scenario", path, part.name)
				}
				v = v.Elem()
			}
		}
		if part.index >= 0 {
			if v.Kind() != reflect.Slice || part.index >= v.Len() {
				return reflect.Value{}, fmt.Errorf("%s: no element %d", path, part.index)
			}
			v = v.Index(part.index)
		}
	}
	return v, nil
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
	Paths, Values []string
}

// Grid returns every combination of the values given for each path, as written
// on the command line ("path=v1,v2,v3"), in order, the last path varying fastest.
func Grid(sets []string) ([]Point, error) {
	points := []Point{{}}
	for _, set := range sets {
		path, vals, ok := strings.Cut(set, "=")
		if !ok || path == "" || vals == "" {
			return nil, fmt.Errorf("--set %q: want path=value[,value…]", set)
		}
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
	if len(points) > MaxSweepPoints {
		return nil, fmt.Errorf("a sweep of %d points is more than %d", len(points), MaxSweepPoints)
	}
	return points, nil
}

// MaxSweepPoints bounds the size of a sweep.
const MaxSweepPoints = 10_000
