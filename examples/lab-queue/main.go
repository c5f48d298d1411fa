// Command lab-queue models a city's PCR testing pipeline for a day and a half with
// the resources and statistics of package sim alone, the way a SimPy user would
// write it: no epidemic, only queues.
//
// People come to S sampling sites (each a [sim.Server] of swab booths) from 08:00
// to 20:00 on day 0, as a Poisson process whose rate follows a daily profile. Swabs
// are pooled 10 to a tube. A van calls at every site every two hours, takes the
// closed tubes and drives them to the lab in 45 minutes, where they arrive as one
// lot. The lab is a [sim.BatchServer]: M instruments each run a 96-well plate (94
// tubes and 2 controls) in 2.5 hours, and start a partial plate when the oldest
// tube has waited an hour. A lot is reported when its last tube is done; its
// turnaround runs from its oldest swab to the report.
//
// Run it with
//
//	go run ./examples/lab-queue -sites 6 -booths 3 -instruments 2 -rate 110 -seed 1
//
// It prints, per stage, utilization, queue, waits and throughput from each
// resource's Report, the bottleneck stage and the turnaround of the lots. A run is
// a pure function of its flags: every random draw comes from a keyed [sim.Stream].
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"

	"github.com/epiplan/epiplan/sim"
)

// Priority classes: the order of events that fall at the same instant. A swab that
// ends as the van calls is in a closed tube before the van loads; the doors close
// before the van's last call, so that a site with no queue at closing time hands
// over its last partial tube on that call.
const (
	prioSwab    sim.Priority = iota // a swab is done: count it, close a full tube
	prioArrive                      // a person joins a site's queue
	prioClose                       // the doors close: no more arrivals, last tube closes once the queue is empty
	prioVan                         // the van calls at a site
	prioDeliver                     // a lot reaches the lab
	prioLab                         // the lab's run ends and MaxWait timers
)

// config is one run's inputs.
type config struct {
	Sites       int     // sampling sites
	Booths      int     // swab booths per site
	Instruments int     // PCR instruments in the lab
	Rate        float64 // mean arrivals per hour per site over the opening hours
	Flat        bool    // constant arrival rate instead of the daily profile
	Seed        uint64  // root of every random stream

	Open, Close sim.Time     // sampling hours on day 0
	Swab        sim.Duration // mean time in a booth, exponential
	PoolSize    int          // swabs per tube
	VanEvery    sim.Duration // time between two calls of the van at a site
	Drive       sim.Duration // from a site to the lab
	Wells       int          // wells on a PCR plate
	Controls    int          // wells of a plate taken by controls
	RunTime     sim.Duration // one plate, extraction to result
	MaxWait     sim.Duration // longest wait of a tube for a plate to fill
	End         sim.Time     // end of the run
}

// defaultConfig returns the defaults of the flags and the fixed parameters.
func defaultConfig() config {
	return config{
		// Six sites with three booths each, at 110 people an hour on average: the
		// booths are busy about 60% of the time, more at the morning peak. Two
		// instruments can just keep up with the ~65 tubes an hour this sends, so
		// tubes queue at the lab. Illustrative, not taken from a city.
		Sites:       6,
		Booths:      3,
		Instruments: 2,
		Rate:        110,
		Seed:        1,

		Open:  sim.Time(8 * sim.Hour),
		Close: sim.Time(20 * sim.Hour),
		// About a minute per nasopharyngeal swab including the paperwork: an
		// assumption for a walk-in site, exponential so that some take longer.
		Swab: sim.Minute,
		// 10-in-1 pooling, as in Qingdao's city-wide screening of October 2020
		// (municipal government, reported by CNN on 14 October 2020); Wuhan's in
		// May 2020 pooled 5 to 10 swabs.
		PoolSize: 10,
		// A courier loop: each site is called at every 2 hours, 45 minutes' drive
		// from the lab. Assumptions for a mid-sized city.
		VanEvery: 2 * sim.Hour,
		Drive:    45 * sim.Minute,
		// A 96-well plate keeps one positive and one negative control (the CDC
		// 2019-nCoV RT-PCR panel asks for both on every plate), so 94 tubes a run.
		Wells:    96,
		Controls: 2,
		// 2.5 h per plate: about an hour of automated RNA extraction plus about
		// 1.5 h of RT-PCR (the CDC panel's 45-cycle program runs a little over an
		// hour) and loading. An assumption within the usual 2–4 h.
		RunTime: 2*sim.Hour + 30*sim.Minute,
		// A partial plate starts when its oldest tube has waited an hour.
		MaxWait: sim.Hour,
		// A day and a half: sampling on day 0, the lab until noon on day 1.
		End: sim.Time(36 * sim.Hour),
	}
}

// validate reports the first bad value, naming its flag.
func (c config) validate() error {
	switch {
	case c.Sites < 1:
		return fmt.Errorf("-sites must be at least 1, got %d", c.Sites)
	case c.Booths < 1:
		return fmt.Errorf("-booths must be at least 1, got %d", c.Booths)
	case c.Instruments < 1:
		return fmt.Errorf("-instruments must be at least 1, got %d", c.Instruments)
	case !(c.Rate > 0) || math.IsInf(c.Rate, 1):
		return fmt.Errorf("-rate must be a finite number > 0, got %v", c.Rate)
	case c.Rate*c.Close.Sub(c.Open).Hours() > 1e6:
		return fmt.Errorf("-rate %v is more than a million people per site per day", c.Rate)
	case c.PoolSize < 1, c.Wells <= c.Controls, c.Controls < 0:
		return errors.New("pool size and plate layout must leave room for at least one tube")
	case !(c.Open < c.Close && c.Close <= c.End):
		return errors.New("opening hours must fall within the run")
	}
	return nil
}

// profile is the arrival rate in each opening hour from 08:00, relative to the
// mean: a peak before work, a lunch bump and one after work. It averages 1, so
// -rate is the mean over the day. Illustrative, not fitted to data.
var profile = [...]float64{1.3, 1.4, 1.1, 0.9, 0.8, 1.0, 0.8, 0.7, 0.8, 1.0, 1.2, 1.0}

// site is a sampling site and what it holds for the van.
type site struct {
	srv       *sim.Server
	arrivals  *rand.Rand // candidate arrival times and their thinning
	people    int64      // arrivals so far; a person's id at the site
	open      bool       // doors not yet closed
	closedOut bool       // doors closed and the last person swabbed
	swabs     int        // swabs taken
	inTube    int        // swabs in the open tube
	first     sim.Time   // oldest swab in the open tube
	ready     []sim.Time // closed tubes waiting for the van, by their oldest swab
	tubes     int        // tubes closed
	report    sim.ResourceReport
}

// stageReport is one row of the table: a resource's report over its working
// window, from the opening (the lab: its first delivery) to the end of its last
// job, or to the end of the run if work was left.
type stageReport struct {
	sim.ResourceReport
	From, To sim.Time
}

// result is what a run returns.
type result struct {
	Config       config
	Sites        []stageReport // one per site
	Lab          stageReport
	Swabs        []int        // swabs taken per site
	Tubes        []int        // tubes closed per site
	Delivered    int          // tubes that reached the lab
	Processed    int64        // tubes the lab finished
	Lots         int          // van loads delivered
	Reported     int          // lots reported
	Runs         int64        // plates run
	Fill         sim.Summary  // tubes per plate
	Turnaround   sim.Tally    // per lot: oldest swab to report, days
	MinDelay     sim.Duration // drive plus one run: the shortest turnaround possible
	Bottleneck   string       // the stage with the highest utilization
	BottleneckAt float64      // its utilization
}

// model is the state of one run.
type model struct {
	cfg   config
	s     *sim.Sim
	sites []*site
	lab   *sim.BatchServer
	lots  []sim.Time // oldest swab of each lot, by lot id
	pcg   rand.PCG   // reseeded for each keyed draw

	swabDist   sim.Dist
	swabStream sim.Stream
	arrive     sim.Kind
	van        sim.Kind

	res      result
	labFrom  sim.Time // first delivery: the start of the lab's window
	labDone  bool     // the lab reported its last lot after every site closed out
	inFlight int      // lots picked up and not yet reported
}

// run simulates one day and a half and returns the statistics. cfg must be valid.
func run(cfg config) result {
	root := sim.NewStream(cfg.Seed)
	m := &model{
		cfg:        cfg,
		s:          sim.New(),
		swabDist:   sim.ExponentialDist(cfg.Swab.Days()),
		swabStream: root.Named("swab"),
	}
	m.res.Config = cfg
	m.arrive = m.s.NewKind("arrive", prioArrive, m.onArrive)
	m.van = m.s.NewKind("van", prioVan, m.onVan)

	arrivals := root.Named("arrivals")
	for i := range cfg.Sites {
		st := &site{arrivals: arrivals.Key(uint64(i)).Rand(), open: true}
		srv, err := sim.NewServer(m.s, sim.ServerConfig{
			Name:     fmt.Sprintf("site %d", i+1),
			Servers:  cfg.Booths,
			Priority: prioSwab,
		}, func(sim.Job) { m.onSwab(i) })
		if err != nil {
			panic(err) // validate keeps the configuration sound
		}
		st.srv = srv
		m.sites = append(m.sites, st)
	}
	lab, err := sim.NewBatchServer(m.s, sim.BatchConfig{
		Name:     "PCR lab",
		Machines: cfg.Instruments,
		Batch:    cfg.Wells - cfg.Controls,
		RunTime:  cfg.RunTime,
		MaxWait:  cfg.MaxWait,
		Priority: prioLab,
	}, m.onReport)
	if err != nil {
		panic(err)
	}
	m.lab = lab

	// Closing time, the first arrivals, and the van's loop: site i is called at
	// 2h·(1 + i/S) after opening, then every 2 hours, so that lots reach the lab
	// spread over the day rather than all at once.
	for i := range m.sites {
		m.s.AtFunc(cfg.Close, prioClose, func() { m.closeDoors(i) })
		m.nextArrival(i, cfg.Open)
		first := cfg.Open.Add(cfg.VanEvery + cfg.VanEvery*sim.Duration(i)/sim.Duration(cfg.Sites))
		m.s.At(first, m.van, int64(i))
	}

	// Nothing happens before the opening; the sites' statistics start there (and
	// the lab's at its first delivery), so that each stage's utilization is over
	// its working window.
	m.s.RunUntil(cfg.Open)
	for _, st := range m.sites {
		st.srv.ResetStats()
	}
	m.s.RunUntil(cfg.End)

	end := m.s.Now()
	for i, st := range m.sites {
		if !st.closedOut {
			st.report = st.srv.Report(end)
		}
		m.res.Sites = append(m.res.Sites, stageReport{st.report, cfg.Open, cfg.Open.Add(st.report.Period)})
		m.res.Swabs = append(m.res.Swabs, st.swabs)
		m.res.Tubes = append(m.res.Tubes, m.sites[i].tubes)
	}
	if !m.labDone {
		m.res.Lab = stageReport{m.lab.Report(end), m.labFrom, end}
	}
	m.res.Processed = m.res.Lab.Done
	m.res.Runs = m.lab.Runs()
	m.res.Fill = m.lab.Fill()
	m.res.MinDelay = cfg.Drive + cfg.RunTime
	m.res.Bottleneck, m.res.BottleneckAt = m.res.Lab.Name, m.res.Lab.Utilization
	for _, r := range m.res.Sites {
		if r.Utilization > m.res.BottleneckAt {
			m.res.Bottleneck, m.res.BottleneckAt = r.Name, r.Utilization
		}
	}
	return m.res
}

// nextArrival schedules the next person at site i after time t, if before closing
// time. Arrivals are a Poisson process with the profile's rate, drawn by thinning
// a process at the peak rate; the draws come from the site's own stream.
func (m *model) nextArrival(i int, t sim.Time) {
	st := m.sites[i]
	peak := 1.0
	if !m.cfg.Flat {
		for _, p := range profile {
			peak = math.Max(peak, p)
		}
	}
	perDay := peak * m.cfg.Rate / sim.Hour.Days()
	for {
		t = t.Add(sim.Duration(st.arrivals.ExpFloat64() / perDay))
		if t >= m.cfg.Close {
			return
		}
		if st.arrivals.Float64()*peak < m.rate(t) {
			m.s.At(t, m.arrive, int64(i))
			return
		}
	}
}

// rate returns the arrival rate at t relative to the mean.
func (m *model) rate(t sim.Time) float64 {
	if m.cfg.Flat {
		return 1
	}
	span := m.cfg.Close.Sub(m.cfg.Open)
	h := int(float64(t.Sub(m.cfg.Open)/span) * float64(len(profile)))
	return profile[min(max(h, 0), len(profile)-1)]
}

// onArrive puts a person in site e.ID's queue. The swab's length belongs to the
// person: it is drawn from their own key, so it does not change with the number
// of booths or anything else in the run.
func (m *model) onArrive(e sim.Event) {
	i := int(e.ID)
	st := m.sites[i]
	st.people++
	m.swabStream.Key(uint64(i)).Key(uint64(st.people)).Seed(&m.pcg)
	d := sim.Duration(m.swabDist.Sample(&m.pcg))
	st.srv.Arrive(sim.Job{ID: st.people, Service: d})
	m.nextArrival(i, e.Time)
}

// onSwab counts a swab at site i and closes the tube when it is full; after the
// doors closed, the last swab closes the last tube.
func (m *model) onSwab(i int) {
	st := m.sites[i]
	now := m.s.Now()
	st.swabs++
	if st.inTube == 0 {
		st.first = now
	}
	st.inTube++
	if st.inTube == m.cfg.PoolSize {
		m.closeTube(st)
	}
	if !st.open && st.srv.Busy() == 0 && st.srv.QueueLen() == 0 {
		m.closeOut(st)
	}
}

// closeTube closes the open tube of st and puts it out for the van.
func (m *model) closeTube(st *site) {
	st.ready = append(st.ready, st.first)
	st.tubes++
	st.inTube = 0
}

// closeDoors stops arrivals at site i; the people in the queue are still swabbed.
func (m *model) closeDoors(i int) {
	st := m.sites[i]
	st.open = false
	if st.srv.Busy() == 0 && st.srv.QueueLen() == 0 {
		m.closeOut(st)
	}
}

// closeOut ends the day at a site: its last partial tube closes, and its report
// covers the opening to now.
func (m *model) closeOut(st *site) {
	if st.inTube > 0 {
		m.closeTube(st)
	}
	st.closedOut = true
	st.report = st.srv.Report(m.s.Now())
}

// onVan is the van's call at site e.ID: it takes every closed tube there and
// drives them to the lab, where they arrive as one lot. The van keeps calling
// every VanEvery until the site has closed out and been cleared.
func (m *model) onVan(e sim.Event) {
	i := int(e.ID)
	st := m.sites[i]
	if n := len(st.ready); n > 0 {
		id := int64(len(m.lots))
		m.lots = append(m.lots, st.ready[0])
		st.ready = st.ready[:0]
		m.inFlight++
		m.s.AfterFunc(m.cfg.Drive, prioDeliver, func() {
			if m.res.Lots == 0 {
				m.labFrom = m.s.Now()
				m.lab.ResetStats()
			}
			m.res.Delivered += n
			m.res.Lots++
			m.lab.Arrive(id, n)
		})
	}
	if !st.closedOut || len(st.ready) > 0 {
		m.s.After(m.cfg.VanEvery, m.van, e.ID)
	}
}

// onReport records a lot's result: its turnaround from the oldest swab.
func (m *model) onReport(l sim.Lot) {
	now := m.s.Now()
	m.res.Turnaround.Add(now.Sub(m.lots[l.ID]).Days())
	m.res.Reported++
	m.inFlight--
	if m.inFlight > 0 {
		return
	}
	for _, st := range m.sites {
		if !st.closedOut || len(st.ready) > 0 {
			return
		}
	}
	m.labDone = true
	m.res.Lab = stageReport{m.lab.Report(now), m.labFrom, now}
}

// clock formats t as a day and a time of day, "d0 08:00".
func clock(t sim.Time) string {
	mins := int(math.Round(t.Days() * 24 * 60))
	return fmt.Sprintf("d%d %02d:%02d", mins/1440, mins/60%24, mins%60)
}

// print writes the result as a table.
func (r result) print(w io.Writer) {
	c := r.Config
	shape := "daily profile"
	if c.Flat {
		shape = "flat"
	}
	fmt.Fprintf(w, "PCR testing pipeline, seed %d\n", c.Seed)
	fmt.Fprintf(w, "  sampling  %d sites × %d booths, %.0f people/h per site (%s), swab ~%v, doors %s–%s\n",
		c.Sites, c.Booths, c.Rate, shape, c.Swab, clock(c.Open)[3:], clock(c.Close)[3:])
	fmt.Fprintf(w, "  transport %d-in-1 tubes, van at each site every %v, %v to the lab\n",
		c.PoolSize, c.VanEvery, c.Drive)
	instruments := "instruments"
	if c.Instruments == 1 {
		instruments = "instrument"
	}
	fmt.Fprintf(w, "  lab       %d %s × %d tubes/plate, %v/run, partial plate after %v\n\n",
		c.Instruments, instruments, c.Wells-c.Controls, c.RunTime, c.MaxWait)

	fmt.Fprintln(w, "stage    cap  window              util    queue         wait (min)    done   per h")
	fmt.Fprintln(w, "                                        mean    max   mean    max")
	row := func(sr stageReport, unit string) {
		fmt.Fprintf(w, "%-8s %3d  %s–%s  %4.2f  %5.1f  %5.0f  %5.1f  %5.0f  %6d  %6.1f  %s\n",
			sr.Name, sr.Capacity, clock(sr.From), clock(sr.To), sr.Utilization,
			sr.MeanQueue, sr.MaxQueue,
			sim.Duration(sr.Wait.Mean).Minutes(), sim.Duration(sr.Wait.Max).Minutes(),
			sr.Done, float64(sr.Done)/sr.Period.Hours(), unit)
	}
	for _, sr := range r.Sites {
		row(sr, "people")
	}
	row(r.Lab, "tubes")

	swabs, tubes := 0, 0
	for i := range r.Swabs {
		swabs += r.Swabs[i]
		tubes += r.Tubes[i]
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "swabs       %d\n", swabs)
	fmt.Fprintf(w, "tubes       %d closed, %d delivered in %d lots (%.1f tubes/lot), %d processed\n",
		tubes, r.Delivered, r.Lots, float64(r.Delivered)/float64(max(r.Lots, 1)), r.Processed)
	fmt.Fprintf(w, "plates      %d, mean fill %.1f of %d tubes\n", r.Runs, r.Fill.Mean, c.Wells-c.Controls)
	fmt.Fprintf(w, "bottleneck  %s (utilization %.2f)\n", r.Bottleneck, r.BottleneckAt)
	t := &r.Turnaround
	fmt.Fprintf(w, "turnaround  mean %.1fh, sd %.1fh, min %.1fh, max %.1fh over %d lots\n",
		24*t.Mean(), 24*t.StdDev(), 24*t.Min(), 24*t.Max(), t.N())
	fmt.Fprintf(w, "            (oldest swab in a lot to its report; at least %v of drive and run)\n", r.MinDelay)
	if backlog := r.Delivered - int(r.Processed); backlog > 0 || r.Lots > r.Reported {
		fmt.Fprintf(w, "backlog     %d tubes not reported by %s\n", backlog, clock(c.End))
	}
}

func main() {
	cfg := defaultConfig()
	flag.IntVar(&cfg.Sites, "sites", cfg.Sites, "sampling sites")
	flag.IntVar(&cfg.Booths, "booths", cfg.Booths, "swab booths per site")
	flag.IntVar(&cfg.Instruments, "instruments", cfg.Instruments, "PCR instruments in the lab")
	flag.Float64Var(&cfg.Rate, "rate", cfg.Rate, "mean arrivals per hour per site, 08:00–20:00")
	flag.BoolVar(&cfg.Flat, "flat", cfg.Flat, "constant arrival rate instead of the daily profile")
	flag.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	flag.Parse()
	if err := cfg.validate(); err != nil {
		fmt.Fprintln(os.Stderr, "lab-queue:", err)
		os.Exit(2)
	}
	run(cfg).print(os.Stdout)
}
