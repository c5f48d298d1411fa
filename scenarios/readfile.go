package scenarios

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"syscall"
)

// MaxRecordFile is the largest JSON file (summary.json, a sweep's manifest)
// read back from an output folder.
const MaxRecordFile = 256 << 20

// openRegular opens the regular file at path for reading. Anything else is
// refused, before any byte is read: opening a FIFO for reading blocks until
// someone writes to it (the file is opened without blocking, then checked),
// and a device may never end.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("%s: not a regular file (%v)", path, st.Mode().Type())
	}
	return f, st, nil
}

// ReadRegular reads the regular file at path, of at most limit bytes; a
// FIFO, a device, a folder or a larger file is refused with an error that
// names it.
func ReadRegular(path string, limit int64) ([]byte, error) {
	f, st, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes, more than the limit of %d", path, st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: more than the limit of %d bytes", path, limit)
	}
	return data, nil
}

// sameContent reports whether the regular files a and b hold the same bytes,
// reading them in pieces (output files may be large).
func sameContent(a, b string) (bool, error) {
	fa, sa, err := openRegular(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, sb, err := openRegular(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	if sa.Size() != sb.Size() {
		return false, nil
	}
	x, y := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		n, errA := io.ReadFull(fa, x)
		m, errB := io.ReadFull(fb, y)
		if n != m || !bytes.Equal(x[:n], y[:m]) {
			return false, nil
		}
		if errA == io.EOF || errA == io.ErrUnexpectedEOF {
			return errB == io.EOF || errB == io.ErrUnexpectedEOF, nil
		}
		if errA != nil {
			return false, errA
		}
		if errB != nil {
			return false, errB
		}
	}
}
