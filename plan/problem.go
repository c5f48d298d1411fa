package plan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/epiplan/epiplan/scenarios"
)

// Problem is a planning question: a scenario, the strategy planned, what may
// change (Vary, or the capacities to Size), the targets and what to
// minimise.
type Problem struct {
	// Scenario is the scenario as read (with the user's fields set); its
	// Strategy is the one planned, and only it is played.
	Scenario *scenarios.Scenario
	// Strategy names the strategy planned (default: the only one, or the
	// scenario's baseline, or its first).
	Strategy string
	Vary     []Knob     // fields to search over
	Size     []SizeKnob // capacities to size (instead of Vary)
	Targets  []Target   // all must be met
	Minimize string     // the metric whose mean is minimised (default total_cost)
}

// strategyPath matches a path into the planned strategy.
var strategyPath = regexp.MustCompile(`^strategies\[(\d+)\](\..*)?$`)

// planned returns the scenario reduced to the planned strategy: the file's
// text with the other strategies and the baseline left out, read again, with
// the fields set on the original set again (those of the planned strategy
// moved to strategies[0]). It also returns the strategy's index in the
// original.
func planned(sc *scenarios.Scenario, name string) (*scenarios.Scenario, int, error) {
	i := -1
	switch {
	case name != "":
		if i = sc.StrategyIndex(name); i < 0 {
			return nil, 0, fmt.Errorf("--strategy %s: not one of the scenario's (%s)", name, strings.Join(sc.StrategyNames(), ", "))
		}
	case len(sc.Strategies) == 1:
		i = 0
	default:
		i = 0
		for j, sp := range sc.Strategies {
			if sp.Name == sc.Baseline {
				i = j
			}
		}
	}
	if sc.Strategies[i].Switch != nil {
		return nil, 0, fmt.Errorf("strategy %s switches to another strategy: plan the strategies it switches between one at a time", sc.Strategies[i].Name)
	}
	src := sc.Source()
	if src == nil {
		return nil, 0, fmt.Errorf("the scenario was not read from a file: plan needs its text")
	}
	f, err := parser.ParseBytes(src, parser.ParseComments)
	if err != nil || len(f.Docs) == 0 {
		return nil, 0, fmt.Errorf("%s: %v", sc.File(), err)
	}
	m, ok := f.Docs[0].Body.(*ast.MappingNode)
	if !ok {
		return nil, 0, fmt.Errorf("%s: plan needs a file written as a block mapping (key: value lines) at its top level", sc.File())
	}
	var keep []*ast.MappingValueNode
	for _, mv := range m.Values {
		switch mv.Key.String() {
		case "baseline":
			continue
		case "strategies":
			seq, ok := mv.Value.(*ast.SequenceNode)
			if !ok || i >= len(seq.Values) {
				return nil, 0, fmt.Errorf("%s: strategies: plan needs them as a list", sc.File())
			}
			seq.Values = seq.Values[i : i+1]
		}
		keep = append(keep, mv)
	}
	m.Values = keep
	text := f.String()
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	out, err := scenarios.Parse(sc.File(), []byte(text))
	if err != nil {
		return nil, 0, fmt.Errorf("the scenario with strategy %s alone: %w", sc.Strategies[i].Name, err)
	}
	for _, set := range sc.Sets() {
		p, v, _ := strings.Cut(set, "=")
		p, err := mapPath(p, i)
		if err != nil {
			continue // a field of another strategy: not played
		}
		if err := out.Set(p, v); err != nil {
			return nil, 0, err
		}
	}
	return out, i, nil
}

// mapPath moves a path into the planned strategy (strategies[i] or
// "strategy.") to strategies[0], the planned strategy's place in the reduced
// scenario; a path into another strategy is an error.
func mapPath(path string, i int) (string, error) {
	if rest, ok := strings.CutPrefix(path, "strategy."); ok {
		return "strategies[0]." + rest, nil
	}
	if m := strategyPath.FindStringSubmatch(path); m != nil {
		j, _ := strconv.Atoi(m[1])
		if j != i {
			return "", fmt.Errorf("%s: only the planned strategy (strategies[%d], or strategy.…) is played", path, i)
		}
		return "strategies[0]" + m[2], nil
	}
	return path, nil
}
