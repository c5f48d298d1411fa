package doccheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// moduleRoot returns the directory of go.mod, above the test's directory.
func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// sourceFiles returns the module's non-test Go files, relative to root, in
// order; hidden and underscore folders, testdata and vendor are skipped, as the
// go tool skips them.
func sourceFiles(t *testing.T, root string) []string {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			if path != root {
				// A nested module is not ours.
				if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// undocumented returns a line "file:line: what Name" for every exported
// identifier of f without a doc comment.
func undocumented(fset *token.FileSet, f *ast.File) []string {
	var out []string
	report := func(pos token.Pos, what, name string) {
		p := fset.Position(pos)
		out = append(out, fmt.Sprintf("%s:%d: %s %s", p.Filename, p.Line, what, name))
	}
	var fields func(owner string, st *ast.StructType)
	fields = func(owner string, st *ast.StructType) {
		for _, fl := range st.Fields.List {
			names := fl.Names
			if len(names) == 0 { // embedded: the field is named after its type
				if id := embeddedName(fl.Type); id != nil {
					names = []*ast.Ident{id}
				}
			}
			for _, n := range names {
				if n.IsExported() && fl.Doc == nil && fl.Comment == nil {
					report(n.Pos(), "field", owner+"."+n.Name)
				}
			}
			if inner, ok := fl.Type.(*ast.StructType); ok && len(fl.Names) > 0 && fl.Names[0].IsExported() {
				fields(owner+"."+fl.Names[0].Name, inner)
			}
		}
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				recv := receiverName(d.Recv.List[0].Type)
				if !ast.IsExported(recv) {
					continue
				}
				name = recv + "." + name
			}
			if d.Doc == nil {
				what := "function"
				if d.Recv != nil {
					what = "method"
				}
				report(d.Name.Pos(), what, name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					// A group's comment documents a type only when it is the
					// group's one member, as go doc shows it.
					if s.Doc == nil && s.Comment == nil && (d.Doc == nil || len(d.Specs) > 1) {
						report(s.Name.Pos(), "type", s.Name.Name)
					}
					switch tt := s.Type.(type) {
					case *ast.StructType:
						fields(s.Name.Name, tt)
					case *ast.InterfaceType:
						for _, m := range tt.Methods.List {
							for _, n := range m.Names {
								if n.IsExported() && m.Doc == nil && m.Comment == nil {
									report(n.Pos(), "interface method", s.Name.Name+"."+n.Name)
								}
							}
						}
					}
				case *ast.ValueSpec:
					what := "variable"
					if d.Tok == token.CONST {
						what = "constant"
					}
					for _, n := range s.Names {
						if n.IsExported() && s.Doc == nil && s.Comment == nil && d.Doc == nil {
							report(n.Pos(), what, n.Name)
						}
					}
				}
			}
		}
	}
	return out
}

// embeddedName returns the identifier an embedded field is named by.
func embeddedName(x ast.Expr) *ast.Ident {
	switch t := x.(type) {
	case *ast.Ident:
		return t
	case *ast.StarExpr:
		return embeddedName(t.X)
	case *ast.SelectorExpr:
		return t.Sel
	case *ast.IndexExpr:
		return embeddedName(t.X)
	case *ast.IndexListExpr:
		return embeddedName(t.X)
	}
	return nil
}

// receiverName returns the name of a method's receiver type.
func receiverName(x ast.Expr) string {
	if id := embeddedName(x); id != nil {
		return id.Name
	}
	return ""
}

// TestEveryExportedIdentifierIsDocumented fails listing every exported
// identifier of the module without a doc comment.
func TestEveryExportedIdentifierIsDocumented(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	var missing []string
	files := sourceFiles(t, root)
	for _, rel := range files {
		src, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, rel, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%v", err)
		}
		if ast.IsGenerated(f) {
			continue
		}
		missing = append(missing, undocumented(fset, f)...)
	}
	if len(files) < 20 {
		t.Fatalf("found only %d Go files under %s: the walk is broken", len(files), root)
	}
	if len(missing) > 0 {
		t.Errorf("%d exported identifiers without a doc comment:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

// The check finds each kind of undocumented identifier, and accepts each way
// of documenting one.
func TestUndocumentedFindsEachKind(t *testing.T) {
	const src = `package p

// Documented is documented.
type Documented struct {
	// A has its own comment.
	A int
	B int // B has a line comment.
	C, D int // C and D share one.
	E int
	e int
	Inner struct {
		F int
	}
	Embedded
}

type Bare struct{ X int }

type (
	// G1 is documented in a group of its own.
	G1 int
	G2 int
)

// Grouped values share the group's comment.
const (
	K1 = 1
	K2 = 2
)

const Lone = 3

var V = 4 // V has a line comment.

var W = 5

// Doer does.
type Doer interface {
	// Do is documented.
	Do()
	Undone()
}

// M is documented.
func (Documented) M() {}

func (Documented) N() {}

func (hidden) N() {}

func F() {}

// Embedded is embedded.
type Embedded struct{}

type hidden struct{ Z int }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	got := undocumented(fset, f)
	want := []string{
		"p.go:9: field Documented.E",
		"p.go:11: field Documented.Inner",
		"p.go:12: field Documented.Inner.F",
		"p.go:14: field Documented.Embedded",
		"p.go:17: type Bare",
		"p.go:17: field Bare.X",
		"p.go:22: type G2",
		"p.go:31: constant Lone",
		"p.go:35: variable W",
		"p.go:41: interface method Doer.Undone",
		"p.go:47: method Documented.N",
		"p.go:51: function F",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
