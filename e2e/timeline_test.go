//go:build !js

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

type timelineState struct {
	Marks   int            `json:"marks"`
	Rows    int            `json:"rows"`
	Axis    string         `json:"axis"`
	Markers string         `json:"markers"`
	Legend  map[string]int `json:"legend"`
	Inked   int            `json:"inked"`
	DrawMs  string         `json:"drawMs"`
}

func (tb *tab) timeline() timelineState {
	tb.t.Helper()
	tb.do(chromedp.WaitReady(`#timeline canvas[data-markers]`))
	return eval[timelineState](tb, `(() => {
		const c = document.querySelector("#timeline canvas");
		const legend = {};
		for (const s of document.querySelectorAll("#timeline .tl-legend [data-verdict]")) legend[s.dataset.verdict] = Number(s.dataset.count);
		const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let inked = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i]) inked++;
		return {marks: Number(c.dataset.marks), rows: Number(c.dataset.rows), axis: c.dataset.axis, markers: c.dataset.markers, legend, inked, drawMs: c.dataset.drawMs};
	})()`)
}

// clickEntry clicks the timeline where entry index is drawn, with a real
// mouse event, and returns the entry whose mark is there.
func (tb *tab) clickEntry(index int) int {
	tb.t.Helper()
	p := eval[struct {
		X, Y  float64
		Shown int
	}](tb, `(() => {
		const c = document.querySelector("#timeline canvas");
		c.scrollIntoView({block: "center"});
		const r = c.getBoundingClientRect(), p = c.pointFor(`+strconv.Itoa(index)+`);
		return {x: r.left + p.x, y: r.top + p.y, shown: p.shown};
	})()`)
	tb.do(chromedp.MouseClickXY(p.X, p.Y))
	return p.Shown
}

// TestTimeline: a HAR shows a canvas timeline above the entries table, one
// row per host, marks whose counts match the report's, the block onset
// marked, and a click on a mark opens that entry's card.
func TestTimeline(t *testing.T) {
	tb := openPage(t)
	tb.upload(filepath.Join(repoRoot, "analyzer", "testdata", "cases", "story", "block-onset.har"))
	if above := eval[bool](tb, `(() => { const t = document.querySelector("#timeline"), e = document.querySelector("#entries"); return !!t && !!e && !!(t.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING); })()`); !above {
		t.Fatal("no timeline above the entries table")
	}
	st := tb.timeline()
	rows := tb.results("tr.entry")
	want := map[string]int{}
	for _, r := range rows {
		want[r.Verdict]++
	}
	if st.Marks != len(rows) || fmt.Sprint(st.Legend) != fmt.Sprint(want) {
		t.Errorf("timeline %d marks, legend %v; the report has %d entries, %v", st.Marks, st.Legend, len(rows), want)
	}
	if st.Axis != "time" || st.Rows != 1 || st.Inked < 100 {
		t.Errorf("timeline state %+v", st)
	}
	block := eval[int](tb, `(() => { const b = document.querySelector('#summary button[data-goto]:last-of-type'); return Number(b?.dataset.goto ?? -1); })()`)
	if !strings.Contains(st.Markers, "block onset #"+strconv.Itoa(block)) {
		t.Errorf("markers %q; first block is entry %d", st.Markers, block)
	}
	// A click on the block's mark opens its card and focuses its toggle.
	shown := tb.clickEntry(block)
	tb.do(chromedp.WaitReady(`#results .card[data-index="` + strconv.Itoa(shown) + `"]`))
	if open := eval[bool](tb, `!document.querySelector("#entry-`+strconv.Itoa(shown)+`").hidden`); !open {
		t.Errorf("entry %d not open after the click", shown)
	}
	if id := eval[string](tb, `document.activeElement.getAttribute("aria-controls") ?? ""`); id != "entry-"+strconv.Itoa(shown) {
		t.Errorf("focus after the click: %q, want entry-%d", id, shown)
	}
	// An ok entry, opened from the timeline too.
	first := tb.clickEntry(0)
	tb.do(chromedp.WaitReady(`#results .card[data-index="` + strconv.Itoa(first) + `"]`))
}

// TestTimelineManyEntries: 100,000 entries on 40 hosts draw on one canvas
// (hosts past 16 share a row) with counts matching the report; the draw
// time is logged, not asserted.
func TestTimelineManyEntries(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses 100,000 entries in the page")
	}
	tb := openPage(t)
	const n = 100000
	var b strings.Builder
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"gen","version":"1"},"entries":[`)
	want := map[string]int{}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		status, hdr, v := 200, `{"name":"Content-Type","value":"text/plain"}`, "ok"
		switch {
		case i%1000 == 999:
			status, hdr, v = 401, `{"name":"WWW-Authenticate","value":"Bearer error=\"invalid_token\""}`, "auth"
		case i > 90000 && i%7 == 0:
			status, hdr, v = 429, `{"name":"Retry-After","value":"30"}`, "rate_limit"
		}
		want[v]++
		fmt.Fprintf(&b, `{"startedDateTime":"2026-11-05T09:%02d:%02d.%03dZ","request":{"method":"GET","url":"https://h%d.example/i/%d","headers":[]},"response":{"status":%d,"headers":[%s],"content":{"mimeType":"text/plain","text":""}}}`,
			i/60000%60, i/1000%60, i%1000, i%40, i, status, hdr)
	}
	b.WriteString(`]}}`)
	p := filepath.Join(t.TempDir(), "many.har")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tb.upload(p)
	st := tb.timeline()
	t.Logf("100,000 entries: %d rows, drawn in %s ms, %d inked pixels", st.Rows, st.DrawMs, st.Inked)
	if st.Marks != n || st.Rows != 16 || fmt.Sprint(st.Legend) != fmt.Sprint(want) {
		t.Errorf("timeline %+v; want %d marks, 16 rows, %v", st, n, want)
	}
	// A resize draws again from the same bins' inputs: log that time too.
	tb.do(chromedp.EmulateViewport(800, 900))
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`document.querySelector("#timeline canvas").width <= 800 * devicePixelRatio`)); err != nil {
		t.Fatal(err)
	}
	t.Logf("redrawn at 800 px in %s ms", eval[string](tb, `document.querySelector("#timeline canvas").dataset.drawMs`))
	line := eval[string](tb, `document.querySelector("#results .inputline").textContent`)
	if !strings.Contains(line, "100000 exchanges") {
		t.Errorf("input line %q", line)
	}
	shown := tb.clickEntry(99999)
	tb.do(chromedp.WaitReady(`#results .card[data-index="` + strconv.Itoa(shown) + `"]`))
}

// TestPageWording: the small things a first look trips on — a two-digit
// entry toggle on one line, "1 request" in the phone layout's hosts list,
// "Root cause: entry #0 set …" (not "entry #0: entry 0 set …"), a small
// file's size in KB rather than "(0.0 MB)".
func TestPageWording(t *testing.T) {
	tb := openPage(t)
	tb.do(chromedp.EmulateViewport(390, 844))
	var b strings.Builder
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"gen","version":"1"},"entries":[`)
	for i := 0; i < 12; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		host := "api.example.com"
		if i == 11 {
			host = "solo.example.com"
		}
		fmt.Fprintf(&b, `{"request":{"method":"GET","url":"https://%s/i/%d","headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"text/plain","text":""}}}`, host, i)
	}
	b.WriteString(`]}}`)
	p := filepath.Join(t.TempDir(), "twelve.har")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tb.upload(p)
	h := eval[[]float64](tb, `["0", "11"].map(i => document.querySelector('tr.entry[data-index="' + i + '"] button.toggle').getBoundingClientRect().height)`)
	if len(h) != 2 || h[1] > h[0]+1 {
		t.Errorf("toggle heights #0 %v, #11 %v: the two-digit one wraps", h[0], h[1])
	}
	hosts := eval[string](tb, `document.querySelector("#hosts").innerText`)
	if !strings.Contains(hosts, "\n1 request\n") || strings.Contains(hosts, "\n1 requests") || !strings.Contains(hosts, "\n11 requests\n") {
		t.Errorf("hosts on a phone: %q", hosts)
	}
	if ph := eval[string](tb, `document.querySelector("#input").placeholder`); !strings.Contains(ph, "KB)") || strings.Contains(ph, "0.0 MB") {
		t.Errorf("file size: %q", ph)
	}
	// A response pasted without its request says so, not "#0 ? → 405".
	tb.resetState()
	tb.setInput("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\n\r\n")
	tb.do(chromedp.Click(`button#analyze`))
	tb.waitDone()
	if req := eval[string](tb, `document.querySelector("#results .card .req").textContent`); req != "#0 (response only, no request in the capture) → 405" {
		t.Errorf("response-only card: %q", req)
	}
	tb.upload(filepath.Join(repoRoot, "analyzer", "testdata", "cases", "story", "cookie-expired.har"))
	txt := eval[string](tb, `document.querySelector("#summary").textContent`)
	if !strings.Contains(txt, "Root causeentry #0 set the session cookie") || strings.Contains(txt, "entry #0: entry 0") {
		t.Errorf("root cause: %.300s", txt)
	}
}
