package analyzer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer/internal/capture"
)

// TestAnalyzeExchangesMatchesCaptures: every golden capture's exchanges,
// handed over as structured data, get the verdict, cause, vendor, scheme
// and action their capture gets.
func TestAnalyzeExchangesMatchesCaptures(t *testing.T) {
	n := 0
	for dir, names := range caseFiles(t) {
		for _, name := range names {
			path := dir + "/" + name
			if name == "sanitized-chrome.har" || name == "challenge-then-xhr.har" || strings.HasSuffix(dir, "devtools-fetch") {
				// A browser's sanitized export (its producer decides), an
				// XHR told apart by the HAR's _resourceType, and DevTools'
				// "Copy as fetch" (which leaves out the cookies the browser
				// sent: the format decides): none is what a live client holds.
				continue
			}
			data := mustRead(path)
			want, err := Analyze(data)
			if err != nil || len(want.Exchanges) == 0 {
				continue
			}
			var xs []Exchange
			_, err = analyzeReader(bytes.NewReader(data), Options{keep: func(ex *capture.Exchange, _ ExchangeReport) {
				xs = append(xs, fromCapture(ex))
			}}, &capture.Warnings{})
			require.NoError(t, err)
			got, err := AnalyzeExchanges(xs, Options{})
			require.NoError(t, err, path)
			require.Len(t, got.Exchanges, len(want.Exchanges), path)
			for i, w := range want.Exchanges {
				g := got.Exchanges[i]
				assert.Equal(t, []any{w.Verdict, w.Cause, w.Vendor, w.Scheme, w.Action, w.WaitSeconds}, []any{g.Verdict, g.Cause, g.Vendor, g.Scheme, g.Action, g.WaitSeconds}, "%s #%d: %s", path, i, g.Summary)
			}
			n++
		}
	}
	assert.Greater(t, n, 400)
}

// fromCapture is the structured form of a read exchange (what a live
// client would have held).
func fromCapture(ex *capture.Exchange) Exchange {
	hs := func(fs []capture.Field) []Header {
		out := make([]Header, len(fs))
		for i, f := range fs {
			out[i] = Header{f.Name, f.Value}
		}
		return out
	}
	x := Exchange{Time: ex.Started, Response: Response{Status: ex.Response.Status, Reason: ex.Response.Reason, Proto: ex.Response.Proto, Header: hs(ex.Response.Fields),
		Body: bytes.Clone(ex.Response.Body), BodyTruncated: ex.Response.BodyTruncated}}
	if r := ex.Request; r != nil {
		x.Request = &Request{Method: r.Method, URL: r.URL, Proto: r.Proto, Header: hs(r.Fields), Body: bytes.Clone(r.Body)}
	}
	return x
}

// TestAnalyzeExchangesBounds: structured input is bounded as a HAR entry is.
func TestAnalyzeExchangesBounds(t *testing.T) {
	var hs []Header
	for i := 0; i < 2000; i++ {
		hs = append(hs, Header{"X-Filler", strings.Repeat("v", 100)})
	}
	hs = append(hs, Header{"X-Huge", strings.Repeat("h", 1<<20)})
	body := append([]byte(strings.Repeat("<p>filler</p>", 100_000)), "<title>Just a moment...</title>"...)
	rep, err := AnalyzeExchanges([]Exchange{{
		Request:  &Request{Method: "GET", URL: "https://shop.example/"},
		Response: Response{Status: 403, Header: append([]Header{{"Server", "cloudflare"}, {"cf-mitigated", "challenge"}}, hs...), Body: body},
	}}, Options{})
	require.NoError(t, err)
	require.Len(t, rep.Exchanges, 1)
	assert.Equal(t, KindBot, rep.Exchanges[0].Verdict)
	w := strings.Join(rep.Warnings, "\n")
	assert.Contains(t, w, "limit HeaderFields")
	assert.Contains(t, w, "limit BodyBytes")
	assert.Equal(t, "exchange", rep.Input.Format)
	assert.Nil(t, rep.Summary, "one exchange: no summary")

	_, err = AnalyzeExchanges(nil, Options{})
	assert.ErrorIs(t, err, ErrEmpty)

	// No request, a 429 with Retry-After: the wait is the report's.
	rep, err = AnalyzeExchanges([]Exchange{{Response: Response{Status: 429, Header: []Header{{"Retry-After", "30"}, {"Date", "Mon, 07 Dec 2026 10:00:00 GMT"}}}}}, Options{})
	require.NoError(t, err)
	e := rep.Exchanges[0]
	assert.Equal(t, []any{KindRateLimit, ActionSlowDown, 30.0, "2026-12-07T10:00:30Z"}, []any{e.Verdict, e.Action, e.WaitSeconds, e.WaitUntil})
}
