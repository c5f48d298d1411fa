package model

import "math/bits"

// blocks holds a growing list in blocks that never move, so that appending
// never moves an element: a pointer to one stays valid for the whole run, a
// growing outbreak never copies its past, and the memory allocated is the
// list's (a slice grown by append allocates about 5 times its final size over
// its life). The first blocks double from blockFirst to blockLen elements, so
// that a small outbreak (most of those a response contains) does not pay for a
// large block. It holds the line list (infStore) and the people's records.
type blocks[T any] struct {
	b [][]T
	n int
}

// infStore holds the line list: a *Infection stays valid for the whole run.
type infStore = blocks[Infection]

const (
	blockFirstLog = 7                  // the first block holds 1 << blockFirstLog elements
	blockLenLog   = 12                 // the later blocks hold 1 << blockLenLog
	blockFirst    = 1 << blockFirstLog // 128
	blockLen      = 1 << blockLenLog   // 4096
	// blockGrown is the number of elements in the doubling blocks (128 +
	// 256 + … + 2048).
	blockGrown = blockLen - blockFirst
)

func (s *blocks[T]) len() int { return s.n }

// blockOf returns the block and the offset within it of element i.
func blockOf(i int) (int, int) {
	if i < blockGrown {
		j := i + blockFirst
		b := bits.Len(uint(j)) - 1 - blockFirstLog
		return b, j - blockFirst<<b
	}
	i -= blockGrown
	return blockLenLog - blockFirstLog + i>>blockLenLog, i & (blockLen - 1)
}

// add appends x and returns a pointer to the stored copy.
func (s *blocks[T]) add(x T) *T {
	if b, off := blockOf(s.n); off == 0 {
		if b < cap(s.b) && s.b[:b+1][b] != nil {
			// A block kept from a run before (reset).
			s.b = s.b[:b+1]
			s.b[b] = s.b[b][:0]
		} else {
			size := blockLen
			if b < blockLenLog-blockFirstLog {
				size = blockFirst << b
			}
			s.b = append(s.b, make([]T, 0, size))
		}
	}
	b := &s.b[len(s.b)-1]
	*b = append(*b, x)
	s.n++
	return &(*b)[len(*b)-1]
}

// reset empties the list and keeps its blocks for the elements added next.
func (s *blocks[T]) reset() {
	s.b = s.b[:0]
	s.n = 0
}

// at returns element i.
func (s *blocks[T]) at(i int32) *T {
	b, off := blockOf(int(i))
	return &s.b[b][off]
}

// all returns a copy of every element, in order.
func (s *blocks[T]) all() []T {
	out := make([]T, 0, s.n)
	for _, b := range s.b {
		out = append(out, b...)
	}
	return out
}

// personIndex maps a person to the index of their record, or -1. While few people
// have records it is a hash table (personTable); once they are more than 1 in 64
// of the city it becomes a paged array (pages of 256 entries allocated when one of
// their people is first touched: people come in households, next to each other),
// where a look-up is two loads. Memory thus follows the people the outbreak
// touches, and a large outbreak gets the faster structure.
type personIndex struct {
	small personTable
	pages []*[256]int32 // entries hold index+1; 0 means none
	n     PersonID

	// infected is a bit set of the people ever infected, kept once the index is
	// paged: 1 bit a person fits in cache where the pages do not, and late in a
	// large outbreak most contacts reach someone already infected.
	infected []uint64
}

// markInfected records that p has been infected.
func (x *personIndex) markInfected(p PersonID) {
	if x.infected != nil {
		x.infected[p>>6] |= 1 << (p & 63)
	}
}

// paged reports whether the index is paged, so that [personIndex.wasInfected]
// knows everyone who was infected.
func (x *personIndex) paged() bool { return x.infected != nil }

// wasInfected reports whether p has been infected; the index must be paged.
func (x *personIndex) wasInfected(p PersonID) bool {
	return x.infected[p>>6]&(1<<(p&63)) != 0
}

func newPersonIndex(n PersonID) personIndex {
	return personIndex{n: n}
}

// get returns the record index of p, or -1 (also for a p that is no one,
// such as an import's infector).
func (x *personIndex) get(p PersonID) int32 {
	if p < 0 || p >= x.n {
		return -1
	}
	if x.pages == nil {
		return x.small.get(p)
	}
	pg := x.pages[p>>8]
	if pg == nil {
		return -1
	}
	return pg[p&255] - 1
}

// toPages turns the hash table into pages; the caller marks who was infected.
func (x *personIndex) toPages() {
	x.pages = make([]*[256]int32, (int(x.n)+255)/256)
	x.infected = make([]uint64, (int(x.n)+63)/64)
	for _, e := range x.small.slots {
		if e != 0 {
			x.set(PersonID(e>>32-1), int32(uint32(e)))
		}
	}
	x.small = personTable{}
}

// set records that p's record is at index i.
func (x *personIndex) set(p PersonID, i int32) {
	if x.pages == nil {
		x.small.set(p, i)
		if x.small.n > int(x.n/64) {
			x.toPages()
		}
		return
	}
	pg := x.pages[p>>8]
	if pg == nil {
		pg = new([256]int32)
		x.pages[p>>8] = pg
	}
	pg[p&255] = i + 1
}

// personTable is a hash table from people to record indices, open addressing
// with linear probing in one slice of 64-bit slots (the person + 1 in the high
// half, the index in the low half; 0 is empty), kept at most half full. Entries
// are never removed. It does the work of a map[PersonID]int32 at a fraction of
// the cost: a look-up is a multiply, a shift and usually one load.
type personTable struct {
	slots []uint64
	shift uint // 64 - log2(len(slots))
	n     int
}

// slot returns the first slot to probe for p (Fibonacci hashing).
func (t *personTable) slot(p PersonID) int {
	return int((uint64(p) + 1) * 0x9e3779b97f4a7c15 >> t.shift)
}

// get returns the index stored for p, or -1.
func (t *personTable) get(p PersonID) int32 {
	if t.n == 0 {
		return -1
	}
	key := uint64(p) + 1
	mask := len(t.slots) - 1
	for i := t.slot(p); ; i = (i + 1) & mask {
		e := t.slots[i]
		if e>>32 == key {
			return int32(uint32(e))
		}
		if e == 0 {
			return -1
		}
	}
}

// set stores index i (≥ 0) for p.
func (t *personTable) set(p PersonID, i int32) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	key := uint64(p) + 1
	mask := len(t.slots) - 1
	for j := t.slot(p); ; j = (j + 1) & mask {
		e := t.slots[j]
		if e == 0 {
			t.slots[j] = key<<32 | uint64(uint32(i))
			t.n++
			return
		}
		if e>>32 == key {
			t.slots[j] = key<<32 | uint64(uint32(i))
			return
		}
	}
}

// grow doubles the table and puts the entries back. It starts at 1,024 slots
// (8 KB), the size of an outbreak a response contains, so that most of them
// never pay for a rehash.
func (t *personTable) grow() {
	old := t.slots
	size := max(1024, 2*len(old))
	t.slots = make([]uint64, size)
	t.shift = uint(64 - bits.Len(uint(size)) + 1)
	t.n = 0
	for _, e := range old {
		if e != 0 {
			t.set(PersonID(e>>32-1), int32(uint32(e)))
		}
	}
}
