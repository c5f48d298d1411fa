package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The plan finds the instruments worked out by hand, for two rounds.
func TestPlanningFindsTheKnownAnswer(t *testing.T) {
	for _, c := range []struct{ people, pool, want int }{
		// 30,000 tubes; 7 plates of 94 per instrument by the deadline.
		{300_000, 10, 46},
		// 60,000 tubes (5-in-1): 92 instruments.
		{300_000, 5, 92},
	} {
		require.Equal(t, c.want, byHand(c.people, c.pool))
		var out bytes.Buffer
		dir := filepath.Join(t.TempDir(), "plan")
		require.NoError(t, run(&out, c.people, c.pool, dir))
		assert.Contains(t, out.String(), fmt.Sprintf("plan:      resources.lab.instruments=%d (meets the target: true", c.want), out.String())
		for _, f := range []string{"plan.json", "plan.html", "frontier.csv", "frontier.svg"} {
			_, err := os.Stat(filepath.Join(dir, f))
			assert.NoError(t, err, f)
		}
	}
}

func TestPlanningBadFlags(t *testing.T) {
	var out bytes.Buffer
	assert.Error(t, run(&out, 7, 10, ""))
	assert.Error(t, run(&out, 300_000, 0, ""))
}
