package main

import (
	"github.com/epiplan/epiplan/bench"
	"github.com/epiplan/epiplan/examples/custom-intervention/selftest"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// contenders returns the interventions the suite scores: the built-in
// strategies, then the ones added here.
//
// To score a new intervention, append a bench.Contender: a name and a function
// that returns new measures for one run. Build it on a built-in strategy with
// bench.SuiteStrategy, which gives the strategy the city's resources, so that
// every contender has the same means; draw any random numbers from the stream
// it is given, which is the run's and the same for every contender.
func contenders() ([]bench.Contender, error) {
	cs, err := bench.BuiltinContenders()
	if err != nil {
		return nil, err
	}
	// Antigen self-tests in the locked zones (examples/custom-intervention),
	// on top of the two strategies that lock zones.
	for _, name := range []string{"ninth_edition", "twenty_measures"} {
		st, err := bench.SuiteStrategy(name)
		if err != nil {
			return nil, err
		}
		cs = append(cs, bench.Contender{
			Name: name + "+selftests",
			Measures: func(stream sim.Stream) ([]model.Measure, error) {
				return selftest.With(st, selftest.Default(), stream)
			},
		})
	}
	return cs, nil
}
