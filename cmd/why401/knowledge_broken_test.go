//go:build why401brokenknowledge

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKnowledgeBroken (go test -tags why401brokenknowledge): the CLI shows
// the reports, then says the build is broken, naming the file, and exits 2;
// diff and the JSON-lines mode answer with the error.
func TestKnowledgeBroken(t *testing.T) {
	const mark = "vendors/zz-broken.json rule r1"
	capture := "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\n\r\nno\r\n"
	code, out, errs := runCLI(t, capture, "-")
	if code != 2 || !strings.Contains(out, "403") || !strings.Contains(errs, "did not load") || !strings.Contains(errs, mark) {
		t.Errorf("why401 -: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	f := filepath.Join(t.TempDir(), "c.http")
	if err := os.WriteFile(f, []byte(capture), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "", "diff", f, f); code != 2 || !strings.Contains(errs, mark) {
		t.Errorf("why401 diff: exit %d, stderr %q", code, errs)
	}
	line := `{"id":1,"response":{"status":403,"headers":[["Server","cloudflare"]]}}` + "\n"
	if code, out, _ := runCLI(t, line, "stream"); !strings.Contains(out, `"error"`) || !strings.Contains(out, mark) {
		t.Errorf("why401 stream: exit %d, stdout %q", code, out)
	}
}
