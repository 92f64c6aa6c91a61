//go:build slim

package capture

import (
	"bufio"
	"io"
)

// The slim build (-tags slim: the page's analyzer.wasm) leaves the readers
// of compressed input and container captures out: compress/*, archive/zip,
// the zip, WARC and Burp readers. What needs one of them ends in
// ErrNeedsFull, and the page reads it again with its full analyzer (the
// on-demand wasm, web/sanitizer.wasm): never a different report.

// readCapture answers ErrNeedsFull for a zip, WARC or Burp capture.
func readCapture(br *bufio.Reader, _ int64, _ Limits, _ *Warnings, _ func(Exchange)) (format, producer string, entries int, har []byte, err error) {
	if kind := containerKind(br); kind != "" {
		return kind, "", 0, nil, ErrNeedsFull
	}
	return "", "", 0, nil, nil
}

// GzipReader and ZlibReader: ErrNeedsFull (a gzip or zlib input, or a body
// still so encoded, which decodeBody marks on the Warnings).
func GzipReader(io.Reader) (io.Reader, error) { return nil, ErrNeedsFull }

func ZlibReader(io.Reader) (io.Reader, error) { return nil, ErrNeedsFull }

// readFetchPaste: a DevTools fetch paste needs the full build's reader
// (fetchread.go).
func readFetchPaste(_ []byte, _ int, b *textBuilder) bool {
	b.needsFull = true
	return true
}
