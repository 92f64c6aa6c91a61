// Package httpcheck meets a 401, 403, 407 or 429 where it happens: in a Go
// HTTP client. It runs the why401 analyzer on a live *http.Response and turns
// the verdict into what a scraper or API client should do next:
//
//	bot         → RotateSession       (a new session, proxy or browser profile)
//	auth        → RefreshCredentials  (a new token, a new login)
//	rate_limit  → SlowDown            (Result.RetryAfter says how long, when the server said)
//	forbidden   → Stop                (retrying or refreshing will not help)
//	proxy_auth  → FixProxy            (the proxy, not the site, refused)
//
// and Retry for a normal handshake step (a stale Digest nonce, a DPoP nonce,
// a Negotiate leg), None when nothing is wrong or nothing can be said.
// ActionFor documents the few causes that refine this (an auth failure whose
// cause is missing scope or a dropped Authorization header is Stop: a new
// token would fail the same way).
//
// Two entry points:
//
//   - AnalyzeResponse(resp) analyses one response. It reads at most
//     DefaultBodyLimit bytes of the body, waiting at most DefaultBodyWait
//     for them, and puts them back, so the caller reads resp.Body as if
//     nothing happened. A stream (text/event-stream, NDJSON, gRPC, audio,
//     video: Streaming) is analysed from its headers, its body unread. It reads the request from
//     resp.Request (the real scheme and host) and the redirect chain from
//     resp.Request.Response, so a redirect that dropped Authorization is
//     recognised.
//   - Transport wraps an http.RoundTripper and analyses each failing
//     response (status ≥ 400, or 202) before returning it: the result goes
//     to Transport.OnResult and onto the response's request context
//     (FromContext(resp.Request.Context())). It never holds a response's
//     headers back longer than Transport.BodyWait (an event stream, a long
//     poll, a trickling body).
//
// Secrets never leave: the report shows credentials, cookies and tokens only
// as fingerprints (kind, length, last four characters), like every why401
// report. Request bodies are never read.
//
// This package imports net/http and is not part of the page's wasm: the page
// stays as small as it was.
package httpcheck
