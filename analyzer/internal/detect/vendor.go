package detect

import (
	"why401/analyzer/internal/knowledge"
	"why401/analyzer/internal/said"

	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
)

type vendor struct {
	knowledge.VendorFile
	headerRules []*cRule
	bodyRules   []*cRule
	refs        []cRef
	// proxyRules are the rules proxyProviderSignals reads (status.go): its
	// presence rules with a cause of proxyCauses a vendor of its kind may use.
	proxyRules []*cRule
}

type cRule struct {
	knowledge.Rule
	vendor *vendor
	re     *knowledge.Pattern // compiled on first use, "(?i)" + Regex
	nameRe *knowledge.Pattern
	words  []int // pattern indexes in the shared matcher
	seq    int   // a header rule's place in the order rules are run (vendorSet.nheader)
}

type cRef struct {
	knowledge.RefRule
	re *knowledge.Pattern
}

type vendorSet struct {
	list []*vendor
	byID map[string]*vendor
	// patterns are the body rules' words (lowered), found in a body by
	// bodyCatalog's automaton; pattern gives the rule of each.
	patterns []string
	pattern  []patRef // pattern index → rule
	// cookies are the cookie names the vendor files mark (their cookie and
	// request.cookie rules), for VendorCookie.
	cookies vendorCookies
	// The rules that read a header, found by the field's name (resp and
	// req: "header" and "request.header" rules) or read in turn (rest:
	// "reason", "cookie", "request.cookie"); nheader numbers them (cRule.seq)
	// in the order they were run one by one, vendor by vendor.
	resp, req headerIndex
	rest      []*cRule
	nheader   int
}

// headerIndex finds the rules that may match a header field by its name.
type headerIndex struct {
	byName map[string][]*cRule // rules of one exact ASCII name, by that name lowered
	exact  []*cRule            // the same rules, for a field name that is not ASCII
	other  []*cRule            // rules by prefix or name_regex, or of a name that is not ASCII
}

func (x *headerIndex) add(r *cRule) {
	if x.byName == nil {
		x.byName = map[string][]*cRule{}
	}
	if r.nameRe != nil || r.Prefix || !isASCII(r.Name) {
		x.other = append(x.other, r)
		return
	}
	n := ascii.Lower(r.Name)
	x.byName[n] = append(x.byName[n], r)
	x.exact = append(x.exact, r)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// headerHit is a header rule that matched, with its evidence.
type headerHit struct {
	r    *cRule
	text string
}

// headerHits runs every rule that reads a header, the status line or a
// cookie over one exchange: each rule's evidence is the first field (in
// the message's order) its name and value match, and the hits come in
// rule order (seq), as when every rule read every field in turn, comparing
// names with EqualFold.
func (set *vendorSet) headerHits(ex *capture.Exchange) []headerHit {
	resp := &ex.Response
	var hits []headerHit
	var doneBuf [4]uint64
	done := doneBuf[:]
	if n := (set.nheader + 63) / 64; n > len(done) {
		done = make([]uint64, n)
	}
	try := func(r *cRule, f *capture.Field) {
		if done[r.seq>>6]&(1<<(r.seq&63)) != 0 || !r.statusOK(resp) || !r.valueOK(f.Value) {
			return
		}
		done[r.seq>>6] |= 1 << (r.seq & 63)
		hits = append(hits, headerHit{r, f.Name + ": " + capture.Clip(ShowHeaderValue(f.Name, f.Value), 200)})
	}
	fields := func(x *headerIndex, m *capture.Message) {
		if m == nil {
			return
		}
		for i := range m.Fields {
			f := &m.Fields[i]
			if isASCII(f.Name) {
				for _, r := range byLowerName(x.byName, f.Name) {
					try(r, f)
				}
			} else {
				for _, r := range x.exact {
					if r.nameOK(f.Name) {
						try(r, f)
					}
				}
			}
			for _, r := range x.other {
				if r.nameOK(f.Name) {
					try(r, f)
				}
			}
		}
	}
	fields(&set.resp, resp)
	fields(&set.req, ex.Request)
	cookies := &cookieJar{}
	for _, r := range set.rest {
		if r.statusOK(resp) {
			if text, ok := r.matchField(ex, cookies); ok {
				hits = append(hits, headerHit{r, text})
			}
		}
	}
	// Insertion sort by seq (unique per rule, so any sort gives this order):
	// a handful of hits, and no slices.SortFunc instantiation for headerHit,
	// whose pdqsort weighed ~6 KB gzip in the page's wasm (issue 35).
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].r.seq < hits[j-1].r.seq; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	return hits
}

// vendorCookies are the cookie names of the vendor files' cookie rules.
type vendorCookies struct {
	exact map[string]string // lowered name → vendor id
	other []*cRule          // prefix and name_regex rules, by vendor id
}

type patRef struct {
	rule *cRule
	word int
}

var roleWeight = map[string]float64{RolePresence: 0, roleChallenge: 0.9, roleBlock: 0.9, roleCaptcha: 0.85, roleRateLimit: 0.85, RolePolicy: 0.9}

// compiledVendors returns the vendor files compiled (never nil), and the
// errors of those left out. A file that does not load or fails its checks
// is left out, its error noted for knowledge.Err (which every door
// reports); the others still run.
var compiledVendors = sync.OnceValues(func() (*vendorSet, error) {
	files, _ := knowledge.Vendors() // their errors are noted by the loader
	set, err := compileVendors(files)
	return set, knowledge.NoteErr(err)
})

// compileVendors compiles files into one set: a file that fails a check
// is left out whole (its rules, cookies and words), and the error names
// the file and the rule; the others are compiled.
func compileVendors(files []knowledge.VendorFile) (*vendorSet, error) {
	set := &vendorSet{byID: map[string]*vendor{}, cookies: vendorCookies{exact: map[string]string{}}}
	var errs []error
	for _, f := range files {
		if err := checkVendor(&f, set); err != nil {
			errs = append(errs, err)
			continue
		}
		v := &vendor{VendorFile: f}
		for i := range f.Rules {
			r := &cRule{Rule: f.Rules[i], vendor: v}
			if r.Weight == 0 {
				r.Weight = roleWeight[r.Role]
			}
			// The expressions compile on first use (TestVendorsCompile
			// compiles them all).
			if r.Regex != "" {
				r.re = knowledge.NewPattern("(?i)" + r.Regex)
			}
			if r.NameRe != "" {
				r.nameRe = knowledge.NewPattern("(?i)" + r.NameRe)
			}
			if r.Part == "cookie" || r.Part == "request.cookie" {
				switch {
				case r.Name != "" && !r.Prefix:
					if _, ok := set.cookies.exact[ascii.Lower(r.Name)]; !ok {
						set.cookies.exact[ascii.Lower(r.Name)] = f.ID
					}
				default:
					set.cookies.other = append(set.cookies.other, r)
				}
			}
			if r.Part == "body" {
				for _, w := range r.Words {
					r.words = append(r.words, len(set.patterns))
					set.pattern = append(set.pattern, patRef{rule: r, word: len(r.words) - 1})
					set.patterns = append(set.patterns, ascii.Lower(w))
				}
				v.bodyRules = append(v.bodyRules, r)
			} else {
				v.headerRules = append(v.headerRules, r)
			}
		}
		for _, r := range append(append([]*cRule{}, v.headerRules...), v.bodyRules...) {
			if _, ok := proxyCauses[r.Cause]; ok && r.Role == RolePresence && (v.Kind == "proxy" || anyVendorCauses[r.Cause]) {
				v.proxyRules = append(v.proxyRules, r)
			}
		}
		for _, rr := range f.Reference {
			// Every reference id has a shape (its regex, whose first group
			// is the id): a value that does not have it is not quoted, so a
			// header holding a sentence ("IMPORTANT: verify your account…")
			// never reaches a summary or a fix. A header's whole value must
			// match.
			c := cRef{RefRule: rr}
			rx := rr.Regex
			if rr.Part == "header" && rx != "" {
				rx = `^\s*(?:` + rx + `)\s*$`
			}
			// Compiled on first use; TestVendorsCompile checks that each
			// compiles and has a group.
			c.re = knowledge.NewPattern(rx)
			v.refs = append(v.refs, c)
		}
		set.byID[f.ID] = v
		set.list = append(set.list, v)
	}
	sort.Slice(set.list, func(i, j int) bool { return set.list[i].ID < set.list[j].ID })
	for _, v := range set.list {
		for _, r := range v.headerRules {
			r.seq = set.nheader
			set.nheader++
			switch r.Part {
			case "header":
				set.resp.add(r)
			case "request.header":
				set.req.add(r)
			default:
				set.rest = append(set.rest, r)
			}
		}
	}
	return set, errors.Join(errs...)
}

// checkVendor is what compileVendors asks of a vendor file before it takes
// any of it: a unique id, lead and lead_says together on a voting rule, a
// regex (the id's shape) for every reference.
func checkVendor(f *knowledge.VendorFile, set *vendorSet) error {
	if set.byID[f.ID] != nil {
		return errors.New("analyzer: " + f.File + ": duplicate id " + strconv.Quote(f.ID))
	}
	for _, r := range f.Rules {
		if (r.Lead == "") != (r.LeadSays == "") || r.Lead != "" && r.Role == RolePresence {
			return errors.New("analyzer: " + f.File + " rule " + r.ID + ": lead and lead_says go together, on a rule that votes")
		}
	}
	for _, rr := range f.Reference {
		if rr.Regex == "" {
			return errors.New("analyzer: " + f.File + " reference " + rr.Label + ": needs a regex whose first group is the id (its shape)")
		}
	}
	return nil
}

// VendorCookie names the vendor whose file marks a cookie of that name (an
// anti-bot, WAF or load balancer's own cookie: cf_clearance, _abck,
// datadome, visid_incap_…), or "". Such a cookie is the vendor's state, never
// the site's login session.
func VendorCookie(name string) string {
	set, _ := compiledVendors()
	if name == "" {
		return ""
	}
	if v, ok := set.cookies.exact[ascii.Lower(name)]; ok {
		return v
	}
	for _, r := range set.cookies.other {
		if r.nameOK(name) {
			return r.vendor.ID
		}
	}
	return ""
}

// vendorSignals runs every vendor file over one exchange.
func vendorSignals(ex *capture.Exchange, lb *respBody) []Signal {
	set, _ := compiledVendors()
	resp := &ex.Response
	var out []Signal
	for _, h := range set.headerHits(ex) {
		out = append(out, h.r.signal(h.text))
	}
	if len(resp.Body) > 0 && resp.Status != 304 {
		c := lb.scanTo(len(resp.Body))
		var rules []*cRule
		for _, h := range lb.hits {
			if h.p >= int32(c.vendors) {
				continue
			}
			if r := set.pattern[h.p].rule; !slices.Contains(rules, r) {
				rules = append(rules, r)
			}
		}
		sort.Slice(rules, func(i, j int) bool {
			if rules[i].vendor.ID != rules[j].vendor.ID {
				return rules[i].vendor.ID < rules[j].vendor.ID
			}
			return rules[i].ID < rules[j].ID
		})
		for _, r := range rules {
			word, wp := "", -1
			all := true
			for i, p := range r.words {
				h := lb.has(p)
				if h && word == "" {
					word, wp = r.Words[i], p
				}
				all = all && h
			}
			if r.All && !all || r.Gate && !gatePage(resp) {
				continue
			}
			// A stub rule's script on a page of the site's own is the
			// vendor's passive script: presence, not an interstitial.
			own := ""
			if r.Stub {
				own = pageOfItsOwn(lb)
			}
			// A CAPTCHA widget on a page the status does not refuse is
			// presence: the gate detector decides whether the page is a gate.
			widget := !r.statusOK(resp)
			if widget && (r.Role != roleCaptcha || r.vendor.Kind != "captcha") {
				continue
			}
			if r.re != nil && !r.re.Match(resp.Body) {
				continue
			}
			snippet := snippetAt(resp.Body, lb.wordAt(wp, word), word)
			s := r.signal(snippet)
			if own != "" {
				s.Kind, s.Weight, s.Role, s.Cause = "", 0, RolePresence, ""
				s.Text = snippet + " — the script of " + r.vendor.Name + " on a page of the site's own (" + own + "): passive there, not an interstitial"
			} else if widget {
				s.Kind, s.Weight, s.Role, s.Cause = "", 0, RolePresence, ""
				s.Text = strings.Replace(s.Text, " on a gate page", "", 1)
			}
			out = append(out, s)
		}
	}
	out = dropFallbacks(set, out)
	// Reference ids of the vendors seen.
	refs := map[*vendor]Ref{}
	for i := range out {
		v := set.byID[out[i].Vendor]
		if v != nil && out[i].Ref.Value == "" {
			ref, ok := refs[v]
			if !ok {
				ref = v.reference(resp)
				refs[v] = ref
				if s, ok := v.refTime(ref); ok {
					out = append(out, s)
				}
			}
			out[i].Ref = ref
		}
	}
	return out
}

// refTime decodes the Unix time a vendor's reference id carries (a
// reference rule's epoch field) into a context signal: the time of the
// refusal on the vendor's clock, which the site owner searches their logs by.
func (v *vendor) refTime(ref Ref) (Signal, bool) {
	if ref.Value == "" {
		return Signal{}, false
	}
	for _, r := range v.refs {
		if r.Epoch <= 0 || r.Label != ref.Label {
			continue
		}
		f := strings.Split(ref.Value, ".")
		if r.Epoch > len(f) {
			continue
		}
		sec, err := strconv.ParseInt(f[r.Epoch-1], 10, 64)
		// Only a plausible time (2001 to 2100): another field's digits are not one.
		if err != nil || sec < 1_000_000_000 || sec > 4_102_444_800 {
			continue
		}
		t := time.Unix(sec, 0).UTC()
		return Signal{ID: v.ID + "/reference-time", Vendor: v.ID, Role: RolePresence, Where: WhereBody, Entry: -1,
			Text:   ref.String() + " carries the time of the refusal: " + t.Format("2006-01-02 15:04:05") + " UTC (Unix time " + f[r.Epoch-1] + ")",
			Params: map[string]string{"refused_at": t.Format(time.RFC3339)}}, true
	}
	return Signal{}, false
}

// dropFallbacks leaves out a vendor's fallback rules ("a page that does
// not say its sub-type") when another of its voting rules fired: the
// evidence would say both that the page names its sub-type and that it
// does not.
func dropFallbacks(set *vendorSet, sig []Signal) []Signal {
	fallback := func(s Signal) bool {
		v := set.byID[s.Vendor]
		if v == nil {
			return false
		}
		id := strings.TrimPrefix(s.ID, v.ID+"/")
		for _, r := range v.Rules {
			if r.ID == id {
				return r.Fallback
			}
		}
		return false
	}
	specific := map[string]bool{}
	for _, s := range sig {
		if s.Kind != "" && !fallback(s) {
			specific[s.Vendor] = true
		}
	}
	out := sig[:0]
	for _, s := range sig {
		if specific[s.Vendor] && s.Kind != "" && fallback(s) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// statusOK: the rule counts for this response — its status, and for a
// bodyless rule a capture without a body, for a rule with without a
// response lacking that header.
func (r *cRule) statusOK(m *capture.Message) bool {
	if r.Bodyless && len(m.Body) > 0 || r.Without != "" && m.Has(r.Without) {
		return false
	}
	for _, s := range r.NotStatus {
		if s == m.Status {
			return false
		}
	}
	if len(r.Status) == 0 {
		return true
	}
	for _, s := range r.Status {
		if s == m.Status {
			return true
		}
	}
	return false
}

// gatePage: a page that stands in for the requested content.
func gatePage(m *capture.Message) bool { return m.Status >= 400 || len(m.Body) < 24<<10 }

// pageOfItsOwn decides "stub or page" for a vendor rule marked stub: a
// vendor's script-only interstitial (Incapsula's, Cloudflare Bot Fight
// Mode's, Kasada's) is a small page with almost no visible text and no
// markup of its own; the same script at the end of the site's own page is
// passive. It says what makes the page the site's own — its size, its
// visible text, or its title and application markup (words.json's
// app-shell-markers: an app root, stylesheets, preloads, bundles, a
// description) — or "" for a stub. A single-page application's shell has
// little visible text, so the text alone does not decide.
func pageOfItsOwn(b *respBody) string {
	if len(b.m.Body) >= 16<<10 {
		return strconv.Itoa(len(b.m.Body)/1024) + " KB of markup"
	}
	low := b.lower(16 << 10)
	if n := capture.VisibleTextUpTo(low, 200); n >= 200 {
		return "visible text of its own"
	}
	var marks []string
	for i, p := range theBodyCatalog().lists[appShellMarkers] {
		if b.found(p, 16<<10) {
			marks = append(marks, list(appShellMarkers)[i])
		}
	}
	title := innerText(low, "<title")
	if len(marks) >= 3 || title != "" && len(marks) >= 2 {
		sort.Strings(marks)
		what := "its markup: " + strings.Join(marks[:min(len(marks), 4)], ", ")
		if len(marks) > 4 {
			what += "…"
		}
		if title != "" {
			what = "a title and " + what
		}
		return what
	}
	return ""
}

// cookieJar holds an exchange's cookies parsed once for every cookie rule
// of every vendor file (they were parsed again per rule).
type cookieJar struct {
	set, sent       []capture.Cookie
	setRead, sentRd bool
}

func (j *cookieJar) setCookies(ex *capture.Exchange) []capture.Cookie {
	if !j.setRead {
		j.set, j.setRead = ex.Response.SetCookies(), true
	}
	return j.set
}

func (j *cookieJar) sentCookies(ex *capture.Exchange) []capture.Cookie {
	if !j.sentRd {
		j.sent, j.sentRd = ex.Request.Cookies(), true
	}
	return j.sent
}

func (r *cRule) matchField(ex *capture.Exchange, jar *cookieJar) (string, bool) {
	switch r.Part {
	case "reason":
		if ex.Response.Reason != "" && r.valueOK(ex.Response.Reason) {
			return "status line: " + strconv.Itoa(ex.Response.Status) + " " + capture.Clip(ex.Response.Reason, 80), true
		}
	case "header", "request.header":
		m := &ex.Response
		if r.Part == "request.header" {
			m = ex.Request
		}
		for _, f := range fieldsOf(m) {
			if !r.nameOK(f.Name) {
				continue
			}
			if r.valueOK(f.Value) {
				return f.Name + ": " + capture.Clip(ShowHeaderValue(f.Name, f.Value), 200), true
			}
		}
	case "cookie":
		for _, c := range jar.setCookies(ex) {
			if r.nameOK(c.Name) && r.valueOK(c.Value) {
				return "Set-Cookie: " + c.Name + "=" + capture.Fingerprint("cookie", c.Value), true
			}
		}
	case "request.cookie":
		if ex.Request == nil {
			return "", false
		}
		for _, c := range jar.sentCookies(ex) {
			if r.nameOK(c.Name) && r.valueOK(c.Value) {
				return "Cookie: " + c.Name + "=" + capture.Fingerprint("cookie", c.Value), true
			}
		}
	}
	return "", false
}

func fieldsOf(m *capture.Message) []capture.Field {
	if m == nil {
		return nil
	}
	return m.Fields
}

func (r *cRule) nameOK(have string) bool {
	if r.nameRe != nil {
		return r.nameRe.MatchString(have)
	}
	return nameMatch(have, r.Name, r.Prefix)
}

func nameMatch(have, want string, prefix bool) bool {
	if prefix {
		return len(have) >= len(want) && ascii.EqualFold(have[:len(want)], want)
	}
	return ascii.EqualFold(have, want)
}

func (r *cRule) valueOK(v string) bool {
	if r.Equals != "" && !ascii.EqualFold(strings.TrimSpace(v), r.Equals) {
		return false
	}
	if r.Contains != "" && !strings.Contains(ascii.Lower(v), ascii.Lower(r.Contains)) {
		return false
	}
	if r.re != nil && !r.re.MatchString(v) {
		return false
	}
	return true
}

func (r *cRule) signal(text string) Signal {
	kind := knowledge.Kind("")
	switch r.Role {
	case roleChallenge, roleBlock, roleCaptcha:
		kind = knowledge.KindBot
	case roleRateLimit:
		kind = knowledge.KindRateLimit
	case RolePolicy:
		kind = knowledge.KindForbidden // not a disguise: the site says on what terms crawlers may read it
	}
	cause := r.Cause
	if cause == "" && r.Role != RolePresence {
		cause = r.Role
	}
	where := WhereHeader
	switch r.Part {
	case "cookie":
		where = WhereCookie
	case "body":
		where = WhereBody
	case "reason":
		where = WhereStatus
	case "request.header", "request.cookie":
		where = WhereRequest
	}
	if r.Explain != "" {
		text += " — " + r.Explain
	}
	vid := r.vendor.ID
	if r.vendor.Kind == "generic" {
		vid = ""
	}
	s := Signal{ID: r.vendor.ID + "/" + r.ID, Kind: kind, Weight: r.Weight, Vendor: vid, Role: r.Role,
		Cause: cause, Where: where, Text: text, Entry: -1}
	if r.Address && kind != "" {
		s.Params = map[string]string{ParamAddressBan: "1"}
		if r.Geo {
			s.Params[ParamGeoBan] = "1"
		}
	}
	if r.Lead != "" && kind != "" {
		if s.Params == nil {
			s.Params = map[string]string{}
		}
		s.Params[ParamLead], s.Params[ParamLeadSays] = r.Lead, r.LeadSays
	}
	return s
}

// ParamLead and ParamLeadSays carry a deciding rule's own heading (the
// vendor file's lead and lead_says): the summary opens with them.
const (
	ParamLead     = "lead"
	ParamLeadSays = "lead_says"
)

// ParamAddressBan marks a voting signal whose rule bans the client's
// address (an IP or a country): the request's traits explain nothing.
const ParamAddressBan = "address_ban"

// ParamGeoBan marks an address ban by country or region (a geo
// restriction): the summary calls it a geo block, not a bot block.
const ParamGeoBan = "geo_ban"

func (v *vendor) reference(m *capture.Message) Ref {
	for _, r := range v.refs {
		switch r.Part {
		case "header":
			if val := m.Get(r.Name); val != "" {
				if sm := r.re.FindStringSubmatch(val); len(sm) > 1 {
					return vendorRef(r.Label, sm[1])
				}
			}
		case "body":
			if r.re != nil && len(m.Body) > 0 {
				if sm := r.re.FindSubmatch(m.Body); len(sm) > 1 {
					// Block pages escape text ("18&#46;6f2d…"): quote what the user sees.
					return vendorRef(r.Label, unescapeEntities(string(sm[1])))
				}
			}
		}
	}
	return Ref{}
}

// vendorRef is a vendor's reference id when the value has an id's shape
// (a header holding prose is not quoted).
func vendorRef(label, v string) Ref {
	if !said.IDShape(v) {
		return Ref{}
	}
	return Ref{Label: label, Value: v}
}

// snippetAt returns the marker word in its context in body, on one line; i
// is where the word starts in body (respBody.wordAt), -1 if it does not.
func snippetAt(body []byte, i int, word string) string {
	if word == "" {
		return ""
	}
	if i < 0 {
		return strconv.Quote(word)
	}
	if t := pageTextAt(body, i, word); t != "" {
		return "page: \u201c" + t + "\u201d"
	}
	start := max(0, i-40)
	end := min(len(body), i+len(word)+40)
	for start > 0 && start < len(body) && body[start]&0xC0 == 0x80 {
		start--
	}
	for end < len(body) && body[end]&0xC0 == 0x80 {
		end++
	}
	s := strings.Join(strings.Fields(string(body[start:end])), " ")
	if start > 0 {
		s = "…" + s
	}
	if end < len(body) {
		s += "…"
	}
	if utf8.ValidString(s) && !strings.ContainsAny(s, "\u201c\u201d") {
		// Markup as it stands, without a Go string's escapes (\").
		return "body: \u201c" + s + "\u201d"
	}
	return "body: " + strconv.Quote(s)
}

// pageTextAt: when the marker word at i of an HTML body is part of the
// page's text, that text around it as a person reads it (tags out,
// entities decoded, "…" where it was clipped), so a quoted reason carries
// no markup ("Error 1015", not `<span class=\"cf-error-code\">1015`);
// "" when the window has no markup or the word sits inside a tag (a
// script path, an attribute: the markup itself is then the evidence).
func pageTextAt(body []byte, i int, word string) string {
	const around = 160
	// An HTML page only (a JSON or text body is quoted as it stands).
	if doc := strings.TrimLeft(string(body[:min(len(body), 64)]), " \t\r\n\ufeff"); !strings.HasPrefix(doc, "<") {
		return ""
	}
	// A marker inside a script or style element is code, not text.
	pre := strings.ToLower(string(body[max(0, i-8192):i]))
	for _, el := range []string{"script", "style"} {
		if strings.LastIndex(pre, "<"+el) > strings.LastIndex(pre, "</"+el) {
			return ""
		}
	}
	start, end := max(0, i-around), min(len(body), i+len(word)+around)
	win := string(body[start:end])
	if !strings.Contains(win, "<") {
		return ""
	}
	// The word inside a tag is markup, not text.
	at := i - start
	if lt, gt := strings.LastIndexByte(win[:at], '<'), strings.LastIndexByte(win[:at], '>'); lt > gt {
		return ""
	}
	// Text before the first '>' with no '<' before it is the tail of a tag
	// the window cut; text after the last '<' without its '>' is a cut tag.
	if gt := strings.IndexByte(win, '>'); gt >= 0 && gt < at {
		if lt := strings.IndexByte(win, '<'); lt < 0 || lt > gt {
			win, at, start = win[gt+1:], at-(gt+1), start+gt+1
		}
	}
	if lt := strings.LastIndexByte(win, '<'); lt >= at && !strings.Contains(win[lt:], ">") {
		win = win[:lt]
	}
	var b strings.Builder
	before := -1 // where the word starts in the text
	inTag := false
	skipTo := "" // the close tag of a style or script element, whose content is not text
	for k := 0; k < len(win); k++ {
		if k == at {
			if skipTo != "" {
				return ""
			}
			before = b.Len()
		}
		c := win[k]
		if skipTo != "" {
			if c == '<' && len(win)-k >= len(skipTo) && strings.EqualFold(win[k:k+len(skipTo)], skipTo) {
				// What the page shows on either side, with "…" for the code left out.
				skipTo = ""
				inTag = true
				b.WriteString(" … ")
			}
			continue
		}
		switch {
		case c == '<':
			inTag = true
			b.WriteByte(' ')
			for _, el := range []string{"style", "script"} {
				if len(win)-k > len(el) && strings.EqualFold(win[k+1:k+1+len(el)], el) {
					skipTo = "</" + el
				}
			}
		case c == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteByte(c)
		}
	}
	if before < 0 {
		return ""
	}
	// A first word the window cut in two is dropped.
	if start > 0 && isWordByte(body[start-1]) && isWordByte(body[start]) {
		if sp := strings.IndexAny(b.String(), " \t\n\r"); sp >= 0 && sp < before {
			head := b.String()[sp:]
			before -= sp
			b.Reset()
			b.WriteString(head)
		}
	}
	head := unescapeEntities(b.String()[:before])
	tail := unescapeEntities(b.String()[before:])
	hf, tf := dropGaps(strings.Fields(head)), dropGaps(strings.Fields(tail))
	if len(tf) == 0 || len(tf) > 0 && tf[0] == "…" {
		return ""
	}
	// A last word the window cut in two is dropped.
	if end < len(body) && len(tf) > 1 && len(tf) <= 12 && isWordByte(body[end-1]) && isWordByte(body[end]) {
		tf = tf[:len(tf)-1]
	}
	for len(hf) > 0 && hf[0] == "…" {
		hf = hf[1:]
	}
	for len(tf) > 0 && tf[len(tf)-1] == "…" {
		tf = tf[:len(tf)-1]
	}
	if words := len(hf) + len(tf) - strings.Count(strings.Join(append(hf, tf...), " "), "…"); words < 3 {
		return ""
	}
	// Up to 6 words before the marker and 12 from it on.
	clipped := start > 0 || len(hf) > 6
	if len(hf) > 6 {
		hf = hf[len(hf)-6:]
	}
	more := end < len(body) || len(tf) > 12
	if len(tf) > 12 {
		tf = tf[:12]
	}
	t := strings.Join(append(hf, tf...), " ")
	t = strings.ReplaceAll(strings.ReplaceAll(t, "\u201c", "\""), "\u201d", "\"")
	// A character reference the window cut ("&#4") is left out.
	if amp := strings.LastIndexByte(t, '&'); amp >= 0 && !strings.ContainsAny(t[amp:], "; ") {
		t, more = strings.TrimSpace(t[:amp]), true
	}
	if !utf8.ValidString(t) || strings.ContainsAny(t, "<>") {
		return ""
	}
	if clipped {
		t = "…" + t
	}
	if more {
		t += "…"
	}
	return t
}

// dropGaps: the words of a page's text with each run of "…" (code left
// out) made one.
func dropGaps(f []string) []string {
	out := f[:0]
	for _, w := range f {
		if w == "…" && len(out) > 0 && out[len(out)-1] == "…" {
			continue
		}
		out = append(out, w)
	}
	return out
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// unescapeEntities decodes HTML character references (capture.UnescapeEntities).
func unescapeEntities(s string) string { return capture.UnescapeEntities(s) }

// referenceShaped reports whether value, in the header name (lower case),
// has the shape of a vendor's reference id read from that header (a
// cf-ray, an x-amz-cf-id): an id meant to be quoted, not a secret.
func referenceShaped(name, value string) bool {
	set, _ := compiledVendors()
	for _, v := range set.list {
		for _, r := range v.refs {
			if r.Part == "header" && ascii.EqualFold(r.Name, name) && r.re.MatchString(value) {
				return true
			}
		}
	}
	return false
}
