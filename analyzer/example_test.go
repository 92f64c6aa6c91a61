package analyzer_test

import (
	"errors"
	"fmt"
	"strings"

	"why401/analyzer"
)

// A pasted response: a bearer token the API refused.
func ExampleAnalyze() {
	rep, err := analyzer.Analyze([]byte("HTTP/1.1 401 Unauthorized\r\n" +
		"WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"\r\n" +
		"Content-Length: 0\r\n\r\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	e := rep.Exchanges[0]
	fmt.Println(e.Verdict, e.Scheme, e.Cause)
	// Output: auth bearer expired_token
}

// A Cloudflare challenge, rendered for a person (its first lines: then
// come the evidence and the fixes).
func ExampleReport_WriteText() {
	rep, _ := analyzer.AnalyzeWith([]byte("HTTP/2 403\r\n"+
		"server: cloudflare\r\ncf-ray: 8d2f1c3b5a7e9d01-AMS\r\ncf-mitigated: challenge\r\n"+
		"content-type: text/html\r\n\r\n<html><title>Just a moment...</title></html>"), analyzer.Options{Name: "paste"})
	var b strings.Builder
	rep.WriteText(&b, analyzer.TextOptions{})
	lines := strings.Split(b.String(), "\n")
	fmt.Println(strings.Join(lines[:3], "\n"))
	// Output:
	// paste  (raw, 1 exchange)
	//
	// BOT cloudflare · challenge  99%  #0 (response only, no request in the capture) → 403
}

// An error means nothing could be read; errors.Is tells which sentinel.
func ExampleAnalyze_errors() {
	_, err := analyzer.Analyze([]byte("hello, this is not a capture"))
	fmt.Println(errors.Is(err, analyzer.ErrNoResponse))
	// Output: true
}

// Streaming a HAR: each exchange's report goes to the handler as soon as it
// is final; the Report returned holds what is known at the end.
func ExampleAnalyzeReader() {
	har := `{"log":{"creator":{"name":"Firefox"},"entries":[
	 {"request":{"method":"GET","url":"https://api.example.com/me","headers":[]},"response":{"status":200,"headers":[]}},
	 {"request":{"method":"GET","url":"https://api.example.com/admin","headers":[]},"response":{"status":429,"headers":[{"name":"Retry-After","value":"30"}]}}]}}`
	rep, err := analyzer.AnalyzeReader(strings.NewReader(har), analyzer.Options{
		Name:    "session.har",
		Handler: analyzer.HandlerFunc(func(e analyzer.ExchangeReport) { fmt.Println("#", e.Index, e.Status, e.Verdict, e.Action) }),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Input.Format, rep.Input.Producer, rep.Input.Entries)
	// Output:
	// # 0 200 ok none
	// # 1 429 rate_limit slow_down
	// har firefox 2
}

// Diff explains what changed between a request that worked and one that
// failed: here the same token, expired in between.
func ExampleDiff() {
	const tok = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3OTYxMTc0MDB9.c2lnbmF0dXJlLWZvci1leGFtcGxl" // exp 2026-12-01T09:30:00Z
	good := "GET /v2/reports HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer " + tok +
		"\r\n\r\nHTTP/1.1 200 OK\r\nDate: Tue, 01 Dec 2026 09:00:00 GMT\r\n\r\n"
	bad := "GET /v2/reports HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer " + tok +
		"\r\n\r\nHTTP/1.1 401 Unauthorized\r\nDate: Tue, 01 Dec 2026 10:00:00 GMT\r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n\r\n"
	rep, err := analyzer.Diff([]byte(good), []byte(bad), analyzer.DiffOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Changes[0].Kind, rep.Changes[0].Score)
	fmt.Println(rep.Summary)
	// Output:
	// credential-expired 0.95
	// HTTP 200 (ok) became HTTP 401 (auth). Most likely: the failing request's token had expired by the response's Date (authorization).
}
