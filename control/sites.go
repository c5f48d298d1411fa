package control

import (
	"math"

	"github.com/epiplan/epiplan/model"
)

// site is one sampling site, modelled as a fluid first-come-first-served queue:
// people are volume, arriving at a rate over the site's opening hours, swabbed at
// the site's capacity, and pooled in tubes in the order they are swabbed. Its
// work grows with the changes of its demand and the collections of its tubes,
// not with the people it swabs. Times are in days.
type site struct {
	group  int            // index of its SiteGroup
	lo, hi model.PersonID // the residents it serves
	mu     float64        // swabs per day while open
	open   float64        // opening hours as fractions of a day
	close  float64
	pool   int

	streams []stream // volume demand, by rate over open hours

	t       float64 // the state below is at time t
	q       float64 // people waiting
	served  float64 // swabs so far, plus the padding that closes a partial tube each night
	swabs   float64 // swabs so far
	counted float64 // swabs already counted in the model's daily series
	picked  int64   // tubes collected so far
	// lastSlot is the last swab place given to an infected person (-1: none);
	// lastServed is served at that swab, and infected the number of infected
	// people swabbed so far (see Testing.onSiteSwab).
	lastSlot   int64
	lastServed float64
	infected   float64

	// statistics since the start
	busy, openTime, qArea, qMax float64

	marked  []int32 // tubes holding an infected sample, not yet collected, in tube order
	pickups bool    // a collection is scheduled
}

// stream is a volume of arrivals at a rate (people per day of opening hours) from
// start to end.
type stream struct{ start, end, rate float64 }

// openAt reports whether the site is open at time t, and when that next changes.
func (s *site) openAt(t float64) (bool, float64) {
	// A time within a rounding error of a boundary counts as past it, so that
	// stepping from boundary to boundary always moves forward.
	const eps = 1e-9
	day := math.Floor(t + eps)
	tod := t - day
	switch {
	case tod < s.open-eps:
		return false, day + s.open
	case tod < s.close-eps:
		return true, day + s.close
	default:
		return false, day + 1 + s.open
	}
}

// openTimeIn returns the opening time within [a, b).
func (s *site) openTimeIn(a, b float64) float64 {
	total := 0.0
	for t := a; t < b; {
		open, next := s.openAt(t)
		next = min(next, b)
		if open {
			total += next - t
		}
		t = next
	}
	return total
}

// active reports whether the site has demand now or to come, or tubes to collect.
func (s *site) active() bool {
	return len(s.streams) > 0 || s.q > 1e-9 || int64(math.Floor(s.served/float64(s.pool)+1e-9)) > s.picked || len(s.marked) > 0
}

// advance moves the site's state to time t1.
func (s *site) advance(t1 float64) {
	for s.t < t1 {
		open, b := s.openAt(s.t)
		b = min(b, t1)
		lam := 0.0
		if open {
			for _, st := range s.streams {
				switch {
				case st.start <= s.t && s.t < st.end:
					lam += st.rate
					b = min(b, st.end)
				case st.start > s.t:
					b = min(b, st.start)
				}
			}
		}
		mu := 0.0
		if open {
			mu = s.mu
			s.openTime += b - s.t
		}
		s.piece(lam, mu, b-s.t)
		wasOpen := open
		s.t = b
		if wasOpen {
			if now, _ := s.openAt(s.t); !now {
				s.closeTube()
			}
		}
	}
	// Drop the streams that have ended.
	kept := s.streams[:0]
	for _, st := range s.streams {
		if st.end > s.t {
			kept = append(kept, st)
		}
	}
	s.streams = kept
}

// piece advances the queue by dt with arrival rate lam and service rate mu.
func (s *site) piece(lam, mu, dt float64) {
	if dt <= 0 {
		return
	}
	q0 := s.q
	var served float64
	switch {
	case q0 <= 1e-12 && lam <= mu:
		served = lam * dt
		s.q = 0
	case lam >= mu:
		served = mu * dt
		s.q = q0 + (lam-mu)*dt
		s.qArea += (q0 + s.q) / 2 * dt
	default:
		// The queue drains at mu - lam, perhaps to empty within dt.
		tz := q0 / (mu - lam)
		if tz >= dt {
			served = mu * dt
			s.q = q0 - (mu-lam)*dt
			s.qArea += (q0 + s.q) / 2 * dt
		} else {
			served = mu*tz + lam*(dt-tz)
			s.q = 0
			s.qArea += q0 / 2 * tz
		}
	}
	s.served += served
	s.swabs += served
	if mu > 0 {
		s.busy += served / mu
	}
	s.qMax = max(s.qMax, s.q)
}

// closeTube pads the swab count to a whole number of tubes when the site closes:
// the partial tube of the day is closed and goes with the next collection.
//
// The places of infected swabs may run ahead of the fluid count (see
// Testing.onSiteSwab): the padding covers the last one's tube, and the next
// infected swab starts after it, in a new tube, as the day's next swabs do.
func (s *site) closeTube() {
	n := float64(s.pool)
	s.served = max(s.served, float64(s.lastSlot+1))
	if frac := s.served/n - math.Floor(s.served/n); frac > 1e-9 {
		s.served = (math.Floor(s.served/n) + 1) * n
	}
	s.lastSlot = max(s.lastSlot, int64(math.Floor(s.served+1e-9))-1)
	s.lastServed = s.served
}

// swabTime returns when someone joining the queue at time a (after advance(a))
// is swabbed: once the people ahead of them are.
func (s *site) swabTime(a float64) float64 {
	remaining := s.q
	for t := a; ; {
		open, next := s.openAt(t)
		if open {
			if can := s.mu * (next - t); can >= remaining {
				return t + remaining/s.mu
			} else {
				remaining -= can
			}
		}
		t = next
	}
}

// closedTubes returns the number of tubes closed so far.
func (s *site) closedTubes() int64 {
	return int64(math.Floor(s.served/float64(s.pool) + 1e-9))
}
