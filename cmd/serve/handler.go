package main

import (
	"net/http"
	"path/filepath"

	"why401/internal/site"
)

// CSP is the page's Content-Security-Policy (see internal/site).
const CSP = site.CSP

// Handler serves the page files under root with security headers, and the
// precompressed copies ./build.sh serve writes (root/bin/precompressed) to
// a browser that accepts them.
func Handler(root string) http.Handler {
	return site.WithPrecompressed(root, filepath.Join(root, "bin", "precompressed"))
}
