package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestInfStoreKeepsEveryInfectionInPlace(t *testing.T) {
	// Across the doubling blocks (128, 256, …, 2048) and the fixed ones
	// (4096): infection i is at(i), a pointer taken when it was added still
	// points to it, and no block is longer than it was made.
	var s infStore
	const n = 3*blockLen + 77
	ptrs := make([]*Infection, n)
	for i := 0; i < n; i++ {
		ptrs[i] = s.add(Infection{Person: PersonID(i)})
	}
	require.Equal(t, n, s.len())
	for i := 0; i < n; i++ {
		require.Same(t, ptrs[i], s.at(int32(i)), "infection %d", i)
		require.Equal(t, PersonID(i), s.at(int32(i)).Person)
	}
	sizes := []int{}
	for _, b := range s.b {
		sizes = append(sizes, cap(b))
	}
	require.Equal(t, []int{128, 256, 512, 1024, 2048, 4096, 4096, 4096}, sizes)
	all := s.all()
	require.Len(t, all, n)
	require.Equal(t, PersonID(n-1), all[n-1].Person)
}

func TestPersonTableAgreesWithAMap(t *testing.T) {
	// Keys spread over the whole range of PersonID (0 and the largest
	// included), with repeated sets, through several doublings: every look-up
	// gives what a map gives, and absent people give -1.
	var tab personTable
	want := map[PersonID]int32{}
	r := rand.New(rand.NewPCG(1, 2))
	keys := []PersonID{0, math.MaxInt32}
	for i := 0; i < 5000; i++ {
		keys = append(keys, PersonID(r.Int32N(math.MaxInt32)))
	}
	for i, p := range keys {
		tab.set(p, int32(i))
		want[p] = int32(i)
		if i%7 == 0 { // set again: the value is replaced
			tab.set(p, int32(i+1))
			want[p] = int32(i + 1)
		}
	}
	require.Equal(t, len(want), tab.n)
	for p, i := range want {
		require.Equal(t, i, tab.get(p), "person %d", p)
	}
	for i := 0; i < 5000; i++ {
		p := PersonID(r.Int32N(math.MaxInt32))
		if _, ok := want[p]; !ok {
			require.Equal(t, int32(-1), tab.get(p), "person %d", p)
		}
	}
	require.LessOrEqual(t, 2*tab.n, len(tab.slots), "at most half full")
	var empty personTable
	require.Equal(t, int32(-1), empty.get(3))
}
