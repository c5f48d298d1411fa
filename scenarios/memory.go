package scenarios

import (
	"fmt"
	"math"
	"math/bits"
	"runtime"

	"github.com/epiplan/epiplan/model"
)

// MemoryEstimate is an upper estimate of the memory a run of a scenario needs,
// in bytes: each replication in flight holds its outbreak (every infected
// person, the contacts the response follows, the testing pipeline's state), and
// the results keep every replication's daily series until they are written.
type MemoryEstimate struct {
	PerReplication int64 // one replication in flight, the largest over the strategies
	Results        int64 // the daily series of every replication, kept for the outputs
	Workers        int   // replications in flight at once
	Total          int64 // Workers × PerReplication + Results
}

// The coefficients of the estimate, measured as bytes allocated per run
// (on the library city of 8.4 million, fuzhou-2022: 1.16 KiB per infected person
// in an uncontrolled outbreak of 100,000, 1.2 KiB with the twenty measures'
// tracing and quarantine, 6 B per resident for the ninth edition's city-wide
// testing rounds) and rounded up; TestMemoryEstimate
// checks that they bound what runs allocate.
const (
	memBase        = 8 << 20 // a model, its queues and tables
	memPerInfected = 1536    // an infection's record, course, events and contacts
	memPerTraced   = 1 << 10 // per infection, the response's records of its contacts
	memPerResident = 16      // per person of the city, for strategies that test the whole city
	memPerSeries   = 8 * 96  // one day of a run's series (about 96 series)
)

// EstimateMemory returns the estimate for playing sc with opts.
func EstimateMemory(sc *Scenario, opts RunOptions) MemoryEstimate {
	pop := population(sc.Population.Areas)
	inf := pop
	if sc.MaxInfections > 0 && int64(sc.MaxInfections) < inf {
		inf = int64(sc.MaxInfections)
	}
	// Imports are infections too, whatever the cap: the initial ones all
	// come into being at time 0, before the cap can stop the run. They are
	// bounded by the population (checkImports).
	imports := min(int64(math.Ceil(sc.expectedImports())), pop)
	// A rescaled run simulates at most threshold infections one to a person,
	// budget at each scale below the largest, the rest at the largest, and its
	// imports one to a person (model.Rescale): every measure a file can name
	// counts weights.
	if r := sc.Rescale; r.Threshold > 0 {
		levels := int64(bits.Len(uint(max(r.MaxScale, 1))) - 1)
		inf = min(inf, int64(r.Threshold)+levels*int64(r.Budget)+pop/int64(max(r.MaxScale, 1))+1+imports)
	}
	inf = max(inf, imports)
	var per int64
	for i := range sc.Strategies {
		st := sc.Strategy(i)
		b := int64(memBase) + inf*memPerInfected
		if st.Response != nil {
			b += inf * memPerTraced
		}
		if st.Testing != nil && (len(st.Testing.Mass) > 0 || len(st.Testing.Screening) > 0) {
			b += pop * memPerResident
		}
		per = max(per, b)
	}
	reps := int64(sc.Replications)
	if opts.Replications > 0 {
		reps = int64(opts.Replications)
	}
	days := int64(sc.Horizon) + 1
	e := MemoryEstimate{PerReplication: per, Results: reps * int64(len(sc.Strategies)) * days * memPerSeries}
	e.Workers = opts.Workers
	if e.Workers <= 0 {
		e.Workers = runtime.GOMAXPROCS(0)
	}
	// The runs of every strategy share the workers (PlayStrategies).
	e.Workers = int(min(int64(e.Workers), reps*int64(max(len(sc.Strategies), 1))))
	if opts.MaxMemory > 0 && e.Results+int64(e.Workers)*per > opts.MaxMemory {
		// Fewer replications in flight: results do not depend on it.
		e.Workers = int(max((opts.MaxMemory-e.Results)/max(per, 1), 1))
	}
	e.Total = int64(e.Workers)*per + e.Results
	return e
}

// population counts the people living in areas.
func population(areas []model.Area) int64 {
	var n int64
	for _, a := range areas {
		if len(a.Children) > 0 {
			n += population(a.Children)
		} else {
			n += int64(a.Population)
		}
	}
	return n
}

// CheckMemory returns the estimate for playing sc with opts, and an error if
// it exceeds opts.MaxMemory even with one replication in flight.
func CheckMemory(sc *Scenario, opts RunOptions) (MemoryEstimate, error) {
	e := EstimateMemory(sc, opts)
	if opts.MaxMemory > 0 && e.Total > opts.MaxMemory {
		name := sc.Name
		if name == "" {
			name = "the scenario"
		}
		rescale := "let large epidemics rescale (a rescale.threshold above 0)"
		if sc.Rescale.Threshold > 0 {
			rescale = "rescale sooner (a lower rescale.threshold or budget)"
		}
		return e, fmt.Errorf("%s: the run would need about %s (%s a replication in flight, %s for the results), more than the limit of %s; lower max_infections, the population, the replications or the horizon, %s, or raise --max-memory",
			name, Bytes(e.Total), Bytes(e.PerReplication), Bytes(e.Results), Bytes(opts.MaxMemory), rescale)
	}
	return e, nil
}

// Bytes writes a size in bytes with a binary unit (KiB, MiB, GiB, TiB).
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 3; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGT"[exp])
}
