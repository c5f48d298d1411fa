package control

import "github.com/epiplan/epiplan/model"

// MetricNames documents the metrics the built-in measures add to a run's
// result, after the epidemic's own ([model.MetricNames]): those of the testing
// pipeline ([Testing.Metrics]), then those of the response
// ([Response.Metrics]).
var MetricNames = []model.MetricInfo{
	{Name: "tests", Unit: "swabs", Definition: "swabs taken (testing)"},
	{Name: "tubes", Unit: "tubes", Definition: "tubes run by the lab, pooled or single (testing)"},
	{Name: "detections", Unit: "people", Definition: "people found positive (testing)"},
	{Name: "peak_lab_backlog", Unit: "tubes", Definition: "largest number of tubes waiting in the lab at the end of a day (testing)"},
	{Name: "lab_days_over_capacity", Unit: "days", Definition: "days that ended with more tubes waiting in the lab than one run of every instrument takes (testing)"},
	{Name: "turnaround_p95", Unit: "hours", Definition: "95th percentile of the time from swab to notification of the cases found (testing; NaN without a detection)"},
	{Name: "days_to_last_site_result", Unit: "days", Definition: "from day 0 to the lab's last result of a tube from the sampling sites: the end of the mass-testing rounds and screening, before the recalls of positive pools (testing; NaN if the sites sent no tube)"},
	{Name: "detections_community", Unit: "people", Definition: "people found while not confined (response)"},
	{Name: "detections_in_control", Unit: "people", Definition: "people found while in quarantine, isolation or at home under a measure (response)"},
	{Name: "days_to_community_zero", Unit: "days", Definition: "from the first detection to the last detection in the community, if community zero was reached: the run did not hit the infection cap, and it ended (no one infectious, or stopped by stop_after_community_zero) or found no case in the community in the last 7 days before the horizon (response; NaN otherwise, and without a detection)"},
	{Name: "days_to_last_infection", Unit: "days", Definition: "from the first detection to the last infection (response; NaN without a detection)"},
	{Name: "quarantine_centralized_person_days", Unit: "person-days", Definition: "person-days in quarantine rooms (response)"},
	{Name: "quarantine_home_person_days", Unit: "person-days", Definition: "person-days in home quarantine (response)"},
	{Name: "isolation_person_days", Unit: "person-days", Definition: "person-days in isolation beds (response)"},
	{Name: "isolation_home_person_days", Unit: "person-days", Definition: "person-days of cases isolated at home: waiting for transfer, without a bed, or by policy (response)"},
	{Name: "lockdown_high_person_days", Unit: "person-days", Definition: "person-days of residents of high-risk zones (response)"},
	{Name: "lockdown_medium_person_days", Unit: "person-days", Definition: "person-days of residents of medium-risk zones (response)"},
	{Name: "lockdown_static_person_days", Unit: "person-days", Definition: "person-days of the whole city under static management (response)"},
	{Name: "lockdown_person_days", Unit: "person-days", Definition: "person-days of residents under any lockdown, each counted once: the city on a day under static management, else the residents of high- and medium-risk zones (response)"},
	{Name: "peak_isolation", Unit: "beds", Definition: "largest number of isolation beds in use at the end of a day (response)"},
	{Name: "isolation_overflow", Unit: "people", Definition: "cases who found no isolation bed and stayed at home (response)"},
	{Name: "isolation_days_over_capacity", Unit: "days", Definition: "days on which a case found no bed (response)"},
	{Name: "peak_quarantine_rooms", Unit: "rooms", Definition: "largest number of quarantine rooms in use at the end of a day (response)"},
	{Name: "quarantine_overflow", Unit: "people", Definition: "contacts who found no quarantine room and were quarantined at home (response)"},
	{Name: "quarantine_days_over_capacity", Unit: "days", Definition: "days on which a contact found no room (response)"},
	{Name: "peak_investigator_backlog", Unit: "cases", Definition: "largest number of cases waiting for investigation at the end of a day (response)"},
	{Name: "peak_hospital", Unit: "beds", Definition: "largest number of severe cases in hospital at the end of a day (response)"},
	{Name: "hospital_overflow", Unit: "people", Definition: "severe cases who found no hospital bed (response)"},
}
