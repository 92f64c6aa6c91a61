package analyzer

import (
	"why401/analyzer/internal/detect"

	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"why401/analyzer/internal/capture"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refWriteText and refWriteMarkdown are the fmt-based renderers render.go
// had before it dropped fmt (the page wasm must not link fmt), each value
// passed through Printable as the renderers do since issue 31. The tests
// below prove the new ones write the same bytes.
func refWriteText(r Report, w io.Writer, o TextOptions) error {
	var b strings.Builder
	name := r.Input.Name
	if name == "" {
		name = "input"
	}
	fmt.Fprintf(&b, "%s  (%s", o.paint("1", Printable(name)), Printable(r.Input.Format))
	if r.Input.Producer != "" {
		fmt.Fprintf(&b, " from %s", Printable(string(r.Input.Producer)))
	}
	fmt.Fprintf(&b, ", %d exchange%s)\n", len(r.Exchanges), plural(len(r.Exchanges)))
	okCount := 0
	for _, e := range r.Exchanges {
		if e.Verdict == KindOK {
			okCount++
			if o.OnlyProblems || len(r.Exchanges) > 1 {
				continue
			}
		}
		b.WriteString("\n")
		refExchangeText(&b, e, o)
	}
	if okCount > 0 && (o.OnlyProblems || len(r.Exchanges) > 1) {
		fmt.Fprintf(&b, "\n%s\n", o.paint("2", fmt.Sprintf("%d exchange%s ok (not shown)", okCount, plural(okCount))))
	}
	if r.Summary != nil {
		b.WriteString("\n" + o.paint("1", "summary") + "\n")
		for _, l := range r.Summary.lines() {
			b.WriteString("  " + l + "\n")
		}
	}
	for _, wn := range r.Warnings {
		fmt.Fprintf(&b, "%s %s\n", o.paint("33", "warning:"), Printable(wn))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func refExchangeText(b *strings.Builder, e ExchangeReport, o TextOptions) {
	label := strings.ToUpper(string(e.Verdict))
	t := tags(e)
	if t != "" {
		t = " " + t
	}
	fmt.Fprintf(b, "%s%s  %.0f%%", o.paint(kindColor[e.Verdict], label), t, e.Confidence*100)
	fmt.Fprintf(b, "  #%d%s\n", e.Index, exchangeLine(e.Method, capture.Clip(e.URL, 100), e.Status))
	fmt.Fprintf(b, "  %s\n", Printable(e.Summary))
	if len(e.Evidence) > 0 && e.Verdict != KindOK {
		b.WriteString(o.paint("1", "  evidence") + "\n")
		n := len(e.Evidence)
		if !o.Verbose {
			n = min(n, 6)
		}
		for _, ev := range e.Evidence[:n] {
			entry := ""
			if ev.Entry != nil {
				entry = fmt.Sprintf(" (entry #%d)", *ev.Entry)
			}
			fmt.Fprintf(b, "    - [%s] %s%s\n", Printable(ev.Where), Printable(ev.Text), entry)
		}
		if n < len(e.Evidence) {
			fmt.Fprintf(b, "    … %d more (--verbose)\n", len(e.Evidence)-n)
		}
	}
	for i, f := range e.Fixes {
		if i == 0 {
			b.WriteString(o.paint("1", "  fix") + "\n")
		}
		if !o.Verbose && i >= 2 {
			fmt.Fprintf(b, "    … %d more fix%s (--verbose)\n", len(e.Fixes)-i, pluralES(len(e.Fixes)-i))
			break
		}
		fmt.Fprintf(b, "    %d. %s\n", i+1, Printable(f.Title))
		for _, s := range f.Steps {
			fmt.Fprintf(b, "       • %s\n", Printable(s))
		}
		if o.Verbose {
			for _, c := range f.Code {
				fmt.Fprintf(b, "       %s:\n", Printable(c.Lang))
				for _, l := range strings.Split(c.Text, "\n") {
					fmt.Fprintf(b, "         %s\n", Printable(l))
				}
			}
		}
	}
}

func refWriteMarkdown(r Report, w io.Writer, onlyProblems bool) error {
	var b strings.Builder
	name := r.Input.Name
	if name == "" {
		name = "input"
	}
	fmt.Fprintf(&b, "## why401: %s\n\n", mdEscape(name))
	fmt.Fprintf(&b, "Format: %s", mdEscape(r.Input.Format))
	if r.Input.Producer != "" {
		fmt.Fprintf(&b, " (%s)", mdEscape(string(r.Input.Producer)))
	}
	fmt.Fprintf(&b, ", %d exchange%s.\n", len(r.Exchanges), plural(len(r.Exchanges)))
	problems := 0
	for _, e := range r.Exchanges {
		if e.Verdict == KindOK && (onlyProblems || len(r.Exchanges) > 1) {
			continue
		}
		problems++
		fmt.Fprintf(&b, "\n### #%d%s: **%s**", e.Index, mdEscape(exchangeLine(e.Method, capture.Clip(e.URL, 120), e.Status)), e.Verdict)
		if t := tags(e); t != "" {
			fmt.Fprintf(&b, " (%s)", mdEscape(t))
		}
		fmt.Fprintf(&b, ", confidence %.0f%%\n\n%s\n", e.Confidence*100, mdText(e.Summary))
		if len(e.Evidence) > 0 && e.Verdict != KindOK {
			b.WriteString("\n**Evidence**\n\n")
			for _, ev := range e.Evidence {
				fmt.Fprintf(&b, "- `%s` %s\n", strings.ReplaceAll(Printable(ev.Where), "`", "'"), mdText(ev.Text))
			}
		}
		if len(e.Fixes) > 0 {
			b.WriteString("\n**Fixes**\n\n")
			for i, f := range e.Fixes {
				fmt.Fprintf(&b, "%d. **%s**\n", i+1, mdEscape(f.Title))
				for _, s := range f.Steps {
					fmt.Fprintf(&b, "   - %s\n", mdEscape(s))
				}
				for _, c := range f.Code {
					fence := "```"
					for strings.Contains(c.Text, fence) {
						fence += "`"
					}
					fmt.Fprintf(&b, "\n   %s%s\n", fence, Printable(c.Lang))
					for _, l := range strings.Split(c.Text, "\n") {
						fmt.Fprintf(&b, "   %s\n", Printable(l))
					}
					fmt.Fprintf(&b, "   %s\n", fence)
				}
			}
		}
	}
	if problems == 0 {
		b.WriteString("\nNo problem found.\n")
	}
	if r.Summary != nil {
		b.WriteString("\n**Summary**\n\n")
		for _, l := range r.Summary.lines() {
			fmt.Fprintf(&b, "- %s\n", mdEscape(l))
		}
	}
	if len(r.Warnings) > 0 {
		b.WriteString("\n**Warnings**\n\n")
		for _, wn := range r.Warnings {
			fmt.Fprintf(&b, "- %s\n", mdEscape(wn))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// textOptionSets is every combination of the three TextOptions switches.
func textOptionSets() []TextOptions {
	var out []TextOptions
	for i := range 8 {
		out = append(out, TextOptions{Color: i&1 != 0, OnlyProblems: i&2 != 0, Verbose: i&4 != 0})
	}
	return out
}

// checkRenderSame renders r with every option set, new against reference.
func checkRenderSame(t *testing.T, name string, r Report) {
	t.Helper()
	for _, o := range textOptionSets() {
		var got, want strings.Builder
		require.NoError(t, r.WriteText(&got, o))
		require.NoError(t, refWriteText(r, &want, o))
		if got.String() != want.String() {
			t.Errorf("%s: text %+v differs\n got: %q\nwant: %q", name, o, got.String(), want.String())
		}
	}
	for _, only := range []bool{false, true} {
		var got, want strings.Builder
		require.NoError(t, r.WriteMarkdown(&got, only))
		require.NoError(t, refWriteMarkdown(r, &want, only))
		if got.String() != want.String() {
			t.Errorf("%s: markdown only=%v differs\n got: %q\nwant: %q", name, only, got.String(), want.String())
		}
	}
}

// eachGolden calls fn with each golden report under testdata: its path,
// its bytes and the report read back from them.
func eachGolden(t *testing.T, fn func(path string, data []byte, r Report)) {
	paths, err := filepath.Glob("testdata/cases/*/*.golden.json")
	require.NoError(t, err)
	require.Greater(t, len(paths), 100)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		var r Report
		require.NoError(t, json.Unmarshal(data, &r), p)
		fn(p, data, r)
	}
}

// Every golden report renders to the same text and markdown as with fmt.
func TestRenderGoldensMatchFmt(t *testing.T) {
	eachGolden(t, func(p string, _ []byte, r Report) { checkRenderSame(t, p, r) })
}

func intp(i int) *int { return &i }

// renderBranchReports exercise each branch of the renderers: names,
// producers, ok exchanges alone and among others, references, entries,
// long evidence and fix lists, code with backticks, summaries, warnings
// and the confidence rounding edges.
func renderBranchReports() map[string]Report {
	ev := func(n int) []Evidence {
		var out []Evidence
		for i := range n {
			e := Evidence{Signal: "s", Where: detect.WhereHeader, Text: fmt.Sprintf("evidence %d with `tick` *star* <b>|", i)}
			if i%2 == 1 {
				e.Entry = intp(i)
			}
			out = append(out, e)
		}
		return out
	}
	fixes := func(n int) []Fix {
		var out []Fix
		for i := range n {
			f := Fix{Title: fmt.Sprintf("fix _%d_", i), Steps: []string{"step one", "step [two]"}}
			if i%2 == 0 {
				f.Code = []Snippet{{Lang: "curl", Text: "curl -i https://x.example/\n-H 'A: b'"}, {Lang: "go", Text: "a := \"```\"\n``` ````"}}
			}
			out = append(out, f)
		}
		return out
	}
	ex := func(k Kind, conf float64) ExchangeReport {
		return ExchangeReport{Index: 3, Method: "GET", URL: "https://api.example/v1/" + strings.Repeat("p", 130), Status: 401, Verdict: k, Confidence: conf, Summary: "a summary with # and\nnewline"}
	}
	full := ex(KindAuth, 0.876)
	full.Vendor, full.Scheme, full.Cause = "cloudflare", "bearer", "invalid_token"
	full.Reference = "RFC 6750 §3 `x`"
	full.Evidence = ev(9)
	full.Fixes = fixes(5)
	okEx := ex(KindOK, 0.85)
	okEx.Evidence = ev(2)
	okEx.Fixes = fixes(1)
	sum := &Summary{
		Hosts:        []HostSummary{{Host: "a.example", Requests: 1, Status: map[string]int{"200": 1}, Verdicts: map[string]int{"ok": 1}}, {Host: "b.example", Requests: 3, Status: map[string]int{"403": 2, "200": 1}, Verdicts: map[string]int{"bot": 2, "ok": 1}}},
		Vendors:      []string{"cloudflare"},
		FirstFailure: &FailureInfo{Index: 2, Verdict: KindAuth, Cause: "expired_token", Summary: "s", RootEntry: intp(1), Root: "token expired"},
		FirstBlock:   &BlockInfo{Index: 4, Host: "b.example", Vendor: "akamai", Time: "2026-11-03T12:00:04Z", Before: 1},
		Caveats:      []string{"caveat_1"},
	}
	reports := map[string]Report{
		"empty":    {},
		"named":    {Input: InputInfo{Name: "x_[1].har", Format: "har", Producer: "chrome"}},
		"one-ok":   {Input: InputInfo{Format: "raw"}, Exchanges: []ExchangeReport{okEx}},
		"one-full": {Input: InputInfo{Format: "raw"}, Exchanges: []ExchangeReport{full}, Warnings: []string{"a warning <with> markup"}},
		"mixed":    {Input: InputInfo{Name: "m", Format: "har", Producer: "firefox"}, Exchanges: []ExchangeReport{okEx, full, okEx, ex(KindBot, 0.5)}, Summary: sum, Warnings: []string{"w1", "w2 (and 3 more like it)"}},
		"all-ok":   {Input: InputInfo{Format: "har"}, Exchanges: []ExchangeReport{okEx, okEx}},
		"one-evidence": {Exchanges: []ExchangeReport{func() ExchangeReport {
			e := ex(KindRateLimit, 1)
			e.Evidence = ev(6)
			e.Fixes = fixes(2)
			return e
		}()}},
		"three-fixes":   {Exchanges: []ExchangeReport{func() ExchangeReport { e := ex(KindProxyAuth, 0); e.Fixes = fixes(3); return e }()}},
		"unknown-kind":  {Exchanges: []ExchangeReport{ex("strange", 0.5)}},
		"empty-summary": {Exchanges: []ExchangeReport{ex(KindUnknown, 0.2)}, Summary: &Summary{}},
	}
	for _, c := range []float64{0, 0.004, 0.005, 0.0049999, 0.125, 0.135, 0.995, 0.9950001, 1, 12.345, -0.001, -0.5, 1e21 / 100, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN()} {
		reports[fmt.Sprintf("conf-%g", c)] = Report{Exchanges: []ExchangeReport{ex(KindBot, c)}}
	}
	for i, n := range []int{-1, 0, 1, 2, 9, 10, 99, 100, 12345, math.MaxInt, math.MinInt} {
		e := ex(KindForbidden, 0.3)
		e.Index, e.Status = n, n
		e.Evidence = []Evidence{{Where: "w", Text: "t", Entry: intp(n)}}
		reports[fmt.Sprintf("int-%d", i)] = Report{Exchanges: []ExchangeReport{e}}
	}
	return reports
}

func TestRenderBranchesMatchFmt(t *testing.T) {
	for name, r := range renderBranchReports() {
		checkRenderSame(t, name, r)
	}
}

// A few renderings spelled out, so a change to both renderers still shows.
func TestRenderText(t *testing.T) {
	e := ExchangeReport{Index: 0, Method: "GET", URL: "https://a.example/", Status: 401, Verdict: KindAuth, Confidence: 0.876,
		Scheme: "bearer", Cause: "invalid_token", Summary: "token rejected", Reference: "RFC 6750",
		Evidence: []Evidence{{Where: detect.WhereHeader, Text: "WWW-Authenticate: Bearer error=invalid_token"}, {Where: detect.WhereContext, Text: "earlier", Entry: intp(2)}},
		Fixes:    []Fix{{Title: "Refresh", Steps: []string{"get a new token"}, Code: []Snippet{{Lang: "curl", Text: "curl -i\nx"}}}, {Title: "B"}, {Title: "C"}}}
	r := Report{Input: InputInfo{Name: "n", Format: "raw", Producer: "curl"}, Exchanges: []ExchangeReport{e}, Warnings: []string{"careful"}}
	tests := []struct {
		o    TextOptions
		want string
	}{
		{TextOptions{}, "n  (raw from curl, 1 exchange)\n\nAUTH bearer · invalid_token  88%  #0 GET https://a.example/ → 401\n  token rejected\n  evidence\n    - [response.header] WWW-Authenticate: Bearer error=invalid_token\n    - [context] earlier (entry #2)\n  fix\n    1. Refresh\n       • get a new token\n    2. B\n    … 1 more fix (--verbose)\nwarning: careful\n"},
		{TextOptions{Verbose: true, Color: true}, "\x1b[1mn\x1b[0m  (raw from curl, 1 exchange)\n\n\x1b[1;33mAUTH\x1b[0m bearer · invalid_token  88%  #0 GET https://a.example/ → 401\n  token rejected\n\x1b[1m  evidence\x1b[0m\n    - [response.header] WWW-Authenticate: Bearer error=invalid_token\n    - [context] earlier (entry #2)\n\x1b[1m  fix\x1b[0m\n    1. Refresh\n       • get a new token\n       curl:\n         curl -i\n         x\n    2. B\n    3. C\n\x1b[33mwarning:\x1b[0m careful\n"},
	}
	for _, tc := range tests {
		var b strings.Builder
		require.NoError(t, r.WriteText(&b, tc.o))
		assert.Equal(t, tc.want, b.String(), "%+v", tc.o)
	}
	var b strings.Builder
	require.NoError(t, r.WriteMarkdown(&b, false))
	assert.Equal(t, "## why401: n\n\nFormat: raw (curl), 1 exchange.\n\n### #0 GET https://a.example/ → 401: **auth** (bearer · invalid\\_token), confidence 88%\n\ntoken rejected\n\n**Evidence**\n\n- `response.header` WWW-Authenticate: Bearer error=invalid\\_token\n- `context` earlier\n\n**Fixes**\n\n1. **Refresh**\n   - get a new token\n\n   ```curl\n   curl -i\n   x\n   ```\n2. **B**\n3. **C**\n\n**Warnings**\n\n- careful\n", b.String())
}

func TestMarkdownQuotedValuesAsCodeSpans(t *testing.T) {
	got := mdText(`body message = "User \"system:anonymous\" <x>" (Kubernetes) and *stars*`)
	assert.Equal(t, "body message = `User \"system:anonymous\" <x>` (Kubernetes) and \\*stars\\*", got)
	assert.Equal(t, "``a`b``", mdText("\"a`b\""))
	assert.Equal(t, "\" unterminated", mdText(`" unterminated`))
	assert.Equal(t, "x \"\" y", mdText(`x "" y`))
}

// FuzzMarkdownText: mdText never panics, never lets a raw newline, "<" or
// an unescaped quote-free backtick run out of a code span, and is mdEscape
// for text without a quote.
func FuzzMarkdownText(f *testing.F) {
	for _, s := range []string{`body message = "User \"x\" <b>"`, `"a` + "`" + `b"`, `" open`, `x "" y`, "plain `code` *x*", `"\u00e9\n"`, `"\\"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := mdText(s)
		if !strings.Contains(s, `"`) && got != mdEscape(s) {
			t.Fatalf("mdText(%q) = %q, want mdEscape's %q", s, got, mdEscape(s))
		}
		if strings.ContainsAny(got, "\n\r") {
			t.Fatalf("mdText(%q) = %q: a line break", s, got)
		}
	})
}
