// Command planning asks epiplan's planner an inverse question whose answer is
// known: how many PCR instruments does a city need to report every tube of a
// city-wide testing round within 24 hours of its opening? It writes the
// scenario (a round of -people residents pooled -pool to a tube, swabbed in
// the first hour), works the answer out by hand, and then lets package plan
// find it by simulation, sizing resources.lab.instruments against the target
// days_to_last_site_result<=32h (the round opens at 08:00 on day 0):
//
//	go run ./examples/planning -people 300000 -pool 10 -out results/planning
//
// It prints both answers and the plan's cost, and writes the plan's outputs
// (plan.json, plan.html, the frontier) into -out. The same question on the
// command line is
//
//	epiplan plan FILE --size resources.lab.instruments=1:400 --target 'days_to_last_site_result<=32h'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/epiplan/epiplan/plan"
	"github.com/epiplan/epiplan/scenarios"
)

func main() {
	people := flag.Int("people", 300_000, "residents tested in the round")
	pool := flag.Int("pool", 10, "swabs pooled in a tube")
	out := flag.String("out", "", "folder for the plan's outputs (none if empty)")
	flag.Parse()
	if err := run(os.Stdout, *people, *pool, *out); err != nil {
		fmt.Fprintln(os.Stderr, "planning:", err)
		os.Exit(1)
	}
}

// The round: 30 sampling sites open 08:00–09:00 and swab everyone; vans
// collect every 30 minutes and drive 30 minutes, so the tubes reach the lab
// from 09:00. An instrument runs 94 tubes in 3 hours.
const (
	sites    = 30
	wells    = 94
	runHours = 3.0
	arrive   = 9.0  // hour the first tubes reach the lab
	deadline = 32.0 // 24 hours after the 08:00 opening
)

// scenario returns the scenario file of the round.
func scenario(people, pool int) string {
	return fmt.Sprintf(`name: round
seed: 11
replications: 4
horizon: 3d
population:
  areas:
    - {name: city, population: %d, communities: %d}
imports: {initial: 1}
resources:
  sites:
    - {name: round, people_per_site: %d, swabs_per_hour: 1000000, open: 8h, close: 9h, pool: %d, pickup: 30m, travel: 30m}
  lab: {instruments: 100, wells: %d, run_time: 3h, max_wait: 30m, prioritize: false}
strategies:
  - name: one_round
    builtin: mitigation
    testing:
      mass:
        - {name: round, sites: round, start: 8h, window: 1d, participation: 1}
`, people, sites, people/sites, pool, wells)
}

// byHand returns the instruments the round needs: its tubes over the tubes
// one instrument runs before the deadline.
func byHand(people, pool int) int {
	tubes := math.Ceil(float64(people) / float64(pool))
	plates := math.Floor((deadline - arrive) / runHours)
	return int(math.Ceil(tubes / (wells * plates)))
}

func run(w io.Writer, people, pool int, out string) error {
	if people < sites || people > 5_000_000 || people%sites != 0 {
		return fmt.Errorf("-people must be a multiple of %d from %d to 5,000,000", sites, sites)
	}
	if pool < 1 || pool > 50 {
		return errors.New("-pool must be from 1 to 50")
	}
	sc, err := scenarios.Parse("round.yaml", []byte(scenario(people, pool)))
	if err != nil {
		return err
	}
	want := byHand(people, pool)
	size, err := plan.ParseSize(fmt.Sprintf("resources.lab.instruments=1:%d", 4*want+8))
	if err != nil {
		return err
	}
	target, err := plan.ParseTarget("days_to_last_site_result<=32h", 0.9)
	if err != nil {
		return err
	}
	res, err := plan.Search(context.Background(), &plan.Problem{Scenario: sc, Size: []plan.SizeKnob{size}, Targets: []plan.Target{target}},
		plan.Options{MinReplications: 2, MaxReplications: 4, Confirm: 4})
	if err != nil {
		return err
	}
	m := res.Manifest(nil)
	if m.Recommended == nil {
		return errors.New("the plan found no candidate")
	}
	fmt.Fprintf(w, "round of %d people, %d to a tube: %d tubes\n", people, pool, (people+pool-1)/pool)
	fmt.Fprintf(w, "by hand:   %d instruments\n", want)
	fmt.Fprintf(w, "plan:      %s (meets the target: %v; %d candidates, %d runs)\n", m.Recommended.Sets[0], m.Recommended.MeetsTargets, len(m.Candidates), m.Runs)
	for _, c := range m.Recommended.Costs {
		if c.Metric == "total_cost" || c.Metric == "cost_fixed" || c.Metric == "cost_testing" {
			fmt.Fprintf(w, "  %-13s %12.0f %s\n", c.Metric, c.Mean, sc.Costs.Currency)
		}
	}
	if out != "" {
		return scenarios.ReplaceDir(out, true, func(tmp string) error { return res.Write(tmp, nil) })
	}
	return nil
}
