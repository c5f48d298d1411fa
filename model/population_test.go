package model

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/sim"
)

func TestLeafOfIsTheLastLeafStartingAtOrBefore(t *testing.T) {
	// Leaves of uneven sizes, empty ones among them (several at one start):
	// leafOf's table and walk give what a binary search over the leaves'
	// first people gives, for every person at a boundary and at random.
	r := rand.New(rand.NewPCG(4, 5))
	var areas []Area
	for i := 0; i < 300; i++ {
		size := r.IntN(20000)
		if i%17 == 0 {
			size = 0
		}
		areas = append(areas, Area{Name: "a" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Population: size})
	}
	cfg := DefaultConfig()
	cfg.Population.Areas = areas
	c := newCity(&cfg.Population, sim.NewStream(1))
	want := func(p PersonID) int {
		return sort.Search(len(c.leafLo), func(i int) bool { return c.leafLo[i] > p }) - 1
	}
	check := func(p PersonID) {
		if p >= 0 && p < c.n {
			require.Equal(t, want(p), c.leafOf(p), "person %d", p)
		}
	}
	for _, lo := range c.leafLo {
		check(lo - 1)
		check(lo)
		check(lo + 1)
	}
	check(0)
	check(c.n - 1)
	for k := 0; k < 100000; k++ {
		check(PersonID(r.Int32N(int32(c.n))))
	}
}
