package scenarios

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAdversarialFiles(t *testing.T) {
	// Odd inputs get a positioned error, never a panic.
	for _, c := range []struct{ in, want string }{
		{"# only a comment\n", "x.yaml:1:1: the file has no fields"},
		{"---\n", "x.yaml:1:1: the file has no fields"},
		{"[]\n", "x.yaml:1:1: sequence was used where mapping is expected"},
		{"null\n", "x.yaml:1:1: null was used where mapping is expected"},
		{"\xff\xfe\n", "x.yaml:1:1:"},
		{"a: &a [*a]\n", "x.yaml:1:8: a[0]: alias *a is inside its own anchor &a"},
		{"strategies: [{name: ninth_edition, testing: {lab: {instruments: 1e400}}}]\n", "x.yaml:1:65: strategies[0].testing.lab.instruments: must be a whole number from"},
		{"population: {areas: [{name: x, population: 1, communities: 5}]}\nstrategies: [{name: mitigation}]\n", "population.areas[0].communities"},
		{"strategies: [{name: ninth_edition, testing: {sites: []}}]\n", `strategies[0].testing.mass[0].sites: unknown site group "community"`},
	} {
		var err error
		assert.NotPanics(t, func() { _, err = Parse("x.yaml", []byte(c.in)) }, c.in)
		if assert.Error(t, err, c.in) {
			assert.Contains(t, err.Error(), c.want, c.in)
			assert.True(t, strings.HasPrefix(err.Error(), "x.yaml:"), c.in)
		}
	}
}
