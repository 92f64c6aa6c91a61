//go:build js && wasm

package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"syscall/js"
	"testing"
)

func u8(b []byte) js.Value {
	v := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(v, b)
	return v
}

// stream feeds data through begin/write/end in chunks of n bytes.
func stream(t *testing.T, data []byte, n int, name string) string {
	t.Helper()
	h := begin([]js.Value{js.ValueOf(name)}).(js.Value)
	for off := 0; off < len(data); off += n {
		end := min(off+n, len(data))
		if !h.Call("write", u8(data[off:end])).Bool() {
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
	whole := result(analyze([]js.Value{u8(data), js.ValueOf("x.har")}))
	if !strings.Contains(whole, `"redirect_dropped_auth"`) {
		t.Fatalf("whole: %.300s", whole)
	}
	for _, n := range []int{1, 7, 4096, len(data)} {
		if got := stream(t, data, n, "x.har"); got != whole {
			t.Errorf("chunks of %d: report differs\n got %.200s\nwant %.200s", n, got, whole)
		}
	}
	// gzip is decompressed on the Go side.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	if got := stream(t, buf.Bytes(), 1000, "x.har"); got != whole {
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
	if got := stream(t, nil, 10, "empty"); !strings.Contains(got, `"error"`) {
		t.Errorf("empty: %s", got)
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
