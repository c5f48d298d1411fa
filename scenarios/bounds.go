package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/epiplan/epiplan/sim"
)

// MaxDelay is the longest duration, time or delay a scenario may give anywhere
// (100 years), and the largest mean or value of any of its distributions: far
// beyond any run (MaxHorizon), and small enough that sums of delays stay finite
// (two delays of fixed(1e308) added make +Inf, a time no event can have).
const MaxDelay = 36500 * sim.Day

var (
	durationType = reflect.TypeFor[sim.Duration]()
	timeType     = reflect.TypeFor[sim.Time]()
	distType     = reflect.TypeFor[sim.Dist]()
)

// walkFields calls fn with the field path and value of every field under v
// (structs by their yaml names, lists by index, through pointers), depth first.
func walkFields(v reflect.Value, path string, fn func(path string, v reflect.Value)) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	fn(path, v)
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == distType {
			return
		}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			walkFields(v.Field(i), join(path, name), fn)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkFields(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	}
}

// checkDelays reports every duration, time and distribution of the scenario
// (the city, the virus, the imports and every strategy as it will run) that
// is larger than MaxDelay, so that a scenario that validates never asks the
// clock for a time beyond any run or an infinite one.
func (s *Scenario) checkDelays() []error {
	var errs []error
	seen := map[string]bool{}
	add := func(path, msg string) {
		if !seen[path] {
			seen[path] = true
			errs = append(errs, s.problem(path, msg))
		}
	}
	check := func(path string, v reflect.Value) {
		switch v.Type() {
		case durationType, timeType:
			if d := v.Float(); !(math.Abs(d) <= float64(MaxDelay)) {
				add(path, fmt.Sprintf("must be at most %v (100 years), got %v", MaxDelay, sim.Duration(d)))
			}
		case distType:
			d := v.Interface().(sim.Dist)
			if d.Family == 0 || d.Validate() != nil {
				return // zero: not used; invalid: the model says why
			}
			largest := math.Abs(d.Mean())
			switch d.Family {
			case sim.FamilyUniform:
				largest = max(math.Abs(d.P1), math.Abs(d.P2))
			case sim.FamilyEmpirical:
				for _, x := range d.Values {
					largest = max(largest, math.Abs(x))
				}
			}
			if !(largest <= float64(MaxDelay)) {
				add(path, fmt.Sprintf("%v: its values must be at most %v days (100 years), got %.4g", d, MaxDelay.Days(), largest))
			}
		}
	}
	walkFields(reflect.ValueOf(s.Config()), "", check)
	for i := range s.Strategies {
		sp := &s.Strategies[i]
		walkFields(reflect.ValueOf(sp.Testing), fmt.Sprintf("strategies[%d].testing", i), check)
		walkFields(reflect.ValueOf(sp.Response), fmt.Sprintf("strategies[%d].response", i), check)
		if sp.Switch != nil {
			check(fmt.Sprintf("strategies[%d].switch.at", i), reflect.ValueOf(sp.Switch.At))
		}
	}
	for _, c := range []struct {
		path string
		d    sim.Duration
	}{{"horizon", s.Horizon}, {"stop_after_community_zero", s.StopAfterCommunityZero}} {
		check(c.path, reflect.ValueOf(c.d))
	}
	return errs
}

// checkImports bounds the imports of the whole run by the population: the
// initial ones, those expected at the rate until the horizon (or until) and
// the scheduled ones are people of the city, each infected once. The memory of
// a run grows with its imports, so the estimate counts them.
func (s *Scenario) checkImports() []error {
	people := population(s.Population.Areas)
	if people <= 0 {
		return nil
	}
	total := s.expectedImports()
	if total > float64(people) {
		return []error{s.problem("imports", fmt.Sprintf("the run would import %.4g people in all (initial + rate × days + schedule), more than the population (%d)", total, people))}
	}
	return nil
}

// expectedImports is the expected number of imported infections of one run:
// initial, at the rate until Until or the horizon, and scheduled.
func (s *Scenario) expectedImports() float64 {
	im := &s.Imports
	days := float64(s.Horizon)
	if im.Until > 0 && float64(im.Until) < days {
		days = float64(im.Until)
	}
	total := float64(im.Initial) + im.Rate*max(days, 0)
	for _, x := range im.Schedule {
		if float64(x.Time) <= float64(s.Horizon) {
			total += float64(x.Count)
		}
	}
	return total
}
