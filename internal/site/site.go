// Package site serves the why401 page (index.html, web/, docs/screenshot.png)
// with the security headers a deployment should send. It is used by the dev
// server (cmd/serve) and the browser tests (e2e).
package site

import (
	"net/http"
	"strings"
)

// CSP is the page's Content-Security-Policy: its own files only, no
// connection anywhere else (the analyzer runs in the page), wasm allowed, no
// inline script or style, no third-party origin. index.html carries the same
// policy in a meta tag (minus frame-ancestors, which a meta tag cannot set).
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves the page files under root with security headers. Only the
// page's own files are served: index.html, web/ and docs/screenshot.png.
func Handler(root string) http.Handler {
	fs := http.FileServer(http.Dir(root))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path // decoded: %2e%2e is ".." here
		if !sitePath(p) {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("Cache-Control", "no-cache")
		fs.ServeHTTP(w, r)
	})
}

// sitePath tells the page's own files from the rest of the root. The path
// must already be clean: a dot segment ("." or "..", however it was
// encoded), an empty segment, a backslash or a dot file is refused rather
// than resolved, so "/web/../go.mod" cannot name a file outside web/.
func sitePath(p string) bool {
	if p == "/" || p == "/index.html" || p == "/docs/screenshot.png" {
		return true
	}
	rest, ok := strings.CutPrefix(p, "/web/")
	if !ok || strings.ContainsAny(rest, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(rest, "/") {
		if seg == "" || seg[0] == '.' {
			return false
		}
	}
	return true
}
