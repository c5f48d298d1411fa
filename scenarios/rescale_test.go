package scenarios

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// regenExact rewrites testdata/rescale-exact-1m.json, the exact model's figures
// the rescaled runs are validated against (about 40 runs of 1 to 10 s each on a
// quiet machine): go test ./scenarios -run TestRescaleAgainstExact -regen-exact
var regenExact = flag.Bool("regen-exact", false, "rewrite testdata/rescale-exact-1m.json from exact runs")

// epidemicFigures are the figures of one run that the validation compares.
type epidemicFigures struct {
	FinalSize   float64 `json:"final_size"`   // people infected
	PeakDay     float64 `json:"peak_day"`     // day of the most new infections
	PeakDaily   float64 `json:"peak_daily"`   // new infections on that day
	Severe      float64 `json:"severe"`       // severe cases
	Deaths      float64 `json:"deaths"`       // deaths
	HospitalMax float64 `json:"hospital_max"` // most severe cases in hospital at a day's end
}

// validationCity is the fuzhou-2022 city scaled to 1,000,000 people (its
// communities of about 10,000 kept), with its disease and imports, over 200
// days without a cap.
func validationCity(t testing.TB) (*Scenario, *model.Config, model.Options) {
	sc, err := LibraryScenario("fuzhou-2022")
	require.NoError(t, err)
	cfg := sc.Config()
	cfg.Population.Areas = scaleAreas(cfg.Population.Areas, 1e6/8.4e6)
	opts := sc.Options()
	opts.Horizon, opts.MaxInfections = 200, 0
	return sc, cfg, opts
}

// scaleAreas returns the areas with their people, and their number of
// communities, scaled by f.
func scaleAreas(as []Area, f float64) []Area {
	out := append([]Area(nil), as...)
	for i := range out {
		out[i].Population = int(math.Round(float64(out[i].Population) * f))
		if out[i].Communities > 0 {
			out[i].Communities = max(1, int(math.Round(float64(out[i].Communities)*f)))
		}
		out[i].Children = scaleAreas(out[i].Children, f)
	}
	return out
}

// Area is model.Area, named here for scaleAreas.
type Area = model.Area

// figuresOf plays replications 0..n-1 of strategy st and returns their figures.
func figuresOf(t testing.TB, cfg *model.Config, opts model.Options, st model.Strategy, seed uint64, n int) []epidemicFigures {
	out := make([]epidemicFigures, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range next {
				m, err := model.New(cfg, sim.NewStream(seed).Key(uint64(r)), opts)
				if err != nil {
					panic(err)
				}
				if err := m.Add(st.Measures()...); err != nil {
					panic(err)
				}
				res := m.Run()
				f := epidemicFigures{}
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
				out[r] = f
			}
		}()
	}
	for r := 0; r < n; r++ {
		next <- r
	}
	close(next)
	wg.Wait()
	return out
}

// TestRescaleAgainstExact validates the rescaled model (model.Rescale, the
// scenario's defaults) against the exact individual model in a city of a
// million people where both run: 20 replications each of no intervention and of
// mitigation, whole epidemics without a cap. The means over the replications
// must agree: final size within 1% (relative), the day of the peak of new
// infections within a day, the peak's new infections, severe cases, deaths and
// the most severe cases in hospital within 5%. The exact figures are kept in
// testdata (see -regen-exact): an exact run of this city takes about 10 s.
func TestRescaleAgainstExact(t *testing.T) {
	if testing.Short() {
		t.Skip("40 whole epidemics in a city of a million")
	}
	const reps, seed = 20, 2022
	sc, cfg, opts := validationCity(t)
	names := []string{"no_intervention", "mitigation"}
	golden := "testdata/rescale-exact-1m.json"
	exact := map[string][]epidemicFigures{}
	if *regenExact {
		exactOpts := opts
		exactOpts.Rescale = model.Rescale{}
		for _, name := range names {
			exact[name] = figuresOf(t, cfg, exactOpts, sc.Strategy(sc.strategyIndex(name)), seed, reps)
		}
		b, err := json.MarshalIndent(exact, "", " ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(golden, append(b, '\n'), 0o644))
	}
	b, err := os.ReadFile(golden)
	require.NoError(t, err, "run with -regen-exact to make it")
	require.NoError(t, json.Unmarshal(b, &exact))

	require.Equal(t, 50000, opts.Rescale.Threshold, "the scenario's default rescaling is validated")
	for _, name := range names {
		st := sc.Strategy(sc.strategyIndex(name))
		got := figuresOf(t, cfg, opts, st, seed, reps)
		want := exact[name]
		require.Len(t, want, reps, name)
		type check struct {
			what string
			f    func(epidemicFigures) float64
			tol  float64 // relative; 0: absolute, one day
		}
		for _, c := range []check{
			{"final size", func(e epidemicFigures) float64 { return e.FinalSize }, 0.01},
			{"peak day", func(e epidemicFigures) float64 { return e.PeakDay }, 0},
			{"peak daily infections", func(e epidemicFigures) float64 { return e.PeakDaily }, 0.05},
			{"severe", func(e epidemicFigures) float64 { return e.Severe }, 0.05},
			{"deaths", func(e epidemicFigures) float64 { return e.Deaths }, 0.05},
			{"hospital peak", func(e epidemicFigures) float64 { return e.HospitalMax }, 0.05},
		} {
			g, w := figureValues(got, c.f), figureValues(want, c.f)
			mg, sg := stat.MeanStdDev(g, nil)
			mw, sw := stat.MeanStdDev(w, nil)
			t.Logf("%s %-22s rescaled %10.1f ± %7.1f  exact %10.1f ± %7.1f  (%+.2f%%)", name, c.what, mg, sg/math.Sqrt(reps), mw, sw/math.Sqrt(reps), 100*(mg-mw)/mw)
			if c.tol == 0 {
				assert.InDelta(t, mw, mg, 1, "%s: %s", name, c.what)
			} else {
				assert.InEpsilon(t, mw, mg, c.tol, "%s: %s", name, c.what)
			}
		}
	}
}

func figureValues(fs []epidemicFigures, f func(epidemicFigures) float64) []float64 {
	out := make([]float64, len(fs))
	for i, e := range fs {
		out[i] = f(e)
	}
	return out
}

// TestRescaleKeepsSmallRunsExact checks that rescaling changes nothing in runs
// that stay below its threshold: the library's four strategies on the
// fuzhou-2022 city (2 replications of 40 days, up to 4,000 infections), with the default
// rescaling and without, give the same result bit for bit (every metric, every
// daily series, every infection of the line list); with a threshold of 3,000,
// the runs that stay below it are still the exact ones and the others rescale.
func TestRescaleKeepsSmallRunsExact(t *testing.T) {
	sc, err := LibraryScenario("fuzhou-2022")
	require.NoError(t, err)
	cfg := sc.Config()
	opts := sc.Options()
	opts.MaxInfections, opts.Horizon = 4000, 40
	exactOpts := opts
	exactOpts.Rescale = model.Rescale{}
	small := opts
	small.Rescale.Threshold = 3000
	rescaled := 0
	for i := range sc.Strategies {
		st := sc.Strategy(i)
		for r := uint64(0); r < 2; r++ {
			run := func(o model.Options) (*model.Result, *model.Model) {
				m, err := model.New(cfg, sim.NewStream(sc.Seed).Key(r), o)
				require.NoError(t, err)
				require.NoError(t, m.Add(st.Measures()...))
				return m.Run(), m
			}
			a, _ := run(exactOpts)
			b, mb := run(opts)
			require.Equal(t, fingerprint(a), fingerprint(b), "%s, replication %d: the default rescaling changed the run", st.Name, r)
			require.False(t, mb.Rescaled(), "%s, replication %d", st.Name, r)
			c, mc := run(small)
			if v, _ := a.Metric("infections"); v < 3000 {
				require.Equal(t, fingerprint(a), fingerprint(c), "%s, replication %d: a run below the threshold changed", st.Name, r)
				require.False(t, mc.Rescaled())
			} else {
				require.True(t, mc.Rescaled(), "%s, replication %d: a run past the threshold did not rescale", st.Name, r)
				rescaled++
			}
		}
	}
	require.Positive(t, rescaled, "some run passes the threshold")
}

// fingerprint returns everything a run produced, as text.
func fingerprint(res *model.Result) string {
	s := fmt.Sprintf("%s %v %d %v %v\n", res.StopReason, res.End, res.Days, res.Metrics, res.MeanOffspring)
	for i, n := range res.Series.Names {
		s += fmt.Sprintf("%s %v\n", n, res.Series.Values[i])
	}
	for i := 0; i < res.LineList.Len(); i++ {
		s += fmt.Sprintf("%+v\n", *res.LineList.At(i))
	}
	return s
}
