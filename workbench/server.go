package workbench

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/epiplan/epiplan/scenarios"
)

// Options configure a workbench.
type Options struct {
	// Dir is the folder that keeps the runs' outputs, one folder per run; it
	// is made if absent.
	Dir string
	// MaxRuns is the number of runs that may play at once (default 1).
	MaxRuns int
	// Workers is the number of parallel workers of a run (0: all cores).
	Workers int
	// MaxMemory, if positive, bounds the memory of each run in bytes, as
	// scenarios.RunOptions.MaxMemory does: a run estimated to need more is
	// refused before it starts.
	MaxMemory int64
	// MaxBody bounds the size of a request body in bytes (default
	// scenarios.MaxFileSize plus 64 KiB for the form's other fields).
	MaxBody int64
	// Hosts are the host names (without port) the server may be reached by,
	// besides localhost and loopback addresses; "*" allows any (for a server
	// on all interfaces, reached by a name it cannot know).
	Hosts []string
}

// Server is the workbench: an http.Handler with the runs it plays.
type Server struct {
	opts    Options
	mux     *http.ServeMux
	handler http.Handler
	ctx     context.Context // cancelled by Close: ends every run and stream
	stop    context.CancelFunc
	slots   chan struct{} // one token per run under way
	wg      sync.WaitGroup

	mu   sync.Mutex
	runs map[string]*run // the runs started since the server started, by id
}

// New returns a workbench keeping its runs in opts.Dir.
func New(opts Options) (*Server, error) {
	if opts.Dir == "" {
		return nil, errors.New("workbench: no folder for the runs")
	}
	if opts.MaxRuns == 0 {
		opts.MaxRuns = 1
	}
	if opts.MaxRuns < 0 {
		return nil, fmt.Errorf("workbench: at most %d runs at once: must be ≥ 1", opts.MaxRuns)
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = scenarios.MaxFileSize + 64<<10
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("workbench: %w", err)
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), slots: make(chan struct{}, opts.MaxRuns), runs: map[string]*run{}}
	s.ctx, s.stop = context.WithCancel(context.Background())
	s.routes()
	s.handler = s.guard(http.NewCrossOriginProtection().Handler(s.mux))
	return s, nil
}

// ServeHTTP serves the workbench's pages and API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Close cancels every run under way, ends every progress stream and waits for
// the runs to stop (each stops within a simulated day and writes nothing).
func (s *Server) Close() {
	s.stop()
	s.wg.Wait()
}

//go:embed static
var static embed.FS

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.Handle("GET /static/", http.FileServerFS(static))
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, static, "static/favicon.svg")
	})
	s.mux.HandleFunc("GET /api/library/{name}", s.library)
	s.mux.HandleFunc("POST /api/validate", s.validate)
	s.mux.HandleFunc("POST /api/runs", s.start)
	s.mux.HandleFunc("GET /api/runs", s.list)
	s.mux.HandleFunc("GET /api/runs/{id}/events", s.events)
	s.mux.HandleFunc("POST /api/runs/{id}/cancel", s.cancel)
	s.mux.HandleFunc("GET /runs/{id}/{file}", s.file)
	s.mux.HandleFunc("GET /compare", s.compare)
}

// guard refuses a Host header the server does not answer to (DNS rebinding),
// bounds request bodies and sets the headers every answer carries.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			http.Error(w, "unknown host "+strconv.Quote(r.Host)+"; open the workbench by the address epiplan serve printed", http.StatusMisdirectedRequest)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBody)
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) hostAllowed(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	for _, h := range s.opts.Hosts {
		if h == "*" || strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// library answers a library scenario's file.
func (s *Server) library(w http.ResponseWriter, r *http.Request) {
	sc, err := scenarios.LibraryScenario(r.PathValue("name"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(sc.Source())
}

// request is what the page sends to check or start a run.
type request struct {
	sc   *scenarios.Scenario
	opts scenarios.RunOptions
}

// check is the answer to a check or a refused start.
type check struct {
	OK       bool      `json:"ok"`
	Summary  string    `json:"summary,omitempty"`  // what would run, when OK
	Problems []Problem `json:"problems,omitempty"` // of the file, at their lines
	Form     []string  `json:"form,omitempty"`     // of the form's settings
	Knobs    []Knob    `json:"knobs,omitempty"`    // the common settings, with the file's values
}

// Knob is a common setting of a scenario that the form offers by itself, with
// its value in the file; the form changes it as a path=value setting does.
type Knob struct {
	Path  string  `json:"path"`  // the field's path, as --set takes it
	Label string  `json:"label"` // what it is, for the form
	Value float64 `json:"value"` // its value in the file
}

// knobs are the common settings the form offers.
var knobs = []Knob{
	{Path: "imports.initial", Label: "infections imported at day 0"},
	{Path: "population.layers.community", Label: "R of community contacts"},
	{Path: "resources.isolation_beds", Label: "isolation beds"},
	{Path: "resources.quarantine_rooms", Label: "quarantine rooms"},
	{Path: "resources.investigators", Label: "contact tracers"},
	{Path: "resources.vehicles", Label: "transfer vehicles"},
	{Path: "max_infections", Label: "stop a run at infections (0: never)"},
}

var safeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// read reads the scenario and the settings of a form: yaml (the file), file
// (its name), replications, seed and sets (path=value, one a line). It returns
// the problems found, if any.
func (s *Server) read(w http.ResponseWriter, r *http.Request) (request, check, bool) {
	var c check
	if err := r.ParseMultipartForm(s.opts.MaxBody); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.Form = append(c.Form, fmt.Sprintf("the request is larger than %s; a scenario file may be at most %s", scenarios.Bytes(s.opts.MaxBody), scenarios.Bytes(scenarios.MaxFileSize)))
		} else {
			c.Form = append(c.Form, "unreadable form: "+err.Error())
		}
		return request{}, c, false
	}
	file := filepath.Base(safeName.ReplaceAllString(r.FormValue("file"), "_"))
	if file == "" || file == "." || file == "_" {
		file = "scenario.yaml"
	}
	var req request
	// A browser sends a textarea's line ends as CRLF (as HTML's form encoding
	// says); the text the planner sees has LF, and so do the file's lines.
	text := strings.ReplaceAll(r.FormValue("yaml"), "\r\n", "\n")
	sc, err := scenarios.Parse(file, []byte(text))
	if err != nil {
		c.Problems = problems(file, err)
		return req, c, false
	}
	for _, k := range knobs {
		if x, _, err := sc.Number(k.Path); err == nil {
			k.Value = x
			c.Knobs = append(c.Knobs, k)
		}
	}
	if v := strings.TrimSpace(r.FormValue("replications")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > scenarios.MaxReplications {
			c.Form = append(c.Form, fmt.Sprintf("replications: must be a whole number from 1 to %d, got %q", scenarios.MaxReplications, v))
		}
		req.opts.Replications = n
	}
	if v := strings.TrimSpace(r.FormValue("seed")); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			c.Form = append(c.Form, fmt.Sprintf("seed: must be a whole number ≥ 0, got %q", v))
		}
		req.opts.Seed, req.opts.SeedSet = n, true
	}
	for _, line := range strings.Split(r.FormValue("sets"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		path, value, ok := strings.Cut(line, "=")
		if !ok {
			c.Form = append(c.Form, fmt.Sprintf("set %q: want path=value", line))
			continue
		}
		if err := sc.Set(strings.TrimSpace(path), strings.TrimSpace(value)); err != nil {
			c.Form = append(c.Form, "set "+line+": "+err.Error())
		}
	}
	if len(c.Form) > 0 {
		return req, c, false
	}
	req.sc, req.opts.Workers, req.opts.MaxMemory = sc, s.opts.Workers, s.opts.MaxMemory
	if _, err := scenarios.CheckMemory(sc, req.opts); err != nil {
		c.Form = append(c.Form, err.Error())
		return req, c, false
	}
	reps := sc.Replications
	if req.opts.Replications > 0 {
		reps = req.opts.Replications
	}
	c.OK = true
	c.Summary = fmt.Sprintf("%s: %d strategies × %d replications", sc.Name, len(sc.Strategies), reps)
	return req, c, true
}

// validate checks a scenario and the form's settings without running them.
func (s *Server) validate(w http.ResponseWriter, r *http.Request) {
	_, c, _ := s.read(w, r)
	writeJSON(w, http.StatusOK, c)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// file serves a file of a run's folder: report.html (with scripts
// forbidden), the plots, the summaries, the time series and the scenario.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	dir, ok := s.runDir(r.PathValue("id"))
	name := r.PathValue("file")
	if !ok || name != filepath.Base(name) || strings.HasPrefix(name, ".") {
		http.NotFound(w, r)
		return
	}
	if name == "report.html" {
		// The report is our own page, drawn with html/template, and has no
		// scripts; forbid them all the same.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'")
	}
	http.ServeFile(w, r, filepath.Join(dir, name))
}

var runID = regexp.MustCompile(`^[0-9]{8}-[0-9]{6}-[A-Za-z0-9._-]{1,80}$`)

// runDir returns the folder of a finished run.
func (s *Server) runDir(id string) (string, bool) {
	if !runID.MatchString(id) {
		return "", false
	}
	dir := filepath.Join(s.opts.Dir, id)
	if _, err := os.Stat(filepath.Join(dir, "summary.json")); err != nil {
		return "", false
	}
	return dir, true
}

// RunInfo describes a run for the page and the API.
type RunInfo struct {
	ID       string    `json:"id"`                // the run's folder under Options.Dir: start time and scenario name
	Scenario string    `json:"scenario"`          // the scenario's name
	State    string    `json:"state"`             // running, done, failed or cancelled
	Done     int       `json:"done"`              // replications done, over all strategies
	Total    int       `json:"total"`             // replications to do, over all strategies
	Error    string    `json:"error,omitempty"`   // why a run failed or was cancelled
	Started  time.Time `json:"started"`           // when it started (a past run: when its summary was written)
	Summary  string    `json:"summary,omitempty"` // strategies × replications (seed), for a finished run
}

// runs lists the runs: those under way or ended since the server started, and
// the folders of Dir, newest first.
func (s *Server) runList() []RunInfo {
	seen := map[string]bool{}
	var out []RunInfo
	s.mu.Lock()
	for _, ru := range s.runs {
		info := ru.info()
		seen[info.ID] = true
		out = append(out, info)
	}
	s.mu.Unlock()
	entries, _ := os.ReadDir(s.opts.Dir)
	for _, e := range entries {
		if !e.IsDir() || seen[e.Name()] {
			continue
		}
		dir, ok := s.runDir(e.Name())
		if !ok {
			continue
		}
		info := RunInfo{ID: e.Name(), State: "done"}
		if st, err := os.Stat(filepath.Join(dir, "summary.json")); err == nil {
			info.Started = st.ModTime()
		}
		if sum, err := readSummary(dir); err == nil {
			info.Scenario = sum.Scenario
			info.Summary = fmt.Sprintf("%d strategies × %d replications (seed %d)", len(sum.Strategies), sum.Replications, sum.Seed)
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out
}

func readSummary(dir string) (*scenarios.Summary, error) {
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return nil, err
	}
	var sum scenarios.Summary
	if err := json.Unmarshal(b, &sum); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "summary.json"), err)
	}
	return &sum, nil
}

// list answers the runs as JSON.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.runList())
}
