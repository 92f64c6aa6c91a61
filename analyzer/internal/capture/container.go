package capture

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"
)

// ReadContainer reads the captures that come as a container (a zip, WARC,
// Burp XML) from br, which holds at most size bytes (-1: unknown); format
// is "" when br holds none of them.
func ReadContainer(br *bufio.Reader, size int64, lim Limits, w *Warnings, emit func(Exchange)) (format, producer string, entries int, har []byte, err error) {
	return readCapture(br, size, lim, w, emit)
}

// containerKind peeks at br: "zip", "warc", "burp", or "" for anything else.
func containerKind(br *bufio.Reader) string {
	head, _ := br.Peek(64)
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "zip"
	case bytes.HasPrefix(head, []byte("WARC/1.")):
		return "warc"
	case bytes.HasPrefix(head, []byte("<?xml")) || bytes.HasPrefix(head, []byte("<items")) || bytes.HasPrefix(head, []byte("<!DOCTYPE items")):
		if bytes.Contains(peekMore(br, 4096), []byte("<items")) {
			return "burp"
		}
	}
	return ""
}

func peekMore(br *bufio.Reader, n int) []byte {
	b, _ := br.Peek(n)
	return b
}

// IsContainer tells binary containers that are captures (a zip) from binary junk.
func IsContainer(head []byte) bool { return bytes.HasPrefix(head, []byte("PK\x03\x04")) }

// ReadAllSized reads r to its end, at most limit+1 bytes (one more than
// limit tells the caller the input was longer). size is how many bytes r
// holds when it is known (a file's Stat, a bytes.Reader's Len), else -1:
// the buffer is then made once at that size instead of doubling as
// io.ReadAll does (a 64 MiB text input cost 128 MiB of buffers and a copy
// at each step).
func ReadAllSized(r io.Reader, size, limit int64) ([]byte, error) {
	if size < 0 {
		return io.ReadAll(io.LimitReader(r, limit+1))
	}
	// MinRead spare: bytes.Buffer grows (doubling) when less is left.
	b := bytes.NewBuffer(make([]byte, 0, min(size, limit)+1+bytes.MinRead))
	_, err := b.ReadFrom(io.LimitReader(r, limit+1))
	return b.Bytes(), err
}

// Dechunk undoes chunked transfer coding, keeping at most max bytes; a
// malformed or cut stream yields what was read so far.
func Dechunk(b []byte, max int) []byte {
	var out []byte
	for len(b) > 0 && len(out) < max {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			if out == nil {
				return b
			}
			break
		}
		sizeLine := strings.TrimSpace(string(b[:i]))
		if j := strings.IndexByte(sizeLine, ';'); j >= 0 {
			sizeLine = sizeLine[:j]
		}
		n, err := strconv.ParseInt(sizeLine, 16, 64)
		if err != nil || n < 0 {
			if out == nil {
				return b // not chunked after all
			}
			break
		}
		b = b[i+1:]
		if n == 0 {
			break
		}
		take := int(min(n, int64(len(b))))
		out = append(out, b[:take]...)
		b = b[take:]
		b = bytes.TrimPrefix(bytes.TrimPrefix(b, []byte("\r")), []byte("\n"))
	}
	return out
}
