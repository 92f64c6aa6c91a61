//go:build !slim

package analyzer

import (
	"bufio"
	"io"

	"why401/internal/inflate"
)

// The readers for compressed input and container captures, reached only
// through these three functions. Every build has them but the page's first
// wasm (tag slim, unpack_slim.go), which answers ErrNeedsFull instead and
// so leaves inflate, the zip, WARC and Burp readers out of its download.

func gzipReader(r io.Reader) (io.Reader, error) { return inflate.NewGzipReader(r) }

func zlibReader(r io.Reader) (io.Reader, error) { return inflate.NewZlibReader(r) }

func readContainer(br *bufio.Reader, lim Limits, w *warnings, emit func(Exchange)) (format, producer string, entries int, har []byte, err error) {
	return readCapture(br, lim, w, emit)
}
