// Command hellewell writes the model of Hellewell et al. 2020 ("Feasibility of
// controlling COVID-19 outbreaks by isolation of cases and contacts", Lancet
// Glob Health 8:e488; code: the R package ringbp) on epiplan's public API, and
// prints its probability of controlling an outbreak by the share of contacts
// traced, for short and long delays from onset to isolation.
//
// Their model, as written here:
//   - a branching process without depletion (a city of 10^8, one person per
//     household, uniform mixing), offspring negative binomial with mean R0 and
//     dispersion k = 0.16;
//   - incubation Weibull (shape 2.32, scale 6.49); each infection at the
//     infector's onset plus a skew-normal draw (location 0, scale 2, shape α:
//     30, 1.95, 0.7 for <1%, 15%, 30% of transmission before onset), redrawn if
//     it falls before the infector's own infection (as ringbp does today; the
//     2020 code set such times to 1 day);
//   - every case symptomatic (the paper's baseline), isolated onset + a delay
//     after onset (Weibull shape 1.65, scale 4.29, mean 3.8 days: short; shape
//     2.31, scale 9.48, mean 8.1 days: long); a case infected by a symptomatic
//     case is traced with the given probability, and then isolated at
//     min(own onset + delay, max(own onset, infector's isolation)); isolation
//     stops all transmission;
//   - an outbreak is controlled if no case has its onset in weeks 12 to 16 and
//     it never reaches 5,000 cases.
//
// The isolation is a custom measure (ringIsolation): it sees every infection,
// confines each case at its isolation time, and uses nothing but the model's
// public API.
//
//	go run ./examples/hellewell -runs 1000
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// Params is one scenario of the paper.
type Params struct {
	R0         float64  // reproduction number without control
	K          float64  // dispersion of the offspring (0.16)
	IndexCases int      // initial cases (5, 20, 40)
	Traced     float64  // probability that a contact is traced
	Alpha      float64  // skew-normal shape: 30, 1.95, 0.7 for <1%, 15%, 30% presymptomatic
	Delay      sim.Dist // onset to isolation
}

// Published distributions (Hellewell et al. 2020, Methods).
var (
	// Incubation period, Weibull (Backer et al. 2020).
	Incubation = sim.WeibullDist(2.322737, 6.492272)
	// ShortDelay is the onset-to-isolation delay of SARS in Singapore, and
	// LongDelay of the early outbreak in Wuhan.
	ShortDelay = sim.WeibullDist(1.651524, 4.287786)
	LongDelay  = sim.WeibullDist(2.305172, 9.483875)
)

// Baseline is the paper's baseline scenario: R0 2.5, 20 index cases, 15% of
// transmission before onset, short delay, no asymptomatic cases.
func Baseline(traced float64) Params {
	return Params{R0: 2.5, K: 0.16, IndexCases: 20, Traced: traced, Alpha: 1.95, Delay: ShortDelay}
}

const (
	capCases = 5000   // an outbreak that reaches this many cases is not controlled
	weeksEnd = 17 * 7 // the end of week 16 (weeks counted from 0)
)

// Config returns the epidemic of p as an epiplan configuration.
func Config(p Params) *model.Config {
	long := sim.FixedDist(60) // infectious until long after any contact
	return &model.Config{
		Population: model.Population{
			Areas:         []model.Area{{Name: "world", Population: 100_000_000}},
			AgeGroups:     []model.AgeGroup{{Name: "all", Share: 1, Susceptibility: 1, Symptomatic: 1}},
			HouseholdSize: sim.FixedDist(1),
			Layers:        model.Layers{Community: p.R0},
		},
		Disease: model.Disease{
			Latent:          sim.FixedDist(0),
			Presymptomatic:  Incubation,
			Symptomatic:     long,
			Asymptomatic:    long,
			OnsetToSevere:   sim.FixedDist(1),
			SevereToOutcome: sim.FixedDist(1),
			Infectiousness: model.Infectiousness{
				Timing:             model.TimingOnset,
				OnsetShift:         sim.SkewNormalDist(0, 2, p.Alpha),
				Dispersion:         p.K,
				AsymptomaticFactor: 1,
			},
		},
		Imports: model.Imports{Initial: p.IndexCases},
	}
}

// ringIsolation isolates every case at its onset plus a delay, or earlier if it
// was traced: at its onset, or when its infector is isolated if that is later.
type ringIsolation struct {
	p        Params
	stream   sim.Stream
	isolated map[model.PersonID]sim.Time
}

// Attach implements model.Measure.
func (r *ringIsolation) Attach(m *model.Model) error {
	r.isolated = map[model.PersonID]sim.Time{}
	m.Observe(r)
	return nil
}

// OnInfection decides when the new case is isolated, from draws keyed by the
// person, and schedules it.
func (r *ringIsolation) OnInfection(m *model.Model, inf *model.Infection) {
	s := r.stream.Key(uint64(inf.Person))
	at := inf.Onset.Add(sim.Duration(r.p.Delay.Sample(s.Named("delay").Source())))
	if inf.Infector >= 0 && s.Named("traced").Float64() < r.p.Traced {
		at = min(at, max(inf.Onset, r.isolated[inf.Infector]))
	}
	r.isolated[inf.Person] = at
	p := inf.Person
	m.Sim().AtFunc(at, model.PriorityPolicy, func() { m.Confine(p, model.Facility) })
}

// Controlled plays one outbreak of p on stream and reports whether it was
// controlled: no onset in weeks 12–16 and fewer than 5,000 cases.
func Controlled(p Params, stream sim.Stream) (bool, error) {
	m, err := model.New(Config(p), stream, model.Options{Horizon: weeksEnd, MaxInfections: capCases})
	if err != nil {
		return false, err
	}
	if err := m.Add(&ringIsolation{p: p, stream: stream.Named("isolation")}); err != nil {
		return false, err
	}
	res := m.Run()
	if res.StopReason == model.StopMaxInfections {
		return false, nil
	}
	for i := 0; i < res.LineList.Len(); i++ {
		if on := res.LineList.At(i).Onset; on >= 12*7 && on < weeksEnd {
			return false, nil
		}
	}
	return true, nil
}

// ControlProbability returns the share of runs outbreaks of p controlled, on
// the streams of seed and each run.
func ControlProbability(p Params, seed uint64, runs, workers int) (float64, error) {
	root := sim.NewStream(seed)
	ok, err := sim.Replicate(context.Background(), runs, workers, func(_ context.Context, r int) (bool, error) {
		return Controlled(p, root.Key(uint64(r)))
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range ok {
		if c {
			n++
		}
	}
	return float64(n) / float64(runs), nil
}

func main() {
	runs := flag.Int("runs", 500, "outbreaks per setting")
	seed := flag.Uint64("seed", 1, "seed")
	workers := flag.Int("workers", 0, "runs at once (0: all cores)")
	flag.Parse()
	if err := table(os.Stdout, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}, *runs, *seed, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "hellewell:", err)
		os.Exit(1)
	}
}

// table prints P(control) by the share of contacts traced for the baseline
// with short and long delays, with the binomial standard error.
func table(w io.Writer, traced []float64, runs int, seed uint64, workers int) error {
	fmt.Fprintf(w, "P(control), R0 2.5, k 0.16, 20 index cases, 15%% before onset, %d runs each (± 1 binomial SE)\n", runs)
	fmt.Fprintln(w, "| traced | short delay | long delay |\n|---:|---:|---:|")
	for _, traced := range traced {
		fmt.Fprintf(w, "| %.0f%% |", 100*traced)
		for _, delay := range []sim.Dist{ShortDelay, LongDelay} {
			p := Baseline(traced)
			p.Delay = delay
			c, err := ControlProbability(p, seed, runs, workers)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, " %.3f ± %.3f |", c, math.Sqrt(c*(1-c)/float64(runs)))
		}
		fmt.Fprintln(w)
	}
	return nil
}
