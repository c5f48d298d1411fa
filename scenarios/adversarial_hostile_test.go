package scenarios

// hostileFiles are the adversarial files of issue #18 (h-*), one or more per
// class of defect found by a hostile tester, with every line of their errors
// (the first and last of a long one). Each says where and what, names the
// field, and shows no Go type; none panics or takes long. They join the
// adversarial files of TestAdversarialScenarios and the seed corpus of
// FuzzParse.
var hostileFiles = map[string][]string{
	"h-age-group-name-soft-hyphen.yaml": {
		"h-age-group-name-soft-hyphen.yaml:1:34: population.age_groups[0].name: character U+00AD at byte 2 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
		"h-age-group-name-soft-hyphen.yaml:1:13: population.layers.groups[0].ages[0]: unknown age group \"adult\"",
		"h-age-group-name-soft-hyphen.yaml:1:13: population.layers.groups[1].ages[0]: unknown age group \"child\"",
		"h-age-group-name-soft-hyphen.yaml:1:13: population.layers.groups[2].ages[0]: unknown age group \"elderly\"",
	},
	"h-alias-undefined.yaml": {
		"h-alias-undefined.yaml:1:7: name: alias *nothing has no anchor &nothing before it",
	},
	"h-all-at-once.yaml": {
		"h-all-at-once.yaml:1:15: replications: must be a whole number, got the text \"many\"",
		"h-all-at-once.yaml:2:10: horizon: sim: invalid duration \"-5d\": a duration cannot be negative",
		"h-all-at-once.yaml:3:7: seed: must be a whole number, got 1.5",
		"h-all-at-once.yaml:4:1: unknown_top: unknown field \"unknown_top\"",
		"h-all-at-once.yaml:6:96: strategies[1].testing.lab.instruments: must be a whole number, got the text \"lots\"",
		"h-all-at-once.yaml:6:21: strategies[0].name: \"ninth_editon\" is not a built-in strategy (did you mean \"ninth_edition\"?); a strategy of your own that does nothing says builtin: no_intervention",
		"h-all-at-once.yaml:7:11: baseline: \"nobody\" is not one of the strategies",
		"h-all-at-once.yaml:5:44: population.areas[0].population: must be from 1 to 1073741823 people, got -1",
	},
	"h-anchor-key-alias.yaml": {
		"h-anchor-key-alias.yaml:2:1: an alias cannot be a key",
	},
	"h-area-name-esc.yaml": {
		"h-area-name-esc.yaml:1:29: population.areas[0].name: character U+001B at byte 4 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-baseline-esc.yaml": {
		"h-baseline-esc.yaml:1:11: baseline: character U+001B at byte 0 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-builtin-field-misspelled.yaml": {
		`h-builtin-field-misspelled.yaml:1:38: strategies[0].builtin: "ninth_editon" is not a built-in strategy (did you mean "ninth_edition"?)`,
	},
	"h-builtin-field-wrong-case.yaml": {
		`h-builtin-field-wrong-case.yaml:1:36: strategies[0].builtin: "No_Intervention" is not a built-in strategy (did you mean "no_intervention"?)`,
	},
	"h-builtin-missing-letter.yaml": {
		"h-builtin-missing-letter.yaml:1:21: strategies[0].name: \"mitigaton\" is not a built-in strategy (did you mean \"mitigation\"?); a strategy of your own that does nothing says builtin: no_intervention",
	},
	"h-builtin-misspelled-name.yaml": {
		"h-builtin-misspelled-name.yaml:1:21: strategies[0].name: \"ninth_editon\" is not a built-in strategy (did you mean \"ninth_edition\"?); a strategy of your own that does nothing says builtin: no_intervention",
	},
	"h-builtin-trailing-s.yaml": {
		"h-builtin-trailing-s.yaml:1:21: strategies[0].name: \"twenty_measure\" is not a built-in strategy (did you mean \"twenty_measures\"?); a strategy of your own that does nothing says builtin: no_intervention",
	},
	"h-builtin-unknown.yaml": {
		`h-builtin-unknown.yaml:1:33: strategies[0].builtin: "lockdown" is not a built-in strategy (built in: mitigation, ninth_edition, no_intervention, twenty_measures)`,
	},
	"h-builtin-upper-case.yaml": {
		"h-builtin-upper-case.yaml:1:21: strategies[0].name: \"TWENTY_MEASURES\" is not a built-in strategy (did you mean \"twenty_measures\"?); a strategy of your own that does nothing says builtin: no_intervention",
	},
	"h-builtin-wrong-case.yaml": {
		"h-builtin-wrong-case.yaml:1:21: strategies[0].name: \"Ninth_Edition\" is not a built-in strategy (did you mean \"ninth_edition\"?); a strategy of your own that does nothing says builtin: no_intervention",
	},
	"h-delay-empirical-1e300.yaml": {
		"h-delay-empirical-1e300.yaml:1:19: disease.latent: empirical(1, 2, 1e+300): its values must be at most 36500 days (100 years), got 1e+300",
	},
	"h-delay-exponential-1e300.yaml": {
		"h-delay-exponential-1e300.yaml:1:24: disease.symptomatic: exponential(mean=1e+300): its values must be at most 36500 days (100 years), got 1e+300",
	},
	"h-delay-fixed-1e308.yaml": {
		"h-delay-fixed-1e308.yaml:1:19: disease.latent: fixed(1e+308): its values must be at most 36500 days (100 years), got 1e+308",
		"h-delay-fixed-1e308.yaml:1:51: disease.presymptomatic: fixed(1e+308): its values must be at most 36500 days (100 years), got 1e+308",
	},
	"h-delay-gamma-scale.yaml": {
		"h-delay-gamma-scale.yaml:1:28: disease.onset_to_severe: gamma(shape=1, scale=1e+300): its values must be at most 36500 days (100 years), got 1e+300",
	},
	"h-delay-imports-until.yaml": {
		"h-delay-imports-until.yaml:1:43: imports.until: must be at most 36500d (100 years), got 1000000000d",
	},
	"h-delay-lab-courier.yaml": {
		"h-delay-lab-courier.yaml:1:55: strategies[0].testing.courier: fixed(1e+200): its values must be at most 36500 days (100 years), got 1e+200",
	},
	"h-delay-quarantine-1e6d.yaml": {
		"h-delay-quarantine-1e6d.yaml:1:73: strategies[0].response.quarantine.centralized: must be at most 36500d (100 years), got 1000000d",
	},
	"h-delay-schedule-time.yaml": {
		"h-delay-schedule-time.yaml:1:41: imports.schedule[0].time: sim: invalid duration \"1e300d\": unknown unit \"e300d\" (use d, h, m, s or w)",
	},
	"h-delay-switch-at.yaml": {
		"h-delay-switch-at.yaml:1:61: strategies[0].switch.at: must be at most 36500d (100 years), got 100000d",
	},
	"h-delay-uniform-1e300.yaml": {
		"h-delay-uniform-1e300.yaml:1:25: disease.asymptomatic: uniform(lo=1, hi=1e+300): its values must be at most 36500 days (100 years), got 1e+300",
	},
	"h-delay-weibull-mean.yaml": {
		"h-delay-weibull-mean.yaml:1:30: disease.severe_to_outcome: weibull(shape=0.01, scale=1): its values must be at most 36500 days (100 years), got 9.333e+157",
	},
	"h-description-5000.yaml": {
		"h-description-5000.yaml:1:14: description: at most 4096 bytes, got 5000",
	},
	"h-description-esc.yaml": {
		"h-description-esc.yaml:1:14: description: character U+001B at byte 5 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-dist-empirical-negative-weight.yaml": {
		"h-dist-empirical-negative-weight.yaml:1:19: disease.latent: sim: invalid distribution \"empirical(1:0.5, 2:-0.5)\": sim: empirical distribution: weight 1 is -0.5, want a finite number ≥ 0",
	},
	"h-dist-negative-mean.yaml": {
		"h-dist-negative-mean.yaml:1:19: disease.latent: sim: invalid distribution \"gamma(mean=-1, sd=1)\": mean must be positive and finite, got -1",
	},
	"h-dist-text.yaml": {
		"h-dist-text.yaml:1:19: disease.latent: sim: invalid distribution \"5 days\": want family(parameters), for example gamma(mean=3.8, sd=2.1)",
	},
	"h-dist-unknown-family.yaml": {
		"h-dist-unknown-family.yaml:1:19: disease.latent: sim: invalid distribution \"poisson(3)\": unknown family \"poisson\" (want fixed, exponential, gamma, lognormal, weibull, uniform, skewnormal or empirical)",
	},
	"h-dist-weibull-zero.yaml": {
		"h-dist-weibull-zero.yaml:1:19: disease.latent: sim: invalid distribution \"weibull(shape=0, scale=1)\": weibull: shape must be positive and finite, got 0",
	},
	"h-duration-1e400.yaml": {
		"h-duration-1e400.yaml:1:10: horizon: sim: invalid duration \"1e400d\": unknown unit \"e400d\" (use d, h, m, s or w)",
	},
	"h-duration-fortnights.yaml": {
		"h-duration-fortnights.yaml:1:10: horizon: sim: invalid duration \"3 fortnights\": unknown unit \"fortnights\" (use d, h, m, s or w)",
	},
	"h-duration-garbage.yaml": {
		"h-duration-garbage.yaml:1:10: horizon: sim: invalid duration \"2d3\": number \"3\" has no unit (d, h, m or s)",
	},
	"h-duration-negative-horizon.yaml": {
		"h-duration-negative-horizon.yaml:1:10: horizon: sim: invalid duration \"-7d\": a duration cannot be negative",
	},
	"h-formula-area.yaml": {
		"h-formula-area.yaml:1:29: population.areas[0].name: \"=1+1\" starts with '=', which a spreadsheet reads as a formula",
	},
	"h-formula-at.yaml": {
		"h-formula-at.yaml:1:21: strategies[0].name: \"@SUM(A1)\" starts with '@', which a spreadsheet reads as a formula",
	},
	"h-formula-equals.yaml": {
		"h-formula-equals.yaml:1:21: strategies[0].name: \"=HYPERLINK(\\\"http://x\\\")\" starts with '=', which a spreadsheet reads as a formula",
	},
	"h-formula-minus.yaml": {
		"h-formula-minus.yaml:1:21: strategies[0].name: \"-2+3\" starts with '-', which a spreadsheet reads as a formula",
	},
	"h-formula-plus.yaml": {
		"h-formula-plus.yaml:1:21: strategies[0].name: \"+cmd|calc\" starts with '+', which a spreadsheet reads as a formula",
	},
	"h-formula-scenario-name.yaml": {
		"h-formula-scenario-name.yaml:1:7: name: \"+sweep\" starts with '+', which a spreadsheet reads as a formula",
	},
	"h-imports-billion.yaml": {
		"h-imports-billion.yaml:2:10: imports: the run would import 1e+09 people in all (initial + rate × days + schedule), more than the population (1000000)",
		"h-imports-billion.yaml:2:20: imports.initial: must be at most the population (1000000), got 1000000000",
	},
	"h-imports-fraction.yaml": {
		"h-imports-fraction.yaml:1:20: imports.initial: must be a whole number, got 2.5",
	},
	"h-imports-negative-count.yaml": {
		"h-imports-negative-count.yaml:1:52: imports.schedule[0].count: must be ≥ 0, got -5",
	},
	"h-imports-rate-times-days.yaml": {
		"h-imports-rate-times-days.yaml:2:10: imports: the run would import 1.201e+04 people in all (initial + rate × days + schedule), more than the population (1000)",
	},
	"h-imports-schedule-sum.yaml": {
		"h-imports-schedule-sum.yaml:2:10: imports: the run would import 1200 people in all (initial + rate × days + schedule), more than the population (1000)",
	},
	"h-large-schedule-bad-count.yaml": {
		"h-large-schedule-bad-count.yaml:3004:25: imports.schedule[3000].count: must be a whole number, got the text \"many\"",
	},
	"h-large-tests-bad-last.yaml": {
		"h-large-tests-bad-last.yaml:5:80017: strategies[0].response.quarantine.tests[20000]: sim: invalid duration \"3 fortnights\": unknown unit \"fortnights\" (use d, h, m, s or w)",
	},
	"h-large-unknown-fields.yaml": {
		"h-large-unknown-fields.yaml:1:1: field_0: unknown field \"field_0\"",
		"h-large-unknown-fields.yaml:1:1: and 50 more problems, not listed",
	},
	"h-merge-scalar.yaml": {
		"h-merge-scalar.yaml:2:7: population: a merge (<<) takes a mapping or a list of mappings",
	},
	"h-name-300kb.yaml": {
		"h-name-300kb.yaml:1:21: strategies[0].name: a name of at most 64 characters, got 300000",
	},
	"h-name-65-chars.yaml": {
		"h-name-65-chars.yaml:1:21: strategies[0].name: a name of at most 64 characters, got 65",
	},
	"h-name-70-chinese.yaml": {
		"h-name-70-chinese.yaml:1:21: strategies[0].name: a name of at most 64 characters, got 70",
	},
	"h-name-bom-inside.yaml": {
		"h-name-bom-inside.yaml:1:21: strategies[0].name: character U+FEFF at byte 1 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-name-cr.yaml": {
		"h-name-cr.yaml:1:21: strategies[0].name: character U+000D at byte 1 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-name-del.yaml": {
		"h-name-del.yaml:1:21: strategies[0].name: character U+007F at byte 1 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-name-esc.yaml": {
		"h-name-esc.yaml:1:21: strategies[0].name: character U+001B at byte 3 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-name-leading-space.yaml": {
		"h-name-leading-space.yaml:1:21: strategies[0].name: \" mitigation\" starts or ends with a space",
	},
	"h-name-line-separator.yaml": {
		"h-name-line-separator.yaml:1:21: strategies[0].name: character U+2028 at byte 1 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-name-newline.yaml": {
		"h-name-newline.yaml:1:21: strategies[0].name: character U+000A at byte 1 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-name-nul.yaml": {
		"h-name-nul.yaml:1:21: strategies[0].name: character U+0000 at byte 1 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-name-only-spaces.yaml": {
		"h-name-only-spaces.yaml:1:21: strategies[0].name: \"   \" starts or ends with a space",
	},
	"h-name-private-use.yaml": {
		"h-name-private-use.yaml:1:21: strategies[0].name: character U+E000 at byte 1 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-name-rlo.yaml": {
		"h-name-rlo.yaml:1:21: strategies[0].name: character U+202E at byte 4 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-name-tab.yaml": {
		"h-name-tab.yaml:1:21: strategies[0].name: character U+0009 at byte 1 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-name-zero-width.yaml": {
		"h-name-zero-width.yaml:1:44: strategies[1].name: character U+200B at byte 5 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-null-baseline.yaml": {
		"h-null-baseline.yaml:1:11: baseline: must be text, got ~ (null); leave the field out to keep its default",
	},
	"h-null-horizon.yaml": {
		"h-null-horizon.yaml:1:10: horizon: must be a duration such as 2d or 36h, got ~ (null); leave the field out to keep its default",
	},
	"h-null-lab-fields.yaml": {
		"h-null-lab-fields.yaml:1:51: strategies[0].testing.lab.instruments: must be at least 1, got 0",
		"h-null-lab-fields.yaml:1:51: strategies[0].testing.lab.wells: must be at least 1, got 0",
		"h-null-lab-fields.yaml:1:51: strategies[0].testing.lab.run_time: must be a finite duration > 0, got 0d",
	},
	"h-null-latent.yaml": {
		"h-null-latent.yaml:1:19: disease.latent: must be a distribution such as gamma(mean=5, sd=2) or fixed(3), got ~ (null); leave the field out to keep its default",
	},
	"h-null-name.yaml": {
		"h-null-name.yaml:1:21: strategies[0].name: must be text, got ~ (null); leave the field out to keep its default",
	},
	"h-null-replications.yaml": {
		"h-null-replications.yaml:1:15: replications: must be a whole number, got ~ (null); leave the field out to keep its default",
	},
	"h-number-1e400-int.yaml": {
		"h-number-1e400-int.yaml:1:15: replications: must be a whole number from 1 to 10000, got 1e400",
	},
	"h-number-fraction-int.yaml": {
		"h-number-fraction-int.yaml:1:20: imports.initial: must be a whole number, got 0.5",
	},
	"h-number-instruments-huge.yaml": {
		"h-number-instruments-huge.yaml:1:32: resources.lab.instruments: must be a whole number from 0 to 100000, got 99999999999999999999",
	},
	"h-number-nan-int.yaml": {
		"h-number-nan-int.yaml:1:15: replications: must be a whole number, got .nan",
	},
	"h-number-replications-1e30.yaml": {
		"h-number-replications-1e30.yaml:1:15: replications: must be a whole number from 1 to 10000, got 1e30",
	},
	"h-octal-float-rate.yaml": {
		"h-octal-float-rate.yaml:1:29: imports.rate: the number 01.5 has a leading zero, which YAML reads as an octal number (1.5); write 1.5",
	},
	"h-octal-horizon.yaml": {
		"h-octal-horizon.yaml:1:10: horizon: the number 030 has a leading zero, which YAML reads as an octal number (24); write 30",
	},
	"h-octal-negative-instruments.yaml": {
		"h-octal-negative-instruments.yaml:1:32: resources.lab.instruments: the number -007 has a leading zero, which YAML reads as an octal number (-7); write 7",
	},
	"h-octal-population.yaml": {
		"h-octal-population.yaml:1:44: population.areas[0].population: the number 0700000 has a leading zero, which YAML reads as an octal number (229376); write 700000",
	},
	"h-octal-replications-09.yaml": {
		"h-octal-replications-09.yaml:1:15: replications: the number 09 has a leading zero, which YAML reads as octal where it can (010 is 8); write 9",
	},
	"h-octal-seed.yaml": {
		"h-octal-seed.yaml:1:7: seed: the number 0012 has a leading zero, which YAML reads as an octal number (10); write 12",
	},
	"h-octal-underscore.yaml": {
		"h-octal-underscore.yaml:1:17: max_infections: the number 0_100 has a leading zero, which YAML reads as an octal number (64); write 100",
	},
	"h-scenario-name-bidi.yaml": {
		"h-scenario-name-bidi.yaml:1:7: name: character U+2066 at byte 6 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-site-name-zero-width-joiner.yaml": {
		"h-site-name-zero-width-joiner.yaml:1:28: resources.sites[0].name: character U+200D at byte 4 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-source-nul.yaml": {
		"h-source-nul.yaml:1:17: sources[1]: character U+0000 at byte 3 is not allowed (control, format or invisible characters, such as ESC, NUL, zero-width spaces or bidirectional marks, would reach terminals, CSV files and plots)",
	},
	"h-strategies-duplicate.yaml": {
		"h-strategies-duplicate.yaml:1:41: strategies[1].name: must be a unique, non-empty name, got \"mitigation\"",
	},
	"h-strategies-empty.yaml": {
		"h-strategies-empty.yaml:1:13: strategies: name at least one strategy",
	},
	"h-switch-to-self.yaml": {
		"h-switch-to-self.yaml:1:66: strategies[0].switch.to: the switches run in a loop: a → a",
	},
	"h-switch-unknown.yaml": {
		"h-switch-unknown.yaml:1:66: strategies[0].switch.to: \"ninth_editon\" is not one of the strategies",
	},
	"h-tag-binary.yaml": {
		"h-tag-binary.yaml:1:7: name: unknown tag !!binary (a scenario file needs none)",
	},
	"h-tag-custom.yaml": {
		"h-tag-custom.yaml:1:7: name: unknown tag !secret (a scenario file needs none)",
	},
	"h-type-areas-map.yaml": {
		"h-type-areas-map.yaml:1:21: population.areas: must be a list, got a mapping (field: value)",
	},
	"h-type-bool-text.yaml": {
		"h-type-bool-text.yaml:1:77: strategies[0].response.isolation.at_home: must be true or false, got the text \"yes please\"",
	},
	"h-type-community-text.yaml": {
		"h-type-community-text.yaml:1:34: population.layers.community: must be a number, got the text \"high\"",
	},
	"h-type-horizon-list.yaml": {
		"h-type-horizon-list.yaml:1:10: horizon: must be a duration such as 2d or 36h, got a list",
	},
	"h-type-imports-list.yaml": {
		"h-type-imports-list.yaml:1:10: imports: must be a mapping of fields (field: value), got a list",
	},
	"h-type-latent-map.yaml": {
		"h-type-latent-map.yaml:1:19: disease.latent: must be a distribution such as gamma(mean=5, sd=2) or fixed(3), got a mapping (field: value)",
	},
	"h-type-max-infections-map.yaml": {
		"h-type-max-infections-map.yaml:1:17: max_infections: must be a whole number, got a mapping (field: value)",
	},
	"h-type-name-list.yaml": {
		"h-type-name-list.yaml:1:21: strategies[0].name: must be text, got a list",
	},
	"h-type-population-text.yaml": {
		"h-type-population-text.yaml:1:13: population: must be a mapping of fields (field: value), got the text \"big\"",
	},
	"h-type-quoted-number.yaml": {
		"h-type-quoted-number.yaml:1:15: replications: must be a whole number, got the text \"5\"",
	},
	"h-type-replications-text.yaml": {
		"h-type-replications-text.yaml:1:15: replications: must be a whole number, got the text \"many\"",
	},
	"h-type-seed-bool.yaml": {
		"h-type-seed-bool.yaml:1:7: seed: must be a whole number, got true/false (true)",
	},
	"h-type-sources-text.yaml": {
		"h-type-sources-text.yaml:1:10: sources: must be a list, got the text \"a paper\"",
	},
	"h-type-strategies-text.yaml": {
		"h-type-strategies-text.yaml:1:13: strategies: must be a list, got the text \"ninth_edition\"",
	},
	"h-type-strategy-scalar.yaml": {
		"h-type-strategy-scalar.yaml:1:14: strategies[0]: must be a mapping of fields (field: value), got the text \"ninth_edition\"",
	},
	"h-type-testing-number.yaml": {
		"h-type-testing-number.yaml:1:45: strategies[0].testing: must be a mapping of fields (field: value), got the number 5",
	},
	"h-type-tests-map.yaml": {
		"h-type-tests-map.yaml:1:67: strategies[0].response.quarantine.tests: must be a list, got a mapping (field: value)",
	},
	"h-type-then-range.yaml": {
		"h-type-then-range.yaml:1:15: replications: must be a whole number, got a list",
		"h-type-then-range.yaml:2:17: max_infections: must be ≥ 0, got -1",
		"h-type-then-range.yaml:3:20: imports.initial: must be ≥ 0, got -3",
	},
	"h-unknown-case-horizon.yaml": {
		"h-unknown-case-horizon.yaml:1:1: Horizon: unknown field \"Horizon\" (did you mean \"horizon\"?)",
	},
	"h-unknown-centralised.yaml": {
		"h-unknown-centralised.yaml:1:60: strategies[0].response.quarantine.centralised: unknown field \"centralised\" (did you mean \"centralized\"?)",
	},
	"h-unknown-mas.yaml": {
		"h-unknown-mas.yaml:1:46: strategies[0].testing.mas: unknown field \"mas\" (did you mean \"mass\"?)",
	},
	"h-unknown-no-suggestion.yaml": {
		"h-unknown-no-suggestion.yaml:1:47: strategies[0].response.lockdown_everyone: unknown field \"lockdown_everyone\" (the fields here: isolation, tracing, quarantine, zones, static, from, until)",
	},
	"h-unknown-populaton.yaml": {
		"h-unknown-populaton.yaml:1:1: populaton: unknown field \"populaton\" (did you mean \"population\"?)",
	},
	"h-unknown-replicatoins.yaml": {
		"h-unknown-replicatoins.yaml:1:1: replicatoins: unknown field \"replicatoins\" (did you mean \"replications\"?)",
	},
	"h-unknown-strategy-singular.yaml": {
		"h-unknown-strategy-singular.yaml:1:1: strategy: unknown field \"strategy\" (did you mean \"strategies\"?)",
		"h-unknown-strategy-singular.yaml:1:1: strategies: name at least one strategy",
	},
	"h-unknown-then-range.yaml": {
		"h-unknown-then-range.yaml:1:1: replicatoins: unknown field \"replicatoins\" (did you mean \"replications\"?)",
		"h-unknown-then-range.yaml:2:10: horizon: must be a duration from 1 day to 3650d, got 0d",
	},
}

func init() {
	for name, want := range hostileFiles {
		adversarial[name] = want
	}
}
