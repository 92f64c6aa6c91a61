//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// startXvfb starts a virtual X display for a headed browser and returns
// its name (":99"); it is stopped when the test ends. Without Xvfb the test
// is skipped (in CI, where .ci/run installs it, it fails).
func startXvfb(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("Xvfb")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("Xvfb is missing and CI is set (apt-get install -y xvfb; .ci/run does)")
		}
		t.Skip("Xvfb not found: the test that drives the real DevTools is skipped (apt-get install xvfb)")
	}
	for n := 90; n < 200; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		cmd := exec.Command(bin, display, "-screen", "0", "1400x1000x24", "-nolisten", "tcp")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		t.Cleanup(func() { cmd.Process.Kill(); <-done })
		sock := fmt.Sprintf("/tmp/.X11-unix/X%d", n)
		for i := 0; i < 100; i++ {
			select {
			case err := <-done:
				done <- err
				t.Fatalf("Xvfb %s exited: %v", display, err)
			default:
			}
			if _, err := os.Stat(sock); err == nil {
				return display
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("Xvfb %s did not start", display)
	}
	t.Fatal("no free X display")
	return ""
}

// findTarget waits for a target whose URL satisfies ok.
func findTarget(ctx context.Context, ok func(*target.Info) bool) (*target.Info, error) {
	for {
		ts, err := chromedp.Targets(ctx)
		if err != nil {
			return nil, err
		}
		for _, x := range ts {
			if ok(x) {
				return x, nil
			}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// TestExtensionDevTools opens the real why401 panel: a headed Chromium on
// a virtual display (Xvfb) with DevTools open on its tab and the unpacked
// extension loaded. The tab loads the shop's home page, DevTools shows the
// why401 panel (Ctrl+] through the panels, as a user would), the tab goes
// on through the crawl, and the panel lists every request with its verdict:
// the ones made before it opened from getHAR(), the rest as they finish,
// with the Authorization header and the redirect's Set-Cookie that decide
// two of the verdicts (the API gives them unsanitized).
func TestExtensionDevTools(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a headed browser")
	}
	e := extension(t)
	display := startXvfb(t)
	proxy, err := newRecordingProxy()
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	// DevTools in a window of its own (not docked beside the page), so the
	// panel gets the whole width.
	profile := filepath.Join(t.TempDir(), "profile")
	os.MkdirAll(filepath.Join(profile, "Default"), 0o755)
	os.WriteFile(filepath.Join(profile, "Default", "Preferences"), []byte(`{"devtools":{"preferences":{"currentDockState":"\"undocked\""}}}`), 0o644)
	opts := append(extensionFlags(e.unpacked), chromedp.ExecPath(chromiumPath()),
		chromedp.Env("DISPLAY="+display), chromedp.WindowSize(1400, 1000),
		chromedp.UserDataDir(profile),
		chromedp.Flag("auto-open-devtools-for-tabs", true),
		chromedp.ProxyServer("http://"+proxy.Addr()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	defer cancelT()

	// DevTools records a tab's requests once its front end is up (its
	// extension pages started): the pages before that would be unknown to
	// it, as to a user who opens DevTools after the fact.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if _, err := findTarget(ctx, func(x *target.Info) bool { return x.URL == "chrome-extension://"+e.id+"/devtools.html" }); err != nil {
		t.Fatalf("the extension's DevTools page did not start: %v", err)
	}
	t.Logf("DevTools up in %v", time.Since(t0).Round(time.Millisecond))
	time.Sleep(500 * time.Millisecond)
	crawl := e.site.crawl()
	before := crawl[:1] // the home page and its two API calls, before the panel opens
	for _, u := range before {
		if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(700 * time.Millisecond) // the page's own requests
	}
	dt, err := findTarget(ctx, func(x *target.Info) bool {
		return strings.HasPrefix(x.URL, "devtools://devtools/bundled/devtools_app.html")
	})
	if err != nil {
		t.Fatalf("no DevTools window: %v", err)
	}
	if _, err := findTarget(ctx, func(x *target.Info) bool { return x.URL == "chrome-extension://"+e.id+"/devtools.html" }); err != nil {
		t.Fatalf("the extension's DevTools page did not start: %v", err)
	}
	dctx, dcancel := chromedp.NewContext(ctx, chromedp.WithTargetID(dt.TargetID))
	defer dcancel()
	var panel *target.Info
	for i := 0; i < 30 && panel == nil; i++ {
		if err := chromedp.Do(dctx, chromedp.KeyEvent("]", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
			t.Fatal(err)
		}
		pctx, pcancel := context.WithTimeout(ctx, 400*time.Millisecond)
		panel, _ = findTarget(pctx, func(x *target.Info) bool { return x.URL == "chrome-extension://"+e.id+"/panel.html" })
		pcancel()
	}
	if panel == nil {
		t.Fatal("Ctrl+] did not bring up the why401 panel")
	}
	pctx, pcancel := chromedp.NewContext(ctx, chromedp.WithTargetID(panel.TargetID))
	defer pcancel()
	p := &panelTab{tab: &tab{ctx: pctx, t: t}}
	if _, err := chromedp.Run(pctx, chromedp.Poll[bool](`document.documentElement.dataset.ready === "true"`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the panel's analyzer did not start: %v", err)
	}
	for _, u := range crawl[len(before):] {
		if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(700 * time.Millisecond) // the page's own requests
	}
	// Every request of the crawl (favicons come and go): wait for the last.
	_, err = chromedp.Run(pctx, chromedp.Poll[bool](`(() => {
		const r = document.querySelector("#results");
		return r.dataset.state === "done" && !/analysing/.test(document.querySelector("#status").textContent) &&
			[...document.querySelectorAll("#results tr.entry td.url")].some((td) => td.textContent.includes("account.shop.localhost"));
	})()`, chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil {
		t.Fatalf("the panel did not show the crawl: %v; status %q", err, eval[string](p.tab, `document.querySelector("#status").textContent`))
	}
	time.Sleep(time.Second) // a late favicon
	p.settled(eval[int](p.tab, `entries = Number(document.querySelector("#results").dataset.entries)`))
	rows := p.rows()
	for _, r := range rows {
		t.Logf("#%s %s: %s %s %s", r.Index, r.URL, r.Verdict, r.Cause, r.Vendor)
	}
	checkRows(t, rows)
	status := eval[string](p.tab, `document.querySelector("#status").textContent`)
	t.Logf("status: %s", status)
	if !strings.Contains(status, "from before the panel opened") {
		t.Errorf("no request came from getHAR(): %q", status)
	}
	if png, err := chromedp.Run(dctx, chromedp.CaptureScreenshot()); err == nil {
		writeShot(t, "devtools-panel.png", png)
	} else {
		t.Logf("screenshot of DevTools: %v", err)
	}
	// In DevTools' frame: "Copy report as Markdown" reaches the clipboard
	// (or offers the text to copy by hand), and the sanitized HAR downloads.
	p.do(chromedp.Click(`#copy-md`))
	copied, err := chromedp.Run(pctx, chromedp.Poll[string](`(() => {
		const b = document.querySelector("#copy-md"), f = document.querySelector(".copy-fallback");
		return b.textContent === "Copied" ? "clipboard" : f ? "fallback" : "";
	})()`, chromedp.WithPollingTimeout(5*time.Second)))
	t.Logf("Copy report as Markdown in DevTools: %s (%v)", copied, err)
	if err != nil {
		t.Error("Copy report as Markdown did nothing in DevTools")
	}
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl}); err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Click(`#save-har`), chromedp.WaitReady(`#sanitize-link`))
	var saved []byte
	for i := 0; i < 100 && !json.Valid(saved); i++ {
		time.Sleep(100 * time.Millisecond)
		saved, _ = os.ReadFile(filepath.Join(dl, "inspected-tab.sanitized.har"))
	}
	if !json.Valid(saved) || strings.Contains(string(saved), expiredJWT) {
		ls, _ := os.ReadDir(dl)
		t.Errorf("no sanitized HAR downloaded from DevTools (%d bytes; %v)", len(saved), ls)
	}
	checkProxy(t, proxy.requests())
}
