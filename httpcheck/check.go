package httpcheck

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"why401/analyzer"
)

// DefaultBodyLimit is how much of a response body AnalyzeResponse reads (and
// puts back): the analyzer's own per-body limit, 256 KiB.
const DefaultBodyLimit = 256 << 10

// maxHops bounds the redirect chain read from resp.Request.Response (the
// http.Client stops at 10).
const maxHops = 20

// Result is the analysis of one response.
type Result struct {
	// Action is what to do next (see ActionFor).
	Action Action
	// Verdict and Cause are the analyzer's (Exchange.Verdict and Exchange.Cause).
	Verdict Verdict
	Cause   Cause
	// RetryAfter is how long the server asked to wait, from Retry-After or a
	// rate-limit reset header (RateLimit-Reset, X-RateLimit-Reset, …); set
	// for SlowDown only, 0 when the server did not say.
	RetryAfter time.Duration
	// Exchange is the report on this response, the last exchange of Report.
	Exchange analyzer.ExchangeReport
	// Report is the whole report: one exchange per hop of the redirect chain
	// (the first request first), with its summary.
	Report analyzer.Report
}

// String is one line: the action, the verdict and the report's summary.
func (r *Result) String() string {
	return string(r.Action) + ": " + r.Exchange.Summary
}

// ErrNoResponse is returned by AnalyzeResponse for a nil response.
var ErrNoResponse = errors.New("httpcheck: nil response")

// AnalyzeResponse analyses resp and the requests behind it (resp.Request and
// the redirect chain, resp.Request.Response). It reads at most
// DefaultBodyLimit bytes of resp.Body and replaces resp.Body with a reader
// that yields those bytes and then the rest, so the caller reads the whole
// body as before and still closes it. Request bodies are not read.
func AnalyzeResponse(resp *http.Response) (*Result, error) {
	return analyzeResponse(resp, DefaultBodyLimit, time.Now())
}

func analyzeResponse(resp *http.Response, limit int, now time.Time) (*Result, error) {
	if resp == nil {
		return nil, ErrNoResponse
	}
	if limit <= 0 {
		limit = DefaultBodyLimit
	}
	body := peekBody(resp, limit)
	// The chain, last hop first: resp, the redirect that led to its request, …
	hops := []*http.Response{resp}
	for r := resp; len(hops) < maxHops && r.Request != nil && r.Request.Response != nil; {
		r = r.Request.Response
		hops = append(hops, r)
	}
	slices.Reverse(hops)
	h := har{Log: harLog{Version: "1.2", Creator: harCreator{Name: "why401 httpcheck", Version: "1"}}}
	started := now.UTC().Format(time.RFC3339Nano)
	for _, r := range hops {
		var b []byte
		if r == resp {
			b = body
		}
		h.Log.Entries = append(h.Log.Entries, entry(r, b, started))
	}
	input, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	rep, err := analyzer.AnalyzeWith(input, analyzer.Options{Name: "live response"})
	if err != nil {
		return nil, err
	}
	if len(rep.Exchanges) == 0 {
		return nil, analyzer.ErrNoResponse
	}
	ex := rep.Exchanges[len(rep.Exchanges)-1]
	res := &Result{Verdict: ex.Verdict, Cause: Cause(ex.Cause), Exchange: ex, Report: rep}
	res.Action = ActionFor(res.Verdict, res.Cause)
	if res.Action == SlowDown {
		res.RetryAfter = retryAfter(resp.Header, now)
	}
	return res, nil
}

// peekBody reads up to limit bytes of resp.Body and puts them back in front
// of the rest. A read error other than EOF is kept for the caller: the new
// body yields the bytes read, then that error.
func peekBody(resp *http.Response, limit int) []byte {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	buf := make([]byte, 0, min(limit, 32<<10))
	var rerr error
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, min(limit, 2*cap(buf))-len(buf))
		}
		n, err := resp.Body.Read(buf[len(buf):min(cap(buf), limit)])
		buf = buf[:len(buf)+n]
		if err != nil {
			rerr = err
			break
		}
	}
	var rest io.Reader = resp.Body
	switch {
	case rerr == io.EOF:
		rest = eofReader{}
	case rerr != nil:
		rest = errReader{rerr}
	}
	resp.Body = &replayBody{Reader: io.MultiReader(bytes.NewReader(buf), rest), c: resp.Body}
	return buf
}

type replayBody struct {
	io.Reader
	c io.Closer
}

func (b *replayBody) Close() error { return b.c.Close() }

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// The HAR 1.2 subset the analyzer reads: one entry per hop.
type har struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string     `json:"version"`
	Creator harCreator `json:"creator"`
	Entries []harEntry `json:"entries"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harEntry struct {
	Started  string      `json:"startedDateTime"`
	Request  harRequest  `json:"request"`
	Response harResponse `json:"response"`
}

type harRequest struct {
	Method      string      `json:"method"`
	URL         string      `json:"url"`
	HTTPVersion string      `json:"httpVersion"`
	Headers     []harHeader `json:"headers"`
}

type harResponse struct {
	Status      int         `json:"status"`
	StatusText  string      `json:"statusText"`
	HTTPVersion string      `json:"httpVersion"`
	Headers     []harHeader `json:"headers"`
	Content     harContent  `json:"content"`
	RedirectURL string      `json:"redirectURL"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
}

type harHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// entry is one hop: the request as the client sent it, and its response
// with body (nil for the redirects before it: the client has closed them).
func entry(resp *http.Response, body []byte, started string) harEntry {
	e := harEntry{Started: started}
	if req := resp.Request; req != nil {
		e.Request = harRequest{Method: req.Method, HTTPVersion: proto(req.Proto), Headers: requestHeaders(req)}
		if e.Request.Method == "" {
			e.Request.Method = http.MethodGet
		}
		if req.URL != nil {
			u := *req.URL
			if u.Host == "" {
				u.Host = req.Host
			}
			e.Request.URL = u.String()
		}
	}
	e.Response = harResponse{
		Status:      resp.StatusCode,
		StatusText:  strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode))),
		HTTPVersion: proto(resp.Proto),
		Headers:     headers(resp.Header),
		RedirectURL: resp.Header.Get("Location"),
		Content:     harContent{Size: len(body), MimeType: resp.Header.Get("Content-Type")},
	}
	if utf8.Valid(body) {
		e.Response.Content.Text = string(body)
	} else {
		e.Response.Content.Text, e.Response.Content.Encoding = base64.StdEncoding.EncodeToString(body), "base64"
	}
	return e
}

func proto(p string) string {
	if p == "" {
		return "HTTP/1.1"
	}
	return p
}

// requestHeaders are the header fields as sent: the request's own, plus the
// Host and User-Agent the transport adds, and the Basic Authorization a URL's
// userinfo turns into (as http.Client does).
func requestHeaders(req *http.Request) []harHeader {
	out := []harHeader{}
	host := req.Host
	if host == "" && req.URL != nil {
		host = req.URL.Host
	}
	if host != "" {
		out = append(out, harHeader{"Host", host})
	}
	h := req.Header
	if _, ok := h["User-Agent"]; !ok {
		h = h.Clone()
		if h == nil {
			h = http.Header{}
		}
		h.Set("User-Agent", "Go-http-client/1.1")
	}
	if req.URL != nil && req.URL.User != nil && h.Get("Authorization") == "" {
		h = h.Clone()
		p, _ := req.URL.User.Password()
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(req.URL.User.Username()+":"+p)))
	}
	return append(out, headers(h)...)
}

// headers lists h's fields, names sorted, values in order; an empty
// User-Agent (the transport sends none) is left out.
func headers(h http.Header) []harHeader {
	out := []harHeader{}
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			if k == "User-Agent" && v == "" {
				continue
			}
			out = append(out, harHeader{k, v})
		}
	}
	return out
}
