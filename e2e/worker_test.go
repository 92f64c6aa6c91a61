//go:build !js

// The worker against the real Workers runtime: worker/build.sh builds the
// bundle into a temporary directory, workerd (the npm package pinned in
// package.json) serves it on a free 127.0.0.1 port, and every sample capture
// is posted to /analyze and compared byte for byte with what
// `why401 --format json` prints for the same file and name. Also: the
// hostile corpus (internal/hostile), canary secrets, and the page's headers
// (those of internal/site; no-cache and revalidation for its files, no-store
// for every API answer).
//
// Skips only when CI is unset and workerd is missing (run npm ci); in CI it
// fails instead.

package e2e

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"why401/internal/hostile"
	"why401/internal/shared"
	"why401/internal/site"
)

// workerRepo is the repository root, found from this file's path.
func workerRepo() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

type workerEnv struct {
	base   string // http://127.0.0.1:port
	cli    string // a freshly built bin/why401
	root   string
	build  string       // the bundle directory
	output *workerLog   // workerd's stdout and stderr
	proc   *exec.Cmd    // workerd
	client *http.Client // loopback only

	cliMu    sync.Mutex
	cliCache map[string]cliResult // by file, for files (not stdin)
}

type cliResult struct {
	report []byte
	errMsg string
}

type workerLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *workerLog) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *workerLog) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func workerFreePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// startWorker builds the bundle and the CLI, starts workerd and waits for
// /healthz. workerd is stopped when the test ends.
func startWorker(t *testing.T, extra ...string) *workerEnv {
	t.Helper()
	root := workerRepo()
	workerd := filepath.Join(root, "node_modules", "@cloudflare", "workerd-linux-64", "bin", "workerd")
	if _, err := os.Stat(workerd); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("workerd is missing (%v): run npm ci", err)
		}
		t.Skipf("workerd not installed (run npm ci); worker end-to-end tests skipped (set CI to make this an error)")
	}
	tmp := t.TempDir()
	env := &workerEnv{root: root, build: filepath.Join(tmp, "build"), cli: filepath.Join(tmp, "why401"), output: &workerLog{}}

	addr := workerFreePort(t)
	build := exec.Command("bash", "worker/build.sh", env.build)
	build.Dir = root
	build.Env = append(append(os.Environ(), "WORKER_ADDR="+addr, "WHY401_CORS_ORIGINS=https://allowed.example", "WHY401_MAX_BYTES="), extra...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("worker/build.sh: %v\n%s", err, out)
	}
	cli := exec.Command("go", "build", "-o", env.cli, "./cmd/why401")
	cli.Dir = root
	if out, err := cli.CombinedOutput(); err != nil {
		t.Fatalf("building the CLI: %v\n%s", err, out)
	}

	cmd := exec.Command(workerd, "serve", filepath.Join(env.build, "workerd.capnp"))
	cmd.Stdout, cmd.Stderr = env.output, env.output
	env.proc = cmd
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting workerd: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("workerd output:\n%s", env.output.String())
		}
	})
	env.base = "http://" + addr
	env.client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		Proxy: nil, MaxIdleConnsPerHost: 64,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}}
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("workerd exited: %v\n%s", err, env.output.String())
		default:
		}
		res, err := env.client.Get(env.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("workerd did not answer /healthz within 20 s: %v\n%s", err, env.output.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("workerd: start → first 200 from /healthz in %v", time.Since(start).Round(time.Millisecond))
	return env
}

type workerReply struct {
	code   int
	header http.Header
	body   []byte
}

func (e *workerEnv) do(t *testing.T, method, path string, body io.Reader, hdr ...string) workerReply {
	t.Helper()
	req, err := http.NewRequest(method, e.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := e.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading: %v", method, path, err)
	}
	checkWorkerCaching(t, method+" "+path, path, res)
	return workerReply{res.StatusCode, res.Header, b}
}

// workerPagePath mirrors the glue's isPagePath: the page's static files.
func workerPagePath(p string) bool {
	p, _, _ = strings.Cut(p, "?")
	return p == "/" || p == "/index.html" || strings.HasPrefix(p, "/web/")
}

// checkWorkerCaching: every answer has nosniff; the page's files (200 or
// 304) are cached but revalidated (no-cache), everything else — reports,
// errors, /healthz — is never stored (no-store).
func checkWorkerCaching(t *testing.T, what, path string, res *http.Response) {
	t.Helper()
	want := "no-store"
	if workerPagePath(path) && (res.StatusCode == 200 || res.StatusCode == 304) {
		want = "no-cache"
	}
	if res.Header.Get("Cache-Control") != want || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: %d, Cache-Control %q (want %q), X-Content-Type-Options %q", what, res.StatusCode, res.Header.Get("Cache-Control"), want, res.Header.Get("X-Content-Type-Options"))
	}
}

// rawPost sends body on its own connection and reads the reply while the
// body is still being written: the worker answers 413 without reading an
// oversized body, and net/http's client would report the write error
// (broken pipe) rather than the response, where curl shows the 413.
func (e *workerEnv) rawPost(t *testing.T, path string, body []byte, chunked bool) workerReply {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(e.base, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	go func() {
		head := "POST " + path + " HTTP/1.1\r\nHost: worker.test\r\nConnection: close\r\n"
		if chunked {
			io.WriteString(conn, head+"Transfer-Encoding: chunked\r\n\r\n")
			for off := 0; off < len(body); off += 64 << 10 {
				c := body[off:min(off+64<<10, len(body))]
				if _, err := fmt.Fprintf(conn, "%x\r\n%s\r\n", len(c), c); err != nil {
					return
				}
			}
			io.WriteString(conn, "0\r\n\r\n")
			return
		}
		io.WriteString(conn, head+fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)))
		conn.Write(body)
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("POST %s (%d bytes): %v", path, len(body), err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	checkWorkerCaching(t, "POST "+path, path, res)
	return workerReply{res.StatusCode, res.Header, b}
}

// wantWorkerError checks a JSON error reply.
func wantWorkerError(t *testing.T, what string, r workerReply, code int, substr string) {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil || r.code != code || !strings.Contains(e.Error, substr) {
		t.Errorf("%s: %d %s; want %d and an error containing %q", what, r.code, r.body, code, substr)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
}

// cliReport runs the CLI on rel (a path relative to the repository root, or
// "-" with stdin) and returns its stdout, or the error message it printed.
func (e *workerEnv) cliReport(t *testing.T, rel string, stdin []byte) (report []byte, errMsg string) {
	t.Helper()
	if rel != "-" {
		e.cliMu.Lock()
		c, ok := e.cliCache[rel]
		e.cliMu.Unlock()
		if ok {
			return c.report, c.errMsg
		}
		defer func() {
			e.cliMu.Lock()
			if e.cliCache == nil {
				e.cliCache = map[string]cliResult{}
			}
			e.cliCache[rel] = cliResult{report, errMsg}
			e.cliMu.Unlock()
		}()
	}
	cmd := exec.Command(e.cli, "--format", "json", "--no-progress", rel)
	cmd.Dir = e.root
	cmd.Stdin = bytes.NewReader(stdin)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 2 {
		name := rel
		if rel == "-" {
			name = "standard input"
		}
		return nil, strings.TrimSpace(strings.TrimPrefix(stderr.String(), "why401: "+name+": "))
	}
	if err != nil {
		t.Fatalf("why401 %s: %v\n%s", rel, err, stderr.String())
	}
	return out.Bytes(), ""
}

// cliBatch runs the CLI once over all of rels (JSON Lines, in input order;
// an unreadable input prints a line on stderr and an error record
// {"input":…,"error":…} on stdout) and fills
// the cache that cliReport reads.
func (e *workerEnv) cliBatch(t *testing.T, rels []string) {
	t.Helper()
	cmd := exec.Command(e.cli, append([]string{"--format", "json", "--no-progress"}, rels...)...)
	cmd.Dir = e.root
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 2) {
		t.Fatalf("why401 over %d files: %v\n%s", len(rels), err, stderr.String())
	}
	failed := map[string]string{}
	for _, line := range strings.Split(stderr.String(), "\n") {
		for _, rel := range rels {
			if p := "why401: " + rel + ": "; strings.HasPrefix(line, p) {
				failed[rel] = strings.TrimSpace(strings.TrimPrefix(line, p))
			}
		}
	}
	lines := bytes.SplitAfter(out.Bytes(), []byte("\n"))
	e.cliMu.Lock()
	defer e.cliMu.Unlock()
	if e.cliCache == nil {
		e.cliCache = map[string]cliResult{}
	}
	for _, rel := range rels {
		if msg, ok := failed[rel]; ok {
			if len(lines) == 0 || !bytes.HasPrefix(lines[0], []byte(`{"input":`)) {
				t.Fatalf("why401: no error record for %s", rel)
			}
			lines = lines[1:]
			e.cliCache[rel] = cliResult{errMsg: msg}
			continue
		}
		if len(lines) == 0 || len(lines[0]) == 0 {
			t.Fatalf("why401 printed fewer reports than inputs (at %s)", rel)
		}
		e.cliCache[rel] = cliResult{report: lines[0]}
		lines = lines[1:]
	}
}

// workerSamples lists the captures to compare: every golden case under
// analyzer/testdata/cases (core first) and the files of ../shared/captures.
func workerSamples(t *testing.T, root string) []string {
	var rels []string
	// Every golden case (core first), not only core: each group exercises other readers.
	core, _ := filepath.Glob(filepath.Join(root, "analyzer", "testdata", "cases", "core", "*"))
	others, _ := filepath.Glob(filepath.Join(root, "analyzer", "testdata", "cases", "*", "*"))
	for _, f := range others {
		if filepath.Base(filepath.Dir(f)) != "core" {
			core = append(core, f)
		}
	}
	for _, f := range core {
		if strings.HasSuffix(f, ".json") {
			continue // expect.json, goldens
		}
		rel, _ := filepath.Rel(root, f)
		rels = append(rels, rel)
	}
	if len(rels) == 0 {
		t.Fatal("no capture under analyzer/testdata/cases")
	}
	var files []string
	t.Run("shared captures", func(t *testing.T) { // a visible skip when they are not there
		files = shared.Captures(t, "the real HAR files of ../shared/captures compared too")
	})
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		rels = append(rels, rel)
	}
	return rels
}

func TestWorker(t *testing.T) {
	// A page of another origin that calls the API from a browser (the
	// "browser client" subtest): allowed besides https://allowed.example.
	client := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><title>a client of the why401 API</title>")
	}))
	defer client.Close()
	e := startWorker(t, "WHY401_CORS_ORIGINS=https://allowed.example,"+client.URL)

	t.Run("same report as the CLI", func(t *testing.T) {
		rels := workerSamples(t, e.root)
		e.cliBatch(t, rels)
		compared := 0
		for _, rel := range rels {
			data, err := os.ReadFile(filepath.Join(e.root, rel))
			if err != nil {
				t.Fatal(err)
			}
			want, cliErr := e.cliReport(t, rel, nil)
			r := e.do(t, "POST", "/analyze?name="+url.QueryEscape(rel), bytes.NewReader(data))
			if cliErr != "" {
				wantWorkerError(t, rel, r, 400, cliErr)
				continue
			}
			if r.code != 200 || !bytes.Equal(r.body, want) {
				t.Errorf("%s: worker %d, %d bytes; CLI %d bytes\nworker %.400s\n   cli %.400s", rel, r.code, len(r.body), len(want), r.body, want)
				continue
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("%s: Content-Type %q", rel, ct)
			}
			compared++
		}
		t.Logf("%d captures: %d reports identical to the CLI's, the rest refused as the CLI refuses them", len(rels), compared)
		if compared == 0 {
			t.Error("no report compared")
		}

		// Standard input: the CLI names it "-", and so does the worker without ?name=.
		data, _ := os.ReadFile(filepath.Join(e.root, rels[0]))
		want, _ := e.cliReport(t, "-", data)
		if r := e.do(t, "POST", "/analyze", bytes.NewReader(data)); r.code != 200 || !bytes.Equal(r.body, want) {
			t.Errorf("stdin: worker %d %.300s\nCLI %.300s", r.code, r.body, want)
		}
		// Markdown, as the CLI writes it.
		cmd := exec.Command(e.cli, "--format", "markdown", rels[0])
		cmd.Dir = e.root
		md, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if r := e.do(t, "POST", "/analyze?format=markdown&name="+url.QueryEscape(rels[0]), bytes.NewReader(data)); r.code != 200 || !bytes.Equal(r.body, md) || r.header.Get("Content-Type") != "text/markdown; charset=utf-8" {
			t.Errorf("markdown: %d %q\nCLI %q", r.code, r.body, md)
		}
	})

	t.Run("diff", func(t *testing.T) {
		dir := filepath.Join(e.root, "analyzer", "testdata", "diff", "cookie-missing")
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for _, name := range []string{"good", "bad"} {
			data, err := os.ReadFile(filepath.Join(dir, name+".http"))
			if err != nil {
				t.Fatal(err)
			}
			w, _ := mw.CreateFormFile(name, name+".http")
			w.Write(data)
		}
		mw.Close()
		r := e.do(t, "POST", "/diff", bytes.NewReader(b.Bytes()), "Content-Type", mw.FormDataContentType())
		var rep struct {
			Changes []struct{ Kind, Name string }
			Likely  int
		}
		if r.code != 200 || json.Unmarshal(r.body, &rep) != nil || len(rep.Changes) == 0 || rep.Changes[0].Kind != "cookie-vendor-missing" || rep.Likely == 0 {
			t.Errorf("POST /diff on workerd: %d %.400s", r.code, r.body)
		}
		if bytes.Contains(r.body, []byte("Q2xlYXJhbmNlQ29va2llRm9yVGVzdHNPbmx5LTAwMDE")) {
			t.Error("POST /diff echoed the clearance cookie's value")
		}
		// What why401 diff -f json good.http bad.http prints, byte for
		// byte: each side named by its file name, as the CLI names it.
		cli := func(args ...string) (stdout, stderr string) {
			cmd := exec.Command(e.cli, append([]string{"diff"}, args...)...)
			cmd.Dir = dir
			var o, er bytes.Buffer
			cmd.Stdout, cmd.Stderr = &o, &er
			cmd.Run()
			return o.String(), er.String()
		}
		if want, _ := cli("-f", "json", "good.http", "bad.http"); string(r.body) != want {
			t.Errorf("POST /diff: not what the CLI prints\nworker %.400s\n   cli %.400s", r.body, want)
		}
		// Compressed, the same answer.
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(b.Bytes())
		zw.Close()
		if rz := e.do(t, "POST", "/diff", bytes.NewReader(z.Bytes()), "Content-Type", mw.FormDataContentType(), "Content-Encoding", "gzip"); rz.code != 200 || !bytes.Equal(rz.body, r.body) {
			t.Errorf("POST /diff gzip: %d %.300s", rz.code, rz.body)
		}
		// An index past the end: the CLI's sentence, named by the query parameter.
		_, cliErr := cli("--bad-index", "999", "good.http", "bad.http")
		_, tail, _ := strings.Cut(cliErr, "--bad-index 999 ")
		r = e.do(t, "POST", "/diff?bad_index=999", bytes.NewReader(b.Bytes()), "Content-Type", mw.FormDataContentType())
		wantWorkerError(t, "bad_index=999", r, 400, "bad_index=999 "+strings.TrimSpace(tail))
		if tail == "" || !strings.Contains(tail, "bad.http holds") {
			t.Errorf("the CLI's --bad-index 999 error: %q", cliErr)
		}
		wantWorkerError(t, "diff without parts", e.do(t, "POST", "/diff", strings.NewReader("HTTP/1.1 401 Unauthorized\r\n\r\n")), 415, "multipart/form-data")
	})

	t.Run("errors", func(t *testing.T) {
		wantWorkerError(t, "junk", e.do(t, "POST", "/analyze", strings.NewReader("this is not a capture\n")), 400, "no HTTP response found")
		wantWorkerError(t, "empty", e.do(t, "POST", "/analyze", nil), 400, "empty")
		r := e.do(t, "GET", "/analyze", nil)
		wantWorkerError(t, "GET /analyze", r, 405, "not allowed")
		if r.header.Get("Allow") != "POST, OPTIONS" {
			t.Errorf("GET /analyze: Allow %q", r.header.Get("Allow"))
		}
		wantWorkerError(t, "multipart", e.do(t, "POST", "/analyze", strings.NewReader("--x\r\n\r\n--x--\r\n"), "Content-Type", "multipart/form-data; boundary=x"), 415, "multipart")
		wantWorkerError(t, "unknown path", e.do(t, "GET", "/nope", nil), 404, "not found")
		wantWorkerError(t, "bad format", e.do(t, "POST", "/analyze?format=xml", strings.NewReader("HTTP/1.1 401 Unauthorized\r\n\r\n")), 400, "format")
	})

	t.Run("413 over the limit", func(t *testing.T) {
		big := bytes.Repeat([]byte("x"), 10<<20+1)
		wantWorkerError(t, "10 MiB + 1 with Content-Length", e.rawPost(t, "/analyze", big, false), 413, "larger than 10485760 bytes")
		// Without Content-Length (chunked): the worker stops reading at the limit.
		wantWorkerError(t, "10 MiB + 1 chunked", e.rawPost(t, "/analyze", big, true), 413, "larger than")
		// Exactly at the limit is read (and here refused as junk, not as too large).
		wantWorkerError(t, "10 MiB", e.do(t, "POST", "/analyze", bytes.NewReader(big[:10<<20])), 400, "")
	})

	t.Run("50 concurrent requests", func(t *testing.T) {
		rels := workerSamples(t, e.root)
		type job struct {
			rel  string
			data []byte
			want []byte
		}
		var jobs []job
		for _, rel := range rels {
			want, cliErr := e.cliReport(t, rel, nil)
			if cliErr != "" {
				continue
			}
			data, _ := os.ReadFile(filepath.Join(e.root, rel))
			jobs = append(jobs, job{rel, data, want})
		}
		var wg sync.WaitGroup
		errs := make(chan string, 50)
		for i := 0; i < 50; i++ {
			j := jobs[i%len(jobs)]
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := e.client.Post(e.base+"/analyze?name="+url.QueryEscape(j.rel), "application/octet-stream", bytes.NewReader(j.data))
				if err != nil {
					errs <- fmt.Sprintf("%s: %v", j.rel, err)
					return
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				if res.StatusCode != 200 || !bytes.Equal(b, j.want) {
					errs <- fmt.Sprintf("%s: %d, %d bytes (want %d)", j.rel, res.StatusCode, len(b), len(j.want))
				}
			}()
		}
		wg.Wait()
		close(errs)
		for msg := range errs {
			t.Error(msg)
		}
	})

	t.Run("page at /", func(t *testing.T) {
		r := e.do(t, "GET", "/", nil)
		index, _ := os.ReadFile(filepath.Join(e.root, "index.html"))
		if r.code != 200 || !bytes.Equal(r.body, index) || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("GET /: %d %q, %d bytes", r.code, r.header.Get("Content-Type"), len(r.body))
		}
		// The same security headers as the dev server's (internal/site), on every file of the page.
		ref := httptest.NewRecorder()
		site.Handler(e.root).ServeHTTP(ref, httptest.NewRequest("GET", "/", nil))
		for _, k := range []string{"Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Permissions-Policy", "Cache-Control"} {
			if ref.Header().Get(k) == "" {
				t.Errorf("internal/site sends no %s", k)
			}
			for _, p := range []string{"/", "/index.html", "/web/app.js", "/web/style.css"} {
				pr := r
				if p != "/" {
					pr = e.do(t, "GET", p, nil)
				}
				if got := pr.header.Get(k); got != ref.Header().Get(k) {
					t.Errorf("GET %s: %s %q; internal/site sends %q", p, k, got, ref.Header().Get(k))
				}
			}
		}
		// no-cache: the browser keeps the files and revalidates them.
		lm, etag := r.header.Get("Last-Modified"), r.header.Get("ETag")
		if lm == "" && etag == "" {
			t.Errorf("GET /: no Last-Modified or ETag to revalidate with")
		}
		if lm != "" {
			if nm := e.do(t, "GET", "/", nil, "If-Modified-Since", lm); nm.code != 304 || len(nm.body) != 0 || nm.header.Get("Content-Security-Policy") == "" {
				t.Errorf("GET / If-Modified-Since %s: %d, %d bytes, %v", lm, nm.code, len(nm.body), nm.header)
			}
			if old := e.do(t, "GET", "/web/app.js", nil, "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"); old.code != 200 || len(old.body) == 0 {
				t.Errorf("GET /web/app.js with an old If-Modified-Since: %d, %d bytes", old.code, len(old.body))
			}
		}
		if etag != "" {
			if nm := e.do(t, "GET", "/", nil, "If-None-Match", etag); nm.code != 304 {
				t.Errorf("GET / If-None-Match %s: %d", etag, nm.code)
			}
		}
		app := e.do(t, "GET", "/web/app.js", nil)
		if app.code != 200 || !strings.HasPrefix(app.header.Get("Content-Type"), "text/javascript") {
			t.Errorf("GET /web/app.js: %d %q", app.code, app.header.Get("Content-Type"))
		}
		if _, err := os.Stat(filepath.Join(e.build, "public", "web", "analyzer.wasm")); err == nil {
			w := e.do(t, "GET", "/web/analyzer.wasm", nil)
			if w.code != 200 || w.header.Get("Content-Type") != "application/wasm" || !bytes.HasPrefix(w.body, []byte("\x00asm")) {
				t.Errorf("GET /web/analyzer.wasm: %d %q", w.code, w.header.Get("Content-Type"))
			}
			// A return visit revalidates the 6 MB wasm instead of downloading it again.
			if lm := w.header.Get("Last-Modified"); lm != "" {
				if nm := e.do(t, "GET", "/web/analyzer.wasm", nil, "If-Modified-Since", lm); nm.code != 304 || len(nm.body) != 0 {
					t.Errorf("GET /web/analyzer.wasm If-Modified-Since: %d, %d bytes", nm.code, len(nm.body))
				}
			}
		}
		// Reports are never stored, whatever the request says.
		if r := e.do(t, "POST", "/analyze", strings.NewReader("HTTP/1.1 401 Unauthorized\r\n\r\n"), "If-Modified-Since", lm); r.code != 200 {
			t.Errorf("POST /analyze with If-Modified-Since: %d", r.code)
		}
		wantWorkerError(t, "GET /web/missing.js", e.do(t, "GET", "/web/missing.js", nil), 404, "not found")
		wantWorkerError(t, "POST /", e.do(t, "POST", "/", strings.NewReader("x")), 405, "not allowed")
	})

	t.Run("healthz and CORS", func(t *testing.T) {
		if r := e.do(t, "GET", "/healthz", nil); r.code != 200 || string(r.body) != "{\"status\":\"ok\"}\n" {
			t.Errorf("healthz: %d %q", r.code, r.body)
		}
		r := e.do(t, "OPTIONS", "/analyze", nil, "Origin", "https://allowed.example", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-encoding,content-type")
		if r.code != 204 || r.header.Get("Access-Control-Allow-Origin") != "https://allowed.example" || r.header.Get("Access-Control-Allow-Methods") != "POST, OPTIONS" ||
			r.header.Get("Access-Control-Allow-Headers") != "Content-Type, Content-Encoding" {
			t.Errorf("preflight: %d %v", r.code, r.header)
		}
		r = e.do(t, "OPTIONS", "/analyze", nil, "Origin", "https://other.example", "Access-Control-Request-Method", "POST")
		if r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight from another origin: %v", r.header)
		}
		r = e.do(t, "POST", "/analyze", strings.NewReader("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n"), "Origin", "https://allowed.example")
		if r.code != 200 || r.header.Get("Access-Control-Allow-Origin") != "https://allowed.example" || r.header.Get("Access-Control-Expose-Headers") != "Retry-After" {
			t.Errorf("POST with allowed Origin: %d %v", r.code, r.header)
		}
		// The glue's own answers carry them too: a large capture while
		// another holds the large-capture slot gets 503 with Retry-After,
		// which a browser script can read. A capture whose body has only
		// begun to arrive holds the slot (up to WHY401_SLOT_READ_MS, 5 s).
		big := workerBigHAR()
		conn, err := net.DialTimeout("tcp", strings.TrimPrefix(e.base, "http://"), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(60 * time.Second))
		fmt.Fprintf(conn, "POST /analyze HTTP/1.1\r\nHost: worker.test\r\nConnection: close\r\nContent-Length: %d\r\n\r\n", len(big))
		conn.Write(big[:1024])
		var busy workerReply
		for i := 0; i < 20 && busy.code != 503; i++ { // until the slot is taken
			time.Sleep(50 * time.Millisecond)
			busy = e.do(t, "POST", "/analyze", bytes.NewReader(big), "Origin", "https://allowed.example")
		}
		wantWorkerError(t, "large capture while the slot is held", busy, 503, "busy")
		if busy.header.Get("Retry-After") == "" || busy.header.Get("Access-Control-Allow-Origin") != "https://allowed.example" || busy.header.Get("Access-Control-Expose-Headers") != "Retry-After" {
			t.Errorf("503 busy: %v (want Retry-After, readable from https://allowed.example)", busy.header)
		}
		conn.Write(big[1024:])
		if res, err := http.ReadResponse(bufio.NewReader(conn), nil); err != nil || res.StatusCode != 200 {
			t.Errorf("the capture that held the slot: %v %v", res, err)
		}
	})

	t.Run("browser client", func(t *testing.T) { workerBrowserClient(t, e, client.URL) })

	t.Run("hostile corpus", func(t *testing.T) { workerHostile(t, e) })
	t.Run("canaries", func(t *testing.T) { workerCanaries(t, e) })

	t.Run("nothing logged", func(t *testing.T) {
		const marker = "Bearer why401-e2e-marker-7c1f"
		e.do(t, "POST", "/analyze", strings.NewReader("GET /x HTTP/1.1\r\nHost: a.example\r\nAuthorization: "+marker+"\r\n\r\nHTTP/1.1 401 Unauthorized\r\n\r\n"))
		e.do(t, "POST", "/analyze", strings.NewReader("junk "+marker))
		if strings.Contains(e.output.String(), "why401-e2e-marker") {
			t.Errorf("workerd's output holds a request body:\n%s", e.output.String())
		}
	})
}

// post sends body to /analyze with its own deadline and reports (rather
// than fails on) a transport error, so that one hang or reset is named and
// the rest of the corpus still runs.
func (e *workerEnv) post(query string, body []byte, timeout time.Duration) (workerReply, *http.Response, error) {
	req, err := http.NewRequest("POST", e.base+"/analyze"+query, bytes.NewReader(body))
	if err != nil {
		return workerReply{}, nil, err
	}
	c := *e.client
	c.Timeout = timeout
	res, err := c.Do(req)
	if err != nil {
		return workerReply{}, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return workerReply{}, nil, err
	}
	return workerReply{res.StatusCode, res.Header, b}, res, nil
}

// workerHostile posts every small case of internal/hostile to workerd: each
// gets a JSON report or a JSON error (400, 413, 415) with the usual headers,
// the same answer as the CLI's (the compression bombs excepted: the worker
// caps what a body may expand to), never a 5xx, a hang or a dead isolate;
// then the isolate still answers a normal capture as before. Two large
// cases check the 413 at the default limit.
func workerHostile(t *testing.T, e *workerEnv) {
	start := len(e.output.String())
	for _, c := range hostile.Cases(true) {
		data := c.Data()
		t0 := time.Now()
		r, res, err := e.post("", data, 30*time.Second)
		took := time.Since(t0)
		if err != nil {
			t.Errorf("%s (%d bytes): no answer after %v: %v", c.Name, len(data), took.Round(time.Millisecond), err)
			continue
		}
		checkWorkerCaching(t, c.Name, "/analyze", res)
		if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", c.Name, ct)
		}
		var body map[string]any
		if err := json.Unmarshal(r.body, &body); err != nil {
			t.Errorf("%s: %d, not JSON (%v): %.200q", c.Name, r.code, err, r.body)
			continue
		}
		switch r.code {
		case 200:
			if _, ok := body["exchanges"]; !ok {
				t.Errorf("%s: 200 without exchanges: %.200s", c.Name, r.body)
			}
		case 400, 413, 415:
			if msg, _ := body["error"].(string); msg == "" {
				t.Errorf("%s: %d without an error message: %.200s", c.Name, r.code, r.body)
			}
		default:
			t.Errorf("%s: status %d: %.300s", c.Name, r.code, r.body)
			continue
		}
		want, cliErr := e.cliReport(t, "-", data)
		switch {
		case cliErr != "":
			var er struct{ Error string }
			json.Unmarshal(r.body, &er)
			if r.code != 400 || !strings.Contains(er.Error, cliErr) {
				t.Errorf("%s: worker %d %.200s; the CLI refuses it with %q", c.Name, r.code, r.body, cliErr)
			}
		case strings.Contains(c.Name, "bomb"):
			// Decompression is capped at 8 × WHY401_MAX_BYTES (the CLI: 4 GiB), so only the status must agree.
			if r.code != 200 {
				t.Errorf("%s: worker %d %.200s; the CLI reports it", c.Name, r.code, r.body)
			}
		case r.code != 200 || !bytes.Equal(r.body, want):
			t.Errorf("%s: worker %d, %d bytes; the CLI's report is %d bytes\nworker %.300s\n   cli %.300s", c.Name, r.code, len(r.body), len(want), r.body, want)
		}
		t.Logf("%-36s %9d bytes → %d in %v", c.Name, len(data), r.code, took.Round(time.Millisecond))
	}

	// Large cases over the default 10 MiB limit: refused without being read.
	for _, c := range hostile.Cases(false) {
		switch c.Name {
		case "header-line-50MB":
			wantWorkerError(t, c.Name+" (Content-Length)", e.rawPost(t, "/analyze", c.Data(), false), 413, "larger than 10485760 bytes")
		case "har-million-entries":
			wantWorkerError(t, c.Name+" (chunked)", e.rawPost(t, "/analyze", c.Data(), true), 413, "larger than 10485760 bytes")
		}
	}

	// The isolate survived: /healthz, and a normal capture gets its normal report.
	if r := e.do(t, "GET", "/healthz", nil); r.code != 200 || string(r.body) != "{\"status\":\"ok\"}\n" {
		t.Errorf("healthz after the corpus: %d %q", r.code, r.body)
	}
	rel := filepath.Join("analyzer", "testdata", "cases", "core", "expired-jwt-bearer.http")
	data, err := os.ReadFile(filepath.Join(e.root, rel))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.cliReport(t, rel, nil)
	if r := e.do(t, "POST", "/analyze?name="+url.QueryEscape(rel), bytes.NewReader(data)); r.code != 200 || !bytes.Equal(r.body, want) {
		t.Errorf("normal capture after the corpus: %d %.300s", r.code, r.body)
	}
	// The glue logs one line when the Go program fails or has to restart.
	if out := e.output.String()[start:]; strings.Contains(out, "why401 worker:") {
		t.Errorf("the Go program failed during the corpus:\n%s", out)
	}
}

// workerCanaryList hands out unique secrets; none may appear in any answer
// or in workerd's output (fingerprints show at most the last 4 characters,
// so the check looks for each canary minus its last 4).
type workerCanaryList []string

func (c *workerCanaryList) next() string {
	s := fmt.Sprintf("wkcn%02dR4tY8pQ2sJ6mW%02d", len(*c), len(*c))
	*c = append(*c, s)
	return s
}

func workerJWT(sig string) string {
	enc := func(s string) string {
		return strings.TrimRight(base64.URLEncoding.EncodeToString([]byte(s)), "=")
	}
	return enc(`{"alg":"HS256","typ":"JWT"}`) + "." + enc(`{"sub":"42","exp":1700000000}`) + "." + sig
}

// workerCanaryInputs plants a canary in every place a credential can be:
// Authorization (Bearer JWT, Basic, Digest), Proxy-Authorization, API-key
// headers, Cookie, Set-Cookie, query parameters, post data, URL userinfo and
// a response body echoing the token; as raw text, curl -v and HAR.
func workerCanaryInputs(c *workerCanaryList) map[string]string {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	jwt, basic, proxy, digest := workerJWT(c.next()), b64("alice:"+c.next()), b64("proxyuser:"+c.next()), c.next()
	apiKey, vault, goog, cookie, setCookie := c.next(), c.next(), c.next(), c.next(), c.next()
	qToken, qKey, qSig, password, secret, userinfo, echo := c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	curlTok, curlCookie := c.next(), c.next()
	hTok, hKey, hCookie, hSetCookie, hQuery, hPost, hUser := c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	bareKey, word, afterWord, bareProxy := "sk_live_"+c.next(), c.next(), c.next(), c.next()
	jsess, subKey, php, frag, license := c.next(), c.next(), c.next(), c.next(), c.next()
	pct := c.next()
	pct = pct[:8] + "/+" + pct[8:]
	(*c)[len(*c)-1] = pct
	pctEnc := strings.NewReplacer("/", "%2F", "+", "%2B").Replace(pct)
	return map[string]string{
		// Issue 18: a path parameter, subscription-key, PHPSESSID, a
		// fragment, a percent-encoded value echoed decoded, a JSON body value
		// under a key no name list knows, echoed in the error.
		"raw url and json positions": "POST https://api.example.com/app;jsessionid=" + jsess + "?subscription-key=" + subKey + "&PHPSESSID=" + php + "&state=" + pctEnc + "#access_token=" + frag +
			" HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n\r\n{\"license\":\"" + license + "\"}\r\n\r\n" +
			"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{\"error\":\"invalid_request\",\"message\":\"license " + license + " and state " + pct + " rejected\"}",
		// Keys with no scheme word, or behind an unknown one: never a label (issue 20).
		"raw bare key": "GET /v1/things HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: " + bareKey + "\r\n\r\n" +
			"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{\"error\":\"unauthorized\"}",
		"raw unknown word": "GET /v1/search HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: " + word + " " + afterWord +
			"\r\nProxy-Authorization: " + bareProxy + "\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n\r\n{\"error\":\"quota exceeded\"}",
		"raw bearer": "GET /v1/me?access_token=" + qToken + "&api_key=" + qKey + "&sig=" + qSig + " HTTP/1.1\r\nHost: api.example.com\r\n" +
			"Authorization: Bearer " + jwt + "\r\nProxy-Authorization: Basic " + proxy + "\r\nX-Api-Key: " + apiKey + "\r\nX-Vault-Token: " + vault +
			"\r\nX-Goog-Api-Key: " + goog + "\r\nCookie: session=" + cookie + "; lang=en\r\n\r\n" +
			"HTTP/1.1 401 Unauthorized\r\nDate: Wed, 15 Nov 2023 10:00:00 GMT\r\nSet-Cookie: sid=" + setCookie + "; Path=/; HttpOnly\r\n" +
			"WWW-Authenticate: Bearer error=\"invalid_token\"\r\nContent-Type: application/json\r\n\r\n" +
			`{"error":"invalid_token","detail":"token ` + jwt + ` (key ` + apiKey + `, ` + echo + `) rejected"}`,
		"raw basic and userinfo": "POST https://carol:" + userinfo + "@api.example.com/login HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Basic " + basic +
			"\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\npassword=" + password + "&client_secret=" + secret + "&user=carol\r\n\r\n" +
			"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"api\"\r\n\r\n",
		"raw digest": "GET /dir/index.html HTTP/1.1\r\nHost: www.example.com\r\nAuthorization: Digest username=\"Mufasa\", realm=\"testrealm@example.com\", uri=\"/dir/index.html\", " +
			"nonce=\"dcd98b7102dd2f0e\", nc=00000001, cnonce=\"0a4f113b\", qop=auth, response=\"" + digest + "\"\r\n\r\n" +
			"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"testrealm@example.com\", qop=\"auth\", nonce=\"dcd98b7102dd2f0e\"\r\n\r\n",
		"curl -v": "> GET /v1/items HTTP/2\r\n> Host: api.example.com\r\n> Authorization: Bearer " + curlTok + "\r\n> Cookie: sid=" + curlCookie + "\r\n>\r\n" +
			"< HTTP/2 403\r\n< server: cloudflare\r\n< cf-mitigated: challenge\r\n< content-type: text/html\r\n<\r\n<html><title>Just a moment...</title>" + curlTok + "</html>\r\n",
		"har": `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[{"startedDateTime":"2026-11-03T12:00:00.000Z",` +
			`"request":{"method":"POST","url":"https://u:` + hUser + `@api.example.com/v1/x?token=` + hQuery + `","httpVersion":"http/2.0",` +
			`"headers":[{"name":"authorization","value":"Bearer ` + hTok + `"},{"name":"x-api-key","value":"` + hKey + `"},{"name":"cookie","value":"sid=` + hCookie + `"}],` +
			`"queryString":[{"name":"token","value":"` + hQuery + `"}],"cookies":[{"name":"sid","value":"` + hCookie + `"}],` +
			`"postData":{"mimeType":"application/x-www-form-urlencoded","text":"client_secret=` + hPost + `","params":[{"name":"client_secret","value":"` + hPost + `"}]}},` +
			`"response":{"status":401,"headers":[{"name":"set-cookie","value":"sess=` + hSetCookie + `; Path=/"},{"name":"content-type","value":"application/json"},` +
			`{"name":"www-authenticate","value":"Bearer error=\"invalid_token\""}],"cookies":[{"name":"sess","value":"` + hSetCookie + `"}],` +
			`"content":{"mimeType":"application/json","text":"{\"error\":\"bad token ` + hTok + `\"}"}}}]}}`,
	}
}

// workerCanaries posts captures full of canaries in every format, and junk
// holding canaries (whose error message must not echo the input), and
// checks that no answer, header or line of workerd's output holds one.
func workerCanaries(t *testing.T, e *workerEnv) {
	var c workerCanaryList
	inputs := workerCanaryInputs(&c)
	var gz bytes.Buffer // the HAR again as a .har.gz body
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(inputs["har"]))
	zw.Close()
	inputs["har.gz"] = gz.String()
	junk := map[string]string{
		"junk text":        "this is not a capture " + c.next(),
		"truncated HAR":    `{"log":{"entries":[{"request":{"method":"GET","url":"https://a.example/?token=` + c.next(),
		"HAR wrong types":  `{"log":{"entries":"` + c.next() + `"}}`,
		"HAR bad JSON":     `{"log":{"entries":[{"request":{"headers":[{"name":"Authorization","value":"Bearer ` + c.next() + `"}]}}},]}}`,
		"binary and token": "\x00\x01\x02Authorization: Bearer " + c.next() + "\xff\xfe",
	}
	if len(c) < 25 {
		t.Fatalf("only %d canaries", len(c))
	}
	leaks := func(what string, r workerReply) {
		t.Helper()
		var hdr strings.Builder
		for k, vs := range r.header {
			fmt.Fprintf(&hdr, "%s: %s\n", k, strings.Join(vs, ", "))
		}
		low := bytes.ToLower(r.body) // a label would lowercase what it copied
		for _, k := range c {
			stem := k[:len(k)-4]
			if i := bytes.Index(low, []byte(strings.ToLower(stem))); i >= 0 {
				t.Errorf("%s: canary %s in the body: …%s…", what, k, r.body[max(0, i-60):min(len(r.body), i+40)])
			}
			if strings.Contains(hdr.String(), stem) {
				t.Errorf("%s: canary %s in a header:\n%s", what, k, hdr.String())
			}
		}
	}
	reports := 0
	for name, in := range inputs {
		for _, q := range []string{"format=json", "format=markdown", "format=text", "format=json&only_problems=true"} {
			r := e.do(t, "POST", "/analyze?"+q, strings.NewReader(in))
			if r.code != 200 {
				t.Errorf("%s ?%s: %d %.300s", name, q, r.code, r.body)
				continue
			}
			leaks(name+" ?"+q, r)
			if !bytes.Contains(r.body, []byte("len=")) {
				t.Errorf("%s ?%s: no fingerprint in the report: %.300s", name, q, r.body)
			}
			reports++
		}
	}
	for name, in := range junk {
		r := e.do(t, "POST", "/analyze", strings.NewReader(in))
		if r.code != 400 && r.code != 200 {
			t.Errorf("%s: %d %.300s", name, r.code, r.body)
		}
		leaks(name, r)
	}
	out := e.output.String()
	for _, k := range c {
		if strings.Contains(out, k[:len(k)-4]) {
			t.Errorf("canary %s in workerd's output:\n%s", k, out)
		}
	}
	t.Logf("%d canaries, %d reports (json, markdown, text) and %d junk bodies: none echoed", len(c), reports, len(junk))
}
