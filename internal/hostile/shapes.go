package hostile

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// The linearity inputs of issue 31: the same kinds of message (ordinary
// header fields, fields folded over many lines, one very long value, a body
// of many short lines) in every capture format, at any size. A reader whose
// work grows faster than its input (obsolete line folding appended by
// copying the whole value each time: quadratic) shows it as the cost per
// MB of the large input against the small one (analyzer/linear_test.go).

// Shape is one message kind in one capture format.
type Shape struct {
	// Name is "<format>/<message>", e.g. "warc.gz/folds".
	Name string
	// Make returns a capture of about n bytes (before any compression).
	Make func(n int) []byte
}

// messageKinds are the raw HTTP responses the formats wrap: each returns
// one message of about size bytes (CRLF line ends).
var messageKinds = []struct {
	name string
	make func(size int) string
}{
	{"fields", func(size int) string {
		var b strings.Builder
		b.WriteString("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"api\"\r\n")
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "X-Field-%d: value %d of an ordinary header field\r\n", i, i)
		}
		b.WriteString("\r\n")
		return b.String()
	}},
	{"folds", func(size int) string {
		// One field continued on short lines (RFC 9112 §5.2 obs-fold), then
		// more fields folded a few times each.
		var b strings.Builder
		b.WriteString("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nX-Folded: a\r\n")
		for b.Len() < size/2 {
			b.WriteString(" b\r\n")
		}
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "X-Fold-%d: start\r\n\tmore\r\n  and more\r\n", i)
		}
		b.WriteString("\r\n")
		return b.String()
	}},
	{"long-value", func(size int) string {
		return "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\nX-Long: " + strings.Repeat("a", max(size-64, 1)) + "\r\n\r\n"
	}},
	{"body-lines", func(size int) string {
		var b strings.Builder
		b.WriteString("HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\n\r\n<html>\r\n")
		for b.Len() < size {
			b.WriteString("<p>x</p>\r\n")
		}
		b.WriteString("</html>\r\n")
		return b.String()
	}},
}

// messageBytes is the size of one message inside a container: under a
// WARC or SAZ record's cap (BodyBytes + 256 KiB), so the whole of each
// message is read.
const messageBytes = 128 << 10

// fill calls add with messages of kind k until about n bytes are made.
func fill(n int, k func(int) string, add func(i int, msg string)) {
	made := 0
	for i := 0; made < n || i == 0; i++ {
		m := k(min(messageBytes, max(n-made, 256)))
		add(i, m)
		made += len(m)
	}
}

const shapeRequest = "GET /api/v1/me HTTP/1.1\r\nHost: api.example\r\nAccept: application/json\r\n\r\n"

func warcRecord(b *bytes.Buffer, i int, typ, block string) {
	fmt.Fprintf(b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08d-0000-4000-8000-%012d>\r\nWARC-Target-URI: https://api.example/api/v1/me\r\nWARC-Date: 2026-01-02T03:04:05Z\r\nContent-Type: application/http; msgtype=%s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		typ, i, i, typ, len(block), block)
}

func gzipBytes(p []byte) []byte {
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
	w.Write(p)
	w.Close()
	return z.Bytes()
}

// harHeaders turns a raw message's header lines into HAR header objects
// (a HAR has no folding: a folded line is one more field).
func harEntry(msg string) string {
	head, body, _ := strings.Cut(msg, "\r\n\r\n")
	lines := strings.Split(head, "\r\n")
	status := lines[0][9:12]
	var hs []string
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			name, value = "X-Continued", l
		}
		hs = append(hs, `{"name":`+strconv.Quote(strings.TrimSpace(name))+`,"value":`+strconv.Quote(strings.TrimSpace(value))+`}`)
	}
	return `{"startedDateTime":"2026-01-02T03:04:05.000Z","request":{"method":"GET","url":"https://api.example/api/v1/me","httpVersion":"HTTP/1.1","headers":[{"name":"Accept","value":"application/json"}]},` +
		`"response":{"status":` + status + `,"httpVersion":"HTTP/1.1","headers":[` + strings.Join(hs, ",") + `],"content":{"mimeType":"text/html","text":` + strconv.Quote(body) + `}}}`
}

// Shapes returns every format × message kind.
func Shapes() []Shape {
	var out []Shape
	for _, k := range messageKinds {
		k := k
		out = append(out,
			Shape{"raw/" + k.name, func(n int) []byte {
				var b bytes.Buffer
				fill(n, k.make, func(_ int, m string) { b.WriteString(shapeRequest + m) })
				return b.Bytes()
			}},
			Shape{"curl-v/" + k.name, func(n int) []byte {
				var b bytes.Buffer
				fill(n, k.make, func(_ int, m string) {
					b.WriteString("* Connected to api.example (192.0.2.1) port 443\r\n> GET /api/v1/me HTTP/1.1\r\n> Host: api.example\r\n>\r\n")
					head, body, _ := strings.Cut(m, "\r\n\r\n")
					for _, l := range strings.Split(head, "\r\n") {
						b.WriteString("< " + l + "\r\n")
					}
					b.WriteString("<\r\n" + body)
				})
				return b.Bytes()
			}},
			Shape{"warc/" + k.name, func(n int) []byte {
				var b bytes.Buffer
				warcRecord(&b, 0, "warcinfo", "software: hostile\r\n")
				fill(n, k.make, func(i int, m string) {
					warcRecord(&b, 2*i+1, "request", shapeRequest)
					warcRecord(&b, 2*i+2, "response", m)
				})
				return b.Bytes()
			}},
			Shape{"warc.gz/" + k.name, func(n int) []byte {
				var b bytes.Buffer
				fill(n, k.make, func(i int, m string) {
					var r bytes.Buffer
					warcRecord(&r, i, "response", m)
					b.Write(gzipBytes(r.Bytes())) // one gzip member per record
				})
				return b.Bytes()
			}},
			Shape{"burp/" + k.name, func(n int) []byte {
				var b bytes.Buffer
				b.WriteString("<?xml version=\"1.0\"?>\n<!DOCTYPE items [\n<!ELEMENT items (item*)>\n]>\n<items burpVersion=\"2024.1\">\n")
				fill(n, k.make, func(_ int, m string) {
					b.WriteString("<item><url><![CDATA[https://api.example/api/v1/me]]></url><method>GET</method><request base64=\"true\">" +
						base64.StdEncoding.EncodeToString([]byte(shapeRequest)) + "</request><status>401</status><response base64=\"true\">" +
						base64.StdEncoding.EncodeToString([]byte(m)) + "</response></item>\n")
				})
				b.WriteString("</items>\n")
				return b.Bytes()
			}},
			Shape{"saz/" + k.name, func(n int) []byte {
				var ms []ZipMember
				fill(n, k.make, func(i int, m string) {
					id := strconv.Itoa(i + 1)
					ms = append(ms, ZipMember{Name: "raw/" + id + "_c.txt", Data: []byte(shapeRequest)}, ZipMember{Name: "raw/" + id + "_s.txt", Data: []byte(m)})
				})
				return Zip(ms...)
			}},
			Shape{"wacz/" + k.name, func(n int) []byte {
				var w bytes.Buffer
				fill(n, k.make, func(i int, m string) { warcRecord(&w, i, "response", m) })
				return Zip(ZipMember{Name: "archive/data.warc.gz", Data: gzipBytes(w.Bytes()), Store: true})
			}},
			Shape{"har/" + k.name, func(n int) []byte { return harOf(n, k.make) }},
			Shape{"har.gz/" + k.name, func(n int) []byte { return gzipBytes(harOf(n, k.make)) }},
			Shape{"har-zip/" + k.name, func(n int) []byte {
				return Zip(ZipMember{Name: "capture.har", Data: harOf(n, k.make)})
			}},
		)
	}
	return out
}

func harOf(n int, k func(int) string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"hostile","version":"1"},"entries":[`)
	fill(n, k, func(i int, m string) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(harEntry(m))
	})
	b.WriteString("]}}")
	return b.Bytes()
}
