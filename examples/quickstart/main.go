// Command quickstart is epiplan in one page: a city, a virus, one strategy and
// a plot. It plays an Omicron outbreak in a city of a million people under a
// built-in strategy (the twenty measures of November 2022 unless -strategy
// names another), prints a few figures and plots the daily infections and
// detections to quickstart.png.
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -strategy ninth_edition -out ninth.svg
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/epiplan/epiplan/control"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/sim"
)

func main() {
	out := flag.String("out", "quickstart.png", "the plot to write (.png, .svg or .pdf)")
	name := flag.String("strategy", "twenty_measures", "a built-in strategy: "+strings.Join(control.BuiltinStrategies(), ", "))
	flag.Parse()
	if _, err := run(os.Stdout, *name, 100_000, *out); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run plays the outbreak under the named built-in strategy in a city of 10
// districts of perDistrict people each, prints its figures to w and writes the
// plot to out.
func run(w io.Writer, name string, perDistrict int, out string) (*model.Result, error) {
	// A city: the default Omicron city (model.DefaultConfig: the virus, ages,
	// households and contact layers, each with its source), made of 10
	// districts of 10 communities, with 10 index cases in one community.
	cfg := model.DefaultConfig()
	cfg.Population.Areas = nil
	for d := 1; d <= 10; d++ {
		cfg.Population.Areas = append(cfg.Population.Areas,
			model.Area{Name: fmt.Sprintf("district%d", d), Population: perDistrict, Communities: 10})
	}
	cfg.Imports = model.Imports{Initial: 10, Area: "district1-1"}

	// One strategy, one run of 120 days on seed 1.
	strategy, err := control.BuiltinStrategy(name)
	if err != nil {
		return nil, err
	}
	m, err := model.New(cfg, sim.NewStream(1), model.Options{Horizon: 120})
	if err != nil {
		return nil, err
	}
	if err := m.Add(strategy.Measures()...); err != nil {
		return nil, err
	}
	res := m.Run()
	for _, name := range []string{"infections", "detections", "tests", "days_to_community_zero", "lockdown_high_person_days"} {
		v, _ := res.Metric(name)
		fmt.Fprintf(w, "%-26s %12.0f\n", name, v)
	}

	// A plot of two daily series.
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s, %d people", strategy.Name, m.Population())
	p.X.Label.Text, p.Y.Label.Text = "day", "people"
	p.Legend.Top = true
	var lines []any
	for _, name := range []string{"new_infections", "detections"} {
		var xy plotter.XYs
		for day, v := range res.Series.Get(name) {
			xy = append(xy, plotter.XY{X: float64(day), Y: v})
		}
		lines = append(lines, name, xy)
	}
	if err := plotutil.AddLines(p, lines...); err != nil {
		return nil, err
	}
	return res, p.Save(6*vg.Inch, 4*vg.Inch, out)
}
