package control

import (
	"container/heap"

	"github.com/epiplan/epiplan/sim"
)

// quarantined counts the people in quarantine now, infected contacts (by
// their weight) and uninfected ones (volume) alike, so that tracing can tell
// how many of the contacts it finds are already in quarantine.
//
// The uninfected contacts are volume, not people: nothing says whether two
// cases' contacts are the same person. In an outbreak a response contains,
// they are few and the difference does not matter; in an epidemic that
// escapes, counting every case's contacts as new people would quarantine more
// people than the city has. Tracing therefore takes a contact to be already in
// quarantine with the share of the residents who are (a contact of a case
// drawn from the whole city: the mean-field assumption of the volume), and
// quarantines only the others.
type quarantined struct {
	now  float64    // people in quarantine now
	ends volumeEnds // when the volume quarantined so far ends
}

// volumeEnd is a volume of uninfected contacts and the end of its quarantine.
type volumeEnd struct {
	end sim.Time
	n   float64
}

// volumeEnds is a min-heap of volumeEnd by end.
type volumeEnds []volumeEnd

func (h volumeEnds) Len() int           { return len(h) }
func (h volumeEnds) Less(i, j int) bool { return h[i].end < h[j].end }
func (h volumeEnds) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *volumeEnds) Push(x any)        { *h = append(*h, x.(volumeEnd)) }
func (h *volumeEnds) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// add counts n more people in quarantine (n < 0: fewer).
func (q *quarantined) add(n float64) { q.now += n }

// addVolume counts n uninfected contacts in quarantine until end.
func (q *quarantined) addVolume(n float64, end sim.Time) {
	q.now += n
	heap.Push(&q.ends, volumeEnd{end, n})
}

// free returns the share of the population of n people who are not in
// quarantine at time now, in [0, 1].
func (q *quarantined) free(now sim.Time, n int) float64 {
	for len(q.ends) > 0 && q.ends[0].end <= now {
		q.now -= heap.Pop(&q.ends).(volumeEnd).n
	}
	if n <= 0 {
		return 1
	}
	return min(1, max(0, 1-q.now/float64(n)))
}
