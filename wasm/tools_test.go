//go:build js && wasm && sanitizer

package main

import (
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"why401/internal/hostile"
	"why401/internal/jsbytes"
)

func TestSanitizeEntry(t *testing.T) {
	const canary = "cnryW4sm9Qe7Lk2Zp5Xv"
	har := `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{"request":{"method":"GET","url":"https://a.example/x?api_key=` + canary + `1","headers":[{"name":"Authorization","value":"Bearer ` + canary + `2"},{"name":"Cookie","value":"sid=` + canary + `3"}]},"response":{"status":401,"headers":[{"name":"Set-Cookie","value":"s=` + canary + `4; Path=/"}],"content":{"mimeType":"application/json","text":"{}"}}}]}}`
	for _, in := range []js.Value{jsbytes.Array([]byte(har)), js.ValueOf(har)} {
		r := sanitizeJS([]js.Value{in})
		if e := r.Get("error"); !e.IsUndefined() {
			t.Fatalf("error: %s", e.String())
		}
		d := r.Get("data")
		out := jsbytes.Of(d)
		if !json.Valid(out) || strings.Contains(string(out), canary) {
			t.Errorf("sanitized: valid %v: %.400s", json.Valid(out), out)
		}
		st := r.Get("stats")
		if st.Get("authorization").IsUndefined() || st.Get("cookie").IsUndefined() {
			t.Errorf("stats: %s", js.Global().Get("JSON").Call("stringify", st).String())
		}
	}
	for name, in := range map[string]string{"empty": "", "warc": "WARC/1.1\r\nWARC-Type: response\r\n\r\n"} {
		if e := sanitizeJS([]js.Value{js.ValueOf(in)}).Get("error"); e.IsUndefined() || e.String() == "" {
			t.Errorf("%s: no error", name)
		}
	}
	if e := sanitizeJS(nil).Get("error"); e.IsUndefined() {
		t.Error("no argument: no error")
	}
	// Errors read as sentences, without the "analyzer: " prefix.
	if e := sanitizeJS([]js.Value{js.ValueOf("")}).Get("error"); e.IsUndefined() || e.String() != "the input is empty" {
		t.Errorf("empty: %v", e)
	}
	// Files chosen are named by their names, as the CLI names them by path.
	for _, c := range []struct{ goodName, badName, want string }{
		{"worked.http", "notes.txt", "notes.txt: no HTTP response found"},
		{"", "notes.txt", "notes.txt: no HTTP response found"},
		{"x.txt", "x.txt", "x.txt (failed): no HTTP response found"},
	} {
		got := diffJS([]js.Value{js.ValueOf("HTTP/1.1 200 OK\r\n\r\n"), js.ValueOf("not a capture\n"), js.ValueOf(""), js.ValueOf(c.goodName), js.ValueOf(c.badName)})
		var e struct{ Error string }
		if json.Unmarshal([]byte(got), &e) != nil || !strings.HasPrefix(e.Error, c.want) {
			t.Errorf("diff named %q, %q: %s, want an error starting %q", c.goodName, c.badName, got, c.want)
		}
	}
	for _, c := range []struct{ good, bad, want string }{
		{"", "", "the capture that failed: the input is empty"},
		{"HTTP/1.1 200 OK\r\n\r\n", "not a capture\n", "the capture that failed: no HTTP response found"},
		{"not a capture\n", "HTTP/1.1 401 Unauthorized\r\n\r\n", "the capture that worked: no HTTP response found"},
	} {
		got := diffJS([]js.Value{js.ValueOf(c.good), js.ValueOf(c.bad)})
		if json.Unmarshal([]byte(got), new(struct{ Error string })) != nil {
			t.Fatalf("not JSON: %s", got)
		}
		var e struct{ Error string }
		if json.Unmarshal([]byte(got), &e) != nil || !strings.HasPrefix(e.Error, c.want) || strings.Contains(e.Error, "analyzer:") {
			t.Errorf("diff(%q, %q): %s, want an error starting %q", c.good, c.bad, got, c.want)
		}
	}
}

// TestSanitizeHostile: every small hostile input gives data or an error, never a panic.
func TestSanitizeHostile(t *testing.T) {
	for _, c := range hostile.Cases(true) {
		t0 := time.Now()
		r := sanitizeJS([]js.Value{jsbytes.Array(c.Data())})
		t.Logf("%s: %v", c.Name, time.Since(t0).Round(time.Millisecond))
		e := r.Get("error")
		if e.IsUndefined() == r.Get("data").IsUndefined() {
			t.Errorf("%s: neither data nor error", c.Name)
		} else if !e.IsUndefined() && strings.Contains(e.String(), "internal error") {
			t.Errorf("%s: %s", c.Name, e.String())
		}
		// The 256 MB gzip bomb is refused at the page's 200 MB cap, fast,
		// instead of being sanitized in memory for half a minute.
		if c.Name == "har-gz-bomb" && (e.IsUndefined() || !strings.Contains(e.String(), "expands past")) {
			t.Errorf("%s: not refused at the cap: %v", c.Name, e)
		}
	}
}
