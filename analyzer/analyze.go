package analyzer

import (
	"why401/analyzer/internal/knowledge"

	"bufio"
	"bytes"
	"errors"
	"io"

	"why401/analyzer/internal/capture"
)

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
)

// Limits bound the work and memory of one analysis; every limit that is
// hit adds a line to Report.Warnings. A zero field means its default.
type Limits = capture.Limits

// DefaultLimits returns the limits a zero field of Limits stands for.
func DefaultLimits() Limits { return capture.DefaultLimits() }

// Kind is a verdict: what happened to a request (auth, bot, rate_limit…).
type Kind = knowledge.Kind

// The verdict vocabulary of the report contract. Extend, never rename.
const (
	KindAuth      = knowledge.KindAuth      // genuine authentication failure (or a normal auth handshake step)
	KindBot       = knowledge.KindBot       // an anti-bot or WAF layer challenged or blocked the caller
	KindRateLimit = knowledge.KindRateLimit // an application quota or an edge rate limit
	KindProxyAuth = knowledge.KindProxyAuth // a proxy between the client and the site wants credentials
	KindForbidden = knowledge.KindForbidden // authenticated or not, refused for authorization reasons
	KindOK        = knowledge.KindOK        // nothing wrong
	KindUnknown   = knowledge.KindUnknown   // not enough to say; the summary says why
)

// Fix is one thing the user can do, with concrete steps.
type Fix = knowledge.Fix

// Snippet is a copyable example in a Fix.
type Snippet = knowledge.Snippet

// Options tune one analysis. The zero value is ready to use.
type Options struct {
	// Name is the input's name as reported in Report.Input.Name (a file name, or "-").
	Name string
	// Limits bound memory and work; zero fields take DefaultLimits.
	Limits capture.Limits
	// OnExchange, when set, is called with each exchange's report as soon as
	// it is ready, in capture order (for progress on long inputs): what it
	// receives equals the final Report's exchange. With StreamAfter > 0 it
	// is instead how a big capture's exchanges are handed over: a capture of
	// more than StreamAfter exchanges streams them all to OnExchange as they
	// are decided (the first StreamAfter at once when one more arrives) and
	// Report.Exchanges comes back empty, so memory stays bounded whatever the
	// capture's size; what is only known at the end (the sanitized-capture
	// notes) reaches the warnings, not the exchanges already handed over. A
	// capture of at most StreamAfter exchanges comes back whole in
	// Report.Exchanges and OnExchange is not called.
	OnExchange func(ExchangeReport)
	// StreamAfter is the most exchanges held before streaming to OnExchange.
	StreamAfter int
	// Progress, when set, is called now and then with the input bytes read so far.
	Progress func(read int64)
	// OnlyProblems leaves exchanges judged ok out of Report.Exchanges (they
	// are still counted in Input.Entries and in the HAR summary), so memory
	// grows with the problems only: a multi-gigabyte HAR stays small.
	OnlyProblems bool

	// keep, when set, sees each exchange with its report (Diff keeps both sides' exchanges).
	keep func(*capture.Exchange, ExchangeReport)
}

// Analyze reads a capture — a raw response (optionally after its request), a
// curl -i or curl -v transcript, or a HAR file — and explains each response.
// A partial report comes with a nil error and warnings; an error means nothing
// could be read.
func Analyze(input []byte) (Report, error) {
	return AnalyzeWith(input, Options{})
}

// AnalyzeWith is Analyze with options.
func AnalyzeWith(input []byte, opt Options) (Report, error) {
	return AnalyzeReader(bytes.NewReader(input), opt)
}

// textLimit is the most bytes of a non-HAR (text) input read into memory.
const textLimit = 64 << 20

// AnalyzeReader reads the capture from r. HAR files are streamed entry by
// entry, so memory stays bounded by the largest entry, not the file.
func AnalyzeReader(r io.Reader, opt Options) (Report, error) {
	return analyzeReader(r, opt, &capture.Warnings{})
}

func analyzeReader(r io.Reader, opt Options, w *capture.Warnings) (Report, error) {
	lim := opt.Limits.WithDefaults()
	rep := Report{SchemaVersion: SchemaVersion, Input: InputInfo{Name: opt.Name}, Exchanges: []ExchangeReport{}}
	cr := &countingReader{r: r, progress: opt.Progress}
	br := bufio.NewReaderSize(cr, 64<<10)

	head, _ := br.Peek(4)
	if r, wrapped, err := capture.Unwrap(head, br); err != nil {
		return rep, err
	} else if wrapped {
		br = bufio.NewReaderSize(&cappedReader{r: r, n: lim.DecompressedBytes, w: w}, 64<<10)
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
				return rep, capture.ChainErr("analyzer: read: ", cr.err)
			}
			return rep, ErrEmpty
		}
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			first = c
			br.UnreadByte()
			break
		}
	}
	if sniff, _ := br.Peek(512); capture.IsBinary(sniff) && !capture.IsContainer(sniff) {
		return rep, ErrBinary
	}
	st := newCaptureState()
	var chunks [][]ExchangeReport // filled chunk by chunk: no re-copying as a big HAR grows
	var cur []ExchangeReport
	count, seen := 0, 0 // exchanges kept, exchanges analysed
	streaming := false
	hand := func(er ExchangeReport) { opt.OnExchange(er) }
	emitReport := func(er ExchangeReport) {
		seen++
		if opt.OnExchange != nil && opt.StreamAfter <= 0 {
			opt.OnExchange(er)
		}
		if opt.OnlyProblems && er.Verdict == KindOK {
			return
		}
		if !streaming && opt.OnExchange != nil && opt.StreamAfter > 0 && count >= opt.StreamAfter {
			streaming = true
			for _, c := range append(chunks, cur) {
				for _, held := range c {
					hand(held)
				}
			}
			chunks, cur, count = nil, nil, 0
		}
		if streaming {
			hand(er)
			return
		}
		// At most Reports kept, half of them at most ok: the problems of a
		// long capture are not crowded out by the ok entries before them.
		if count >= lim.Reports || (er.Verdict == KindOK && count >= (lim.Reports+1)/2) {
			w.Addf("reports", "an exchange was analysed and counted but is not listed: the report keeps at most %d (limit Reports; at most half of them ok)", lim.Reports)
			return
		}
		if len(cur) == cap(cur) {
			if cur != nil {
				chunks = append(chunks, cur)
			}
			cur = make([]ExchangeReport, 0, min(4096, 64<<min(len(chunks), 6)))
		}
		cur = append(cur, er)
		count++
	}
	emit := func(ex capture.Exchange) {
		er := analyzeExchange(&ex, lim, w, st)
		if opt.keep != nil {
			opt.keep(&ex, er)
		}
		emitReport(er)
	}
	collect := func() {
		if streaming {
			rep.Exchanges = []ExchangeReport{} // handed over to OnExchange already
			return
		}
		rep.Exchanges = make([]ExchangeReport, 0, count)
		for _, c := range chunks {
			rep.Exchanges = append(rep.Exchanges, c...)
		}
		rep.Exchanges = append(rep.Exchanges, cur...)
		chunks, cur = nil, nil
	}
	// Containers: a Playwright HAR zip (read as HAR), WARC, Burp XML.
	if format, producer, n, har, err := capture.ReadContainer(br, lim, w, emit); format != "" {
		if har != nil {
			br, first = bufio.NewReaderSize(bytes.NewReader(har), 64<<10), '{'
		} else {
			collect()
			rep.Input.Format, rep.Input.Producer, rep.Input.Entries = format, OptString(producer), n
			if err != nil && seen == 0 {
				return rep, err
			} else if err != nil {
				w.Addf("capture-error", "the %s capture could not be read to the end (%v)", format, err)
			}
			st.sum.Finish(&rep, st.story, w)
			rep.Warnings = w.List()
			streamed(&rep, streaming)
			return rep, nil
		}
	} else if err != nil {
		return rep, err
	}
	if first == '{' {
		rep.Input.Format = "har"
		s := capture.NewJSONScanner(br, nil, lim)
		info, err := analyzeHAR(s, lim, w, st, emitReport, opt.keep)
		collect()
		rep.Input.Producer = OptString(info.Producer)
		rep.Input.Entries = info.Entries
		if err != nil {
			if errors.Is(err, capture.ErrTruncated) && seen > 0 {
				rep.Input.Entries = seen
			} else if errors.Is(err, capture.ErrNotHAR) {
				return rep, capture.WrapErr(ErrHAR.Error()+": "+err.Error(), ErrHAR)
			} else if seen > 0 {
				w.Addf("har-error", "the HAR could not be read to the end (%v); the report covers the %d entries before the problem", err, seen)
			} else {
				return rep, capture.WrapErr(ErrHAR.Error()+": "+err.Error(), ErrHAR)
			}
		}
		st.sum.Finish(&rep, st.story, w)
		rep.Warnings = w.List()
		streamed(&rep, streaming)
		return rep, nil
	}
	// A text input is held whole: at most textLimit, or MemberBytes when smaller.
	tl := min(int64(textLimit), lim.MemberBytes)
	data, err := io.ReadAll(io.LimitReader(br, tl+1))
	if err != nil {
		return rep, capture.ChainErr("analyzer: read: ", err)
	}
	if int64(len(data)) > tl {
		data = data[:tl]
		w.Addf("text-bytes", "the text input is larger than %d bytes; only its start was read", tl)
	}
	exs, format, err := capture.ParseText(data, lim, w)
	rep.Input.Format = format
	if err != nil {
		return rep, err
	}
	rep.Input.Entries = len(exs)
	for i := range exs {
		emit(exs[i])
	}
	collect()
	st.sum.Finish(&rep, st.story, w)
	rep.Warnings = w.List()
	streamed(&rep, streaming)
	return rep, nil
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

// cappedReader stops a decompressor at n bytes and says so.
type cappedReader struct {
	r io.Reader
	n int64
	w *capture.Warnings
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.w.Add("decompressed", "the compressed input expands past the DecompressedBytes limit; only its start was read")
		return 0, io.EOF
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// streamed empties the exchanges of a streamed capture's report: they went
// to OnExchange as they were decided.
func streamed(rep *Report, streaming bool) {
	if streaming {
		rep.Exchanges = []ExchangeReport{}
	}
}
