//go:build !slim

package capture

import (
	"bytes"
	"strings"

	"github.com/tidwall/gjson"

	"why401/internal/ascii"
)

// readFetch reads the call's arguments from d[i] (a JSON string URL, an
// optional JSON init object) into b.req, and returns the index past the
// call's ")", or -1 when the call is not of that shape.
func readFetch(d []byte, i int, b *textBuilder) int {
	i = skipWS(d, i)
	if i >= len(d) || d[i] != '"' {
		return -1
	}
	e := endOfString(d, i)
	req := &Message{Method: "GET", URL: jsonString(d[i:e])}
	cred := "omit" // no init object: nothing says what was sent
	if i = skipWS(d, e); i < len(d) && d[i] == ',' {
		i = skipWS(d, i+1)
		e = endOfValue(d, i)
		init := gjson.ParseBytes(d[i:e])
		cred = init.Get("credentials").String()
		if m := init.Get("method").String(); m != "" {
			req.Method = m
		}
		body := init.Get("body").String()
		req.BodyTruncated = len(body) > b.lim.BodyBytes
		req.Body = []byte(body[:min(len(body), b.lim.BodyBytes)])
		b.cur = req
		init.Get("headers").ForEach(func(k, v gjson.Result) bool {
			b.header(k.String(), v.String())
			return true
		})
		i = skipWS(d, e)
	}
	if i >= len(d) || d[i] != ')' || !strings.Contains(req.URL, "://") || d[e-1] != '}' && d[e-1] != '"' {
		b.cur = nil
		return -1
	}
	b.req, b.cur, b.producer = req, nil, FetchCopy
	if cred != "omit" && req.Get("Cookie") == "" {
		b.producer = FetchCopyNoCookie
	}
	return i + 1
}

// The lines of the response side DevTools shows besides the response's
// own headers, lower-cased, between bars: the General block's names, then
// the headings of the sections.
const (
	fetchGeneral    = "|request url|request method|status code|remote address|referrer policy|"
	fetchRespHeads  = "|general|response headers|"
	fetchOtherHeads = "|request headers|payload|request payload|"
	fetchBodyHeads  = "|response|preview|"
)

// fetchIs tells whether h is in list. Not inlined: it is called from eight
// places (the page's wasm).
//
//go:noinline
func fetchIs(list, h string) bool { return strings.Contains(list, "|"+h+"|") }

// readFetchPaste reads the fetch paste whose call's arguments start at
// data[end] into b; false when the call is not of the shape DevTools writes.
func readFetchPaste(data []byte, end int, b *textBuilder) bool {
	if end = readFetch(data, end, b); end < 0 {
		return false
	}
	name := ""    // a two-line header's name, waiting for its value
	skip := false // in the Request Headers or Payload section
	// The call's line ends with ";" or ".then(…)": the response side starts
	// on the next line.
	for j := bytes.IndexByte(data[end:], '\n'); j >= 0; j = bytes.IndexByte(data[end:], '\n') {
		end += j + 1
		line := data[end:]
		if j = bytes.IndexByte(line, '\n'); j >= 0 {
			line = line[:j]
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		t := bytes.TrimSpace(line)
		h := ascii.Lower(strings.TrimRight(string(t), ": "))
		if k := strings.LastIndexByte(h, '('); k > 0 && h[len(h)-1] == ')' && !strings.HasPrefix(h, "response (") {
			h = strings.TrimSpace(h[:k]) // "Response Headers (7)"
		}
		colon := bytes.Index(t, []byte(": "))
		if colon >= 0 && isToken(string(t[:colon])) {
			name = "" // a lone word before a "name: value" line was not a name ("Raw")
		}
		switch {
		case b.inBody:
			if len(b.body) > 0 || !fetchIs(fetchBodyHeads, h) {
				b.bodyLine(line)
			}
		case name != "": // the two-line layout's value
			fetchField(b, name, string(t), skip)
			name = ""
		case len(t) == 0:
			name = ""
			if b.resp != nil && len(b.resp.Fields) > 0 {
				b.endHeaders()
			}
		case b.resp == nil && (t[0] == ':' || bytes.HasPrefix(t, []byte("HTTP/"))):
			readPlain(data[end:], b)
			return true
		case fetchIs(fetchRespHeads, h) || fetchIs(fetchOtherHeads, h):
			skip = fetchIs(fetchOtherHeads, h)
		case fetchIs(fetchBodyHeads, h):
			if b.resp != nil {
				b.endHeaders()
			}
		case isToken(h) && colon < 0 || fetchIs(fetchGeneral, h):
			name = h // the two-line layout: the name, then its value
		case b.resp == nil && (strings.HasPrefix(h, "status") || strings.HasPrefix(h, "response")) && !strings.Contains(h, "header"):
			// "Status Code: 403 Forbidden", "Response: 403", "Response (status 403):"
			if st, reason := statusIn(string(t)); st != 0 {
				b.startResponse("", st, reason)
			}
		default:
			if n, v, ok := HeaderLine(t); ok {
				fetchField(b, n, v, skip)
			} else if b.resp != nil && !skip && !fetchIs(fetchGeneral, ascii.Lower(string(t[:max(0, colon)]))) {
				b.endHeaders() // the body, without a blank line before it
				b.bodyLine(line)
			}
		}
	}
	return true
}

// fetchField files one name/value pair of the response side: the request's
// headers (skip) and the General block are left out, "Status Code" starts
// the response, the rest are response headers.
func fetchField(b *textBuilder, name, value string, skip bool) {
	n := ascii.Lower(name)
	if st, reason := statusIn(value); n == "status code" && b.resp == nil && st != 0 {
		b.startResponse("", st, reason)
	} else if !skip && !fetchIs(fetchGeneral, n) {
		if b.resp == nil {
			b.startResponse("", 0, "")
			b.warn.Add("no-status", "no status line was found; the header lines were read as a response with an unknown status")
		}
		b.header(name, value)
	}
}

// statusIn finds a status code (three digits alone, 100–599) in s and the
// reason phrase after it ("403 Forbidden" → 403, "Forbidden").
func statusIn(s string) (int, string) {
	for i := 0; i+3 <= len(s); i++ {
		if st := atoi3(s[i : i+3]); st != 0 && st < 600 && (i == 0 || s[i-1] == ' ' || s[i-1] == '(') && (i+3 == len(s) || s[i+3] == ' ' || s[i+3] == ')') {
			if r := strings.TrimSpace(s[i+3:]); r != "" && r[0] >= 'A' && r[0] <= 'z' {
				return st, r
			}
			return st, ""
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
