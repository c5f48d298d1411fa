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
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/epiplan/epiplan/model"
)

// fieldChecker walks a YAML tree beside the Go type it decodes into and
// reports, with position and field path, what the decoder would let pass or
// place badly: unknown fields, whole numbers given as fractions, out of range
// or not at all (the decoder truncates 2.5 to 2 and wraps 2^64), NaN and
// infinite numbers, and text values (durations, distributions) that their
// parser rejects.
type fieldChecker struct {
	file     string
	errs     []error
	badPaths []string // the fields whose values were dropped
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

// check walks node n as a value of type t at path. It reports false if n is
// not a value of t (a problem was recorded), so that the caller drops it and
// the decoder never sees it: the rest of the file is still read and checked,
// and every problem is reported at once.
func (c *fieldChecker) check(n ast.Node, t reflect.Type, path string) bool {
	ptr := t.Kind() == reflect.Pointer
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
	case nil:
		return true
	case *ast.NullNode:
		// ~ means none: no section (a pointer), an empty list, a zeroed
		// section (see zeroNulls). A number, a text or a switch has no none.
		switch {
		case ptr, t.Kind() == reflect.Slice, t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(textUnmarshaler):
			return true
		}
		c.bad(n, path, fmt.Sprintf("must be %s, got ~ (null); leave the field out to keep its default", expected(t)))
		return false
	case *ast.TagNode:
		// The tags of YAML's core schema say what a value is; the decoder
		// checks that it fits. Other tags mean nothing here (and some make
		// the decoder fail).
		tag := ""
		if tk := x.GetToken(); tk != nil {
			tag = tk.Value
		}
		if !coreTags[tag] {
			c.bad(n, path, fmt.Sprintf("unknown tag %s (a scenario file needs none)", tag))
			return false
		}
		if ptr {
			t = reflect.PointerTo(t)
		}
		return c.check(x.Value, t, path)
	case *ast.IntegerNode, *ast.FloatNode:
		if text := n.GetToken().Value; leadingZero.MatchString(text) {
			c.bad(n, path, fmt.Sprintf("the number %s has a leading zero, which YAML reads as an octal number (%v); write %s", text, numberValue(n), strings.TrimLeft(strings.TrimLeft(text, "+-"), "0_")))
			return false
		}
	case *ast.StringNode:
		// 08 and 09 are no octal numbers: the YAML reader gives text, which
		// would then be read as 8 and 9 while 010 is 8. Refused alike.
		if plain(x) && leadingZero.MatchString(x.Value) {
			c.bad(n, path, fmt.Sprintf("the number %s has a leading zero, which YAML reads as octal where it can (010 is 8); write %s", x.Value, strings.TrimLeft(strings.TrimLeft(x.Value, "+-"), "0_")))
			return false
		}
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		text, ok := scalarText(n)
		if !ok {
			c.bad(n, path, fmt.Sprintf("must be %s, got %s", expected(t), kindOf(n)))
			return false
		}
		if err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(text)); err != nil {
			// The parser's message quotes the text, as the decoder's would.
			c.bad(n, path, err.Error())
			return false
		}
		return true
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := n.(*ast.MappingNode)
		if !ok {
			if mv, isPair := n.(*ast.MappingValueNode); isPair {
				m = ast.Mapping(mv.GetToken(), false, mv)
				ok = true
			}
		}
		if !ok {
			c.bad(n, path, fmt.Sprintf("must be %s, got %s", expected(t), kindOf(n)))
			return false
		}
		kept := m.Values[:0:0]
		for _, mv := range m.Values {
			key := keyText(mv.Key)
			f, ok := fieldByName(t, key)
			if !ok {
				msg := fmt.Sprintf("unknown field %q", key)
				if near := suggest(key, fieldNames(t)); near != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", near)
				} else if names := fieldNames(t); len(names) <= 12 {
					msg += " (the fields here: " + strings.Join(names, ", ") + ")"
				}
				c.bad(mv.Key, join(path, key), msg)
				continue
			}
			if c.check(mv.Value, f.Type, join(path, key)) {
				kept = append(kept, mv)
			}
		}
		m.Values = kept
		return true
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			c.bad(n, path, fmt.Sprintf("must be a list, got %s", kindOf(n)))
			return false
		}
		good := true
		for i, v := range seq.Values {
			good = c.check(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i)) && good
		}
		if !good {
			// An element cannot be dropped without renumbering the others:
			// the whole list is.
			c.badPaths = append(c.badPaths, path)
		}
		return good
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return c.whole(n, t, path)
	case reflect.Float32, reflect.Float64:
		switch n := n.(type) {
		case *ast.IntegerNode, *ast.FloatNode:
			return true
		case *ast.NanNode, *ast.InfinityNode:
			c.bad(n, path, fmt.Sprintf("must be a finite number, got %s", n.GetToken().Value))
			return false
		case *ast.StringNode:
			if _, err := strconv.ParseFloat(n.Value, 64); plain(n) && errors.Is(err, strconv.ErrRange) {
				c.bad(n, path, fmt.Sprintf("the number %s is out of range", n.Value))
				return false
			} else if plain(n) && err == nil {
				return true
			}
		}
		c.bad(n, path, fmt.Sprintf("must be a number, got %s", kindOf(n)))
		return false
	case reflect.Bool:
		if _, ok := n.(*ast.BoolNode); !ok {
			c.bad(n, path, fmt.Sprintf("must be true or false, got %s", kindOf(n)))
			return false
		}
	case reflect.String:
		text, ok := scalarText(n)
		if !ok {
			c.bad(n, path, fmt.Sprintf("must be text, got %s", kindOf(n)))
			return false
		}
		if msg := checkString(path, text); msg != "" {
			c.bad(n, path, msg)
			return false
		}
	}
	return true
}

// bad records a problem at node n and field path, and the path as one whose
// value is dropped.
func (c *fieldChecker) bad(n ast.Node, path, msg string) {
	c.problem(n, path, msg)
	if path != "" {
		c.badPaths = append(c.badPaths, path)
	}
}

// leadingZero matches a number written with a leading zero (030, -07, 0700000),
// which YAML 1.1 reads as octal and YAML 1.2 as decimal: refused, not guessed.
var leadingZero = regexp.MustCompile(`^[-+]?0[0-9_]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$`)

// numberValue returns the value the YAML reader gives a number node.
func numberValue(n ast.Node) any {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return n.Value
	case *ast.FloatNode:
		return n.Value
	}
	return nil
}

// kindOf names what node n is, for messages.
func kindOf(n ast.Node) string {
	switch n := unwrap(n).(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping (field: value)"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode:
		return "~ (null)"
	case *ast.BoolNode:
		return "true/false (" + n.GetToken().Value + ")"
	case *ast.IntegerNode, *ast.FloatNode, *ast.NanNode, *ast.InfinityNode:
		return "the number " + n.GetToken().Value
	case *ast.StringNode:
		return fmt.Sprintf("the text %s", quoteShort(n.Value))
	case *ast.LiteralNode:
		return "a block of text"
	}
	return "a value of another kind"
}

// quoteShort quotes text for a message, cut to 40 characters.
func quoteShort(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return strconv.Quote(s)
}

// expected names the kind of value a field of type t takes, for messages.
func expected(t reflect.Type) string {
	switch t {
	case durationType, timeType:
		return "a duration such as 2d or 36h"
	case distType:
		return "a distribution such as gamma(mean=5, sd=2) or fixed(3)"
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "text"
	}
	switch t.Kind() {
	case reflect.Struct:
		return "a mapping of fields (field: value)"
	case reflect.Slice:
		return "a list"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "text"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a whole number"
}

// fieldNames returns the names of the fields of struct type t in a file.
func fieldNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// suggest returns the candidate closest to s if it is close enough to be
// what was meant (the same but for case, or a few letters apart), else "".
func suggest(s string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		if strings.EqualFold(s, c) && s != c {
			return c
		}
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if limit := max(1, min(3, len([]rune(c))/3)); d <= limit && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	if best == s {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 256 || len(rb) > 256 {
		return max(len(ra), len(rb))
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// whole checks that n is a whole number that fits type t.
func (c *fieldChecker) whole(n ast.Node, t reflect.Type, path string) bool {
	before := len(c.errs)
	defer func() {
		if len(c.errs) > before {
			c.badPaths = append(c.badPaths, path)
		}
	}()
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
		if r := fieldRange(path); r != "" {
			c.problem(n, path, fmt.Sprintf("must be a whole number %s, got %s", r, text))
		} else if signed {
			// The range of the Go type says nothing to a reader.
			c.problem(n, path, fmt.Sprintf("the whole number %s is far too large for this field", text))
		} else {
			c.problem(n, path, fmt.Sprintf("must be a whole number from %s to %s, got %s", loText, hiText, text))
		}
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
		v, err := strconv.ParseFloat(n.Value, 64)
		switch {
		case !plain(n) || err != nil && !errors.Is(err, strconv.ErrRange):
			c.problem(n, path, fmt.Sprintf("must be a whole number, got %s", kindOf(n)))
		case errors.Is(err, strconv.ErrRange):
			outOfRange()
		default:
			float(v)
		}
	default:
		c.problem(n, path, fmt.Sprintf("must be a whole number, got %s", kindOf(n)))
	}
	return len(c.errs) == before
}

// fieldRange returns the range of the whole-number field at path, as "from 1
// to 10000", for the fields whose range is known without the rest of the file.
func fieldRange(path string) string {
	last := path[strings.LastIndexAny(path, ".]")+1:]
	switch {
	case path == "replications":
		return fmt.Sprintf("from 1 to %d", MaxReplications)
	case path == "max_infections":
		return fmt.Sprintf("from 0 (no cap) to %d", model.MaxPopulation)
	case last == "population" || last == "initial" || last == "count":
		return fmt.Sprintf("from 0 to %d", model.MaxPopulation)
	case last == "instruments" || last == "vehicles" || last == "investigators":
		return fmt.Sprintf("from 0 to %d", MaxServers)
	}
	return ""
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

// Limits on the text of a scenario.
const (
	// MaxNameLength is the most characters of a name (of the scenario, a
	// strategy, an area, a site group...): names become columns, file names
	// and plot labels.
	MaxNameLength = 64
	// MaxTextLength is the most bytes of a description or of one source.
	MaxTextLength = 4096
)

// checkString returns what is wrong with the text of the string field at
// path, or "". Names are printed to terminals, written into CSV files that
// spreadsheets open, into SVG and HTML: a name is at most MaxNameLength
// printable characters, single spaces inside only, and does not start with
// = + - or @ (a spreadsheet reads such a cell as a formula). A description or
// a source may also hold line breaks and tabs. No text may hold control
// characters (ESC, NUL, CR...), invisible format characters (zero-width
// spaces, joiners, bidirectional overrides) or private-use characters.
func checkString(path, text string) string {
	last := path[strings.LastIndexAny(path, ".]")+1:]
	free := last == "description" || strings.HasPrefix(path, "sources")
	for i, r := range text {
		if free && (r == '\n' || r == '\t') {
			continue
		}
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) && r != ' ' {
			return fmt.Sprintf("character %U at byte %d is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)", r, i)
		}
	}
	if free {
		if len(text) > MaxTextLength {
			return fmt.Sprintf("at most %d bytes, got %d", MaxTextLength, len(text))
		}
		return ""
	}
	if n := utf8.RuneCountInString(text); n > MaxNameLength {
		return fmt.Sprintf("a name of at most %d characters, got %d", MaxNameLength, n)
	}
	if text != strings.TrimSpace(text) {
		return fmt.Sprintf("%s starts or ends with a space", quoteShort(text))
	}
	if text != "" && strings.ContainsRune("=+-@", rune(text[0])) {
		return fmt.Sprintf("%s starts with %q, which a spreadsheet reads as a formula", quoteShort(text), text[0])
	}
	return ""
}

// problemPath matches the field path of a problem line "file:line:col: path: …".
var problemPath = regexp.MustCompile(`^.*?:\d+:\d+: ([A-Za-z0-9_.\[\]]+): `)

// filter drops from err the problems at or under a field whose value the
// checker dropped: they follow from that value's absence, not from the file.
func (c *fieldChecker) filter(err error) error {
	if err == nil || len(c.badPaths) == 0 {
		return err
	}
	var kept []error
	for _, line := range strings.Split(err.Error(), "\n") {
		m := problemPath.FindStringSubmatch(line)
		if m != nil && c.under(m[1]) {
			continue
		}
		kept = append(kept, errors.New(line))
	}
	return errors.Join(kept...)
}

// fromResources matches the fields of a strategy that come from the city's
// resources when it has none of its own.
var fromResources = regexp.MustCompile(`^strategies\[\d+\]\.testing\.(sites|lab)`)

// under reports whether path is at or under a dropped field, or takes its
// value from one (a strategy's sites and lab from the city's resources).
func (c *fieldChecker) under(path string) bool {
	if m := fromResources.FindStringSubmatchIndex(path); m != nil {
		if c.under("resources." + path[m[2]:]) {
			return true
		}
	}
	for _, b := range c.badPaths {
		if path == b || strings.HasPrefix(path, b) && (path[len(b)] == '.' || path[len(b)] == '[') {
			return true
		}
	}
	return false
}
