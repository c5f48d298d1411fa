package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/epiplan/epiplan/workbench"
)

// syncBuffer is a buffer that the server and the test may use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeStopsCleanly(t *testing.T) {
	wb, err := workbench.New(workbench.Options{Dir: t.TempDir()})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, wb, &out) }()

	url := "http://" + ln.Addr().String() + "/"
	var resp *http.Response
	for range 50 { // the server is up within a few tries
		if resp, err = http.Get(url); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "epiplan workbench")

	cancel() // as SIGINT does
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	assert.Equal(t, "epiplan workbench on "+url+" (Ctrl-C stops it)\nstopping: cancelling the runs under way\nstopped\n", out.String())
	_, err = http.Get(url)
	assert.Error(t, err, "the port is closed")
}

func TestServeFlags(t *testing.T) {
	assert.Empty(t, addrWarning("127.0.0.1:8080"))
	assert.Empty(t, addrWarning("localhost:8080"))
	assert.Empty(t, addrWarning("[::1]:8080"))
	for _, addr := range []string{":8080", "0.0.0.0:8080", "192.0.2.7:80"} {
		assert.Contains(t, addrWarning(addr), "warning: the workbench has no authentication", addr)
	}
	var out, errOut bytes.Buffer
	for args, want := range map[string]string{
		"serve --max-runs 0":       "--max-runs must be ≥ 1, got 0",
		"serve --workers -1":       "--workers must be ≥ 0, got -1",
		"serve city.yaml":          "serve takes no file",
		"serve --addr 127.0.0.1:x": "127.0.0.1:x",
	} {
		err := run(strings.Fields(args), &out, &errOut)
		require.Error(t, err, args)
		assert.Contains(t, err.Error(), want, args)
	}
}
