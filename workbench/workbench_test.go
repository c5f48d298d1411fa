package workbench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tiny is a scenario that plays in well under a second: a town of 20,000, two
// strategies, two replications of 20 days.
const tiny = `name: tiny
replications: 2
horizon: 20d
population:
  areas: [{name: town, population: 20000, communities: 2}]
imports: {initial: 3}
strategies: [{name: twenty_measures}, {name: no_intervention}]
`

// slow is a scenario that plays for a minute or more (1,000 replications of
// an outbreak left alone in a town of 20,000, each about 0.1 s of one core),
// with progress after each replication: long enough to be cancelled or to hold
// a slot, never played to its end.
const slow = `name: slow
replications: 1000
horizon: 60d
population:
  areas: [{name: town, population: 20000, communities: 2}]
imports: {initial: 5}
strategies: [{name: no_intervention}]
`

// badLine3 has an impossible value on line 3, column 15.
const badLine3 = `name: bad
horizon: 20d
replications: -1
strategies: [{name: mitigation}]
`

func newServer(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	wb, err := New(opts)
	require.NoError(t, err)
	ts := httptest.NewServer(wb) // listens on 127.0.0.1 only
	t.Cleanup(func() {
		wb.Close()
		ts.Close()
	})
	return wb, ts
}

// post sends a form as the page does (multipart, same origin).
func post(t *testing.T, url string, fields map[string]string) (*http.Response, check) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	require.NoError(t, mw.Close())
	req, err := http.NewRequest("POST", url, &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var c check
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&c))
	}
	return resp, c
}

// start starts a run and returns its id.
func start(t *testing.T, ts *httptest.Server, yaml string, extra map[string]string) string {
	t.Helper()
	fields := map[string]string{"yaml": yaml, "file": "test.yaml"}
	for k, v := range extra {
		fields[k] = v
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	require.NoError(t, mw.Close())
	resp, err := http.Post(ts.URL+"/api/runs", mw.FormDataContentType(), &body)
	require.NoError(t, err)
	defer resp.Body.Close()
	var info RunInfo
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&info))
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.Equal(t, "running", info.State)
	return info.ID
}

// events reads a run's event stream to its end (at most a minute) and returns
// the events' names and the last state.
func events(t *testing.T, ts *httptest.Server, id string, onProgress func(RunInfo)) ([]string, RunInfo) {
	t.Helper()
	client := &http.Client{Timeout: time.Minute}
	resp, err := client.Get(ts.URL + "/api/runs/" + id + "/events")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	var names []string
	var last RunInfo
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
			names = append(names, event)
		case strings.HasPrefix(line, "data: "):
			require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &last))
			if event == "progress" && onProgress != nil {
				onProgress(last)
			}
			if event == "end" {
				return names, last
			}
		}
	}
	t.Fatalf("the stream ended without an end event: %v", sc.Err())
	return nil, RunInfo{}
}

func TestValidateReportsProblemsAtTheirLines(t *testing.T) {
	_, ts := newServer(t, Options{})
	resp, c := post(t, ts.URL+"/api/validate", map[string]string{"yaml": badLine3, "file": "x.yaml"})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.False(t, c.OK)
	require.Len(t, c.Problems, 1)
	assert.Equal(t, Problem{Line: 3, Column: 15, Message: "replications: must be from 1 to 10000, got -1"}, c.Problems[0])

	_, c = post(t, ts.URL+"/api/validate", map[string]string{"yaml": tiny, "file": "tiny.yaml", "replications": "3"})
	assert.True(t, c.OK, "%+v", c)
	assert.Equal(t, "tiny: 2 strategies × 3 replications", c.Summary)
	// The form's common settings, with the file's values.
	require.NotEmpty(t, c.Knobs)
	assert.Equal(t, Knob{Path: "imports.initial", Label: "infections imported at day 0", Value: 3}, c.Knobs[0])

	// The form's settings are checked too, each problem named.
	_, c = post(t, ts.URL+"/api/validate", map[string]string{"yaml": tiny, "replications": "0", "seed": "x", "sets": "population.layers.community=-1\nnot a setting"})
	assert.False(t, c.OK)
	require.Len(t, c.Form, 4, "%q", c.Form)
	assert.Contains(t, c.Form[0], "replications: must be a whole number from 1 to 10000")
	assert.Contains(t, c.Form[1], "seed: must be a whole number")
	assert.Contains(t, c.Form[2], "population.layers.community: must be a finite number ≥ 0, got -1")
	assert.Contains(t, c.Form[3], `"not a setting": want path=value`)
}

func TestProblemsSplitsEveryLine(t *testing.T) {
	err := errors.New("a.yaml:3:15: replications: bad\na.yaml:7:2: strategies[0].name: unknown\nsomething without a place")
	assert.Equal(t, []Problem{
		{3, 15, "replications: bad"},
		{7, 2, "strategies[0].name: unknown"},
		{0, 0, "something without a place"},
	}, problems("a.yaml", err))
}

func TestRequestBodiesAreBounded(t *testing.T) {
	_, ts := newServer(t, Options{MaxBody: 4 << 10})
	resp, c := post(t, ts.URL+"/api/validate", map[string]string{"yaml": strings.Repeat("# padding\n", 1000) + tiny})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.False(t, c.OK)
	require.Len(t, c.Form, 1)
	assert.Contains(t, c.Form[0], "the request is larger than")
}

func TestRunStreamsProgressAndKeepsItsOutputs(t *testing.T) {
	wb, ts := newServer(t, Options{})
	id := start(t, ts, tiny, map[string]string{"seed": "5", "sets": "imports.initial=4"})
	names, last := events(t, ts, id, nil)
	assert.Equal(t, "end", names[len(names)-1])
	assert.Equal(t, "done", last.State, last.Error)
	assert.Equal(t, 4, last.Done, "2 strategies × 2 replications")
	assert.Equal(t, "2 strategies × 2 replications (seed 5)", last.Summary)

	// The outputs are the command's: summary, record with the settings, report.
	sum, err := readSummary(filepath.Join(wb.opts.Dir, id))
	require.NoError(t, err)
	assert.Equal(t, uint64(5), sum.Seed)
	assert.Equal(t, []string{"imports.initial=4"}, sum.Record.Sets)
	resp, err := http.Get(ts.URL + "/runs/" + id + "/report.html")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'none'", "a report runs no script")

	// A finished run's stream ends at once; the list names the run.
	names, last = events(t, ts, id, nil)
	assert.Equal(t, []string{"end"}, names)
	assert.Equal(t, "done", last.State)
	resp, err = http.Get(ts.URL + "/api/runs")
	require.NoError(t, err)
	var runs []RunInfo
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&runs))
	resp.Body.Close()
	require.Len(t, runs, 1)
	assert.Equal(t, id, runs[0].ID)

	// A second server on the same folder lists it as a past run.
	wb2, err := New(Options{Dir: wb.opts.Dir})
	require.NoError(t, err)
	defer wb2.Close()
	past := wb2.runList()
	require.Len(t, past, 1)
	assert.Equal(t, RunInfo{ID: id, Scenario: "tiny", State: "done", Started: past[0].Started, Summary: "2 strategies × 2 replications (seed 5)"}, past[0])

	// Paths outside a run's folder are refused.
	for _, p := range []string{"/runs/" + id + "/..%2f..%2fetc%2fpasswd", "/runs/..%2f/report.html", "/runs/" + id + "/.epiplan-output", "/runs/nope/report.html"} {
		resp, err := http.Get(ts.URL + p)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, p)
	}
}

func TestCancelAndMaxRuns(t *testing.T) {
	wb, ts := newServer(t, Options{MaxRuns: 1, Workers: 1})
	id := start(t, ts, slow, nil)

	// One slot: a second run is refused while the first plays.
	resp, c := post(t, ts.URL+"/api/runs", map[string]string{"yaml": tiny})
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Len(t, c.Form, 1)
	assert.Contains(t, c.Form[0], "1 runs are under way, the most at once")

	cancelled := false
	names, last := events(t, ts, id, func(info RunInfo) {
		if info.Done > 0 && !cancelled {
			cancelled = true
			resp, _ := post(t, ts.URL+"/api/runs/"+id+"/cancel", nil)
			assert.Equal(t, http.StatusAccepted, resp.StatusCode)
		}
	})
	assert.True(t, cancelled, "progress came before the end: %v", names)
	assert.Equal(t, "cancelled", last.State)
	assert.Less(t, last.Done, last.Total, "stopped before the end")
	_, err := os.Stat(filepath.Join(wb.opts.Dir, id))
	assert.True(t, os.IsNotExist(err), "a cancelled run leaves no folder")

	// The slot is free again.
	id2 := start(t, ts, tiny, nil)
	_, last = events(t, ts, id2, nil)
	assert.Equal(t, "done", last.State)
}

func TestCloseCancelsRuns(t *testing.T) {
	wb, ts := newServer(t, Options{Workers: 1})
	id := start(t, ts, slow, nil)
	done := make(chan struct{})
	go func() { wb.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not stop the run")
	}
	assert.Equal(t, "cancelled", wb.lookup(id).info().State)
	resp, c := post(t, ts.URL+"/api/runs", map[string]string{"yaml": tiny})
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "%+v", c)
}

func TestPagesEscapeTextAndRefuseStrangers(t *testing.T) {
	_, ts := newServer(t, Options{})
	evil := strings.Replace(tiny, "name: tiny", `name: "<script>alert(1)</script>"`, 1)
	a := start(t, ts, evil, nil)
	_, last := events(t, ts, a, nil)
	require.Equal(t, "done", last.State, last.Error)
	b := start(t, ts, tiny, map[string]string{"replications": "3"})
	_, last = events(t, ts, b, nil)
	require.Equal(t, "done", last.State, last.Error)

	for _, page := range []string{"/", "/compare?a=" + a + "&b=" + b} {
		resp, err := http.Get(ts.URL + page)
		require.NoError(t, err)
		body := new(bytes.Buffer)
		body.ReadFrom(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, page)
		assert.NotContains(t, body.String(), "<script>alert", page)
		assert.Contains(t, body.String(), "&lt;script&gt;alert(1)&lt;/script&gt;", page)
		assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'self'", page)
	}
	resp, err := http.Get(ts.URL + "/compare?a=" + a + "&b=nothing")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	// Another site's page may not start a run (cross-site request), and a
	// name the server does not answer to is refused (DNS rebinding).
	req, _ := http.NewRequest("POST", ts.URL+"/api/runs", strings.NewReader("yaml=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "http://example.com")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	req, _ = http.NewRequest("GET", ts.URL+"/", nil)
	req.Host = "attacker.example"
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMisdirectedRequest, resp.StatusCode)
}

func TestLibrary(t *testing.T) {
	_, ts := newServer(t, Options{})
	resp, err := http.Get(ts.URL + "/api/library/fuzhou-2022")
	require.NoError(t, err)
	body := new(bytes.Buffer)
	body.ReadFrom(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body.String(), "name: fuzhou-2022")
	resp, err = http.Get(ts.URL + "/api/library/" + "..%2f..%2fgo.mod")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, fmt.Sprint("no file outside the library"))
}

func TestMemoryBound(t *testing.T) {
	_, ts := newServer(t, Options{MaxMemory: 1 << 20}) // 1 MiB: less than any run needs
	resp, c := post(t, ts.URL+"/api/runs", map[string]string{"yaml": tiny})
	assert.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	assert.False(t, c.OK)
	require.Len(t, c.Form, 1)
	assert.Contains(t, c.Form[0], "memory")
}
