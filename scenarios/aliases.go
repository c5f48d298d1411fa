package scenarios

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// expander replaces every alias of a document by the node of its anchor and
// resolves merge keys (<<), so that decoding sees a plain tree (a strategy can
// then be decoded on its own), and counts the values and text of the expanded
// document as it goes, to stop alias bombs.
type expander struct {
	file    string
	anchors map[string]*anchorDef
	nodes   int    // values so far, aliases expanded
	text    int    // bytes of scalar text so far, aliases expanded
	path    string // the field path of the node being expanded
}

// anchorDef is an anchor: its expanded value and what it adds when used.
type anchorDef struct {
	value       ast.Node
	nodes, text int
	open        bool // its value is being expanded
}

// expandAliases expands the aliases and merge keys of the document body n in
// place and returns the new body.
func expandAliases(file string, n ast.Node) (ast.Node, error) {
	e := &expander{file: file, anchors: map[string]*anchorDef{}}
	return e.expand(n)
}

// errorAt returns an error at the position of node n.
func (e *expander) errorAt(n ast.Node, format string, args ...any) error {
	line, col := 1, 1
	if tk := n.GetToken(); tk != nil {
		line, col = tk.Position.Line, tk.Position.Column
	}
	msg := fmt.Sprintf(format, args...)
	if e.path != "" {
		msg = e.path + ": " + msg
	}
	return fmt.Errorf("%s:%d:%d: %s", e.file, line, col, msg)
}

// add counts values and text, and fails at node n once the expanded document
// is too large.
func (e *expander) add(n ast.Node, nodes, text int, alias string) error {
	e.nodes += nodes
	e.text += text
	what := "the file holds"
	if alias != "" {
		what = fmt.Sprintf("alias *%s makes the file hold", alias)
	}
	if e.nodes > MaxExpandedNodes {
		return e.errorAt(n, "%s more than %d values once aliases are expanded (an alias bomb?)", what, MaxExpandedNodes)
	}
	if e.text > MaxExpandedText {
		return e.errorAt(n, "%s more than %d bytes of text once aliases are expanded (an alias bomb?)", what, MaxExpandedText)
	}
	return nil
}

// expand expands node n and returns what replaces it.
func (e *expander) expand(n ast.Node) (ast.Node, error) {
	switch n := n.(type) {
	case nil:
		return nil, nil
	case *ast.CommentNode, *ast.CommentGroupNode:
		return n, nil
	case *ast.AliasNode:
		name := n.Value.GetToken().Value
		def, ok := e.anchors[name]
		switch {
		case !ok:
			return nil, e.errorAt(n, "alias *%s has no anchor &%s before it", name, name)
		case def.open:
			return nil, e.errorAt(n, "alias *%s is inside its own anchor &%s", name, name)
		}
		if err := e.add(n, def.nodes, def.text, name); err != nil {
			return nil, err
		}
		return def.value, nil
	case *ast.AnchorNode:
		name := n.Name.GetToken().Value
		def := &anchorDef{open: true}
		e.anchors[name] = def // a later anchor of the same name replaces it
		nodes, text := e.nodes, e.text
		v, err := e.expand(n.Value)
		if err != nil {
			return nil, err
		}
		n.Value, def.value, def.open = v, v, false
		def.nodes, def.text = e.nodes-nodes, e.text-text
		return n, nil
	case *ast.TagNode:
		v, err := e.expand(n.Value)
		if err != nil {
			return nil, err
		}
		n.Value = v
		return n, nil
	case *ast.MappingNode:
		if err := e.add(n, 1, 0, ""); err != nil {
			return nil, err
		}
		parent := e.path
		for _, mv := range n.Values {
			if _, alias := mv.Key.(*ast.AliasNode); !alias && !mv.Key.IsMergeKey() {
				e.path = join(parent, keyText(mv.Key))
			}
			if err := e.expandPair(mv); err != nil {
				return nil, err
			}
			e.path = parent
		}
		values, err := e.merge(n.Values)
		if err != nil {
			return nil, err
		}
		n.Values = values
		return n, nil
	case *ast.MappingValueNode:
		if err := e.expandPair(n); err != nil {
			return nil, err
		}
		if n.Key.IsMergeKey() {
			values, err := e.merge([]*ast.MappingValueNode{n})
			if err != nil {
				return nil, err
			}
			return ast.Mapping(n.GetToken(), false, values...), nil
		}
		return n, nil
	case *ast.SequenceNode:
		if err := e.add(n, 1, 0, ""); err != nil {
			return nil, err
		}
		parent := e.path
		for i, v := range n.Values {
			e.path = fmt.Sprintf("%s[%d]", parent, i)
			x, err := e.expand(v)
			if err != nil {
				return nil, err
			}
			n.Values[i] = x
		}
		e.path = parent
		return n, nil
	case *ast.StringNode:
		return n, e.add(n, 1, len(n.Value), "")
	case *ast.LiteralNode:
		text := 0
		if n.Value != nil {
			text = len(n.Value.Value)
		}
		return n, e.add(n, 1, text, "")
	default:
		text := 0
		if tk := n.GetToken(); tk != nil {
			text = len(tk.Value)
		}
		return n, e.add(n, 1, text, "")
	}
}

// expandPair expands the key and the value of a mapping entry.
func (e *expander) expandPair(mv *ast.MappingValueNode) error {
	if _, ok := mv.Key.(*ast.AliasNode); ok {
		return e.errorAt(mv.Key, "an alias cannot be a key")
	}
	k, err := e.expand(mv.Key)
	if err != nil {
		return err
	}
	key, ok := k.(ast.MapKeyNode)
	if !ok {
		return e.errorAt(mv.Key, "this key is not a plain value")
	}
	mv.Key = key
	v, err := e.expand(mv.Value)
	if err != nil {
		return err
	}
	mv.Value = v
	return nil
}

// merge resolves the merge keys among the entries of a mapping as YAML 1.1
// defines them: the entries of the merged mappings are added where the mapping
// does not give the key itself; among several merged mappings, the first that
// gives a key wins.
func (e *expander) merge(values []*ast.MappingValueNode) ([]*ast.MappingValueNode, error) {
	var out []*ast.MappingValueNode
	var merges []ast.Node
	seen := map[string]bool{}
	for _, mv := range values {
		if mv.Key.IsMergeKey() {
			merges = append(merges, mv.Value)
			continue
		}
		out = append(out, mv)
		seen[keyText(mv.Key)] = true
	}
	if len(merges) == 0 {
		return values, nil
	}
	for _, m := range merges {
		var sources []ast.Node
		if seq, ok := unwrap(m).(*ast.SequenceNode); ok {
			sources = seq.Values
		} else {
			sources = []ast.Node{m}
		}
		for _, src := range sources {
			mapping, ok := unwrap(src).(*ast.MappingNode)
			if !ok {
				if m == nil {
					return nil, fmt.Errorf("%s:1:1: a merge (<<) takes a mapping or a list of mappings", e.file)
				}
				return nil, e.errorAt(m, "a merge (<<) takes a mapping or a list of mappings")
			}
			for _, mv := range mapping.Values {
				if k := keyText(mv.Key); !seen[k] {
					seen[k] = true
					out = append(out, mv)
				}
			}
		}
	}
	return out, nil
}

// unwrap returns the value under anchors and tags.
func unwrap(n ast.Node) ast.Node {
	for {
		switch x := n.(type) {
		case *ast.AnchorNode:
			n = x.Value
		case *ast.TagNode:
			n = x.Value
		default:
			return n
		}
	}
}

// keyText returns the text of a mapping key.
func keyText(k ast.Node) string {
	switch k := k.(type) {
	case *ast.StringNode:
		return k.Value
	case *ast.MappingKeyNode:
		return keyText(k.Value)
	case nil:
		return ""
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}
