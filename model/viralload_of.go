package model

// ViralLoadOf returns the viral load curve of infection inf under c, for a
// measure that runs its own test (an antigen self-test, a screening device)
// against a limit of detection (log10 copies/ml): the test is positive at time t
// when ViralLoadOf(inf, c).Log10(t) is at or above it.
//
// The curve is drawn from the infected person's own key, so it is the same
// whenever and however often it is asked for, whatever else the run does, and
// it is the very curve the testing pipeline of the package control uses for
// that person when its viral load is c: a self-test and a PCR test of the same person
// at the same moment see the same load.
func (m *Model) ViralLoadOf(inf *Infection, c *ViralLoadConfig) ViralLoad {
	return m.viralLoad(inf, c)
}
