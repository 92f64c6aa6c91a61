package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDiffFlow: the page's "Compare with a capture that worked" takes two
// pasted captures (and files), runs the analyzer's diff in the worker and
// shows the ranked differences, secrets as fingerprints only.
func TestDiffFlow(t *testing.T) {
	tb := openPage(t)
	dir := filepath.Join(repoRoot, "analyzer", "testdata", "diff", "cookie-missing")
	good, err := os.ReadFile(filepath.Join(dir, "good.http"))
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile(filepath.Join(dir, "bad.http"))
	if err != nil {
		t.Fatal(err)
	}
	set := func(sel string, v []byte) {
		b, _ := json.Marshal(string(v))
		eval[bool](tb, `(document.querySelector("`+sel+`").value = `+string(b)+`, true)`)
	}
	tb.do(chromedp.Click(`#diffbox summary`))
	set("#diff-good", good)
	set("#diff-bad", bad)
	tb.do(chromedp.Click(`#diff-run`), chromedp.WaitReady(`#diff-results[data-state="done"]`))
	first := eval[string](tb, `document.querySelector("#diff-results .diff-table tbody tr")?.textContent ?? ""`)
	if !strings.Contains(first, "cookie-vendor-missing cf_clearance (cloudflare)") || !strings.Contains(first, "85 %") {
		t.Errorf("first difference: %q", first)
	}
	summary := eval[string](tb, `document.querySelector("#diff-results .diff-summary")?.textContent ?? ""`)
	if !strings.Contains(summary, "HTTP 200 (ok) became HTTP 403 (bot). Most likely:") {
		t.Errorf("summary: %q", summary)
	}
	all := eval[string](tb, `document.querySelector("#diff-results").textContent`)
	if strings.Contains(all, "Q2xlYXJhbmNlQ29va2llRm9yVGVzdHNPbmx5LTAwMDE") {
		t.Error("the clearance cookie's value is shown")
	}
	// HAR files chosen, picked by URL.
	rate := filepath.Join(repoRoot, "analyzer", "testdata", "diff", "rate")
	eval[bool](tb, `(document.querySelector("#diff-results").dataset.state = "stale", true)`)
	tb.do(chromedp.SetUploadFiles(`#diff-good-file`, []string{filepath.Join(rate, "good.har")}),
		chromedp.SetUploadFiles(`#diff-bad-file`, []string{filepath.Join(rate, "bad.har")}),
		chromedp.SetValue(`#diff-url`, "/v1/products"),
		chromedp.Click(`#diff-run`), chromedp.WaitReady(`#diff-results[data-state="done"]`))
	first = eval[string](tb, `document.querySelector("#diff-results .diff-table tbody tr")?.textContent ?? ""`)
	if !strings.HasPrefix(first, "70 %rate") {
		t.Errorf("HAR files by URL, first difference: %q", first)
	}
	// A file that is not a capture: the error names it, as the CLI names a
	// file by its path, without the internal "analyzer:" prefix.
	notes := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notes, []byte("not a capture\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	eval[bool](tb, `(document.querySelector("#diff-results").dataset.state = "stale", true)`)
	tb.do(chromedp.SetUploadFiles(`#diff-bad-file`, []string{notes}),
		chromedp.Click(`#diff-run`), chromedp.WaitReady(`#diff-results[data-state="done"]`))
	if msg := eval[string](tb, `document.querySelector("#diff-results [role=alert]")?.textContent ?? ""`); !strings.HasPrefix(msg, "notes.txt: no HTTP response found") {
		t.Errorf("a file that is not a capture: %q", msg)
	}
	// One side missing: said, not thrown.
	eval[bool](tb, `(document.querySelector("#diff-good-file").value = "", document.querySelector("#diff-good").value = "", true)`)
	tb.do(chromedp.Click(`#diff-run`))
	if msg := eval[string](tb, `document.querySelector("#diff-results [role=alert]")?.textContent ?? ""`); !strings.Contains(msg, "Give both captures") {
		t.Errorf("missing side: %q", msg)
	}
}
