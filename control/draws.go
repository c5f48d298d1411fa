package control

import (
	"math/rand/v2"

	"github.com/epiplan/epiplan/model"
)

// draws is a measure's generator for the draws that belong to a person, keyed
// by the person, a purpose and a number (see [model.Model.PersonStream]), so
// that a draw is the same whatever else the run does.
type draws struct {
	pcg rand.PCG
	rng *rand.Rand // reads pcg
}

// keyed seeds the generator for the draw of person p with a purpose and a
// number, and returns it.
func (d *draws) keyed(m *model.Model, p model.PersonID, purpose string, n uint64) rand.Source {
	m.PersonStream(p).Named(purpose).Key(n).Seed(&d.pcg)
	return &d.pcg
}

// rand returns a generator that reads the source keyed last.
func (d *draws) rand() *rand.Rand {
	if d.rng == nil {
		d.rng = rand.New(&d.pcg)
	}
	return d.rng
}
