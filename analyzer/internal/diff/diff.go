// Package diff compares the request that worked with the one that failed and
// ranks the differences by how likely each explains the failure, given what
// the failing response was (an authentication failure weighs a credential
// change, a bot block weighs the browser headers, cookies and network).
//
// It sees two sides already read and judged by the analyzer; what a
// difference weighs is data (knowledge.json), and it never echoes a secret:
// credentials and cookie values appear only through Hooks.Fingerprint.
package diff

import (
	_ "embed"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
	"why401/internal/jsonfill"
	"why401/internal/weburl"
)

// Field is one header line.
type Field struct{ Name, Value string }

// Side is one exchange of a comparison: the request, the response and the
// analyzer's verdict on it.
type Side struct {
	Method, URL, Proto string
	Request            []Field
	Status             int
	Response           []Field
	Body               []byte    // the response body (its start), for an echoed client address
	Date               time.Time // the response's Date, or when the request started
	Verdict            string    // the analyzer's verdict kind: auth, bot, rate_limit, ok…
	// Recent counts the requests to the same host in the minute before this
	// one, in its own capture; -1 when the capture has no times.
	Recent int
	// Expiry holds when cookies set to this client (by name) stop being
	// valid, from the Set-Cookie fields of its capture up to this exchange.
	Expiry map[string]time.Time
}

// Hooks are the analyzer's own knowledge the comparison borrows.
type Hooks struct {
	// Fingerprint shows a secret without revealing it.
	Fingerprint func(secret string) string
	// IsCredential tells a header that carries a credential or a session token.
	IsCredential func(header string) bool
	// VendorCookie names the anti-bot vendor a cookie belongs to, or "".
	VendorCookie func(name string) string
	// SessionCookie tells a cookie that usually carries a login session.
	SessionCookie func(name string) bool
	// TokenExpiry reads a token's expiry (a JWT's exp), if it has one.
	TokenExpiry func(token string) (time.Time, bool)
	// ShowValue is a header value as the comparison may print it: every
	// value it shows passes here, whatever the header's name (a secret
	// under a name no list knows, found by its shape, is fingerprinted).
	ShowValue func(name, value string) string
	// ShowURL is a URL (a path) as the comparison may print it: secrets in
	// its path and query fingerprinted.
	ShowURL func(u string) string
}

// Change is one difference between the two requests.
type Change struct {
	Kind     string  `json:"kind"`
	Category string  `json:"category"`
	Name     string  `json:"name,omitempty"`
	Good     string  `json:"good,omitempty"`
	Bad      string  `json:"bad,omitempty"`
	Score    float64 `json:"score"`
	Why      string  `json:"why"`
}

// Result is the ranked comparison.
type Result struct {
	// Changes, most likely explanation first.
	Changes []Change `json:"changes"`
	// Likely is how many of the first Changes score high enough to explain
	// the failure on their own.
	Likely int `json:"likely"`
	// Summary is the one sentence a person reads first.
	Summary string `json:"summary"`
}

//go:embed knowledge.json
var knowledgeJSON []byte

type rule struct {
	Category string  `json:"category"`
	Base     float64 `json:"base"`
	Why      string  `json:"why"`
}

type knowledge struct {
	Notes        string                        `json:"notes"`
	Headers      map[string]rule               `json:"headers"`
	OtherHeader  rule                          `json:"other_header"`
	EchoHeaders  []string                      `json:"echo_headers"`
	EchoJSONKeys []string                      `json:"echo_json_keys"`
	Changes      map[string]rule               `json:"changes"`
	Multipliers  map[string]map[string]float64 `json:"multipliers"`
	LikelyFrom   float64                       `json:"likely_from"`
}

// know is knowledge.json, decoded on the first comparison (a process that
// never compares never pays for it), with jsonfill: encoding/json stays out
// of the page's wasm. TestKnowledgeStrict decodes it with encoding/json too.
var know = sync.OnceValue(func() *knowledge {
	var k knowledge
	if err := jsonfill.Unmarshal(knowledgeJSON, &k); err != nil {
		panic("diff: knowledge.json: " + err.Error()) // embedded: TestKnowledgeStrict keeps it valid
	}
	return &k
})

// Compare ranks what differs from good to bad.
func Compare(good, bad Side, h Hooks) Result {
	h = h.withDefaults()
	c := &comparer{good: &good, bad: &bad, h: h, mult: know().Multipliers[bad.Verdict]}
	if c.mult == nil {
		c.mult = know().Multipliers["unknown"]
	}
	c.requestLine()
	c.headers()
	c.cookies()
	c.order()
	c.address()
	c.rate()
	sort.SliceStable(c.out, func(i, j int) bool { return c.out[i].Score > c.out[j].Score })
	r := Result{Changes: c.out}
	if r.Changes == nil {
		r.Changes = []Change{}
	}
	for _, ch := range r.Changes {
		if ch.Score >= know().LikelyFrom {
			r.Likely++
		}
	}
	r.Summary = summarize(&good, &bad, r)
	return r
}

func (h Hooks) withDefaults() Hooks {
	if h.Fingerprint == nil {
		h.Fingerprint = func(s string) string { return "[secret len=" + strconv.Itoa(len(s)) + "]" }
	}
	if h.IsCredential == nil {
		h.IsCredential = func(n string) bool {
			n = ascii.Lower(n)
			return n == "authorization" || n == "proxy-authorization" || strings.Contains(n, "key") || strings.Contains(n, "token")
		}
	}
	if h.VendorCookie == nil {
		h.VendorCookie = func(string) string { return "" }
	}
	if h.SessionCookie == nil {
		h.SessionCookie = func(string) bool { return false }
	}
	if h.TokenExpiry == nil {
		h.TokenExpiry = func(string) (time.Time, bool) { return time.Time{}, false }
	}
	if h.ShowValue == nil {
		h.ShowValue = func(_, v string) string { return v }
	}
	if h.ShowURL == nil {
		h.ShowURL = func(u string) string { return u }
	}
	return h
}

type comparer struct {
	good, bad *Side
	h         Hooks
	mult      map[string]float64
	out       []Change
}

func (c *comparer) add(kind, name, good, bad string, r rule) {
	if r.Base <= 0 {
		return
	}
	score := r.Base * c.mult[r.Category]
	c.out = append(c.out, Change{Kind: kind, Category: r.Category, Name: name, Good: good, Bad: bad,
		Score: float64(int(score*100+0.5)) / 100, Why: r.Why})
}

func (c *comparer) change(kind, name, good, bad string) {
	c.add(kind, name, good, bad, know().Changes[kind])
}

func (c *comparer) requestLine() {
	if !ascii.EqualFold(c.good.Method, c.bad.Method) && c.good.Method != "" && c.bad.Method != "" {
		c.change("method", "", c.good.Method, c.bad.Method)
	}
	if gp, bp := weburl.Path(c.good.URL), weburl.Path(c.bad.URL); gp != bp && c.good.URL != "" && c.bad.URL != "" {
		c.change("path", "", clip(c.h.ShowURL(gp), 100), clip(c.h.ShowURL(bp), 100))
	}
	if gv, bv := protoOf(c.good.Proto), protoOf(c.bad.Proto); gv != bv && gv != "" && bv != "" {
		c.change("protocol", "", gv, bv)
	}
}

// headers compares every request header but Cookie (cookies compares those by name).
func (c *comparer) headers() {
	gm, bm := fieldMap(c.good.Request), fieldMap(c.bad.Request)
	for _, n := range unionKeys(gm, bm) {
		if n == "cookie" || strings.HasPrefix(n, ":") {
			continue
		}
		gv, gok := gm[n]
		bv, bok := bm[n]
		if c.h.IsCredential(n) {
			c.credential(n, gv, gok, bv, bok)
			continue
		}
		if gok && bok && gv == bv {
			continue
		}
		r, ok := know().Headers[n]
		if !ok {
			r = know().OtherHeader
		}
		kind := "header-changed"
		switch {
		case !bok:
			kind = "header-removed"
		case !gok:
			kind = "header-added"
		}
		c.add(kind, n, clip(c.h.ShowValue(n, gv), 120), clip(c.h.ShowValue(n, bv), 120), r)
	}
}

func (c *comparer) credential(name, gv string, gok bool, bv string, bok bool) {
	fp := func(v string) string {
		scheme, tok := splitScheme(name, v)
		if scheme != "" {
			return scheme + " " + c.h.Fingerprint(tok)
		}
		return c.h.Fingerprint(tok)
	}
	switch {
	case gok && !bok:
		c.change("credential-missing", name, fp(gv), "")
		return
	case !gok && bok:
		c.change("credential-added", name, "", fp(bv))
	case gv == bv:
		// The same credential: it may still have expired in between.
	case gok && bok:
		gs, _ := splitScheme(name, gv)
		bs, _ := splitScheme(name, bv)
		if !ascii.EqualFold(gs, bs) {
			c.change("credential-scheme", name, fp(gv), fp(bv))
		} else {
			c.change("credential-changed", name, fp(gv), fp(bv))
		}
	}
	if _, tok := splitScheme(name, bv); bok && !c.bad.Date.IsZero() {
		if exp, ok := c.h.TokenExpiry(tok); ok && exp.Before(c.bad.Date) {
			good := ""
			if gv == bv {
				good = fp(gv) + ", the same token, valid then"
			} else if gok {
				good = fp(gv)
			}
			c.change("credential-expired", name, good, fp(bv)+" expired at "+exp.UTC().Format(time.RFC3339)+", "+
				humanDuration(c.bad.Date.Sub(exp))+" before the response's Date")
		}
	}
}

func (c *comparer) cookies() {
	gc, bc := cookieMap(c.good.Request), cookieMap(c.bad.Request)
	for _, n := range unionKeys(gc, bc) {
		gv, gok := gc[n]
		bv, bok := bc[n]
		kind := ""
		vendor := c.h.VendorCookie(n)
		flavour := ""
		switch {
		case vendor != "":
			flavour = "-vendor"
		case c.h.SessionCookie(n):
			flavour = "-session"
		}
		switch {
		case gok && !bok:
			kind = "cookie" + flavour + "-missing"
		case !gok && bok:
			kind = "cookie-added"
		case gv != bv:
			kind = "cookie" + flavour + "-changed"
		}
		if kind != "" {
			label := n
			if vendor != "" {
				label = n + " (" + vendor + ")"
			}
			c.change(kind, label, cookieFP(c.h, gv, gok), cookieFP(c.h, bv, bok))
		}
		if bok && !c.bad.Date.IsZero() {
			for _, exp := range []map[string]time.Time{c.bad.Expiry, c.good.Expiry} {
				if t, ok := exp[n]; ok && t.Before(c.bad.Date) {
					c.change("cookie-expired", n, "", "expired at "+t.UTC().Format(time.RFC3339)+", "+humanDuration(c.bad.Date.Sub(t))+" before the failing response")
					break
				}
			}
		}
	}
}

func cookieFP(h Hooks, v string, ok bool) string {
	if !ok {
		return ""
	}
	return h.Fingerprint(v)
}

// order compares the order of the headers both requests sent.
func (c *comparer) order() {
	gm, bm := fieldMap(c.good.Request), fieldMap(c.bad.Request)
	common := func(fs []Field, other map[string]string) []string {
		var out []string
		seen := map[string]bool{}
		for _, f := range fs {
			n := ascii.Lower(f.Name)
			if _, ok := other[n]; ok && !seen[n] && !strings.HasPrefix(n, ":") && know().Headers[n].Category != "noise" {
				seen[n] = true
				out = append(out, n)
			}
		}
		return out
	}
	g, b := common(c.good.Request, bm), common(c.bad.Request, gm)
	if len(g) < 3 || strings.Join(g, ",") == strings.Join(b, ",") {
		return
	}
	c.change("header-order", "", clip(strings.Join(g, ", "), 160), clip(strings.Join(b, ", "), 160))
}

// address compares what the site echoed of the client's address.
func (c *comparer) address() {
	ga, gsrc := echoedAddress(c.good)
	ba, bsrc := echoedAddress(c.bad)
	if ga != "" && ba != "" && ga != ba {
		name := gsrc
		if gsrc != bsrc {
			name = gsrc + " / " + bsrc
		}
		c.change("client-address", name, ga, ba)
	}
}

func echoedAddress(s *Side) (addr, source string) {
	fm := fieldMap(s.Response)
	for _, n := range know().EchoHeaders {
		if v := fm[n]; v != "" {
			return clip(strings.TrimSpace(strings.Split(v, ",")[0]), 64), n
		}
	}
	if len(s.Body) > 0 && capture.ValidJSON(s.Body) {
		root := gjson.ParseBytes(s.Body)
		for _, k := range know().EchoJSONKeys {
			if v := root.Get(gjson.Escape(k)); v.Type == gjson.String && looksLikeAddress(v.Str) {
				return clip(v.Str, 64), "body " + k
			}
		}
	}
	return "", ""
}

func looksLikeAddress(s string) bool {
	if len(s) < 3 || len(s) > 64 {
		return false
	}
	dots, colons := strings.Count(s, "."), strings.Count(s, ":")
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == '.' || r == ':' || r == ',' || r == ' ') {
			return false
		}
	}
	return dots >= 3 || colons >= 2
}

func (c *comparer) rate() {
	g, b := c.good.Recent, c.bad.Recent
	if g < 0 || b < 0 {
		return
	}
	if b >= 10 && b >= 3*max(g, 1) {
		c.change("rate", "requests to the host in the minute before", strconv.Itoa(g), strconv.Itoa(b))
	}
}

func summarize(good, bad *Side, r Result) string {
	var b strings.Builder
	b.WriteString("HTTP " + strconv.Itoa(good.Status) + " (" + orDash(good.Verdict) + ") became HTTP " + strconv.Itoa(bad.Status) + " (" + orDash(bad.Verdict) + ")")
	if r.Likely == 0 {
		if len(r.Changes) == 0 {
			b.WriteString("; the two requests do not differ in anything a capture shows")
		} else {
			b.WriteString("; none of the " + strconv.Itoa(len(r.Changes)) + " differences is likely to explain it on its own")
		}
		b.WriteString(": what changed is probably below the request (the IP's reputation, the TLS fingerprint) or on the server (a new rule, a quota, an outage).")
		return b.String()
	}
	top := r.Changes[0]
	b.WriteString(". Most likely: ")
	b.WriteString(top.Why)
	if top.Name != "" {
		b.WriteString(" (" + top.Name + ")")
	}
	b.WriteString(".")
	if r.Likely > 1 {
		b.WriteString(" " + strconv.Itoa(r.Likely-1) + " more difference")
		if r.Likely > 2 {
			b.WriteString("s")
		}
		b.WriteString(" could also explain it.")
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func fieldMap(fs []Field) map[string]string {
	m := make(map[string]string, len(fs))
	for _, f := range fs {
		n := ascii.Lower(f.Name)
		if v, ok := m[n]; ok && n != "cookie" {
			m[n] = v + ", " + f.Value
		} else if ok {
			m[n] = v + "; " + f.Value
		} else {
			m[n] = f.Value
		}
	}
	return m
}

func cookieMap(fs []Field) map[string]string {
	m := map[string]string{}
	for _, f := range fs {
		if !ascii.EqualFold(f.Name, "cookie") {
			continue
		}
		for _, part := range strings.Split(f.Value, ";") {
			n, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			if n != "" {
				m[n] = v
			}
		}
	}
	return m
}

// splitScheme splits "Bearer abc" into its scheme and token for the
// Authorization headers; other credential headers have no scheme.
func splitScheme(name, v string) (scheme, token string) {
	v = strings.TrimSpace(v)
	if n := ascii.Lower(name); n == "authorization" || n == "proxy-authorization" {
		if s, t, ok := strings.Cut(v, " "); ok {
			return s, strings.TrimSpace(t)
		}
	}
	return "", v
}

// unionKeys lists the keys of a and b, sorted.
func unionKeys(a, b map[string]string) []string {
	names := make([]string, 0, len(a)+len(b))
	for n := range a {
		names = append(names, n)
	}
	for n := range b {
		if _, ok := a[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

func protoOf(p string) string {
	p = strings.ToUpper(strings.TrimSpace(p))
	switch p {
	case "HTTP/2", "HTTP/2.0", "H2":
		return "HTTP/2"
	case "HTTP/3", "HTTP/3.0", "H3":
		return "HTTP/3"
	}
	return p
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func humanDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " min"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + " h"
	}
	return strconv.Itoa(int(d.Hours()/24)) + " days"
}
