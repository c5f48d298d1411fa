package main

import (
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/epiplan/epiplan/sim"
)

// formatValue writes a value as it would be written in a scenario file, in
// YAML's flow style; inList quotes texts that would break a flow collection.
func formatValue(v reflect.Value, inList bool) string {
	switch v.Type() {
	case durationType:
		return sim.Duration(v.Float()).String()
	case timeType:
		return sim.Duration(v.Float()).String()
	case distType:
		if v.IsZero() {
			return "none"
		}
		s := formatDist(v.Interface().(sim.Dist))
		if inList {
			return strconv.Quote(s)
		}
		return s
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return "none"
		}
		return formatValue(v.Elem(), inList)
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int64, reflect.Int32:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint64, reflect.Uint, reflect.Uint32:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float64:
		return formatFloat(v.Float())
	case reflect.String:
		s := v.String()
		if s == "" {
			return `""`
		}
		if inList && strings.ContainsAny(s, ",:{}[]#\"'") {
			return strconv.Quote(s)
		}
		return s
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = formatValue(v.Index(i), true)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.Struct:
		var parts []string
		for i := 0; i < v.NumField(); i++ {
			y := yamlName(v.Type().Field(i))
			if y == "" || v.Field(i).IsZero() {
				continue
			}
			parts = append(parts, y+": "+formatValue(v.Field(i), true))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return v.String()
}

// formatFloat writes x with at most 6 significant digits.
func formatFloat(x float64) string {
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// formatDist writes a distribution in the text form sim.ParseDist reads; a
// gamma distribution by its mean and standard deviation, as scenario files
// usually give it.
func formatDist(d sim.Dist) string {
	g := formatFloat
	switch d.Family {
	case sim.FamilyFixed:
		return "fixed(" + g(d.P1) + ")"
	case sim.FamilyExponential:
		return "exponential(mean=" + g(d.P1) + ")"
	case sim.FamilyGamma:
		return "gamma(mean=" + g(d.P1*d.P2) + ", sd=" + g(math.Sqrt(d.P1)*d.P2) + ")"
	case sim.FamilyWeibull:
		return "weibull(shape=" + g(d.P1) + ", scale=" + g(d.P2) + ")"
	case sim.FamilyLogNormal:
		return "lognormal(mu=" + g(d.P1) + ", sigma=" + g(d.P2) + ")"
	case sim.FamilyUniform:
		return "uniform(lo=" + g(d.P1) + ", hi=" + g(d.P2) + ")"
	}
	return d.String() // empirical: its values as given
}

// typeText names the type of a field for a reader of the format.
func typeText(t reflect.Type) string {
	switch t {
	case durationType:
		return "duration"
	case timeType:
		return "time"
	case distType:
		return "distribution"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return typeText(t.Elem())
	case reflect.Slice:
		inner := typeText(t.Elem())
		if strings.HasPrefix(inner, "[") {
			return "list of " + inner
		}
		return "list of " + plural(inner)
	case reflect.Bool:
		return "true/false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64, reflect.Uint, reflect.Uint32:
		return "integer"
	case reflect.Float64:
		return "number"
	case reflect.String:
		return "text"
	case reflect.Struct:
		return "[" + typeName(t) + "](#" + strings.ToLower(strings.ReplaceAll(typeName(t), ".", "-")) + ")"
	}
	return t.String()
}

func plural(s string) string {
	switch s {
	case "text":
		return "texts"
	}
	return s + "s"
}

// docLink is a doc link of a Go comment ("[TimingWindow]"); the one-letter
// markers of the defaults' sources ("[A]", "[D]") are not links.
var docLink = regexp.MustCompile(`\[([A-Za-z_][A-Za-z0-9_.]+)\]`)

// prose turns a doc comment into Markdown for one table cell: doc links and
// the Go names of the section's fields become code (the fields by their YAML
// names), and pipes are escaped.
func prose(doc string, s *section) string {
	doc = docLink.ReplaceAllString(doc, "`$1`")
	if s != nil {
		for _, f := range s.fields {
			re := regexp.MustCompile(`(^|[^\w.` + "`" + `])` + f.goName + `\b`)
			doc = re.ReplaceAllString(doc, "${1}`"+f.yaml+"`")
		}
	}
	return cell(doc)
}

// cell makes text safe for a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
