package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/epiplan/epiplan/infer"
	"github.com/epiplan/epiplan/scenarios"
)

const fitUsage = `usage: epiplan fit FILE --data COUNTS.csv --fit path=lo:hi [--fit …] [--out DIR]
    [--column local_total_new] [--strategy NAME] [--from DATE] [--to DATE]
    [--objective mixture|mean_curve] [--likelihood negbin|poisson] [--dispersion K] [--series detections[,…]] [--delay D]
    [--rho R] [--background B] [--replications R] [--seed S] [--starts N]
    [--max-evaluations N] [--bootstrap B] [--level 0.9] [--set path=value]…
    [--forecast DATE] [--forecast-days N] [--workers W] [--force] [--quiet]`

// fitCmd is "epiplan fit": calibrate a scenario to a daily series and write
// fit.json, the plots and fit.html (and a forecast by strategy) into --out.
func fitCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var fits, sets multi
	fs.Var(&fits, "fit", "path=lo:hi: a numeric field of the scenario (or transmission, observation.rho, observation.background, observation.dispersion) and its range")
	fs.Var(&sets, "set", "path=value: change a field of the scenario before the fit")
	dataFile := fs.String("data", "", "CSV file of daily counts (a date column and the counts)")
	column := fs.String("column", "local_total_new", "column of the counts")
	out := fs.String("out", "fit", "folder for the outputs")
	force := fs.Bool("force", false, "replace the output folder if it exists")
	strategy := fs.String("strategy", "", "strategy the data were observed under (default: the first)")
	from := fs.String("from", "", "first day fitted, YYYY-MM-DD (default: the first day the data and the scenario share)")
	to := fs.String("to", "", "last day fitted, YYYY-MM-DD (default: the last day the data and the scenario share)")
	objective := fs.String("objective", "mixture", "mixture (the data as one realization: mean of the replications' likelihoods) or mean_curve (the likelihood of the mean curve)")
	likelihood := fs.String("likelihood", "negbin", "negbin or poisson")
	dispersion := fs.Float64("dispersion", 0, "size k of the negative binomial (0: fitted)")
	series := fs.String("series", infer.DefaultSeries, "model series counted, comma-separated (summed)")
	delay := fs.String("delay", "0", "reporting delay: whole days (\"1\"), or the shares counted 0, 1, 2… days later (\"0.5,0.5\")")
	rho := fs.Float64("rho", 1, "share of the model's cases counted (unless fitted as observation.rho)")
	background := fs.Float64("background", 0, "cases a day counted that the model does not make")
	reps := fs.Int("replications", 0, "simulations per evaluation (default: the file's)")
	seed := fs.Uint64("seed", 0, "seed (default: the file's)")
	starts := fs.Int("starts", 1, "Nelder–Mead searches (the first from the file's values)")
	maxEval := fs.Int("max-evaluations", 0, "evaluations per search (default 40 + 40 per field)")
	boot := fs.Int("bootstrap", 40, "data sets simulated and refitted for the intervals; each refit takes about as long as the fit, so 40 take about 40 times as long (0: no intervals)")
	level := fs.Float64("level", 0.9, "level of the intervals")
	forecast := fs.String("forecast", "", "date from which every strategy is played on, from the fitted model's outbreaks that best match the data before it, YYYY-MM-DD")
	forecastDays := fs.Int("forecast-days", 30, "days simulated after the forecast date")
	workers := fs.Int("workers", 0, "parallel simulations (default: all cores)")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return errors.New("fit takes one scenario file\n" + fitUsage)
	}
	if *dataFile == "" {
		return errors.New("fit needs --data COUNTS.csv\n" + fitUsage)
	}
	if len(fits) == 0 {
		return errors.New("fit needs at least one --fit path=lo:hi\n" + fitUsage)
	}
	src, err := scenarios.ReadRegular(files[0], scenarios.MaxFileSize)
	if err != nil {
		return err
	}
	sc, err := scenarios.Parse(files[0], src)
	if err != nil {
		return err
	}
	for _, set := range sets {
		path, value, ok := strings.Cut(set, "=")
		if !ok {
			return fmt.Errorf("--set %q: want path=value", set)
		}
		if err := sc.Set(path, value); err != nil {
			return err
		}
	}
	dataBytes, err := scenarios.ReadRegular(*dataFile, infer.MaxDataFile)
	if err != nil {
		return err
	}
	data, err := infer.ReadCSV(bytes.NewReader(dataBytes), *column)
	if err != nil {
		return fmt.Errorf("%s: %w", *dataFile, err)
	}

	set := infer.Settings{Strategy: *strategy, Objective: infer.Objective(*objective), Replications: *reps, Starts: *starts, MaxEvaluations: *maxEval, Bootstrap: *boot,
		Level: *level, Workers: *workers}
	if *boot == 0 {
		set.Bootstrap = -1
	}
	if *boot < 0 {
		return fmt.Errorf("--bootstrap must be ≥ 0, got %d", *boot)
	}
	if *reps < 0 {
		return fmt.Errorf("--replications must be ≥ 1, got %d", *reps)
	}
	if *starts < 1 {
		return fmt.Errorf("--starts must be ≥ 1, got %d", *starts)
	}
	if *maxEval < 0 {
		return fmt.Errorf("--max-evaluations must be ≥ 0, got %d", *maxEval)
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			set.Seed, set.SeedSet = *seed, true
		}
	})
	for _, d := range []struct {
		flag string
		s    string
		t    *time.Time
	}{{"from", *from, &set.From}, {"to", *to, &set.To}} {
		if d.s == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", d.s)
		if err != nil {
			return fmt.Errorf("--%s %q: want a date YYYY-MM-DD", d.flag, d.s)
		}
		*d.t = t
	}
	obs := infer.Observation{Likelihood: infer.Likelihood(*likelihood), Dispersion: *dispersion, Rho: *rho, Background: *background}
	for _, s := range strings.Split(*series, ",") {
		obs.Series = append(obs.Series, strings.TrimSpace(s))
	}
	if obs.Delay, err = parseDelay(*delay); err != nil {
		return err
	}
	if err := obs.Validate(); err != nil {
		return err
	}
	set.Observation = obs
	var params []infer.Param
	for _, f := range fits {
		p, err := infer.ParseParam(f)
		if err != nil {
			return err
		}
		params = append(params, p)
	}
	var fcDate time.Time
	if *forecast != "" {
		if fcDate, err = time.Parse("2006-01-02", *forecast); err != nil {
			return fmt.Errorf("--forecast %q: want a date YYYY-MM-DD", *forecast)
		}
		if start, ok := sc.StartTime(); ok && !fcDate.After(start) {
			return fmt.Errorf("--forecast %s must be after the scenario's start_date %s", *forecast, sc.StartDate)
		}
	}
	if *forecastDays < 1 {
		return fmt.Errorf("--forecast-days must be ≥ 1, got %d", *forecastDays)
	}
	if *forecast != "" {
		// Whatever can be checked before the fit is.
		if err := infer.CheckForecast(sc, *strategy, fcDate, *forecastDays); err != nil {
			return fmt.Errorf("--forecast %s: %w", *forecast, err)
		}
	}
	if !*quiet {
		set.Progress = fitProgress(stderr, isTerminal(stderr), time.Now)
		if *boot > 0 {
			fmt.Fprintf(stderr, "epiplan: after the fit, %s for the intervals, each about as long as the fit (--bootstrap N: fewer; 0: no intervals)\n", scenarios.Plural(*boot, "bootstrap refit"))
		}
	}

	// The output folder is checked before the fit, not after it.
	if err := scenarios.CheckOut(*out, *force); err != nil {
		return err
	}
	ctx, stop := signals()
	defer stop()
	collectLessOften(fitGCPercent)
	fit, err := infer.Calibrate(ctx, sc, data, params, set)
	if err != nil {
		return interrupted(ctx, err, *out)
	}
	var fc *infer.Forecast
	if *forecast != "" {
		var progress func(done, total int)
		if set.Progress != nil {
			progress = func(done, total int) { set.Progress("forecast", done, total) }
		}
		if fc, err = fit.Forecast(ctx, fcDate, *forecastDays, *workers, progress); err != nil {
			return interrupted(ctx, fmt.Errorf("forecast: %w", err), *out)
		}
	}
	if set.Progress != nil && isTerminal(stderr) {
		fmt.Fprintln(stderr)
	}
	rec := infer.Record{Command: append([]string{"epiplan", "fit"}, args...), ScenarioFile: files[0], ScenarioSHA256: sha(src),
		DataFile: *dataFile, DataSHA256: sha(dataBytes), Column: *column}
	// The folder is made whole or not at all (see scenarios.ReplaceDir).
	if err := scenarios.ReplaceDir(*out, *force, func(tmp string) error { return fit.Write(tmp, rec, fc) }); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s fitted to %s %s–%s (%d days), log-likelihood %.2f; %d evaluations in %s",
		sc.Name, fit.Strategy, *column, fit.Data.Start.Format("2006-01-02"), fit.Data.Date(fit.Data.Len()-1).Format("2006-01-02"),
		fit.ObservedDays, fit.LogLik, fit.Evaluations, fit.Duration.Round(time.Second/10))
	if fit.BootstrapEvaluations > 0 {
		fmt.Fprintf(stdout, ", intervals %d more in %s", fit.BootstrapEvaluations, fit.BootstrapDuration.Round(time.Second/10))
	}
	fmt.Fprintf(stdout, " → %s\n", *out)
	for _, e := range fit.Estimates {
		fmt.Fprintf(stdout, "  %-45s %s", e.Path, strconv.FormatFloat(e.Value, 'g', 4, 64))
		if !math.IsNaN(e.IntervalLo) {
			fmt.Fprintf(stdout, "  [%s, %s]", strconv.FormatFloat(e.IntervalLo, 'g', 4, 64), strconv.FormatFloat(e.IntervalHi, 'g', 4, 64))
		}
		fmt.Fprintln(stdout)
	}
	for _, s := range fit.Says() {
		fmt.Fprintln(stdout, "  "+s)
	}
	if fc != nil {
		fmt.Fprintf(stdout, "  Forecast from %s (in %s/forecast): %s.\n", fcDate.Format("2006-01-02"), *out, fc.Conditioning())
	}
	return nil
}

// parseDelay reads --delay: a whole number of days, or shares by day.
func parseDelay(s string) ([]float64, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, ",") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 60 {
			return nil, fmt.Errorf("--delay %q: want whole days from 0 to 60, or shares by day (0.5,0.5)", s)
		}
		d := make([]float64, n+1)
		d[n] = 1
		return d, nil
	}
	var d []float64
	for _, part := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil {
			return nil, fmt.Errorf("--delay %q: %q is not a number", s, part)
		}
		d = append(d, x)
	}
	return d, nil
}

// sha returns the SHA-256 of b in hex.
func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// fitProgress reports a fit's progress stage by stage (as newProgress does a
// run's); when the bootstrap starts, it says how long it should take: each
// refit repeats the fit's searches, so about as long as the fit took.
func fitProgress(w io.Writer, terminal bool, now func() time.Time) func(stage string, done, total int) {
	var (
		mu    sync.Mutex
		stage string
		start = now()
		prog  func(done, total int)
	)
	nouns := map[string]string{"fit": "evaluation", "bootstrap": "bootstrap refit", "band": "band", "forecast": "forecast run"}
	return func(st string, done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if st != stage {
			if stage != "" && terminal {
				fmt.Fprintln(w)
			}
			if st == "bootstrap" && stage == "fit" {
				took := now().Sub(start)
				fmt.Fprintf(w, "epiplan: the fit took %s; the %s should take about %s\n", roughly(took), scenarios.Plural(total, "bootstrap refit"), roughly(took*time.Duration(total)))
			}
			stage = st
			noun := nouns[st]
			if noun == "" {
				noun = "step"
			}
			prog = newProgressOf(w, terminal, now, noun)
		}
		if done > 0 {
			prog(done, total)
		}
	}
}
