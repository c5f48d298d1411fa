package model

import (
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
