package bench

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// uncontrolled is the default Omicron city of n people with its contact layers
// scaled to a basic reproduction number of about 2.5, seeded with 10 infections
// and run until no one is infectious. Infectiousness does not vary between people
// here, so that every run takes off (with the default dispersion, 10 index cases
// die out about once in four runs) and ops are comparable.
func uncontrolled(n int) *model.Config {
	cfg := model.DefaultConfig()
	cfg.Population.Areas = []model.Area{{Name: "city", Population: n}}
	scaleLayers(&cfg.Population.Layers, 0.45)
	cfg.Disease.Infectiousness.Dispersion = 0
	cfg.Imports = model.Imports{Initial: 10}
	return cfg
}

// scaleLayers multiplies every layer's reproduction number by f (the household
// secondary attack rate is scaled through its hazard).
func scaleLayers(l *model.Layers, f float64) {
	l.HouseholdSAR = 1 - math.Pow(1-l.HouseholdSAR, f)
	l.Community *= f
	l.City *= f
	for i := range l.Groups {
		l.Groups[i].R *= f
	}
}

// smallOutbreak is a subcritical outbreak (R about 0.7) from 50 index cases,
// followed for 180 days, in a city of n people.
func smallOutbreak(n int) *model.Config {
	cfg := model.DefaultConfig()
	cfg.Population.Areas = []model.Area{{Name: "city", Population: n}}
	scaleLayers(&cfg.Population.Layers, 0.14)
	cfg.Imports = model.Imports{Initial: 50}
	return cfg
}

// BenchmarkEpidemic runs whole epidemics with no control measure. One op is one
// run. It reports infections per run and per second, ns per event and bytes
// allocated per infected person.
func BenchmarkEpidemic(b *testing.B) {
	b.Run("uncontrolled/N=1e6", func(b *testing.B) {
		runEpidemic(b, uncontrolled(1_000_000), model.Options{})
	})
	for _, n := range []struct {
		name string
		n    int
	}{{"1e5", 100_000}, {"8.4e6", 8_400_000}} {
		b.Run("small/N="+n.name, func(b *testing.B) {
			runEpidemic(b, smallOutbreak(n.n), model.Options{Horizon: 180})
		})
	}
}

func runEpidemic(b *testing.B, cfg *model.Config, opts model.Options) {
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
	b.ReportMetric(ns/events, "ns/event")
	if testing.Verbose() {
		fmt.Printf("%s: %.0f events per run\n", b.Name(), events/float64(b.N))
	}
}
