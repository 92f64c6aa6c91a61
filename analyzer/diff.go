package analyzer

import (
	"why401/analyzer/internal/detect"

	"why401/analyzer/internal/capture"

	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/diff"
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

// ErrNoFailure: the failing capture has no exchange to compare.
var ErrNoFailure = errors.New("analyzer: nothing to compare: the capture holds no exchange (or none matches the URL)")

// nothingToCompare is ErrNoFailure naming the capture it is about.
func nothingToCompare(name string) error {
	return capture.WrapErr("analyzer: "+name+": "+strings.TrimPrefix(ErrNoFailure.Error(), "analyzer: "), ErrNoFailure)
}

// diffKeep bounds how many exchanges of each capture a comparison keeps.
const diffKeep = 20000

type diffItem struct {
	ex capture.Exchange
	er ExchangeReport
}

type diffCapture struct {
	items    []diffItem
	warnings []string
	dropped  int
}

func readForDiff(input []byte, name string, lim Limits) (*diffCapture, error) {
	c := &diffCapture{}
	rep, err := analyzeReader(bytes.NewReader(input), Options{Name: name, Limits: lim, keep: func(ex *capture.Exchange, er ExchangeReport) {
		if len(c.items) >= diffKeep {
			c.dropped++
			return
		}
		cp := *ex
		cp.Response.Body = cp.Response.Body[:min(len(cp.Response.Body), 64<<10)]
		c.items = append(c.items, diffItem{ex: cp, er: er})
	}}, &capture.Warnings{})
	if err != nil {
		return nil, err
	}
	c.warnings = rep.Warnings
	if c.dropped > 0 {
		c.warnings = append(c.warnings, name+": only the first "+strconv.Itoa(diffKeep)+" exchanges were compared")
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
	lim := opt.Limits
	if opt.GoodName == "" {
		opt.GoodName = "good"
	}
	if opt.BadName == "" {
		opt.BadName = "bad"
	}
	gc, err := readForDiff(good, opt.GoodName, lim)
	if err != nil {
		return DiffReport{}, capture.ChainErr("analyzer: "+opt.GoodName+": ", err)
	}
	bc, err := readForDiff(bad, opt.BadName, lim)
	if err != nil {
		return DiffReport{}, capture.ChainErr("analyzer: "+opt.BadName+": ", err)
	}
	bi := pickBad(bc.items, opt)
	if bi < 0 {
		return DiffReport{}, nothingToCompare(opt.BadName)
	}
	b := &bc.items[bi]
	gi := pickGood(gc.items, b, opt)
	if gi < 0 {
		return DiffReport{}, nothingToCompare(opt.GoodName)
	}
	g := &gc.items[gi]
	res := diff.Compare(diffSide(gc.items, gi), diffSide(bc.items, bi), diffHooks())
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
	return rep, nil
}

func pickBad(items []diffItem, opt DiffOptions) int {
	if opt.Pick && opt.BadIndex >= 0 {
		for i := range items {
			if items[i].er.Index == opt.BadIndex {
				return i
			}
		}
		return -1
	}
	last := -1
	for i := range items {
		if opt.URL != "" && !strings.Contains(items[i].er.URL, opt.URL) {
			continue
		}
		if items[i].er.Verdict != KindOK {
			return i
		}
		last = i
	}
	return last
}

func pickGood(items []diffItem, bad *diffItem, opt DiffOptions) int {
	if opt.Pick && opt.GoodIndex >= 0 {
		for i := range items {
			if items[i].er.Index == opt.GoodIndex {
				return i
			}
		}
		return -1
	}
	best, bestScore := -1, -1
	for i := range items {
		it := &items[i]
		if opt.URL != "" && !strings.Contains(it.er.URL, opt.URL) {
			continue
		}
		s := 0
		if it.er.Verdict == KindOK {
			s += 4
		}
		if weburl.Host(it.er.URL) == weburl.Host(bad.er.URL) {
			s += 2
			if weburl.Path(it.er.URL) == weburl.Path(bad.er.URL) {
				s += 3
				if strings.EqualFold(it.er.Method, bad.er.Method) {
					s++
				}
			}
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	return best
}

func sideReport(input string, it *diffItem) DiffSide {
	return DiffSide{Input: input, Index: it.er.Index, Method: it.er.Method, URL: it.er.URL, Status: it.er.Status,
		Verdict: it.er.Verdict, Vendor: it.er.Vendor, Scheme: it.er.Scheme, Cause: it.er.Cause, Summary: it.er.Summary}
}

func diffSide(items []diffItem, i int) diff.Side {
	it := &items[i]
	ex := &it.ex
	s := diff.Side{Status: ex.Response.Status, Response: diffFields(ex.Response.Fields), Body: ex.Response.Body,
		Verdict: string(it.er.Verdict), Recent: -1}
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
		host, n := weburl.Host(it.er.URL), 0
		for j := range items {
			t := items[j].ex.Started
			if j != i && !t.IsZero() && t.Before(ex.Started) && ex.Started.Sub(t) <= time.Minute && weburl.Host(items[j].er.URL) == host {
				n++
			}
		}
		s.Recent = n
	}
	// When the cookies set so far in this capture expire.
	for j := 0; j <= i; j++ {
		resp := &items[j].ex.Response
		base, ok := detect.ResponseDate(resp)
		if !ok {
			base = items[j].ex.Started
		}
		for _, c := range resp.SetCookies() {
			exp, ok := cookieExpiry(c, base)
			if !ok {
				continue
			}
			if s.Expiry == nil {
				s.Expiry = map[string]time.Time{}
			}
			s.Expiry[c.Name] = exp
		}
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
