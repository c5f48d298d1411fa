package control

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// sirConfig is the classic SIR model in one well-mixed area of n people: no
// households, every case symptomatic with an exponential infectious period of mean
// one day (after an exponential latent period, which changes neither the final
// size nor the outbreak probability), contacts at a constant rate while
// infectious, so that R0 is r0.
func sirConfig(n int, r0 float64) *model.Config {
	return &model.Config{
		Population: model.Population{
			Areas:         []model.Area{{Name: "city", Population: n}},
			AgeGroups:     []model.AgeGroup{{Name: "all", Share: 1, Susceptibility: 1, Symptomatic: 1}},
			HouseholdSize: sim.FixedDist(1),
			Layers:        model.Layers{Community: r0},
		},
		Disease: model.Disease{
			Latent:          sim.ExponentialDist(1),
			Presymptomatic:  sim.FixedDist(0),
			Symptomatic:     sim.ExponentialDist(1),
			Asymptomatic:    sim.ExponentialDist(1),
			OnsetToSevere:   sim.FixedDist(1),
			SevereToOutcome: sim.FixedDist(1),
			Infectiousness:  model.Infectiousness{Timing: model.TimingWindow, AsymptomaticFactor: 1},
		},
		Imports: model.Imports{Initial: 1},
	}
}

// runMany runs n replications of cfg on all cores and returns their results.
func runMany(t *testing.T, cfg *model.Config, seed uint64, n int, opts model.Options) []*model.Result {
	t.Helper()
	root := sim.NewStream(seed)
	res, err := sim.Replicate(context.Background(), n, 0, func(_ context.Context, rep int) (*model.Result, error) {
		m, err := model.New(cfg, root.Key(uint64(rep)), opts)
		if err != nil {
			return nil, err
		}
		return m.Run(), nil
	})
	require.NoError(t, err)
	return res
}

func metric(t *testing.T, r *model.Result, name string) float64 {
	t.Helper()
	v, ok := r.Metric(name)
	require.True(t, ok, name)
	return v
}

// larremoreRise is 0.5 + Gamma(shape 1.5, scale 1) days, redrawn above 3 (the
// time from 10^3 to the peak in Larremore et al.'s code), as 200 equally likely
// quantiles.
func larremoreRise() sim.Dist {
	g := distuv.Gamma{Alpha: 1.5, Beta: 1}
	top := g.CDF(2.5)
	vals := make([]float64, 200)
	for i := range vals {
		vals[i] = 0.5 + g.Quantile(top*(float64(i)+0.5)/200)
	}
	return sim.EmpiricalDist(vals, nil)
}

// larremoreConfig is the model of Larremore et al. 2021 (code:
// LarremoreLab/covid_testing, SEIR_viral_load.py): 10^3 copies/ml 2.5–3.5 days
// after infection, the rise above, a peak of 7–11 log10, symptoms 0–3 days after
// the peak, 10^6 reached 4–9 days after the peak (after onset for symptomatic
// cases), infectiousness log10(load) − 6 above 10^6, 65% never symptomatic and as
// infectious; index cases in a city too large to deplete, the people they infect
// isolated at once.
func larremoreConfig(r0 float64, index int) *model.Config {
	cfg := sirConfig(100_000_000, r0)
	cfg.Population.AgeGroups[0].Symptomatic = 0.35
	d := &cfg.Disease
	d.Latent = sim.UniformDist(2.5, 3.5)
	d.Presymptomatic = sim.FixedDist(1) // replaced by the onset after the peak
	d.Infectiousness = model.Infectiousness{
		Timing: model.TimingViralLoad,
		ViralLoad: model.ViralLoadConfig{Rise: larremoreRise(), Peak: sim.UniformDist(7, 11),
			ToSix: sim.UniformDist(4, 9), ToSixSymptomatic: sim.UniformDist(4, 9)},
		OnsetAfterPeak:     sim.UniformDist(0, 3),
		AsymptomaticFactor: 1,
	}
	cfg.Imports.Initial = index
	return cfg
}

// cityConfig is the default Omicron model in a city of three districts, one with
// two communities, of 60,000 people in all, its layers halved (R0 about 2.5) so
// that the epidemic lasts a few months.
func cityConfig() *model.Config {
	cfg := model.DefaultConfig()
	l := &cfg.Population.Layers
	l.HouseholdSAR, l.Community, l.City = 0.3, l.Community/2, l.City/2
	for i := range l.Groups {
		l.Groups[i].R /= 2
	}
	cfg.Population.Areas = []model.Area{
		{Name: "gulou", Children: []model.Area{
			{Name: "gulou-a", Population: 15_000, Density: 2},
			{Name: "gulou-b", Population: 10_000},
		}},
		{Name: "taijiang", Population: 20_000},
		{Name: "cangshan", Population: 15_000},
	}
	cfg.Imports = model.Imports{Initial: 5, Area: "gulou-a", Rate: 0.5, Until: 30, ExitRate: 0.01,
		Schedule: []model.ImportAt{{Time: 10, Count: 3, Area: "cangshan"}}}
	return cfg
}

func total(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

// isolateSecondary confines every case but the index cases the moment it is
// infected.
type isolateSecondary struct{}

func (isolateSecondary) OnInfection(m *model.Model, inf *model.Infection) {
	if inf.Layer != model.LayerImport {
		m.Confine(inf.Person, model.Facility)
	}
}
