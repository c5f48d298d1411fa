package control

import (
	"math"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// staticManagement is city-wide static management on a trigger of community
// detections, lifted after a quiet spell.
type staticManagement struct {
	*Response
	recent     []sim.Time // times of recent community detections
	static     bool       // static management in force
	lastStatic sim.Time   // last community detection under static management
	staticDays model.Daily
}

// lockdownDays returns the person-days of residents under any lockdown, each
// counted once: a day under city-wide static management counts the city, the
// risk zones within it being part of it; another day counts the residents of
// high- and medium-risk zones.
func lockdownDays(res *model.Result) float64 {
	high, medium := res.Series.Get("lockdown_high"), res.Series.Get("lockdown_medium")
	t := 0.0
	for d, s := range res.Series.Get("lockdown_static") {
		if s > 0 {
			t += s
		} else {
			t += high[d] + medium[d]
		}
	}
	return t
}

// communityCase records a community detection at now, for static management:
// enough of them within the window put the whole city under it, and a quiet
// spell lifts it.
func (r *staticManagement) communityCase(now sim.Time) {
	st := &r.cfg.Static
	if !st.Enabled || now < r.cfg.From || r.cfg.Until > 0 && now >= r.cfg.Until {
		return
	}
	m := r.m
	r.lastStatic = now
	if r.static {
		r.scheduleLift(now)
		return
	}
	kept := r.recent[:0]
	for _, t := range r.recent {
		if t > now-sim.Time(st.WithinDays) {
			kept = append(kept, t)
		}
	}
	r.recent = append(kept, now)
	if len(r.recent) < st.Detections {
		return
	}
	r.static = true
	r.zones.setStatic(st.Contacts)
	lo, hi := model.PersonID(0), model.PersonID(m.Population())
	m.Level(r.staticDays, now, sim.Time(math.Inf(1)), float64(hi-lo))
	r.scheduleLift(now)
}

// scheduleLift lifts static management LiftAfter days after the community
// detection at t, unless another comes first.
func (r *staticManagement) scheduleLift(t sim.Time) {
	r.m.Sim().AtFunc(t.Add(r.cfg.Static.LiftAfter), model.PriorityPolicy, func() {
		if !r.static || r.lastStatic != t {
			return
		}
		m := r.m
		r.static = false
		r.recent = r.recent[:0]
		r.zones.setStatic(1)
		m.Level(r.staticDays, m.Now(), sim.Time(math.Inf(1)), -float64(m.Population()))
	})
}
