package analyzer

import (
	"fmt"
	"io"
	"strings"
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

// WriteText writes the report for a person: verdict first, then evidence and fixes.
func (r Report) WriteText(w io.Writer, o TextOptions) error {
	var b strings.Builder
	name := r.Input.Name
	if name == "" {
		name = "input"
	}
	fmt.Fprintf(&b, "%s  (%s", o.paint("1", name), r.Input.Format)
	if r.Input.Producer != "" {
		fmt.Fprintf(&b, " from %s", r.Input.Producer)
	}
	fmt.Fprintf(&b, ", %d exchange%s)\n", len(r.Exchanges), plural(len(r.Exchanges)))
	shown, okCount := 0, 0
	for _, e := range r.Exchanges {
		if e.Verdict == KindOK {
			okCount++
			if o.OnlyProblems || len(r.Exchanges) > 1 {
				continue
			}
		}
		shown++
		b.WriteString("\n")
		writeExchangeText(&b, e, o)
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
		fmt.Fprintf(&b, "%s %s\n", o.paint("33", "warning:"), wn)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeExchangeText(b *strings.Builder, e ExchangeReport, o TextOptions) {
	label := strings.ToUpper(string(e.Verdict))
	fmt.Fprintf(b, "%s %s  %.0f%%", o.paint(kindColor[e.Verdict], label), tags(e), e.Confidence*100)
	fmt.Fprintf(b, "  #%d %s %s → %d\n", e.Index, e.Method, clip(e.URL, 100), e.Status)
	fmt.Fprintf(b, "  %s\n", e.Summary)
	if e.Reference != "" {
		fmt.Fprintf(b, "  reference: %s\n", e.Reference)
	}
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
			fmt.Fprintf(b, "    - [%s] %s%s\n", ev.Where, ev.Text, entry)
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
		fmt.Fprintf(b, "    %d. %s\n", i+1, f.Title)
		for _, s := range f.Steps {
			fmt.Fprintf(b, "       • %s\n", s)
		}
		if o.Verbose {
			for _, c := range f.Code {
				fmt.Fprintf(b, "       %s:\n", c.Lang)
				for _, l := range strings.Split(c.Text, "\n") {
					fmt.Fprintf(b, "         %s\n", l)
				}
			}
		}
	}
}

func tags(e ExchangeReport) string {
	var t []string
	for _, s := range []OptString{e.Vendor, e.Scheme, e.Cause} {
		if s != "" {
			t = append(t, string(s))
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
	fmt.Fprintf(&b, "## why401: %s\n\n", mdEscape(name))
	fmt.Fprintf(&b, "Format: %s", r.Input.Format)
	if r.Input.Producer != "" {
		fmt.Fprintf(&b, " (%s)", r.Input.Producer)
	}
	fmt.Fprintf(&b, ", %d exchange%s.\n", len(r.Exchanges), plural(len(r.Exchanges)))
	problems := 0
	for _, e := range r.Exchanges {
		if e.Verdict == KindOK && (onlyProblems || len(r.Exchanges) > 1) {
			continue
		}
		problems++
		fmt.Fprintf(&b, "\n### #%d %s %s → %d: **%s**", e.Index, mdEscape(e.Method), mdEscape(clip(e.URL, 120)), e.Status, e.Verdict)
		if t := tags(e); t != "" {
			fmt.Fprintf(&b, " (%s)", mdEscape(t))
		}
		fmt.Fprintf(&b, ", confidence %.0f%%\n\n%s\n", e.Confidence*100, mdEscape(e.Summary))
		if e.Reference != "" {
			fmt.Fprintf(&b, "\nReference: `%s`\n", strings.ReplaceAll(e.Reference, "`", "'"))
		}
		if len(e.Evidence) > 0 && e.Verdict != KindOK {
			b.WriteString("\n**Evidence**\n\n")
			for _, ev := range e.Evidence {
				fmt.Fprintf(&b, "- `%s` %s\n", ev.Where, mdEscape(ev.Text))
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
					fmt.Fprintf(&b, "\n   %s%s\n", fence, c.Lang)
					for _, l := range strings.Split(c.Text, "\n") {
						fmt.Fprintf(&b, "   %s\n", l)
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

// mdEscape keeps capture text from becoming Markdown or HTML.
func mdEscape(s string) string {
	r := strings.NewReplacer("\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "<", "&lt;", ">", "&gt;", "|", "\\|", "\n", " ", "#", "\\#")
	return r.Replace(s)
}
