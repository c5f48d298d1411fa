package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestThousands(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{
		{1000, "1,000"},
		{-12345.6, "−12,346"},
		{1234.5, "1,234"}, // %.0f rounds a half to even
		{1e9, "1,000,000,000"},
	} {
		assert.Equal(t, c.want, Thousands(c.x), "%v", c.x)
	}
}

func TestNew(t *testing.T) {
	page, err := New("test").Parse(`<style>
{{template "style"}}h1 { margin: 0; }
</style>
{{template "figures" .}}`)
	require.NoError(t, err)
	var b strings.Builder
	figs := []struct {
		SVG   []byte
		Title string
	}{{[]byte(`<?xml version="1.0"?><svg x="1"></svg>`), "a < b"}}
	require.NoError(t, page.Execute(&b, figs))
	out := b.String()
	assert.Contains(t, out, "<style>\nbody { font-family")
	assert.Contains(t, out, ".meta { color: #666; font-size: 0.9em; }\nh1 { margin: 0; }\n</style>")
	// The drawing is inlined from its <svg> element on; the caption escaped.
	assert.Contains(t, out, `<figure><svg x="1"></svg><figcaption>a &lt; b</figcaption></figure>`+"\n")
}
