package analyzer

import (
	"io"
	"strconv"
	"strings"

	"why401/analyzer/internal/diff"
)

// The report of a comparison (analyzer.Diff): its types, text and markdown.

// DiffSide is one side of a comparison as the report shows it.
type DiffSide struct {
	Input   string    `json:"input"`
	Index   int       `json:"index"`
	Method  string    `json:"method"`
	URL     string    `json:"url"`
	Status  int       `json:"status"`
	Verdict Kind      `json:"verdict"`
	Vendor  OptString `json:"vendor"`
	Scheme  OptString `json:"scheme"`
	Cause   Cause     `json:"cause"`
	Summary string    `json:"summary"`
}

// DiffChange is one difference between the two requests, with how likely it
// explains the failure (score, 0..1) and why.
type DiffChange = diff.Change

// DiffReport says what changed from the capture that worked to the one
// that failed, the most likely explanation first.
type DiffReport struct {
	Good    DiffSide     `json:"good"`
	Bad     DiffSide     `json:"bad"`
	Changes []DiffChange `json:"changes"`
	// Likely counts the first Changes that can explain the failure on their own.
	Likely   int      `json:"likely"`
	Summary  string   `json:"summary"`
	Warnings []string `json:"warnings"`
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// WriteText writes the comparison for a person: both verdicts, the summary,
// then each difference, the most likely first.
func (r DiffReport) WriteText(w io.Writer, o TextOptions) error {
	var b strings.Builder
	side := func(label string, s DiffSide) {
		put(&b, label, "  ", Printable(s.Input), " #", strconv.Itoa(s.Index), " ", Printable(s.Method), " ", Printable(s.URL), " → ", strconv.Itoa(s.Status), "  ",
			o.paint(kindColor[s.Verdict], Printable(strings.ToUpper(string(s.Verdict)))))
		if s.Vendor != "" {
			put(&b, " ", Printable(string(s.Vendor)))
		}
		if s.Cause != "" {
			put(&b, " · ", Printable(string(s.Cause)))
		}
		b.WriteString("\n")
	}
	side("worked", r.Good)
	side("failed", r.Bad)
	put(&b, "\n", Printable(r.Summary), "\n")
	if len(r.Changes) > 0 {
		b.WriteString("\ndifferences, most likely first\n")
	}
	for i, c := range r.Changes {
		mark := "  "
		if i < r.Likely {
			mark = o.paint("1", "→ ")
		}
		put(&b, mark, percent(c.Score), "%  ", Printable(c.Kind))
		if c.Name != "" {
			put(&b, " ", Printable(c.Name))
		}
		b.WriteString("\n")
		if c.Good != "" || c.Bad != "" {
			put(&b, "       worked: ", Printable(orNone(c.Good)), "\n       failed: ", Printable(orNone(c.Bad)), "\n")
		}
		put(&b, "       ", Printable(c.Why), "\n")
	}
	for _, wn := range r.Warnings {
		put(&b, "warning: ", Printable(wn), "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes the comparison as Markdown (a ticket, a PR comment).
func (r DiffReport) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("## What changed\n\n| | capture | exchange | status | verdict |\n|---|---|---|---|---|\n")
	for _, s := range []struct {
		label string
		s     DiffSide
	}{{"worked", r.Good}, {"failed", r.Bad}} {
		v := string(s.s.Verdict)
		if s.s.Vendor != "" {
			v += " (" + string(s.s.Vendor) + ")"
		}
		put(&b, "| ", s.label, " | ", mdEscape(s.s.Input), " | #", strconv.Itoa(s.s.Index), " ", mdEscape(s.s.Method+" "+s.s.URL), " | ",
			strconv.Itoa(s.s.Status), " | ", mdEscape(v), " |\n")
	}
	put(&b, "\n", mdEscape(r.Summary), "\n")
	if len(r.Changes) > 0 {
		b.WriteString("\n| likelihood | difference | worked | failed | why |\n|---:|---|---|---|---|\n")
		for _, c := range r.Changes {
			name := c.Kind
			if c.Name != "" {
				name += " " + c.Name
			}
			put(&b, "| ", percent(c.Score), " % | ", mdEscape(name), " | ", mdEscape(c.Good), " | ", mdEscape(c.Bad), " | ", mdEscape(c.Why), " |\n")
		}
	}
	if len(r.Warnings) > 0 {
		putMDList(&b, "\nWarnings:\n", r.Warnings)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
