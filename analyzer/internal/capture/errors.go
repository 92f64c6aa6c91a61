package capture

import (
	"errors"
	"io"
	"strings"
)

// Sentinel errors, for errors.Is; the analyzer hands them on as its own.
var (
	// ErrNoResponse: the input holds no HTTP response the analyzer could find.
	ErrNoResponse = errors.New("analyzer: no HTTP response found (expected a status line such as \"HTTP/1.1 401 Unauthorized\", a curl -i/-v transcript or a HAR file)")
	// ErrRequestOnly: a request was pasted without its response.
	// ErrBinary: the input is binary data, not a capture.
	ErrBinary = errors.New("analyzer: the input is binary data, not an HTTP capture or HAR")
	// ErrEmpty: nothing to read.
	ErrEmpty = errors.New("analyzer: the input is empty")
	// ErrHAR: the input looks like JSON but is not a HAR file.
	ErrHAR = errors.New("analyzer: unreadable HAR")
	// ErrNeedsFull: the input is compressed (gzip, zlib, or a compressed
	// body inside it), a zip, WARC or Burp capture or a DevTools fetch
	// paste, and this is the slim build (the page's analyzer.wasm), which
	// leaves those readers out
	// (slim.go); the page reads such input with its full analyzer.
	ErrNeedsFull   = errors.New("analyzer: this input needs the full analyzer, since it is compressed, a zip, WARC or Burp capture or a DevTools fetch paste: this slim build leaves those readers out")
	ErrRequestOnly = errors.New("analyzer: the input holds a request but no response; paste the response too (curl -i or curl -v shows it)")
)

// ChainErr prefixes err's text and wraps err (errors.Is and errors.As see it).
func ChainErr(prefix string, err error) error { return WrapErr(prefix+err.Error(), err) }

// WrapErr is an error whose text is msg and that errors.Is sees as err.
func WrapErr(msg string, err error) error { return &wrapError{msg: msg, err: err} }

// Reason is err's text as the end of a sentence a person reads: without
// the package prefix the standard library's readers put on their errors
// ("gzip: invalid header", "zip: not a valid zip file", "flate: corrupt
// input before offset 9"), and io.ErrUnexpectedEOF in words. The error
// itself is kept for errors.Is by the caller (WrapErr).
func Reason(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "it ends too soon (is the file cut short?)"
	}
	msg := err.Error()
	for _, p := range []string{"gzip: ", "zip: ", "flate: ", "zlib: "} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}

// IsBinary tells binary data (more than a tenth control bytes) from text.
func IsBinary(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	bad := 0
	for _, c := range b {
		if c == 0 || c < 0x08 || (c > 0x0d && c < 0x20 && c != 0x1b) {
			bad++
		}
	}
	return bad*10 > len(b)
}
