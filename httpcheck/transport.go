package httpcheck

import (
	"context"
	"net/http"
	"time"
)

// Transport is an http.RoundTripper that analyses each failing response of
// the one it wraps. The response is returned unchanged but for its body,
// which reads the same (see AnalyzeResponse), and its request, whose context
// carries the Result (FromContext). Errors of the analysis never fail the
// round trip: the response is returned without a Result. RoundTrip returns
// once the start of an analysed response's body (BodyLimit bytes) or its end
// has arrived, or BodyWait after its headers, whichever comes first: a
// body that trickles, a long poll, an event stream never hold the headers
// back longer than that. A stream (Streaming: text/event-stream, NDJSON,
// gRPC, audio, video…) is analysed from its headers alone and returned at
// once, its body unread.
//
// The http.Client follows redirects above the transport, so each hop is one
// RoundTrip; a failing hop's analysis sees the hops before it through
// req.Response.
//
// A 407 from a proxy reached through CONNECT (https:// targets) is an error
// of http.Transport, not a response, so it is not seen here; a proxy's 407
// for an http:// target, and a proxy provider's refusal inside a response,
// are (FixProxy).
type Transport struct {
	// Base is the RoundTripper that sends requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Filter selects the responses to analyse; nil means status ≥ 400 or 202
	// (AWS WAF's challenge). Return true for every response to also catch
	// challenge pages served with 200, at the cost of reading their body's start.
	Filter func(*http.Response) bool
	// OnResult, when set, is called with each analysed response and its
	// Result before RoundTrip returns.
	OnResult func(*http.Response, *Result)
	// BodyLimit is how much of a body is read; 0 means DefaultBodyLimit.
	BodyLimit int
	// BodyWait is how long RoundTrip waits for BodyLimit bytes of a body or
	// its end before it analyses what has arrived and returns the response;
	// 0 means DefaultBodyWait, a negative value reads no body (the headers
	// are analysed alone). The bytes read are put back either way.
	BodyWait time.Duration
	// MaxWait bounds Result.RetryAfter; 0 means DefaultMaxWait.
	MaxWait time.Duration
}

type ctxKey struct{}

// FromContext returns the Result a Transport put on a response's request
// context: FromContext(resp.Request.Context()).
func FromContext(ctx context.Context) (*Result, bool) {
	r, ok := ctx.Value(ctxKey{}).(*Result)
	return r, ok
}

// Failing is the default Filter: status ≥ 400, or 202.
func Failing(resp *http.Response) bool {
	return resp.StatusCode >= 400 || resp.StatusCode == http.StatusAccepted
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil || resp == nil {
		return resp, err
	}
	filter := t.Filter
	if filter == nil {
		filter = Failing
	}
	if !filter(resp) {
		return resp, nil
	}
	if resp.Request == nil {
		resp.Request = req
	}
	res, aerr := analyzeResponse(resp, settings{limit: t.BodyLimit, maxWait: t.MaxWait, bodyWait: t.BodyWait}, time.Now())
	if aerr != nil {
		return resp, nil
	}
	resp.Request = resp.Request.WithContext(context.WithValue(resp.Request.Context(), ctxKey{}, res))
	if t.OnResult != nil {
		t.OnResult(resp, res)
	}
	return resp, nil
}
