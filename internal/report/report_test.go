package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
