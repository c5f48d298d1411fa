package bench

import "testing"

// BenchmarkMassTesting runs one city-wide round (see MassTesting) in cities of
// one million and 8.4 million people.
func BenchmarkMassTesting(b *testing.B) {
	for _, c := range MassTestingSizes {
		b.Run("N="+c.Name, func(b *testing.B) { MassTesting(b, c.N) })
	}
}
