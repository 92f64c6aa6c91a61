package site

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOnlySiteFiles: the dev server serves index.html, web/ and
// docs/screenshot.png, and nothing else under the root, however the path is
// spelled (dot segments, percent-encoded dots, backslashes, dot files).
func TestOnlySiteFiles(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{
		"index.html":          "<!doctype html>",
		"web/app.js":          "app",
		"web/.secret":         "dot file",
		"docs/screenshot.png": "png",
		"go.mod":              "module why401",
		".git/config":         "[core]",
		"docs/limits.md":      "limits",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := Handler(root)
	for target, want := range map[string]int{
		"/":                                 200,
		"/index.html":                       301, // FileServer sends it to /
		"/web/app.js":                       200,
		"/docs/screenshot.png":              200,
		"/go.mod":                           404,
		"/.git/config":                      404,
		"/web/../.git/config":               404,
		"/web/../go.mod":                    404,
		"/web/%2e%2e/go.mod":                404,
		"/web/%2E%2E/.git/config":           404,
		"/web/.%2e/go.mod":                  404,
		"/web/%2e%2e%2fgo.mod":              404,
		"/web/..%5cgo.mod":                  404,
		"/web/..\\go.mod":                   404,
		"/web//../go.mod":                   404,
		"/web/./../docs/limits.md":          404,
		"/docs/screenshot.png/../limits.md": 404,
		"/web/.secret":                      404,
		"/web/%2esecret":                    404,
	} {
		// A raw request line, as a client that does not clean paths sends it.
		req, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")))
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("GET %s: %d %q, want %d", target, rec.Code, rec.Body.String(), want)
		}
	}
}
