//go:build why401brokenknowledge

package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestKnowledgeBroken (go test -tags why401brokenknowledge): a worker whose
// knowledge does not load answers 500 with an error naming the file, not a
// report that misses what the file knows.
func TestKnowledgeBroken(t *testing.T) {
	h := NewHandler(NewAPI(Config{}), nil)
	res := do(t, h, "POST", "/analyze", strings.NewReader("HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\n\r\nno\r\n"))
	body := readAll(t, res)
	if res.StatusCode != http.StatusInternalServerError || !strings.Contains(body, `"error"`) || !strings.Contains(body, "vendors/zz-broken.json rule r1") {
		t.Errorf("POST /analyze: %d %s", res.StatusCode, body)
	}
}
