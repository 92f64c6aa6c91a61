package site

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestPrecompressed: a fresh .br or .gz copy of a web/ file is sent to a
// client that accepts it, brotli first, with the file's Content-Type and
// Vary: Accept-Encoding; a stale one (older than the file) never is, nor
// any by Handler.
func TestPrecompressed(t *testing.T) {
	root := t.TempDir()
	pre := filepath.Join(root, "bin", "precompressed")
	wasm := bytes.Repeat([]byte("\x00asm wasm bytes "), 4096)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(wasm)
	zw.Close()
	files := map[string][]byte{
		"web/analyzer.wasm":                      wasm,
		"bin/precompressed/web/analyzer.wasm.gz": gz.Bytes(),
		"bin/precompressed/web/analyzer.wasm.br": []byte("brotli bytes"), // not decoded here: only which copy is sent matters
		"web/app.js":                             []byte("app"),
		"web/stale.js":                           []byte("new"),
		"bin/precompressed/web/stale.js.gz":      []byte("old gzip"),
		"bin/precompressed/web/missing.wasm.gz":  []byte("a copy of nothing"),
		"index.html":                             []byte("<!doctype html>"),
	}
	t0 := time.Now().Add(-time.Minute)
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		mtime := t0 // the files; their copies a second later, the stale one an hour earlier
		switch {
		case name == "bin/precompressed/web/stale.js.gz":
			mtime = t0.Add(-time.Hour)
		case strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br"):
			mtime = t0.Add(time.Second)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	h := WithPrecompressed(root, pre)
	cases := []struct {
		path, accept string
		encoding     string // "" = identity
		body         []byte
		vary         bool
	}{
		{"/web/analyzer.wasm", "gzip, deflate, br, zstd", "br", files["bin/precompressed/web/analyzer.wasm.br"], true},
		{"/web/analyzer.wasm", "gzip", "gzip", gz.Bytes(), true},
		{"/web/analyzer.wasm", "br;q=0, gzip", "gzip", gz.Bytes(), true},
		{"/web/analyzer.wasm", "gzip;q=1, br;q=0.5", "gzip", gz.Bytes(), true},
		{"/web/analyzer.wasm", "*", "br", files["bin/precompressed/web/analyzer.wasm.br"], true},
		{"/web/analyzer.wasm", "*;q=0, identity", "", wasm, true},
		{"/web/analyzer.wasm", "", "", wasm, true},
		{"/web/analyzer.wasm", "GZIP;Q=0.8", "gzip", gz.Bytes(), true},
		{"/web/stale.js", "gzip, br", "", []byte("new"), false},
		{"/web/app.js", "gzip, br", "", []byte("app"), false},
		{"/web/missing.wasm", "gzip, br", "", nil, false},
	}
	for _, c := range cases {
		req := httptest.NewRequest("GET", c.path, nil)
		if c.accept != "" {
			req.Header.Set("Accept-Encoding", c.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		name := c.path + " [" + c.accept + "]"
		if c.body == nil {
			if res.StatusCode != 404 {
				t.Errorf("%s: %d, want 404", name, res.StatusCode)
			}
			continue
		}
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", name, res.StatusCode)
		}
		if got := res.Header.Get("Content-Encoding"); got != c.encoding {
			t.Errorf("%s: Content-Encoding %q, want %q", name, got, c.encoding)
		}
		if got := rec.Body.Bytes(); !bytes.Equal(got, c.body) {
			t.Errorf("%s: body of %d bytes, want %d", name, len(got), len(c.body))
		}
		if got := res.Header.Get("Vary") == "Accept-Encoding"; got != c.vary {
			t.Errorf("%s: Vary %q", name, res.Header.Get("Vary"))
		}
		if strings.HasSuffix(c.path, ".wasm") && res.Header.Get("Content-Type") != "application/wasm" {
			t.Errorf("%s: Content-Type %q", name, res.Header.Get("Content-Type"))
		}
		if res.Header.Get("Content-Security-Policy") != CSP || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: security headers missing", name)
		}
	}
	// Handler sends no copy.
	req0 := httptest.NewRequest("GET", "/web/analyzer.wasm", nil)
	req0.Header.Set("Accept-Encoding", "gzip, br")
	rec0 := httptest.NewRecorder()
	Handler(root).ServeHTTP(rec0, req0)
	if rec0.Result().Header.Get("Content-Encoding") != "" || !bytes.Equal(rec0.Body.Bytes(), wasm) {
		t.Error("Handler sent a precompressed copy")
	}
	// The gzip copy is the file.
	req := httptest.NewRequest("GET", "/web/analyzer.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, wasm) {
		t.Error("the gzip copy does not decode to the file")
	}
	// A HEAD and a range request of the encoded copy work as for any file.
	req = httptest.NewRequest("HEAD", "/web/analyzer.wasm", nil)
	req.Header.Set("Accept-Encoding", "br")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if res := rec.Result(); res.StatusCode != 200 || rec.Body.Len() != 0 || res.Header.Get("Content-Encoding") != "br" {
		t.Errorf("HEAD: %d, %d bytes, Content-Encoding %q", res.StatusCode, rec.Body.Len(), res.Header.Get("Content-Encoding"))
	}
	req = httptest.NewRequest("GET", "/web/analyzer.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Range", "bytes=0-9")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusPartialContent || !bytes.Equal(rec.Body.Bytes(), gz.Bytes()[:10]) {
		t.Errorf("Range: %d, %q", rec.Code, rec.Body.Bytes())
	}
}
