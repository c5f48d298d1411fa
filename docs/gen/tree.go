package main

import (
	"reflect"
	"strings"

	"github.com/epiplan/epiplan/sim"
)

// section is a struct type of the scenario format, with the YAML paths where it
// appears ("strategies[].testing.sites[]"; "[]" marks the elements of a list).
type section struct {
	typ    reflect.Type
	name   string // "model.Layers"
	paths  []string
	fields []*field
}

// field is a field of a section.
type field struct {
	goName string
	yaml   string
	typ    reflect.Type
	key    string   // "model.Layers.HouseholdSAR"
	sec    *section // the section of its (element) type, if it is a struct
}

// anchor is the HTML id of the section's heading.
func (s *section) anchor() string {
	return strings.ToLower(strings.ReplaceAll(s.name, ".", "-"))
}

// path returns the first YAML path of field f of s.
func (s *section) path(f *field) string {
	if s.paths[0] == "" {
		return f.yaml
	}
	return s.paths[0] + "." + f.yaml
}

var (
	durationType = reflect.TypeOf(sim.Duration(0))
	timeType     = reflect.TypeOf(sim.Time(0))
	distType     = reflect.TypeOf(sim.Dist{})
)

// elem strips pointers and slices from t.
func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

// typeName returns "pkg.Name" for a named type.
func typeName(t reflect.Type) string {
	p := t.PkgPath()
	return p[strings.LastIndex(p, "/")+1:] + "." + t.Name()
}

// isSection reports whether values of type t are a section of their own: a
// struct of ours other than a value type of package sim.
func isSection(t reflect.Type) bool {
	t = elem(t)
	return t.Kind() == reflect.Struct && t != distType && t.PkgPath() != ""
}

// yamlName returns the yaml name of a struct field ("" if it has none).
func yamlName(f reflect.StructField) string {
	name := strings.Split(f.Tag.Get("yaml"), ",")[0]
	if !f.IsExported() || name == "-" {
		return ""
	}
	return name
}

// tree is the scenario format: its sections in the order a depth-first walk
// from the top meets them, and every struct type by name.
type tree struct {
	sections []*section
	byName   map[string]*section
	types    map[string]reflect.Type
}

// newTree walks the scenario type top. The sections are then put in the
// order of their primary paths (see primaryPath), so that each comes under
// the part of the file it is shown for.
func newTree(top reflect.Type) *tree {
	tr := &tree{byName: map[string]*section{}, types: map[string]reflect.Type{}}
	tr.visit(top, "")
	var order []*section
	placed := map[*section]bool{}
	var place func(s *section, path string)
	place = func(s *section, path string) {
		if placed[s] || primaryPath(s) != path {
			return
		}
		placed[s] = true
		order = append(order, s)
		for _, f := range s.fields {
			if f.sec != nil {
				place(f.sec, joinPath(path, f.yaml, f.typ))
			}
		}
	}
	place(tr.sections[0], "")
	if len(order) != len(tr.sections) {
		panic("gen: a section is not under its primary path")
	}
	tr.sections = order
	return tr
}

// joinPath returns the path of a field of type t named name under path.
func joinPath(path, name string, t reflect.Type) string {
	if path != "" {
		name = path + "." + name
	}
	if t.Kind() == reflect.Slice {
		name += "[]"
	}
	return name
}

func (tr *tree) visit(t reflect.Type, path string) *section {
	t = elem(t)
	name := typeName(t)
	if s, ok := tr.byName[name]; ok {
		s.paths = append(s.paths, path)
		return s
	}
	s := &section{typ: t, name: name, paths: []string{path}}
	tr.byName[name] = s
	tr.types[name] = t
	tr.sections = append(tr.sections, s)
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		y := yamlName(sf)
		if y == "" {
			continue
		}
		f := &field{goName: sf.Name, yaml: y, typ: sf.Type, key: name + "." + sf.Name}
		s.fields = append(s.fields, f)
		if isSection(sf.Type) {
			f.sec = tr.visit(sf.Type, joinPath(path, y, sf.Type))
		}
	}
	return s
}

// valueAt returns the value at a YAML path of v, where "[]" takes element
// index of the first list met (other lists: element 0); ok is false if the path
// passes through a nil pointer or an empty list.
func valueAt(v reflect.Value, path string, index int) (reflect.Value, bool) {
	first := true
	for _, part := range strings.Split(path, ".") {
		list := strings.HasSuffix(part, "[]")
		part = strings.TrimSuffix(part, "[]")
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return v, false
			}
			v = v.Elem()
		}
		found := false
		for i := 0; i < v.NumField(); i++ {
			if yamlName(v.Type().Field(i)) == part {
				v, found = v.Field(i), true
				break
			}
		}
		if !found {
			return v, false
		}
		if list {
			i := 0
			if first {
				i = index
				first = false
			}
			if v.Len() <= i {
				return v, false
			}
			v = v.Index(i)
		}
	}
	return v, true
}
