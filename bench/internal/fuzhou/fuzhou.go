// Package fuzhou builds a city like Fuzhou in October 2022 for the strategy
// benchmarks: 8.4 million people in its 13 districts and counties, cut into
// communities of about 10,000, with an Omicron BA.5 outbreak seeded in a dense
// old-town community. It stands in for the scenario file that the scenarios
// package will read.
package fuzhou

import (
	"fmt"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// districts are Fuzhou's districts and counties with their populations
// (thousands), rounded from the 7th national census (2020), scaled to 8.4 million.
var districts = []struct {
	name string
	pop  int
}{
	{"gulou", 700}, {"taijiang", 450}, {"cangshan", 1070}, {"jinan", 800}, {"mawei", 240},
	{"changle", 770}, {"minhou", 910}, {"lianjiang", 610}, {"luoyuan", 210}, {"minqing", 240},
	{"yongtai", 260}, {"fuqing", 1380}, {"pingtan", 760},
}

// Config returns the city with 10 infections imported on day 0 into the first
// community of Gulou, an old-town community twice as dense as the rest.
func Config() *model.Config {
	cfg := model.DefaultConfig()
	var areas []model.Area
	for _, d := range districts {
		people := d.pop * 1000
		n := people / 10_000
		var communities []model.Area
		for i := 0; i < n; i++ {
			c := model.Area{Name: fmt.Sprintf("%s-%03d", d.name, i), Population: people / n}
			if d.name == "gulou" && i == 0 {
				c.Density = 2
			}
			communities = append(communities, c)
		}
		areas = append(areas, model.Area{Name: d.name, Children: communities})
	}
	cfg.Population.Areas = areas
	cfg.Imports = model.Imports{Initial: 10, Area: "gulou-000"}
	return cfg
}

// Strategy returns a built-in strategy with the city's resources: 4,200 sampling
// sites, a lab network of 420 instruments (310,000 tubes a day), 2,000
// investigators handling 3 cases a day each, 200 vehicles, 10,000 isolation beds,
// 2,000 hospital beds for severe cases and 30,000 quarantine rooms [A].
func Strategy(name string) (model.Strategy, error) {
	s, err := model.BuiltinStrategy(name)
	if err != nil {
		return s, err
	}
	if s.Response != nil && !s.Response.Isolation.AtHome {
		r := *s.Response
		r.Isolation.Vehicles = 200
		r.Isolation.Beds = 10_000
		r.Quarantine.Rooms = 30_000
		r.Isolation.HospitalBeds = 2_000
		if r.Tracing.Enabled {
			r.Tracing.Investigators = 2000
			r.Tracing.CasesPerDay = 3
		}
		s.Response = &r
	}
	return s, nil
}

// Run runs one replication of a strategy in the city, up to a horizon of 120
// days; an outbreak that reaches 200,000 infections is stopped as uncontrolled.
func Run(s model.Strategy, rep int) (*model.Model, *model.Result, error) {
	m, err := model.New(Config(), sim.NewStream(2022).Key(uint64(rep)), model.Options{Horizon: 120, MaxInfections: 200_000})
	if err != nil {
		return nil, nil, err
	}
	if err := m.Add(s.Measures()...); err != nil {
		return nil, nil, err
	}
	return m, m.Run(), nil
}
