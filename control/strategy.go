package control

import (
	"fmt"
	"sort"

	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

// Strategy is a named bundle of control measures: how cases are found (Testing)
// and what is done about them (Response: isolation, tracing, quarantine, zones).
// A nil part is not used.
type Strategy struct {
	Name     string          // names the strategy in the outputs
	Testing  *TestingConfig  // how cases are found; nil: no testing
	Response *ResponseConfig // what is done about them; nil: nothing
	// Switch, if set, hands the run over to another strategy at a time (the
	// twenty measures replaced the ninth edition on 11 November 2022); see
	// [Switch].
	Switch *Switch
}

// Measures returns new measures for one run of the strategy, to add to a model.
func (s *Strategy) Measures() []model.Measure {
	if s.Switch != nil {
		return switchedMeasures(s)
	}
	var ms []model.Measure
	var t *Testing
	if s.Testing != nil {
		t = NewTesting(*s.Testing)
		ms = append(ms, t)
	}
	if s.Response != nil {
		ms = append(ms, NewResponse(*s.Response, t))
	}
	return ms
}

// builtins are the built-in strategies by name.
var builtins = map[string]func() Strategy{
	"no_intervention": NoIntervention,
	"mitigation":      Mitigation,
	"ninth_edition":   NinthEdition,
	"twenty_measures": TwentyMeasures,
}

// BuiltinStrategies returns the names of the built-in strategies, sorted.
func BuiltinStrategies() []string {
	var names []string
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// BuiltinStrategy returns the built-in strategy of that name.
func BuiltinStrategy(name string) (Strategy, error) {
	f, ok := builtins[name]
	if !ok {
		return Strategy{}, fmt.Errorf("unknown strategy %q (built in: %v)", name, BuiltinStrategies())
	}
	return f(), nil
}

// NoIntervention is the counterfactual: nothing is done.
func NoIntervention() Strategy { return Strategy{Name: "no_intervention"} }

// Mitigation tests people with symptoms and isolates them at home; no tracing,
// no quarantine, no zones.
func Mitigation() Strategy {
	tc := DefaultTesting()
	tc.Sites = nil
	// [A]: fewer people seek a test when testing is not required; 1 day.
	tc.Symptomatic = SymptomaticTesting{Probability: 0.6, Delay: sim.GammaDist(1, 0.7)}
	return Strategy{
		Name:    "mitigation",
		Testing: &tc,
		Response: &ResponseConfig{
			// Home isolation of 7 days [A].
			Isolation: IsolationConfig{AtHome: true, Stay: sim.FixedDist(7)},
		},
	}
}

// dynamicZero is what the ninth edition and the twenty measures share: testing
// on symptoms, transfer to isolation, contact tracing.
func dynamicZero() (TestingConfig, ResponseConfig) {
	tc := DefaultTesting()
	// Everyone with fever was tested at clinics in 2022 [A: 90%, half a day].
	tc.Symptomatic = SymptomaticTesting{Probability: 0.9, Delay: sim.GammaDist(0.5, 0.3)}
	rc := ResponseConfig{
		Isolation: IsolationConfig{
			// Transfer to isolation within hours of the report (应转尽转) [A: 12
			// hours on average, 2-hour trips]; discharge after about 10 days, two
			// negative tests [A].
			Delay: sim.GammaDist(0.5, 0.3), Trip: 2 * sim.Hour, Stay: sim.GammaDist(10, 2),
		},
		Tracing: TracingConfig{
			Enabled: true,
			// Epidemiological investigation within a day of the report [A].
			Delay: sim.GammaDist(0.5, 0.3),
			// Close contacts from 2 days before onset, or before the sample of an
			// asymptomatic case (ninth edition, 2022).
			Lookback: 2,
			// [A]: nearly every household contact is found, most of the
			// workplace and school, fewer in the community, few city-wide.
			Find:           LayerProbs{Household: 1, Community: 0.6, City: 0.3, Group: 0.8},
			ContactsPerDay: LayerCounts{Community: 3, City: 2, Group: 5},
		},
	}
	return tc, rc
}

// Zone sizes of the built-in strategies, in residents.
const (
	// CompoundSize is a residential compound (小区), the ninth edition's unit of
	// a high-risk zone ("原则上以居住小区(村)为单位划定", NHC, 28 June 2022) [A:
	// 2,000 residents, a fifth of an urban community (社区) of ~10,000].
	CompoundSize = 2000
	// NeighbourhoodSize is the area around a case's home whose blocks become
	// medium-risk under the ninth edition: the places nearby where a case
	// stayed and went about ("停留和活动一定时间…的工作地和活动地") [A: 5,000
	// residents, the compound and the streets around it].
	NeighbourhoodSize = 5000
	// BuildingSize is a building or unit (楼栋、单元), the twenty measures' unit
	// of a high-risk zone ("高风险区一般以单元、楼栋为单位划定，不得随意扩大",
	// NHC notice of 11 November 2022) [A: 200 residents, an 18-storey tower of
	// two stairwells, 4 flats a floor, 2.6 people a flat (≈ 190)].
	BuildingSize = 200
)

// NinthEdition is the ninth edition protocol (NHC, 28 June 2022), item by item
// (docs/model.md, "The built-in strategies", has the table with the text of
// each rule): close contacts 7 days in centralized quarantine and 3 at home,
// tested on days 1, 2, 3, 5, 7 and on day 3 at home; contacts of close contacts
// 7 days at home, tested on days 1, 4 and 7, drawn as the close contacts are;
// the compound of a case high-risk (stay at home), the places around it and the
// workplace or school of the case medium-risk (stay in the zone); high stepping
// down to medium after 7 days without a new case and to low 3 days later,
// medium to low after 7; area-wide PCR rounds every 3 days once a case is
// found; no gatherings in the rest of the city while community cases are found.
func NinthEdition() Strategy {
	tc, rc := dynamicZero()
	// 区域核酸检测: after a local case, rounds over the city in a day, 3 of them
	// 3 days apart [ninth edition, annex on area-wide testing; A: 90% come].
	tc.Mass = []MassTesting{{
		Name: "city-wide", Sites: "community", AfterDetections: 1, Start: 8 * sim.Time(sim.Hour),
		Window: sim.Day, Every: 3, Rounds: 3, Participation: 0.9,
	}}
	rc.Quarantine = QuarantineConfig{Centralized: 7, Home: 3, Tests: []sim.Duration{1, 2, 3, 5, 7, 10}}
	// Contacts of close contacts: 7 days at home, tested on days 1, 4 and 7
	// (ninth edition); who they are is the tracing of each close contact's own
	// contacts (see TracingConfig.SecondRing).
	rc.Tracing.SecondRing = &QuarantineConfig{Home: 7, Tests: []sim.Duration{1, 4, 7}}
	rc.Zones = ZonesConfig{
		Enabled: true,
		// 高风险区 "足不出户、上门服务": stay at home; the compound.
		HighContacts: 0, HighSize: CompoundSize,
		// 中风险区 "人不出区、错峰取物": outings within the zone only [A: 0.3 of
		// them go on, to shops and services inside it].
		Medium: true, MediumContacts: 0.3, MediumSize: NeighbourhoodSize,
		// "高风险区连续7天无新增感染者降为中风险区，中风险区连续3天无新增感染者
		// 降为低风险区"; "中风险区…连续7天无新增感染者降为低风险区".
		HighDays: 7, StepToMedium: true, StepDownDays: 3, MediumDays: 7,
	}
	rc.Static = avoidGatherings()
	return Strategy{Name: "ninth_edition", Testing: &tc, Response: &rc}
}

// avoidGatherings is the rule of the low-risk area around risk zones, the rest
// of a county or district with cases: "个人防护、避免聚集" (ninth edition, annex
// on risk zones; kept by the risk-zone notice of November 2022). Gatherings
// stop, schools teach online, venues close: everyone's outings are scaled by
// 0.7 [A] from the 10th community detection within 3 days [A], until 7 days
// pass without one (the step-down time of a medium-risk zone). epiplan applies
// it to the whole city. The Fujian fit of bench/README.md finds 0.62 with a
// virus of basic reproduction number 3.3 (scenarios/data/fujian-2022.yaml);
// the built-in keeps the default virus (5.0) and 0.7, with which the library's
// fuzhou-2022 counts an outbreak of Fujian's order in its first month.
func avoidGatherings() StaticConfig {
	return StaticConfig{Enabled: true, Detections: 10, WithinDays: 3, Contacts: 0.7, LiftAfter: 7}
}

// TwentyMeasures is the twenty measures (NHC, 11 November 2022) and the notices
// that implemented them: close contacts 5 days in centralized quarantine and 3
// at home, tested on days 1, 2, 3, 5 and on day 3 at home; no contacts of
// contacts; no medium-risk zones; high-risk zones drawn per building or unit
// and lifted after 5 days without a new case; no area-wide testing where the
// chains of transmission are clear (the default: every case is traced); no
// gatherings in the rest of the city while community cases are found.
func TwentyMeasures() Strategy {
	tc, rc := dynamicZero()
	rc.Quarantine = QuarantineConfig{Centralized: 5, Home: 3, Tests: []sim.Duration{1, 2, 3, 5, 8}}
	rc.Zones = ZonesConfig{Enabled: true, HighContacts: 0, HighSize: BuildingSize, HighDays: 5}
	rc.Static = avoidGatherings()
	return Strategy{Name: "twenty_measures", Testing: &tc, Response: &rc}
}
