//go:build !js

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"why401/analyzer"
	"why401/internal/hostile"
	"why401/internal/site"
)

func cliJSON(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	rep, err := analyzer.AnalyzeReader(bytes.NewReader(data), analyzer.Options{Name: name})
	if err != nil {
		t.Fatalf("analyze: %v", err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func do(t *testing.T, h http.Handler, method, target string, body io.Reader, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	want := "no-store" // reports, errors, /healthz
	if IsPagePath(req.URL.Path) && (res.StatusCode == 200 || res.StatusCode == 304) {
		want = "no-cache" // the page's files: cached, revalidated
	}
	if res.Header.Get("Cache-Control") != want || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s %s: headers %v: want Cache-Control %s and nosniff", method, target, res.Header, want)
	}
	return res
}

func readAll(t *testing.T, r *http.Response) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

func TestAnalyzeMatchesCLI(t *testing.T) {
	h := NewHandler(NewAPI(Config{}), nil)
	files, _ := filepath.Glob("../analyzer/testdata/cases/core/*.*")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".json") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"", f} {
			target := "/analyze"
			want := cliJSON(t, data, "-")
			if name != "" {
				target += "?name=" + name
				want = cliJSON(t, data, name)
			}
			res := do(t, h, "POST", target, bytes.NewReader(data))
			if got := readAll(t, res); res.StatusCode != 200 || got != string(want) {
				t.Errorf("%s: %d\n got %.300s\nwant %.300s", target, res.StatusCode, got, want)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
		}
		n++
	}
	if n == 0 {
		t.Fatal("no core cases found")
	}
	data, _ := os.ReadFile("../analyzer/testdata/cases/core/expired-jwt-bearer.http")
	res := do(t, h, "POST", "/analyze?format=markdown", bytes.NewReader(data))
	if md := readAll(t, res); res.StatusCode != 200 || !strings.Contains(md, "expired") || res.Header.Get("Content-Type") != "text/markdown; charset=utf-8" {
		t.Errorf("markdown: %d %q", res.StatusCode, md)
	}
}

func TestErrors(t *testing.T) {
	h := NewHandler(NewAPI(Config{MaxBytes: 1000}), nil)
	cases := []struct {
		method, target, body string
		hdr                  []string
		code                 int
		want                 string
	}{
		{"GET", "/analyze", "", nil, 405, "GET is not allowed"},
		{"PUT", "/healthz", "", nil, 405, "not allowed"},
		{"POST", "/analyze", "junk", nil, 400, "no HTTP response found"},
		{"POST", "/analyze", "", nil, 400, "empty"},
		// curl -d @capture.txt strips the line breaks: say to use --data-binary.
		{"POST", "/analyze", `GET /v1/me HTTP/1.1Host: api.example.comHTTP/1.1 401 UnauthorizedWWW-Authenticate: Bearer realm="api"`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 400, "curl -d (--data) strips them from a file; send the capture with curl --data-binary"},
		{"POST", "/analyze", strings.Repeat("x", 1001), nil, 413, "larger than 1000 bytes"},
		{"POST", "/analyze?format=xml", "HTTP/1.1 401 Unauthorized\r\n\r\n", nil, 400, "format"},
		{"POST", "/analyze", "--b\r\n", []string{"Content-Type", "multipart/form-data; boundary=b"}, 415, "multipart"},
		{"POST", "/analyze", "x", []string{"Content-Encoding", "br"}, 415, "Content-Encoding"},
		{"GET", "/nope", "", nil, 404, "not found"},
		{"GET", "/", "", nil, 404, "not found"},
	}
	for _, c := range cases {
		res := do(t, h, c.method, c.target, strings.NewReader(c.body), c.hdr...)
		body := readAll(t, res)
		var e struct{ Error string }
		if err := json.Unmarshal([]byte(body), &e); err != nil || res.StatusCode != c.code || !strings.Contains(e.Error, c.want) {
			t.Errorf("%s %s: %d %s; want %d with %q", c.method, c.target, res.StatusCode, body, c.code, c.want)
		}
		if c.code == 405 && res.Header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", c.method, c.target)
		}
	}
	// Content-Length over the limit is refused before the body is read.
	req := httptest.NewRequest("POST", "/analyze", strings.NewReader("HTTP/1.1 401 Unauthorized\r\n\r\n"))
	req.Header.Set("Content-Length", "5000")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Errorf("Content-Length 5000: %d", rec.Code)
	}
}

func TestHealthzAndHead(t *testing.T) {
	h := NewHandler(NewAPI(Config{}), nil)
	if res := do(t, h, "GET", "/healthz", nil); res.StatusCode != 200 || readAll(t, res) != "{\"status\":\"ok\"}\n" {
		t.Errorf("healthz: %d", res.StatusCode)
	}
	if res := do(t, h, "HEAD", "/healthz", nil); res.StatusCode != 200 || readAll(t, res) != "" {
		t.Errorf("HEAD healthz: %d", res.StatusCode)
	}
}

func TestCORS(t *testing.T) {
	cfg, err := ConfigFromEnv(func(k string) string {
		return map[string]string{"WHY401_CORS_ORIGINS": " https://a.example/ , https://b.example", "WHY401_MAX_BYTES": "2048"}[k]
	})
	if err != nil || cfg.MaxBytes != 2048 || len(cfg.CORSOrigins) != 2 || cfg.CORSOrigins[0] != "https://a.example" {
		t.Fatalf("config %+v %v", cfg, err)
	}
	h := NewHandler(NewAPI(cfg), nil)
	res := do(t, h, "OPTIONS", "/analyze", nil, "Origin", "https://a.example", "Access-Control-Request-Method", "POST")
	if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Origin") != "https://a.example" || !strings.Contains(res.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight allowed: %d %v", res.StatusCode, res.Header)
	}
	// What a browser asks before it sends a capture as JSON, compressed
	// with CompressionStream("gzip"): both headers are allowed.
	for _, path := range []string{"/analyze", "/diff"} {
		res = do(t, h, "OPTIONS", path, nil, "Origin", "https://a.example", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-encoding,content-type")
		allow := strings.ToLower(res.Header.Get("Access-Control-Allow-Headers"))
		if res.StatusCode != 204 || !strings.Contains(allow, "content-type") || !strings.Contains(allow, "content-encoding") {
			t.Errorf("preflight %s for Content-Encoding: %d %v", path, res.StatusCode, res.Header)
		}
	}
	res = do(t, h, "OPTIONS", "/analyze", nil, "Origin", "https://evil.example")
	if res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin allowed: %v", res.Header)
	}
	res = do(t, h, "POST", "/analyze", strings.NewReader("HTTP/1.1 401 Unauthorized\r\n\r\n"), "Origin", "https://b.example")
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "https://b.example" || res.Header.Get("Vary") != "Origin" {
		t.Errorf("POST with origin: %d %v", res.StatusCode, res.Header)
	}
	// A compressed capture gets the same report; Retry-After is readable.
	res = do(t, h, "POST", "/analyze", bytes.NewReader(gzipped([]byte("HTTP/1.1 401 Unauthorized\r\n\r\n"))), "Origin", "https://b.example", "Content-Encoding", "gzip", "Content-Type", "application/json")
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "https://b.example" || res.Header.Get("Access-Control-Expose-Headers") != "Retry-After" {
		t.Errorf("gzip POST with origin: %d %v", res.StatusCode, res.Header)
	}
	// An error answer is readable too.
	res = do(t, h, "POST", "/analyze", strings.NewReader("junk"), "Origin", "https://b.example")
	if res.StatusCode != 400 || res.Header.Get("Access-Control-Allow-Origin") != "https://b.example" {
		t.Errorf("400 with origin: %d %v", res.StatusCode, res.Header)
	}
	if got := NewAPI(cfg).CORS("https://evil.example", "POST"); len(got) != 1 || got[0] != (Field{"Vary", "Origin"}) {
		t.Errorf("CORS for another origin: %v", got)
	}
	if got := NewAPI(Config{}).CORS("https://a.example", "POST"); got != nil {
		t.Errorf("CORS off: %v", got)
	}
	if _, err := ConfigFromEnv(func(k string) string {
		if k == "WHY401_MAX_BYTES" {
			return "10MB"
		}
		return ""
	}); err == nil {
		t.Error("WHY401_MAX_BYTES=10MB accepted")
	}
	star := NewHandler(NewAPI(Config{CORSOrigins: []string{"*"}}), nil)
	if res := do(t, star, "OPTIONS", "/analyze", nil, "Origin", "https://x.example"); res.Header.Get("Access-Control-Allow-Origin") != "https://x.example" {
		t.Errorf("*: %v", res.Header)
	}
}

func TestPage(t *testing.T) {
	assets := http.FileServer(http.FS(fstest.MapFS{
		"index.html": {Data: []byte("<!doctype html><title>why401</title>")},
		"web/app.js": {Data: []byte("//")},
		"go.mod":     {Data: []byte("module secret")},
	}))
	h := NewHandler(NewAPI(Config{}), assets)
	res := do(t, h, "GET", "/", nil)
	if body := readAll(t, res); res.StatusCode != 200 || !strings.Contains(body, "why401") || res.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("GET /: %d %q", res.StatusCode, body)
	}
	// The same headers as the dev server's (internal/site), and revalidation works.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>why401</title>"), 0o644)
	ref := httptest.NewRecorder()
	site.Handler(dir).ServeHTTP(ref, httptest.NewRequest("GET", "/", nil))
	for _, f := range PageHeaders {
		if got := ref.Header().Get(f.Name); got != f.Value {
			t.Errorf("%s: worker page %q, internal/site %q", f.Name, f.Value, got)
		}
		if got := res.Header.Get(f.Name); got != f.Value {
			t.Errorf("GET /: %s %q, want %q", f.Name, got, f.Value)
		}
	}
	if PageCSP != site.CSP {
		t.Errorf("PageCSP differs from site.CSP")
	}
	h = NewHandler(NewAPI(Config{}), http.FileServer(http.Dir(dir)))
	lm := do(t, h, "GET", "/", nil).Header.Get("Last-Modified")
	if res := do(t, h, "GET", "/", nil, "If-Modified-Since", lm); lm == "" || res.StatusCode != 304 {
		t.Errorf("revalidation: Last-Modified %q, then %d", lm, res.StatusCode)
	}
	for _, p := range []string{"/go.mod", "/web/../go.mod", "/web/./x"} {
		if IsPagePath(p) {
			t.Errorf("IsPagePath(%q)", p)
		}
	}
	if res := do(t, h, "POST", "/", nil); res.StatusCode != 405 {
		t.Errorf("POST /: %d", res.StatusCode)
	}
}

func TestParseQuery(t *testing.T) {
	for _, s := range []string{
		"", "format=json", "name=a%20b+c&format=markdown", "name=%2Ftmp%2Fx.har", "name", "name=", "&&a=1&&", "a=1&a=2",
		"name=%zz", "name=%4", "name=%", "a=1;b=2", "%41=%42", "name=caf%C3%A9", "k=%2B+%25",
	} {
		want, werr := url.ParseQuery(s)
		got, gerr := parseQuery(s)
		if (werr != nil) != (gerr != nil) {
			t.Errorf("%q: error %v, net/url %v", s, gerr, werr)
			continue
		}
		if werr != nil {
			continue
		}
		if len(got) != len(want) {
			t.Errorf("%q: %v, net/url %v", s, got, want)
		}
		for k, v := range want {
			if strings.Join(got[k], "\x00") != strings.Join(v, "\x00") || got.Has(k) != want.Has(k) || got.Get(k) != want.Get(k) {
				t.Errorf("%q: %q = %q, net/url %q", s, k, got[k], v)
			}
		}
	}
}

// The worker's bounds (issue 18): at most WorkerReports exchanges listed,
// with a warning; a text gzip bomb is read up to 2 × MaxBytes of text.
func TestWorkerBounds(t *testing.T) {
	api := NewAPI(Config{MaxBytes: 1 << 20})
	var b strings.Builder
	b.WriteString(`{"log":{"entries":[`)
	for i := 0; i < WorkerReports+500; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"request":{"method":"GET","url":"https://a.example/x"},"response":{"status":401,"headers":[]}}`)
	}
	b.WriteString(`]}}`)
	res := api.Serve(&Request{Method: "POST", Path: "/analyze", ContentLength: -1, Body: []byte(b.String())})
	var rep struct {
		Input     struct{ Entries int }
		Exchanges []json.RawMessage
		Warnings  []string
	}
	if err := json.Unmarshal(res.Body, &rep); err != nil || res.Status != 200 {
		t.Fatalf("%d %v %.200s", res.Status, err, res.Body)
	}
	if len(rep.Exchanges) != WorkerReports || rep.Input.Entries != WorkerReports+500 {
		t.Errorf("%d exchanges of %d entries", len(rep.Exchanges), rep.Input.Entries)
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "limit Reports") {
		t.Errorf("warnings %q", rep.Warnings)
	}
	bomb := hostile.Gzip("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n", ' ', 64<<20, "")
	res = api.Serve(&Request{Method: "POST", Path: "/analyze", ContentLength: -1, Body: bomb})
	if res.Status != 200 || !strings.Contains(string(res.Body), "only its start was read") {
		t.Errorf("text bomb: %d %.300s", res.Status, res.Body)
	}
}
