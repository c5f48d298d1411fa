package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
)

// source is the source of a default value: the comment written beside it in the
// code, and which defaults it belongs to (a built-in strategy, or "" for the
// defaults of every scenario).
type source struct {
	where string
	via   string // the field a statement set, when the value came through it
	text  string
}

// comments holds what the Go source says of the scenario's types: the doc
// comment of each type ("model.Layers") and of each field
// ("model.Layers.HouseholdSAR"), and the comments beside default values.
type comments struct {
	types   map[string]string
	fields  map[string]string
	funcs   map[string]string // raw doc comments of functions ("sim.ParseDist")
	sources map[string][]source
}

// defaultFuncs are the functions (and variables) of packages model and control that set
// default values, with the defaults they set.
var defaultFuncs = map[string]string{
	"DefaultConfig":    "",
	"DefaultTesting":   "control.DefaultTesting",
	"DefaultViralLoad": "",
	"PCR":              "",
	"dynamicZero":      "ninth_edition, twenty_measures",
	"Mitigation":       "mitigation",
	"NinthEdition":     "ninth_edition",
	"TwentyMeasures":   "twenty_measures",
}

// readComments parses the non-test Go files of the packages pkgs (import paths
// under module, found under root) and collects their comments; types maps a
// type's name to its reflect.Type, to resolve elided composite literals.
func readComments(root, module string, pkgs []string, types map[string]reflect.Type) (*comments, error) {
	c := &comments{types: map[string]string{}, fields: map[string]string{}, funcs: map[string]string{}, sources: map[string][]source{}}
	for _, pkg := range pkgs {
		dir := filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		name := pkg[strings.LastIndex(pkg, "/")+1:]
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				return nil, err
			}
			c.readDecls(name, f)
			if name == "model" || name == "control" {
				g := &gatherer{c: c, fset: fset, file: f, types: types, pkg: name}
				g.walk()
			}
		}
	}
	return c, nil
}

// readDecls records the doc comments of the types and struct fields of f.
func (c *comments) readDecls(pkg string, f *ast.File) {
	for _, decl := range f.Decls {
		if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Doc != nil {
			c.funcs[pkg+"."+fd.Name.Name] = fd.Doc.Text()
		}
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			doc := ts.Doc
			if doc == nil && len(gd.Specs) == 1 {
				doc = gd.Doc
			}
			key := pkg + "." + ts.Name.Name
			c.types[key] = text(doc)
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, fl := range st.Fields.List {
				doc := fl.Doc
				if doc == nil {
					doc = fl.Comment
				}
				for _, n := range fl.Names {
					c.fields[key+"."+n.Name] = text(doc)
				}
			}
		}
	}
}

// text returns a comment as one paragraph of plain text: lines joined with a
// space (a word cut at the end of a line by a hyphen is joined again).
func text(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(cg.Text()), "\n")
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if i > 0 && b.Len() > 0 {
			prev := b.String()
			if n := len(prev); n >= 2 && prev[n-1] == '-' && isLetter(prev[n-2]) && isLetter(l[0]) {
				b.Reset()
				b.WriteString(prev[:n-1])
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// gatherer walks the default functions of one file of package model and
// records, for each field they set, the comments written above the value (or
// after it on its line). A comment above a run of consecutive one-line values
// (or statements) applies to each of them; a comment on a struct value applies to the fields
// inside it that have none of their own.
type gatherer struct {
	c     *comments
	fset  *token.FileSet
	file  *ast.File
	types map[string]reflect.Type
	pkg   string // the package of the file: "model" or "control"
	where string
	via   string
}

func (g *gatherer) walk() {
	for _, decl := range g.file.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			where, ok := defaultFuncs[d.Name.Name]
			if !ok || d.Body == nil || d.Recv != nil {
				continue
			}
			g.where = where
			g.block(d.Body.List, d.Body.Lbrace)
		case *ast.GenDecl:
			if d.Tok != token.VAR {
				continue
			}
			for _, spec := range d.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					where, ok := defaultFuncs[n.Name]
					if !ok || i >= len(vs.Values) {
						continue
					}
					g.where = where
					var inherited []string
					for _, cg := range []*ast.CommentGroup{d.Doc, vs.Doc} {
						if t := text(cg); t != "" {
							inherited = append(inherited, t)
						}
					}
					g.expr(vs.Values[i], "", inherited, "")
				}
			}
		}
	}
}

func (g *gatherer) line(p token.Pos) int { return g.fset.Position(p).Line }

// commentsAt returns the comment that ends on the line above n (and starts on
// a line of its own after from), and the comment on n's last line after it.
func (g *gatherer) commentsAt(n ast.Node, from token.Pos) (above, trailing *ast.CommentGroup) {
	start, end := g.line(n.Pos()), g.line(n.End())
	for _, cg := range g.file.Comments {
		switch {
		case cg.Pos() > from && g.line(cg.Pos()) > g.line(from) && cg.End() < n.Pos() && g.line(cg.End()) == start-1:
			above = cg
		case cg.Pos() >= n.End() && g.line(cg.Pos()) == end:
			if trailing == nil {
				trailing = cg
			}
		}
	}
	return above, trailing
}

// run applies the rule of consecutive lines to a list of nodes (statements or
// the elements of a composite literal): it calls fn for each with its comments.
func (g *gatherer) run(nodes []ast.Node, from token.Pos, fn func(n ast.Node, comments []string)) {
	var carry []string
	prevEnd, prevOneLine := -10, false
	for _, n := range nodes {
		above, trailing := g.commentsAt(n, from)
		var own []string
		switch {
		case above != nil:
			carry = []string{text(above)}
			own = carry
		case trailing == nil && g.line(n.Pos()) <= prevEnd+1 && prevOneLine && g.line(n.Pos()) == g.line(n.End()):
			own = carry
		default:
			carry = nil
		}
		if trailing != nil {
			// A value with a comment of its own on its line takes no other.
			own = append(append([]string(nil), own...), text(trailing))
			carry = nil
		}
		fn(n, own)
		prevEnd = g.line(n.End())
		prevOneLine = g.line(n.Pos()) == prevEnd
		from = n.End()
	}
}

// block walks the statements of a function body.
func (g *gatherer) block(stmts []ast.Stmt, from token.Pos) {
	nodes := make([]ast.Node, len(stmts))
	for i, s := range stmts {
		nodes[i] = s
	}
	g.run(nodes, from, func(n ast.Node, cmts []string) {
		switch s := n.(type) {
		case *ast.AssignStmt:
			if len(s.Lhs) != len(s.Rhs) {
				for _, r := range s.Rhs {
					g.expr(r, "", cmts, "")
				}
				return
			}
			for i, lhs := range s.Lhs {
				key, typ := g.assigned(lhs, s.Rhs[i])
				if key != "" {
					g.record(key, cmts)
				}
				if typ != "" {
					// The fields of the value came through this one.
					g.via = g.yamlOf(key)
				}
				g.expr(s.Rhs[i], typ, cmts, key)
				g.via = ""
			}
		case *ast.ReturnStmt:
			for _, r := range s.Results {
				g.expr(r, "", cmts, "")
			}
		}
	})
}

// assigned resolves the field an assignment x.A.B = v sets: "model.Type.B" and
// the name of B's (element) type, when the field's name, or its name and the
// type of v, identify it among the scenario's types.
func (g *gatherer) assigned(lhs, rhs ast.Expr) (key, typ string) {
	sel, ok := lhs.(*ast.SelectorExpr)
	if !ok {
		return "", ""
	}
	name := sel.Sel.Name
	rhsType := g.typeName(rhs)
	var found []string
	var foundType []string
	for tn, t := range g.types {
		if t.Kind() != reflect.Struct {
			continue
		}
		f, ok := t.FieldByName(name)
		if !ok {
			continue
		}
		et := typeName(elem(f.Type))
		if rhsType != "" && et != rhsType {
			continue
		}
		found = append(found, tn+"."+name)
		foundType = append(foundType, et)
	}
	if len(found) != 1 {
		return "", ""
	}
	return found[0], foundType[0]
}

// typeName returns the name ("control.LabConfig") of the type of a composite
// literal x (or &x), or "".
func (g *gatherer) typeName(x ast.Expr) string {
	if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.AND {
		x = u.X
	}
	cl, ok := x.(*ast.CompositeLit)
	if !ok || cl.Type == nil {
		return ""
	}
	return g.exprType(cl.Type)
}

// exprType names a type expression of the gatherer's package.
func (g *gatherer) exprType(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.Ident:
		return g.pkg + "." + t.Name
	case *ast.SelectorExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			return id.Name + "." + t.Sel.Name
		}
	case *ast.ArrayType:
		return g.exprType(t.Elt)
	case *ast.StarExpr:
		return g.exprType(t.X)
	}
	return ""
}

// expr walks a value: a composite literal of type typ (when its type is
// elided), whose fields inherit the comments given; enclosing is the field that
// holds it.
func (g *gatherer) expr(x ast.Expr, typ string, inherited []string, enclosing string) {
	if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.AND {
		x = u.X
	}
	cl, ok := x.(*ast.CompositeLit)
	if !ok {
		return
	}
	if cl.Type != nil {
		typ = g.exprType(cl.Type)
	}
	_, isSlice := cl.Type.(*ast.ArrayType)
	if cl.Type == nil && enclosing != "" {
		// An elided type inside a list: the list's element type.
		if t := g.fieldType(enclosing); t != nil && t.Kind() == reflect.Slice && !isSlice {
			isSlice = true
		}
	}
	nodes := make([]ast.Node, len(cl.Elts))
	for i, e := range cl.Elts {
		nodes[i] = e
	}
	g.run(nodes, cl.Lbrace, func(n ast.Node, own []string) {
		cmts := append(append([]string(nil), inherited...), own...)
		switch e := n.(type) {
		case *ast.KeyValueExpr:
			id, ok := e.Key.(*ast.Ident)
			if !ok || typ == "" {
				return
			}
			key := typ + "." + id.Name
			g.record(key, cmts)
			child := ""
			if t := g.fieldType(key); t != nil {
				child = typeName(elem(t))
			}
			g.expr(e.Value, child, cmts, key)
		default:
			// An element of a list: its comments belong to the list's field.
			if isSlice && enclosing != "" {
				g.record(enclosing, own)
				g.expr(e.(ast.Expr), typ, nil, "")
			}
		}
	})
}

// fieldType returns the type of the field "pkg.Type.Field", or nil.
func (g *gatherer) fieldType(key string) reflect.Type {
	i := strings.LastIndex(key, ".")
	t, ok := g.types[key[:i]]
	if !ok || t.Kind() != reflect.Struct {
		return nil
	}
	f, ok := t.FieldByName(key[i+1:])
	if !ok {
		return nil
	}
	return f.Type
}

// yamlOf returns the YAML name of the field "pkg.Type.Field".
func (g *gatherer) yamlOf(key string) string {
	i := strings.LastIndex(key, ".")
	t, ok := g.types[key[:i]]
	if !ok {
		return ""
	}
	f, ok := t.FieldByName(key[i+1:])
	if !ok {
		return ""
	}
	return yamlName(f)
}

// record adds the comments to the sources of the field key, once each.
func (g *gatherer) record(key string, cmts []string) {
	for _, t := range cmts {
		if t == "" {
			continue
		}
		dup := false
		via := g.via
		if strings.HasSuffix(key, "."+strings.ReplaceAll(via, "_", "")) || g.yamlOf(key) == via {
			via = "" // the field itself
		}
		for _, s := range g.c.sources[key] {
			if s.text == t && s.where == g.where && s.via == via {
				dup = true
			}
		}
		if !dup {
			g.c.sources[key] = append(g.c.sources[key], source{where: g.where, via: via, text: t})
		}
	}
}
