package bench

import (
	"math"
	"runtime"
	"testing"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// Uncontrolled is the default Omicron city of n people with its contact layers
// scaled to a basic reproduction number of about 2.5, seeded with 10 infections
// and run until no one is infectious. Infectiousness does not vary between people
// here, so that every run takes off (with the default dispersion, 10 index cases
// die out about once in four runs) and ops are comparable.
func Uncontrolled(n int) *model.Config {
	cfg := model.DefaultConfig()
	cfg.Population.Areas = []model.Area{{Name: "city", Population: n}}
	ScaleLayers(&cfg.Population.Layers, 0.45)
	cfg.Disease.Infectiousness.Dispersion = 0
	cfg.Imports = model.Imports{Initial: 10}
	return cfg
}

// ScaleLayers multiplies every layer's reproduction number by f (the household
// secondary attack rate is scaled through its hazard).
func ScaleLayers(l *model.Layers, f float64) {
	l.HouseholdSAR = 1 - math.Pow(1-l.HouseholdSAR, f)
	l.Community *= f
	l.City *= f
	for i := range l.Groups {
		l.Groups[i].R *= f
	}
}

// SmallOutbreak is a subcritical outbreak (R about 0.7) from 50 index cases,
// followed for 180 days (SmallOutbreakOptions), in a city of n people.
func SmallOutbreak(n int) *model.Config {
	cfg := model.DefaultConfig()
	cfg.Population.Areas = []model.Area{{Name: "city", Population: n}}
	ScaleLayers(&cfg.Population.Layers, 0.14)
	cfg.Imports = model.Imports{Initial: 50}
	return cfg
}

// SmallOutbreakOptions are the run options of SmallOutbreak: 180 days.
var SmallOutbreakOptions = model.Options{Horizon: 180}

// Epidemic runs whole epidemics of cfg with no control measure, on the streams
// sim.NewStream(1).Key(i) for op i. One op is one run. Beside the time and the
// allocations per run, it reports infections per run (infections/op) and per
// second, events per run, ns per event and per infection, and bytes allocated
// per infected person (B/infection).
func Epidemic(b *testing.B, cfg *model.Config, opts model.Options) {
	b.ReportAllocs()
	var infections, events float64
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < b.N; i++ {
		m, err := model.New(cfg, sim.NewStream(1).Key(uint64(i)), opts)
		if err != nil {
			b.Fatal(err)
		}
		res := m.Run()
		v, _ := res.Metric("infections")
		infections += v
		events += float64(m.Sim().Fired())
	}
	ns := float64(b.Elapsed().Nanoseconds())
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/infections, "B/infection")
	b.ReportMetric(ns/infections, "ns/infection")
	b.ReportMetric(infections/float64(b.N), "infections/op")
	b.ReportMetric(infections/(ns/1e9), "infections/s")
	b.ReportMetric(events/float64(b.N), "events/op")
	b.ReportMetric(ns/events, "ns/event")
}

// Size is a named size of a benchmark case ("1e5").
type Size struct {
	Name string // the size as it appears in benchmark names: "1e5", "8.4e6"
	N    int    // the size itself
}

// PopulationSizes are the cities of the population scaling (SmallOutbreak).
var PopulationSizes = []Size{{"1e4", 10_000}, {"1e5", 100_000}, {"1e6", 1_000_000}, {"8.4e6", 8_400_000}}

// OutbreakSizes are the infection caps of the outbreak-size scaling
// (Uncontrolled in a city of OutbreakCity people).
var OutbreakSizes = []Size{{"1e3", 1_000}, {"1e4", 10_000}, {"1e5", 100_000}, {"1e6", 1_000_000}}

// OutbreakCity is the population of the outbreak-size scaling: large enough
// that a million infections deplete it little (R about 2.5).
const OutbreakCity = 8_400_000

// DefaultCityEpidemic returns the city, virus and imports of the library's
// default scenario (fuzhou-2022: 8.4 million people, 10 imported infections)
// with no control measure and no cap, over the scenario's horizon, with the
// scenario's rescaling of large epidemics.
func DefaultCityEpidemic() (*model.Config, model.Options) {
	sc, err := scenarios.LibraryScenario(scenarios.DefaultScenario)
	if err != nil {
		panic(err) // the library is embedded and tested
	}
	opts := sc.Options()
	opts.MaxInfections = 0
	return sc.Config(), opts
}
