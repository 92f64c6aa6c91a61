package httpcheck

import (
	"context"
	"encoding/base64"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"why401/analyzer"
)

// DefaultBodyLimit is how much of a response body AnalyzeResponse reads (and
// puts back): the analyzer's own per-body limit, 256 KiB.
const DefaultBodyLimit = 256 << 10

// maxHops bounds the redirect chain read from resp.Request.Response (the
// http.Client stops at 10).
const maxHops = 20

// DefaultMaxWait is the longest Result.RetryAfter: a server that asks for
// more (Retry-After: 4294967295 is 136 years) is waited on this long, then
// asked again. Transport.MaxWait changes it.
const DefaultMaxWait = time.Hour

// Result is the analysis of one response.
type Result struct {
	// Action is what to do next: the report's own (Exchange.Action, see ActionFor).
	Action Action
	// Verdict and Cause are the analyzer's (Exchange.Verdict and Exchange.Cause).
	Verdict Verdict
	Cause   Cause
	// RetryAfter is how long the server asked to wait, from Retry-After or a
	// rate-limit reset header (the report's wait_seconds, or its wait_until
	// measured from now when the response had no Date), at most MaxWait;
	// set for SlowDown only, 0 when the server did not say.
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
// DefaultBodyLimit bytes of resp.Body, waiting at most DefaultBodyWait for
// them, and replaces resp.Body with a reader that yields those bytes and
// then the rest, so the caller reads the whole body as before and still
// closes it. A stream (Streaming: an event stream, NDJSON, gRPC, audio,
// video) is analysed from its headers and its body left unread. Request
// bodies are not read.
func AnalyzeResponse(resp *http.Response) (*Result, error) {
	return analyzeResponse(resp, settings{}, time.Now())
}

// settings are a Transport's bounds; the zero value means the defaults.
type settings struct {
	limit    int
	maxWait  time.Duration
	bodyWait time.Duration
}

func analyzeResponse(resp *http.Response, s settings, now time.Time) (*Result, error) {
	if resp == nil {
		return nil, ErrNoResponse
	}
	if s.limit <= 0 {
		s.limit = DefaultBodyLimit
	}
	if s.maxWait <= 0 {
		s.maxWait = DefaultMaxWait
	}
	if s.bodyWait == 0 {
		s.bodyWait = DefaultBodyWait
	}
	var body []byte
	var cut bool
	if Streaming(resp) {
		cut = resp.Body != nil && resp.Body != http.NoBody
	} else {
		var ctx context.Context
		if resp.Request != nil {
			ctx = resp.Request.Context()
		}
		body, cut = peekBody(ctx, resp, s.limit, s.bodyWait)
	}
	// The chain, last hop first: resp, the redirect that led to its request, …
	hops := []*http.Response{resp}
	for r := resp; len(hops) < maxHops && r.Request != nil && r.Request.Response != nil; {
		r = r.Request.Response
		hops = append(hops, r)
	}
	slices.Reverse(hops)
	exs := make([]analyzer.Exchange, 0, len(hops))
	for _, r := range hops {
		var b []byte
		if r == resp {
			b = body
		}
		exs = append(exs, exchange(r, b, now))
	}
	exs[len(exs)-1].Response.BodyTruncated = cut
	rep, err := analyzer.AnalyzeExchanges(exs, analyzer.Options{Name: "live response", Limits: analyzer.Limits{BodyBytes: s.limit}})
	if err != nil {
		return nil, err
	}
	if len(rep.Exchanges) == 0 {
		return nil, analyzer.ErrNoResponse
	}
	ex := rep.Exchanges[len(rep.Exchanges)-1]
	res := &Result{Verdict: ex.Verdict, Cause: ex.Cause, Action: ex.Action, Exchange: ex, Report: rep}
	if res.Action == SlowDown {
		res.RetryAfter = min(wait(ex, now), s.maxWait)
	}
	return res, nil
}

// wait is the report's wait as a duration: wait_seconds, else wait_until
// measured from now (the response had no Date to measure it from).
func wait(ex analyzer.ExchangeReport, now time.Time) time.Duration {
	if ex.WaitSeconds > 0 {
		return time.Duration(min(ex.WaitSeconds, 1e9) * float64(time.Second))
	}
	if t, err := time.Parse(time.RFC3339, ex.WaitUntil); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
}

// exchange is one hop: the request as the client sent it, and its response
// with body (nil for the redirects before it: the client has closed them).
func exchange(resp *http.Response, body []byte, started time.Time) analyzer.Exchange {
	x := analyzer.Exchange{Time: started}
	if req := resp.Request; req != nil {
		r := &analyzer.Request{Method: req.Method, Proto: proto(req.Proto), Header: requestHeaders(req)}
		if r.Method == "" {
			r.Method = http.MethodGet
		}
		if req.URL != nil {
			u := *req.URL
			if u.Host == "" {
				u.Host = req.Host
			}
			r.URL = u.String()
		}
		x.Request = r
	}
	x.Response = analyzer.Response{Status: resp.StatusCode, Reason: strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode))), Proto: proto(resp.Proto), Header: headers(resp.Header), Body: body}
	return x
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
func requestHeaders(req *http.Request) []analyzer.Header {
	out := []analyzer.Header{}
	host := req.Host
	if host == "" && req.URL != nil {
		host = req.URL.Host
	}
	if host != "" {
		out = append(out, analyzer.Header{Name: "Host", Value: host})
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
func headers(h http.Header) []analyzer.Header {
	out := []analyzer.Header{}
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			if k == "User-Agent" && v == "" {
				continue
			}
			out = append(out, analyzer.Header{Name: k, Value: v})
		}
	}
	return out
}
