package analyzer

import (
	"io"
	"strconv"
	"strings"

	"why401/analyzer/internal/capture"
)

// TextOptions tune WriteText.
type TextOptions struct {
	Color        bool // ANSI colours (the CLI sets it on a terminal without NO_COLOR)
	OnlyProblems bool // leave out exchanges judged ok
	Verbose      bool // show every fix step and all evidence
}

func (o TextOptions) paint(code, s string) string {
	if !o.Color {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

var kindColor = map[Kind]string{KindAuth: "1;33", KindForbidden: "1;33", KindProxyAuth: "1;33", KindBot: "1;31", KindRateLimit: "1;35", KindOK: "32", KindUnknown: "2"}

// putMDList writes heading, then items as a markdown list.
func putMDList(b *strings.Builder, heading string, items []string) {
	b.WriteString(heading)
	for _, it := range items {
		put(b, "- ", mdEscape(it), "\n")
	}
}

// put appends parts to b: the renderers' one writing helper. Not inlined:
// the wasm stays smaller.
//
//go:noinline
func put(b *strings.Builder, parts ...string) {
	for _, p := range parts {
		b.WriteString(p)
	}
}

// percent is a confidence as the renderers show it: fmt's %.0f of c*100.
func percent(c float64) string {
	return strconv.FormatFloat(c*100, 'f', 0, 64)
}

// WriteText writes the report for a person: verdict first, then evidence and fixes.
func (r Report) WriteText(w io.Writer, o TextOptions) error {
	var b strings.Builder
	name := r.Input.Name
	if name == "" {
		name = "input"
	}
	put(&b, o.paint("1", Printable(name)), "  (", Printable(r.Input.Format))
	if r.Input.Producer != "" {
		put(&b, " from ", Printable(string(r.Input.Producer)))
	}
	put(&b, ", ", strconv.Itoa(len(r.Exchanges)), " exchange", plural(len(r.Exchanges)), ")\n")
	okCount := 0
	for _, e := range r.Exchanges {
		if e.Verdict == KindOK {
			okCount++
			if o.OnlyProblems || len(r.Exchanges) > 1 {
				continue
			}
		}
		b.WriteString("\n")
		writeExchangeText(&b, e, o)
	}
	if okCount > 0 && (o.OnlyProblems || len(r.Exchanges) > 1) {
		put(&b, "\n", o.paint("2", strconv.Itoa(okCount)+" exchange"+plural(okCount)+" ok (not shown)"), "\n")
	}
	if r.Summary != nil {
		put(&b, "\n", o.paint("1", "summary"), "\n")
		for _, l := range r.Summary.lines() {
			put(&b, "  ", l, "\n")
		}
	}
	for _, wn := range r.Warnings {
		put(&b, o.paint("33", "warning:"), " ", Printable(wn), "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteText writes one exchange as Report.WriteText shows it, for a writer
// that streams a capture's exchanges as they are decided.
func (e ExchangeReport) WriteText(w io.Writer, o TextOptions) error {
	var b strings.Builder
	writeExchangeText(&b, e, o)
	_, err := io.WriteString(w, b.String())
	return err
}

// Lines renders the summary as WriteText and WriteMarkdown show it.
func (s *Summary) Lines() []string { return s.lines() }

func writeExchangeText(b *strings.Builder, e ExchangeReport, o TextOptions) {
	label := strings.ToUpper(string(e.Verdict))
	put(b, o.paint(kindColor[e.Verdict], label))
	if t := tags(e); t != "" {
		put(b, " ", t)
	}
	put(b, "  ", percent(e.Confidence), "%  #", strconv.Itoa(e.Index))
	put(b, exchangeLine(e.Method, capture.Clip(e.URL, 100), e.Status), "\n")
	put(b, "  ", Printable(e.Summary), "\n") // the server's message and the references are in it
	if len(e.Evidence) > 0 && e.Verdict != KindOK {
		put(b, o.paint("1", "  evidence"), "\n")
		n := len(e.Evidence)
		if !o.Verbose {
			n = min(n, 6)
		}
		for _, ev := range e.Evidence[:n] {
			put(b, "    - [", Printable(ev.Where), "] ", Printable(ev.Text))
			if ev.Entry != nil {
				put(b, " (entry #", strconv.Itoa(*ev.Entry), ")")
			}
			b.WriteString("\n")
		}
		if n < len(e.Evidence) {
			put(b, "    … ", strconv.Itoa(len(e.Evidence)-n), " more (--verbose)\n")
		}
	}
	for i, f := range e.Fixes {
		if i == 0 {
			put(b, o.paint("1", "  fix"), "\n")
		}
		if !o.Verbose && i >= 2 {
			put(b, "    … ", strconv.Itoa(len(e.Fixes)-i), " more fix", pluralES(len(e.Fixes)-i), " (--verbose)\n")
			break
		}
		put(b, "    ", strconv.Itoa(i+1), ". ", Printable(f.Title), "\n")
		for _, s := range f.Steps {
			put(b, "       • ", Printable(s), "\n")
		}
		if o.Verbose {
			for _, c := range f.Code {
				put(b, "       ", Printable(c.Lang), ":\n")
				for _, l := range strings.Split(c.Text, "\n") {
					put(b, "         ", Printable(l), "\n")
				}
			}
		}
	}
}

// exchangeLine is " GET https://… → 401", or " (no request in the capture)
// → 405" when the capture holds the response only.
func exchangeLine(method, url string, status int) string {
	st := strconv.Itoa(status)
	if status == 0 {
		st = "no response"
	}
	if method == "" && url == "" {
		return " (response only, no request in the capture) → " + st
	}
	return " " + Printable(method) + " " + Printable(url) + " → " + st
}

func tags(e ExchangeReport) string {
	var t []string
	for _, s := range []OptString{e.Vendor, e.Scheme, OptString(e.Cause)} {
		if s != "" {
			t = append(t, Printable(string(s)))
		}
	}
	if len(t) == 0 {
		return ""
	}
	return strings.Join(t, " · ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func pluralES(n int) string {
	if n == 1 {
		return ""
	}
	return "es"
}

// WriteMarkdown writes the report as Markdown, for a ticket or a pull request.
func (r Report) WriteMarkdown(w io.Writer, onlyProblems bool) error {
	var b strings.Builder
	name := r.Input.Name
	if name == "" {
		name = "input"
	}
	put(&b, "## why401: ", mdEscape(name), "\n\n")
	put(&b, "Format: ", mdEscape(r.Input.Format))
	if r.Input.Producer != "" {
		put(&b, " (", mdEscape(string(r.Input.Producer)), ")")
	}
	put(&b, ", ", strconv.Itoa(len(r.Exchanges)), " exchange", plural(len(r.Exchanges)), ".\n")
	problems := 0
	for _, e := range r.Exchanges {
		if e.Verdict == KindOK && (onlyProblems || len(r.Exchanges) > 1) {
			continue
		}
		problems++
		put(&b, "\n### #", strconv.Itoa(e.Index), mdEscape(exchangeLine(e.Method, capture.Clip(e.URL, 120), e.Status)), ": **", string(e.Verdict), "**")
		if t := tags(e); t != "" {
			put(&b, " (", mdEscape(t), ")")
		}
		put(&b, ", confidence ", percent(e.Confidence), "%\n\n", mdText(e.Summary), "\n")
		if len(e.Evidence) > 0 && e.Verdict != KindOK {
			b.WriteString("\n**Evidence**\n\n")
			for _, ev := range e.Evidence {
				put(&b, "- `", strings.ReplaceAll(Printable(ev.Where), "`", "'"), "` ", mdText(ev.Text), "\n")
			}
		}
		if len(e.Fixes) > 0 {
			b.WriteString("\n**Fixes**\n\n")
			for i, f := range e.Fixes {
				put(&b, strconv.Itoa(i+1), ". **", mdEscape(f.Title), "**\n")
				for _, s := range f.Steps {
					put(&b, "   - ", mdEscape(s), "\n")
				}
				for _, c := range f.Code {
					fence := "```"
					for strings.Contains(c.Text, fence) {
						fence += "`"
					}
					put(&b, "\n   ", fence, Printable(c.Lang), "\n")
					for _, l := range strings.Split(c.Text, "\n") {
						put(&b, "   ", Printable(l), "\n")
					}
					put(&b, "   ", fence, "\n")
				}
			}
		}
	}
	if problems == 0 {
		b.WriteString("\nNo problem found.\n")
	}
	if r.Summary != nil {
		putMDList(&b, "\n**Summary**\n\n", r.Summary.lines())
	}
	if len(r.Warnings) > 0 {
		putMDList(&b, "\n**Warnings**\n\n", r.Warnings)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdText is mdEscape for text that quotes capture values as Go strings
// (body message = "User \"x\" …"): each quoted value becomes a code span of
// the value itself, which Markdown shows literally (no \" and no &lt;
// there), and the text around it is escaped.
func mdText(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		j := quoteEnd(s, i)
		v, err := "", error(nil)
		if j > i {
			v, err = strconv.Unquote(s[i : j+1])
		}
		if j < 0 || err != nil || v == "" || strings.ContainsAny(v, "\n\r") {
			b.WriteString(mdEscape(s[:i+1]))
			s = s[i+1:]
			continue
		}
		b.WriteString(mdEscape(s[:i]))
		b.WriteString(codeSpan(Printable(v)))
		s = s[j+1:]
	}
	b.WriteString(mdEscape(s))
	return b.String()
}

// quoteEnd returns the index of the quote closing the Go string that starts
// at s[i], or -1.
func quoteEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return -1
}

// codeSpan is v as a CommonMark code span: a backtick run longer than any
// inside v, padded with a space when v starts or ends with a backtick.
func codeSpan(v string) string {
	run, longest := 0, 0
	for i := 0; i < len(v); i++ {
		if v[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(v, "`") || strings.HasSuffix(v, "`") {
		v = " " + v + " "
	}
	return fence + v + fence
}

// mdEscape keeps capture text from becoming Markdown or HTML, its control
// and bidi characters written as visible escapes first (Printable).
func mdEscape(s string) string {
	return mdEscaper.Replace(Printable(s))
}

// mdEscaper is built once: a Replacer per call cost the markdown renderer
// most of its time. (A Replacer is safe for concurrent use.)
var mdEscaper = strings.NewReplacer("\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "<", "&lt;", ">", "&gt;", "|", "\\|", "\n", " ", "\r", " ", "#", "\\#")
