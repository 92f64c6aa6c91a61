//go:build !js

// Command page measures the why401 page in headless Chromium: time until the
// analyzer is ready, click-to-verdict for a pasted response, and end-to-end
// time and throughput for a large generated HAR fed through input#file.
// It serves the repository root (run ./build.sh first); see bench/page.sh.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"why401/internal/site"
)

func main() {
	root := flag.String("root", ".", "repository root (index.html, web/)")
	mb := flag.Int("mb", 100, "size of the generated HAR in MB (0 to skip)")
	runs := flag.Int("runs", 20, "click-to-verdict runs")
	exe := flag.String("chromium", "/usr/bin/chromium", "browser binary")
	gen := flag.String("gen", "", "only write the generated HAR (-mb MB) to this path and exit")
	harFile := flag.String("har", "", "time this HAR (e.g. one of go run ./bench/genhar's two shapes) instead of a generated one")
	flag.Parse()
	if *gen != "" {
		n, entries := genHAR(*gen, int64(*mb)<<20)
		fmt.Printf("%s: %d bytes, %d entries\n", *gen, n, entries)
		return
	}

	srv := httptest.NewServer(site.Handler(*root))
	defer srv.Close()
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(*exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true))
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(alloc)
	defer cancel2()
	ctx, cancel3 := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel3()
	must(chromedp.Do(ctx))

	t0 := time.Now()
	must(chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitReady(`html[data-ready="true"]`)))
	fmt.Printf("page load → analyzer ready: %d ms (wall, includes wasm download and compile)\n", time.Since(t0).Milliseconds())

	// Click-to-verdict: the page stamps #results[data-ms] from the click
	// handler to the end of rendering.
	capture := "GET /v1/me HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer abc.def.ghi\n\nHTTP/2 401\nwww-authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"\ncontent-type: application/json\n\n{\"error\":\"invalid_token\"}\n"
	js, _ := json.Marshal(capture)
	var ms []float64
	for i := 0; i < *runs; i++ {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise(resolve => {
			const r = document.querySelector("#results");
			r.dataset.state = "stale";
			document.querySelector("#input").value = `+string(js)+`;
			const mo = new MutationObserver(() => { if (r.dataset.state === "done") { mo.disconnect(); resolve(r.dataset.ms + " " + r.dataset.workerMs); } });
			mo.observe(r, {attributes: true});
			document.querySelector("#analyze").click();
		})`, chromedp.EvalAwaitPromise))
		must(err)
		var total, worker float64
		fmt.Sscan(v, &total, &worker)
		ms = append(ms, total)
	}
	sort.Float64s(ms)
	fmt.Printf("click → verdict rendered (pasted 401, %d runs): median %.1f ms, p90 %.1f ms, max %.1f ms\n",
		len(ms), ms[len(ms)/2], ms[len(ms)*9/10], ms[len(ms)-1])

	if *mb <= 0 && *harFile == "" {
		return
	}
	var p string
	var n int64
	var entries int
	if *harFile != "" {
		p = *harFile
		st, err := os.Stat(p)
		must(err)
		n, entries = st.Size(), -1
	} else {
		dir, err := os.MkdirTemp("", "why401-bench-")
		must(err)
		defer os.RemoveAll(dir)
		p = filepath.Join(dir, fmt.Sprintf("big-%dmb.har", *mb))
		n, entries = genHAR(p, int64(*mb)<<20)
	}
	t1 := time.Now()
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector("#results").dataset.state = "stale", true)`))
	must(err)
	must(chromedp.Do(ctx, chromedp.SetUploadFiles(`input#file`, []string{p})))
	// Responsiveness: while the worker analyses, the main thread keeps
	// answering; measure the longest gap between animation frames.
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`(window.__gaps = [], (function tick(prev) {
		requestAnimationFrame(now => { window.__gaps.push(now - prev); if (document.querySelector("#results").dataset.state !== "done") tick(now); });
	})(performance.now()), true)`))
	must(err)
	must(chromedp.Do(ctx, chromedp.WaitReady(`#results[data-state="done"]`)))
	wall := time.Since(t1)
	info, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#results").dataset.ms + " " + document.querySelector("#results").dataset.workerMs + " " + Math.max(...window.__gaps).toFixed(0) + " " + document.querySelector("#results").dataset.renderMs + " " + document.querySelectorAll("#results tr.entry").length + " " + document.querySelector("#results .inputline")?.textContent`))
	must(err)
	f := strings.SplitN(info, " ", 6)
	var pageMs, workerMs float64
	fmt.Sscan(f[0], &pageMs)
	fmt.Sscan(f[1], &workerMs)
	if entries >= 0 {
		fmt.Printf("large HAR: %.1f MB, %d entries\n", float64(n)/1e6, entries)
	} else {
		fmt.Printf("large HAR: %s, %.1f MB\n", p, float64(n)/1e6)
	}
	fmt.Printf("  file chosen → report rendered: %.0f ms (%.1f MB/s); in the worker: %.0f ms (%.1f MB/s); wall %d ms\n",
		pageMs, float64(n)/1e6/(pageMs/1000), workerMs, float64(n)/1e6/(workerMs/1000), wall.Milliseconds())
	fmt.Printf("  longest main-thread frame gap while analysing: %s ms (of which parsing and rendering the report: %s ms); table rows rendered: %s; %s\n", f[2], f[3], f[4], f[5])
}

// genHAR writes a HAR of about size bytes: mostly 200s with 1–2 KB bodies,
// every 50th entry an expired-token 401, every 97th a Cloudflare challenge.
func genHAR(path string, size int64) (int64, int) {
	f, err := os.Create(path)
	must(err)
	defer f.Close()
	body := strings.Repeat(`{\"id\":12345,\"name\":\"item\",\"tags\":[\"a\",\"b\"]},`, 30)
	var n int64
	w := func(s string) { k, err := f.WriteString(s); must(err); n += int64(k) }
	w(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[`)
	i := 0
	for ; n < size; i++ {
		if i > 0 {
			w(",")
		}
		status, hdrs, text := 200, `{"name":"content-type","value":"application/json"}`, "["+body+"{}]"
		switch {
		case i%97 == 96:
			status, hdrs, text = 403, `{"name":"server","value":"cloudflare"},{"name":"cf-mitigated","value":"challenge"},{"name":"cf-ray","value":"8c0f4e7a9b1d2e3f-FRA"},{"name":"content-type","value":"text/html"}`, `<html><title>Just a moment...</title></html>`
		case i%50 == 49:
			status, hdrs, text = 401, `{"name":"www-authenticate","value":"Bearer error=\"invalid_token\", error_description=\"The access token expired\""}`, `{\"error\":\"invalid_token\"}`
		}
		w(fmt.Sprintf(`{"startedDateTime":"2026-01-12T09:30:%02d.000Z","time":12,"request":{"method":"GET","url":"https://api.example.com/v1/items/%d","httpVersion":"http/2.0","headers":[{"name":":authority","value":"api.example.com"},{"name":"authorization","value":"Bearer tok_%08d_abcdefghijklmnop"},{"name":"user-agent","value":"Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},"response":{"status":%d,"statusText":"","httpVersion":"http/2.0","headers":[%s],"cookies":[],"content":{"size":%d,"mimeType":"application/json","text":"%s"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":1,"wait":10,"receive":1}}`,
			i%60, i, i, status, hdrs, len(text), text))
	}
	w(`]}}`)
	return n, i
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
