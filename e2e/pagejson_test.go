//go:build !js

package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPageReportIsTheCLIs: the page's analysis worker (web/worker.js and
// analyzer.wasm) hands the page the report the CLI prints with --format
// json: the same keys in the same order (schema_version first) and the same
// values, for a raw response, a curl -v transcript and a HAR.
func TestPageReportIsTheCLIs(t *testing.T) {
	tb := openPage(t)
	cli := filepath.Join(t.TempDir(), "why401")
	build := exec.Command("go", "build", "-o", cli, "./cmd/why401")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, rel := range []string{
		"analyzer/testdata/cases/core/cloudflare-managed-challenge.http",
		"analyzer/testdata/cases/formats/curl-v-plain-http.txt",
		"analyzer/testdata/cases/story/block-onset.har",
	} {
		data, err := os.ReadFile(filepath.Join(repoRoot, rel))
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(cli, "--format", "json", "-")
		cmd.Stdin = bytes.NewReader(data)
		want, err := cmd.Output()
		if err != nil {
			t.Fatalf("why401 %s: %v", rel, err)
		}
		// Re-serialised by the browser's JSON, as the page's report is: the
		// order of keys is kept, numbers are written the same way.
		text, _ := json.Marshal(string(data))
		got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`new Promise((resolve) => {
			const w = new Worker("web/worker.js");
			w.onmessage = (ev) => { if (ev.data.type === "result") { resolve(JSON.stringify(ev.data.report)); w.terminate(); } };
			w.postMessage({ id: 1, type: "text", text: `+string(text)+`, name: "-" });
		})`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		wantJS := eval[string](tb, `JSON.stringify(JSON.parse(`+jsString(string(want))+`))`)
		if got != wantJS {
			t.Errorf("%s: the page's report differs from the CLI's\npage %.300s\n cli %.300s", rel, got, wantJS)
		}
		if !strings.HasPrefix(got, `{"schema_version":1,"exchanges":[`) {
			t.Errorf("%s: %.80s", rel, got)
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
