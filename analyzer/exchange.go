package analyzer

import (
	"strconv"
	"time"

	"why401/analyzer/internal/capture"
)

// Header is one header field as sent or received. A message's fields are
// kept in order, duplicates included (several Set-Cookie or
// WWW-Authenticate fields are normal).
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Request is an HTTP request as the client sent it.
type Request struct {
	Method string
	// URL is the absolute URL requested (scheme and host included).
	URL string
	// Proto is the protocol ("HTTP/1.1", "HTTP/2"); "" when unknown.
	Proto  string
	Header []Header
	// Body is the request body, or its start; nil when not known.
	Body []byte
}

// Response is an HTTP response as the client received it.
type Response struct {
	// Status is the status code; 0 means no response arrived.
	Status int
	// Reason is the reason phrase as the server sent it ("Forbidden"; a
	// WAF may write its own), "" when unknown.
	Reason string
	Proto  string
	Header []Header
	// Body is the body, or its start (at most Limits.BodyBytes is read; a
	// long refusal keeps its start and its end). A body still
	// Content-Encoded with gzip or deflate is decoded.
	Body []byte
	// BodyTruncated tells that Body is only the start of the body the
	// server sent (the caller read no further).
	BodyTruncated bool
}

// Exchange is one request and the response to it, as a live client holds
// them: the structured input of AnalyzeExchanges.
type Exchange struct {
	// Request is nil when the request is not known.
	Request  *Request
	Response Response
	// Time is when the request started; zero when unknown.
	Time time.Time
}

// AnalyzeExchanges analyses exchanges a live client made, in the order it
// made them — a redirect chain first hop first, or the requests of one
// session — with no capture format in between: the Go library
// (why401/httpcheck), the npm package and the CLI's JSON-lines mode hand
// their responses over this way. Every exchange is bounded by opt.Limits as
// a HAR entry is (header fields, header bytes, body bytes); the report's
// input format is "exchange", and several exchanges get a summary as a HAR
// does. An error means there was nothing to analyse.
func AnalyzeExchanges(exs []Exchange, opt Options) (Report, error) {
	if len(exs) == 0 {
		return Report{SchemaVersion: SchemaVersion, Input: InputInfo{Name: opt.Name, Format: "exchange"}, Exchanges: []ExchangeReport{}, Warnings: []string{}}, ErrEmpty
	}
	lim := opt.Limits.withDefaults()
	w := &capture.Warnings{}
	out := newOutput(opt, lim, w)
	st := newCaptureState()
	n := min(len(exs), lim.Entries)
	if n < len(exs) {
		w.Add("entries", "the input has more than "+strconv.Itoa(lim.Entries)+" exchanges; only the first "+strconv.Itoa(lim.Entries)+" were analysed (limit Entries)")
	}
	for i := 0; i < n; i++ {
		ex := toCapture(&exs[i], i, lim, w)
		out.emit(&ex, analyzeExchange(&ex, lim, w, st))
	}
	rep := out.report(InputInfo{Name: opt.Name, Format: "exchange", Entries: n})
	if n > 1 {
		st.sum.Finish(&rep, st.story, w)
	}
	rep.Warnings = w.List()
	return rep, knowledgeErr()
}

// toCapture copies a structured exchange into the analyzer's own form,
// bounded by lim.
func toCapture(x *Exchange, i int, lim capture.Limits, w *capture.Warnings) capture.Exchange {
	ex := capture.Exchange{Index: i, Started: x.Time}
	if r := x.Request; r != nil {
		m := &capture.Message{Method: r.Method, URL: r.URL, Proto: r.Proto, Fields: fields(r.Header), Body: clipBytes(r.Body, lim.BodyBytes)}
		capture.Bound(m, lim, w)
		if m.Method == "" {
			m.Method = "GET"
		}
		ex.Request = m
	}
	m := capture.Message{Status: x.Response.Status, Reason: capture.Clip(x.Response.Reason, 200), Proto: x.Response.Proto, Fields: fields(x.Response.Header), Body: x.Response.Body, BodyTruncated: x.Response.BodyTruncated}
	capture.Bound(&m, lim, w)
	ex.Response = m
	return ex
}

func fields(h []Header) []capture.Field {
	out := make([]capture.Field, len(h))
	for i, f := range h {
		out[i] = capture.Field{Name: f.Name, Value: f.Value}
	}
	return out
}

func clipBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
