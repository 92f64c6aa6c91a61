//go:build !js

package e2e

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The DevTools extension (issue 33, extension/, docs/extension.md): built
// by ./build.sh extension, loaded unpacked from its zip in Chromium, its
// panel run on entries recorded from real page loads of a local site
// (shopSite), fed in the shape chrome.devtools.network gives.

// extEnv is the extension built once per test binary, and a browser that
// loads it, shared by the tests below.
type extEnv struct {
	build    string // the folder ./build.sh extension made
	zip      string // its zip
	unpacked string // the zip, extracted: what the browser loads
	id       string // the extension's id
	site     *shopSite
	proxy    *recordingProxy
	ctx      context.Context // the browser
	cancel   []context.CancelFunc
	tmp      string
	err      error
}

var (
	extOnce sync.Once
	ext     *extEnv
)

// cleanupExtension stops the extension's browser and servers (TestMain).
func cleanupExtension() {
	if ext == nil {
		return
	}
	for _, c := range slices.Backward(ext.cancel) {
		c()
	}
	if ext.site != nil {
		ext.site.Close()
	}
	if ext.proxy != nil {
		ext.proxy.Close()
	}
	os.RemoveAll(ext.tmp)
}

func extension(t *testing.T) *extEnv {
	t.Helper()
	needBrowser(t)
	extOnce.Do(func() { ext = setupExtension() })
	if ext.err != nil {
		t.Fatalf("extension setup: %v", ext.err)
	}
	return ext
}

// extensionID is the id Chromium gives an extension loaded unpacked from
// dir: the first 128 bits of SHA-256 of its absolute path, written with
// the letters a-p.
func extensionID(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	h := hex.EncodeToString(sum[:16])
	b := []byte(h)
	for i, c := range b {
		if c <= '9' {
			b[i] = 'a' + (c - '0')
		} else {
			b[i] = 'a' + 10 + (c - 'a')
		}
	}
	return string(b)
}

// buildExtension runs ./build.sh extension into dir/extension.
func buildExtension(dir string) (folder, zipPath string, err error) {
	folder = filepath.Join(dir, "extension")
	cmd := exec.Command("./build.sh", "extension", folder)
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("./build.sh extension: %v\n%s", err, out)
	}
	return folder, filepath.Join(dir, "why401-extension.zip"), nil
}

func unzip(zipPath, dir string) error {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(p, dir+string(filepath.Separator)) {
			return fmt.Errorf("zip member %q outside the folder", f.Name)
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		r, err := f.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// extensionFlags are the flags that load dir in Debian's Chromium, which
// still honours --load-extension (Chromium 156; Google Chrome's branded
// builds ignore it since 137, behind the DisableLoadExtensionCommandLineSwitch
// feature, turned off here for builds that still read it), and keep the
// browser from reaching out on its own as far as flags can.
func extensionFlags(dir string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("load-extension", dir),
		chromedp.Flag("disable-extensions-except", dir),
		chromedp.Flag("disable-features", "DisableLoadExtensionCommandLineSwitch,NetworkTimeServiceQuerying,Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-component-extensions-with-background-pages", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("extensions-update-frequency", "604800"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-service-autorun", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("password-store", "basic"),
	}
}

func setupExtension() *extEnv {
	e := &extEnv{}
	if setupErr != nil {
		e.err = setupErr
		return e
	}
	tmp, err := os.MkdirTemp("", "why401-ext-")
	if err != nil {
		e.err = err
		return e
	}
	e.tmp = tmp
	if e.build, e.zip, e.err = buildExtension(filepath.Join(tmp, "build")); e.err != nil {
		return e
	}
	e.unpacked = filepath.Join(tmp, "unpacked")
	if e.err = unzip(e.zip, e.unpacked); e.err != nil {
		return e
	}
	e.id = extensionID(e.unpacked)
	e.site = newShopSite()
	if e.proxy, e.err = newRecordingProxy(); e.err != nil {
		return e
	}
	opts := append(extensionFlags(e.unpacked), chromedp.ExecPath(chromiumPath()), chromedp.Headless,
		chromedp.WindowSize(1280, 900), chromedp.UserDataDir(filepath.Join(tmp, "profile")),
		// Anything that is not the local site goes to the recording proxy,
		// which refuses it: a request leaving the machine shows there.
		chromedp.ProxyServer("http://"+e.proxy.Addr()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	e.cancel = append(e.cancel, cancelAlloc)
	var cancelBrowser context.CancelFunc
	e.ctx, cancelBrowser = chromedp.NewContext(alloc)
	e.cancel = append(e.cancel, cancelBrowser)
	e.err = chromedp.Do(e.ctx)
	return e
}

// recordingProxy is the browser's proxy: it records the first line of
// every request it is asked to carry and refuses it (502).
type recordingProxy struct {
	net.Listener
	mu   sync.Mutex
	seen []string
}

func newRecordingProxy() (*recordingProxy, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &recordingProxy{Listener: l}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				line, _ := bufio.NewReader(c).ReadString('\n')
				p.mu.Lock()
				p.seen = append(p.seen, strings.TrimSpace(line))
				p.mu.Unlock()
				io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			}()
		}
	}()
	return p, nil
}

func (p *recordingProxy) Addr() string { return p.Listener.Addr().String() }

func (p *recordingProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.seen)
}

// ---- tests --------------------------------------------------------------------

// TestExtensionManifest: Manifest V3, a DevTools page and nothing else that
// runs (no background, no content script), no permission of any kind, a
// strict CSP, the privacy promise in the description, and only the
// extension APIs Firefox offers as well. The panel's own scripts make no
// request: only the workers load their own files.
func TestExtensionManifest(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "extension", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["manifest_version"] != 3.0 || m["devtools_page"] != "devtools.html" {
		t.Errorf("manifest_version %v, devtools_page %v", m["manifest_version"], m["devtools_page"])
	}
	for _, k := range []string{"permissions", "host_permissions", "optional_permissions", "optional_host_permissions", "content_scripts", "background", "externally_connectable", "web_accessible_resources", "update_url"} {
		if _, ok := m[k]; ok {
			t.Errorf("manifest has %q", k)
		}
	}
	csp, _ := m["content_security_policy"].(map[string]any)["extension_pages"].(string)
	for _, want := range []string{"default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, " 'unsafe-eval'") || strings.Contains(csp, "http") || strings.Contains(csp, "*") {
		t.Errorf("CSP allows inline code, eval or another origin: %q", csp)
	}
	desc, _ := m["description"].(string)
	if len([]rune(desc)) > 132 || !strings.Contains(desc, "nothing is sent, stored or uploaded") {
		t.Errorf("description (%d characters): %q", len([]rune(desc)), desc)
	}
	if g, _ := m["browser_specific_settings"].(map[string]any)["gecko"].(map[string]any); g["id"] == nil {
		t.Error("no browser_specific_settings.gecko.id (Firefox)")
	}
	// Extension APIs used, against those Firefox offers too (MDN:
	// devtools.panels, devtools.network, runtime.getManifest).
	firefox := []string{"chrome.devtools.panels.create", "chrome.devtools.network", "chrome.devtools.network.getHAR",
		"chrome.devtools.network.onRequestFinished", "chrome.devtools.network.onNavigated", "chrome.runtime.getManifest", "chrome.devtools"}
	api := regexp.MustCompile(`\bchrome(?:\??\.[a-zA-Z]+)+`)
	files := []string{"extension/devtools.js", "extension/panel.js", "web/dom.js", "web/client.js", "web/report.js", "web/worker.js", "web/sanitize-worker.js"}
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		code := regexp.MustCompile(`(?m)//.*$`).ReplaceAll(src, nil)
		for _, a := range api.FindAllString(string(code), -1) {
			a = strings.ReplaceAll(a, "?", "")
			if !slices.Contains(firefox, a) {
				t.Errorf("%s uses %s, not in the list of APIs Firefox offers too", f, a)
			}
		}
		if f == "web/worker.js" || f == "web/sanitize-worker.js" {
			continue // they load their own wasm_exec.js and wasm
		}
		for _, n := range []string{"fetch(", "XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon", "importScripts", "localStorage", "indexedDB", "chrome.storage"} {
			if bytes.Contains(code, []byte(n)) {
				t.Errorf("%s uses %s: the panel makes no request and stores nothing", f, n)
			}
		}
	}
}

// TestExtensionZip: ./build.sh extension makes a folder and a zip of it
// (manifest first), and the panel's analyzer is the page's wasm, byte for
// byte, within the page's budget.
func TestExtensionZip(t *testing.T) {
	e := extension(t)
	zr, err := zip.OpenReader(e.zip)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	var files []string
	filepath.WalkDir(e.build, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(e.build, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(names) == 0 || names[0] != "manifest.json" {
		t.Errorf("zip starts with %v", names[:min(1, len(names))])
	}
	if a, b := slices.Sorted(slices.Values(names)), slices.Sorted(slices.Values(files)); !slices.Equal(a, b) {
		t.Errorf("zip %v\nfolder %v", a, b)
	}
	for _, want := range []string{"devtools.html", "devtools.js", "panel.html", "panel.js", "web/report.js", "web/client.js", "web/dom.js", "web/worker.js", "web/analyzer.wasm", "web/sanitizer.wasm", "web/wasm_exec.js", "web/GO-LICENSE", "icons/why401-128.png"} {
		if !slices.Contains(names, want) {
			t.Errorf("zip lacks %s", want)
		}
	}
	mine, err := os.ReadFile(filepath.Join(e.unpacked, "web", "analyzer.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(siteRoot, "web", "analyzer.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mine, page) {
		t.Errorf("the extension's analyzer.wasm (%d bytes) is not the page's (%d bytes)", len(mine), len(page))
	}
	fi, _ := os.Stat(e.zip)
	t.Logf("%s: %d bytes, %d files", filepath.Base(e.zip), fi.Size(), len(names))
}

// panelTab opens the extension's panel page in a new tab of the
// extension's browser, recording its requests.
type panelTab struct {
	*tab
	url  string
	reqs func() []string
}

func openPanelTab(t *testing.T, e *extEnv) *panelTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(e.ctx)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelT)
	var mu sync.Mutex
	var reqs []string
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	chromedp.Listen(ctx, func(ev any) {
		if r, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			reqs = append(reqs, r.Request.Method+" "+r.Request.URL)
			mu.Unlock()
		}
	})
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	base := "chrome-extension://" + e.id + "/"
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"panel.html"), chromedp.WaitReady(`#status`)); err != nil {
		t.Fatalf("the panel page did not load (is the extension loaded, id %s?): %v", e.id, err)
	}
	return &panelTab{tab: &tab{ctx: ctx, t: t}, url: base, reqs: func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(reqs)
	}}
}

// feed starts the panel on a stand-in for chrome.devtools.network holding
// entries: the first before of them come from getHAR() (made before the
// panel opened), the rest through onRequestFinished one by one, each with
// getContent answering as DevTools does (body, encoding) after a tick.
func (p *panelTab) feed(entries []recorded, before int) {
	p.t.Helper()
	b, _ := json.Marshal(entries)
	evalAwait[bool](p.tab, `(async () => {
		const recorded = `+string(b)+`, before = `+fmt.Sprint(before)+`;
		const entry = (r) => Object.assign(structuredClone(r.entry), {
			getContent(cb) { setTimeout(() => cb(r.body, r.encoding), 1); },
		});
		const listeners = [];
		const network = {
			getHAR(cb) { setTimeout(() => cb({ version: "1.2", entries: recorded.slice(0, before).map(entry) }), 1); },
			onRequestFinished: { addListener(f) { listeners.push(f); } },
			onNavigated: { addListener() {} },
		};
		const { start } = await import("./panel.js");
		start(network);
		for (const r of recorded.slice(before)) {
			await new Promise((ok) => setTimeout(ok, 20));
			for (const f of listeners) f(entry(r));
		}
		return true;
	})()`)
}

// settled waits until the panel has analysed n entries and nothing is pending.
func (p *panelTab) settled(n int) {
	p.t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`(() => {
		const r = document.querySelector("#results");
		return r.dataset.state === "done" && r.dataset.entries === "`+fmt.Sprint(n)+`" && !/analysing/.test(document.querySelector("#status").textContent);
	})()`, chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil {
		p.t.Fatalf("the panel did not settle on %d entries: %v; status %q", n, err, eval[string](p.tab, `document.querySelector("#status").textContent`))
	}
}

type panelRow struct {
	Index   string `json:"index"`
	URL     string `json:"url"`
	Verdict string `json:"verdict"`
	Cause   string `json:"cause"`
	Vendor  string `json:"vendor"`
}

func (p *panelTab) rows() []panelRow {
	return eval[[]panelRow](p.tab, `[...document.querySelectorAll("#results tr.entry")].map((r) => ({
		index: r.dataset.index, url: r.querySelector("td.url bdi")?.textContent ?? "", verdict: r.dataset.verdict, cause: r.dataset.cause, vendor: r.dataset.vendor}))`)
}

// checkRows holds the panel's rows to shopWant, failing ones first.
func checkRows(t *testing.T, rows []panelRow) {
	t.Helper()
	seen := map[string]bool{}
	okSeen := false
	for _, r := range rows {
		if r.Verdict == "ok" {
			okSeen = true
		} else if okSeen {
			t.Errorf("a failing row after an ok one: %+v", r)
		}
		k := shopKey(r.URL)
		want, ok := shopWant[k]
		if !ok {
			continue
		}
		seen[k] = true
		if r.Verdict != want.verdict || want.cause != "" && r.Cause != want.cause || want.vendor != "" && r.Vendor != want.vendor {
			t.Errorf("%s (%s): %s/%s/%s, want %s/%s/%s", k, r.URL, r.Verdict, r.Cause, r.Vendor, want.verdict, want.cause, want.vendor)
		}
	}
	for k := range shopWant {
		if !seen[k] {
			t.Errorf("no row for %s", k)
		}
	}
}

// TestExtensionPanel: real page loads of the local site, recorded in one
// tab; the extension's panel, opened in another, gets the first three
// through getHAR() and the rest as they "finish", and shows every request
// with its verdict (failing ones first), the summary, the timeline and the
// cards; copies Markdown, compares two picked entries, saves a sanitized
// HAR; makes no request but its own files, and the proxy every other
// request would go through sees none.
func TestExtensionPanel(t *testing.T) {
	e := extension(t)
	// The crawl, in a tab of its own.
	crawlCtx, cancel := chromedp.NewContext(e.ctx)
	defer cancel()
	crawlCtx, cancelT := context.WithTimeout(crawlCtx, 60*time.Second)
	defer cancelT()
	entries, err := record(crawlCtx, e.site.crawl())
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, r := range entries {
		urls = append(urls, fmt.Sprint(r.Entry["response"].(map[string]any)["status"], " ", r.Entry["request"].(map[string]any)["url"]))
	}
	t.Logf("%d entries recorded: %s", len(entries), strings.Join(urls, "; "))
	if out := os.Getenv("WHY401_RECORDED_HAR"); out != "" {
		// The recorded crawl as a HAR, to run the CLI on: why401 -v FILE.
		var list []map[string]any
		for _, r := range entries {
			list = append(list, r.Entry)
		}
		b, _ := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]any{"name": "why401 DevTools panel"}, "entries": list}})
		os.WriteFile(out, b, 0o644)
	}
	if len(entries) < 12 {
		t.Fatalf("only %d entries recorded", len(entries))
	}
	e.site.forget()

	p := openPanelTab(t, e)
	if s := eval[string](p.tab, `document.querySelector("#status").textContent`); !strings.Contains(s, "Open DevTools") {
		t.Errorf("panel opened outside DevTools says %q", s)
	}
	p.do(chromedp.EmulateViewport(1100, 800))
	p.feed(entries, 3)
	p.settled(len(entries))
	rows := p.rows()
	if len(rows) != len(entries) {
		t.Errorf("%d rows for %d entries", len(rows), len(entries))
	}
	checkRows(t, rows)
	for _, r := range rows {
		t.Logf("#%s %s: %s %s %s", r.Index, r.URL, r.Verdict, r.Cause, r.Vendor)
	}
	status := eval[string](p.tab, `document.querySelector("#status").textContent`)
	if !strings.Contains(status, fmt.Sprintf("%d requests (3 from before the panel opened)", len(entries))) || !strings.Contains(status, "problems") {
		t.Errorf("status %q", status)
	}
	summary := eval[string](p.tab, `document.querySelector("#summary")?.textContent ?? ""`)
	for _, want := range []string{"First failure", "First block", "cloudflare", "shop.localhost", "account.shop.localhost"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q: %.400s", want, summary)
		}
	}
	if marks := eval[int](p.tab, `Number(document.querySelector("#timeline canvas")?.dataset.marks ?? 0)`); marks != len(entries) {
		t.Errorf("timeline: %d marks", marks)
	}
	html := eval[string](p.tab, `document.documentElement.outerHTML`)
	for _, secret := range []string{shopBearer[:len(shopBearer)-4], expiredJWT[:40], "sess_Q3vT8wX1yZ5a"} {
		if strings.Contains(html, secret) {
			t.Errorf("the panel shows a secret: %s…", secret)
		}
	}

	// The README's screenshot: the panel on a blocked crawl, as it opens.
	eval[bool](p.tab, `(window.scrollTo(0, 0), true)`)
	shot(t, p.tab, "extension-panel.png", false)

	// DevTools docked beside a page leaves the panel a phone's width: every
	// row keeps its pick box and its toggle, and nothing scrolls sideways.
	p.do(chromedp.EmulateViewport(420, 800))
	if hidden := eval[int](p.tab, `[...document.querySelectorAll("#results tr.entry")].filter((r) => !r.querySelector("button.toggle").offsetParent || !r.querySelector("input.pick").offsetParent).length`); hidden > 0 {
		t.Errorf("at 420 px, %d rows lost their toggle or pick box", hidden)
	}
	if over := eval[bool](p.tab, `document.documentElement.scrollWidth > window.innerWidth + 1`); over {
		t.Errorf("at 420 px the panel scrolls sideways (%v px)", eval[int](p.tab, `document.documentElement.scrollWidth`))
	}
	p.do(chromedp.EmulateViewport(1100, 800))

	// Cards: open the challenge's row.
	var challenge, okPage string
	for _, r := range rows {
		switch shopKey(r.URL) {
		case "shop /products#5":
			challenge = r.Index
		case "shop /products":
			okPage = r.Index
		}
	}
	if challenge == "" || okPage == "" {
		t.Fatalf("rows %+v", rows)
	}
	if !eval[bool](p.tab, `!!document.querySelector('#results .card[data-index="`+challenge+`"]')`) {
		p.do(chromedp.Click(`tr.entry[data-index="` + challenge + `"] button.toggle`))
	}
	card := eval[string](p.tab, `document.querySelector('#results .card[data-index="`+challenge+`"]').textContent`)
	if !strings.Contains(card, "Bot block in disguise") || !strings.Contains(card, "How to fix") {
		t.Errorf("challenge card: %.300s", card)
	}

	// Copy report as Markdown.
	eval[bool](p.tab, `(navigator.clipboard.writeText = (t) => { window.__copied = t; return Promise.resolve(); }, window.__copied = "", true)`)
	p.do(chromedp.Click(`#copy-md`))
	md, err := chromedp.Run(p.ctx, chromedp.Poll[string](`window.__copied`, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil || !strings.Contains(md, "bot") || !strings.Contains(md, "shop.localhost") {
		t.Errorf("markdown %.300q (%v)", md, err)
	}

	// Compare: the product page that worked and the challenge.
	p.do(chromedp.Click(`tr.entry[data-index="`+challenge+`"] input.pick`), chromedp.Click(`tr.entry[data-index="`+okPage+`"] input.pick`))
	if dis := eval[bool](p.tab, `document.querySelector("#compare").disabled`); dis {
		t.Fatal("compare stays disabled with two entries picked")
	}
	p.do(chromedp.Click(`#compare`), chromedp.WaitReady(`#diff-results[data-state="done"]`))
	diff := eval[string](p.tab, `document.querySelector("#diff-results").textContent`)
	eval[bool](p.tab, `(window.scrollTo(0, 0), true)`)
	shot(t, p.tab, "extension-compare.png", false)
	if !strings.Contains(diff, "became HTTP 403 (bot)") || !strings.Contains(diff, "#"+okPage+" (worked) against #"+challenge+" (failed)") {
		t.Errorf("comparison: %.500s", diff)
	}

	// A sanitized HAR, saved through a download.
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(p.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Click(`#save-har`), chromedp.WaitReady(`#sanitize-link`))
	var saved []byte
	for i := 0; i < 100 && !json.Valid(saved); i++ {
		time.Sleep(100 * time.Millisecond)
		saved, _ = os.ReadFile(filepath.Join(dir, "inspected-tab.sanitized.har"))
	}
	if !json.Valid(saved) || strings.Contains(string(saved), shopBearer) || strings.Contains(string(saved), expiredJWT) || !strings.Contains(string(saved), "why401-redacted-") {
		t.Errorf("sanitized HAR (%d bytes): %.300s", len(saved), saved)
	}

	// A page of the extension cannot reach a site, even the local one.
	blocked := evalAwait[string](p.tab, `fetch(`+jsString(e.site.url("shop", "/csp-probe"))+`).then(() => "fetched", (e) => "refused: " + e.message)`)
	if !strings.HasPrefix(blocked, "refused") {
		t.Errorf("the panel fetched a site: %s", blocked)
	}

	// No request left the extension: the panel loaded its own files only,
	// the site saw nothing after the crawl, the proxy nothing at all.
	for _, r := range p.reqs() {
		if !strings.HasPrefix(r, "GET "+p.url) && !strings.HasPrefix(r, "GET blob:") && !strings.HasPrefix(r, "GET data:") {
			t.Errorf("the panel asked for %s", r)
		}
	}
	if got := e.site.requests(); len(got) > 0 {
		t.Errorf("the site saw requests from the panel: %v", got)
	}
	t.Logf("panel requests: %q", p.reqs())
	checkProxy(t, e.proxy.requests())
}

// chromiumOwn are the hosts Chromium itself calls whatever the flags (its
// update service for built-in components, Google sign-in's account list),
// seen at the proxy before and after the panel runs alike: they are the
// browser's, not the extension's (whose requests the tests record in its
// tab, and whose CSP refuses any other origin).
var chromiumOwn = regexp.MustCompile(`^(?:CONNECT |[A-Z]+ http://)(?:[a-z0-9-]+\.)*(?:google\.com|googleapis\.com|gvt1\.com|gstatic\.com)(?::443)?[ /]`)

// checkProxy fails on any request the recording proxy saw but Chromium's own.
func checkProxy(t *testing.T, seen []string) {
	t.Helper()
	var own []string
	for _, r := range seen {
		if chromiumOwn.MatchString(r) {
			own = append(own, strings.Fields(r)[1])
			continue
		}
		t.Errorf("a request left the browser: %s", r)
	}
	if len(own) > 0 {
		t.Logf("Chromium's own background requests (refused by the proxy): %v", own)
	}
}
