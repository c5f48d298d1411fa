package scenarios

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadRegularRefusesFIFOsAndLargeFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "summary.json")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	done := make(chan error, 1)
	go func() { _, err := ReadRegular(fifo, 1<<20); done <- err }()
	select {
	case err := <-done:
		assert.ErrorContains(t, err, "summary.json: not a regular file")
	case <-time.After(10 * time.Second):
		t.Fatal("reading a FIFO blocks")
	}
	// reproduce reads a folder's record and scenario through it; comparing
	// two folders reads no FIFO either.
	go func() { _, _, err := FromRecord(dir); done <- err }()
	select {
	case err := <-done:
		assert.ErrorContains(t, err, "not a regular file")
	case <-time.After(10 * time.Second):
		t.Fatal("FromRecord blocks on a FIFO")
	}
	other := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(other, "summary.json"), []byte("{}"), 0o644))
	go func() { _, err := CompareDirs(other, dir); done <- err }()
	select {
	case err := <-done:
		assert.ErrorContains(t, err, "not a regular file")
	case <-time.After(10 * time.Second):
		t.Fatal("CompareDirs blocks on a FIFO")
	}

	big := filepath.Join(dir, "big")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(1<<30)) // sparse: nothing is written
	require.NoError(t, f.Close())
	_, err = ReadRegular(big, MaxRecordFile)
	assert.ErrorContains(t, err, "big: 1073741824 bytes, more than the limit of 268435456")
}
