// Package site serves the why401 page (index.html, web/, docs/screenshot.png)
// with the security headers a deployment should send. It is used by the dev
// server (cmd/serve) and the browser tests (e2e).
package site

import (
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"why401/internal/ascii"
)

// CSP is the page's Content-Security-Policy: its own files only, no
// connection anywhere else (the analyzer runs in the page), wasm allowed, no
// inline script or style, no third-party origin. index.html carries the same
// policy in a meta tag (minus frame-ancestors, which a meta tag cannot set).
const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Handler serves the page files under root with security headers. Only the
// page's own files are served: index.html, web/ and docs/screenshot.png.
func Handler(root string) http.Handler { return WithPrecompressed(root, "") }

// WithPrecompressed is Handler that also sends precompressed copies, as a
// deployment's server would: a file of web/ whose copy in the folder
// precompressed (the same path plus .br or .gz: ./build.sh serve writes
// bin/precompressed/web/analyzer.wasm.br and .gz) is at least as new as the
// file itself is sent as that copy, with its Content-Encoding, to a client
// that accepts the encoding (brotli first, then gzip, as Accept-Encoding's
// weights allow). An empty precompressed sends none.
func WithPrecompressed(root, precompressed string) http.Handler {
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
		if precompressed != "" && strings.HasPrefix(p, "/web/") && servePrecompressed(w, r, root, precompressed, p) {
			return
		}
		fs.ServeHTTP(w, r)
	})
}

// encodings are the precompressed copies looked for, best first.
var encodings = []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// servePrecompressed sends the copy of p in dir that the request accepts,
// and reports whether it did. It sets Vary whenever p has one.
func servePrecompressed(w http.ResponseWriter, r *http.Request, root, dir, p string) bool {
	rel := filepath.FromSlash(strings.TrimPrefix(p, "/"))
	name := filepath.Join(root, rel)
	copyName := filepath.Join(dir, rel)
	orig, err := os.Stat(name)
	if err != nil || !orig.Mode().IsRegular() {
		return false
	}
	accepted := acceptEncoding(r.Header.Get("Accept-Encoding"))
	best, bestQ := -1, 0.0
	for i, e := range encodings {
		st, err := os.Stat(copyName + e.ext)
		if err != nil || !st.Mode().IsRegular() || st.ModTime().Before(orig.ModTime()) {
			continue // none, or stale: older than the file it was made from
		}
		w.Header().Set("Vary", "Accept-Encoding")
		if q := accepted(e.name); q > bestQ {
			best, bestQ = i, q
		}
	}
	if best < 0 {
		return false
	}
	f, err := os.Open(copyName + encodings[best].ext)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false
	}
	ctype := mime.TypeByExtension(filepath.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Encoding", encodings[best].name)
	http.ServeContent(w, r, filepath.Base(name), st.ModTime(), f)
	return true
}

// acceptEncoding reads an Accept-Encoding field (RFC 9110 §12.5.3) into a
// function giving each coding's weight: 0 for one not accepted.
func acceptEncoding(field string) func(string) float64 {
	q := map[string]float64{}
	star := -1.0
	for _, part := range strings.Split(field, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = ascii.Lower(strings.TrimSpace(coding))
		if coding == "" {
			continue
		}
		weight := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && ascii.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
					weight = f
				} else {
					weight = 0
				}
			}
		}
		if coding == "*" {
			star = weight
		} else {
			q[coding] = weight
		}
	}
	return func(coding string) float64 {
		if w, ok := q[coding]; ok {
			return w
		}
		return max(star, 0)
	}
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
