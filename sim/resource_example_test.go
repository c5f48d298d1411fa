package sim_test

import (
	"fmt"

	"github.com/epiplan/epiplan/sim"
)

// A PCR sampling site with two booths, where a swab takes 2 minutes: six people
// arrive in the first three minutes, and the site reports who waited and how busy
// the booths were.
func ExampleServer() {
	s := sim.New()
	site, err := sim.NewServer(s, sim.ServerConfig{
		Name:    "sampling site",
		Servers: 2,
		Service: sim.Fixed{Value: (2 * sim.Minute).Days()},
	}, func(j sim.Job) {
		fmt.Printf("minute %.0f: person %d swabbed after waiting %.0f min\n",
			sim.Duration(s.Now()).Minutes(), j.ID, j.Started.Sub(j.Arrived).Minutes())
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, minute := range []float64{0, 0, 0, 1, 2, 3} {
		id := int64(i + 1)
		s.AtFunc(sim.Time(minute*sim.Minute.Days()), 0, func() { site.Arrive(sim.Job{ID: id}) })
	}
	s.Run()

	r := site.Report(s.Now())
	fmt.Printf("%s: %d swabbed in %.0f min, mean wait %.1f min, longest %.0f min, booths busy %.0f%%\n",
		r.Name, r.Done, r.Period.Minutes(), sim.Duration(r.Wait.Mean).Minutes(),
		sim.Duration(r.Wait.Max).Minutes(), 100*r.Utilization)

	// A bad configuration is an error that names the field.
	_, err = sim.NewServer(s, sim.ServerConfig{Name: "night site"}, nil)
	fmt.Println(err)
	// Output:
	// minute 2: person 1 swabbed after waiting 0 min
	// minute 2: person 2 swabbed after waiting 0 min
	// minute 4: person 3 swabbed after waiting 2 min
	// minute 4: person 4 swabbed after waiting 1 min
	// minute 6: person 5 swabbed after waiting 2 min
	// minute 6: person 6 swabbed after waiting 1 min
	// sampling site: 6 swabbed in 6 min, mean wait 1.0 min, longest 2 min, booths busy 100%
	// sim: server "night site": Servers must be at least 1, got 0
}

// A PCR lab with two instruments that each run a plate of 94 samples in 3 hours,
// and start a partial plate when the oldest sample has waited 2 hours. A delivery
// of 500 tubes is split across plates; the lab reports when each delivery is done.
func ExampleBatchServer() {
	s := sim.New()
	lab, err := sim.NewBatchServer(s, sim.BatchConfig{
		Name:     "pcr lab",
		Machines: 2,
		Batch:    94,
		RunTime:  3 * sim.Hour,
		MaxWait:  2 * sim.Hour,
	}, func(l sim.Lot) {
		fmt.Printf("hour %.0f: delivery %d (%d tubes) done\n", sim.Duration(s.Now()).Hours(), l.ID, l.Units)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	lab.Arrive(1, 500)
	s.AtFunc(sim.Time(sim.Hour), 0, func() { lab.Arrive(2, 30) })
	s.Run()
	fill := lab.Fill()
	fmt.Printf("%d runs, mean fill %.1f tubes\n", lab.Runs(), fill.Mean)
	// Output:
	// hour 9: delivery 1 (500 tubes) done
	// hour 9: delivery 2 (30 tubes) done
	// 6 runs, mean fill 88.3 tubes
}

// An isolation ward with 2 beds that refuses patients when full, so that the
// caller can send them to a makeshift hospital instead.
func ExamplePool() {
	s := sim.New()
	ward, err := sim.NewPool(s, sim.PoolConfig{Name: "ward", Capacity: 2, WhenFull: sim.RefuseWhenFull}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for patient := int64(1); patient <= 3; patient++ {
		if ward.Acquire(patient, 1) {
			fmt.Printf("patient %d: ward\n", patient)
			s.AfterFunc(10*sim.Day, 0, func() { ward.Release(1) })
		} else {
			fmt.Printf("patient %d: ward full, sent to the fangcang\n", patient)
		}
	}
	s.Run()
	r := ward.Report(s.Now())
	fmt.Printf("%.0f bed-days, %d refused\n", r.BusyTime, r.Refused)
	// Output:
	// patient 1: ward
	// patient 2: ward
	// patient 3: ward full, sent to the fangcang
	// 20 bed-days, 1 refused
}
