//go:build !js || syumai

package main

// The API as a net/http Handler: natively (main_native.go, handler_test.go)
// and in the syumai build (main_syumai.go), which serves it with
// syumai/workers' stock net/http bridge for comparison.

import (
	"io"
	"net/http"
	"strconv"
	"strings"
)

// NewHandler returns the API as an http.Handler. When assets is not nil it
// also serves the page (GET /, /index.html, /web/…) from it; on Workers the
// page comes from static assets instead, before Go is involved.
func NewHandler(a *API, assets http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if assets != nil && IsPagePath(r.URL.Path) {
			servePage(w, r, assets)
			return
		}
		req := &Request{
			Method:          r.Method,
			Path:            r.URL.Path,
			RawQuery:        r.URL.RawQuery,
			Origin:          r.Header.Get("Origin"),
			ContentType:     r.Header.Get("Content-Type"),
			ContentEncoding: strings.Join(r.Header.Values("Content-Encoding"), ","),
			ContentLength:   -1,
		}
		if v := r.Header.Get("Content-Length"); v != "" {
			if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				req.ContentLength = n
			}
		}
		if r.Method == http.MethodPost && (r.URL.Path == "/analyze" || r.URL.Path == "/diff") && req.ContentLength <= a.MaxBytes() {
			body, err := io.ReadAll(io.LimitReader(r.Body, a.MaxBytes()+1))
			if err != nil {
				req.TooLarge = strings.Contains(err.Error(), "too large")
			}
			req.Body = body
			req.TooLarge = req.TooLarge || int64(len(body)) > a.MaxBytes()
		}
		res := a.Serve(req)
		h := w.Header()
		for _, f := range res.Header {
			h.Set(f.Name, f.Value)
		}
		w.WriteHeader(res.Status)
		writeBody(w, res.Body)
	})
}

// writeBody sends the complete body (main_syumai.go may replace it).
var writeBody = func(w http.ResponseWriter, b []byte) {
	if len(b) > 0 {
		w.Write(b)
	}
}

// PageHeaders are the page's response headers, as internal/site (the dev
// server) sends them and glue.mjs on Workers: the page's files may be
// cached but are revalidated (no-cache); API answers are no-store.
var PageHeaders = []Field{
	{"Content-Security-Policy", PageCSP},
	{"Referrer-Policy", "no-referrer"},
	{"X-Content-Type-Options", "nosniff"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
	{"Cache-Control", "no-cache"},
}

func servePage(w http.ResponseWriter, r *http.Request, assets http.Handler) {
	h := w.Header()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Allow", "GET, HEAD")
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusMethodNotAllowed)
		io.WriteString(w, `{"error":"`+r.Method+` is not allowed on `+r.URL.Path+`; use GET"}`+"\n")
		return
	}
	for _, f := range PageHeaders {
		h.Set(f.Name, f.Value)
	}
	assets.ServeHTTP(w, r)
}
