package main

// Converters: a recording as its recorder wrote it (a VCR, Betamax, vcrpy or
// go-vcr cassette, PyGithub's replay data, okta-auth-js's XHR mocks, a bare
// error body, a saved page) becomes a capture why401 reads: a HAR with one
// entry per recorded interaction, or a raw response. Nothing is added that
// the recording does not hold, except what a format implies and the label
// says (a bare body's status and Content-Type).

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"why401/bench/internal/har"
)

// exchange is one recorded interaction.
type exchange struct {
	method, url string
	reqHeaders  [][2]string
	reqBody     []byte
	status      int
	reason      string
	respHeaders [][2]string
	respBody    []byte
	started     string // RFC 3339, "" when the recording does not say
	hasRequest  bool
}

// convert turns a recording into capture bytes and the name's extension
// (".har" or ".http"). format is the labels' format column; name is the
// recording's file name (robots: the domain it was fetched from).
func convert(format, name string, data []byte) ([]byte, string, error) {
	kind, arg, _ := strings.Cut(format, ":")
	switch kind {
	case "har":
		return data, ".har", nil
	case "page", "body", "fenced":
		// A saved page or a bare error body: the status (and Content-Type)
		// the label gives; nothing else is added. fenced: the body as a
		// recon dump keeps it, inside a Markdown ``` fence (dropped).
		if kind == "fenced" {
			data = bytes.TrimSpace(data)
			data = bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimPrefix(data, []byte("```")), []byte("```")))
		}
		st, ct, _ := strings.Cut(arg, ":")
		n, err := strconv.Atoi(st)
		if err != nil {
			return nil, "", fmt.Errorf("%s: status %q", kind, st)
		}
		var hs [][2]string
		switch ct {
		case "":
		case "json":
			hs = append(hs, [2]string{"Content-Type", "application/json"})
		case "xml":
			hs = append(hs, [2]string{"Content-Type", "application/xml"})
		case "html":
			hs = append(hs, [2]string{"Content-Type", "text/html; charset=UTF-8"})
		default:
			hs = append(hs, [2]string{"Content-Type", ct})
		}
		return rawResponse(n, hs, data), ".http", nil
	case "raw":
		// A recorded raw HTTP response (status line, headers, body), as
		// some SDKs keep their fixtures; read as it is.
		return data, ".http", nil
	case "tag":
		// A raw HTTP response kept inside an XML-like element of a test
		// file (curl's tests/data: <reply><data>HTTP/1.1 407 …</data>):
		// the first <ARG …>…</ARG>, line ends made CRLF in the head.
		_, rest, ok := bytes.Cut(data, []byte("<"+arg))
		if ok {
			if i := bytes.IndexByte(rest, '>'); i >= 0 && (rest[0] == '>' || rest[0] == ' ') {
				rest = rest[i+1:]
				if body, _, ok := bytes.Cut(rest, []byte("</"+arg+">")); ok {
					body = bytes.TrimLeft(body, "\r\n")
					head, tail, _ := bytes.Cut(body, []byte("\n\n"))
					head = bytes.ReplaceAll(bytes.ReplaceAll(head, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
					return append(append(head, "\r\n\r\n"...), tail...), ".http", nil
				}
			}
		}
		return nil, "", fmt.Errorf("tag: no <%s> element", arg)
	case "okta":
		return oktaXHR(data)
	case "robots":
		// nrjones8/robots-dot-txt-archive-bot saved what
		// GET https://DOMAIN/robots.txt answered to requests 2.24.0
		// (robots_txt_collector.py, requirements.txt), body only: the
		// request is the one its code sends; the status is the label's.
		n, err := strconv.Atoi(arg)
		if err != nil {
			return nil, "", fmt.Errorf("robots: status %q", arg)
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "GET /robots.txt HTTP/1.1\r\nHost: %s\r\nUser-Agent: python-requests/2.24.0\r\nAccept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n", name)
		b.Write(rawResponse(n, nil, data))
		return b.Bytes(), ".http", nil
	case "md":
		n, err := strconv.Atoi(arg)
		if err != nil {
			return nil, "", fmt.Errorf("md: block %q", arg)
		}
		blocks := httpBlocks(data)
		if n < 0 || n >= len(blocks) {
			return nil, "", fmt.Errorf("md: no HTTP block %d (of %d)", n, len(blocks))
		}
		return []byte(blocks[n]), ".http", nil
	case "mdin":
		// The Nth raw HTTP response inside a fenced block of a Markdown
		// page, where the block starts with the command that printed it
		// (curl -i …): from its "HTTP/" line to the end of the block.
		n, err := strconv.Atoi(arg)
		if err != nil {
			return nil, "", fmt.Errorf("mdin: block %q", arg)
		}
		blocks := httpBlocksInside(data)
		if n < 0 || n >= len(blocks) {
			return nil, "", fmt.Errorf("mdin: no HTTP response %d (of %d)", n, len(blocks))
		}
		return []byte(blocks[n]), ".http", nil
	case "curlv":
		// The Nth exchange of curl -v transcripts in a text or Markdown
		// file (notes, wikis): the "> " request lines, the "< " response
		// head and the body printed after it.
		n, err := strconv.Atoi(arg)
		if err != nil {
			return nil, "", fmt.Errorf("curlv: exchange %q", arg)
		}
		xs := curlVerbose(data)
		if n < 0 || n >= len(xs) {
			return nil, "", fmt.Errorf("curlv: no exchange %d (of %d)", n, len(xs))
		}
		return []byte(xs[n]), ".http", nil
	case "lasthead":
		// The last response head of a text file holding a redirect chain
		// as curl -sIL or lwp-request print it (status line, headers); the
		// body (absent from a HEAD, or the recorder's own notes after the
		// blank line) is dropped.
		return lastHead(data)
	case "fields":
		// A response a script wrote as "Status Code: N" and a "Headers:"
		// block of "Name: value" lines (requests' r.status_code and
		// r.headers); no body.
		return fieldsHead(data)
	case "rp-cf", "rp-bare":
		st, err := strconv.Atoi(arg)
		if err != nil {
			return nil, "", fmt.Errorf("%s: status %q", kind, arg)
		}
		return realpagesPage(kind, st, data), ".http", nil
	}
	xs, err := exchanges(kind, data)
	if err != nil {
		return nil, "", err
	}
	if len(xs) == 0 {
		return nil, "", fmt.Errorf("%s: no interactions", kind)
	}
	b, err := writeHAR(xs)
	return b, ".har", err
}

// exchanges reads the interactions of a cassette or replay file.
func exchanges(kind string, data []byte) ([]exchange, error) {
	switch kind {
	case "vcr", "betamax", "vcrpy", "govcr":
		return cassette(data)
	case "pygithub":
		return pyGithubReplay(data)
	}
	return nil, fmt.Errorf("unknown format %q", kind)
}

// rawResponse writes a response with no request: the status line, the
// headers, the body.
func rawResponse(status int, headers [][2]string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, reasonPhrase(status))
	for _, h := range headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

func reasonPhrase(st int) string {
	switch st {
	case 200:
		return "OK"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 402:
		return "Payment Required"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 407:
		return "Proxy Authentication Required"
	case 429:
		return "Too Many Requests"
	case 500:
		return "Internal Server Error"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Gateway Timeout"
	}
	return "Status"
}

// ---- HAR output ----

func harHeaders(hs [][2]string) []har.Header {
	out := make([]har.Header, 0, len(hs))
	for _, h := range hs {
		out = append(out, har.Header{Name: h[0], Value: h[1]})
	}
	return out
}

func header(hs [][2]string, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h[0], name) {
			return h[1]
		}
	}
	return ""
}

// writeHAR writes the exchanges as HAR 1.2 entries, bodies as text (base64
// when they are not UTF-8), the way browsers export them: decoded, with the
// recorded Content-Encoding header left as it was.
func writeHAR(xs []exchange) ([]byte, error) {
	type entry struct {
		StartedDateTime string         `json:"startedDateTime,omitempty"`
		Time            int            `json:"time"`
		Request         har.Request    `json:"request"`
		Response        har.Response   `json:"response"`
		Cache           struct{}       `json:"cache"`
		Timings         map[string]int `json:"timings"`
	}
	var entries []entry
	for _, x := range xs {
		e := entry{StartedDateTime: x.started, Timings: map[string]int{"send": 0, "wait": 0, "receive": 0}}
		e.Request = har.Request{Method: strings.ToUpper(x.method), URL: x.url, HTTPVersion: "HTTP/1.1",
			Headers: harHeaders(x.reqHeaders), QueryString: []har.Header{}, Cookies: []har.Header{}, HeadersSize: -1, BodySize: len(x.reqBody)}
		if len(x.reqBody) > 0 {
			e.Request.PostData = &har.PostData{MimeType: header(x.reqHeaders, "Content-Type"), Text: string(x.reqBody)}
		}
		body := decodeBody(x.respBody, header(x.respHeaders, "Content-Encoding"))
		c := har.Content{Size: len(body), MimeType: header(x.respHeaders, "Content-Type")}
		if utf8.Valid(body) {
			c.Text = string(body)
		} else {
			c.Text, c.Encoding = base64.StdEncoding.EncodeToString(body), "base64"
		}
		reason := x.reason
		if reason == "" {
			reason = reasonPhrase(x.status)
		}
		e.Response = har.Response{Status: x.status, StatusText: reason, HTTPVersion: "HTTP/1.1", Headers: harHeaders(x.respHeaders),
			Cookies: []har.Header{}, Content: c, HeadersSize: -1, BodySize: len(x.respBody)}
		entries = append(entries, e)
	}
	doc := map[string]any{"log": map[string]any{
		"version": "1.2",
		"creator": map[string]string{"name": "why401 bench/ownwords (converted recording)", "version": "1"},
		"entries": entries,
	}}
	return json.MarshalIndent(doc, "", " ")
}

// decodeBody gunzips a body recorded compressed (cassettes keep the bytes
// as sent when the client asked for gzip).
func decodeBody(b []byte, encoding string) []byte {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b
	}
	_ = encoding
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return b
	}
	out, err := io.ReadAll(io.LimitReader(r, 32<<20))
	if err != nil {
		return b
	}
	return out
}

// ---- generic tree helpers (JSON and YAML decode to the same shapes) ----

func mapOf(v any) map[string]any {
	switch m := v.(type) {
	case map[string]any:
		return m
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[fmt.Sprint(k)] = x
		}
		return out
	}
	return nil
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	switch s := v.(type) {
	case nil:
		return ""
	case string:
		return s
	case []byte:
		return string(s)
	case int:
		return strconv.Itoa(s)
	case float64:
		return strconv.FormatFloat(s, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func num(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case float64:
		return int(n)
	case string:
		i, _ := strconv.Atoi(strings.Fields(n + " 0")[0])
		return i
	}
	return 0
}

// headersOf reads a header map ({name: value} or {name: [values]}) or a
// list of [name, value] pairs; a map's names are sorted (cassettes do not
// keep the order).
func headersOf(v any) [][2]string {
	var out [][2]string
	if l := listOf(v); l != nil {
		for _, p := range l {
			if kv := listOf(p); len(kv) == 2 {
				out = append(out, [2]string{str(kv[0]), str(kv[1])})
			}
		}
		return out
	}
	m := mapOf(v)
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if l := listOf(m[k]); l != nil {
			for _, x := range l {
				out = append(out, [2]string{k, str(x)})
			}
			continue
		}
		out = append(out, [2]string{k, str(m[k])})
	}
	return out
}

// bodyOf reads a recorded body: a string, {string: …} or {base64_string: …}
// (VCR, Betamax, vcrpy), binary YAML.
func bodyOf(v any) []byte {
	switch b := v.(type) {
	case nil:
		return nil
	case string:
		return []byte(b)
	case []byte:
		return b
	}
	m := mapOf(v)
	if m == nil {
		return nil
	}
	if s := str(m["base64_string"]); s != "" {
		if d, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), "")); err == nil {
			return d
		}
	}
	return bodyOf(m["string"])
}

func decodeTree(data []byte) (any, error) {
	t := bytes.TrimSpace(data)
	var v any
	if len(t) > 0 && t[0] == '{' {
		if err := json.Unmarshal(t, &v); err != nil {
			return nil, err
		}
		return v, nil
	}
	// Ruby's YAML (VCR) tags base64 bodies "!binary"; YAML's own tag is
	// "!!binary".
	data = rubyBinary.ReplaceAll(data, []byte("$1!!binary"))
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return v, nil
}

var rubyBinary = regexp.MustCompile(`(:\s+)!binary\b`)

// cassette reads the cassettes of Ruby VCR and Betamax (JSON or YAML:
// http_interactions[] or interactions[] of {request: {method, uri, headers,
// body}, response: {status: {code, message}, headers, body}, recorded_at}),
// R's vcr (the same, status: {status_code, message|reason}),
// vcrpy (interactions[], the same; pydantic-ai's serializer writes a JSON
// body as parsed_body) and go-vcr (interactions[] of {request: {method,
// url, headers, body}, response: {code, status: "401 Unauthorized", headers,
// body}}).
func cassette(data []byte) ([]exchange, error) {
	v, err := decodeTree(data)
	if err != nil {
		return nil, err
	}
	top := mapOf(v)
	its := listOf(top["http_interactions"])
	if its == nil {
		its = listOf(top["interactions"])
	}
	var out []exchange
	for _, it := range its {
		m := mapOf(it)
		req, resp := mapOf(m["request"]), mapOf(m["response"])
		x := exchange{method: str(req["method"]), url: str(req["uri"]), reqHeaders: headersOf(req["headers"]), reqBody: bodyOf(req["body"]),
			respHeaders: headersOf(resp["headers"]), respBody: bodyOf(resp["body"]), started: rfc3339(str(m["recorded_at"])), hasRequest: true}
		if x.url == "" {
			x.url = str(req["url"])
		}
		if st := mapOf(resp["status"]); st != nil {
			x.status, x.reason = num(st["code"]), str(st["message"])
			if x.status == 0 { // R's vcr: status_code, and the reason as message
				x.status = num(st["status_code"])
				if r := str(st["reason"]); r != "" {
					x.reason = r
				}
			}
		} else {
			x.status, x.reason = num(resp["code"]), str(resp["status"])
			if x.status == 0 {
				x.status = num(x.reason)
			}
			if f := strings.Fields(x.reason); len(f) > 1 && num(f[0]) == x.status {
				x.reason = strings.Join(f[1:], " ")
			}
		}
		if pb, ok := resp["parsed_body"]; ok && x.respBody == nil {
			x.respBody, _ = json.Marshal(jsonable(pb))
		}
		if pb, ok := req["parsed_body"]; ok && x.reqBody == nil {
			x.reqBody, _ = json.Marshal(jsonable(pb))
		}
		if x.started == "" {
			x.started = httpDate(header(x.respHeaders, "Date"))
		}
		out = append(out, x)
	}
	return out, nil
}

// jsonable turns YAML's map[any]any into something encoding/json writes.
func jsonable(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = jsonable(x)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[fmt.Sprint(k)] = jsonable(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = jsonable(x)
		}
		return out
	}
	return v
}

// rfc3339 turns "2021-10-19T18:17:52" or "Tue, 19 Oct 2021 …" as cassettes
// write them into what HAR wants; "" when it cannot.
func rfc3339(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 19 && s[4] == '-' && s[10] == 'T' {
		t := s[:19]
		return t + ".000Z"
	}
	return ""
}

// ---- PyGithub's replay data ----

// pyGithubReplay reads tests/ReplayData/*.txt: per exchange, ten lines
// (protocol, verb, host, port, path, request headers as a Python dict,
// request body, status, response headers as a list of tuples, body) and a
// blank line.
func pyGithubReplay(data []byte) ([]exchange, error) {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var out []exchange
	for i := 0; i+9 < len(lines); {
		if strings.TrimSpace(lines[i]) == "" {
			i++
			continue
		}
		l := lines[i : i+10]
		host := l[2]
		if p := strings.TrimSpace(l[3]); p != "None" && p != "" {
			host += ":" + p
		}
		x := exchange{method: l[1], url: l[0] + "://" + host + l[4], hasRequest: true}
		if h, err := parsePy(l[5]); err == nil {
			x.reqHeaders = headersOf(h)
		}
		if b := l[6]; b != "None" {
			x.reqBody = []byte(b)
		}
		x.status, _ = strconv.Atoi(strings.TrimSpace(l[7]))
		if h, err := parsePy(l[8]); err == nil {
			x.respHeaders = headersOf(h)
		}
		x.respBody = []byte(l[9])
		if d := header(x.respHeaders, "date"); d != "" {
			x.started = httpDate(d)
		}
		out = append(out, x)
		i += 10
	}
	return out, nil
}

// parsePy parses a Python literal (dict, list, tuple, str, None, numbers)
// as repr() writes it.
func parsePy(s string) (any, error) {
	p := &pyParser{s: s}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	return v, nil
}

type pyParser struct {
	s string
	i int
}

func (p *pyParser) ws() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *pyParser) value() (any, error) {
	p.ws()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("python literal: end of input")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		m := map[string]any{}
		for {
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return m, nil
			}
			k, err := p.value()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, fmt.Errorf("python literal: ':' expected at %d", p.i)
			}
			p.i++
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			m[str(k)] = v
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
			}
		}
	case c == '[' || c == '(':
		end := byte(']')
		if c == '(' {
			end = ')'
		}
		p.i++
		var l []any
		for {
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == end {
				p.i++
				if l == nil {
					l = []any{}
				}
				return l, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			l = append(l, v)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
			}
		}
	case c == '\'' || c == '"':
		return p.str(c)
	case c == 'b' && p.i+1 < len(p.s) && (p.s[p.i+1] == '\'' || p.s[p.i+1] == '"'):
		p.i++
		return p.str(p.s[p.i])
	default:
		j := p.i
		for j < len(p.s) && !strings.ContainsRune(",:)]} ", rune(p.s[j])) {
			j++
		}
		w := p.s[p.i:j]
		p.i = j
		switch w {
		case "None":
			return nil, nil
		case "True":
			return true, nil
		case "False":
			return false, nil
		}
		if n, err := strconv.Atoi(w); err == nil {
			return n, nil
		}
		return w, nil
	}
}

func (p *pyParser) str(q byte) (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			switch e := p.s[p.i]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'x':
				if p.i+2 < len(p.s) {
					if n, err := strconv.ParseUint(p.s[p.i+1:p.i+3], 16, 8); err == nil {
						b.WriteByte(byte(n))
						p.i += 2
					}
				}
			default:
				b.WriteByte(e)
			}
			p.i++
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", fmt.Errorf("python literal: unterminated string")
}

// ---- okta-auth-js XHR mocks ----

// oktaXHR reads test/support/xhr/*.js: module.exports = {status, headers,
// responseType, response}. A "json" responseType is a JSON body.
func oktaXHR(data []byte) ([]byte, string, error) {
	s := string(data)
	i := strings.Index(s, "module.exports")
	if i < 0 {
		return nil, "", fmt.Errorf("okta: no module.exports")
	}
	s = s[i+len("module.exports"):]
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "="))
	s = strings.TrimSuffix(strings.TrimSpace(s), ";")
	var mock struct {
		Status       int               `json:"status"`
		ResponseType string            `json:"responseType"`
		Headers      map[string]string `json:"headers"`
		Response     json.RawMessage   `json:"response"`
	}
	if err := json.Unmarshal([]byte(s), &mock); err != nil {
		return nil, "", fmt.Errorf("okta: %w", err)
	}
	var hs [][2]string
	if mock.ResponseType == "json" {
		hs = append(hs, [2]string{"Content-Type", "application/json"})
	}
	names := make([]string, 0, len(mock.Headers))
	for k := range mock.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		hs = append(hs, [2]string{k, mock.Headers[k]})
	}
	return rawResponse(mock.Status, hs, mock.Response), ".http", nil
}

// httpDate turns an HTTP date into RFC 3339, "" when it cannot.
func httpDate(s string) string {
	t, err := http.ParseTime(s)
	if err != nil {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// httpBlocks returns the fenced code blocks of a Markdown document that hold
// a raw HTTP response (their first line starts with "HTTP/", or "< HTTP/" as
// curl -v prints it), indentation removed: the examples API references and
// wikis print.
func httpBlocks(data []byte) []string {
	var out []string
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(t, "```") {
			continue
		}
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]
		var block []string
		j := i + 1
		for ; j < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[j]), "```"); j++ {
			block = append(block, strings.TrimPrefix(lines[j], indent))
		}
		i = j
		text := strings.TrimSpace(strings.Join(block, "\n"))
		if strings.HasPrefix(text, "< HTTP/") {
			// curl -v's incoming lines: "< " before each header line, the
			// body after them unmarked.
			var resp []string
			head := true
			for _, l := range block {
				if head && !strings.HasPrefix(l, "<") {
					head = false
					if len(resp) > 0 && resp[len(resp)-1] != "" {
						resp = append(resp, "")
					}
				}
				if head {
					l = strings.TrimPrefix(strings.TrimPrefix(l, "<"), " ")
				}
				resp = append(resp, l)
			}
			text = strings.TrimSpace(strings.Join(resp, "\n"))
		}
		if strings.HasPrefix(text, "HTTP/") {
			out = append(out, text+"\n")
		}
	}
	return out
}

// curlVerbose returns the exchanges curl -v printed in a text: each "< HTTP/"
// line starts a response whose head is the "< " lines after it and whose body
// is the unmarked lines that follow (curl's "* " notes skipped), up to the
// next "> " or "< " line, a fence or a new command; the request is the run of "> " lines before it, when
// there is one. The result is a raw request (if any) and response.
func curlVerbose(data []byte) []string {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var out []string
	var req []string
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		switch {
		case strings.HasPrefix(t, "> ") || t == ">":
			if i == 0 || !strings.HasPrefix(strings.TrimSpace(lines[i-1]), ">") {
				req = nil
			}
			if l := strings.TrimSpace(strings.TrimPrefix(t, ">")); l != "" {
				req = append(req, l)
			}
			continue
		case !strings.HasPrefix(t, "< HTTP/"):
			continue
		}
		// The head: "< " lines up to a bare "<" (curl's end of head);
		// the body: what follows, up to curl's next own line. HTML and
		// XML bodies start with "<" too, never with "< ".
		var head []string
		j := i
		for ; j < len(lines); j++ {
			u := strings.TrimSpace(lines[j])
			if u == "<" {
				j++
				break
			}
			if !strings.HasPrefix(u, "< ") {
				break
			}
			head = append(head, strings.TrimSpace(u[2:]))
		}
		var body []string
		for ; j < len(lines); j++ {
			u := strings.TrimSpace(lines[j])
			if strings.HasPrefix(u, "* ") {
				continue // curl's own notes ("Connection #0 … left intact") may come before the body
			}
			if strings.HasPrefix(u, "> ") || strings.HasPrefix(u, "< ") || u == "<" || u == ">" || strings.HasPrefix(u, "```") || strings.HasPrefix(u, "curl ") || strings.HasPrefix(u, "$ ") {
				break
			}
			body = append(body, lines[j])
		}
		i = j - 1
		var b strings.Builder
		if len(req) > 0 {
			b.WriteString(strings.Join(req, "\r\n") + "\r\n\r\n")
		}
		b.WriteString(strings.Join(head, "\r\n") + "\r\n\r\n")
		b.WriteString(strings.TrimSpace(strings.Join(body, "\n")))
		out = append(out, b.String())
		req = nil
	}
	return out
}

// httpBlocksInside is httpBlocks for blocks that print a command first: each
// fenced block's text from its first line that starts with "HTTP/" (the
// block's indentation removed) to the block's end.
func httpBlocksInside(data []byte) []string {
	var out []string
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(strings.TrimSpace(lines[i]), "```") {
			continue
		}
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]
		start := -1
		j := i + 1
		for ; j < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[j]), "```"); j++ {
			if start < 0 && strings.HasPrefix(strings.TrimPrefix(lines[j], indent), "HTTP/") {
				start = j
			}
		}
		if start >= 0 {
			var block []string
			for _, l := range lines[start:j] {
				block = append(block, strings.TrimPrefix(l, indent))
			}
			out = append(out, strings.TrimSpace(strings.Join(block, "\n"))+"\n")
		}
		i = j
	}
	return out
}

// statusLine matches an HTTP/1.x or HTTP/2 status line.
var statusLine = regexp.MustCompile(`^HTTP/[0-9.]+ [0-9]{3}`)

// lastHead: the last response head of a redirect chain (see convert).
func lastHead(data []byte) ([]byte, string, error) {
	lines := strings.Split(strings.ReplaceAll(string(bytes.ReplaceAll(data, []byte{0}, nil)), "\r\n", "\n"), "\n")
	start := -1
	for i, l := range lines {
		if statusLine.MatchString(l) {
			start = i
		}
	}
	if start < 0 {
		return nil, "", fmt.Errorf("lasthead: no status line")
	}
	var b bytes.Buffer
	for _, l := range lines[start:] {
		if strings.TrimSpace(l) == "" {
			break
		}
		b.WriteString(strings.TrimRight(l, " ") + "\r\n")
	}
	b.WriteString("\r\n")
	return b.Bytes(), ".http", nil
}

// fieldsHead: a "Status Code:"/"Headers:" dump (see convert).
func fieldsHead(data []byte) ([]byte, string, error) {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	st, inHeaders := 0, false
	var hs [][2]string
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, "Status Code: "); ok && st == 0 {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return nil, "", fmt.Errorf("fields: status %q", v)
			}
			st = n
			continue
		}
		if strings.TrimSpace(l) == "Headers:" {
			inHeaders = true
			continue
		}
		if inHeaders {
			if strings.TrimSpace(l) == "" {
				break
			}
			if k, v, ok := strings.Cut(l, ":"); ok {
				hs = append(hs, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
			}
		}
	}
	if st == 0 {
		return nil, "", fmt.Errorf("fields: no Status Code line")
	}
	return rawResponse(st, hs, nil), ".http", nil
}
