package bench

import (
	"fmt"
	"testing"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// MassRound is a city of n people in 100 communities, 1,000 of them infected on
// day 0 with no onward transmission, and one city-wide PCR round on day 3: every
// resident comes between 8:00 and 20:00 to one of n/2,000 sampling sites (200
// swabs an hour, 7:00–23:00), swabs are pooled 10 to a tube, vans collect every 2
// hours and drive an hour to a lab network of 94-well instruments with 3-hour
// runs, sized to clear the round's tubes within 24 hours of the opening (6 runs
// a day each for the round). Positive pools recall their members.
func MassRound(n int) (*model.Config, control.TestingConfig) {
	cfg := model.DefaultConfig()
	cfg.Population.Layers = model.Layers{}
	var communities []model.Area
	for i := 0; i < 100; i++ {
		communities = append(communities, model.Area{Name: fmt.Sprintf("c%02d", i), Population: n / 100})
	}
	cfg.Population.Areas = []model.Area{{Name: "city", Children: communities}}
	cfg.Imports = model.Imports{Initial: 1000}
	tc := control.DefaultTesting()
	tc.Symptomatic.Probability = 0
	tc.Sites = []control.SiteGroup{{Name: "mass", PeoplePerSite: 2000, SwabsPerHour: 200,
		Open: 7 * sim.Hour, Close: 23 * sim.Hour, Pool: 10, Pickup: 2 * sim.Hour, Travel: sim.Hour}}
	tubes := float64(n) / 10
	tc.Lab = control.LabConfig{Instruments: int(tubes/(94*6)) + 1, Wells: 94, RunTime: 3 * sim.Hour, MaxWait: sim.Hour, Prioritize: true}
	tc.Mass = []control.MassTesting{{Name: "round", Sites: "mass", Start: 3 + sim.Time(8*sim.Hour), Window: 12 * sim.Hour, Participation: 1}}
	return cfg, tc
}

// MassTesting runs one city-wide round in a city of n people (MassRound),
// on the streams sim.NewStream(1).Key(i) for op i. One op is a whole run, from
// building the model to the last report; it reports the events, the tubes, the
// hours from the opening of the round to the lab's last result for a pooled tube
// (pooled-hours) and to the last result of a recall (recall-hours), and how many
// of the 1,000 infected were found (those still in their latent period, or with
// a load too low to be seen in a pool of 10, are not).
func MassTesting(b *testing.B, n int) {
	cfg, tc := MassRound(n)
	b.ReportAllocs()
	var events, found, tubes, hours, pooled float64
	for i := 0; i < b.N; i++ {
		m, err := model.New(cfg, sim.NewStream(1).Key(uint64(i)), model.Options{})
		if err != nil {
			b.Fatal(err)
		}
		tst := control.NewTesting(tc)
		if err := m.Add(tst); err != nil {
			b.Fatal(err)
		}
		res := m.Run()
		events += float64(m.Sim().Fired())
		r := tst.Report()
		tubes += r.Tubes
		hours += float64(r.LastResult.Sub(tc.Mass[0].Start).Hours())
		pooled += float64(r.LastSiteResult.Sub(tc.Mass[0].Start).Hours())
		for _, v := range res.Series.Get("detections") {
			found += v
		}
	}
	b.ReportMetric(events/float64(b.N), "events/op")
	b.ReportMetric(tubes/float64(b.N), "tubes/op")
	b.ReportMetric(found/float64(b.N), "found/op")
	b.ReportMetric(pooled/float64(b.N), "pooled-hours")
	b.ReportMetric(hours/float64(b.N), "recall-hours")
}

// MassTestingSizes are the cities of BenchmarkMassTesting.
var MassTestingSizes = []Size{{"1e6", 1_000_000}, {"8.4e6", 8_400_000}}
