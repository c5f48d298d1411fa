package model

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"sort"

	"github.com/epiplan/epiplan/sim"
)

// PersonID identifies a person of the city: an index in [0, population). A person's
// id does not depend on the course of a run, so a person infected in two runs is
// the same person in both. Leaf areas hold contiguous ranges of ids.
type PersonID int32

// AreaID identifies an area: an index into the areas in depth-first order.
type AreaID int32

// areaInfo is an area as the model uses it.
type areaInfo struct {
	name     string
	parent   AreaID // -1 at the top
	district AreaID // its top-level ancestor (itself at the top)
	depth    int
	lo, hi   PersonID // the people living in it: [lo, hi)
	density  float64  // product of the densities on the path from the top
	leaf     bool
}

// city is the static population: areas and the rules that place people in
// households and groups. It holds nothing that grows with the outbreak.
type city struct {
	areas  []areaInfo
	leaves []AreaID   // leaf areas in id order
	leafLo []PersonID // leafLo[i] is the first person of leaves[i]
	// leafAt[b] is the leaf of person b<<leafShift (see leafOf).
	leafAt    []int32
	leafShift uint
	n         PersonID // population

	ageCum []float64 // cumulative age shares

	hhSizes sim.Dist      // household sizes
	hhDraw  sim.Empirical // an empirical hhSizes on pcg: the same draws without Dist.Sample's dispatch

	groups []groupInfo

	stream sim.Stream // keyed draws of the static population
	ages   sim.Stream // stream.Named("age"): the age of each person
	pcg    *rand.PCG  // reseeded for each keyed draw

	// share holds, for every run of householdChunk people drawn so far, a bit
	// set of the offsets at which a household starts, by the run's number in the
	// city (shared by the runs of a Cities); leafRun[i] is the number of the
	// first run of leaves[i].
	share    *cityShare
	leafRun  []int32
	runCount int32 // runs of people in the city
}

// groupInfo is a group layer as the model uses it.
type groupInfo struct {
	name  string
	ages  uint64  // bit set of the age groups that take part
	share float64 // fraction of those who do
	// The permuted city is cut into blocks of block people; the first slots of
	// each block are a group's places, taken by the eligible people who fall there.
	block, slots int32
	perm         feistel
	rOffset      int // index of the layer in the model's layer list
}

// newCity builds the static population of a valid configuration.
func newCity(p *Population, root sim.Stream) *city {
	c := &city{hhSizes: p.HouseholdSize, stream: root.Named("population"), pcg: new(rand.PCG)}
	c.ages = c.stream.Named("age")
	if c.hhSizes.Family == sim.FamilyEmpirical {
		c.hhDraw, _ = sim.NewEmpirical(c.hhSizes.Values, c.hhSizes.Weights, c.pcg) // valid: checked with the configuration
	}
	var runs int32 // runs of householdChunk people so far
	var walk func(a *Area, parent, district AreaID, depth int, density float64)
	walk = func(a *Area, parent, district AreaID, depth int, density float64) {
		if a.Communities > 1 {
			e := a.expand()
			a = &e
		}
		id := AreaID(len(c.areas))
		if parent < 0 {
			district = id
		}
		d := a.Density
		if d == 0 {
			d = 1
		}
		c.areas = append(c.areas, areaInfo{name: a.Name, parent: parent, district: district, depth: depth, lo: c.n, density: density * d, leaf: len(a.Children) == 0})
		if len(a.Children) == 0 {
			c.leaves = append(c.leaves, id)
			c.leafLo = append(c.leafLo, c.n)
			c.leafRun = append(c.leafRun, runs)
			runs += int32((a.Population + householdChunk - 1) / householdChunk)
			c.n += PersonID(a.Population)
		}
		for i := range a.Children {
			walk(&a.Children[i], id, district, depth+1, density*d)
		}
		c.areas[id].hi = c.n
	}
	for i := range p.Areas {
		walk(&p.Areas[i], -1, 0, 0, 1)
	}
	c.indexLeaves()
	c.runCount = runs
	c.share = newCityShare(nil, c.drawnRuns()) // its own, unless the model is given a Cities
	sum := 0.0
	for _, g := range p.AgeGroups {
		sum += g.Share
		c.ageCum = append(c.ageCum, sum)
	}
	c.ageCum[len(c.ageCum)-1] = math.Inf(1)
	for i, g := range p.Layers.Groups {
		gi := groupInfo{name: g.Name, share: g.Share}
		if gi.share == 0 {
			gi.share = 1
		}
		eligible := 0.0
		for j, a := range p.AgeGroups {
			in := len(g.Ages) == 0
			for _, name := range g.Ages {
				in = in || name == a.Name
			}
			if in {
				gi.ages |= 1 << j
				eligible += a.Share
			}
		}
		// The places of a group hold Size eligible people on average, and a share
		// of each block's people have places.
		slots := max(2, math.Round(float64(g.Size)/eligible))
		block := max(slots, math.Round(slots/gi.share))
		gi.block = int32(min(block, float64(c.n)))
		gi.slots = int32(min(slots, float64(gi.block)))
		gi.perm = newFeistel(uint64(c.n), c.stream.Named("group").Key(uint64(i)))
		c.groups = append(c.groups, gi)
	}
	return c
}

// leafOf returns the index in c.leaves of the leaf area person p lives in: the
// last leaf that starts at or before p. It is called for most events of a run,
// so it starts from a table of the leaf of every 2^leafShift-th person
// (about two entries a leaf) and walks forward, usually not at all.
func (c *city) leafOf(p PersonID) int {
	i := int(c.leafAt[p>>c.leafShift])
	for i+1 < len(c.leafLo) && c.leafLo[i+1] <= p {
		i++
	}
	return i
}

// indexLeaves builds the table of leafOf.
func (c *city) indexLeaves() {
	avg := max(1, int(c.n)/max(1, len(c.leafLo)))
	c.leafShift = uint(bits.Len(uint(avg))) - 1 // 2^leafShift ≤ the mean leaf
	c.leafAt = make([]int32, int(c.n)>>c.leafShift+1)
	for b := range c.leafAt {
		first := PersonID(b) << c.leafShift
		c.leafAt[b] = int32(sort.Search(len(c.leafLo), func(i int) bool { return c.leafLo[i] > first }) - 1)
	}
}

// has reports whether p is one of the city's people.
func (c *city) has(p PersonID) bool { return p >= 0 && p < c.n }

// areaOf returns the leaf area person p lives in.
func (c *city) areaOf(p PersonID) AreaID { return c.leaves[c.leafOf(p)] }

// age returns the age group of person p, drawn from p's key.
func (c *city) age(p PersonID) uint8 {
	if len(c.ageCum) == 1 {
		return 0 // one age group: no draw needed (it is keyed, nothing else moves)
	}
	return c.ageIn(c.ages, p)
}

// ageIn returns the age group of person p from the city's stream of ages, s
// (c.ages), for loops over many people.
func (c *city) ageIn(s sim.Stream, p PersonID) uint8 {
	u := s.Key(uint64(p)).Float64()
	i := 0
	for u >= c.ageCum[i] {
		i++
	}
	return uint8(i)
}

// inGroup reports whether person p of age group age takes part in group layer g.
func (c *city) inGroup(g *groupInfo, p PersonID, age uint8) bool {
	if g.ages&(1<<age) == 0 {
		return false
	}
	return int64(g.perm.forward(uint64(p)))%int64(g.block) < int64(g.slots)
}

// householdChunk is the length of the runs of people whose households are drawn
// together. Households never straddle two runs, so the last household of a run is
// cut short: with runs of 512 people and households of 2.6 on average, about one
// household in 200 is smaller than drawn.
const householdChunk = 512

// household returns the first person and the size of p's household. Households
// are drawn, as a sequence of sizes from the household-size distribution, for each
// run of householdChunk people of a leaf area, keyed by the area and the run: a
// person's household is the same in every run of the model. The sequence makes a
// random person's household size-biased, as it is in a real city.
func (c *city) household(p PersonID) (PersonID, int) {
	leaf := c.leafOf(p)
	lo, hi := c.leafLo[leaf], c.n
	if leaf+1 < len(c.leafLo) {
		hi = c.leafLo[leaf+1]
	}
	chunk := (p - lo) / householdChunk
	start := lo + chunk*householdChunk
	end := min(start+householdChunk, hi)
	if c.hhSizes.Family == sim.FamilyFixed {
		// Every household of size k: the same runs as drawn below (a fixed
		// distribution draws nothing), without a set to build and keep.
		k := PersonID(c.hhSizes.P1)
		first := start + (p-start)/k*k
		return first, int(min(first+k, end) - first)
	}
	run := c.leafRun[leaf] + int32(chunk)
	set := c.share.run(run)
	if set == nil {
		set = new(runStarts)
		c.stream.Named("household").Key(uint64(c.leaves[leaf])).Key(uint64(chunk)).Seed(c.pcg)
		for at := start; at < end; at += PersonID(c.hhDraw.Rand()) {
			off := at - start
			set.starts[off/64] |= 1 << (off % 64)
		}
		set = c.share.store(run, set)
	}
	first := start + PersonID(set.prev(int(p-start)))
	last := start + PersonID(set.next(int(p-start)+1, int(end-start)))
	return first, int(last - first)
}

// runStarts is the bit set of household starts within one run of people.
type runStarts struct {
	starts [householdChunk / 64]uint64
}

// prev returns the largest start ≤ off; offset 0 is always a start.
func (r *runStarts) prev(off int) int {
	w := off / 64
	if x := r.starts[w] & (^uint64(0) >> (63 - off%64)); x != 0 {
		return w*64 + bits.Len64(x) - 1
	}
	for w--; ; w-- {
		if r.starts[w] != 0 {
			return w*64 + bits.Len64(r.starts[w]) - 1
		}
	}
}

// next returns the smallest start ≥ off, or end if there is none before it.
func (r *runStarts) next(off, end int) int {
	for w := off / 64; w*64 < end; w++ {
		x := r.starts[w]
		if w == off/64 {
			x &= ^uint64(0) << (off % 64)
		}
		if x != 0 {
			return min(w*64+bits.TrailingZeros64(x), end)
		}
	}
	return end
}

// groupBlock returns the range, in permuted indices, of the places of the group
// of layer g that person p falls in, and p's own permuted index.
func (c *city) groupBlock(g *groupInfo, p PersonID) (lo, hi, self int64) {
	q := int64(g.perm.forward(uint64(p)))
	lo = q - q%int64(g.block)
	hi = min(lo+int64(g.slots), int64(c.n))
	return lo, hi, q
}

// feistel is a keyed pseudo-random permutation of [0, n): a balanced Feistel
// network over the smallest even number of bits that holds n, with cycle-walking
// to stay inside [0, n). It is a bijection computable both ways in O(1), which
// lets a group layer cut the city into fixed, well-mixed groups without storing
// anything per person.
type feistel struct {
	n    uint64
	half uint // bits per half
	keys [4]uint64
}

func newFeistel(n uint64, s sim.Stream) feistel {
	b := uint(bits.Len64(n - 1))
	if n <= 1 {
		b = 0
	}
	b += b & 1
	if b < 2 {
		b = 2
	}
	f := feistel{n: n, half: b / 2}
	for i := range f.keys {
		f.keys[i] = s.Key(uint64(i)).Uint64()
	}
	return f
}

func (f *feistel) round(x uint64, i int) uint64 {
	return mix(x^f.keys[i]) & (1<<f.half - 1)
}

func (f *feistel) encrypt(x uint64) uint64 {
	mask := uint64(1)<<f.half - 1
	l, r := x>>f.half, x&mask
	for i := 0; i < 4; i++ {
		l, r = r, l^f.round(r, i)
	}
	return l<<f.half | r
}

func (f *feistel) decrypt(x uint64) uint64 {
	mask := uint64(1)<<f.half - 1
	l, r := x>>f.half, x&mask
	for i := 3; i >= 0; i-- {
		l, r = r^f.round(l, i), l
	}
	return l<<f.half | r
}

// forward maps x in [0, n) to its permuted index.
func (f *feistel) forward(x uint64) uint64 {
	for {
		x = f.encrypt(x)
		if x < f.n {
			return x
		}
	}
}

// inverse maps a permuted index back.
func (f *feistel) inverse(x uint64) uint64 {
	for {
		x = f.decrypt(x)
		if x < f.n {
			return x
		}
	}
}

// mix is the SplitMix64 finalizer.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
