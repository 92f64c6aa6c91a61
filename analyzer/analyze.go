package analyzer

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// Sentinel errors, for errors.Is.
var (
	// ErrNoResponse: the input holds no HTTP response the analyzer could find.
	ErrNoResponse = errors.New("analyzer: no HTTP response found (expected a status line such as \"HTTP/1.1 401 Unauthorized\", a curl -i/-v transcript or a HAR file)")
	// ErrBinary: the input is binary data, not a capture.
	ErrBinary = errors.New("analyzer: the input is binary data, not an HTTP capture or HAR")
	// ErrEmpty: nothing to analyse.
	ErrEmpty = errors.New("analyzer: the input is empty")
	// ErrHAR: the input looks like JSON but is not a HAR file the analyzer can read.
	ErrHAR = errors.New("analyzer: unreadable HAR")

	errRequestOnly = errors.New("analyzer: the input holds a request but no response; paste the response too (curl -i or curl -v shows it)")
)

// Options tune one analysis. The zero value is ready to use.
type Options struct {
	// Name is the input's name as reported in Report.Input.Name (a file name, or "-").
	Name string
	// Limits bound memory and work; zero fields take DefaultLimits.
	Limits Limits
	// OnExchange, when set, is called with each exchange's report as soon as
	// it is ready (for progress on long inputs).
	OnExchange func(ExchangeReport)
	// Progress, when set, is called now and then with the input bytes read so far.
	Progress func(read int64)
	// OnlyProblems leaves exchanges judged ok out of Report.Exchanges (they
	// are still counted in Input.Entries and in the HAR summary), so memory
	// grows with the problems only: a multi-gigabyte HAR stays small.
	OnlyProblems bool
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
	return analyzeReader(r, opt, &warnings{})
}

func analyzeReader(r io.Reader, opt Options, w *warnings) (Report, error) {
	lim := opt.Limits.withDefaults()
	rep := Report{Input: InputInfo{Name: opt.Name}, Exchanges: []ExchangeReport{}}
	cr := &countingReader{r: r, progress: opt.Progress}
	br := bufio.NewReaderSize(cr, 64<<10)

	head, _ := br.Peek(4)
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzipReader(br)
		if err != nil {
			return rep, chainErr("analyzer: gzip: ", err)
		}
		br = bufio.NewReaderSize(&cappedReader{r: zr, n: lim.DecompressedBytes, w: w}, 64<<10)
	case len(head) >= 2 && head[0] == 0x78 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0:
		if zr, err := zlibReader(br); err == nil {
			br = bufio.NewReaderSize(&cappedReader{r: zr, n: lim.DecompressedBytes, w: w}, 64<<10)
		}
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
				return rep, chainErr("analyzer: read: ", cr.err)
			}
			return rep, ErrEmpty
		}
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			first = c
			br.UnreadByte()
			break
		}
	}
	if sniff, _ := br.Peek(512); isBinary(sniff) && !isContainer(sniff) {
		return rep, ErrBinary
	}
	st := newStory()
	var chunks [][]ExchangeReport // filled chunk by chunk: no re-copying as a big HAR grows
	var cur []ExchangeReport
	count, seen := 0, 0 // exchanges kept, exchanges analysed
	emitReport := func(er ExchangeReport) {
		seen++
		if opt.OnExchange != nil {
			opt.OnExchange(er)
		}
		if opt.OnlyProblems && er.Verdict == KindOK {
			return
		}
		// At most Reports kept, half of them at most ok: the problems of a
		// long capture are not crowded out by the ok entries before them.
		if count >= lim.Reports || (er.Verdict == KindOK && count >= (lim.Reports+1)/2) {
			w.addf("reports", "an exchange was analysed and counted but is not listed: the report keeps at most %d (limit Reports; at most half of them ok)", lim.Reports)
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
	emit := func(ex Exchange) { emitReport(analyzeExchange(&ex, lim, w, st)) }
	collect := func() {
		rep.Exchanges = make([]ExchangeReport, 0, count)
		for _, c := range chunks {
			rep.Exchanges = append(rep.Exchanges, c...)
		}
		rep.Exchanges = append(rep.Exchanges, cur...)
		chunks, cur = nil, nil
	}
	// Containers: a Playwright HAR zip (read as HAR), WARC, Burp XML.
	if format, producer, n, har, err := readContainer(br, lim, w, emit); format != "" {
		if har != nil {
			br, first = bufio.NewReaderSize(bytes.NewReader(har), 64<<10), '{'
		} else {
			collect()
			rep.Input.Format, rep.Input.Producer, rep.Input.Entries = format, OptString(producer), n
			if err != nil && seen == 0 {
				return rep, err
			} else if err != nil {
				w.addf("capture-error", "the %s capture could not be read to the end (%v)", format, err)
			}
			st.finish(&rep, w)
			rep.Warnings = w.list()
			return rep, nil
		}
	} else if err != nil {
		return rep, err
	}
	if first == '{' {
		rep.Input.Format = "har"
		s := newJSONScanner(br, nil, lim)
		info, err := analyzeHAR(s, lim, w, st, emitReport)
		collect()
		rep.Input.Producer = OptString(info.Producer)
		rep.Input.Entries = info.Entries
		if err != nil {
			if errors.Is(err, errTruncated) && seen > 0 {
				rep.Input.Entries = seen
			} else if errors.Is(err, errNotHAR) {
				return rep, &chainError{msg: ErrHAR.Error() + ": " + err.Error(), err: ErrHAR}
			} else if seen > 0 {
				w.addf("har-error", "the HAR could not be read to the end (%v); the report covers the %d entries before the problem", err, seen)
			} else {
				return rep, &chainError{msg: ErrHAR.Error() + ": " + err.Error(), err: ErrHAR}
			}
		}
		st.finish(&rep, w)
		rep.Warnings = w.list()
		return rep, nil
	}
	// A text input is held whole: at most textLimit, or MemberBytes when smaller.
	tl := min(int64(textLimit), lim.MemberBytes)
	data, err := io.ReadAll(io.LimitReader(br, tl+1))
	if err != nil {
		return rep, chainErr("analyzer: read: ", err)
	}
	if int64(len(data)) > tl {
		data = data[:tl]
		w.addf("text-bytes", "the text input is larger than %d bytes; only its start was read", tl)
	}
	exs, format, err := parseText(data, lim, w)
	rep.Input.Format = format
	if err != nil {
		return rep, err
	}
	rep.Input.Entries = len(exs)
	for i := range exs {
		emit(exs[i])
	}
	collect()
	st.finish(&rep, w)
	rep.Warnings = w.list()
	return rep, nil
}

// analyzeExchange runs stages 2 to 5 on one exchange.
func analyzeExchange(ex *Exchange, lim Limits, w *warnings, st *story) ExchangeReport {
	return conclude(ex, detect(ex, lim, w), st)
}

// detect is stage 2 without the cross-entry story: it depends on nothing but
// the exchange, so HAR entries run it in parallel.
func detect(ex *Exchange, lim Limits, w *warnings) []Signal {
	var sig []Signal
	sig = append(sig, challengeSignals(ex, lim, w)...)
	sig = append(sig, credentialSignals(ex)...)
	sig = append(sig, statusSignals(ex)...)
	resp := &ex.Response
	switch {
	case resp.Status == 0:
	case resp.Status >= 400 || resp.Status == 202:
		sig = append(sig, vendorSignals(ex)...)
		sig = append(sig, apiSignals(ex)...)
		sig = gateSignals(ex, sig)
	case len(resp.Body) > 0:
		// A success pays for scanning only when it can hide something:
		// a challenge page served as 200 (F5, Imperva, Anubis), a site's
		// own human check, an API error in a 200 (Slack).
		if looksHTML(resp) {
			sig = append(sig, vendorSignals(ex)...)
			sig = gateSignals(ex, sig)
		} else if looksJSON(resp) {
			sig = append(sig, apiSignals(ex)...)
		}
	}
	// Request traits explain blocks: a success pays for them only when it
	// looks like a challenge page.
	if resp.Status >= 400 || hasKind(sig, KindBot) {
		sig = append(sig, requestTraits(ex)...)
	}
	return sig
}

func hasKind(sig []Signal, k Kind) bool {
	for _, s := range sig {
		if s.Kind == k {
			return true
		}
	}
	return false
}

// conclude runs, in capture order, the story (stage 2's cross-entry part),
// the verdict, the fixes and the report.
func conclude(ex *Exchange, sig []Signal, st *story) ExchangeReport {
	sig = append(sig, st.observe(ex, sig)...)
	v := Decide(sig)
	if v.Kind == KindOK {
		// Nothing to explain beyond the status: skip fixes and the secret
		// inventory (the URL is masked by MaskURL on its own).
		return buildExchangeReport(ex, v, nil, nil)
	}
	return buildExchangeReport(ex, v, Fixes(v), collectSecrets(ex))
}

func isBinary(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	bad := 0
	for _, c := range b {
		if c == 0 || c < 0x08 || (c > 0x0d && c < 0x20 && c != 0x1b) {
			bad++
		}
	}
	return bad*10 > len(b)
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
	w *warnings
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.w.add("decompressed", "the compressed input expands past the DecompressedBytes limit; only its start was read")
		return 0, io.EOF
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// chainError is fmt.Errorf("…%w", err) without fmt: msg is the whole text,
// err what errors.Is and errors.As see.
type chainError struct {
	msg string
	err error
}

func (e *chainError) Error() string { return e.msg }
func (e *chainError) Unwrap() error { return e.err }

// chainErr prefixes err's text and wraps err.
func chainErr(prefix string, err error) error {
	return &chainError{msg: prefix + err.Error(), err: err}
}
