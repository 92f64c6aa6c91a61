package detect

import (
	"runtime"
	"strings"
	"testing"

	"why401/analyzer/internal/capture"
)

// loweredPages are pages that every detector reading a lowered body reads
// (the status words, the 418 check, the vendor snippets, the gate's title,
// headings and form, the sign-in page's title), each about 40 KiB, most of
// it a script (little visible text, so the gate and sign-in checks read
// the whole 48 KiB window), with text whose Unicode lower case has another
// length (the Kelvin sign, a dotted capital I, invalid bytes).
func loweredPages() map[string]*capture.Exchange {
	filler := "<script>var X = '" + strings.Repeat("AbC \u212A\u0130\xff ", 3000) + "';</script>"
	req := func(cookie string) *capture.Message {
		m := &capture.Message{Method: "GET", URL: "https://shop.example/account/orders"}
		if cookie != "" {
			m.Fields = []capture.Field{{Name: "Cookie", Value: cookie}}
		}
		return m
	}
	html := []capture.Field{{Name: "Content-Type", Value: "text/html; charset=utf-8"}}
	return map[string]*capture.Exchange{
		"sign-in 401": {Request: req("SESSIONID=abc123"), Response: capture.Message{Status: 401, Fields: html, Body: []byte(
			"<HTML><HEAD><TITLE>Sign In</TITLE></HEAD><BODY>" + filler +
				`<H1>Welcome back</H1><FORM ACTION="/login"><INPUT TYPE="password" NAME="pw"></FORM></BODY></HTML>`)}},
		"gate 200": {Request: req(""), Response: capture.Message{Status: 200, Fields: html, Body: []byte(
			"<html><title>Human Verification</title>" + filler + `<form action="/check?x"><input id="captcha"></form></html>`)}},
		"sign-in 200": {Request: req("sessionid=abc123"), Response: capture.Message{Status: 200, Fields: html, Body: []byte(
			"<html><title>Sign In</title>" + filler + `<form action="/login"><input type="password" name="pw"></form></html>`)}},
		"teapot 418": {Request: req(""), Response: capture.Message{Status: 418, Fields: html, Body: []byte(
			"<html><title>Blocked</title>" + filler + "<p>Access denied: unusual traffic from your network</p></html>")}},
	}
}

// TestBodyLoweredOnce: each response body is lowered once per exchange.
// The detectors that read it lowered share respBody's copy, which grows as
// they ask and never lowers a byte twice (its length is the count of bytes
// lowered), and Signals allocates less than the body's size again on top
// of that one copy: a detector that lowered its own window would exceed
// it (the gate and the sign-in check each lowered 48 KiB before
// aa7cc41; said.Read lowered an error page's start twice and the rest of
// the page once per <script>, twice: 240 KB for the 33 KB sign-in 401
// below, 192 KB for the 418).
func TestBodyLoweredOnce(t *testing.T) {
	lim := capture.Limits{}.WithDefaults()
	for name, ex := range loweredPages() {
		n := len(ex.Response.Body)
		body := bodyOf(ex)
		var w capture.Warnings
		sig := signals(ex, lim, &w, body)
		if want := map[string]string{"gate 200": "human-check-gate", "sign-in 200": "sign-in-page", "sign-in 401": "sign-in-page"}[name]; want != "" && !hasID(sig, want) {
			t.Errorf("%s: no %s signal: the page is not read as the test means", name, want)
		}
		if len(body.low) > n || name != "teapot 418" && len(body.low) < min(n, gateScanLimit) {
			t.Errorf("%s: %d bytes lowered of a %d-byte body, want the gate's window, once", name, len(body.low), n)
		}
		var before, after runtime.MemStats
		const runs = 20
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range runs {
			var w capture.Warnings
			Signals(ex, lim, &w)
		}
		runtime.ReadMemStats(&after)
		perRun := int(after.TotalAlloc-before.TotalAlloc) / runs
		t.Logf("%s: %d-byte body, %d lowered, Signals allocates %d bytes", name, n, len(body.low), perRun)
		if perRun > len(body.low)+n {
			t.Errorf("%s: Signals allocates %d bytes for a %d-byte body with %d bytes lowered: a second lowered copy?", name, perRun, n, len(body.low))
		}
	}
}

// BenchmarkSignalsLoweredPages: Signals on the pages above, its allocation
// per page (go test -bench SignalsLoweredPages -benchmem).
func BenchmarkSignalsLoweredPages(b *testing.B) {
	lim := capture.Limits{}.WithDefaults()
	pages := loweredPages()
	for _, name := range []string{"sign-in 401", "gate 200", "sign-in 200", "teapot 418"} {
		ex := pages[name]
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(ex.Response.Body)))
			for b.Loop() {
				var w capture.Warnings
				Signals(ex, lim, &w)
			}
		})
	}
}
