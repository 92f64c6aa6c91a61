//go:build !slim

package capture

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"

	"why401/internal/ascii"
	"why401/internal/weburl"
)

// readCapture reads the container formats that are neither HAR nor pasted
// text: a Playwright HAR zip, WARC 1.0/1.1 and a Burp Suite XML export. It
// peeks at br and returns "" when the input is none of them. A HAR zip is
// opened and its HAR returned as har, to be read by the HAR reader.
func readCapture(br *bufio.Reader, size int64, lim Limits, w *Warnings, emit func(Exchange)) (format, producer string, entries int, har []byte, err error) {
	switch containerKind(br) {
	case "zip":
		har, err = readHARZipBudget(br, size, lim, w, newZipBudget(lim, w))
		var nz errNoHARInZip
		if errors.As(err, &nz) {
			format, producer, entries, err = readZipCapture(nz.zr, nz.zb, lim, w, emit)
			if format != "" {
				return format, producer, entries, nil, err
			}
		}
		if err != nil {
			return "har", "", 0, nil, err
		}
		return "har", "", 0, har, nil
	case "warc":
		producer, entries, err = readWARC(br, lim, w, emit)
		return "warc", producer, entries, nil, err
	case "burp":
		entries, err = readBurp(br, lim, w, emit)
		return "burp", "burp", entries, nil, err
	}
	return "", "", 0, nil, nil
}

// parseHTTPBlock reads one raw HTTP message as transmitted (WARC blocks, Burp
// items): a start line, header fields, a blank line, then the body, which may
// still be chunked or content-encoded. It returns nil when block holds none.
func parseHTTPBlock(block []byte, lim Limits, w *Warnings) *Message {
	var m *Message
	var f folder
	kept := false // the last header line was kept: a folded line continues it
	rest := block
	for len(rest) > 0 {
		line := rest
		i := bytes.IndexByte(rest, '\n')
		if i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimRight(line, "\r")
		if m == nil {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			if proto, status, reason, ok := StatusLine(line); ok {
				m = &Message{Proto: proto, Status: status, Reason: reason}
			} else if method, target, proto, ok := RequestLine(line); ok {
				m = &Message{Method: method, URL: target, Proto: proto}
			} else {
				return nil
			}
			continue
		}
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if kept {
				f.fold(m.Fields, line, lim, w)
			}
			continue
		}
		f.done(m.Fields)
		if len(line) == 0 {
			break
		}
		kept = false
		if name, value, ok := HeaderLine(line); ok {
			if len(m.Fields) >= lim.HeaderFields {
				warnHeaderFields(w, lim)
				continue
			}
			if len(value) > lim.HeaderBytes {
				value = value[:lim.HeaderBytes]
				warnHeaderBytes(w, name, lim)
			}
			m.Fields = append(m.Fields, Field{Name: name, Value: value})
			kept = true
		}
	}
	if m == nil {
		return nil
	}
	f.done(m.Fields)
	m.Fields = dropPseudo(m.Fields, m)
	body := rest
	if ascii.Contains(m.Get("Transfer-Encoding"), "chunked") {
		body = Dechunk(body, lim.BodyBytes)
	}
	if len(body) > lim.BodyBytes {
		tail := keepsTail(m.Status, lim.BodyBytes)
		if tail {
			body = headTail(body, body, lim.BodyBytes)
		} else {
			body = body[:lim.BodyBytes]
		}
		m.BodyTruncated = true
		w.Add("body-bytes", cutNote(lim.BodyBytes, tail))
	}
	if len(body) > 0 {
		m.Body = append([]byte(nil), body...)
	}
	if m.Status != 0 {
		decodeBody(m, lim, w)
	}
	return m
}

// absoluteURL joins a request-target with a known origin URI.
func absoluteURL(target, uri string) string {
	if strings.Contains(target, "://") || uri == "" {
		return target
	}
	if strings.HasPrefix(target, "/") {
		if o := weburl.Origin(uri); o != "" {
			return o + target
		}
	}
	return uri
}

// readBlock reads n bytes from br, keeping at most keep of them and
// discarding the rest, so one huge record cannot exhaust memory.
func readBlock(br *bufio.Reader, n int64, keep int) ([]byte, error) {
	k := int(min(n, int64(keep)))
	buf := make([]byte, k)
	if _, err := io.ReadFull(br, buf); err != nil {
		return buf, errTruncatedCapture
	}
	if n > int64(k) {
		if _, err := br.Discard(int(min(n-int64(k), 1<<62))); err != nil {
			return buf, errTruncatedCapture
		}
	}
	return buf, nil
}

var errTruncatedCapture = errors.New("the capture ends in the middle of a record (truncated?)")
