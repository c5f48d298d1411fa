package report

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// shared are the templates every page has (see the package documentation).
const shared = `{{define "style"}}body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #222; line-height: 1.4; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f3f3f3; }
svg { width: 100%; height: auto; }
.meta { color: #666; font-size: 0.9em; }
{{end}}{{define "figures"}}{{range .}}<figure>{{svg .SVG}}<figcaption>{{.Title}}</figcaption></figure>
{{end}}{{end}}`

// New returns an HTML template named name that has the shared function svg
// and the shared templates "style" and "figures"; the page parses its own text
// into it.
func New(name string) *template.Template {
	return template.Must(template.New(name).Funcs(template.FuncMap{"svg": svg}).Parse(shared))
}

// svg returns a drawing for inlining in a page: the SVG document from its
// <svg> element on. The drawing is trusted, not escaped: gonum/plot draws it
// from our own data, and its SVG writer escapes the names in it.
func svg(b []byte) template.HTML {
	s := string(b)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	return template.HTML(s)
}

// Thousands writes |x| rounded to a whole number (as %.0f rounds) with commas
// between the thousands, preceded by a minus sign (U+2212) when x < 0:
// "−12,346" for -12345.6. It is meant for figures of a thousand and more.
func Thousands(x float64) string {
	s := fmt.Sprintf("%.0f", math.Abs(x))
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if x < 0 {
		s = "−" + s
	}
	return s
}
