package control

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// isolator isolates cases in a facility: on symptom onset, on a positive test,
// or both.
type isolator struct{ onset, detection bool }

func (x isolator) Attach(m *model.Model) error { m.Observe(x); return nil }

func (x isolator) OnOnset(m *model.Model, inf *model.Infection) {
	if x.onset {
		m.Confine(inf.Person, model.Facility)
	}
}

func (x isolator) OnDetection(m *model.Model, d model.Detection) {
	if x.detection {
		m.Confine(d.Person, model.Facility)
	}
}

// screeningR returns the mean offspring of 5,000 index cases of the default
// virus, isolated at symptom onset, and screened every `every` days with results
// `turnaround` later if every > 0. The people they infect are isolated at once,
// so that only the index cases transmit: the runs stay small and the mean is
// their reproduction number under the policy.
func screeningR(t *testing.T, every, turnaround sim.Duration) float64 {
	cfg := model.DefaultConfig()
	cfg.Population.Areas = []model.Area{{Name: "city", Population: 10_000_000}}
	cfg.Imports.Initial = 5000
	m, err := model.New(cfg, sim.NewStream(23).Key(0), model.Options{})
	require.NoError(t, err)
	require.NoError(t, m.Add(indexCaseScreening(every, DefaultTesting().Test, turnaround)...))
	return m.Run().MeanOffspring[0]
}

// indexCaseScreening returns the measures of a screening experiment on index
// cases: isolation at onset and at detection, the secondary cases isolated at
// once (only the index cases transmit), and, if every > 0, everyone screened
// every `every` days with test kind test, each result `turnaround` after the
// swab, outside the pipeline.
func indexCaseScreening(every sim.Duration, test TestKind, turnaround sim.Duration) []model.Measure {
	measures := []model.Measure{isolator{onset: true, detection: true}, model.MeasureFunc(func(m *model.Model) error {
		m.Observe(isolateSecondary{})
		return nil
	})}
	if every > 0 {
		tc := DefaultTesting()
		tc.Sites = nil
		tc.Symptomatic.Probability = 0
		tc.Test = test
		ta := sim.FixedDist(float64(turnaround))
		tc.Screening = []Screening{{Name: "everyone", Every: every, Turnaround: &ta}}
		measures = append(measures, NewTesting(tc))
	}
	return measures
}

func TestScreeningPreventsTransmission(t *testing.T) {
	// Everyone tested by PCR every D days with results T days later, positives
	// isolated, on top of isolation at symptom onset, for the default Omicron
	// (Larremore et al. 2021 found frequency and turnaround matter more than
	// sensitivity; their model itself is checked against their code in
	// TestScreeningAgainstLarremore). All runs share their
	// seed: the same index cases with the same contacts and viral loads, so the
	// comparisons are paired. Standard error of a difference of two paired means
	// over 5,000 cases: about 0.03.
	base := screeningR(t, 0, 0)
	ds := []sim.Duration{1, 3, 7, 14}
	ts := []sim.Duration{0, 1, 2}
	prevented := map[[2]sim.Duration]float64{}
	var b strings.Builder
	fmt.Fprintf(&b, "isolation on symptoms alone: R = %.2f\n| every D days | T = 0 | T = 1 d | T = 2 d |\n|---:|---:|---:|---:|\n", base)
	for _, d := range ds {
		fmt.Fprintf(&b, "| %v |", d)
		for _, tt := range ts {
			r := screeningR(t, d, tt)
			prevented[[2]sim.Duration{d, tt}] = 1 - r/base
			fmt.Fprintf(&b, " %.0f%% |", 100*(1-r/base))
		}
		b.WriteString("\n")
	}
	t.Logf("fraction of transmission prevented, compared with isolation on symptoms alone:\n%s", b.String())
	// The fraction falls as D or T grows: never rises by more than the noise
	// (0.005), and falls clearly (by more than 0.02) along the first column and row,
	// where the differences are large.
	at := func(i, j int) float64 { return prevented[[2]sim.Duration{ds[i], ts[j]}] }
	for i := range ds {
		for j := range ts {
			assert.GreaterOrEqual(t, at(i, j), -0.005, "D=%v T=%v", ds[i], ts[j])
			if i > 0 {
				assert.LessOrEqual(t, at(i, j), at(i-1, j)+0.005, "less often prevents less: D=%v T=%v", ds[i], ts[j])
				if j == 0 {
					assert.Less(t, at(i, j), at(i-1, j)-0.02, "D=%v T=0", ds[i])
				}
			}
			if j > 0 {
				assert.LessOrEqual(t, at(i, j), at(i, j-1)+0.005, "slower prevents less: D=%v T=%v", ds[i], ts[j])
				if i == 0 {
					assert.Less(t, at(i, j), at(i, j-1)-0.02, "D=1 T=%v", ts[j])
				}
			}
		}
	}
	// With most transmission in the day after the latent period, daily tests with
	// instant results prevent about a third of it.
	assert.Greater(t, at(0, 0), 0.3, "daily tests with instant results prevent much of it")
}

func TestScreeningSchedulesEachInfectionOnce(t *testing.T) {
	// 300 infections at time 0, the instant two programmes start: one idealised,
	// one at sampling sites (a million residents, every 2 days, for 6 days). An
	// infection present when a programme starts is scheduled once: one sample per
	// person and test time, each infected person in every test of their cycle
	// until found, so that the site's swabs are the volume and the infected ones,
	// not twice those.
	for _, ideal := range []bool{true, false} {
		t.Run(fmt.Sprintf("ideal=%v", ideal), func(t *testing.T) {
			const n, infected = 1_000_000, 300
			cfg := quietConfig(n, infected)
			tc := quietTesting()
			tc.ViralLoad.Decline = sim.FixedDist(20) // detectable from day 2 to day 23
			sc := Screening{Name: "all", Every: 2, End: 6}
			if ideal {
				ta := sim.FixedDist(0.5)
				sc.Turnaround = &ta
			} else {
				tc.Sites = []SiteGroup{{Name: "screen", PeoplePerSite: 100_000, SwabsPerHour: 50_000,
					Open: 0, Close: sim.Day, Pool: 1, Pickup: sim.Hour, Travel: sim.Hour}}
				tc.Lab = LabConfig{Instruments: 1000, Wells: 94, RunTime: sim.Hour, MaxWait: sim.Hour}
				sc.Sites = "screen"
			}
			tc.Screening = []Screening{sc}
			m, err := model.New(cfg, sim.NewStream(41).Key(0), model.Options{Horizon: 10})
			require.NoError(t, err)
			tst := NewTesting(tc)
			require.NoError(t, m.Add(tst))
			res := m.Run()
			type test struct {
				p model.PersonID
				t sim.Time
			}
			seen := map[test]int{}
			for _, s := range tst.samples {
				seen[test{s.person, s.swab}]++
			}
			for k, c := range seen {
				require.Equal(t, 1, c, "person %d swabbed %d times at %v", k.p, c, k.t)
			}
			// Everyone is infected at 0 and detectable from day 2: found at their
			// test in [2, 4) (phases uniform over 2 days): one positive sample each
			// (the ideal programme keeps only positive ones), after one negative
			// swab in [0, 2) at the sites.
			detections := total(res.Series.Get("detections"))
			assert.Equal(t, float64(infected), detections, "everyone found")
			if ideal {
				assert.Len(t, tst.samples, infected, "one positive sample each")
			} else {
				// Volume: a million over 2 days, for 6 days; the infected are part of
				// it. Each infected person is followed into two swabs (a negative one
				// in [0, 2), the positive one in [2, 4)).
				assert.Len(t, tst.samples, 2*infected, "two swabs each")
				assert.Equal(t, detections, total(res.Series.Get("positive_tubes")), "one positive tube each")
				assert.InDelta(t, 3*n, tst.Report().Swabs, 1, "swabs: the volume")
			}
		})
	}
}
