package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/epiplan/epiplan/sim"
)

// Limits on a scenario file as text, checked before it is decoded, so that no
// file can make the reader hang, recurse without end or take much memory. The
// YAML library reads the whole file into tokens at once, some 300 bytes of
// memory each (a 512 KiB file of "a: 1" lines allocates about 90 MB), and then
// takes about 2 KB per token to parse and decode them; its time grows faster
// than the depth of nesting.
const (
	// MaxFileSize is the largest scenario file, in bytes (512 KiB; the largest
	// library scenario is under 4 KB).
	MaxFileSize = 512 << 10
	// MaxTokens is the most YAML tokens (keys, values, brackets, dashes) in a
	// file, and the most characters of YAML punctuation ([ ] { } , & * ? !)
	// in it: about 5,000 areas written out one by one (split an area with
	// communities: rather than list them).
	MaxTokens = 50_000
	// MaxDepth is the deepest nesting of mappings and lists in a file.
	MaxDepth = 64
	// MaxExpandedNodes is the most YAML values a file may hold once its
	// aliases (*name) are replaced by what their anchors (&name) hold: an
	// alias bomb (anchors of anchors, each used many times) stops there.
	MaxExpandedNodes = 200_000
	// MaxExpandedText is the most bytes of text (scalars) a file may hold once
	// its aliases are expanded: the alias bomb of one long string used many
	// times stops there.
	MaxExpandedText = 4 << 20
)

// Limits on what a scenario may ask for, beyond those of the model
// (model.MaxPopulation, model.MaxAreas...): each bounds the memory or the time
// of checking or running a scenario.
const (
	// MaxReplications is the most replications of a strategy.
	MaxReplications = 10_000
	// MaxHorizon is the longest run.
	MaxHorizon = 3650 * sim.Day
	// MaxStrategies is the most strategies in a file (compare more with a
	// sweep): checking a strategy sets it up on a model of the city, which
	// takes about 0.2 s and 240 MB for a city of MaxAreas areas.
	MaxStrategies = 20
	// MaxServers is the most PCR instruments, vehicles or investigators of a
	// strategy: each is a server with its own state.
	MaxServers = 100_000
	// MaxSites is the most sampling sites of a strategy (the population over
	// people_per_site, at least one per area covered).
	MaxSites = 100_000
)

// byteOrderMark is the UTF-8 encoding of U+FEFF, which YAML allows at the start
// of a file.
const byteOrderMark = "\ufeff"

// parseYAML checks data against the limits of a file, parses it and returns
// the body of its one document with aliases and merge keys expanded (nil for
// a document without content), and the parsed file. Errors name file, line and
// column.
func parseYAML(file string, data []byte) (*ast.File, ast.Node, error) {
	data = bytes.TrimPrefix(data, []byte(byteOrderMark))
	if err := checkText(file, data); err != nil {
		return nil, nil, err
	}
	tokens := lexer.Tokenize(string(data))
	if err := checkTokens(file, tokens); err != nil {
		return nil, nil, err
	}
	var f *ast.File
	err := guard(file, nil, func() (err error) {
		f, err = parser.Parse(tokens, 0)
		return err
	})
	if errors.Is(err, errLibrary) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s:%s", file, yamlError(err))
	}
	var doc *ast.DocumentNode
	for _, d := range f.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if doc != nil {
			line, col := 1, 1
			tk := d.Start // the "---" that starts it
			if tk == nil {
				tk = d.Body.GetToken()
			}
			if tk != nil {
				line, col = tk.Position.Line, tk.Position.Column
			}
			return nil, nil, fmt.Errorf("%s:%d:%d: a second YAML document starts here; a scenario file holds one", file, line, col)
		}
		doc = d
	}
	if doc == nil {
		return f, nil, nil
	}
	if doc.Body, err = expandAliases(file, doc.Body); err != nil {
		return nil, nil, err
	}
	detachScalars(doc.Body)
	f.Docs = []*ast.DocumentNode{doc}
	return f, doc.Body, nil
}

// errLibrary marks an error that is a panic of the YAML library: a bug there
// that a file triggers, turned into an error.
var errLibrary = errors.New("the YAML reader failed")

// guard runs f, turning a panic into an error at node n (the start of the file
// if nil).
func guard(file string, n ast.Node, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			line, col := 1, 1
			if n != nil && n.GetToken() != nil {
				line, col = n.GetToken().Position.Line, n.GetToken().Position.Column
			}
			err = fmt.Errorf("%s:%d:%d: %w on this value (%v)", file, line, col, errLibrary, r)
		}
	}()
	return f()
}

// decode decodes node n into v strictly, as the decoder of go-yaml does, and
// turns a panic of the decoder into an error.
func decode(file string, n ast.Node, v any) error {
	err := guard(file, n, func() error { return yaml.NodeToValue(n, v, yaml.Strict()) })
	if err == nil {
		zeroNulls(n, reflect.ValueOf(v))
	}
	return err
}

// zeroNulls makes ~ mean none wherever it is given: the decoder leaves a
// list or a section given as ~ as it was (the default), but sets a pointer
// to nil; here the list is emptied and the section zeroed, so that "testing:
// ~", "mass: ~" and "quarantine: ~" all mean none, while {} keeps the defaults.
func zeroNulls(n ast.Node, v reflect.Value) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	switch x := unwrap(n).(type) {
	case *ast.MappingNode:
		if v.Kind() != reflect.Struct {
			return
		}
		for _, mv := range x.Values {
			f, ok := fieldByName(v.Type(), keyText(mv.Key))
			if !ok {
				continue
			}
			fv := v.FieldByIndex(f.Index)
			if _, null := unwrap(mv.Value).(*ast.NullNode); null && fv.CanSet() {
				switch fv.Kind() {
				case reflect.Slice, reflect.Struct, reflect.Pointer:
					fv.SetZero()
				}
				continue
			}
			zeroNulls(mv.Value, fv)
		}
	case *ast.SequenceNode:
		if v.Kind() != reflect.Slice {
			return
		}
		for i, e := range x.Values {
			if i < v.Len() {
				zeroNulls(e, v.Index(i))
			}
		}
	}
}

// checkText checks that data is a scenario file's worth of UTF-8 text without
// control characters, and names the line and column of the first offence.
func checkText(file string, data []byte) error {
	if len(data) > MaxFileSize {
		return fmt.Errorf("%s:1:1: the file is %d bytes, more than the limit of %d (512 KiB)", file, len(data), MaxFileSize)
	}
	line, col := 1, 1
	punct := 0
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return fmt.Errorf("%s:%d:%d: invalid UTF-8 (byte 0x%02x): a scenario file must be UTF-8 text", file, line, col, data[i])
		}
		if !printable(r) {
			return fmt.Errorf("%s:%d:%d: control character %U is not allowed in a YAML file (is it a binary file?)", file, line, col, r)
		}
		// Brackets are the cheapest tokens to write and the dearest to read:
		// count them before the YAML reader does.
		if strings.ContainsRune("[]{},&*?!", r) {
			if punct++; punct > MaxTokens {
				return fmt.Errorf("%s:%d:%d: the file has more than %d characters of YAML punctuation ([ ] { } , & * ? !)", file, line, col, MaxTokens)
			}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += n
	}
	return nil
}

// printable reports whether YAML 1.2 (§5.1) allows r in a file: tab, line
// breaks and printable characters, but no other C0 or C1 control character,
// no DEL, no byte order mark after the start and no non-character U+FFFE/F.
func printable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || r == 0x7f:
		return false
	case r >= 0x80 && r <= 0x9f:
		return r == 0x85
	case r == 0xfeff || r == 0xfffe || r == 0xffff:
		return false
	}
	return true
}

// checkTokens bounds the depth of the nesting of the tokens of a file and
// their number, before the parser (whose time and stack grow with the depth)
// sees them. Flow collections ([…], {…}) nest by their brackets; block collections by
// indentation: each "-" or key further right than the one above opens a level.
func checkTokens(file string, tks token.Tokens) error {
	type level struct {
		col int
		seq bool
	}
	var block []level
	flow := 0
	var prev *token.Token // the last token that is not a comment
	for _, tk := range tks {
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow = max(0, flow-1)
		case token.DocumentHeaderType, token.DocumentEndType:
			block, flow = block[:0], 0
		case token.SequenceEntryType, token.MappingValueType:
			if flow > 0 {
				break
			}
			col, seq := tk.Position.Column, tk.Type == token.SequenceEntryType
			if !seq && prev != nil {
				col = prev.Position.Column // the key's column
			}
			// Close the levels at or right of this one, but a list may start at
			// the column of the key it belongs to.
			for len(block) > 0 {
				top := block[len(block)-1]
				if top.col < col || top.col == col && seq && !top.seq {
					break
				}
				block = block[:len(block)-1]
			}
			block = append(block, level{col, seq})
		}
		if tk.Type != token.CommentType {
			prev = tk
		}
		if len(block)+flow > MaxDepth {
			return fmt.Errorf("%s:%d:%d: mappings and lists nested more than %d levels deep", file, tk.Position.Line, tk.Position.Column, MaxDepth)
		}
	}
	if len(tks) > MaxTokens {
		p := tks[MaxTokens].Position
		return fmt.Errorf("%s:%d:%d: the file has more than %d YAML tokens (keys, values, brackets); split areas with communities: rather than list them", file, p.Line, p.Column, MaxTokens)
	}
	return nil
}

// detachScalars gives every scalar of the tree n a copy of its token that is
// linked to no other token. The YAML decoder formats a value it hands to a
// text unmarshaler (a duration, a distribution) by walking the whole token
// list of the file from that value's token: with the tokens detached it walks
// one, and decoding takes time linear in the size of the file rather than
// quadratic (24,000 durations took minutes).
func detachScalars(n ast.Node) {
	detach := func(tk *token.Token) *token.Token {
		if tk == nil {
			return nil
		}
		c := *tk
		c.Prev, c.Next = nil, nil
		return &c
	}
	ast.Walk(visitor(func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.StringNode:
			x.Token = detach(x.Token)
		case *ast.IntegerNode:
			x.Token = detach(x.Token)
		case *ast.FloatNode:
			x.Token = detach(x.Token)
		case *ast.BoolNode:
			x.Token = detach(x.Token)
		case *ast.NullNode:
			x.Token = detach(x.Token)
		case *ast.InfinityNode:
			x.Token = detach(x.Token)
		case *ast.NanNode:
			x.Token = detach(x.Token)
		case *ast.LiteralNode:
			if x.Value != nil && x.Start != nil {
				start, value := detach(x.Start), detach(x.Value.Token)
				if value != nil {
					start.Next, value.Prev = value, start
				}
				x.Start, x.Value.Token = start, value
			}
			return false
		}
		return true
	}), n)
}
