package scenarios

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A negative resource is an error at its line, not a resource silently left
// out (a strategy takes the city's resources only when they are positive).
func TestNegativeResources(t *testing.T) {
	for _, c := range []struct{ edit, want string }{
		{"investigators: -5\n  cases_per_day: 3", "x.yaml:2:18: resources.investigators: must be ≥ 0, got -5"},
		{"vehicles: -1", "x.yaml:2:13: resources.vehicles: must be ≥ 0, got -1"},
		{"isolation_beds: -1", "resources.isolation_beds: must be ≥ 0, got -1"},
		{"hospital_beds: -1", "resources.hospital_beds: must be ≥ 0, got -1"},
		{"quarantine_rooms: -1", "resources.quarantine_rooms: must be ≥ 0, got -1"},
		{"cases_per_day: -3", "resources.cases_per_day: must be a finite number ≥ 0, got -3"},
		{"investigators: 10", "resources.cases_per_day: must be > 0 with investigators"},
	} {
		_, err := Parse("x.yaml", []byte("resources:\n  "+c.edit+"\nstrategies: [{name: ninth_edition}]\n"))
		require.Error(t, err, c.edit)
		assert.Contains(t, err.Error(), c.want)
		assert.Len(t, strings.Split(err.Error(), "\n"), 1, "one problem: %v", err)
	}
	sc, err := LibraryScenario(DefaultScenario)
	require.NoError(t, err)
	assert.ErrorContains(t, sc.Set("resources.quarantine_rooms", "-1"), "resources.quarantine_rooms: must be ≥ 0, got -1")
}
