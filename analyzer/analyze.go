package analyzer

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
	"why401/internal/capped"
)

// KnowledgeErr is every error met so far loading the knowledge built into
// the analyzer (a vendor or API file that does not decode, a duplicate id,
// a rule that fails its checks, a pattern that does not compile), each
// naming its file; nil in a sound build. The knowledge loads as analyses
// need it, so ask after analysing. Analyze and the other entry points
// already do: they return ErrKnowledge with it.
func KnowledgeErr() error { return knowledge.Err() }

// knowledgeErr is ErrKnowledge with the details of KnowledgeErr, or nil.
func knowledgeErr() error {
	err := knowledge.Err()
	if err == nil {
		return nil
	}
	return capture.WrapErr(ErrKnowledge.Error()+" (a broken build: its reports would miss what these files know): "+strings.ReplaceAll(Message(err), "\n", "; "), ErrKnowledge)
}

// Sentinel errors, for errors.Is.
var (
	// ErrNoResponse: the input holds no HTTP response the analyzer could find.
	ErrNoResponse = capture.ErrNoResponse
	// ErrBinary: the input is binary data, not a capture.
	ErrBinary = capture.ErrBinary
	// ErrEmpty: nothing to analyse.
	ErrEmpty = capture.ErrEmpty
	// ErrHAR: the input looks like JSON but is not a HAR file the analyzer can read.
	ErrHAR = capture.ErrHAR
	// ErrKnowledge: the knowledge built into the analyzer (its vendor,
	// API and word files) did not all load: a broken build, whose reports
	// would miss what the broken files know. The entry points return it
	// after the analysis, with the report, the error's text naming each
	// file; a door shows the error rather than the report (the CLI shows
	// both and exits 2).
	ErrKnowledge = errors.New("analyzer: the knowledge built into this build did not load")
	// ErrNeedsFull: the input is compressed (gzip, zlib, or a compressed
	// body inside it) or a zip, WARC or Burp capture, and this build was
	// made with the slim tag, which leaves those readers out. Only the
	// page's analyzer.wasm is built so; it hands such input to the full
	// analyzer in the page's on-demand wasm (wasm/main.go).
	ErrNeedsFull = capture.ErrNeedsFull
)

// Limits bound the work and memory of one analysis; every limit that is
// hit adds a line to Report.Warnings, never a failure. A zero field means
// its default (DefaultLimits).
type Limits struct {
	// InputBytes is the most bytes read from one input (default 2 GiB).
	InputBytes int64
	// EntryBytes is the largest single HAR entry kept (default 64 MiB);
	// larger entries are skipped with a warning.
	EntryBytes int
	// BodyBytes is how much of each body is kept and scanned (default 256
	// KiB); a long refusal keeps its start and its end.
	BodyBytes int
	// HeaderFields is the most header fields kept per message (default 500).
	HeaderFields int
	// HeaderBytes is the longest header value kept (default 64 KiB); longer
	// values are cut.
	HeaderBytes int
	// ChallengeParams is the most auth-params parsed from one response's
	// WWW-Authenticate (or Proxy-Authenticate) fields together (default 64).
	ChallengeParams int
	// Entries is the most exchanges analysed per input (default 2,000,000).
	Entries int
	// Depth is the deepest JSON nesting accepted (default 256).
	Depth int
	// DecompressedBytes caps gzip/zlib output of compressed inputs (default 4 GiB).
	DecompressedBytes int64
	// MemberBytes is the most one zip member is inflated into memory: the
	// .har of a Playwright HAR zip, and that HAR with the bodies it names
	// (_file) inlined, each use of a body counted (default 128 MiB). A HAR
	// past it is read as far as it goes; bodies past it are not inlined. A
	// text input (held whole) is read up to 64 MiB, or MemberBytes when
	// smaller.
	MemberBytes int64
	// ContainerBytes is the most the members of one zip (HAR zip, WACZ,
	// SAZ) inflate together, a member read twice counted twice (default 1
	// GiB): it bounds memory and CPU alike.
	ContainerBytes int64
	// Reports is the most exchange reports kept in Report.Exchanges
	// (default Entries; at most half of them ok): later exchanges are still
	// analysed, counted and summarised, and a warning says how many were
	// left out. With Options.Handler nothing is kept.
	Reports int
}

// DefaultLimits returns the limits a zero field of Limits stands for.
func DefaultLimits() Limits { return Limits(capture.DefaultLimits()) }

// withDefaults is l with every zero field set to its default, in the
// stages' own type.
func (l Limits) withDefaults() capture.Limits { return capture.Limits(l).WithDefaults() }

// Options tune one analysis. The zero value is ready to use.
type Options struct {
	// Name is the input's name as reported in Report.Input.Name (a file name, or "-").
	Name string
	// Limits bound memory and work; zero fields take DefaultLimits.
	Limits Limits
	// Handler, when set, receives each exchange's report as soon as it is
	// final, in capture order, and Report.Exchanges comes back empty: memory
	// stays bounded whatever the capture's size. What is only known at the
	// end (the input's entry count, the warnings, the summary) is in the
	// Report returned.
	Handler Handler
	// Progress, when set, is called now and then with the input bytes read so far.
	Progress func(read int64)

	// keep, when set, sees each exchange with its report (Diff's: it keeps
	// what choosing the pair to compare needs).
	keep func(*capture.Exchange, ExchangeReport)
}

// Handler receives an analysis as it goes (Options.Handler).
type Handler interface {
	// Exchange is called with each exchange's final report, in capture order.
	Exchange(ExchangeReport)
}

// HandlerFunc is a function used as a Handler.
type HandlerFunc func(ExchangeReport)

// Exchange calls f(e).
func (f HandlerFunc) Exchange(e ExchangeReport) { f(e) }

// Analyze reads a capture — a raw response (optionally after its request), a
// curl -i or curl -v transcript, or a HAR file — and explains each response.
// A partial report comes with a nil error and warnings; an error means nothing
// could be read.
func Analyze(input []byte) (Report, error) {
	return AnalyzeWith(input, Options{})
}

// AnalyzeWith is Analyze with options.
func AnalyzeWith(input []byte, opt Options) (Report, error) {
	return AnalyzeReader(&inMemory{bytes.NewReader(input), input}, opt)
}

// inMemory is the reader AnalyzeWith reads: the input is there whole, so a
// HAR is scanned where it lies instead of copied through a buffer.
type inMemory struct {
	*bytes.Reader
	data []byte
}

// textLimit is the most bytes of a non-HAR (text) input read into memory.
const textLimit = 64 << 20

// AnalyzeReader reads the capture from r. HAR files are streamed entry by
// entry, so memory stays bounded by the largest entry, not the file.
func AnalyzeReader(r io.Reader, opt Options) (Report, error) {
	w := &capture.Warnings{}
	rep, err := analyzeReader(r, opt, w)
	if err == nil && w.NeedsFull() {
		return Report{Input: rep.Input, Exchanges: []ExchangeReport{}}, ErrNeedsFull
	}
	if err == nil {
		err = knowledgeErr()
	}
	return rep, err
}

func analyzeReader(r io.Reader, opt Options, w *capture.Warnings) (Report, error) {
	lim := opt.Limits.withDefaults()
	out := newOutput(opt, lim, w)
	st := newCaptureState()
	in, err := readCapture(r, opt, lim, w, st, out)
	rep := out.report(in)
	if err != nil {
		return rep, err
	}
	st.sum.Finish(&rep, st.story, w)
	rep.Warnings = w.List()
	return rep, nil
}

// sniffBuffer is the size of the buffer the input is read through: 64 KiB,
// or less for a smaller input of known size (a paste handed over as bytes
// pays for no more than it holds), but at least the 4 KiB the sniffing
// peeks at.
func sniffBuffer(size int64) int {
	if size >= 0 && size < 64<<10 {
		return max(int(size)+16, 4<<10)
	}
	return 64 << 10
}

// readCapture sniffs the input, reads it with the reader of its format and
// hands each exchange's report to out; it returns what was read.
func readCapture(r io.Reader, opt Options, lim capture.Limits, w *capture.Warnings, st *captureState, out *output) (InputInfo, error) {
	in := InputInfo{Name: opt.Name}
	size := sizeOf(r) // what a reader that holds the input whole (text, zip) sizes its buffer from
	cr := &countingReader{r: r, progress: opt.Progress}
	br := bufio.NewReaderSize(cr, sniffBuffer(size))

	// whole is the input when it is in memory as it is read (AnalyzeWith),
	// and skipped how many bytes of it br has handed out: a HAR is then
	// scanned in place.
	var whole []byte
	skipped := func() int64 { return cr.n - int64(br.Buffered()) }
	if m, ok := r.(*inMemory); ok {
		whole = m.data
	}
	head, _ := br.Peek(4)
	if r, wrapped, err := capture.Unwrap(head, br); err != nil {
		return in, err
	} else if wrapped {
		br = bufio.NewReaderSize(&capped.Reader{R: r, N: lim.DecompressedBytes, OnHit: func() {
			w.Add("decompressed", "the compressed input expands past the DecompressedBytes limit; only its start was read")
		}}, 64<<10)
		size, whole = -1, nil
	}
	// Skip a UTF-8 BOM and leading space, then sniff.
	if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	var first byte
	for {
		c, err := br.ReadByte()
		if err != nil {
			if cr.err != nil {
				return in, capture.WrapErr("analyzer: the input cannot be read: "+capture.Reason(cr.err), cr.err)
			}
			return in, ErrEmpty
		}
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			first = c
			br.UnreadByte()
			break
		}
	}
	if sniff, _ := br.Peek(512); capture.IsBinary(sniff) && !capture.IsContainer(sniff) {
		return in, ErrBinary
	}
	emit := func(ex capture.Exchange) { out.emit(&ex, analyzeExchange(&ex, lim, w, st)) }
	// Containers: a Playwright HAR zip (read as HAR), WARC, Burp XML.
	if format, producer, n, har, err := capture.ReadContainer(br, size, lim, w, emit); format != "" {
		if har == nil {
			in.Format, in.Producer, in.Entries = format, OptString(producer), n
			if err != nil && out.seen == 0 {
				return in, prefixed(err)
			} else if err != nil {
				w.Add("capture-error", "the "+format+" capture could not be read to the end ("+Message(err)+")")
			}
			return in, nil
		}
		br, first, size = bufio.NewReaderSize(bytes.NewReader(har), 64<<10), '{', int64(len(har))
		whole, skipped = har, func() int64 { return 0 }
	} else if err != nil {
		return in, prefixed(err)
	}
	if first == '{' {
		in.Format = "har"
		var s *capture.JSONScanner
		if whole != nil {
			s = capture.NewJSONScanner(nil, whole[skipped():], lim)
		} else {
			s = capture.NewJSONScanner(br, nil, lim)
			s.SizeHint(size) // a small HAR reads into a small buffer (-1: unknown)
		}
		info, err := analyzeHAR(s, lim, w, st, out)
		in.Producer = OptString(info.Producer)
		in.Entries = info.Entries
		switch {
		case err == nil:
		case errors.Is(err, capture.ErrTruncated) && out.seen > 0:
			in.Entries = out.seen
		case errors.Is(err, capture.ErrNotHAR) || out.seen == 0:
			return in, capture.WrapErr(ErrHAR.Error()+": "+err.Error(), ErrHAR)
		default:
			w.Add("har-error", "the HAR could not be read to the end ("+Message(err)+"); the report covers the "+strconv.Itoa(out.seen)+" entries before the problem")
		}
		return in, nil
	}
	// A text input is held whole: at most textLimit, or MemberBytes when smaller.
	tl := min(int64(textLimit), lim.MemberBytes)
	data, err := capture.ReadAllSized(br, size, tl)
	if err != nil {
		return in, capture.WrapErr("analyzer: the input cannot be read: "+capture.Reason(err), err)
	}
	if int64(len(data)) > tl {
		data = data[:tl]
		w.Add("text-bytes", "the text input is larger than "+strconv.FormatInt(tl, 10)+" bytes; only its start was read")
	}
	exs, format, err := capture.ParseText(data, lim, w)
	in.Format = format
	if err != nil {
		return in, err
	}
	in.Entries = len(exs)
	for i := range exs {
		emit(exs[i])
	}
	return in, nil
}

// output is where one analysis's exchange reports go: to Options.Handler
// as they are decided, or kept for Report.Exchanges (at most
// Limits.Reports, at most half of them ok, so the problems of a long
// capture are not crowded out by the ok entries before them).
type output struct {
	h    Handler
	keep func(*capture.Exchange, ExchangeReport)
	lim  capture.Limits
	w    *capture.Warnings
	// The kept reports, chunk by chunk: no re-copying as a big HAR grows.
	chunks [][]ExchangeReport
	cur    []ExchangeReport
	count  int // reports kept
	seen   int // exchanges analysed
}

func newOutput(opt Options, lim capture.Limits, w *capture.Warnings) *output {
	return &output{h: opt.Handler, keep: opt.keep, lim: lim, w: w}
}

// emit takes one exchange's final report.
func (o *output) emit(ex *capture.Exchange, er ExchangeReport) {
	o.seen++
	if o.keep != nil {
		o.keep(ex, er)
	}
	if o.h != nil {
		o.h.Exchange(er)
		return
	}
	if o.count >= o.lim.Reports || (er.Verdict == KindOK && o.count >= (o.lim.Reports+1)/2) {
		o.w.Add("reports", "an exchange was analysed and counted but is not listed: the report keeps at most "+strconv.Itoa(o.lim.Reports)+" (limit Reports; at most half of them ok)")
		return
	}
	if len(o.cur) == cap(o.cur) {
		if o.cur != nil {
			o.chunks = append(o.chunks, o.cur)
		}
		// Chunks of 4, 8, … 4,096 reports: one live response does not
		// pay for 64 (18 KB), a HAR's report is not copied as it grows.
		o.cur = make([]ExchangeReport, 0, min(4096, 4<<min(len(o.chunks), 10)))
	}
	o.cur = append(o.cur, er)
	o.count++
}

// report is the Report of what was read, holding the kept exchanges.
func (o *output) report(in InputInfo) Report {
	rep := Report{SchemaVersion: SchemaVersion, Input: in, Exchanges: make([]ExchangeReport, 0, o.count)}
	for _, c := range o.chunks {
		rep.Exchanges = append(rep.Exchanges, c...)
	}
	rep.Exchanges = append(rep.Exchanges, o.cur...)
	o.chunks, o.cur = nil, nil
	return rep
}

type countingReader struct {
	r        io.Reader
	n        int64
	err      error
	progress func(int64)
	lastTick int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && err != io.EOF {
		c.err = err
	}
	if c.progress != nil && c.n-c.lastTick >= 1<<20 {
		c.lastTick = c.n
		c.progress(c.n)
	}
	return n, err
}
