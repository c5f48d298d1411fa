// Package mdfile writes the Markdown output of the benchmark commands: a whole
// file, or the section of a file between two marker comments, so that
//
//	go run ./bench/cmd/perf -readme bench/README.md
//
// puts the latest table into bench/README.md and leaves the rest of it as it is.
// A file is written under a temporary name and renamed into place: it is either
// whole, old or new, never half written.
package mdfile
