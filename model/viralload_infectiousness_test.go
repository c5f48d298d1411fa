package model

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/epiplan/epiplan/sim"
)

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
func larremoreConfig(r0 float64, index int) *Config {
	cfg := sirConfig(100_000_000, r0)
	cfg.Population.AgeGroups[0].Symptomatic = 0.35
	d := &cfg.Disease
	d.Latent = sim.UniformDist(2.5, 3.5)
	d.Presymptomatic = sim.FixedDist(1) // replaced by the onset after the peak
	d.Infectiousness = Infectiousness{
		Timing: TimingViralLoad,
		ViralLoad: ViralLoadConfig{Rise: larremoreRise(), Peak: sim.UniformDist(7, 11),
			ToSix: sim.UniformDist(4, 9), ToSixSymptomatic: sim.UniformDist(4, 9)},
		OnsetAfterPeak:     sim.UniformDist(0, 3),
		AsymptomaticFactor: 1,
	}
	cfg.Imports.Initial = index
	return cfg
}

func TestViralLoadInfectiousness(t *testing.T) {
	// Without control and with every case symptomatic, R is the layer's
	// strength: 20,000 index cases, Poisson offspring of mean 2.5, standard error
	// 0.011.
	cfg := larremoreConfig(2.5, 20_000)
	cfg.Population.AgeGroups[0].Symptomatic = 1
	m, err := New(cfg, sim.NewStream(3).Key(0), Options{})
	require.NoError(t, err)
	require.NoError(t, m.Add(MeasureFunc(func(m *Model) error { m.Observe(isolateSecondary{}); return nil })))
	res := m.Run()
	r0 := res.MeanOffspring[0]
	t.Logf("R0 %.3f", r0)
	assert.InDelta(t, 2.5, r0, 3*math.Sqrt(2.5/20_000))
	// Every contact falls while the infector's load is at or above 10^6, and a
	// symptomatic case's onset follows its peak by 0–3 days.
	by := map[PersonID]*Infection{}
	for i := 0; i < res.LineList.Len(); i++ {
		inf := res.LineList.At(i)
		by[inf.Person] = inf
		if inf.Infector < 0 {
			v := m.ViralLoadOf(inf, &ViralLoadConfig{})
			if inf.Symptomatic {
				require.GreaterOrEqual(t, float64(inf.Onset-v.PeakTime), 0.0)
				require.LessOrEqual(t, float64(inf.Onset-v.PeakTime), 3.0)
			}
			continue
		}
		src := by[inf.Infector]
		require.GreaterOrEqual(t, m.ViralLoadOf(src, &ViralLoadConfig{}).Log10(inf.Time), 6-1e-9)
	}
}
