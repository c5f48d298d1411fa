// Package workbench is epiplan's local web workbench, served by "epiplan
// serve": a page in the browser where a planner picks a library scenario or
// uploads one, edits it (a YAML editor that marks each problem of the file at
// its line, and a form for the common settings: replications, seed, fields
// changed by path), starts runs and follows their progress, cancels them, reads
// each run's report and compares two runs side by side.
//
// # Runs
//
// A run is [scenarios.PlayInto], the same call as the command's "epiplan run":
// its outputs (summary.json, timeseries.csv, the plots, report.html,
// scenario.yaml) go into a folder of its own under [Options.Dir], named by the
// time it started and the scenario's name, made whole or not at all. The
// folders found there when the server starts are listed as past runs. At most
// [Options.MaxRuns] runs play at once; another is refused until one ends.
// Progress reaches the page as server-sent events (text/event-stream): a
// "progress" event with the replications done and the total, and an "end"
// event with the run's state (done, failed or cancelled). [Server.Close]
// cancels every run and ends every stream.
//
// # Safety
//
// The server has no authentication: it is meant for 127.0.0.1, where only the
// machine's own users reach it. It still guards the browser's side: requests
// that change something must come from the workbench's own pages (a cross-site
// request is refused, see [net/http.CrossOriginProtection]), a Host header
// other than the address served is refused (DNS rebinding), request bodies are
// bounded ([Options.MaxBody]), every page is made with html/template, and the
// pages load nothing from elsewhere (they work offline; a Content-Security-Policy
// says so to the browser). A report is shown with scripts forbidden.
package workbench
