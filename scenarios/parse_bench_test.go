package scenarios

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// limitSized returns a valid scenario file as large as the limits allow: a
// quarantine with a test on each of ~6,000 days and 1,500 scheduled
// imports, close to MaxFileSize and MaxTokens. Before the tokens of its
// values were detached, reading it took minutes (the YAML decoder walked the
// whole file for every duration).
func limitSized() []byte {
	var b strings.Builder
	b.WriteString("replications: 1\nhorizon: 30d\npopulation: {areas: [{name: city, population: 1000000}]}\n")
	b.WriteString("imports:\n  initial: 1\n  schedule:\n")
	for i := 0; i < 1500; i++ {
		fmt.Fprintf(&b, "    - {time: %dd, count: 1, area: city}  # import %d of the schedule\n", i%30, i)
	}
	b.WriteString("strategies:\n  - name: ninth_edition\n    response:\n      quarantine:\n        tests:\n")
	for i := 0; b.Len() < MaxFileSize-64; i++ {
		fmt.Fprintf(&b, "          - %dd  # a test day, with a comment long enough to fill the file\n", i%7+1)
	}
	return []byte(b.String())
}

func TestLimitSizedFileParses(t *testing.T) {
	data := limitSized()
	require.LessOrEqual(t, len(data), MaxFileSize)
	require.Greater(t, len(data), MaxFileSize*9/10, "the file is close to the size limit")
	_, err := Parse("x.yaml", data)
	require.NoError(t, err)
}

// BenchmarkParse reads and validates a scenario file at the size limit; the
// guarantee of docs/scenario-format.md is that this takes at most 1 s.
func BenchmarkParse(b *testing.B) {
	data := limitSized()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("x.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}
