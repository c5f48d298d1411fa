package bench

import (
	"testing"

	"github.com/epiplan/epiplan/model"
)

// BenchmarkEpidemic runs whole epidemics with no control measure. One op is one
// run. It reports infections per run and per second, ns per event and bytes
// allocated per infected person.
//
//   - uncontrolled/N=1e6: Uncontrolled(1e6), run to the end, exact;
//   - uncontrolled/N=8.4e6: the default city's whole epidemic
//     (DefaultCityEpidemic), no cap, rescaled past 50,000 infections;
//   - small/N=…: SmallOutbreak in cities of 10^4 to 8.4 million people (the
//     cost should not grow with the population);
//   - outbreak/I=…: Uncontrolled in a city of 8.4 million people stopped at
//     10^3 to 10^6 infections (the cost should grow with the infections alone).
func BenchmarkEpidemic(b *testing.B) {
	b.Run("uncontrolled/N=1e6", func(b *testing.B) {
		Epidemic(b, Uncontrolled(1_000_000), model.Options{})
	})
	b.Run("uncontrolled/N=8.4e6", func(b *testing.B) {
		cfg, opts := DefaultCityEpidemic()
		Epidemic(b, cfg, opts)
	})
	for _, c := range PopulationSizes {
		b.Run("small/N="+c.Name, func(b *testing.B) {
			Epidemic(b, SmallOutbreak(c.N), SmallOutbreakOptions)
		})
	}
	for _, c := range OutbreakSizes {
		b.Run("outbreak/I="+c.Name, func(b *testing.B) {
			Epidemic(b, Uncontrolled(OutbreakCity), model.Options{MaxInfections: c.N})
		})
	}
}
