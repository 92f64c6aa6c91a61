package capture

import (
	"bytes"
	"strings"

	"why401/internal/ascii"
)

// This file reads a DevTools "Copy as fetch" paste: the call Chrome writes
// (`fetch("https://…", {"headers": {…}, "body": "…", "method": "POST"});`,
// also "Copy as fetch (Node.js)", which puts the cookies in the headers) as
// the request, then whatever of the response the user copied from the
// Network tab after it: an HTTP status line, or a "Status Code: 403
// Forbidden" / "Response: 403" line, response header lines in the one-line
// ("name: value") or two-line ("name" then "value") layout, and the body.
// Chrome writes the URL and the init object as JSON, so they are read with
// the HAR reader's JSON walk (bounded, iterative); the call is never run.

// FetchCopy is the Exchange.Producer of a fetch paste: its request headers
// are those DevTools copies, without the ones the browser (or Node.js)
// adds itself (User-Agent; Cookie unless copied for Node.js).
const FetchCopy = "devtools-fetch"

// fetchCall returns the index in data just past the `fetch(` that opens a
// paste, or -1: only blank and comment lines ("//", "#") may come before it,
// so prose or a page that mentions fetch is not read as a call.
func fetchCall(data []byte) int {
	for i, n := 0, 0; n < 16 && i < len(data); n++ {
		k := skipWS(data, i) // also skips blank lines
		if k >= len(data) {
			return -1
		}
		if bytes.HasPrefix(data[k:], []byte("await ")) {
			k += len("await ")
		}
		if bytes.HasPrefix(data[k:], []byte("fetch(")) {
			return k + len("fetch(")
		}
		if data[k] != '#' && !bytes.HasPrefix(data[k:], []byte("//")) {
			return -1
		}
		j := bytes.IndexByte(data[k:], '\n')
		if j < 0 {
			return -1
		}
		i = k + j + 1
	}
	return -1
}

// readFetch reads the call's arguments from d[i] (a JSON string URL, an
// optional JSON init object) into a request, and returns it with the index
// past the call's ")", or nil when the call is not of that shape.
func readFetch(d []byte, i int, b *textBuilder) (*Message, int) {
	i = skipWS(d, i)
	if i >= len(d) || d[i] != '"' {
		return nil, -1
	}
	e := endOfString(d, i)
	req := &Message{Method: "GET", URL: jsonString(d[i:e])}
	i = skipWS(d, e)
	if i < len(d) && d[i] == ',' {
		b.cur = req
		i = walkObject(d, skipWS(d, i+1), func(key []byte, at int) int {
			ve := endOfValue(d, at)
			switch string(key) {
			case "method":
				req.Method = strings.ToUpper(jsonString(d[at:ve]))
			case "body":
				v := jsonString(d[at:ve])
				req.BodyTruncated = len(v) > b.lim.BodyBytes
				req.Body = []byte(v[:min(len(v), b.lim.BodyBytes)])
			case "headers":
				return walkOrSkip(d, at, func(name []byte, at int) int {
					ve := endOfValue(d, at)
					b.header(string(name), jsonString(d[at:ve]))
					return ve
				})
			}
			return ve
		})
		b.cur = nil
		if i < 0 {
			return nil, -1
		}
		i = skipWS(d, i)
	}
	if i >= len(d) || d[i] != ')' || !strings.Contains(req.URL, "://") {
		return nil, -1
	}
	return req, i + 1
}

// readFetchPaste reads a fetch paste into b; false when data is not one.
func readFetchPaste(data []byte, b *textBuilder) bool {
	at := fetchCall(data)
	if at < 0 {
		return false
	}
	req, end := readFetch(data, at, b)
	if req == nil {
		return false
	}
	b.req, b.producer = req, FetchCopy
	name := ""          // a two-line header's name, waiting for its value
	reqHeaders := false // in the Request Headers or Payload section
	for end < len(data) {
		// The call's line ends with ";" or ".then(…)": the response side
		// starts on the next line.
		j := bytes.IndexByte(data[end:], '\n')
		if j < 0 {
			return true
		}
		end += j + 1
		j = bytes.IndexByte(data[end:], '\n')
		if j < 0 {
			j = len(data) - end
		}
		line := bytes.TrimSuffix(data[end:end+j], []byte{'\r'})
		t := bytes.TrimSpace(line)
		if b.resp != nil && b.inBody {
			if len(b.body) > 0 || !bodyHeading(string(t)) {
				b.bodyLine(line)
			}
			continue
		}
		if name != "" {
			if n, _, ok := HeaderLine(t); !ok || !bytes.HasPrefix(t[len(n)+1:], []byte(" ")) {
				fetchField(b, name, string(t), reqHeaders)
				name = ""
				continue
			}
			name = "" // the word before was not a header name ("Raw")
		}
		if len(t) == 0 {
			if b.resp != nil && len(b.resp.Fields) > 0 {
				b.endHeaders()
			}
			continue
		}
		if _, _, _, ok := StatusLine(t); b.resp == nil && (ok || t[0] == ':') {
			readPlain(data[end:], b)
			return true
		}
		h := ascii.Lower(strings.TrimRight(string(t), ": "))
		if b.resp == nil && !strings.Contains(h, "headers") && (strings.HasPrefix(h, "response") || strings.HasPrefix(h, "status")) {
			// "Response: 403 Forbidden", "Status Code: 403", "Response (status 403):"
			if st, reason := statusIn(string(t)); st != 0 {
				b.startResponse("", st, reason)
				continue
			}
		}
		// A heading: "Response Headers (9)", "Request Headers", "General".
		if k := strings.LastIndexByte(h, '('); k > 0 && strings.HasSuffix(h, ")") {
			h = strings.TrimSpace(h[:k])
		}
		switch h {
		case "general", "response headers":
			reqHeaders = false
			continue
		case "request headers", "payload", "request payload":
			reqHeaders = true
			continue
		case "response", "preview":
			if b.resp != nil {
				b.endHeaders()
			}
			continue
		}
		if b.resp != nil && isToken(h) && !bytes.Contains(t, []byte(": ")) || generalName(h) {
			name = h // the two-line layout: the name, then its value
			continue
		}
		if n, v, ok := HeaderLine(t); ok {
			fetchField(b, n, v, reqHeaders)
		} else if n, v, ok := strings.Cut(string(t), ": "); ok && generalName(n) {
			fetchField(b, n, v, reqHeaders)
		} else if b.resp != nil && !reqHeaders {
			b.endHeaders() // the body, without a blank line before it
			b.bodyLine(line)
		}
	}
	return true
}

// fetchField files one name/value pair of the response side: the General
// block's "Status Code" starts the response, its other lines (and the
// request's headers) are skipped, the rest are response headers.
func fetchField(b *textBuilder, name, value string, reqHeaders bool) {
	n := ascii.Lower(name)
	switch {
	case n == "status code":
		if st, reason := statusIn(value); st != 0 && b.resp == nil {
			b.startResponse("", st, reason)
		}
	case reqHeaders || generalName(n):
	default:
		if b.resp == nil {
			b.startResponse("", 0, "")
			b.warn.Add("no-status", "no status line was found; the header lines were read as a response with an unknown status")
		}
		b.header(name, value)
	}
}

// bodyHeading tells the DevTools tab names a copied body may start with.
func bodyHeading(t string) bool {
	t = ascii.Lower(strings.TrimRight(t, ": "))
	return t == "response" || t == "preview"
}

// generalName tells the lines of DevTools' General block.
func generalName(n string) bool {
	switch ascii.Lower(n) {
	case "request url", "request method", "status code", "remote address", "referrer policy":
		return true
	}
	return false
}

// statusIn finds a status code (a word of three digits, 100–599) in s and
// the reason phrase after it ("403 Forbidden" → 403, "Forbidden").
func statusIn(s string) (int, string) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ':' || r == '(' || r == ')' })
	for k, w := range f {
		if st := atoi3(w); st >= 100 && st < 600 {
			reason := strings.Join(f[k+1:], " ")
			if c := reason + "0"; c[0]|0x20 < 'a' || c[0]|0x20 > 'z' {
				reason = ""
			}
			return st, reason
		}
	}
	return 0, ""
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !IsTokenChar(s[i]) {
			return false
		}
	}
	return s != ""
}
