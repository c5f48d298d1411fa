// Package ring writes the model of Hellewell et al. 2020 ("Feasibility of
// controlling COVID-19 outbreaks by isolation of cases and contacts", Lancet
// Glob Health 8:e488; code: the R package ringbp) on epiplan's public API: an
// epidemic configuration ([Config]) and the isolation of cases and traced
// contacts as a custom measure ([Isolation]). The command examples/hellewell
// prints its probability of controlling an outbreak, and bench plays it in
// BenchmarkControlled/ring.
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
// The isolation uses nothing but the model's public API.
package ring

import (
	"context"
	"math/rand/v2"
	"sync"

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
	// CapCases is the size at which an outbreak is stopped and counted as not
	// controlled.
	CapCases = 5000
	// WeeksEnd is the end of week 16 in days (weeks counted from 0): the runs'
	// horizon. An onset in weeks 12–16, [WeeksStart, WeeksEnd), means the
	// outbreak was not controlled.
	WeeksEnd = 17 * 7
	// WeeksStart is the start of week 12 in days.
	WeeksStart = 12 * 7
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

// Isolation is the paper's control as a custom [model.Measure]: it isolates
// every case at its onset plus a delay, or earlier if it was traced: at its
// onset, or when its infector is isolated if that is later.
//
// It is written as a measure run many times should be: it allocates nothing
// per infection. Its isolation times are kept in a slice by the number of the
// infection ([model.Model.InfectionNumber]), its draws come from one generator
// seeded from the person's key ([sim.Stream.Seed]), and the isolation is
// [model.Model.Isolate], decided when the case is infected, so that the model
// never schedules the contacts it prevents.
type Isolation struct {
	p        Params
	stream   sim.Stream
	pcg      rand.PCG
	isolated []sim.Time // isolation time of each case, by infection number
}

// NewIsolation returns the isolation of scenario p, drawing each case's delay
// and whether it is traced from stream keyed by the person.
func NewIsolation(p Params, stream sim.Stream) *Isolation {
	return &Isolation{p: p, stream: stream}
}

// Attach implements model.Measure.
func (r *Isolation) Attach(m *model.Model) error {
	r.isolated = r.isolated[:0]
	m.Observe(r)
	return nil
}

// OnInfection decides when the new case is isolated, from draws keyed by the
// person, and isolates it then.
func (r *Isolation) OnInfection(m *model.Model, inf *model.Infection) {
	s := r.stream.Key(uint64(inf.Person))
	s.Named("delay").Seed(&r.pcg)
	at := inf.Onset.Add(sim.Duration(r.p.Delay.Sample(&r.pcg)))
	if inf.Infector >= 0 && s.Named("traced").Float64() < r.p.Traced {
		at = min(at, max(inf.Onset, r.isolated[m.InfectionNumber(inf.Infector)]))
	}
	r.isolated = append(r.isolated, at)
	m.Isolate(inf.Person, at)
}

// Outcome is what one outbreak came to.
type Outcome struct {
	Controlled bool // no onset in weeks 12–16 and fewer than CapCases cases
	Infections int  // infections in the run, index cases included
}

// Play plays one outbreak of p on stream, until the end of week 16 or
// CapCases infections.
func Play(p Params, stream sim.Stream) (Outcome, error) { return NewPlayer(p).Play(stream) }

// A Player plays outbreaks of one scenario one after the other, as a loop of
// outbreaks should: it keeps what they share (the configuration, the
// isolation's memory) and passes the memory of the model from each outbreak
// to the next ([model.Scratch]). Its outcomes are Play's. It is not safe for
// concurrent use.
type Player struct {
	cfg     *model.Config
	iso     Isolation
	scratch model.Scratch
}

// NewPlayer returns a Player of the outbreaks of p.
func NewPlayer(p Params) *Player {
	return &Player{cfg: Config(p), iso: Isolation{p: p}}
}

// Play plays one outbreak on stream, as the function Play does.
func (pl *Player) Play(stream sim.Stream) (Outcome, error) {
	m, err := model.New(pl.cfg, stream, model.Options{Horizon: WeeksEnd, MaxInfections: CapCases, Scratch: &pl.scratch})
	if err != nil {
		return Outcome{}, err
	}
	pl.iso.stream = stream.Named("isolation")
	if err := m.Add(&pl.iso); err != nil {
		return Outcome{}, err
	}
	res := m.Run()
	out := Outcome{Controlled: res.StopReason != model.StopMaxInfections, Infections: res.LineList.Len()}
	for i := 0; out.Controlled && i < res.LineList.Len(); i++ {
		if on := res.LineList.At(i).Onset; on >= WeeksStart && on < WeeksEnd {
			out.Controlled = false
		}
	}
	return out, nil
}

// Controlled plays one outbreak of p on stream and reports whether it was
// controlled: no onset in weeks 12–16 and fewer than 5,000 cases.
func Controlled(p Params, stream sim.Stream) (bool, error) {
	out, err := Play(p, stream)
	return out.Controlled, err
}

// ControlProbability returns the share of runs outbreaks of p controlled, on
// the streams of seed and each run.
func ControlProbability(p Params, seed uint64, runs, workers int) (float64, error) {
	root := sim.NewStream(seed)
	players := sync.Pool{New: func() any { return NewPlayer(p) }} // a Player for each worker at a time
	ok, err := sim.Replicate(context.Background(), runs, workers, func(_ context.Context, r int) (bool, error) {
		pl := players.Get().(*Player)
		defer players.Put(pl)
		out, err := pl.Play(root.Key(uint64(r)))
		return out.Controlled, err
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
