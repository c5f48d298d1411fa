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
//
// A path under resources changes the city's means as if the file said so:
// every strategy that takes them from the city gets the new value (one that
// sets its own keeps it).
func (s *Scenario) Set(path, value string) error {
	if path == "resources" || strings.HasPrefix(path, "resources.") {
		return s.setResources(path, value)
	}
	if err := s.setValue(path, value); err != nil {
		return err
	}
	s.sets = append(s.sets, path+"="+value)
	return nil
}

// setResources sets a field of the city's resources: the file is read again
// with every resources field set so far set before the strategies are built,
// then the other fields set so far are set again.
func (s *Scenario) setResources(path, value string) error {
	if s.source == nil {
		return fmt.Errorf("--set %s: the resources of a scenario not read from a file cannot be changed; set the strategies' own fields", path)
	}
	sets := append(s.Sets(), path+"="+value)
	isRes := func(p string) bool { return p == "resources" || strings.HasPrefix(p, "resources.") }
	n, err := parse(s.file, s.source, func(n *Scenario) error {
		for _, set := range sets {
			if p, v, _ := strings.Cut(set, "="); isRes(p) {
				if err := n.decodeValue(p, v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("--set %s=%s: %w", path, value, err)
	}
	for _, set := range s.sets {
		if p, v, _ := strings.Cut(set, "="); !isRes(p) {
			if err := n.setValue(p, v); err != nil {
				return err
			}
		}
	}
	n.sets = sets
	*s = *n
	return nil
}

// setValue sets the field at path to value and checks the scenario; a change
// that does not validate is not kept.
func (s *Scenario) setValue(path, value string) error {
	v, err := s.decodeTo(path, value)
	if err != nil {
		return err
	}
	old := reflect.New(v.field.Type()).Elem()
	old.Set(v.field)
	v.field.Set(v.value)
	if err := s.validate(); err != nil {
		v.field.Set(old)
		return fmt.Errorf("--set %s=%s: %w", path, value, err)
	}
	return nil
}

// decodeValue sets the field at path to value without checking the scenario.
func (s *Scenario) decodeValue(path, value string) error {
	v, err := s.decodeTo(path, value)
	if err != nil {
		return err
	}
	v.field.Set(v.value)
	return nil
}

// fieldValue is a field of the scenario and a new value for it.
type fieldValue struct{ field, value reflect.Value }

// decodeTo finds the field at path and reads value for it, as a scenario file
// is read.
func (s *Scenario) decodeTo(path, value string) (fieldValue, error) {
	v, err := s.field(path)
	if err != nil {
		return fieldValue{}, fmt.Errorf("--set %w", err)
	}
	// The value is read as a scenario file is, within the same limits.
	_, body, err := parseYAML("--set "+path, []byte(value))
	if err != nil {
		return fieldValue{}, err
	}
	if body == nil {
		return fieldValue{}, fmt.Errorf("--set %s=%s: no value", path, value)
	}
	fc := &fieldChecker{}
	fc.check(body, v.Type(), path)
	if err := fc.err(); err != nil {
		return fieldValue{}, fmt.Errorf("--set %s=%s: %w", path, value, err)
	}
	ptr := reflect.New(v.Type())
	ptr.Elem().Set(v)
	if err := decode("--set "+path, body, ptr.Interface()); err != nil {
		return fieldValue{}, fmt.Errorf("--set %s=%s: %s", path, value, strings.SplitN(err.Error(), "\n", 2)[0])
	}
	return fieldValue{v, ptr.Elem()}, nil
}

// field returns the field at a path of the scenario; errors start with the path.
func (s *Scenario) field(path string) (reflect.Value, error) {
	v := reflect.ValueOf(s).Elem()
	for _, part := range splitPath(path) {
		if part.name != "" {
			f, ok := fieldByTag(v, part.name)
			if !ok {
				if v.Kind() == reflect.Struct {
					if near := suggest(part.name, fieldNames(v.Type())); near != "" {
						return reflect.Value{}, fmt.Errorf("%s: no field %q (did you mean %q?)", path, part.name, near)
					}
				}
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
