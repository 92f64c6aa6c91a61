package main

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"

	"why401/analyzer"
)

// streamAfter is how many exchanges of one input the CLI holds before it
// writes them as they are decided (a held input's text and JSON say how
// many exchanges were read first). Tests lower it to compare streamed
// output with held output.
var streamAfter = 1000

// filter is what --only-problems, --host, --verdict and --status select.
type filter struct {
	onlyProblems bool
	hosts        []string
	verdicts     map[analyzer.Kind]bool
	statuses     []statusRange
}

type statusRange struct{ lo, hi int }

func (f *filter) active() bool {
	return len(f.hosts) > 0 || len(f.verdicts) > 0 || len(f.statuses) > 0
}

// selects reports whether the exchange passes --host, --verdict and
// --status (--only-problems is applied when listing).
func (f *filter) selects(e *analyzer.ExchangeReport) bool {
	if len(f.verdicts) > 0 && !f.verdicts[e.Verdict] {
		return false
	}
	if len(f.statuses) > 0 {
		ok := false
		for _, r := range f.statuses {
			ok = ok || e.Status >= r.lo && e.Status <= r.hi
		}
		if !ok {
			return false
		}
	}
	if len(f.hosts) > 0 {
		h := hostOf(e.URL)
		ok := false
		for _, want := range f.hosts {
			ok = ok || h == want || strings.HasSuffix(h, "."+want)
		}
		if !ok {
			return false
		}
	}
	return true
}

// sink receives one input's exchanges, on the goroutine analysing it, and
// writes them to the input's slot in the chosen format.
type sink struct {
	cfg  *config
	w    io.Writer
	name string

	streaming bool                      // the exchanges are written as they come
	pending   []analyzer.ExchangeReport // held until streamAfter is passed, or the input's end
	held      []analyzer.ExchangeReport // markdown: every selected exchange
	seen      int                       // exchanges analysed
	selected  int                       // of those, passing --host/--verdict/--status
	shown     int                       // of those, written
	okHidden  int                       // selected ok exchanges left out of text
	failed    bool
	single    bool // a held input of one exchange: text shows it even when ok
	tally     *tally
	err       error
	buf       []byte // the last exchange's JSON, its array reused
}

func newSink(cfg *config, w io.Writer, name string) *sink {
	return &sink{cfg: cfg, w: w, name: name, tally: newTally()}
}

// Exchange takes one exchange as the analyzer decided it (the sink is the
// analysis's analyzer.Handler): held until more than streamAfter arrived,
// then written as they come. Markdown holds them all (it is written whole).
func (s *sink) Exchange(e analyzer.ExchangeReport) {
	if !s.streaming && (s.cfg.format == "markdown" || len(s.pending) < streamAfter) {
		s.pending = append(s.pending, e)
		return
	}
	if !s.streaming {
		s.streaming = true
		s.begin()
		for i := range s.pending {
			s.one(&s.pending[i])
		}
		s.pending = nil
	}
	s.one(&e)
}

func (s *sink) write(p []byte) {
	if s.err == nil {
		_, s.err = s.w.Write(p)
	}
}

func (s *sink) writeString(p string) { s.write([]byte(p)) }

// begin opens an input's output: the JSON line up to its exchanges, or the
// header of a streamed input in text (a held one gets writeHeader).
func (s *sink) begin() {
	switch s.cfg.format {
	case "json":
		s.writeString(`{"schema_version":` + strconv.Itoa(analyzer.SchemaVersion) + `,"exchanges":[`)
	case "text":
		s.writeString(s.cfg.bold(displayName(s.name)) + "  (a large capture: exchanges as they are decided, counts at the end)\n")
	}
}

// one counts an exchange and writes it when it is listed.
func (s *sink) one(e *analyzer.ExchangeReport) {
	s.seen++
	if !s.cfg.filter.selects(e) {
		return
	}
	s.selected++
	s.tally.add(e)
	if s.cfg.failOn[e.Verdict] || s.cfg.failAny && e.Verdict != analyzer.KindOK {
		s.failed = true
	}
	if s.cfg.format == "markdown" {
		// WriteMarkdown counts and leaves out the ok ones itself.
		s.held = append(s.held, *e)
		s.shown++
		return
	}
	if s.cfg.filter.onlyProblems && e.Verdict == analyzer.KindOK {
		s.okHidden++
		return
	}
	switch s.cfg.format {
	case "json":
		s.buf = s.buf[:0]
		if s.shown > 0 {
			s.buf = append(s.buf, ',')
		}
		s.buf = exchangeJSON(s.buf, e)
		s.write(s.buf)
	case "table":
		s.write(tableRow(s.name, e))
	case "text":
		if e.Verdict == analyzer.KindOK && !s.cfg.showOK && !s.single {
			s.okHidden++
			return
		}
		s.writeString("\n")
		if s.err == nil {
			s.err = e.WriteText(s.w, analyzer.TextOptions{Color: s.cfg.color, Verbose: s.cfg.verbose})
		}
	}
	s.shown++
}

// finish writes the end of an input's output once the analyzer returned.
func (s *sink) finish(rep analyzer.Report, err error) {
	s.tally.Inputs = 1
	if err != nil && !s.streaming {
		s.tally.Errors = 1
		if s.cfg.format == "json" {
			b, _ := json.Marshal(struct {
				Input string `json:"input"`
				Error string `json:"error"`
			}{s.name, cleanErr(err)})
			s.write(append(b, '\n'))
		}
		return
	}
	if err != nil {
		rep.Warnings = append(rep.Warnings, "the input could not be read to the end: "+cleanErr(err))
	}
	held := s.pending
	s.pending = nil
	if !s.streaming {
		switch s.cfg.format {
		case "json":
			s.begin()
		case "text":
			s.writeHeader(rep, len(held))
			// A single exchange is shown even when ok, as it always was.
			s.single = len(held) == 1
		}
		for i := range held {
			s.one(&held[i])
		}
	}
	switch s.cfg.format {
	case "json":
		rep.Exchanges = []analyzer.ExchangeReport{}
		full := rep.AppendJSON(nil)
		const key = `"exchanges":[]`
		i := bytes.Index(full, []byte(key))
		if i < 0 { // never: the contract starts so
			s.write(append(full, '\n'))
			return
		}
		s.writeString("]")
		s.write(full[i+len(key):])
		s.writeString("\n")
	case "text":
		s.writeTextEnd(rep)
	case "markdown":
		rep.Exchanges = s.held
		s.held = nil
		if s.err == nil {
			s.err = writeMarkdown(s.w, rep, s)
		}
	}
}

// writeHeader is the first line of a held input in text: its name, format
// and how many exchanges were read.
func (s *sink) writeHeader(rep analyzer.Report, n int) {
	line := s.cfg.bold(analyzer.Printable(displayName(rep.Input.Name))) + "  (" + analyzer.Printable(rep.Input.Format)
	if rep.Input.Producer != "" {
		line += " from " + analyzer.Printable(string(rep.Input.Producer))
	}
	line += ", " + strconv.Itoa(n) + " exchange" + plural(n) + ")\n"
	s.writeString(line)
}

// writeTextEnd closes an input in text: what was left out, the capture's
// summary, the warnings; a streamed input also gets its counts here.
func (s *sink) writeTextEnd(rep analyzer.Report) {
	var b strings.Builder
	if s.streaming {
		b.WriteString("\n" + s.cfg.bold(analyzer.Printable(displayName(rep.Input.Name))) + "  (" + analyzer.Printable(rep.Input.Format))
		if rep.Input.Producer != "" {
			b.WriteString(" from " + analyzer.Printable(string(rep.Input.Producer)))
		}
		b.WriteString(", " + strconv.Itoa(s.seen) + " exchange" + plural(s.seen) + ")\n")
	}
	if s.cfg.filter.active() {
		b.WriteString("\n" + s.cfg.dim(strconv.Itoa(s.selected)+" of "+strconv.Itoa(s.seen)+" exchange"+plural(s.seen)+" match "+analyzer.Printable(s.cfg.filterText)) + "\n")
	}
	if s.okHidden > 0 {
		how := "--all lists them"
		if s.cfg.filter.onlyProblems {
			how = "--only-problems"
		}
		b.WriteString("\n" + s.cfg.dim(strconv.Itoa(s.okHidden)+" exchange"+plural(s.okHidden)+" ok (not shown; "+how+")") + "\n")
	}
	if rep.Summary != nil {
		b.WriteString("\n" + s.cfg.bold("summary") + "\n")
		for _, l := range rep.Summary.Lines() {
			b.WriteString("  " + l + "\n")
		}
	}
	for _, wn := range rep.Warnings {
		b.WriteString(s.cfg.paint("33", "warning:") + " " + analyzer.Printable(wn) + "\n")
	}
	s.writeString(b.String())
}

// writeMarkdown writes a report whose exchanges were already selected by
// --host, --verdict or --status; its header then says how many were read.
func writeMarkdown(w io.Writer, rep analyzer.Report, s *sink) error {
	var b bytes.Buffer
	if err := rep.WriteMarkdown(&b, s.cfg.filter.onlyProblems); err != nil {
		return err
	}
	out := b.String()
	if n := len(rep.Exchanges); s.cfg.filter.active() {
		from := ", " + strconv.Itoa(n) + " exchange" + plural(n) + ".\n"
		to := ", " + strconv.Itoa(n) + " of " + strconv.Itoa(s.seen) + " exchange" + plural(s.seen) + " match " + mdPlain(s.cfg.filterText) + ".\n"
		out = strings.Replace(out, from, to, 1)
	}
	_, err := io.WriteString(w, out)
	return err
}

// exchangeJSON is one exchange as the report's JSON holds it (the
// analyzer's own encoder, byte for byte encoding/json's: through
// encoding/json's reflection it was 7 % of a 100 MB HAR's CPU).
func exchangeJSON(b []byte, e *analyzer.ExchangeReport) []byte {
	if math.IsInf(e.Confidence, 0) || math.IsNaN(e.Confidence) {
		return append(b, `{"index":`+strconv.Itoa(e.Index)+`,"error":"unencodable"}`...)
	}
	return e.AppendJSON(b)
}

// tableHeader is the first row of --format table.
var tableHeader = []string{"INPUT", "#", "METHOD", "HOST", "STATUS", "VERDICT", "VENDOR/SCHEME", "CAUSE", "CONFIDENCE"}

// tableRow is one exchange as a row of tab-separated cells.
func tableRow(name string, e *analyzer.ExchangeReport) []byte {
	vs := string(e.Vendor)
	if e.Scheme != "" {
		if vs != "" {
			vs += "/"
		}
		vs += string(e.Scheme)
	}
	cells := []string{displayName(name), strconv.Itoa(e.Index), e.Method, hostOf(e.URL), strconv.Itoa(e.Status), string(e.Verdict), vs, string(e.Cause), strconv.Itoa(int(e.Confidence*100+0.5)) + "%"}
	return []byte(tsvLine(cells))
}

// tsvLine joins cells with tabs: each cell's tabs, line breaks and other
// control or bidi characters written as visible escapes (analyzer.Printable),
// so a capture's value can neither add a row or a column nor drive the terminal.
func tsvLine(cells []string) string {
	for i, c := range cells {
		if c == "" {
			c = "-"
		}
		cells[i] = analyzer.Printable(c)
	}
	return strings.Join(cells, "\t") + "\n"
}

// cleanErr is err as the CLI says it: without a path error's operation and
// path (the input is named already) or the analyzer's package prefix.
func cleanErr(err error) string {
	return analyzer.Message(unwrapPathErr(err))
}
