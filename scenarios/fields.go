package scenarios

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// fieldChecker walks a YAML tree beside the Go type it decodes into and
// reports, with position and field path, what the decoder would let pass or
// place badly: unknown fields, whole numbers given as fractions, out of range
// or not at all (the decoder truncates 2.5 to 2 and wraps 2^64), NaN and
// infinite numbers, and text values (durations, distributions) that their
// parser rejects.
type fieldChecker struct {
	file string
	errs []error
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// coreTags are the tags of YAML 1.2's core schema.
var coreTags = map[string]bool{"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true, "!!map": true, "!!seq": true}

// problem records a problem at node n and field path, with the position of n
// in the file if it has a name.
func (c *fieldChecker) problem(n ast.Node, path, msg string) {
	if path != "" {
		msg = path + ": " + msg
	}
	if c.file != "" {
		line, col := 1, 1
		if tk := n.GetToken(); tk != nil {
			line, col = tk.Position.Line, tk.Position.Column
		}
		msg = fmt.Sprintf("%s:%d:%d: %s", c.file, line, col, msg)
	}
	c.errs = append(c.errs, errors.New(msg))
}

// err returns the problems found, or nil.
func (c *fieldChecker) err() error { return errors.Join(c.errs...) }

// check walks node n as a value of type t at path.
func (c *fieldChecker) check(n ast.Node, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for {
		a, ok := n.(*ast.AnchorNode)
		if !ok {
			break
		}
		n = a.Value
	}
	switch x := n.(type) {
	case nil, *ast.NullNode:
		return
	case *ast.TagNode:
		// The tags of YAML's core schema say what a value is; the decoder
		// checks that it fits. Other tags mean nothing here (and some make
		// the decoder fail).
		tag := ""
		if tk := x.GetToken(); tk != nil {
			tag = tk.Value
		}
		if !coreTags[tag] {
			c.problem(n, path, fmt.Sprintf("unknown tag %s (a scenario file needs none)", tag))
			return
		}
		c.check(x.Value, t, path)
		return
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		if text, ok := scalarText(n); ok {
			if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(text)); err != nil {
				// The parser's message quotes the text, as the decoder's would.
				c.problem(n, "", err.Error())
			}
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := n.(*ast.MappingNode)
		if !ok {
			return // the decoder says what it wanted
		}
		for _, mv := range m.Values {
			key := keyText(mv.Key)
			f, ok := fieldByName(t, key)
			if !ok {
				c.problem(mv.Key, "", fmt.Sprintf("unknown field %q", key))
				continue
			}
			c.check(mv.Value, f.Type, join(path, key))
		}
	case reflect.Slice:
		if seq, ok := n.(*ast.SequenceNode); ok {
			for i, v := range seq.Values {
				c.check(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.whole(n, t, path)
	case reflect.Float32, reflect.Float64:
		switch n := n.(type) {
		case *ast.NanNode, *ast.InfinityNode:
			c.problem(n, path, fmt.Sprintf("must be a finite number, got %s", n.GetToken().Value))
		case *ast.StringNode:
			if _, err := strconv.ParseFloat(n.Value, 64); errors.Is(err, strconv.ErrRange) && plain(n) {
				c.problem(n, path, fmt.Sprintf("the number %s is out of range", n.Value))
			}
		}
	}
}

// whole checks that n is a whole number that fits type t.
func (c *fieldChecker) whole(n ast.Node, t reflect.Type, path string) {
	z := reflect.New(t).Elem()
	signed := t.Kind() <= reflect.Int64
	// The range as float64 bounds [lo, hi) (powers of two, exact) and as text.
	lo, hi := -math.Ldexp(1, t.Bits()-1), math.Ldexp(1, t.Bits()-1)
	loText := strconv.FormatInt(math.MinInt64>>(64-t.Bits()), 10)
	hiText := strconv.FormatInt(math.MaxInt64>>(64-t.Bits()), 10)
	if !signed {
		lo, hi = 0, math.Ldexp(1, t.Bits())
		loText, hiText = "0", strconv.FormatUint(uint64(math.MaxUint64)>>(64-t.Bits()), 10)
	}
	text := ""
	if tk := n.GetToken(); tk != nil {
		text = tk.Value
	}
	outOfRange := func() {
		c.problem(n, path, fmt.Sprintf("must be a whole number from %s to %s, got %s", loText, hiText, text))
	}
	float := func(v float64) {
		// An integer beyond float64's precision is checked exactly.
		if integerText.MatchString(text) {
			var err error
			if signed {
				_, err = strconv.ParseInt(text, 10, t.Bits())
			} else {
				_, err = strconv.ParseUint(strings.TrimPrefix(text, "+"), 10, t.Bits())
			}
			if err != nil {
				outOfRange()
			}
			return
		}
		switch {
		case v != math.Trunc(v): // also NaN and infinities
			c.problem(n, path, fmt.Sprintf("must be a whole number, got %s", text))
		case v < lo || v >= hi:
			outOfRange()
		}
	}
	switch n := n.(type) {
	case *ast.IntegerNode:
		ok := true
		switch v := n.Value.(type) {
		case int64:
			ok = signed && !z.OverflowInt(v) || !signed && v >= 0 && !z.OverflowUint(uint64(v))
		case uint64:
			ok = signed && v <= math.MaxInt64 && !z.OverflowInt(int64(v)) || !signed && !z.OverflowUint(v)
		}
		if !ok {
			outOfRange()
		}
	case *ast.FloatNode:
		float(n.Value)
	case *ast.NanNode, *ast.InfinityNode:
		c.problem(n, path, fmt.Sprintf("must be a whole number, got %s", text))
	case *ast.StringNode:
		// A number too large for the YAML reader is read as text, and the
		// decoder then parses it as a float.
		if !plain(n) {
			return
		}
		v, err := strconv.ParseFloat(n.Value, 64)
		switch {
		case errors.Is(err, strconv.ErrRange):
			outOfRange()
		case err == nil:
			float(v)
		}
	}
}

// integerText matches a decimal integer.
var integerText = regexp.MustCompile(`^[-+]?[0-9]+$`)

// plain reports whether a string node was written without quotes.
func plain(n *ast.StringNode) bool {
	tk := n.GetToken()
	return tk != nil && tk.Type == token.StringType
}

// scalarText returns the text of a scalar node as written, and whether n is a
// scalar.
func scalarText(n ast.Node) (string, bool) {
	switch n := n.(type) {
	case *ast.StringNode:
		return n.Value, true
	case *ast.LiteralNode:
		if n.Value == nil {
			return "", true
		}
		return n.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.NanNode, *ast.InfinityNode, *ast.BoolNode:
		return n.GetToken().Value, true
	}
	return "", false
}

// fieldByName returns the field of struct type t that the decoder fills from
// key: the name of its yaml tag, or its name in lower case.
func fieldByName(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if name == key && name != "-" {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// join appends a field name to a path.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
