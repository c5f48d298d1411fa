package workbench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/scenarios"
)

// The browser tests drive a headless Chromium (Debian's package chromium) as a
// person would use the pages: they open the report and the workbench, check
// that nothing failed to load, type a scenario with an error, start a run and
// watch it to its report, and cancel one. Without a browser they skip, saying
// so; on CI (CI=true), where .ci/run installs one, a missing browser fails.
//
// With EPIPLAN_SCREENSHOTS=DIR they also save the screenshots of the README
// (DIR/serve-workbench.png, serve-editor.png, serve-report.png and
// serve-compare.png).

// chromium returns the path of a browser, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("EPIPLAN_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	msg := "no browser: none of chromium, chromium-browser, google-chrome on PATH (or EPIPLAN_CHROMIUM); install Debian's chromium (apt-get install chromium) to run the browser tests"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; on CI .ci/run installs it, so a missing browser is a failure")
	}
	t.Skip(msg)
	return ""
}

// browser starts a headless browser for the test, with a fresh profile,
// closed at the test's end.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // as root, in a container
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("window-size", "1400,1000"),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	// Start it now, so that a browser that cannot start is a clear failure.
	require.NoError(t, chromedp.Do(ctx), "start %s", path)
	t.Cleanup(func() {
		cctx, ccancel := context.WithTimeout(ctx, 30*time.Second)
		defer ccancel()
		chromedp.Cancel(cctx)
		cancel()
		cancelAlloc()
	})
	return ctx
}

// tab is a new tab of the browser whose console errors are collected: an
// error logged by a script, an uncaught exception, and every error entry of
// the browser's log (a resource that failed to load, a refusal by the
// Content-Security-Policy).
type tab struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newTab(t *testing.T, browserCtx context.Context) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx}
	require.NoError(t, chromedp.Do(ctx)) // opens the tab
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				tb.mu.Lock()
				tb.errors = append(tb.errors, fmt.Sprintf("%s (%s:%d)", m.Text, m.URL, m.Line+1))
				tb.mu.Unlock()
			}
		}
	}()
	return tb
}

// noErrors checks that the tab's console has no error.
func (tb *tab) noErrors(t *testing.T, page string) {
	t.Helper()
	time.Sleep(200 * time.Millisecond) // let the last messages arrive
	tb.mu.Lock()
	defer tb.mu.Unlock()
	assert.Empty(t, tb.errors, "console errors on %s", page)
	tb.errors = nil
}

// do runs actions with a time limit.
func (tb *tab) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 90*time.Second)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx, actions...))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, tb *tab, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 40*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	require.NoError(t, err, js)
	return v
}

// wait polls a JavaScript predicate until it is true.
func wait(t *testing.T, tb *tab, js string, limit time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, limit+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(limit)))
	require.NoError(t, err, "waiting for %s", js)
}

// brokenImages lists the images of the page (and of its same-origin frames)
// that did not load, and the inline SVG plots that have no size.
const brokenImages = `(() => {
	const docs = [document];
	for (const f of document.querySelectorAll("iframe")) {
		try { if (f.contentDocument && f.contentDocument.URL !== "about:blank") docs.push(f.contentDocument); } catch (e) {}
	}
	const bad = [];
	for (const d of docs) {
		for (const img of d.images) if (!img.complete || img.naturalWidth === 0) bad.push(img.src);
		for (const svg of d.querySelectorAll("figure svg")) if (svg.getBoundingClientRect().width === 0) bad.push(d.URL + ": an empty plot");
	}
	return bad;
})()`

// reportChecks are what a reader of a report must find in it, each a
// JavaScript expression that is true when the page has it.
var reportChecks = []struct{ what, js string }{
	{"the findings in sentences, a section a strategy, before the tables", `(() => { const f = document.querySelectorAll("section.finding"); const t = document.querySelector("table"); return f.length >= 2 && [...f].every(s => s.textContent.trim().length > 40) && (f[0].compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0; })()`},
	{"the scenario's name as the main heading", `document.querySelector("h1").textContent.trim() === "tiny"`},
	{"a table of metrics with infections", `[...document.querySelectorAll("table td:first-child")].some(td => td.textContent.startsWith("infections"))`},
	{"a column for each strategy", `[...document.querySelectorAll("table th")].map(th => th.textContent).join(" ").includes("twenty_measures")`},
	{"plots", `document.querySelectorAll("figure svg, figure img").length >= 3`},
}

// checkReport checks a report page as a reader would.
func checkReport(t *testing.T, tb *tab, url string) {
	t.Helper()
	tb.do(t, chromedp.Navigate(url), chromedp.WaitReady("body"))
	wait(t, tb, `document.readyState === "complete"`, 30*time.Second)
	for _, c := range reportChecks {
		assert.True(t, eval[bool](t, tb, c.js), "%s: %s", url, c.what)
	}
	assert.Empty(t, eval[[]string](t, tb, brokenImages), "images that did not load on %s", url)
	tb.noErrors(t, url)
}

func TestBrowser(t *testing.T) {
	ctx := browser(t)
	wb, ts := newServer(t, Options{MaxRuns: 1, Workers: 1})
	shots := os.Getenv("EPIPLAN_SCREENSHOTS")

	// A run made as the command makes it, to read its report.
	sc, err := scenarios.Parse("tiny.yaml", []byte(tiny))
	require.NoError(t, err)
	first := "20260101-000000-tiny"
	_, err = scenarios.PlayInto(context.Background(), sc, scenarios.RunOptions{}, filepath.Join(wb.opts.Dir, first), false)
	require.NoError(t, err)

	t.Run("report", func(t *testing.T) {
		tb := newTab(t, ctx)
		checkReport(t, tb, ts.URL+"/runs/"+first+"/report.html")
		// The report is one self-contained file: it reads as well from disk.
		checkReport(t, tb, "file://"+filepath.Join(wb.opts.Dir, first, "report.html"))
		if shots != "" {
			tb.do(t, chromedp.Navigate(ts.URL+"/runs/"+first+"/report.html"), chromedp.WaitReady("body"))
			saveShot(t, tb, filepath.Join(shots, "serve-report.png"), 1400, 1400)
		}
	})

	t.Run("an error shown at its line", func(t *testing.T) {
		tb := newTab(t, ctx)
		tb.do(t, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("#yaml"))
		wait(t, tb, `document.querySelector("#yaml").value.includes("name: fuzhou-2022")`, 30*time.Second)
		wait(t, tb, `document.querySelector("#check-summary").textContent.startsWith("ok")`, 30*time.Second)
		tb.noErrors(t, "the workbench")
		// The library scenario with two mistakes, below a folded description:
		// each is marked at its own line.
		tb.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
			const e = document.querySelector("#yaml");
			e.value = e.value.replace("horizon: 120d", "horizn: 120d").replace("seed: 2022", "sed: 2022");
			e.dispatchEvent(new Event("input", {bubbles: true}));
		})()`))
		wait(t, tb, `document.querySelectorAll("#gutter div.bad").length >= 1`, 30*time.Second)
		lines := eval[[]int](t, tb, `(() => { const ls = document.querySelector("#yaml").value.split("\n"); return [ls.indexOf("sed: 2022") + 1, ls.indexOf("horizn: 120d") + 1]; })()`)
		assert.Equal(t, lines, eval[[]int](t, tb, `[...document.querySelectorAll("#gutter div.bad")].map(d => Number(d.dataset.line))`), "marked at the lines of the mistakes")
		assert.Equal(t, []string{
			fmt.Sprintf(`line %d, column 1: sed: unknown field "sed" (did you mean "seed"?)`, lines[0]),
			fmt.Sprintf(`line %d, column 1: horizn: unknown field "horizn" (did you mean "horizon"?)`, lines[1]),
		}, eval[[]string](t, tb, `[...document.querySelectorAll("#problems li")].map(li => li.textContent)`))
		if shots != "" {
			saveShot(t, tb, filepath.Join(shots, "serve-editor.png"), 1400, 900)
		}

		// Type the file as a person would: the problem appears at line 3.
		tb.do(t, clear("#yaml"), chromedp.Click("#yaml"), chromedp.SendKeys("#yaml", badLine3))
		wait(t, tb, `document.querySelector('#gutter div.bad[data-line="3"]') !== null`, 30*time.Second)
		assert.Equal(t, []int{3}, eval[[]int](t, tb, `[...document.querySelectorAll("#gutter div.bad")].map(d => Number(d.dataset.line))`), "only line 3 is marked")
		assert.Contains(t, eval[string](t, tb, `document.querySelector('#gutter div.bad[data-line="3"]').title`), "replications: must be from 1 to 10000, got -1")
		assert.Equal(t, "line 3, column 15: replications: must be from 1 to 10000, got -1", eval[string](t, tb, `document.querySelector("#problems li").textContent`))

		// Fixed, the mark goes.
		tb.do(t, paste("#yaml", tiny))
		wait(t, tb, `document.querySelector("#check-summary").textContent === "ok: tiny: 2 strategies × 2 replications"`, 30*time.Second)
		assert.Zero(t, eval[int](t, tb, `document.querySelectorAll("#gutter div.bad").length`))

		// An uploaded file is checked the same way.
		file := filepath.Join(t.TempDir(), "upload.yaml")
		require.NoError(t, os.WriteFile(file, []byte(badLine3), 0o644))
		tb.do(t, chromedp.SetUploadFiles("#upload", []string{file}))
		wait(t, tb, `document.querySelector('#gutter div.bad[data-line="3"]') !== null`, 30*time.Second)
		assert.Equal(t, "upload.yaml (uploaded)", eval[string](t, tb, `document.querySelector("#filename").textContent`))
		tb.noErrors(t, "the workbench")
	})

	var second string
	t.Run("a run streams progress to its report", func(t *testing.T) {
		tb := newTab(t, ctx)
		tb.do(t, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("#yaml"))
		wait(t, tb, `document.querySelector("#check-summary").textContent.startsWith("ok")`, 30*time.Second)
		tb.do(t, paste("#yaml", tiny))
		knob := `#knobs input[data-path="imports.initial"]`
		wait(t, tb, `(() => { const i = document.querySelector('`+knob+`'); return i && i.placeholder === "3"; })()`, 30*time.Second)
		tb.do(t,
			chromedp.SendKeys("#replications", "3"), chromedp.SendKeys("#seed", "7"),
			chromedp.SendKeys(knob, "4"),
			chromedp.Click("#run"),
		)
		wait(t, tb, `document.querySelector("#run-status").dataset.state === "done"`, 120*time.Second)
		second = eval[string](t, tb, `document.querySelector("#run-id").textContent`)
		assert.GreaterOrEqual(t, eval[int](t, tb, `Number(document.querySelector("#progress").dataset.events)`), 1, "progress events")
		assert.Equal(t, []float64{6, 6}, eval[[]float64](t, tb, `[document.querySelector("#progress").value, document.querySelector("#progress").max]`), "2 strategies × 3 replications")
		assert.Equal(t, "done (6 of 6 runs)", eval[string](t, tb, `document.querySelector("#run-status").textContent`))
		sum, err := readSummary(filepath.Join(wb.opts.Dir, second))
		require.NoError(t, err)
		assert.Equal(t, []string{"imports.initial=4"}, sum.Record.Sets, "the form's setting, recorded")
		assert.Equal(t, "fuzhou-2022-edited.yaml", sum.Record.ScenarioFile, "the library file loaded first, edited")
		// Its report opens in the page.
		wait(t, tb, `(() => { const d = document.querySelector("#report").contentDocument; return d && d.querySelector("h1") && d.querySelector("h1").textContent.trim() === "tiny"; })()`, 30*time.Second)
		assert.Contains(t, eval[string](t, tb, `document.querySelector("#report").contentDocument.body.textContent`), "3 replications of each strategy")
		assert.Equal(t, "done", eval[string](t, tb, `document.querySelector('#runs tr[data-id="`+second+`"]').dataset.state`))
		assert.Empty(t, eval[[]string](t, tb, brokenImages))
		tb.noErrors(t, "the workbench after a run")
		if shots != "" {
			tb.do(t, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("#yaml"))
			wait(t, tb, `document.querySelector("#check-summary").textContent.startsWith("ok")`, 30*time.Second)
			tb.do(t, chromedp.Click(`#runs tr[data-id="`+second+`"] a.open-report`))
			wait(t, tb, `(() => { const d = document.querySelector("#report").contentDocument; return d && d.querySelector("h1"); })()`, 30*time.Second)
			saveShot(t, tb, filepath.Join(shots, "serve-workbench.png"), 1400, 1900)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		tb := newTab(t, ctx)
		tb.do(t, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("#yaml"))
		wait(t, tb, `document.querySelector("#check-summary").textContent.startsWith("ok")`, 30*time.Second)
		tb.do(t, paste("#yaml", slow), chromedp.Click("#run"))
		wait(t, tb, `document.querySelector("#progress").value > 0`, 30*time.Second)
		tb.do(t, chromedp.Click("#cancel"))
		wait(t, tb, `document.querySelector("#run-status").dataset.state === "cancelled"`, 30*time.Second)
		assert.Contains(t, eval[string](t, tb, `document.querySelector("#run-status").textContent`), "cancelled; nothing was written")
		id := eval[string](t, tb, `document.querySelector("#run-id").textContent`)
		wait(t, tb, `document.querySelector('#runs tr[data-id="`+id+`"]').dataset.state === "cancelled"`, 30*time.Second)
		_, err := os.Stat(filepath.Join(wb.opts.Dir, id))
		assert.True(t, os.IsNotExist(err), "a cancelled run leaves no folder")
		tb.noErrors(t, "the workbench after a cancel")
	})

	t.Run("two runs side by side", func(t *testing.T) {
		require.NotEmpty(t, second, "the run from the page")
		tb := newTab(t, ctx)
		tb.do(t, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible("#runs"))
		wait(t, tb, `document.querySelector("#check-summary").textContent.startsWith("ok")`, 30*time.Second)
		tb.do(t,
			chromedp.Click(`#runs input[name=a][value="`+first+`"]`),
			chromedp.Click(`#runs input[name=b][value="`+second+`"]`),
		)
		rctx, cancel := context.WithTimeout(tb.ctx, 40*time.Second)
		defer cancel()
		resp, err := chromedp.RunResponse(rctx, chromedp.Click("#compare"))
		require.NoError(t, err)
		assert.EqualValues(t, 200, resp.Status)
		tb.do(t, chromedp.WaitVisible("#compare-table"))
		wait(t, tb, `[...document.images].every(i => i.complete) && [...document.querySelectorAll("iframe")].every(f => f.contentDocument && f.contentDocument.readyState === "complete" && f.contentDocument.URL !== "about:blank")`, 30*time.Second)
		assert.GreaterOrEqual(t, eval[int](t, tb, `document.images.length`), 6, "the plots of both runs")
		assert.Empty(t, eval[[]string](t, tb, brokenImages))
		text := eval[string](t, tb, `document.querySelector("#compare-table").textContent`)
		assert.Contains(t, text, "infections")
		header := eval[string](t, tb, `document.querySelector("header").textContent`)
		assert.Contains(t, header, "A: "+first+", tiny, 2 replications, seed 1.")
		assert.Contains(t, header, "B: "+second+", tiny, 3 replications, seed 7.")
		tb.noErrors(t, "the comparison")
		if shots != "" {
			saveShot(t, tb, filepath.Join(shots, "serve-compare.png"), 1400, 1000)
		}
	})
}

// clear empties a text field, as selecting its text and deleting it would.
func clear(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => { const e = document.querySelector(` + "`" + sel + "`" + `); e.value = ""; e.dispatchEvent(new Event("input", {bubbles: true})); })()`)
}

// paste replaces the text of a field at once, as pasting it would (typing
// long texts key by key is slow; the short file with an error is typed).
func paste(sel, text string) chromedp.Action[chromedp.Void] {
	js, _ := json.Marshal(text)
	return chromedp.Evaluate[chromedp.Void](`(() => { const e = document.querySelector(` + "`" + sel + "`" + `); e.value = ` + string(js) + `; e.dispatchEvent(new Event("input", {bubbles: true})); })()`)
}

// saveShot saves a screenshot of the page's top, width × height pixels.
func saveShot(t *testing.T, tb *tab, path string, width, height int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(width, height)))
	time.Sleep(300 * time.Millisecond)
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("screenshot: %s", path)
}
