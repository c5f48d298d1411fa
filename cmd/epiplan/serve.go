package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/epiplan/epiplan/workbench"
)

// serveCmd serves the workbench (see package workbench) until SIGINT or
// SIGTERM, then cancels its runs and stops.
func serveCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; it has no authentication, so keep it on 127.0.0.1 unless every user of the network may run scenarios")
	dir := fs.String("dir", "epiplan-runs", "folder that keeps the runs' outputs, one folder per run")
	maxRuns := fs.Int("max-runs", 1, "runs that may play at once")
	workers := fs.Int("workers", 0, "parallel workers of a run (default: all cores)")
	maxMemory := fs.String("max-memory", "", "memory of all the runs at once (e.g. 8GB; default: the machine's memory), shared equally by --max-runs runs; a run estimated to need more than its share is refused")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("serve takes no file (pick or upload one in the page)\n%s", usage)
	}
	if *maxRuns < 1 {
		return fmt.Errorf("--max-runs must be ≥ 1, got %d", *maxRuns)
	}
	if *workers < 0 {
		return fmt.Errorf("--workers must be ≥ 0, got %d", *workers)
	}
	if w := addrWarning(*addr); w != "" {
		fmt.Fprintln(stderr, w)
	}
	limit, err := memoryLimit(*maxMemory)
	if err != nil {
		return err
	}
	opts := workbench.Options{Dir: *dir, MaxRuns: *maxRuns, Workers: *workers, MaxMemory: limit / int64(*maxRuns)}
	if host, _, err := net.SplitHostPort(*addr); err == nil && !loopback(host) {
		opts.Hosts = []string{"*"} // reached by a name the server cannot know
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w", *addr, err)
	}
	wb, err := workbench.New(opts)
	if err != nil {
		ln.Close()
		return err
	}
	ctx, stop := signals()
	defer stop()
	return serve(ctx, ln, wb, stdout)
}

// serve serves the workbench on ln until ctx is done: then it cancels the
// runs under way, closes the progress streams and stops the server.
func serve(ctx context.Context, ln net.Listener, wb *workbench.Server, stdout io.Writer) error {
	srv := &http.Server{Handler: wb, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	fmt.Fprintf(stdout, "epiplan workbench on http://%s/ (Ctrl-C stops it)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		wb.Close()
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "stopping: cancelling the runs under way")
	wb.Close() // runs stop within a simulated day; streams end
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// addrWarning returns the warning for an address beyond this machine, or "".
func addrWarning(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || loopback(host) {
		return ""
	}
	return fmt.Sprintf("warning: the workbench has no authentication; on %s anyone who can reach this machine can run scenarios and read the results", addr)
}

// loopback reports whether a host name or address stays on this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
