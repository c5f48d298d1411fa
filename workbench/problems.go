package workbench

import (
	"regexp"
	"strconv"
	"strings"
)

// Problem is one problem of a scenario, as the scenarios package reports it
// ("file:line:column: field.path: what is wrong"), placed at its line.
type Problem struct {
	Line    int    `json:"line"`    // 1-based; 0 when the problem has no place in the file
	Column  int    `json:"column"`  // 1-based; 0 with Line
	Message string `json:"message"` // the field path and what is wrong
}

var position = regexp.MustCompile(`^(\d+):(\d+): (.*)$`)

// problems splits an error of the scenarios package into its problems, one a
// line, each placed at the line and column that follow the file's name.
func problems(file string, err error) []Problem {
	var out []Problem
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		p := Problem{Message: line}
		if rest, ok := strings.CutPrefix(line, file+":"); ok {
			if m := position.FindStringSubmatch(rest); m != nil {
				p.Line, _ = strconv.Atoi(m[1])
				p.Column, _ = strconv.Atoi(m[2])
				p.Message = m[3]
			}
		}
		out = append(out, p)
	}
	return out
}
