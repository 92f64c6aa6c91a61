//go:build !js

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Issue 34, the page's first five minutes: what a newcomer trips on.

// inView reports whether the element sel is entirely inside the viewport.
func (tb *tab) inView(sel string) bool {
	tb.t.Helper()
	return eval[bool](tb, `(() => {
		const e = document.querySelector(`+jsString(sel)+`);
		if (!e) return false;
		const r = e.getBoundingClientRect();
		return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
	})()`)
}

// TestVerdictInView: after a paste (or a file, or an example) on a laptop
// window the verdict is brought into view; the page does not leave it below
// the fold. 1366×768 is the screen; 1366×657 is what a browser window on it
// leaves for the page.
func TestVerdictInView(t *testing.T) {
	tb := openPage(t)
	for _, h := range []int64{768, 657} {
		tb.do(chromedp.EmulateViewport(1366, h))
		eval[bool](tb, `(window.scrollTo(0, 0), true)`)
		tb.resetState()
		tb.setInput("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"admin\"\r\nContent-Length: 0\r\n\r\n")
		eval[bool](tb, `document.querySelector("textarea#input").dispatchEvent(new ClipboardEvent("paste", {bubbles: true}))`)
		tb.waitDone()
		if !tb.inView("#results .card .verdict") || !tb.inView("#results .card .summary") {
			t.Errorf("1366×%d, paste: the verdict is not in view (scrollY %v, verdict at %v)", h,
				eval[float64](tb, `scrollY`), eval[float64](tb, `document.querySelector("#results .card .verdict").getBoundingClientRect().top`))
		}
		// A HAR: the summary's first failure is the verdict to see.
		eval[bool](tb, `(window.scrollTo(0, 0), true)`)
		tb.upload(filepath.Join(repoRoot, "analyzer", "testdata", "cases", "story", "block-onset.har"))
		if !tb.inView("#summary .facts") {
			t.Errorf("1366×%d, HAR file: the summary is not in view (scrollY %v)", h, eval[float64](tb, `scrollY`))
		}
		// The focus stays where the user was (the paste field can take the next paste).
		eval[bool](tb, `(window.scrollTo(0, 0), document.querySelector("#input").focus(), true)`)
		tb.resetState()
		tb.do(chromedp.Click(`button[data-example="cloudflare"]`))
		tb.waitDone()
		if !tb.inView("#results .card .verdict") {
			t.Errorf("1366×%d, example: the verdict is not in view", h)
		}
	}
	// A verdict already in view is not scrolled to.
	tb.do(chromedp.EmulateViewport(1366, 2000))
	eval[bool](tb, `(window.scrollTo(0, 0), true)`)
	tb.resetState()
	tb.do(chromedp.Click(`button[data-example="expired"]`))
	tb.waitDone()
	if y := eval[float64](tb, `scrollY`); y != 0 {
		t.Errorf("a verdict already in view: the page scrolled to %v", y)
	}
	tb.do(chromedp.EmulateViewport(1366, 657))
	eval[bool](tb, `(window.scrollTo(0, 0), true)`)
	tb.resetState()
	tb.do(chromedp.Click(`button[data-example="expired"]`))
	tb.waitDone()
	shot(t, tb, "paste-1366x657.png", false)
}

// shot writes a screenshot of the tab (the viewport, or the full page) to
// docs/screenshots/NAME when WHY401_SCREENSHOT is set or the file is
// missing (./build.sh screenshot refreshes them all), and to the test's log
// directory otherwise, so a look by eye is one file away.
func shot(t *testing.T, tb *tab, name string, full bool) {
	t.Helper()
	var png []byte
	var err error
	if full {
		png, err = chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	} else {
		png, err = chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		t.Fatal(err)
	}
	writeShot(t, name, png)
}

func writeShot(t *testing.T, name string, png []byte) {
	t.Helper()
	if len(png) < 5_000 || string(png[:4]) != "\x89PNG" {
		t.Fatalf("screenshot %s: %d bytes", name, len(png))
	}
	out := filepath.Join(repoRoot, "docs", "screenshots", name)
	if _, err := os.Stat(out); err == nil && os.Getenv("WHY401_SCREENSHOT") == "" {
		out = filepath.Join(os.TempDir(), "why401-"+name)
	}
	os.MkdirAll(filepath.Dir(out), 0o755)
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", out, len(png))
}

// TestTimelineLabels: "first failure" and "block onset" a few entries
// apart in thousands are never drawn over each other nor past the canvas,
// at desktop and phone widths, at the start, the middle and the end.
func TestTimelineLabels(t *testing.T) {
	tb := openPage(t)
	for _, c := range []struct {
		name         string
		n, fail, blk int
	}{
		{"failure-then-block", 3000, 1500, 1503},
		{"next-entry", 3000, 1500, 1501},
		{"far-apart", 3000, 100, 2900},
		{"at-the-end", 5000, 4997, 4998},
	} {
		var b strings.Builder
		b.WriteString(`{"log":{"version":"1.2","creator":{"name":"gen","version":"1"},"entries":[`)
		for i := 0; i < c.n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			status, hdr, body := 200, `{"name":"Content-Type","value":"text/html"}`, ""
			host := "www.catalog.example"
			switch {
			case i == c.fail:
				host = "api.catalog.example"
				status, hdr = 401, `{"name":"WWW-Authenticate","value":"Bearer error=\"invalid_token\""}`
			case i >= c.blk && host == "www.catalog.example":
				status = 403
				hdr += `,{"name":"Server","value":"cloudflare"},{"name":"CF-RAY","value":"8c0f4f00aa11bb22-AMS"}`
				body = `<html><head><title>Attention Required! | Cloudflare</title></head><body><h1>Sorry, you have been blocked</h1><p>error code: 1020</p></body></html>`
			}
			fmt.Fprintf(&b, `{"startedDateTime":"2026-11-03T12:%02d:%02d.%03dZ","request":{"method":"GET","url":"https://%s/p/%d","headers":[]},"response":{"status":%d,"headers":[%s],"content":{"mimeType":"text/html","text":%q}}}`,
				i/60000%60, i/1000%60, i%1000, host, i, status, hdr, body)
		}
		b.WriteString(`]}}`)
		p := filepath.Join(t.TempDir(), c.name+".har")
		os.WriteFile(p, []byte(b.String()), 0o644)
		for _, w := range []int64{1100, 390} {
			tb.do(chromedp.EmulateViewport(w, 900))
			tb.upload(p)
			st := tb.timeline()
			if !strings.Contains(st.Markers, "block onset") || !strings.Contains(st.Markers, "first failure") {
				t.Fatalf("%s at %d px: markers %q", c.name, w, st.Markers)
			}
			labels := eval[[]struct {
				Text       string
				X, Y, W, H float64
			}](tb, `JSON.parse(document.querySelector("#timeline canvas").dataset.labels)`)
			cw := eval[float64](tb, `document.querySelector("#timeline canvas").clientWidth`)
			top := eval[float64](tb, `Number(document.querySelector("#timeline canvas").dataset.top)`)
			if len(labels) != 2 {
				t.Fatalf("%s: labels %+v", c.name, labels)
			}
			for i, a := range labels {
				if a.X < 0 || a.X+a.W > cw+0.5 || a.Y < 0 || a.Y+a.H > top {
					t.Errorf("%s at %d px: label %q at %+v outside the canvas (%v wide, rows from %v)", c.name, w, a.Text, a, cw, top)
				}
				for _, b := range labels[i+1:] {
					if a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H {
						t.Errorf("%s at %d px: labels %q %+v and %q %+v overlap", c.name, w, a.Text, a, b.Text, b)
					}
				}
			}
			if c.name == "failure-then-block" && w == 1100 {
				tb.do(chromedp.ScrollIntoView(`#timeline`))
				shot(t, tb, "timeline-labels.png", false)
			}
		}
	}
}

// TestCompareNoNull: the Compare box prints no "null" (it printed one under
// every result, "nullnull" when nothing differed).
func TestCompareNoNull(t *testing.T) {
	tb := openPage(t)
	dir := filepath.Join(repoRoot, "analyzer", "testdata", "diff", "cookie-missing")
	tb.do(chromedp.Click(`#diffbox summary`))
	for _, bad := range []string{"good.http", "bad.http"} {
		eval[bool](tb, `(document.querySelector("#diff-results").dataset.state = "stale", true)`)
		tb.do(chromedp.SetUploadFiles(`#diff-good-file`, []string{filepath.Join(dir, "good.http")}),
			chromedp.SetUploadFiles(`#diff-bad-file`, []string{filepath.Join(dir, bad)}),
			chromedp.Click(`#diff-run`), chromedp.WaitReady(`#diff-results[data-state="done"]`))
		txt := eval[string](tb, `document.querySelector("#diff-results").innerText`)
		if strings.Contains(txt, "null") || strings.Contains(txt, "undefined") {
			t.Errorf("good.http vs %s: %q", bad, txt)
		}
		if !strings.Contains(txt, "became") {
			t.Errorf("good.http vs %s: no summary: %q", bad, txt)
		}
	}
}

// TestFormatLabels: each container format is named by what it is (not "raw
// capture"), and the file pickers accept every file the page reads.
func TestFormatLabels(t *testing.T) {
	tb := openPage(t)
	dir := filepath.Join(repoRoot, "analyzer", "testdata", "cases", "formats")
	want := map[string]string{
		"bearer-invalid.har.gz":     "HAR",
		"browsertrix-datadome.wacz": "WACZ web archive",
		"burp-items.xml":            "Burp Suite export",
		"curl-v-plain-http.txt":     "curl transcript",
		"curl-v-progress-meter.txt": "curl transcript",
		"fiddler-ntlm.saz":          "Fiddler session archive",
		"playwright-challenge.zip":  "HAR",
		"rate-limited.zhar":         "HAR",
		"registry-401.warc":         "WARC web archive",
		"wget-crawl.warc.gz":        "WARC web archive",
		"curl-v-unknown-500.txt":    "curl transcript",
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	accept := map[string][]string{}
	for _, id := range []string{"file", "diff-good-file", "diff-bad-file"} {
		accept[id] = strings.Split(eval[string](tb, `document.querySelector("#`+id+`").accept`), ",")
	}
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasSuffix(name, ".golden.json") || name == "expect.json" {
			continue
		}
		label, ok := want[name]
		if !ok {
			t.Errorf("%s: no expected label in this test", name)
			continue
		}
		for id, list := range accept {
			if !slices.Contains(list, filepath.Ext(name)) {
				t.Errorf("#%s accept=%q hides %s", id, strings.Join(list, ","), name)
			}
		}
		tb.upload(f)
		line := eval[string](tb, `document.querySelector("#results .inputline")?.textContent ?? ""`)
		if !strings.Contains(line, " — "+label) || strings.Contains(line, "raw capture") {
			t.Errorf("%s: %q, want %q", name, line, label)
		}
	}
	// Everything the CLI reads by name is offered too (cmd/why401's list),
	// and the content-sniffed ones: a Playwright .zip, a Burp .xml, .json.
	for _, ext := range []string{".har", ".gz", ".zhar", ".http", ".txt", ".curl", ".log", ".warc", ".wacz", ".saz", ".zip", ".xml", ".json"} {
		if !slices.Contains(accept["file"], ext) {
			t.Errorf("#file accept lacks %s", ext)
		}
	}
	label := eval[string](tb, `document.querySelector("label[for=file]").textContent`)
	for _, w := range []string{"WARC", "SAZ", "Burp"} {
		if !strings.Contains(label, w) {
			t.Errorf("file label %q does not name %s", label, w)
		}
	}
}

// TestCardFields: a card shows the fields the report carries today
// (action, wait_seconds, reference) and ones it may carry tomorrow, by
// name: the server's own message, a reference that is an object, any other
// field, rather than leaving them out; null and empty fields stay out.
func TestCardFields(t *testing.T) {
	tb := openPage(t)
	got := evalAwait[map[string]string](tb, `import("./web/report.js").then(({ card }) => {
		const c = card({index: 3, method: "GET", url: "https://api.example.com/v1", status: 429, verdict: "rate_limit", confidence: 0.9,
			vendor: null, scheme: null, cause: "rate_limit", action: "slow_down", wait_seconds: 30, wait_until: "2026-11-03T12:00:34Z",
			reference: {id: "8c0f4e7a9b1d2e3f-FRA", kind: "Cloudflare Ray ID"}, message: "Too many requests, slow down\u001b[31m",
			summary: "Rate limited.", evidence: [], fixes: [], new_field: {a: 1, b: ["x", "y"]}, empty_field: null, none: []});
		document.body.append(c);
		const f = (k) => c.querySelector('[data-field="' + k + '"]')?.textContent ?? "";
		return {action: f("action"), wait: f("wait"), reference: f("reference"), message: c.querySelector(".server-message")?.textContent ?? "",
			new_field: f("new_field"), empty: f("empty_field") + f("none"), text: c.textContent};
	})`)
	for k, want := range map[string]string{
		"action":    "Actionslow down",
		"wait":      "Wait30 s, until 2026-11-03T12:00:34Z",
		"reference": "Referenceid: 8c0f4e7a9b1d2e3f-FRA; kind: Cloudflare Ray ID",
		"message":   `The server saidToo many requests, slow down\x1b[31m`,
		"new_field": "new fielda: 1; b: x; y",
		"empty":     "",
	} {
		if got[k] != want {
			t.Errorf("%s: %q, want %q", k, got[k], want)
		}
	}
	if strings.Contains(got["text"], "null") || strings.Contains(got["text"], "[object") {
		t.Errorf("card text: %q", got["text"])
	}
}

// evalAwait evaluates js and waits for the promise it returns.
func evalAwait[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %.200q: %v", js, err)
	}
	return v
}
