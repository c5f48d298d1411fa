package sim_test

import (
	"context"
	"fmt"

	"github.com/epiplan/epiplan/sim"
)

// Typed events: register a handler once, then schedule events that carry an id.
// Events at the same time run by priority class, then in scheduling order.
func ExampleSim() {
	s := sim.New()
	const (
		progression sim.Priority = iota
		testing
	)
	var onset, swab sim.Kind
	onset = s.NewKind("onset", progression, func(e sim.Event) {
		fmt.Printf("%v: person %d has symptoms\n", e.Time, e.ID)
		s.After(6*sim.Hour, swab, e.ID) // swabbed six hours later
	})
	swab = s.NewKind("swab", testing, func(e sim.Event) {
		fmt.Printf("%v: person %d swabbed\n", e.Time, e.ID)
	})
	s.At(2.25, swab, 7) // scheduled first: before person 1's swab, after the onset below
	s.At(2.25, onset, 3)
	s.At(2, onset, 1)
	h := s.At(5, onset, 9)
	s.AfterFunc(3*sim.Day, testing, func() {
		fmt.Printf("%v: the test on day 5 is called off: %v\n", s.Now(), s.Cancel(h))
	})
	s.Run()
	// Output:
	// day 2.000: person 1 has symptoms
	// day 2.250: person 3 has symptoms
	// day 2.250: person 7 swabbed
	// day 2.250: person 1 swabbed
	// day 2.500: person 3 swabbed
	// day 3.000: the test on day 5 is called off: true
}

// RunUntil steps a simulation day by day; an event exactly at a boundary belongs
// to the next day.
func ExampleSim_RunUntil() {
	s := sim.New()
	k := s.NewKind("event", 0, func(sim.Event) {})
	for _, t := range []sim.Time{0.5, 1, 1.5, 2.75} {
		s.At(t, k, 0)
	}
	for day := 1; s.Len() > 0; day++ {
		before := s.Fired()
		s.RunUntil(sim.Time(day))
		fmt.Printf("day %d: %d events\n", day-1, s.Fired()-before)
	}
	// Output:
	// day 0: 1 events
	// day 1: 2 events
	// day 2: 1 events
}

// Replicate runs independent replications on all cores; each derives its
// randomness from its index, so the results do not depend on the worker count.
func ExampleReplicate() {
	root := sim.NewStream(42)
	means, err := sim.Replicate(context.Background(), 4, 0, func(_ context.Context, rep int) (float64, error) {
		r := root.Key(uint64(rep)).Named("service").Rand()
		sum := 0.0
		for i := 0; i < 1000; i++ {
			sum += r.ExpFloat64()
		}
		return sum / 1000, nil
	})
	if err != nil {
		panic(err)
	}
	for rep, m := range means {
		fmt.Printf("replication %d: mean %.3f\n", rep, m)
	}
	// Output:
	// replication 0: mean 0.990
	// replication 1: mean 0.958
	// replication 2: mean 0.915
	// replication 3: mean 1.012
}

// A distribution as configuration, drawn from a keyed stream: the incubation
// period of person 12 is the same whatever else the run draws.
func ExampleParseDist() {
	d, err := sim.ParseDist("gamma(mean=3.8, sd=2.1)")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v, mean %.2f\n", d.Family, d.Mean())
	person := sim.NewStream(1).Named("incubation").Key(12)
	a := d.Sample(person.Source())
	b := d.Sample(person.Source())
	fmt.Println(a == b)
	// Output:
	// gamma, mean 3.80
	// true
}

// A Line for the ends of runs of one fixed length: the runs that start together
// end together, and fire one after the other without going through the queue.
func ExampleLine() {
	s := sim.New()
	ends := s.NewLine("run-done", 0, func(e sim.Event) {
		fmt.Printf("day %.3f: machine %d done\n", float64(e.Time), e.ID)
	})
	s.AtFunc(0, 0, func() {
		for m := int64(0); m < 3; m++ {
			ends.After(3*sim.Hour, m)
		}
	})
	s.AtFunc(1, 0, func() { ends.After(3*sim.Hour, 0) })
	s.Run()
	// Output:
	// day 0.125: machine 0 done
	// day 0.125: machine 1 done
	// day 0.125: machine 2 done
	// day 1.125: machine 0 done
}
