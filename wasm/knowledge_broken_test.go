//go:build js && wasm && why401brokenknowledge

package main

import (
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"
)

// TestKnowledgeBroken (GOOS=js GOARCH=wasm go test -tags
// why401brokenknowledge): the page (and the npm package, which runs this
// wasm and throws on "error") gets {"error": …} naming the file, not a
// report that misses what the file knows.
func TestKnowledgeBroken(t *testing.T) {
	out := result(analyze([]js.Value{js.ValueOf("HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\n\r\nno\r\n")}))
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if e, _ := m["error"].(string); !strings.Contains(e, "vendors/zz-broken.json rule r1") || m["exchanges"] != nil {
		t.Errorf("analyze: %s", out)
	}
}
