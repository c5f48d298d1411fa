package control

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// runStrategy runs one replication of cityConfig under s.
func runStrategy(t *testing.T, s Strategy, rep uint64) *model.Result {
	t.Helper()
	m, err := model.New(cityConfig(), sim.NewStream(61).Key(rep), model.Options{Horizon: 60, MaxInfections: 20_000})
	require.NoError(t, err)
	require.NoError(t, m.Add(s.Measures()...), s.Name)
	return m.Run()
}

// sameUntil asserts that every series of a and b agrees on the days before day.
func sameUntil(t *testing.T, a, b *model.Result, day int) {
	t.Helper()
	for i, name := range a.Series.Names {
		x, y := a.Series.Values[i], b.Series.Get(name)
		require.NotNil(t, y, name)
		for d := 0; d < day && d < len(x); d++ {
			require.Equal(t, x[d], y[d], "%s on day %d", name, d)
		}
	}
}

func TestSwitchToTheSameStrategyChangesNothing(t *testing.T) {
	// The ninth edition handing over to itself at noon between its first and
	// second mass-testing rounds: the run is the same, series by series, as the
	// ninth edition alone (the campaign goes on, the zones and quarantines are
	// kept).
	for rep := uint64(0); rep < 3; rep++ {
		a := runStrategy(t, NinthEdition(), rep)
		first := 0
		for a.Series.Get("detections")[first] == 0 {
			first++
		}
		s := NinthEdition()
		// Round 1 starts the morning after the first detection, round 2 three
		// days later.
		s.Switch = &Switch{At: sim.Time(first) + 2.5, To: NinthEdition()}
		b := runStrategy(t, s, rep)
		require.Equal(t, a.Days, b.Days)
		require.Greater(t, a.Series.Sum("swabs"), 100_000.0, "the rounds swab the city")
		sameUntil(t, a, b, a.Days)
		assert.Equal(t, a.Metrics, b.Metrics)
	}
}

func TestSwitchOff(t *testing.T) {
	// The ninth edition until day 8, then nothing: the same run up to day 8;
	// from then on no risk zone, no mass-testing round and no test on symptoms,
	// so that, once the samples already taken are reported, nobody is found but
	// people still in quarantine and severe cases in hospital; the epidemic grows
	// larger than under the ninth edition throughout.
	const at = 8
	var grew int
	for rep := uint64(0); rep < 3; rep++ {
		a := runStrategy(t, NinthEdition(), rep)
		s := NinthEdition()
		s.Switch = &Switch{At: at, To: NoIntervention()}
		b := runStrategy(t, s, rep)
		sameUntil(t, a, b, at)
		require.Greater(t, b.Series.Sum("detections"), 0.0, "cases found before the switch")
		high, medium := b.Series.Get("lockdown_high"), b.Series.Get("lockdown_medium")
		det := b.Series.Get("detections")
		inQuarantine, inHospital := b.Series.Get("detections_quarantine"), b.Series.Get("detections_hospital")
		for d := at; d < b.Days; d++ {
			require.Zero(t, high[d]+medium[d], "zones lifted at the switch (day %d)", d)
			if d >= at+3 {
				// Three days are enough to report what was in the pipeline;
				// people in quarantine are still tested until it ends, and
				// severe cases in hospital.
				other := det[d]
				if inQuarantine != nil {
					other -= inQuarantine[d]
				}
				if inHospital != nil {
					other -= inHospital[d]
				}
				require.Zero(t, other, "day %d", d)
			}
		}
		if metric(t, b, "infections") > metric(t, a, "infections") {
			grew++
		}
	}
	assert.Equal(t, 3, grew, "stopping the measures lets the epidemic grow")
}

func TestSwitchOn(t *testing.T) {
	// Nothing until day 10, then mitigation (tests on symptoms, home
	// isolation): the same run as no intervention until day 10, no case found
	// before it, cases found and isolated after it.
	const at = 10
	a := runStrategy(t, NoIntervention(), 1)
	s := NoIntervention()
	s.Switch = &Switch{At: at, To: Mitigation()}
	b := runStrategy(t, s, 1)
	sameUntil(t, a, b, at)
	det := b.Series.Get("detections")
	for d := 0; d < at; d++ {
		require.Zero(t, det[d], "day %d", d)
	}
	assert.Greater(t, b.Series.Sum("detections"), 50.0)
	assert.Greater(t, b.Series.Sum("isolated_home"), 100.0)
}

func TestSwitchNinthToTwenty(t *testing.T) {
	// The ninth edition, then the twenty measures from day 10: medium-risk zones
	// are abolished at the switch, and the compounds (2,000 people) locked at
	// the switch are lifted, the twenty measures drawing buildings (200) around
	// the cases from then on; contacts of contacts are
	// no longer quarantined at home after it... and the run is the ninth
	// edition's up to the switch.
	const at = 10
	var highKept int
	for rep := uint64(0); rep < 4; rep++ {
		a := runStrategy(t, NinthEdition(), rep)
		s := NinthEdition()
		s.Switch = &Switch{At: at, To: TwentyMeasures()}
		b := runStrategy(t, s, rep)
		sameUntil(t, a, b, at)
		medium := b.Series.Get("lockdown_medium")
		for d := at; d < b.Days; d++ {
			require.Zero(t, medium[d], "no medium-risk zone after the switch (day %d)", d)
		}
		before, after := a.Series.Get("lockdown_high")[at-1], b.Series.Get("lockdown_high")
		if before > 0 && after[at] < before && slices.Max(after[at:]) > 0 {
			highKept++
		}
	}
	assert.Greater(t, highKept, 0, "compounds in force at the switch lifted, buildings drawn after it")
}

func TestSwitchChangesThePipeline(t *testing.T) {
	// The twenty measures from day 10 with twice the lab and a screening
	// programme of every worker every 3 days: the same run as the ninth edition
	// until day 10; from then on the lab has 840 instruments (by hand: a lab
	// report's capacity) and the workers are swabbed, about a third of them a
	// day (share of adults × employment / 3 days; the city of 60,000 has no
	// screening before).
	const at = 10
	to := TwentyMeasures()
	to.Testing.Lab.Instruments *= 2
	to.Testing.Screening = []Screening{{Name: "workers", Group: "work", Every: 3, Sites: "community"}}
	s := NinthEdition()
	s.Switch = &Switch{At: at, To: to}
	m, err := model.New(cityConfig(), sim.NewStream(61).Key(0), model.Options{Horizon: 30, MaxInfections: 20_000})
	require.NoError(t, err)
	ms := s.Measures()
	require.NoError(t, m.Add(ms...))
	b := m.Run()
	a := runStrategy(t, NinthEdition(), 0)
	sameUntil(t, a, b, at)
	tst := ms[0].(*Testing)
	assert.Equal(t, 840, tst.cfg.Lab.Instruments)
	assert.Equal(t, 840, tst.lab.server.Report(m.Now()).Capacity)
	swabs := b.Series.Get("swabs")
	// A third of the workers a day: 60,000 × adult share × 0.75 / 3.
	adults := 0.0
	for _, g := range m.Config().Population.AgeGroups {
		if g.Name == "adult" {
			adults = g.Share
		}
	}
	want := 60000 * adults * 0.75 / 3
	extra := swabs[at+15] - a.Series.Get("swabs")[min(at+15, len(a.Series.Get("swabs"))-1)]
	t.Logf("swabs on day %d: %v with the switch, %v without; %v workers a day expected", at+15, swabs[at+15], a.Series.Get("swabs")[at+15], want)
	assert.InDelta(t, want, extra, 0.2*want)
}

func TestSwitchErrors(t *testing.T) {
	m, err := model.New(cityConfig(), sim.NewStream(1), model.Options{Horizon: 10})
	require.NoError(t, err)
	// A lab cannot shrink, plates and sites cannot change, a screening
	// programme cannot stop, and switch times must increase.
	other := TwentyMeasures()
	other.Testing.Lab.Instruments = 7
	s := NinthEdition()
	s.Switch = &Switch{At: 5, To: other}
	assert.ErrorContains(t, m.Add(s.Measures()...), "switch.to: strategy \"twenty_measures\" has fewer lab instruments (7)")
	m, err = model.New(cityConfig(), sim.NewStream(1), model.Options{Horizon: 10})
	require.NoError(t, err)
	other = TwentyMeasures()
	other.Testing.Lab.Wells = 46
	s.Switch = &Switch{At: 5, To: other}
	assert.ErrorContains(t, m.Add(s.Measures()...), "has other sampling sites, plates or viral load")
	m, err = model.New(cityConfig(), sim.NewStream(1), model.Options{Horizon: 10})
	require.NoError(t, err)
	screened := NinthEdition()
	screened.Testing.Screening = []Screening{{Name: "workers", Group: "work", Every: 3, Sites: "community"}}
	screened.Switch = &Switch{At: 5, To: TwentyMeasures()}
	assert.ErrorContains(t, m.Add(screened.Measures()...), "stops or changes the screening programme \"workers\"")

	m, err = model.New(cityConfig(), sim.NewStream(1), model.Options{Horizon: 10})
	require.NoError(t, err)
	later := Mitigation()
	later.Switch = &Switch{At: 3, To: NoIntervention()}
	s = NinthEdition()
	s.Switch = &Switch{At: 5, To: later}
	assert.ErrorContains(t, m.Add(s.Measures()...), "switch.to.switch.at: must be a finite time after day 5")

	// The new rules are checked.
	m, err = model.New(cityConfig(), sim.NewStream(1), model.Options{Horizon: 10})
	require.NoError(t, err)
	bad := TwentyMeasures()
	bad.Response.Quarantine.Compliance = 2
	s = NinthEdition()
	s.Switch = &Switch{At: 5, To: bad}
	assert.ErrorContains(t, m.Add(s.Measures()...), "switch.to.response.quarantine.compliance")
}
