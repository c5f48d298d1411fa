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
}

// keyed seeds the generator for the draw of person p with a purpose and a
// number, and returns it.
func (d *draws) keyed(m *model.Model, p model.PersonID, purpose string, n uint64) rand.Source {
	m.PersonStream(p).Named(purpose).Key(n).Seed(&d.pcg)
	return &d.pcg
}
