// Command perf runs epiplan's performance benchmarks (package bench, the same
// code as `go test -bench . ./bench/`) through testing.Benchmark and prints one
// Markdown table of them, with the machine it ran on:
//
//   - the epidemic core: events/s, infections/s, ns/event and bytes per infected
//     person of an uncontrolled outbreak in a city of a million;
//   - scaling with the population (a small outbreak in cities of 10^4 to 8.4
//     million people: time and memory should stay flat) and with the outbreak
//     (10^3 to 10^6 infections: time per infection should stay flat);
//   - the sim kernel's event queue (the hold model at 10^3, 10^5 and 10^6
//     pending events);
//   - a city-wide PCR round, and a replication of each acting strategy of the
//     library scenario fuzhou-2022;
//   - replications per second on one core and on all cores (scenarios.Play).
//
// Usage:
//
//	go run ./bench/cmd/perf                          # print the table
//	go run ./bench/cmd/perf -o bench/PERF.md         # and write it to a file
//	go run ./bench/cmd/perf -readme bench/README.md  # and put it in the README's perf section
//
// It takes about two minutes on two cores. Timings depend on the machine and
// on what else runs on it: compare runs of one machine, with -count 3 or more
// on a quiet one.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/epiplan/epiplan/bench"
	"github.com/epiplan/epiplan/bench/internal/mdfile"
	"github.com/epiplan/epiplan/model"
	"github.com/epiplan/epiplan/scenarios"
)

// Section is the name of the marked section of bench/README.md the table goes in.
const Section = "perf"

// plan is what to measure: the sizes of every case.
type plan struct {
	hold        []int        // pending events of the hold model
	uncontained int          // city of the uncontrolled outbreak
	whole       bool         // the whole epidemic in the default city (seconds)
	populations []bench.Size // cities of the small outbreak
	outbreaks   []bench.Size // infection caps of the outbreak scaling
	mass        []bench.Size // cities of the PCR round
	strategies  []string     // strategies of bench.StrategyScenario
	perWorker   int          // replications per worker for the replications/s
}

// fullPlan is the plan of the published table.
func fullPlan() plan {
	return plan{
		hold:        bench.HoldSizes,
		uncontained: 1_000_000,
		whole:       true,
		populations: bench.PopulationSizes,
		outbreaks:   bench.OutbreakSizes,
		mass:        bench.MassTestingSizes,
		strategies:  bench.StrategyNames,
		perWorker:   6,
	}
}

func main() {
	testing.Init() // testing.Benchmark reads -test.benchtime
	out := flag.String("o", "", "also write the table to this Markdown `file`")
	readme := flag.String("readme", "", "also put the table in the perf section of this Markdown `file` (bench/README.md)")
	count := flag.Int("count", 1, "run each benchmark `n` times and report the run of median time")
	benchtime := flag.String("benchtime", "1s", "minimum time of each benchmark (or Nx for N ops), as go test's -benchtime")
	flag.Parse()
	if err := flag.Set("test.benchtime", *benchtime); err != nil {
		fail(fmt.Errorf("-benchtime %s: %w", *benchtime, err))
	}
	if *out != "" {
		if err := mdfile.CanWrite(*out); err != nil {
			fail(err)
		}
	}
	if *readme != "" {
		if err := mdfile.CheckSection(*readme, Section); err != nil {
			fail(err)
		}
	}
	if *count < 1 {
		fail(fmt.Errorf("-count must be at least 1, got %d", *count))
	}
	table, err := run(fullPlan(), *count, *benchtime, os.Stderr)
	if err != nil {
		fail(err)
	}
	fmt.Print(table)
	if *out != "" {
		if err := mdfile.WriteFile(*out, table); err != nil {
			fail(err)
		}
		fmt.Fprintln(os.Stderr, "perf: wrote", *out)
	}
	if *readme != "" {
		if err := mdfile.ReplaceSection(*readme, Section, table); err != nil {
			fail(err)
		}
		fmt.Fprintln(os.Stderr, "perf: updated the perf section of", *readme)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "perf:", err)
	os.Exit(1)
}

// measure runs a benchmark count times and returns the run of median time
// per op. It fails if the benchmark did (testing.Benchmark reports a failed
// benchmark as a zero result).
func measure(name string, count int, f func(b *testing.B)) (testing.BenchmarkResult, error) {
	var rs []testing.BenchmarkResult
	for i := 0; i < count; i++ {
		r := testing.Benchmark(f)
		if r.N == 0 {
			return r, fmt.Errorf("benchmark %s failed", name)
		}
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].NsPerOp() < rs[j].NsPerOp() })
	return rs[len(rs)/2], nil
}

// perOp returns a result's nanoseconds per op, as a float (NsPerOp rounds).
func perOp(r testing.BenchmarkResult) float64 { return float64(r.T.Nanoseconds()) / float64(r.N) }

// run measures the plan and returns the Markdown table, logging progress to
// log.
func run(p plan, count int, benchtime string, log io.Writer) (string, error) {
	start := time.Now()
	procs := runtime.GOMAXPROCS(0)
	var b strings.Builder
	machine := describeMachine(procs)
	fmt.Fprintf(&b, "Measured with `go run ./bench/cmd/perf` on %s: %s. Each figure is from "+
		"testing.Benchmark (benchtime %s, the run of median time of %d); one core "+
		"(GOMAXPROCS=1) except the last table.\n", start.UTC().Format("2006-01-02 15:04 MST"), machine, benchtime, count)

	step := func(what string) { fmt.Fprintf(log, "perf: %s (%v)\n", what, time.Since(start).Round(time.Second)) }
	defer runtime.GOMAXPROCS(procs)
	runtime.GOMAXPROCS(1)

	// The epidemic core.
	step("epidemic")
	r, err := measure("uncontrolled", count, func(b *testing.B) {
		bench.Epidemic(b, bench.Uncontrolled(p.uncontained), model.Options{})
	})
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "\n#### The epidemic core\n\nAn uncontrolled outbreak (R0 about 2.5, 10 index cases, run to its end) in the "+
		"default Omicron city of %s people (`BenchmarkEpidemic/uncontrolled`).\n\n", num(float64(p.uncontained)))
	b.WriteString("| time per run | infections | events | infections/s | events/s | ns/event | allocated per run | bytes per infected person |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", dur(perOp(r)), num(r.Extra["infections/op"]), num(r.Extra["events/op"]),
		num(r.Extra["infections/s"]), num(1e9/r.Extra["ns/event"]), num(r.Extra["ns/event"]), bytes(float64(r.AllocedBytesPerOp())), num(r.Extra["B/infection"]))

	// A whole epidemic in the default city, rescaled.
	if p.whole {
		if err := wholeEpidemic(&b, count, step); err != nil {
			return "", err
		}
	}

	// Scaling with the population.
	step("population scaling")
	b.WriteString("\n#### Scaling with the population\n\nThe same small outbreak (R about 0.7, 50 index cases, 180 days) in cities of " +
		"growing size (`BenchmarkEpidemic/small`): the cost should not grow with the population.\n\n")
	b.WriteString("| people | time per run | allocated per run | infections | time vs the smallest | allocated vs the smallest |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|\n")
	var t0, m0 float64
	for i, c := range p.populations {
		r, err := measure("small/"+c.Name, count, func(b *testing.B) {
			bench.Epidemic(b, bench.SmallOutbreak(c.N), bench.SmallOutbreakOptions)
		})
		if err != nil {
			return "", err
		}
		t, m := perOp(r), float64(r.AllocedBytesPerOp())
		if i == 0 {
			t0, m0 = t, m
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2fx | %.2fx |\n", num(float64(c.N)), dur(t), bytes(m), num(r.Extra["infections/op"]), t/t0, m/m0)
	}

	// Scaling with the outbreak.
	step("outbreak scaling")
	fmt.Fprintf(&b, "\n#### Scaling with the outbreak\n\nThe uncontrolled outbreak in a city of %s people, stopped at a number of "+
		"infections (`BenchmarkEpidemic/outbreak`): the cost per infection should stay flat.\n\n", num(bench.OutbreakCity))
	b.WriteString("| infections | time per run | ns per infection | events per infection | bytes per infection |\n")
	b.WriteString("|---:|---:|---:|---:|---:|\n")
	for _, c := range p.outbreaks {
		r, err := measure("outbreak/"+c.Name, count, func(b *testing.B) {
			bench.Epidemic(b, bench.Uncontrolled(bench.OutbreakCity), model.Options{MaxInfections: c.N})
		})
		if err != nil {
			return "", err
		}
		inf := r.Extra["infections/op"]
		fmt.Fprintf(&b, "| %s | %s | %s | %.2f | %s |\n", num(float64(c.N)), dur(perOp(r)), num(r.Extra["ns/infection"]),
			r.Extra["events/op"]/inf, num(r.Extra["B/infection"]))
	}

	// The event queue.
	step("hold model")
	b.WriteString("\n#### The event queue\n\nThe hold model (`BenchmarkHold`): N events pending, each step pops the earliest and " +
		"schedules one at now + Exp(1). Typed: the kernel's allocation-free path; closure: a closure per event; " +
		"baseline: a bare binary heap with no kernel around it.\n\n")
	b.WriteString("| pending events | typed ns/event | closure ns/event | baseline ns/event | typed / baseline | typed allocs/event |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|\n")
	for _, n := range p.hold {
		var ns [3]float64
		var typedAllocs int64
		for k, f := range []func(*testing.B, int){bench.HoldTyped, bench.HoldClosure, bench.HoldBaseline} {
			r, err := measure(fmt.Sprintf("hold/%d", n), count, func(b *testing.B) { f(b, n) })
			if err != nil {
				return "", err
			}
			ns[k] = perOp(r)
			if k == 0 {
				typedAllocs = r.AllocsPerOp()
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.2f | %d |\n", num(float64(n)), nsEvent(ns[0]), nsEvent(ns[1]), nsEvent(ns[2]), ns[0]/ns[2], typedAllocs)
	}

	// Mass testing.
	step("mass testing")
	b.WriteString("\n#### A city-wide PCR round\n\nEveryone swabbed in 12 hours at sites of 2,000 residents, pooled 10 to a tube, " +
		"1,000 of them infected (`BenchmarkMassTesting`).\n\n")
	b.WriteString("| people | time per round | allocated | events | tubes | infected found | last pooled result | last recall result |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range p.mass {
		r, err := measure("mass/"+c.Name, count, func(b *testing.B) { bench.MassTesting(b, c.N) })
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s of 1,000 | %.1f h | %.1f h |\n", num(float64(c.N)), dur(perOp(r)),
			bytes(float64(r.AllocedBytesPerOp())), num(r.Extra["events/op"]), num(r.Extra["tubes/op"]), num(r.Extra["found/op"]),
			r.Extra["pooled-hours"], r.Extra["recall-hours"])
	}

	// Strategies.
	step("strategies")
	sc, err := scenarios.LibraryScenario(bench.StrategyScenario)
	if err != nil {
		return "", err
	}
	limit := fmt.Sprintf("up to %d days, no infection cap (an epidemic that escapes runs to its end, rescaled)", int(sc.Horizon))
	if sc.MaxInfections > 0 {
		limit = fmt.Sprintf("up to %d days or %s infections", int(sc.Horizon), num(float64(sc.MaxInfections)))
	}
	fmt.Fprintf(&b, "\n#### A strategy on %s\n\nOne replication of a strategy of the library scenario (8.4 million people, "+
		"the city's resources, %s; `BenchmarkStrategy`).\n\n", bench.StrategyScenario, limit)
	b.WriteString("| strategy | time per replication | allocated | infections |\n|---|---:|---:|---:|\n")
	for _, name := range p.strategies {
		i := strategyIndex(sc, name)
		if i < 0 {
			return "", fmt.Errorf("scenario %s has no strategy %s", bench.StrategyScenario, name)
		}
		r, err := measure("strategy/"+name, count, func(b *testing.B) { bench.Strategy(b, sc, i) })
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", name, dur(perOp(r)), bytes(float64(r.AllocedBytesPerOp())), num(r.Extra["infections/op"]))
	}

	// Replications per second.
	step("replications")
	runtime.GOMAXPROCS(procs)
	if len(p.strategies) > 0 {
		name := p.strategies[0]
		sc.Strategies = sc.Strategies[strategyIndex(sc, name) : strategyIndex(sc, name)+1]
		reps := p.perWorker * procs
		fmt.Fprintf(&b, "\n#### Replications on all cores\n\n%d replications of %s on %s (`scenarios.Play`, wall time, "+
			"GOMAXPROCS=%d).\n\n", reps, name, bench.StrategyScenario, procs)
		b.WriteString("| workers | wall time | replications/s | speed-up |\n|---:|---:|---:|---:|\n")
		var first float64
		for _, w := range workerCounts(procs) {
			var best time.Duration
			for i := 0; i < count; i++ {
				t := time.Now()
				if _, err := scenarios.Play(context.Background(), sc, scenarios.RunOptions{Replications: reps, Workers: w}); err != nil {
					return "", err
				}
				if d := time.Since(t); i == 0 || d < best {
					best = d
				}
			}
			rate := float64(reps) / best.Seconds()
			if first == 0 {
				first = rate
			}
			fmt.Fprintf(&b, "| %d | %s | %.1f | %.2fx |\n", w, dur(float64(best.Nanoseconds())), rate, rate/first)
		}
	}
	fmt.Fprintf(&b, "\nThe whole table took %v.\n", time.Since(start).Round(100*time.Millisecond))
	step("done")
	return b.String(), nil
}

// workerCounts returns 1 and the number of cores (once if they are the same).
func workerCounts(procs int) []int {
	if procs == 1 {
		return []int{1}
	}
	return []int{1, procs}
}

// strategyIndex returns the index of the named strategy of sc, or -1.
func strategyIndex(sc *scenarios.Scenario, name string) int {
	for i, sp := range sc.Strategies {
		if sp.Name == name {
			return i
		}
	}
	return -1
}

// describeMachine says what the table ran on: the CPU model, cores, memory,
// operating system, Go version and the load when it started.
func describeMachine(procs int) string {
	cpu := "unknown CPU"
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		cpu = v
	}
	s := fmt.Sprintf("%s, %d cores (GOMAXPROCS %d)", cpu, runtime.NumCPU(), procs)
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		var kb float64
		if _, err := fmt.Sscanf(v, "%g kB", &kb); err == nil {
			s += fmt.Sprintf(", %.0f GiB", kb/(1<<20))
		}
	}
	s += fmt.Sprintf(", %s/%s, %s", runtime.GOOS, runtime.GOARCH, runtime.Version())
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(data)); len(f) >= 3 {
			s += fmt.Sprintf(", load average %s %s %s at the start", f[0], f[1], f[2])
		}
	}
	return s
}

// procField returns the value of the first line "key : value" of a /proc file,
// or "" (on a system without /proc, say).
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// dur writes nanoseconds as a duration with 3 significant digits.
func dur(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	}
	return fmt.Sprintf("%.3g ns", ns)
}

// nsEvent writes nanoseconds per event: one decimal below 100, whole above.
func nsEvent(ns float64) string {
	if ns < 100 {
		return fmt.Sprintf("%.1f", ns)
	}
	return num(ns)
}

// bytes writes a number of bytes in B, KB, MB or GB (powers of 1000).
func bytes(x float64) string {
	switch {
	case x >= 1e9:
		return fmt.Sprintf("%.3g GB", x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%.3g MB", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.3g KB", x/1e3)
	}
	return fmt.Sprintf("%.0f B", x)
}

// num writes a number rounded to a whole, with thousands separators.
func num(x float64) string {
	s := fmt.Sprintf("%.0f", x)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// wholeEpidemic writes the table of BenchmarkEpidemic/uncontrolled/N=8.4e6.
func wholeEpidemic(b *strings.Builder, count int, step func(string)) error {
	step("whole epidemic")
	r, err := measure("uncontrolled/N=8.4e6", count, func(b *testing.B) {
		cfg, opts := bench.DefaultCityEpidemic()
		bench.Epidemic(b, cfg, opts)
	})
	if err != nil {
		return err
	}
	b.WriteString("\nA whole Omicron epidemic in the default city (fuzhou-2022: 8,400,000 people, 10 index cases, no cap, " +
		"rescaled past 50,000 infections; `BenchmarkEpidemic/uncontrolled/N=8.4e6`; target ≤ 2 s and ≤ 300 MB a run).\n\n")
	b.WriteString("| time per run | people infected | events | allocated per run |\n")
	b.WriteString("|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| %s | %s | %s | %s |\n", dur(perOp(r)), num(r.Extra["infections/op"]), num(r.Extra["events/op"]), bytes(float64(r.AllocedBytesPerOp())))
	return nil
}
