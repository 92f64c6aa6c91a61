//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// workerBrowserClient calls the worker's API from a page of another origin
// (origin, allowed by WHY401_CORS_ORIGINS) in Chromium, as a browser client
// would: a capture sent as application/octet-stream and compressed with
// CompressionStream("gzip") (Content-Type and Content-Encoding both need the
// preflight's leave), the two captures of a comparison as File objects of a
// FormData (their names name the sides, as the CLI names them by path),
// compressed too, and an error answer read as JSON. Every answer must be
// readable by the script: a CORS refusal is a TypeError in fetch.
func workerBrowserClient(t *testing.T, e *workerEnv, origin string) {
	needBrowser(t)
	dir := filepath.Join(e.root, "analyzer", "testdata", "diff", "cookie-missing")
	good, err := os.ReadFile(filepath.Join(dir, "good.http"))
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile(filepath.Join(dir, "bad.http"))
	if err != nil {
		t.Fatal(err)
	}
	rel := filepath.Join("analyzer", "testdata", "cases", "core", "expired-jwt-bearer.http")
	capture, err := os.ReadFile(filepath.Join(e.root, rel))
	if err != nil {
		t.Fatal(err)
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	script := `(async () => {
  const base = ` + js(e.base) + `;
  const gzip = async (body) => new Response(new Response(body).body.pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
  const call = async (path, init) => {
    try {
      const r = await fetch(base + path, init);
      return { status: r.status, type: r.headers.get("Content-Type"), body: await r.json() };
    } catch (e) {
      return { status: 0, error: String(e) };
    }
  };
  const out = {};
  out.analyze = await call("/analyze?name=" + encodeURIComponent(` + js(rel) + `), { method: "POST",
    headers: { "Content-Type": "application/octet-stream", "Content-Encoding": "gzip" },
    body: await gzip(` + js(string(capture)) + `) });
  const form = () => {
    const fd = new FormData();
    fd.append("good", new File([` + js(string(good)) + `], "worked.http"));
    fd.append("bad", new File([` + js(string(bad)) + `], "failed.http"));
    return fd;
  };
  out.diff = await call("/diff", { method: "POST", body: form() });
  const multipart = new Response(form());
  const ctype = multipart.headers.get("Content-Type");
  const zipped = await gzip(await multipart.arrayBuffer());
  out.diffGzip = await call("/diff", { method: "POST", headers: { "Content-Type": ctype, "Content-Encoding": "gzip" }, body: zipped });
  out.diffError = await call("/diff?bad_index=999", { method: "POST", headers: { "Content-Type": ctype, "Content-Encoding": "gzip" }, body: zipped });
  return out;
})()`
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	defer cancelT()
	type answer struct {
		Status int             `json:"status"`
		Type   string          `json:"type"`
		Body   json.RawMessage `json:"body"`
		Error  string          `json:"error"`
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(origin+"/")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]answer](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("the client's script: %v", err)
	}
	for _, k := range []string{"analyze", "diff", "diffGzip", "diffError"} {
		if a := got[k]; a.Status == 0 {
			t.Errorf("%s: the browser refused the answer: %s", k, a.Error)
		}
	}
	// The CLI's report (compared as JSON values: the script's answer comes back re-encoded).
	want, _ := e.cliReport(t, rel, nil)
	var wantRep, gotRep any
	json.Unmarshal(want, &wantRep)
	json.Unmarshal(got["analyze"].Body, &gotRep)
	if a := got["analyze"]; a.Status != 200 || js(gotRep) != js(wantRep) {
		t.Errorf("POST /analyze, gzip, from the browser: %d %.300s\nthe CLI's report %.300s", a.Status, a.Body, want)
	}
	var sides struct{ Good, Bad struct{ Input string } }
	for _, k := range []string{"diff", "diffGzip"} {
		a := got[k]
		if err := json.Unmarshal(a.Body, &sides); err != nil || a.Status != 200 || sides.Good.Input != "worked.http" || sides.Bad.Input != "failed.http" {
			t.Errorf("%s from the browser: %d %.300s (want the sides named worked.http and failed.http)", k, a.Status, a.Body)
		}
	}
	if string(got["diff"].Body) != string(got["diffGzip"].Body) {
		t.Errorf("POST /diff gzip answered otherwise than plain:\n%.300s\n%.300s", got["diff"].Body, got["diffGzip"].Body)
	}
	var er struct{ Error string }
	if a := got["diffError"]; json.Unmarshal(a.Body, &er) != nil || a.Status != 400 || !strings.Contains(er.Error, "bad_index=999 is out of range: failed.http holds") {
		t.Errorf("an error from the browser: %d %.300s", a.Status, a.Body)
	}
}
