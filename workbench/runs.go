package workbench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/epiplan/epiplan/scenarios"
)

// run is a run started from the page.
type run struct {
	id, scenario string
	started      time.Time
	cancel       context.CancelFunc

	mu          sync.Mutex
	done, total int
	state       string // running, done, failed, cancelled
	err         string
	summary     string
	changed     chan struct{} // closed at each change, then replaced
}

func (ru *run) info() RunInfo {
	ru.mu.Lock()
	defer ru.mu.Unlock()
	return RunInfo{ID: ru.id, Scenario: ru.scenario, State: ru.state, Done: ru.done, Total: ru.total, Error: ru.err, Started: ru.started, Summary: ru.summary}
}

// update changes the run under its lock and wakes its streams.
func (ru *run) update(f func()) {
	ru.mu.Lock()
	f()
	close(ru.changed)
	ru.changed = make(chan struct{})
	ru.mu.Unlock()
}

// watch returns the run's state and a channel closed at its next change.
func (ru *run) watch() (RunInfo, <-chan struct{}) {
	info := ru.info()
	ru.mu.Lock()
	defer ru.mu.Unlock()
	return info, ru.changed
}

// start starts a run of the form's scenario, if a slot is free.
func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	req, c, ok := s.read(w, r)
	if !ok {
		writeJSON(w, http.StatusUnprocessableEntity, c)
		return
	}
	if s.ctx.Err() != nil {
		http.Error(w, "the workbench is stopping", http.StatusServiceUnavailable)
		return
	}
	select {
	case s.slots <- struct{}{}:
	default:
		writeJSON(w, http.StatusTooManyRequests, check{Form: []string{fmt.Sprintf("%d runs are under way, the most at once (epiplan serve --max-runs); wait for one to end or cancel one", s.opts.MaxRuns)}})
		return
	}
	now := time.Now()
	name := strings.Trim(safeName.ReplaceAllString(req.sc.Name, "_"), "._")
	if len(name) > 60 {
		name = name[:60]
	}
	if name == "" {
		name = "scenario"
	}
	ctx, cancel := context.WithCancel(s.ctx)
	ru := &run{scenario: req.sc.Name, started: now, cancel: cancel, state: "running", changed: make(chan struct{})}
	reps := req.sc.Replications
	if req.opts.Replications > 0 {
		reps = req.opts.Replications
	}
	ru.total = reps * len(req.sc.Strategies)
	s.mu.Lock()
	base := now.UTC().Format("20060102-150405") + "-" + name
	ru.id = base
	for i := 2; s.runs[ru.id] != nil || exists(filepath.Join(s.opts.Dir, ru.id)); i++ {
		ru.id = fmt.Sprintf("%s-%d", base, i)
	}
	s.runs[ru.id] = ru
	s.mu.Unlock()

	opts := req.opts
	opts.Progress = func(done, total int) {
		ru.update(func() { ru.done, ru.total = done, total })
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() { <-s.slots }()
		defer cancel()
		res, err := scenarios.PlayInto(ctx, req.sc, opts, filepath.Join(s.opts.Dir, ru.id), false)
		ru.update(func() {
			switch {
			case err == nil: // written, even if cancelled as it ended
				ru.state = "done"
				ru.summary = fmt.Sprintf("%d strategies × %d replications (seed %d)", len(res.Strategies), res.Replications, res.Seed)
			case ctx.Err() != nil:
				ru.state, ru.err = "cancelled", "cancelled; nothing was written"
			default:
				ru.state, ru.err = "failed", err.Error()
			}
		})
	}()
	writeJSON(w, http.StatusAccepted, ru.info())
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// lookup returns a run started since the server started.
func (s *Server) lookup(id string) *run {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runs[id]
}

// cancel cancels a run under way.
func (s *Server) cancel(w http.ResponseWriter, r *http.Request) {
	ru := s.lookup(r.PathValue("id"))
	if ru == nil {
		http.Error(w, "no such run under way", http.StatusNotFound)
		return
	}
	ru.cancel()
	writeJSON(w, http.StatusAccepted, ru.info())
}

// events streams a run's progress as server-sent events: "progress" with the
// run's state at each change, then "end" with its final state. A stream ends
// with the run, when the page goes, or when the server stops.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	ru := s.lookup(r.PathValue("id"))
	if ru == nil {
		if _, ok := s.runDir(r.PathValue("id")); !ok {
			http.Error(w, "no such run", http.StatusNotFound)
			return
		}
		ru = &run{id: r.PathValue("id"), state: "done", changed: make(chan struct{})}
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported here", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(event string, info RunInfo) error {
		b, _ := json.Marshal(info)
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return err
		}
		flusher.Flush()
		return nil
	}
	// Progress comes at most every tenth of a second; the last state is never
	// left out.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		info, changed := ru.watch()
		if info.State != "running" {
			send("end", info)
			return
		}
		if err := send("progress", info); err != nil {
			return
		}
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			// The run is being cancelled: wait for its end, briefly.
			select {
			case <-changed:
				continue
			case <-time.After(5 * time.Second):
				return
			}
		}
		select {
		case <-tick.C:
		case <-r.Context().Done():
			return
		}
	}
}
