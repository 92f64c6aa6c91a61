package analyzer

import (
	"why401/analyzer/internal/detect"

	"why401/analyzer/internal/capture"

	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/diff"
	"why401/internal/ascii"
	"why401/internal/weburl"
)

// DiffOptions tune a comparison. The zero value is ready to use.
type DiffOptions struct {
	// GoodName and BadName are the inputs' names as reported.
	GoodName, BadName string
	// URL, when set, picks the exchanges whose URL contains it (HAR entries
	// picked by URL).
	URL string
	// GoodIndex and BadIndex pick an exchange by its index; -1 or unset
	// (with Pick false) picks automatically: the first failing exchange of
	// BAD, and the exchange of GOOD that asked for the same URL (the
	// same method and path, a success if there is one).
	GoodIndex, BadIndex int
	// Pick is set when GoodIndex and BadIndex were given (0 is an index).
	Pick bool
	// Limits bound memory and work; zero fields take DefaultLimits.
	Limits Limits
}

// ErrNoFailure: a capture has no exchange to compare: it holds none, none
// has a URL that contains DiffOptions.URL, or none has the index asked for
// (then the error is an *IndexError too).
var ErrNoFailure = errors.New("analyzer: nothing to compare: the capture holds no exchange (or none matches the URL)")

// nothingToCompare is ErrNoFailure naming the capture it is about, and why.
func nothingToCompare(name, url string, exchanges int) error {
	msg := prefix + name + ": "
	switch {
	case exchanges == 0:
		msg += "nothing to compare: the capture holds no exchange"
	case url != "":
		msg += "no exchange's URL contains " + strconv.Quote(url) + " (the capture holds " + count(exchanges, "exchange") + ")"
	default:
		msg += strings.TrimPrefix(ErrNoFailure.Error(), prefix)
	}
	return capture.WrapErr(msg, ErrNoFailure)
}

// IndexError is the error of a comparison asked for an exchange by its
// index (DiffOptions.GoodIndex, BadIndex) that its capture does not hold.
// errors.Is(err, ErrNoFailure) holds too.
type IndexError struct {
	Side      string // "good" or "bad"
	Input     string // the capture's name (DiffOptions.GoodName or BadName)
	Index     int    // the index asked for
	Exchanges int    // the exchanges the capture holds, #0 to #Exchanges-1
}

func (e *IndexError) Error() string {
	return prefix + e.Input + " has no exchange #" + strconv.Itoa(e.Index) + ": " + e.Range()
}

// Range says which indexes the capture holds: "it holds 3 exchanges, #0 to #2".
func (e *IndexError) Range() string {
	switch e.Exchanges {
	case 0:
		return "it holds no exchange"
	case 1:
		return "it holds 1 exchange, #0"
	}
	return "it holds " + count(e.Exchanges, "exchange") + ", #0 to #" + strconv.Itoa(e.Exchanges-1)
}

func (e *IndexError) Unwrap() error { return ErrNoFailure }

// count is "1 exchange", "2 exchanges".
func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// A comparison reads each capture once, as Analyze reads it (streamed, in
// the same bounds), and keeps only what choosing its exchange needs: the
// candidate so far (its request and response, the body's first 64 KiB),
// when each exchange started and its host (16 bytes each, for the rate
// before the failure), and the expiry of the cookies set up to the
// candidate. BAD is read first: which exchange of GOOD fits depends on the
// one picked in BAD. Holding every exchange of both sides (headers and
// 64 KiB of body each) made diff's memory follow a capture's decompressed
// size: two 4.6 MB .har.gz reached 3.9 GB.

// diffItem is one exchange as a comparison keeps it.
type diffItem struct {
	ex  capture.Exchange
	er  ExchangeReport
	pos int // its place among the exchanges with a start time, or -1
}

// diffWhen is when an exchange started and its host (hashed), for the rate
// before the failure.
type diffWhen struct {
	t    int64 // UnixNano
	host uint64
}

// diffExpiryNames bounds the cookie names whose expiry a side remembers.
const diffExpiryNames = 4096

// diffSideState picks one exchange of a capture as it is read.
type diffSideState struct {
	better  func(er *ExchangeReport) bool // whether this exchange replaces the pick
	final   bool                          // the pick is final (the first failure, an index)
	seen    int                           // exchanges read
	pick    diffItem
	has     bool
	when    []diffWhen
	whenCap int
	whenCut bool
	// The expiry of cookies set up to the pick (committed) and by the
	// exchanges read after it (pending, merged in when the pick moves on).
	committed, pending map[string]time.Time
}

func (d *diffSideState) see(ex *capture.Exchange, er ExchangeReport) {
	d.seen++
	pos := -1
	if !ex.Started.IsZero() {
		if len(d.when) < d.whenCap {
			pos = len(d.when)
			d.when = append(d.when, diffWhen{ex.Started.UnixNano(), hashHost(weburl.Host(er.URL))})
		} else {
			d.whenCut = true
		}
	}
	base, ok := detect.ResponseDate(&ex.Response)
	if !ok {
		base = ex.Started
	}
	for _, c := range ex.Response.SetCookies() {
		if exp, ok := cookieExpiry(c, base); ok && (len(d.pending) < diffExpiryNames || !d.pending[c.Name].IsZero()) {
			if d.pending == nil {
				d.pending = map[string]time.Time{}
			}
			d.pending[c.Name] = exp
		}
	}
	if d.final || !d.better(&er) {
		return
	}
	cp := *ex
	cp.Response.Body = bytes.Clone(cp.Response.Body[:min(len(cp.Response.Body), 64<<10)])
	d.pick, d.has = diffItem{ex: cp, er: er, pos: pos}, true
	for k, v := range d.pending {
		if d.committed == nil {
			d.committed = map[string]time.Time{}
		}
		if len(d.committed) < diffExpiryNames || !d.committed[k].IsZero() {
			d.committed[k] = v
		}
	}
	clear(d.pending)
}

// hashHost is FNV-1a of a host name.
func hashHost(h string) uint64 {
	x := uint64(14695981039346656037)
	for i := 0; i < len(h); i++ {
		x ^= uint64(h[i])
		x *= 1099511628211
	}
	return x
}

// diffCapture is one side of a comparison once read.
type diffCapture struct {
	diffSideState
	warnings []string
}

// readSide reads one side of a comparison (side "good" or "bad", its input
// name and --index): with opt.Pick and an index, the exchange at that index;
// else the one st.better, set by the caller, prefers.
func readSide(r io.Reader, side, name string, index int, opt *DiffOptions, st *diffSideState) (*diffCapture, error) {
	picked := opt.Pick && index >= 0
	if picked {
		st.better = func(er *ExchangeReport) bool { st.final = er.Index == index; return st.final }
	}
	c, err := readForDiff(r, name, opt.Limits, st)
	if err != nil {
		return nil, capture.WrapErr(prefix+name+": "+Message(err), err)
	}
	if !c.has {
		if picked {
			return nil, &IndexError{Side: side, Input: name, Index: index, Exchanges: c.seen}
		}
		return nil, nothingToCompare(name, opt.URL, c.seen)
	}
	return c, nil
}

// readForDiff reads one capture and picks its exchange with st.
func readForDiff(r io.Reader, name string, lim Limits, st *diffSideState) (*diffCapture, error) {
	d := lim.withDefaults()
	st.whenCap = min(d.Entries, max(d.Reports, 1)*64)
	c := &diffCapture{}
	rep, err := analyzeReader(r, Options{Name: name, Limits: lim,
		// The reports go to a handler that drops them: only the pick is
		// kept (keep).
		Handler: HandlerFunc(func(ExchangeReport) {}),
		keep:    st.see}, &capture.Warnings{})
	if err != nil {
		return nil, err
	}
	c.diffSideState = *st
	c.warnings = rep.Warnings
	if st.whenCut {
		c.warnings = append(c.warnings, "the rate before the failure counts the first "+strconv.Itoa(st.whenCap)+" exchanges with a start time only")
	}
	return c, nil
}

// Diff compares a capture that worked with one that failed — raw responses,
// curl transcripts or HARs — and ranks what changed by how likely it explains
// the failure: headers added, removed or changed, their order and the HTTP
// version, cookies by name (one missing, one expired), the credential (same
// fingerprint or not, another scheme, expired), a changed client address the
// site echoed, the rate before the failure, and each side's verdict.
func Diff(good, bad []byte, opt DiffOptions) (DiffReport, error) {
	return DiffReaders(bytes.NewReader(good), bytes.NewReader(bad), opt)
}

// DiffReaders is Diff on two readers, each read once, streamed and bounded
// as AnalyzeReader reads a capture (a cut is said in the warnings): bad
// first, then good.
func DiffReaders(good, bad io.Reader, opt DiffOptions) (DiffReport, error) {
	if opt.GoodName == "" {
		opt.GoodName = "good"
	}
	if opt.BadName == "" {
		opt.BadName = "bad"
	}
	match := func(er *ExchangeReport) bool { return opt.URL == "" || strings.Contains(er.URL, opt.URL) }
	bst := &diffSideState{}
	// The first failing exchange (that matches the URL), else the last one.
	bst.better = func(er *ExchangeReport) bool {
		if !match(er) {
			return false
		}
		bst.final = er.Verdict != KindOK
		return true
	}
	bc, err := readSide(bad, "bad", opt.BadName, opt.BadIndex, &opt, bst)
	if err != nil {
		return DiffReport{}, err
	}
	b := &bc.pick
	gst := &diffSideState{}
	best := -1
	gst.better = func(er *ExchangeReport) bool {
		if !match(er) {
			return false
		}
		if s := goodScore(er, &b.er); s > best {
			best = s
			return true
		}
		return false
	}
	gc, err := readSide(good, "good", opt.GoodName, opt.GoodIndex, &opt, gst)
	if err != nil {
		return DiffReport{}, err
	}
	g := &gc.pick
	res := diff.Compare(diffSide(gc), diffSide(bc), diffHooks())
	rep := DiffReport{
		Good: sideReport(opt.GoodName, g), Bad: sideReport(opt.BadName, b),
		Changes: res.Changes, Likely: res.Likely, Summary: res.Summary, Warnings: []string{},
	}
	for _, w := range gc.warnings {
		rep.Warnings = append(rep.Warnings, opt.GoodName+": "+w)
	}
	for _, w := range bc.warnings {
		rep.Warnings = append(rep.Warnings, opt.BadName+": "+w)
	}
	if g.er.Verdict != KindOK {
		rep.Warnings = append(rep.Warnings, opt.GoodName+": the exchange compared as the working one was judged "+string(g.er.Verdict)+", not ok")
	}
	if weburl.Path(g.er.URL) != weburl.Path(b.er.URL) && g.er.URL != "" && b.er.URL != "" {
		rep.Warnings = append(rep.Warnings, "the two exchanges asked for different URLs; pass --url to compare the same one")
	}
	return rep, knowledgeErr()
}

// goodScore is how well an exchange of GOOD fits the one picked in BAD: a
// success (4), the same host (2), path (3) and method (1); the first of the
// best is picked.
func goodScore(it, bad *ExchangeReport) int {
	s := 0
	if it.Verdict == KindOK {
		s += 4
	}
	if weburl.Host(it.URL) == weburl.Host(bad.URL) {
		s += 2
		if weburl.Path(it.URL) == weburl.Path(bad.URL) {
			s += 3
			if ascii.EqualFold(it.Method, bad.Method) {
				s++
			}
		}
	}
	return s
}

func sideReport(input string, it *diffItem) DiffSide {
	return DiffSide{Input: input, Index: it.er.Index, Method: it.er.Method, URL: it.er.URL, Status: it.er.Status,
		Verdict: it.er.Verdict, Vendor: it.er.Vendor, Scheme: it.er.Scheme, Cause: it.er.Cause, Summary: it.er.Summary}
}

func diffSide(c *diffCapture) diff.Side {
	it := &c.pick
	ex := &it.ex
	s := diff.Side{Status: ex.Response.Status, Response: diffFields(ex.Response.Fields), Body: ex.Response.Body,
		Verdict: string(it.er.Verdict), Recent: -1, Expiry: c.committed}
	if ex.Request != nil {
		s.Method, s.URL, s.Proto, s.Request = ex.Request.Method, ex.Request.URL, ex.Request.Proto, diffFields(ex.Request.Fields)
	}
	if s.Proto == "" {
		s.Proto = ex.Response.Proto
	}
	if d, ok := detect.ResponseDate(&ex.Response); ok {
		s.Date = d
	} else {
		s.Date = ex.Started
	}
	// Requests to the same host in the minute before, in this capture.
	if !ex.Started.IsZero() {
		host, at, n := hashHost(weburl.Host(it.er.URL)), ex.Started.UnixNano(), 0
		for j, w := range c.when {
			if j != it.pos && w.host == host && w.t < at && at-w.t <= int64(time.Minute) {
				n++
			}
		}
		s.Recent = n
	}
	return s
}

// cookieExpiry reads Max-Age (from the response's time) or Expires.
func cookieExpiry(c capture.Cookie, base time.Time) (time.Time, bool) {
	if v, ok := c.Attrs["max-age"]; ok && !base.IsZero() {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return base.Add(time.Duration(n) * time.Second), true
		}
	}
	if v, ok := c.Attrs["expires"]; ok {
		if t, ok := parseHTTPDate(v); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

func parseHTTPDate(v string) (time.Time, bool) {
	return detect.ResponseDate(&capture.Message{Fields: []capture.Field{{Name: "Date", Value: v}}})
}

func diffFields(fs []capture.Field) []diff.Field {
	out := make([]diff.Field, len(fs))
	for i, f := range fs {
		out[i] = diff.Field{Name: f.Name, Value: f.Value}
	}
	return out
}

func diffHooks() diff.Hooks {
	return diff.Hooks{
		Fingerprint:   func(s string) string { return capture.Fingerprint("", s) },
		IsCredential:  detect.CredentialHeader,
		ShowValue:     detect.ShowHeaderValue,
		ShowURL:       detect.MaskURL,
		VendorCookie:  detect.VendorCookie,
		SessionCookie: detect.IsSessionCookie,
		TokenExpiry: func(tok string) (time.Time, bool) {
			_, p, ok := detect.JWTClaims(tok)
			if !ok {
				return time.Time{}, false
			}
			v := gjson.GetBytes(p, "exp")
			exp := v.Float()
			if v.Type != gjson.Number || exp <= 0 {
				return time.Time{}, false
			}
			if exp > 1e12 { // milliseconds
				exp /= 1000
			}
			return time.Unix(int64(exp), 0), true
		},
	}
}
