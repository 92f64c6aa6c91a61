//go:build js && wasm

package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"why401/analyzer"
	"why401/internal/hostile"
	"why401/internal/jsbytes"
)

// stream feeds data through begin/write/end in chunks of n bytes.
func stream(t *testing.T, data []byte, n int, name string) string {
	t.Helper()
	h := begin([]js.Value{js.ValueOf(name)}).(js.Value)
	for off := 0; off < len(data); off += n {
		end := min(off+n, len(data))
		if !h.Call("write", jsbytes.Array(data[off:end])).Bool() {
			break
		}
	}
	return h.Call("end").String()
}

func TestStreamMatchesWhole(t *testing.T) {
	data, err := os.ReadFile("../analyzer/testdata/cases/story/redirect-dropped-auth.har")
	if err != nil {
		t.Fatal(err)
	}
	whole := result(analyze([]js.Value{jsbytes.Array(data), js.ValueOf("x.har")}))
	if !strings.Contains(whole, `"redirect_dropped_auth"`) {
		t.Fatalf("whole: %.300s", whole)
	}
	for _, n := range []int{1, 7, 4096, len(data)} {
		if got := stream(t, data, n, "x.har"); got != whole {
			t.Errorf("chunks of %d: report differs\n got %.200s\nwant %.200s", n, got, whole)
		}
	}
	// gzip is decompressed on the Go side (the slim build asks for the
	// full one instead, as the page's worker expects).
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	got := stream(t, buf.Bytes(), 1000, "x.har")
	if slimBuild {
		if !strings.Contains(got, `"needs":"full"}`) {
			t.Errorf("slim build, gzip stream: %.200s", got)
		}
	} else if got != whole {
		t.Errorf("gzip stream differs: %.200s", got)
	}
	if md := js.Global().Get("Object").New(); md.IsUndefined() {
		t.Fatal("no js")
	}
	last = nil
	stream(t, data, 1<<20, "x.har")
	if last == nil || !strings.Contains(markdown(last), "redirect") {
		t.Errorf("lastMarkdown after a stream: %v", last != nil)
	}
}

func TestStreamErrors(t *testing.T) {
	// The error as a person reads it, on the page and in npm: no "analyzer: " prefix.
	if got := stream(t, nil, 10, "empty"); got != `{"error":"the input is empty"}` {
		t.Errorf("empty: %s", got)
	}
	if got := js.ValueOf(exports()).Call("analyze", "").String(); got != `{"error":"the input is empty"}` {
		t.Errorf("analyze(\"\"): %s", got)
	}
	if got := stream(t, []byte(strings.Repeat("not a capture\n", 100000)), 4096, "junk"); !strings.Contains(got, `"error"`) {
		t.Errorf("junk: %.200s", got)
	}
	// Text that is not HAR is read whole (up to the analyzer's limit).
	got := stream(t, []byte("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n"), 5, "p.http")
	if !strings.Contains(got, `"verdict":"auth"`) {
		t.Errorf("raw: %.300s", got)
	}
}

// checkOutcome: the page always gets a report or {"error": …}, never a
// panic, a bare string or nothing.
func checkOutcome(t *testing.T, how, out string) {
	t.Helper()
	var v struct {
		Error     *string           `json:"error"`
		Exchanges []json.RawMessage `json:"exchanges"`
		Input     *json.RawMessage  `json:"input"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Errorf("%s: not JSON (%v): %.200q", how, err, out)
		return
	}
	switch {
	case v.Error != nil:
		if *v.Error == "" || strings.Contains(*v.Error, "internal error") || strings.Contains(*v.Error, "analyzer:") {
			t.Errorf("%s: error %q", how, *v.Error)
		}
	case v.Input == nil:
		t.Errorf("%s: neither a report nor an error: %.200s", how, out)
	}
}

// TestHostileCorpus feeds every small hostile input (internal/hostile)
// through the exported why401.analyze and the streaming begin/write/end
// path, as the page's worker calls them.
func TestHostileCorpus(t *testing.T) {
	api := js.ValueOf(exports())
	for _, c := range hostile.Cases(true) {
		t.Run(c.Name, func(t *testing.T) {
			data := c.Data()
			t0 := time.Now()
			out := api.Call("analyze", jsbytes.Array(data), c.Name).String()
			checkOutcome(t, "analyze", out)
			t1 := time.Now()
			h := api.Call("begin", c.Name)
			for off := 0; off < len(data); off += 1 << 20 {
				if !h.Call("write", jsbytes.Array(data[off:min(off+1<<20, len(data))])).Bool() {
					break
				}
			}
			sout := h.Call("end").String()
			checkOutcome(t, "stream", sout)
			t.Logf("%d bytes: analyze %v, stream %v: %.80s", len(data), t1.Sub(t0).Round(time.Millisecond), time.Since(t1).Round(time.Millisecond), sout)
		})
	}
}

// TestPageReportsBounded: the page lists at most PageReports exchanges of a
// long capture and says so in the warnings (issue 18).
func TestPageReportsBounded(t *testing.T) {
	// The mechanism at a small bound (PageReports itself is 200,000).
	defer func(l analyzer.Limits) { pageLimits = l }(pageLimits)
	pageLimits.Reports = 1000
	var b strings.Builder
	b.WriteString(`{"log":{"entries":[`)
	n := pageLimits.Reports + 2000
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"request":{"method":"GET","url":"https://a.example/x"},"response":{"status":401,"headers":[]}}`)
	}
	b.WriteString(`]}}`)
	out := js.ValueOf(exports()).Call("analyze", jsbytes.Array([]byte(b.String())), "many.har").String()
	var rep struct {
		Input     struct{ Entries int }
		Exchanges []json.RawMessage
		Warnings  []string
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Input.Entries != n || len(rep.Exchanges) != pageLimits.Reports {
		t.Errorf("entries %d, exchanges %d; want %d, %d", rep.Input.Entries, len(rep.Exchanges), n, pageLimits.Reports)
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "limit Reports") {
		t.Errorf("no warning names the limit: %q", rep.Warnings)
	}
}
