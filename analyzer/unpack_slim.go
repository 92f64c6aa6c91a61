//go:build slim

package analyzer

import (
	"bufio"
	"io"
)

// The slim build (the page's first wasm, ~80 KB gzip lighter): plain text,
// curl transcripts and HAR files are analysed as everywhere else; compressed
// input, compressed bodies and zip, WARC or Burp captures end in
// ErrNeedsFull, and the page runs them through the full wasm instead, so
// every report is the one the CLI gives. TestSlim (go test -tags slim)
// checks both halves of that.

func gzipReader(io.Reader) (io.Reader, error) { return nil, ErrNeedsFull }

func zlibReader(io.Reader) (io.Reader, error) { return nil, ErrNeedsFull }

func readContainer(br *bufio.Reader, _ Limits, _ *warnings, _ func(Exchange)) (format, producer string, entries int, har []byte, err error) {
	if containerKind(br) != "" {
		return "", "", 0, nil, ErrNeedsFull
	}
	return "", "", 0, nil, nil
}
