package model

import "github.com/epiplan/epiplan/sim"

// DefaultConfig returns an Omicron (BA.2/BA.5) outbreak as in China in 2022, in a
// city of one area of 1,000,000 people with 10 initial infections. Every value
// carries its source below; [A] marks a modelling assumption and [D] a value
// derived from published figures. Change the population and the imports to
// describe another city.
func DefaultConfig() *Config {
	return &Config{
		Population: Population{
			Areas: []Area{{Name: "city", Population: 1_000_000}},
			// China's 7th national census (2020): 17.95% aged 0–14, 63.35% aged
			// 15–59, 18.70% aged 60 and over.
			AgeGroups: []AgeGroup{
				// Susceptibility: no strong age gradient in Omicron infection risk
				// among household contacts (Madewell et al. 2022, JAMA Netw Open
				// 5:e229317) [A: 1 for all].
				// Symptomatic: 35% of infections never symptomatic overall (China
				// 2022: 28% in five outbreaks, Jiang et al. 2023; 58% in Zhejiang,
				// Mar–May 2022), fewer symptoms in children [A].
				// Severe and Fatal: Shanghai BA.2, 0.27% of infections severe or
				// critical and IFR 0.09% (Chen et al. 2022, Emerg Microbes Infect
				// 11:2800), concentrated in the unvaccinated elderly; the split by
				// age is [A], chosen to reproduce those totals.
				{Name: "child", Share: 0.18, Susceptibility: 1, Symptomatic: 0.55, Severe: 0.0005, Fatal: 0.05},
				{Name: "adult", Share: 0.63, Susceptibility: 1, Symptomatic: 0.65, Severe: 0.001, Fatal: 0.1},
				{Name: "elderly", Share: 0.19, Susceptibility: 1, Symptomatic: 0.75, Severe: 0.02, Fatal: 0.35},
			},
			// China's 7th national census (2020), family households by size,
			// rounded (mean 2.6 people; the census reports 2.62).
			HouseholdSize: sim.EmpiricalDist(
				[]float64{1, 2, 3, 4, 5, 6},
				[]float64{0.254, 0.297, 0.210, 0.132, 0.062, 0.045}),
			Layers: Layers{
				// Omicron household secondary attack rate 42.7% (meta-analysis,
				// Madewell et al. 2022), 31–77% across studies (Denmark 31%,
				// Shanghai under lockdown 77%) [A: 0.45].
				HouseholdSAR: 0.45,
				// Community, city and group strengths are [A]: with the household
				// layer they give a basic reproduction number of 5.0 for a fully
				// susceptible city (measured: TestDefaultDiseaseAgainstPublished-
				// Figures), the early Rt of zero-COVID outbreaks in 2022 (Beijing
				// 4.98, Du et al. 2022; Hangzhou 9.5, Xin et al. 2022). Scenarios
				// calibrate them to local data.
				Community:          2.3,
				City:               1.8,
				CityWithinDistrict: 0.7,
				Groups: []GroupLayer{
					// Urban employment about 75% of working-age adults [A].
					{Name: "work", R: 1.5, Size: 20, Ages: []string{"adult"}, Share: 0.75},
					// School enrolment close to universal; class size 40 [A].
					{Name: "school", R: 2.3, Size: 40, Ages: []string{"child"}, Share: 0.95},
					// About 1–2% of China's elderly live in care homes [A].
					{Name: "elder_care", R: 3.5, Size: 100, Ages: []string{"elderly"}, Share: 0.015},
				},
			},
		},
		Disease: Disease{
			// Latent period 2.65 days (95% CI 2.53–2.78), five Omicron outbreaks in
			// China, Jan–Jun 2022 (Jiang et al. 2023, Zhonghua Yu Fang Yi Xue Za
			// Zhi 57:659); lognormal fit to its mean and 98th percentile [D].
			Latent: sim.Dist{Family: sim.FamilyLogNormal, P1: 0.86, P2: 0.48},
			// Incubation 3.40 days (3.25–3.57) in the same study, so about 0.75
			// days presymptomatic [D]; Hangzhou BA.1.1: incubation 3.8, latent 3.1
			// (Xin et al. 2022, Int J Infect Dis 126:132).
			Presymptomatic: sim.GammaDist(0.75, 0.5),
			// 51% still Ct < 30 five days after detection (Hay et al. 2022, eLife
			// 11:e81849) [A: mean 5 days after onset].
			Symptomatic: sim.GammaDist(5, 2),
			// Shedding 6.1 days (IQR 4.0–8.8) in Shanghai BA.2 inpatients (Ai et
			// al. 2024, Virol Sin 39:851) [A: mean 5 days infectious].
			Asymptomatic:    sim.GammaDist(5, 2),
			OnsetToSevere:   sim.GammaDist(5, 3),  // [A]
			SevereToOutcome: sim.GammaDist(10, 5), // [A]
			Infectiousness: Infectiousness{
				// Contacts around symptom onset, from 1.2 days before, gamma with
				// mean 0.6 days (then kept inside the infectious period) [D]: chosen
				// so that the mean generation interval is the published 3.0 days
				// (95% CI 2.7–3.2) of Omicron in the Netherlands, Dec 2021 (Park et
				// al. 2023, PNAS 120:e2221887120), measured 3.09 days by
				// TestDefaultDiseaseAgainstPublishedFigures; serial intervals agree:
				// BA.2 3.0–3.4 days, BA.5 2.7 days (Hong Kong; Guo et al. 2023,
				// Influenza Other Respir Viruses 17:e13105). With infectiousness
				// from 0.8 days before onset (the latent period above; 0.79 days
				// for BA.2 in Li et al. 2024, BMC Infect Dis, doi:10.1186/
				// s12879-024-09158-7), a generation interval this short puts 78%
				// of transmission before onset, above
				// the household studies' 34% (Hangzhou) to 51–57% (Reggio Emilia,
				// Manica et al. 2022; Shanghai): the published figures cannot all
				// hold in this model, and the generation interval is kept.
				Timing:      TimingOnset,
				OnsetOffset: -1.2 * sim.Day,
				OnsetShift:  sim.GammaDist(0.6, 0.4),
				// Hong Kong, early Omicron: k = 0.33 (95% CrI 0.17–0.62) (Guo et al.
				// 2022, J Travel Med 29:taac049).
				Dispersion: 0.33,
				// Relative infectiousness of asymptomatic cases 0.35 (95% CI
				// 0.10–1.27; Buitrago-Garcia et al. 2020, PLoS Med); no difference in
				// Shanghai households (Wei et al. 2023) [A: 0.5].
				AsymptomaticFactor: 0.5,
			},
		},
		Imports: Imports{Initial: 10},
	}
}
