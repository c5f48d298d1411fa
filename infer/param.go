package infer

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// Param is a field of the scenario to fit and the range searched, written
// "path=lo:hi" on the command line. Path is any numeric field of the scenario
// ("population.layers.community", "imports.schedule[0].time",
// "strategies[0].testing.symptomatic.probability", "strategies[0].switch.at")
// or one of the pseudo-fields [ParamTransmission], [ParamRho],
// [ParamBackground] and [ParamDispersion]. Several fields separated by commas
// are tied: each gets the parameter's value (the detection probability of two
// strategies, "strategies[0].testing.symptomatic.probability,
// strategies[1].testing.symptomatic.probability"). An integer field (a count) is
// searched as a real number and rounded to the nearest whole number for each
// simulation, so that the likelihood is flat between whole numbers and the
// estimate and its interval are whole numbers.
type Param struct {
	Path string  // the field, fields or pseudo-field set
	Lo   float64 // the lowest value searched
	Hi   float64 // the highest value searched
}

// Pseudo-fields that can be fitted besides the scenario's own fields.
const (
	// ParamTransmission multiplies every contact layer's reproduction number
	// (community, city and each group layer) by a factor, and raises the
	// household's escape probability to that power (a secondary attack rate s
	// becomes 1 − (1 − s)^x): the transmission scale of the whole model, 1
	// being the file's.
	ParamTransmission = "transmission"
	// ParamRho is the observation's Rho, the share of the model's cases counted.
	ParamRho = "observation.rho"
	// ParamBackground is the observation's Background, cases a day the model
	// does not make.
	ParamBackground = "observation.background"
	// ParamDispersion is the negative binomial's size k, fitted with the
	// others instead of profiled.
	ParamDispersion = "observation.dispersion"
)

// ParseParam reads a parameter written "path=lo:hi".
func ParseParam(s string) (Param, error) {
	path, rng, ok := strings.Cut(s, "=")
	lo, hi, ok2 := strings.Cut(rng, ":")
	if !ok || !ok2 || strings.TrimSpace(path) == "" {
		return Param{}, fmt.Errorf("--fit %q: want path=lo:hi", s)
	}
	p := Param{Path: strings.TrimSpace(path)}
	var err error
	if p.Lo, err = parseNumber(lo); err != nil {
		return Param{}, fmt.Errorf("--fit %q: lo: %w", s, err)
	}
	if p.Hi, err = parseNumber(hi); err != nil {
		return Param{}, fmt.Errorf("--fit %q: hi: %w", s, err)
	}
	return p, nil
}

// parseNumber reads a number, or a duration in days ("12d", "36h").
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if x, err := strconv.ParseFloat(s, 64); err == nil {
		return x, nil
	}
	d, err := sim.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number or a duration", s)
	}
	return float64(d), nil
}

// checkParams checks the parameters against the scenario the likelihood
// simulates and the observation model, each alone and together (no field
// fitted twice or set by two of them), and says which hold whole numbers.
func checkParams(base *scenarios.Scenario, params []Param, obs Observation) ([]bool, error) {
	var integer []bool
	seen := map[string]bool{}
	var errs []error
	for _, prm := range params {
		var bad []string
		if seen[prm.Path] {
			bad = append(bad, "fitted twice")
		}
		seen[prm.Path] = true
		isInt, more := checkParam(base, prm, obs)
		for _, msg := range append(bad, more...) {
			errs = append(errs, fmt.Errorf("--fit %s=%v:%v: %s", prm.Path, prm.Lo, prm.Hi, msg))
		}
		integer = append(integer, isInt)
	}
	if seen[ParamTransmission] {
		for _, prm := range params {
			for _, path := range fieldPaths(prm.Path) {
				if strings.HasPrefix(path, "population.layers.") && path != "population.layers.city_within_district" {
					errs = append(errs, fmt.Errorf("--fit %s: the transmission scale already sets the layers' strengths", prm.Path))
				}
			}
		}
	}
	if seen[ParamDispersion] && obs.Dispersion > 0 {
		errs = append(errs, fmt.Errorf("--fit %s: the dispersion is both given and fitted", ParamDispersion))
	}
	if len(errs) > 0 {
		return integer, errors.Join(errs...)
	}
	return integer, nil
}

// checkParam checks one parameter's range against its field or pseudo-field,
// and says whether it holds whole numbers and what is wrong with it.
func checkParam(base *scenarios.Scenario, prm Param, obs Observation) (integer bool, bad []string) {
	if math.IsNaN(prm.Lo) || math.IsNaN(prm.Hi) || math.IsInf(prm.Lo, 0) || math.IsInf(prm.Hi, 0) || !(prm.Lo < prm.Hi) {
		return false, []string{"the range must be finite with lo < hi"}
	}
	switch prm.Path {
	case ParamTransmission:
		if prm.Lo < 0 {
			bad = append(bad, "a transmission scale must be ≥ 0")
		}
	case ParamRho:
		if prm.Lo <= 0 || prm.Hi > 1 {
			bad = append(bad, "rho must stay in (0, 1]")
		}
	case ParamBackground:
		if prm.Lo < 0 {
			bad = append(bad, "the background must be ≥ 0")
		}
	case ParamDispersion:
		if obs.Likelihood != NegBin {
			bad = append(bad, "a dispersion is fitted with the negative binomial likelihood only")
		}
		if prm.Lo < MinDispersion || prm.Hi > MaxDispersion {
			bad = append(bad, fmt.Sprintf("the dispersion must stay in [%v, %v]", MinDispersion, MaxDispersion))
		}
	default:
		return checkFields(base, prm)
	}
	return false, bad
}

// checkFields checks a parameter that sets fields of the scenario: each is a
// number, all are integers or all real numbers, and the scenario is valid at
// both ends of the range.
func checkFields(base *scenarios.Scenario, prm Param) (integer bool, bad []string) {
	paths := fieldPaths(prm.Path)
	kinds := map[bool]bool{}
	for _, path := range paths {
		_, isInt, err := base.Number(path)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%v", err))
			continue
		}
		kinds[isInt] = true
		integer = isInt
	}
	if len(kinds) > 1 {
		bad = append(bad, "the fields tied together must all be integers or all real numbers")
	}
	if len(kinds) != 1 {
		return integer, bad
	}
	if integer && math.Round(prm.Lo) == math.Round(prm.Hi) {
		bad = append(bad, "an integer field needs a range holding two whole numbers at least")
	}
	for _, x := range []float64{prm.Lo, prm.Hi} {
		if err := base.Clone().SetNumbers(paths, repeat(x, len(paths))); err != nil {
			bad = append(bad, fmt.Sprintf("the scenario is not valid at %v: %v", x, err))
		}
	}
	return integer, bad
}

// initialValue returns the value of a parameter before the fit.
func initialValue(sc *scenarios.Scenario, path string, obs Observation) float64 {
	switch path {
	case ParamTransmission:
		return 1
	case ParamRho:
		return obs.rho()
	case ParamBackground:
		return obs.Background
	case ParamDispersion:
		if obs.Dispersion > 0 {
			return obs.Dispersion
		}
		return math.NaN()
	}
	x, _, err := sc.Number(fieldPaths(path)[0])
	if err != nil {
		return math.NaN()
	}
	return x
}

// fieldPaths returns the fields a parameter sets: its path, or its paths
// separated by commas.
func fieldPaths(path string) []string {
	var out []string
	for _, p := range strings.Split(path, ",") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

// repeat returns n copies of x.
func repeat(x float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = x
	}
	return out
}
