package model

// infStore holds the line list in blocks of fixed size, so that appending never
// moves an infection: a *Infection stays valid for the whole run, and a growing
// outbreak never copies its past.
type infStore struct {
	blocks [][]Infection
	n      int
}

const infBlock = 4096

func (s *infStore) len() int { return s.n }

// add appends inf and returns a pointer to the stored copy.
func (s *infStore) add(inf Infection) *Infection {
	if s.n%infBlock == 0 {
		s.blocks = append(s.blocks, make([]Infection, 0, infBlock))
	}
	b := &s.blocks[len(s.blocks)-1]
	*b = append(*b, inf)
	s.n++
	return &(*b)[len(*b)-1]
}

// at returns infection i.
func (s *infStore) at(i int32) *Infection { return &s.blocks[i/infBlock][i%infBlock] }

// all returns a copy of every infection, in order.
func (s *infStore) all() []Infection {
	out := make([]Infection, 0, s.n)
	for _, b := range s.blocks {
		out = append(out, b...)
	}
	return out
}

// personIndex maps a person to the index of their record, or -1. It is a paged
// array over the city's people: a page of 256 entries is allocated when one of
// its people is first touched, so memory follows the people the outbreak touches
// (who come in households, next to each other) and a look-up is two loads.
type personIndex struct {
	pages []*[256]int32 // entries hold index+1; 0 means none
}

func newPersonIndex(n PersonID) personIndex {
	return personIndex{pages: make([]*[256]int32, (int(n)+255)/256)}
}

// get returns the record index of p, or -1.
func (x *personIndex) get(p PersonID) int32 {
	pg := x.pages[p>>8]
	if pg == nil {
		return -1
	}
	return pg[p&255] - 1
}

// set records that p's record is at index i.
func (x *personIndex) set(p PersonID, i int32) {
	pg := x.pages[p>>8]
	if pg == nil {
		pg = new([256]int32)
		x.pages[p>>8] = pg
	}
	pg[p&255] = i + 1
}
