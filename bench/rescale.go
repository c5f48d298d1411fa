package bench

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/stat"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
	"github.com/epiplan/epiplan/sim"
)

// EpidemicFigures are the figures of one whole epidemic that the validation of
// the rescaled model against the exact one compares.
type EpidemicFigures struct {
	FinalSize   float64 `json:"final_size"`   // people infected
	PeakDay     float64 `json:"peak_day"`     // day of the most new infections
	PeakDaily   float64 `json:"peak_daily"`   // new infections on that day
	Severe      float64 `json:"severe"`       // severe cases
	Deaths      float64 `json:"deaths"`       // deaths
	HospitalMax float64 `json:"hospital_max"` // most severe cases in hospital at a day's end
}

// RescaleChecks are the figures the validation compares, each with its
// tolerance on the mean over replications: relative, or (PeakDay) one day.
var RescaleChecks = []struct {
	Name     string
	Of       func(EpidemicFigures) float64
	Relative float64 // relative tolerance; 0: absolute, within one day
}{
	{"final size", func(e EpidemicFigures) float64 { return e.FinalSize }, 0.01},
	{"peak day", func(e EpidemicFigures) float64 { return e.PeakDay }, 0},
	{"peak daily infections", func(e EpidemicFigures) float64 { return e.PeakDaily }, 0.05},
	{"severe", func(e EpidemicFigures) float64 { return e.Severe }, 0.05},
	{"deaths", func(e EpidemicFigures) float64 { return e.Deaths }, 0.05},
	{"hospital peak", func(e EpidemicFigures) float64 { return e.HospitalMax }, 0.05},
}

// ValidationCity returns the library's default scenario (fuzhou-2022) with its
// city scaled to n people (its communities of about 10,000 kept), its disease
// and imports, and run options for whole epidemics: 200 days, no cap, the
// scenario's rescaling.
func ValidationCity(n int) (*scenarios.Scenario, *model.Config, model.Options) {
	sc, err := scenarios.LibraryScenario(scenarios.DefaultScenario)
	if err != nil {
		panic(err) // the library is embedded and tested
	}
	cfg := sc.Config()
	total := 0
	for _, a := range cfg.Population.Areas {
		total += areaPeople(a)
	}
	cfg.Population.Areas = scaleAreas(cfg.Population.Areas, float64(n)/float64(total))
	opts := sc.Options()
	opts.Horizon, opts.MaxInfections = 200, 0
	return sc, cfg, opts
}

func areaPeople(a model.Area) int {
	if len(a.Children) == 0 {
		return a.Population
	}
	n := 0
	for _, c := range a.Children {
		n += areaPeople(c)
	}
	return n
}

// scaleAreas returns the areas with their people, and their number of
// communities, scaled by f.
func scaleAreas(as []model.Area, f float64) []model.Area {
	out := append([]model.Area(nil), as...)
	for i := range out {
		out[i].Population = int(math.Round(float64(out[i].Population) * f))
		if out[i].Communities > 0 {
			out[i].Communities = max(1, int(math.Round(float64(out[i].Communities)*f)))
		}
		out[i].Children = scaleAreas(out[i].Children, f)
	}
	return out
}

// PlayFigures plays replications 0..n-1 of strategy st on seed with all cores
// and returns their figures, in replication order.
func PlayFigures(cfg *model.Config, opts model.Options, st control.Strategy, seed uint64, n int) ([]EpidemicFigures, error) {
	out := make([]EpidemicFigures, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				out[r], errs[r] = playFigures(cfg, opts, st, sim.NewStream(seed).Key(uint64(r)))
			}
		}()
	}
	for r := 0; r < n; r++ {
		next <- r
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func playFigures(cfg *model.Config, opts model.Options, st control.Strategy, s sim.Stream) (EpidemicFigures, error) {
	var f EpidemicFigures
	m, err := model.New(cfg, s, opts)
	if err != nil {
		return f, err
	}
	if err := m.Add(st.Measures()...); err != nil {
		return f, err
	}
	res := m.Run()
	f.FinalSize, _ = res.Metric("infections")
	f.Severe, _ = res.Metric("severe")
	f.Deaths, _ = res.Metric("deaths")
	for d, v := range res.Series.Get("new_infections") {
		if v > f.PeakDaily {
			f.PeakDaily, f.PeakDay = v, float64(d)
		}
	}
	for _, v := range res.Series.Get("hospitalized") {
		f.HospitalMax = math.Max(f.HospitalMax, v)
	}
	return f, nil
}

// CompareFigures returns, for each of RescaleChecks, a line comparing the mean
// (± its standard error) of got with that of want, and whether it is within
// its tolerance.
func CompareFigures(got, want []EpidemicFigures) (lines []string, ok []bool) {
	for _, c := range RescaleChecks {
		g, w := make([]float64, len(got)), make([]float64, len(want))
		for i, e := range got {
			g[i] = c.Of(e)
		}
		for i, e := range want {
			w[i] = c.Of(e)
		}
		mg, sg := stat.MeanStdDev(g, nil)
		mw, sw := stat.MeanStdDev(w, nil)
		good := math.Abs(mg-mw) <= 1
		tol := "±1 day"
		if c.Relative > 0 {
			good = math.Abs(mg-mw) <= c.Relative*math.Abs(mw)
			tol = fmt.Sprintf("±%g%%", 100*c.Relative)
		}
		lines = append(lines, fmt.Sprintf("| %s | %.1f ± %.1f | %.1f ± %.1f | %+.2f%% | %s |", c.Name,
			mw, sw/math.Sqrt(float64(len(w))), mg, sg/math.Sqrt(float64(len(g))), 100*(mg-mw)/mw, tol))
		ok = append(ok, good)
	}
	return lines, ok
}

// ScenarioStrategy returns the strategy of sc with that name, with the city's
// resources, or an error naming the strategies there are.
func ScenarioStrategy(sc *scenarios.Scenario, name string) (control.Strategy, error) {
	var names []string
	for i, sp := range sc.Strategies {
		if sp.Name == name {
			return sc.Strategy(i), nil
		}
		names = append(names, sp.Name)
	}
	return control.Strategy{}, fmt.Errorf("%s has no strategy %q (it has %v)", sc.Name, name, names)
}
