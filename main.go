package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/epiplan/epiplan/infer"
	"github.com/epiplan/epiplan/scenarios"
)

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func setup() (*scenarios.Scenario, infer.Daily, []infer.Param, infer.Settings) {
	f := "/work/wt-fit/scenarios/data/fujian-2022.yaml"
	src, err := os.ReadFile(f)
	must(err)
	sc, err := scenarios.Parse(f, src)
	must(err)
	for _, kv := range [][2]string{
		{"strategies[0].testing.symptomatic.probability", "0.33"}, {"strategies[1].testing.symptomatic.probability", "0.33"},
		{"strategies[0].response.static.contacts", "0.59"}, {"strategies[1].response.static.contacts", "0.59"},
		{"imports.schedule[0].time", "18.8"}, {"imports.schedule[0].count", "89"}} {
		must(sc.Set(kv[0], kv[1]))
	}
	db, err := os.ReadFile("/work/wt-fit/scenarios/data/fujian_2022-09-01_2022-12-07.csv")
	must(err)
	data, err := infer.ReadCSV(bytes.NewReader(db), "local_total_new")
	must(err)
	var params []infer.Param
	for _, s := range []string{"transmission=0.5:0.75", "imports.schedule[0].time=8:22", "imports.schedule[0].count=1:100",
		"strategies[0].testing.symptomatic.probability,strategies[1].testing.symptomatic.probability=0.2:0.75",
		"strategies[0].response.static.contacts,strategies[1].response.static.contacts=0.3:0.9"} {
		p, err := infer.ParseParam(s)
		must(err)
		params = append(params, p)
	}
	from, _ := time.Parse("2006-01-02", "2022-10-15")
	to, _ := time.Parse("2006-01-02", "2022-11-30")
	set := infer.Settings{Objective: infer.ObjectiveMeanCurve, Replications: 8, Bootstrap: -1, Workers: 2, From: from, To: to,
		Observation: infer.Observation{Likelihood: infer.NegBin, Background: 1, Series: []string{"detections"}, Delay: []float64{1}, Rho: 1}}
	return sc, data, params, set
}

func main() {
	mode := flag.String("mode", "fit", "fit | noise | point")
	prof := flag.String("cpuprofile", "", "")
	n := flag.Int("n", 10, "")
	flag.Parse()
	sc, data, params, set := setup()
	if *prof != "" {
		f, _ := os.Create(*prof)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	switch *mode {
	case "fit":
		t0 := time.Now()
		fit, err := infer.Calibrate(ctx, sc, data, params, set)
		must(err)
		fmt.Println("evals", fit.Evaluations, "dur", time.Since(t0), "ll", fit.LogLik)
		for _, e := range fit.Estimates {
			fmt.Println(e.Path, e.Value)
		}
	case "noise", "point":
		x := []float64{0.6561743537041171, 18.88902564792577, 96, 0.2629612011804454, 0.619324930791292}
		for s := 0; s < *n; s++ {
			set.Seed, set.SeedSet = uint64(2022+s), true
			t0 := time.Now()
			ll, k, err := infer.Evaluate(ctx, sc, data, params, x, set)
			must(err)
			fmt.Printf("seed %d ll %.3f k %.2f %.2fs\n", 2022+s, ll, k, time.Since(t0).Seconds())
		}
	}
}
