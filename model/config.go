package model

import (
	"fmt"
	"math"
	"strconv"

	"github.com/epiplan/epiplan/sim"
)

// Config is everything that defines an epidemic before any control measure: the
// city and how its people meet ([Population]), the virus ([Disease]) and the
// infections that arrive from outside ([Imports]). Build one with [DefaultConfig]
// and change what differs; [Config.Validate] checks it.
type Config struct {
	// Population is the city: its areas, ages, households and contact layers.
	Population Population `yaml:"population"`
	// Disease is the course of an infection and its infectiousness.
	Disease Disease `yaml:"disease"`
	// Imports are the infections that come from outside the city.
	Imports Imports `yaml:"imports"`
}

// Population describes the city: its areas, its age groups, its households and the
// contact layers through which infection spreads.
type Population struct {
	// Areas are the top of the area hierarchy (districts); each may hold children
	// (subdistricts, then communities or compounds). People live in the leaves.
	Areas []Area `yaml:"areas"`
	// AgeGroups lists the age groups with their share of the population and their
	// susceptibility and severity. The shares sum to 1.
	AgeGroups []AgeGroup `yaml:"age_groups"`
	// HouseholdSize is the distribution of the number of people in a household
	// (a distribution over households, not over people).
	HouseholdSize sim.Dist `yaml:"household_size"`
	// Layers are the ways people meet.
	Layers Layers `yaml:"layers"`
}

// Area is a district, subdistrict or community. A leaf area (no children) holds
// Population people; the population of an inner area is the sum of its children's.
type Area struct {
	// Name names the area in other fields (imports, sites, campaigns) and in the
	// outputs; it is unique in the whole city.
	Name string `yaml:"name"`
	// Population is the number of people living in a leaf area; an area with
	// children takes the sum of theirs and gives none.
	Population int `yaml:"population"`
	// Density multiplies the community layer's reproduction number for the
	// people living here (a dense urban village: 2); 0 means 1.
	Density float64 `yaml:"density"`
	// Children are the areas within this one (subdistricts, communities); an
	// area without children is a leaf, where people live.
	Children []Area `yaml:"children"`
	// Communities, for an area without children, splits its Population into
	// that many leaf areas of equal size, named "<name>-1", "<name>-2"…
	Communities int `yaml:"communities"`
}

// expand returns the area with its Communities made into children.
func (a *Area) expand() Area {
	if a.Communities <= 1 || len(a.Children) > 0 {
		return *a
	}
	out := *a
	out.Population, out.Communities = 0, 0
	for i := 0; i < a.Communities; i++ {
		pop := a.Population*(i+1)/a.Communities - a.Population*i/a.Communities
		out.Children = append(out.Children, Area{Name: a.Name + "-" + strconv.Itoa(i+1), Population: pop})
	}
	return out
}

// AgeGroup is a band of ages with its own susceptibility and course of disease.
type AgeGroup struct {
	// Name names the group in group layers (Ages) and in the outputs.
	Name string `yaml:"name"`
	// Share is the fraction of the population in this group, in [0, 1]; the
	// shares of all groups sum to 1.
	Share float64 `yaml:"share"`
	// Susceptibility is the probability that an infectious contact infects a
	// susceptible person of this group, relative to the layers' reproduction
	// numbers, in [0, 1].
	Susceptibility float64 `yaml:"susceptibility"`
	// Symptomatic is the probability that an infection in this group ever shows
	// symptoms, in [0, 1].
	Symptomatic float64 `yaml:"symptomatic"`
	// Severe is the probability that a symptomatic infection becomes severe
	// (needs hospital care), in [0, 1].
	Severe float64 `yaml:"severe"`
	// Fatal is the probability that a severe infection ends in death, in [0, 1].
	Fatal float64 `yaml:"fatal"`
}

// Layers are the contact layers. Each layer's strength is its reproduction
// number R: the expected number of infectious contacts a typical symptomatic case
// (individual infectiousness 1) makes in that layer over its whole infection, all
// contacts being susceptible. The basic reproduction number is about the sum
// over layers, reduced by susceptibility and the asymptomatic share.
type Layers struct {
	// HouseholdSAR is the secondary attack rate within a household: the
	// probability that a case infects a given member of its household, averaged
	// over cases (symptomatic or not, of every infectiousness), in [0, 1), under
	// every timing (with [TimingWindow], also over the lengths of the infectious
	// periods, since longer periods make more contacts).
	HouseholdSAR float64 `yaml:"household_sar"`
	// Community is R for contacts with random people of the same leaf area
	// (scaled by the area's Density).
	Community float64 `yaml:"community"`
	// City is R for contacts with random people anywhere in the city.
	City float64 `yaml:"city"`
	// CityWithinDistrict is the share of city contacts made within one's own
	// district (top-level area) rather than anywhere, in [0, 1].
	CityWithinDistrict float64 `yaml:"city_within_district"`
	// Groups are layers of fixed groups: schools, workplaces, elder-care homes.
	Groups []GroupLayer `yaml:"groups"`
}

// GroupLayer is a setting where people belong to fixed groups of about Size
// members drawn from the whole city (a workplace, a school class, an elder-care
// home) and meet members of their own group.
type GroupLayer struct {
	// Name names the layer in screening programmes and in the outputs
	// (new_infections_<name>).
	Name string `yaml:"name"`
	// R is the reproduction number within the group, as for [Layers]: the
	// infectious contacts a typical case makes with members of its group.
	R float64 `yaml:"r"`
	// Size is the number of members of each group (≥ 2).
	Size int `yaml:"size"`
	// Ages names the age groups that take part; empty means all.
	Ages []string `yaml:"ages"`
	// Share is the fraction of people of those ages who belong to a group of this
	// layer (employment rate, school enrolment, the few elderly in care homes), in
	// (0, 1]; 0 means 1.
	Share float64 `yaml:"share"`
}

// Disease is the natural history of an infection and its infectiousness.
type Disease struct {
	// Latent is the time from infection to the start of infectiousness (and of
	// detectability by PCR), in days.
	Latent sim.Dist `yaml:"latent"`
	// Presymptomatic is the time from the end of the latent period to symptom
	// onset, in days; the incubation period is Latent + Presymptomatic. For
	// asymptomatic infections it marks when symptoms would have begun.
	Presymptomatic sim.Dist `yaml:"presymptomatic"`
	// Symptomatic is how long a symptomatic case stays infectious after onset, in days.
	Symptomatic sim.Dist `yaml:"symptomatic"`
	// Asymptomatic is how long an asymptomatic case stays infectious after its
	// latent period, in days.
	Asymptomatic sim.Dist `yaml:"asymptomatic"`
	// OnsetToSevere is the time from symptom onset to severe disease (hospital
	// admission), in days.
	OnsetToSevere sim.Dist `yaml:"onset_to_severe"`
	// SevereToOutcome is the time from the onset of severe disease to death or
	// discharge from hospital, in days.
	SevereToOutcome sim.Dist `yaml:"severe_to_outcome"`

	// Infectiousness says how a case's transmission is spread over time and
	// between people.
	Infectiousness Infectiousness `yaml:"infectiousness"`
}

// Timing says when a case makes its infectious contacts.
type Timing string

// The timings an [Infectiousness] may have.
const (
	// TimingWindow spreads contacts at a constant rate over the infectious period
	// (from the end of the latent period to recovery), so a longer infectious
	// period means more contacts: the SIR/SEIR model.
	TimingWindow Timing = "window"
	// TimingGeneration draws the time of each contact from the Generation
	// distribution (time since infection); the number of contacts does not depend
	// on the course of disease.
	TimingGeneration Timing = "generation"
	// TimingOnset draws the time of each contact relative to symptom onset, as
	// OnsetOffset plus a draw from OnsetShift, redrawn if it falls outside the
	// infectious period: most transmission happens around onset, some before it.
	TimingOnset Timing = "onset"
	// TimingViralLoad makes infectiousness proportional to the log10 viral load
	// above 10^6 copies/ml (Larremore et al. 2021, Sci Adv 7:eabd5393), on the
	// curve of Infectiousness.ViralLoad: a case is infectious while its load is
	// above 10^6, its contacts are spread over that time in proportion to
	// log10(load) − 6, and their number is in proportion to the area under it
	// (relative to the mean symptomatic case's, so that a layer's R is still a
	// typical symptomatic case's). With Infectiousness.OnsetAfterPeak, symptom
	// onset follows the peak. The same curve decides the case's test results.
	TimingViralLoad Timing = "viral_load"
)

// Infectiousness is how a case's infectious contacts are spread over time and
// how they vary between cases.
type Infectiousness struct {
	// Timing says when a case makes its contacts: [TimingWindow],
	// [TimingGeneration], [TimingOnset] or [TimingViralLoad].
	Timing Timing `yaml:"timing"`
	// Generation is, with [TimingGeneration], the time from infection to each
	// contact, in days.
	Generation sim.Dist `yaml:"generation"`
	// OnsetShift is, with [TimingOnset], the time from onset + OnsetOffset to
	// each contact, in days (it may take negative values).
	OnsetShift sim.Dist `yaml:"onset_shift"`
	// OnsetOffset is, with [TimingOnset], where the contacts' profile starts
	// relative to symptom onset: -2 days starts it 2 days before onset.
	OnsetOffset sim.Duration `yaml:"onset_offset"`
	// ViralLoad is, with [TimingViralLoad], the viral load of every infection:
	// it drives infectiousness and, in place of the viral load a testing
	// measure draws (the package control's pipeline), test results.
	ViralLoad ViralLoadConfig `yaml:"viral_load"`
	// OnsetAfterPeak is, with [TimingViralLoad], the time from the viral load's
	// peak to symptom onset, in days (Larremore et al. 2021: uniform 0–3); if
	// unset, onset follows the presymptomatic period as with other timings.
	OnsetAfterPeak sim.Dist `yaml:"onset_after_peak"`
	// Dispersion is the shape k of the gamma distribution of individual
	// infectiousness (mean 1); offspring numbers are then negative binomial with
	// dispersion k. 0 means no variation (Poisson offspring).
	Dispersion float64 `yaml:"dispersion"`
	// AsymptomaticFactor is the infectiousness of an asymptomatic case relative to
	// a symptomatic one, in [0, 1].
	AsymptomaticFactor float64 `yaml:"asymptomatic_factor"`
}

// Imports are infections that arrive from outside the city.
type Imports struct {
	// Initial is the number of infections at time 0, placed in Area.
	Initial int `yaml:"initial"`
	// Area names the area (a leaf or an inner one) where the initial and the
	// Rate imports live; empty means anywhere, in proportion to population.
	Area string `yaml:"area"`
	// Rate is the expected number of imported infections per day, a Poisson
	// process from time 0 to Until, placed in Area.
	Rate float64 `yaml:"rate"`
	// Until is when the imports at Rate stop; 0 means never.
	Until sim.Time `yaml:"until"`
	// Schedule lists extra imports at given times.
	Schedule []ImportAt `yaml:"schedule"`
	// ExitRate is the daily probability (as a rate per day) that an infected
	// person leaves the city while infectious; such a person's later contacts
	// happen elsewhere and count as exported.
	ExitRate float64 `yaml:"exit_rate"`
}

// ImportAt is a batch of imported infections at a time, in an area.
type ImportAt struct {
	Time  sim.Time `yaml:"time"`  // when they arrive
	Count int      `yaml:"count"` // how many
	Area  string   `yaml:"area"`  // where they live (a leaf or inner area; empty means anywhere)
}

// Validate checks the configuration and reports every problem it finds, each
// with the path of the field ("population.age_groups[1].share").
func (c *Config) Validate() error {
	var ck sim.Checker
	bad, prob, nonneg := ck.Bad, ck.Prob, ck.NonNeg
	dist := ck.Dist
	p := &c.Population
	if len(p.Areas) == 0 {
		bad("population.areas", "must name at least one area")
	}
	names := map[string]bool{}
	total, areas := 0, 0 // people (at most MaxPopulation+1) and areas so far
	before := ck.Len()
	// An area's path is written out only for a message or for its children:
	// a city of 840 communities is validated at every run.
	var walk func(parent string, i int, a *Area)
	walk = func(parent string, i int, a *Area) {
		path := func() string {
			if parent == "" {
				return fmt.Sprintf("population.areas[%d]", i)
			}
			return fmt.Sprintf("%s.children[%d]", parent, i)
		}
		if areas++; areas > MaxAreas {
			return // reported once, below
		}
		if a.Population < 0 || a.Population > MaxPopulation {
			bad(path()+".population", "must be from 1 to %d people, got %d", MaxPopulation, a.Population)
			return
		}
		if a.Communities < 0 || a.Communities > MaxCommunities || a.Communities > 0 && (len(a.Children) > 0 || a.Population < a.Communities) {
			bad(path()+".communities", "splits the population of an area without children into at most %d parts of at least 1 person, got %d", MaxCommunities, a.Communities)
		} else if a.Communities > 1 {
			if areas+a.Communities > MaxAreas {
				areas += a.Communities
				return
			}
			e := a.expand()
			a = &e
		}
		if a.Name == "" {
			bad(path()+".name", "must not be empty")
		} else if names[a.Name] {
			bad(path()+".name", "%q names two areas", a.Name)
		}
		names[a.Name] = true
		if a.Density != 0 {
			nonneg(path()+".density", a.Density)
		}
		if len(a.Children) == 0 {
			if a.Population < 1 {
				bad(path()+".population", "a leaf area must have at least 1 person, got %d", a.Population)
			}
			total = min(total+a.Population, MaxPopulation+1)
		} else if a.Population != 0 {
			bad(path()+".population", "give the population of the leaf areas, not of an area with children")
		}
		if len(a.Children) > 0 {
			here := path()
			for j := range a.Children {
				walk(here, j, &a.Children[j])
			}
		}
	}
	for i := range p.Areas {
		walk("", i, &p.Areas[i])
	}
	if areas > MaxAreas {
		bad("population.areas", "more than %d areas in all (communities included)", MaxAreas)
	} else if total > MaxPopulation {
		bad("population.areas", "total population is more than %d", MaxPopulation)
	}
	cityOK := ck.Len() == before

	if len(p.AgeGroups) == 0 {
		bad("population.age_groups", "must name at least one age group")
	}
	if len(p.AgeGroups) > MaxAgeGroups {
		bad("population.age_groups", "at most %d age groups, got %d", MaxAgeGroups, len(p.AgeGroups))
	}
	shares := 0.0
	ages := map[string]bool{}
	for i, g := range p.AgeGroups {
		path := fmt.Sprintf("population.age_groups[%d]", i)
		ck.Unique(path+".name", g.Name, ages)
		prob(path+".share", g.Share)
		prob(path+".susceptibility", g.Susceptibility)
		prob(path+".symptomatic", g.Symptomatic)
		prob(path+".severe", g.Severe)
		prob(path+".fatal", g.Fatal)
		shares += g.Share
	}
	if len(p.AgeGroups) > 0 && math.Abs(shares-1) > 1e-6 {
		bad("population.age_groups", "shares must sum to 1, got %.4g", shares)
	}
	dist("population.household_size", p.HouseholdSize, false)
	if p.HouseholdSize.Validate() == nil && (p.HouseholdSize.Family != sim.FamilyEmpirical && p.HouseholdSize.Family != sim.FamilyFixed) {
		bad("population.household_size", "must be fixed or empirical (whole numbers of people), got %v", p.HouseholdSize)
	} else if p.HouseholdSize.Validate() == nil {
		vals := p.HouseholdSize.Values
		if p.HouseholdSize.Family == sim.FamilyFixed {
			vals = []float64{p.HouseholdSize.P1}
		}
		for _, v := range vals {
			if v < 1 || v > MaxHouseholdSize || v != math.Floor(v) {
				bad("population.household_size", "sizes must be whole numbers from 1 to %d, got %v", MaxHouseholdSize, v)
				break
			}
		}
	}

	l := &p.Layers
	if !(l.HouseholdSAR >= 0 && l.HouseholdSAR < 1) {
		bad("population.layers.household_sar", "must be in [0, 1), got %v", l.HouseholdSAR)
	}
	nonneg("population.layers.community", l.Community)
	nonneg("population.layers.city", l.City)
	prob("population.layers.city_within_district", l.CityWithinDistrict)
	groupNames := map[string]bool{}
	for i, g := range l.Groups {
		path := fmt.Sprintf("population.layers.groups[%d]", i)
		ck.Unique(path+".name", g.Name, groupNames)
		nonneg(path+".r", g.R)
		if g.Size < 2 {
			bad(path+".size", "must be at least 2, got %d", g.Size)
		}
		if g.Share != 0 {
			prob(path+".share", g.Share)
		}
		for j, a := range g.Ages {
			if !ages[a] {
				bad(fmt.Sprintf("%s.ages[%d]", path, j), "unknown age group %q", a)
			}
		}
	}
	if len(l.Groups) > maxGroupLayers {
		bad("population.layers.groups", "at most %d group layers, got %d", maxGroupLayers, len(l.Groups))
	}

	d := &c.Disease
	dist("disease.latent", d.Latent, false)
	dist("disease.presymptomatic", d.Presymptomatic, false)
	dist("disease.symptomatic", d.Symptomatic, false)
	dist("disease.asymptomatic", d.Asymptomatic, false)
	dist("disease.onset_to_severe", d.OnsetToSevere, false)
	dist("disease.severe_to_outcome", d.SevereToOutcome, false)
	inf := &d.Infectiousness
	switch inf.Timing {
	case TimingWindow:
	case TimingGeneration:
		dist("disease.infectiousness.generation", inf.Generation, false)
	case TimingOnset:
		dist("disease.infectiousness.onset_shift", inf.OnsetShift, true)
		if math.IsNaN(float64(inf.OnsetOffset)) || math.IsInf(float64(inf.OnsetOffset), 0) {
			bad("disease.infectiousness.onset_offset", "must be finite, got %v", inf.OnsetOffset)
		}
	case TimingViralLoad:
		inf.ViralLoad.validate("disease.infectiousness.viral_load", &ck)
		if inf.OnsetAfterPeak.Family != 0 {
			dist("disease.infectiousness.onset_after_peak", inf.OnsetAfterPeak, false)
		}
		if inf.ViralLoad.ToSix.Family != 0 && inf.ViralLoad.Peak.Min() <= 6 {
			bad("disease.infectiousness.viral_load.peak", "must take values above 6 with to_six, got %v", inf.ViralLoad.Peak)
		}
	default:
		bad("disease.infectiousness.timing", "must be %q, %q, %q or %q, got %q", TimingWindow, TimingGeneration, TimingOnset, TimingViralLoad, inf.Timing)
	}
	nonneg("disease.infectiousness.dispersion", inf.Dispersion)
	prob("disease.infectiousness.asymptomatic_factor", inf.AsymptomaticFactor)

	im := &c.Imports
	// Imports are people of the city infected outside it: no more of them than
	// people, in all or per day.
	people := MaxPopulation // when the city is wrong, its own errors say so
	if cityOK && total <= MaxPopulation {
		people = total
	}
	count := func(path string, n int) {
		if n < 0 {
			bad(path, "must be ≥ 0, got %d", n)
		} else if n > people {
			bad(path, "must be at most the population (%d), got %d", people, n)
		}
	}
	count("imports.initial", im.Initial)
	if im.Area != "" && !names[im.Area] {
		bad("imports.area", "unknown area %q", im.Area)
	}
	nonneg("imports.rate", im.Rate)
	if im.Rate > float64(people) {
		bad("imports.rate", "must be at most the population (%d) per day, got %v", people, im.Rate)
	}
	nonneg("imports.until", float64(im.Until))
	nonneg("imports.exit_rate", im.ExitRate)
	for i, s := range im.Schedule {
		path := fmt.Sprintf("imports.schedule[%d]", i)
		nonneg(path+".time", float64(s.Time))
		count(path+".count", s.Count)
		if s.Area != "" && !names[s.Area] {
			bad(path+".area", "unknown area %q", s.Area)
		}
	}
	return ck.Err()
}

// Limits on what a configuration may ask for.
const (
	// MaxPopulation is the largest city: a contact event carries two person
	// indices of 30 bits and a layer in its 64-bit payload.
	MaxPopulation = 1<<30 - 1
	// MaxCommunities is the most communities an area may be split into.
	MaxCommunities = 100_000
	// MaxAreas is the most areas of a city, communities included: a run keeps
	// a row of counters per area, and the built-in measures (package control)
	// a zone state and a list of sites.
	MaxAreas = 100_000
	// MaxAgeGroups is the largest number of age groups (a group layer keeps its
	// eligible ages in a 64-bit set).
	MaxAgeGroups = 64
	// MaxHouseholdSize is the largest household.
	MaxHouseholdSize = 64
	// maxGroupLayers is the number of group layers a person's record has room for.
	maxGroupLayers = 8
)
