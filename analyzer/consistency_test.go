package analyzer

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/detect"
	"why401/analyzer/internal/knowledge"
	"why401/analyzer/internal/said"
)

// The report states only what the capture shows, and never contradicts
// itself (issue 28). Two checks over every capture of the fixtures:
//
//   - grounding: every value the report says the capture has — the
//     server's message, each reference id, each quoted value of the
//     summary and the evidence, each response header it names — occurs in
//     the capture (read as bytes, with its JSON strings and HTML entities
//     decoded, case and white space aside);
//   - consistency: the cause is one the verdict can have, the action is the
//     table's, the summary opens with the verdict's lead, no evidence line
//     or fix step is said twice, and "the request carried no credentials"
//     never stands beside evidence that it carried some, nor where the
//     capture holds no request.

// haystack is a capture as text to search: the bytes, every JSON string
// decoded, HTML entities decoded; lowered, white space collapsed.
func haystack(data []byte, read ...string) string {
	var b strings.Builder
	b.Write(data)
	b.WriteByte('\n')
	// Every JSON string literal, decoded (HAR values, JSON bodies).
	eachQuoted(string(data), func(lit string) {
		if s, err := strconv.Unquote(lit); err == nil {
			b.WriteString(s)
			b.WriteByte('\n')
		} else {
			var v string
			if json.Unmarshal([]byte(lit), &v) == nil {
				b.WriteString(v)
				b.WriteByte('\n')
			}
		}
	})
	// The claims of every JWT (a detector reads them).
	for _, m := range jwtShape.FindAllString(string(data), -1) {
		for _, part := range strings.Split(m, ".")[:2] {
			if dec, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "=")); err == nil {
				b.Write(dec)
				b.WriteByte('\n')
			}
		}
	}
	for _, x := range read {
		b.WriteString(x)
		b.WriteByte('\n')
	}
	// A line of UTF-8 read as Latin-1 (mojibake), repaired as the reader
	// repairs a WWW-Authenticate error_description.
	for _, l := range strings.Split(string(data), "\n") {
		if r, ok := said.UnLatin1(l); ok {
			b.WriteString(r)
			b.WriteByte('\n')
		}
	}
	s := b.String()
	s += "\n" + capture.UnescapeEntities(s)
	// A page's text as read, its tags out ("Error <span>1012</span>").
	s += "\n" + capture.UnescapeEntities(htmlTags.ReplaceAllString(s, " "))
	return normalize(s)
}

func normalize(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.Join(strings.Fields(s), " ")), "'", "\"")
}

var htmlTags = regexp.MustCompile(`<[^>]*>`)

var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

// fingerprint: how a secret is shown ([kind len=N …last4]).
var fingerprint = regexp.MustCompile(`\[[a-z0-9-]+ len=\d+(?: …[^\]]*)?\]`)

// fragments splits a quoted value at what the report put in it (an
// ellipsis where it clipped, a fingerprint where it hid a secret): the
// pieces the capture must hold.
func fragments(v string) []string {
	var out []string
	for _, p := range fingerprint.Split(v, -1) {
		for _, f := range strings.Split(p, "…") {
			if f = strings.TrimSpace(f); len(f) >= 3 {
				out = append(out, f)
			}
		}
	}
	return out
}

// quoted finds the values a text quotes: “…” (the server's words) and Go
// quoted strings "…" (the detectors' %q).
func quoted(text string) []string {
	var out []string
	for {
		i := strings.Index(text, "\u201c")
		if i < 0 {
			break
		}
		j := strings.Index(text[i:], "\u201d")
		if j < 0 {
			break
		}
		out = append(out, text[i+len("\u201c"):i+j])
		text = text[:i] + text[i+j+len("\u201d"):]
	}
	eachQuoted(text, func(lit string) {
		if s, err := strconv.Unquote(lit); err == nil {
			out = append(out, s)
		}
	})
	return out
}

// eachQuoted calls fn with each double-quoted literal of s, quotes included (a
// backslash escapes the byte after it); an unclosed one ends the scan.
func eachQuoted(s string, fn func(lit string)) {
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] != '"' {
			if s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(s) {
			return
		}
		fn(s[i : j+1])
		i = j
	}
}

// found is the part of an evidence line that says what was found, before
// the rule's explanation (" — …" of a vendor rule, "(API): …" of an API
// rule), which describes the vendor's pages in general.
func found(text string) string {
	if i := strings.Index(text, " — "); i >= 0 {
		text = text[:i]
	}
	if i := strings.Index(text, "): "); i >= 0 {
		if j := strings.LastIndex(text[:i], " ("); j >= 0 {
			text = text[:j]
		}
	}
	return text
}

// serverQuotes are the server's words a text quotes (“…”); a page's
// heading and the sentence after it are joined by ": ", each verbatim.
func serverQuotes(text string) []string {
	var out []string
	for _, q := range quoted(text) {
		if strings.Contains(text, "\u201c"+q+"\u201d") {
			out = append(out, strings.Split(q, ": ")...)
		}
	}
	return out
}

// headerName: an evidence line that names a response header ("cf-mitigated: challenge").
var headerName = regexp.MustCompile(`^([A-Za-z0-9-]+): `)

// groundingExempt are evidence signals whose quotes are the analyzer's own
// words, not the capture's (each with why).
var groundingExempt = map[string]string{}

type finding struct{ path, what string }

func checkGrounding(path string, data []byte, rep Report, read []string) []finding {
	hay := haystack(data, read...)
	var out []finding
	has := func(what, v string) {
		for _, f := range fragments(v) {
			if !strings.Contains(hay, normalize(f)) {
				out = append(out, finding{path, fmt.Sprintf("%s %q: %q is not in the capture", what, v, f)})
				return
			}
		}
	}
	for _, e := range rep.Exchanges {
		if e.Message != nil {
			parts := []string{e.Message.Text}
			if e.Message.Where == "page" {
				parts = strings.Split(e.Message.Text, ": ")
			}
			for _, p := range parts {
				has(fmt.Sprintf("#%d message", e.Index), p)
			}
			if e.Message.Code != "" {
				has(fmt.Sprintf("#%d message code", e.Index), e.Message.Code)
			}
		}
		for _, r := range e.References {
			if !strings.Contains(hay, normalize(r.Value)) {
				out = append(out, finding{path, fmt.Sprintf("#%d reference %s %q is not in the capture", e.Index, r.Label, r.Value)})
			}
		}
		for _, q := range serverQuotes(e.Summary) {
			has(fmt.Sprintf("#%d summary quote", e.Index), q)
		}
		for _, ev := range e.Evidence {
			if _, ok := groundingExempt[ev.Signal]; ok {
				continue
			}
			for _, q := range quoted(found(ev.Text)) {
				parts := []string{q}
				if e.Message != nil && e.Message.Where == "page" && q == e.Message.Text {
					parts = strings.Split(q, ": ") // a page's heading and its sentence, joined
				}
				for _, p := range parts {
					has(fmt.Sprintf("#%d evidence %s quote", e.Index, ev.Signal), p)
				}
			}
			if ev.Where == "response.header" {
				if m := headerName.FindStringSubmatch(strings.TrimPrefix(ev.Text, "against: ")); m != nil && !strings.Contains(hay, strings.ToLower(m[1])) {
					out = append(out, finding{path, fmt.Sprintf("#%d evidence %s names header %s, which the capture does not have", e.Index, ev.Signal, m[1])})
				}
			}
		}
	}
	return out
}

func checkConsistency(path string, rep Report) []finding {
	var out []finding
	bad := func(e ExchangeReport, f string, a ...any) {
		out = append(out, finding{path, fmt.Sprintf("#%d %s: ", e.Index, e.Verdict) + fmt.Sprintf(f, a...)})
	}
	kinds, _ := knowledge.Kinds()
	for _, e := range rep.Exchanges {
		if e.Cause != "" {
			c := knowledge.CauseByID(string(e.Cause))
			if c == nil || !slices.Contains(c.Verdicts, knowledge.Kind(e.Verdict)) {
				bad(e, "cause %s is not one of this verdict's (causes.json verdicts)", e.Cause)
			}
		}
		if want := ActionFor(e.Verdict, e.Cause); e.Action != want {
			bad(e, "action %s, the table says %s", e.Action, want)
		}
		kw := kinds[knowledge.Kind(e.Verdict)]
		if !strings.HasPrefix(e.Summary, kw.Lead) && (kw.WeakLead == "" || !strings.HasPrefix(e.Summary, kw.WeakLead)) && e.Verdict != KindOK &&
			!strings.HasPrefix(e.Summary, "Proxy provider error") && !strings.HasPrefix(e.Summary, "Origin failure behind") && !(e.Verdict == KindBot && (strings.HasPrefix(e.Summary, GeoLead) || ruleLead(e.Summary))) && !strings.HasPrefix(e.Summary, leadOf(e.Cause)) {
			bad(e, "summary %q does not open with the verdict's lead %q", e.Summary, kw.Lead)
		}
		seen := map[string]bool{}
		for _, ev := range e.Evidence {
			if seen[ev.Text] {
				bad(e, "evidence said twice: %q", ev.Text)
			}
			seen[ev.Text] = true
		}
		steps, titles := map[string]bool{}, map[string]bool{}
		for _, f := range e.Fixes {
			if titles[f.Title] {
				bad(e, "fix said twice: %q", f.Title)
			}
			titles[f.Title] = true
			for _, s := range f.Steps {
				if steps[s] {
					bad(e, "fix step said twice: %q", s)
				}
				steps[s] = true
			}
		}
		if e.Scheme == "aws4" {
			// SigV4 APIs take no token header: advice about one is for another scheme.
			for _, f := range e.Fixes {
				if t := strings.Join(append([]string{f.Title}, f.Steps...), " "); strings.Contains(t, "Bearer") || strings.Contains(t, "x-api-key") {
					bad(e, "a SigV4 (aws4) refusal gets token-header advice: %q", f.Title)
				}
			}
		}
		if e.Cause == CauseMissingCredentials {
			if e.Method == "" && e.URL == "" && strings.Contains(e.Summary, "carried no credentials") {
				bad(e, "\"carried no credentials\" about a request the capture does not hold")
			}
			for _, ev := range e.Evidence {
				if ev.Signal == "credential-sent" && strings.Contains(e.Summary, "carried no credentials") {
					bad(e, "\"carried no credentials\" beside evidence that credentials were sent: %q", ev.Text)
				}
			}
		}
	}
	return out
}

// leadOf is a cause's own lead, when it has one (a handshake step).
func leadOf(c Cause) string {
	if k := knowledge.CauseByID(string(c)); k != nil && k.Lead != "" {
		return k.Lead
	}
	return "\x00"
}

// TestGroundedAndConsistent runs both checks over every capture of the
// fixtures and their reports.
func TestGroundedAndConsistent(t *testing.T) {
	groups := caseFiles(t)
	n := 0
	for _, dir := range slices.Sorted(maps.Keys(groups)) {
		for _, name := range groups[dir] {
			path := filepath.Join(dir, name)
			data := mustRead(path)
			// What the readers read (a zip's members, a SAZ's sessions, base64 bodies).
			var read []string
			rep, err := analyzeReader(bytes.NewReader(data), Options{Name: name, keep: func(ex *capture.Exchange, _ ExchangeReport) {
				for _, m := range []*capture.Message{ex.Request, &ex.Response} {
					if m == nil {
						continue
					}
					for _, f := range m.Fields {
						read = append(read, f.Name+": "+f.Value)
					}
					read = append(read, string(m.Body))
				}
			}}, &capture.Warnings{})
			if err != nil {
				continue
			}
			// A compressed capture is searched decompressed.
			if r, wrapped, err := capture.Unwrap(data[:min(4, len(data))], bytes.NewReader(data)); err == nil && wrapped {
				var b bytes.Buffer
				b.ReadFrom(r)
				data = b.Bytes()
			}
			for _, f := range append(checkGrounding(path, data, rep, read), checkConsistency(path, rep)...) {
				t.Errorf("%s: %s", f.path, f.what)
			}
			n++
		}
	}
	t.Logf("%d captures checked", n)
}

// exchangeCase is one exchange of a fixture with its report, for the
// checks that compare the advice with what the request and the response
// hold.
type exchangeCase struct {
	path   string
	req    *capture.Message // nil when the capture has no request
	resp   capture.Message
	report ExchangeReport
}

// everyExchange analyzes every capture of the fixtures and keeps each
// exchange with its report.
func everyExchange(t *testing.T) []exchangeCase {
	t.Helper()
	var out []exchangeCase
	groups := caseFiles(t)
	for _, dir := range slices.Sorted(maps.Keys(groups)) {
		for _, name := range groups[dir] {
			path := filepath.Join(dir, name)
			_, _ = analyzeReader(bytes.NewReader(mustRead(path)), Options{Name: name, keep: func(ex *capture.Exchange, r ExchangeReport) {
				c := exchangeCase{path: path, resp: ex.Response, report: r}
				if ex.Request != nil {
					req := *ex.Request
					c.req = &req
				}
				out = append(out, c)
			}}, &capture.Warnings{})
		}
	}
	require.NotEmpty(t, out)
	return out
}

// sentScheme is the scheme word of a request header's credentials
// ("Basic", "Bearer"…; "" when the header is absent).
func sentScheme(req *capture.Message, header string) string {
	if req == nil {
		return ""
	}
	v := strings.TrimSpace(req.Get(header))
	if v == "" {
		return ""
	}
	w, _, _ := strings.Cut(v, " ")
	return w
}

// TestFixNeverAsksForWhatWasSent: a fix does not tell the user to send a
// scheme the request already sent (second review: "Send the Account SID
// and Auth Token as Basic credentials" to a request that sent Basic; "send
// Proxy-Authorization first" to one that sent it). Such a fix says why the
// credentials of that scheme were refused instead.
func TestFixNeverAsksForWhatWasSent(t *testing.T) {
	sendAs := regexp.MustCompile(`(?i)^send\b.*\bas (basic|bearer|digest|ntlm|negotiate)\b`)
	for _, c := range everyExchange(t) {
		auth, proxy := sentScheme(c.req, "Authorization"), sentScheme(c.req, "Proxy-Authorization")
		for _, f := range c.report.Fixes {
			if m := sendAs.FindStringSubmatch(f.Title); m != nil && auth != "" && strings.EqualFold(m[1], auth) {
				t.Errorf("%s #%d: fix %q asks for %s credentials, which the request sent (Authorization: %s …)", c.path, c.report.Index, f.Title, m[1], auth)
			}
			for _, s := range append([]string{f.Title}, f.Steps...) {
				if proxy != "" && regexp.MustCompile(`(?i)\bsend (the )?Proxy-Authorization\b`).MatchString(s) && !strings.Contains(strings.ToLower(s), "again") {
					t.Errorf("%s #%d: fix step %q asks for Proxy-Authorization, which the request sent", c.path, c.report.Index, s)
				}
			}
		}
	}
}

// placeholderRule: a placeholder a fix may show only when the capture does
// not hold the value it stands for.
type placeholderRule struct {
	placeholder *regexp.Regexp
	has         func(c exchangeCase) bool // the capture holds the value
	what        string
}

var placeholderRules = []placeholderRule{
	{regexp.MustCompile(`\bSCOPE\b|scope="…"`), func(c exchangeCase) bool {
		return strings.Contains(c.resp.Get("WWW-Authenticate"), `scope="https://`)
	}, "the scope WWW-Authenticate names"},
	{regexp.MustCompile(`\bAPI_ID\b`), func(c exchangeCase) bool {
		return c.req != nil && strings.Contains(c.report.URL, ".execute-api.")
	}, "the rest-api id in the host"},
	{regexp.MustCompile(`\bSITE\.atlassian\.net\b`), func(c exchangeCase) bool {
		return strings.Contains(c.report.URL, ".atlassian.net/")
	}, "the Atlassian site in the host"},
	{regexp.MustCompile(`\bSHOP\.myshopify\.com\b`), func(c exchangeCase) bool {
		return strings.Contains(c.report.URL, ".myshopify.com/")
	}, "the shop in the host"},
	{regexp.MustCompile(`\bACCOUNT\b|<account>`), func(c exchangeCase) bool {
		return strings.Contains(c.report.URL, ".core.windows.net/")
	}, "the storage account in the host"},
	{regexp.MustCompile(`\bUSER_OR_APP_ID\b|\bOBJECT_ID\b`), func(c exchangeCase) bool {
		return c.req != nil && regexp.MustCompile(`"oid":"[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}"`).Match(jwtPayload(c.req.Get("Authorization")))
	}, "the oid of the token sent"},
	{regexp.MustCompile(`projects?[ =/]PROJECT\b|--project=PROJECT\b`), func(c exchangeCase) bool {
		return bytes.Contains(c.resp.Body, []byte(`"SERVICE_DISABLED"`)) && bytes.Contains(c.resp.Body, []byte(`"consumer"`))
	}, "the project of the SERVICE_DISABLED details"},
}

// jwtPayload decodes the claims of a Bearer JWT (nil when it is not one).
func jwtPayload(auth string) []byte {
	_, tok, ok := strings.Cut(strings.TrimSpace(auth), " ")
	if !ok {
		return nil
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil
	}
	return b
}

// TestNoPlaceholderWhereCaptureHasValue: a fix leaves no placeholder
// (SCOPE, API_ID, ACCOUNT, …) where the capture holds the value it stands
// for (issue 28: "no placeholder is left where the capture holds the
// value"; second review n06, n07, n08, real-api SAS).
func TestNoPlaceholderWhereCaptureHasValue(t *testing.T) {
	for _, c := range everyExchange(t) {
		for _, f := range c.report.Fixes {
			texts := append([]string{f.Title}, f.Steps...)
			for _, sn := range f.Code {
				texts = append(texts, sn.Text)
			}
			for _, s := range texts {
				for _, r := range placeholderRules {
					if r.placeholder.MatchString(s) && r.has(c) {
						t.Errorf("%s #%d: fix %q keeps the placeholder %q though the capture holds %s: %q", c.path, c.report.Index, f.Title, r.placeholder.FindString(s), r.what, s)
					}
				}
			}
		}
	}
}

// TestNoCredentialsClaimBesideInlineCredentials: the report never says
// the request involved no credentials when it carried them outside its
// headers: a grant or a client secret in a token request's body, a
// signature in the URL (second review: "no credentials involved" on a
// go-auth0 authorization_code exchange and on an expired SAS).
func TestNoCredentialsClaimBesideInlineCredentials(t *testing.T) {
	// A login's JSON or form body (email + password) counts as much as a
	// query's: third review m15 posted {"email":…,"password":…} and was told
	// it "carried no credentials" in the summary and again in a fix step.
	inline := regexp.MustCompile(`(?i)(?:^|[&?"{,\s])(?:grant_type|client_secret|refresh_token|code|password|passwd|pwd|pass|passcode|passphrase|api_key|apikey|access_token|sig|x-amz-signature|signature)"?\s*[=:]`)
	n := 0
	for _, c := range everyExchange(t) {
		if c.req == nil || !inline.MatchString(c.req.URL) && !inline.Match(c.req.Body) {
			continue
		}
		n++
		texts := []string{c.report.Summary}
		for _, ev := range c.report.Evidence {
			texts = append(texts, ev.Text)
		}
		for _, f := range c.report.Fixes {
			texts = append(texts, f.Title)
			texts = append(texts, f.Steps...)
		}
		for _, s := range texts {
			if strings.Contains(s, "no credentials involved") || strings.Contains(s, "carried no credentials") {
				t.Errorf("%s #%d: %q, though the request carries credentials in its URL or body", c.path, c.report.Index, s)
			}
		}
	}
	t.Logf("%d exchanges carry credentials in their URL or body", n)
}

// TestScopeFixNamesScopeCause: a report whose fix re-authorises with a
// scope (fixes.json reauthorize-scope, an API file's scope fix) has the
// cause insufficient_scope, and its summary never says the credentials
// were rejected (review 4 r05: Dropbox's 401 missing_scope was headed
// "invalid_credentials … the server rejected the credentials that were
// sent" above "Add files.content.write and authorise again").
func TestScopeFixNamesScopeCause(t *testing.T) {
	scopeFix := regexp.MustCompile(`(?i)^(re-authorise with\b|add .+ and (re-?)?authori[sz]e again\b|add the scope\b)`)
	n := 0
	for _, c := range everyExchange(t) {
		r := c.report
		if !slices.ContainsFunc(r.Fixes, func(f Fix) bool { return scopeFix.MatchString(f.Title) }) {
			continue
		}
		n++
		if r.Cause == CauseInvalidCredentials || strings.Contains(r.Summary, "rejected the credentials") {
			t.Errorf("%s #%d: cause %s (%q) beside a scope fix", c.path, r.Index, r.Cause, r.Summary[:min(90, len(r.Summary))])
		}
	}
	if n == 0 {
		t.Error("no report with a scope fix: the check checks nothing")
	}
	t.Logf("%d reports with a scope fix", n)
}

// TestProxySchemeAdviceFollowsTheOffer: a proxy fix speaks of a scheme
// only when the proxy's Proxy-Authenticate offers it: no --proxy-ntlm
// without NTLM, no --proxy-negotiate without Negotiate, and never "sent as
// Basic will not answer it" when Basic is offered (review 4 r20: a Squid
// offering Negotiate and Basic got both).
func TestProxySchemeAdviceFollowsTheOffer(t *testing.T) {
	n := 0
	for _, c := range everyExchange(t) {
		offered := strings.ToLower(strings.Join(c.resp.Values("Proxy-Authenticate"), ", "))
		if offered == "" {
			continue
		}
		offers := func(scheme string) bool {
			return regexp.MustCompile(`(?:^|[\s,])` + scheme + `(?:$|[\s,])`).MatchString(offered)
		}
		n++
		for _, f := range c.report.Fixes {
			texts := append([]string{f.Title}, f.Steps...)
			for _, code := range f.Code {
				texts = append(texts, code.Text)
			}
			for _, s := range texts {
				switch {
				case strings.Contains(s, "--proxy-ntlm") && !offers("ntlm"):
					t.Errorf("%s #%d: --proxy-ntlm, but the proxy offers %q: %q", c.path, c.report.Index, offered, s)
				case strings.Contains(s, "--proxy-negotiate") && !offers("negotiate"):
					t.Errorf("%s #%d: --proxy-negotiate, but the proxy offers %q: %q", c.path, c.report.Index, offered, s)
				case strings.Contains(s, "as Basic will not answer") && offers("basic"):
					t.Errorf("%s #%d: %q, but the proxy offers Basic (%q)", c.path, c.report.Index, s, offered)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no capture with Proxy-Authenticate: the check checks nothing")
	}
	t.Logf("%d exchanges with Proxy-Authenticate", n)
}

// TestAPIReferenceNotTheCDNs: when an API refused in its own words (no
// vendor decided) and gave its own request id, the references are the
// API's: the CDN's id for the hop (cf-ray) is not what its support asks
// for (second review n03, own/10, own/28: cf-ray beside x-request-id).
func TestAPIReferenceNotTheCDNs(t *testing.T) {
	for _, c := range everyExchange(t) {
		r := c.report
		if r.Vendor != "" || r.Message == nil || len(r.References) < 2 {
			continue
		}
		api := slices.ContainsFunc(r.Evidence, func(e Evidence) bool {
			return strings.Contains(e.Signal, "/") && !strings.HasPrefix(e.Signal, "cloudflare/")
		})
		for _, ref := range r.References {
			if api && strings.EqualFold(ref.Label, "cf-ray") {
				t.Errorf("%s #%d: reference %q lists cf-ray beside the API's own id", c.path, r.Index, r.Reference)
			}
		}
	}
}

// TestProxyReferenceIsTheProxys: a proxy that refused (a 407, a proxy's
// access rule, a provider's own error) is referenced by its own id, never
// by the id of the CDN in front of it (issue 28: the reference comes from
// the layer that refused).
func TestProxyReferenceIsTheProxys(t *testing.T) {
	for _, c := range everyExchange(t) {
		r := c.report
		if r.Verdict != KindProxyAuth && r.Cause != CauseProxyRule && r.Cause != "provider_error" || len(r.References) < 2 {
			continue
		}
		for _, ref := range r.References {
			if strings.EqualFold(ref.Label, "cf-ray") {
				t.Errorf("%s #%d: reference %q lists cf-ray beside the proxy's own id", c.path, r.Index, r.Reference)
			}
		}
	}
}

// TestLeadFollowsTheDecidingRule: a report decided by a vendor rule that
// has its own lead (an IP ban, a country ban, a firewall rule) never opens
// "Bot block in disguise"; and a Cloudflare page numbered 1006–1009 or 1012
// is never headed a bot block.
func TestLeadFollowsTheDecidingRule(t *testing.T) {
	leads := map[string]string{}
	files, _ := knowledge.Vendors()
	for _, f := range files {
		for _, r := range f.Rules {
			if r.Lead != "" {
				leads[f.ID+"/"+r.ID] = r.Lead
			}
		}
	}
	n := 0
	for _, c := range everyExchange(t) {
		r := c.report
		if r.Verdict != KindBot || len(r.Evidence) == 0 {
			continue
		}
		if lead, ok := leads[r.Evidence[0].Signal]; ok {
			n++
			if !strings.HasPrefix(r.Summary, lead) {
				t.Errorf("%s #%d: decided by %s, whose lead is %q, but the summary opens %q", c.path, r.Index, r.Evidence[0].Signal, lead, r.Summary[:min(60, len(r.Summary))])
			}
		}
	}
	if n == 0 {
		t.Error("no report decided by a rule with its own lead: the check checks nothing")
	}
}

// ruleLead: the summary opens with a vendor rule's own lead (vendors'
// "lead": "IP ban", "Firewall rule block").
func ruleLead(summary string) bool {
	files, _ := knowledge.Vendors()
	for _, f := range files {
		for _, r := range f.Rules {
			if r.Lead != "" && strings.HasPrefix(summary, r.Lead+" (") || r.Lead != "" && strings.HasPrefix(summary, r.Lead+":") {
				return true
			}
		}
	}
	return false
}

// TestProxyRuleSummaryIsOneSentence: a proxy's access-rule refusal is
// summed up in one sentence that quotes the proxy's page once and says the
// site never saw the request (issue 28, review 3).
func TestProxyRuleSummaryIsOneSentence(t *testing.T) {
	n := 0
	for _, c := range everyExchange(t) {
		r := c.report
		if r.Cause != CauseProxyRule {
			continue
		}
		n++
		if strings.Count(r.Summary, "\u201c") > 1 || !strings.Contains(r.Summary, "never saw it") || strings.Contains(r.Summary, "Evidence:") || len(r.Summary) > 360 {
			t.Errorf("%s #%d: proxy rule summary is not one sentence quoting the proxy once: %q", c.path, r.Index, r.Summary)
		}
	}
	if n == 0 {
		t.Error("no proxy_rule report: the check checks nothing")
	}
}

func TestFirstSentences(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
	}{
		{"Access Denied. Access control configuration prevents your request from being allowed at this time. Please contact your service provider if you feel this is incorrect.", "Access Denied. Access control configuration prevents your request from being allowed at this time."},
		{"403 Forbidden: Request forbidden by administrative rules.", "403 Forbidden: Request forbidden by administrative rules."},
		{"", ""},
	} {
		if got := firstSentences(c.in, 2, 160); got != c.want {
			t.Errorf("firstSentences(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestVendorNamedByItsOwnSigns: a report names a WAF (the first word of a
// "waf" vendor file's name: "F5", "Barracuda") only when that vendor, or
// another product of the same company, decided, or its own signs are in
// the evidence (fourth
// review r16: a Fastly Next-Gen WAF block, with x-sigsci-* headers, was
// told "an illegal meta-character to F5 ASM").
func TestVendorNamedByItsOwnSigns(t *testing.T) {
	files, _ := knowledge.Vendors()
	type brand struct{ id, word string }
	var brands []brand
	names := map[string]string{} // vendor id → its name
	widget := map[string]bool{}  // first words of CAPTCHA widgets' names ("Google" reCAPTCHA), named beside any vendor
	for _, f := range files {
		names[f.ID] = f.Name
		if w, _, _ := strings.Cut(f.Name, " "); f.Kind == "captcha" {
			widget[w] = true
		}
	}
	for _, f := range files {
		if w, _, _ := strings.Cut(f.Name, " "); f.Kind == "waf" && len(w) >= 2 && !widget[w] {
			brands = append(brands, brand{f.ID, w})
		}
	}
	n := 0
	for _, c := range everyExchange(t) {
		r := c.report
		if r.Vendor == "" {
			continue
		}
		n++
		texts := []string{r.Summary}
		for _, e := range r.Evidence {
			texts = append(texts, e.Text)
		}
		for _, f := range r.Fixes {
			texts = append(texts, f.Title)
			texts = append(texts, f.Steps...)
		}
		for _, b := range brands {
			if strings.Contains(names[string(r.Vendor)], b.word) || slices.ContainsFunc(r.Evidence, func(e Evidence) bool { return strings.HasPrefix(e.Signal, b.id+"/") }) {
				continue
			}
			re := regexp.MustCompile(`\b` + regexp.QuoteMeta(b.word) + `\b`)
			for _, s := range texts {
				if re.MatchString(s) {
					t.Errorf("%s #%d: a %s report names %s without its signs: %q", c.path, r.Index, r.Vendor, b.word, s)
					break
				}
			}
		}
	}
	t.Logf("%d vendor reports checked against %d product names", n, len(brands))
}

// TestFixSchemeFollowsTheChallenge: when a refusal's WWW-Authenticate
// names the schemes the server takes, no fix tells the user to send
// "Authorization: <scheme>" for a scheme it does not offer, nor an API-key
// header such as x-api-key (review 4 r03: a key sent as Bearer, where the
// API takes Token, was told "get a new token"; a Token or SSWS challenge
// was answered "Authorization: Bearer …, or x-api-key"). An API file that
// says its API takes another scheme than it challenges with (Atlassian
// challenges with OAuth and takes Basic) is the exception: its fixes are
// its own, and the check reads the generic ones (fixes.json).
func TestFixSchemeFollowsTheChallenge(t *testing.T) {
	sendScheme := regexp.MustCompile(`\bAuthorization: ([A-Z][A-Za-z0-9_-]*)\b`)
	keyHeader := regexp.MustCompile(`(?i)\bx-api-key\b`)
	generic := map[string]bool{}
	gf, err := knowledge.GenericFixes()
	require.NoError(t, err)
	for _, g := range gf {
		generic[g.Title] = true
	}
	headerSchemes, err := knowledge.WordListByID("challenge-header-schemes", true)
	require.NoError(t, err)
	n := 0
	for _, c := range everyExchange(t) {
		if c.resp.Status != 401 && c.resp.Status != 403 {
			continue
		}
		offered := map[string]bool{}
		chs, _ := detect.ParseChallenges(c.resp.Values("WWW-Authenticate"), 64)
		for _, ch := range chs {
			offered[strings.ToLower(ch.Scheme)] = true
			for _, g := range headerSchemes.Groups {
				if slices.Contains(g.Words, strings.ToLower(ch.Scheme)) {
					offered[strings.ToLower(g.Value)] = true // Keystone's X-Auth-Token
				}
			}
		}
		if len(offered) == 0 {
			continue
		}
		n++
		for _, f := range c.report.Fixes {
			if !generic[f.Title] && !strings.HasPrefix(f.Title, "Send the credential as Authorization") {
				continue
			}
			texts := append([]string{f.Title}, f.Steps...)
			for _, code := range f.Code {
				texts = append(texts, code.Text)
			}
			for _, s := range texts {
				for _, m := range sendScheme.FindAllStringSubmatch(s, -1) {
					if !offered[strings.ToLower(m[1])] {
						t.Errorf("%s #%d: fix %q says Authorization: %s, but the challenge offers %q: %q", c.path, c.report.Index, f.Title, m[1], slices.Sorted(maps.Keys(offered)), s)
					}
				}
				if keyHeader.MatchString(s) && !offered["x-api-key"] {
					t.Errorf("%s #%d: fix %q names x-api-key, but the challenge offers %q: %q", c.path, c.report.Index, f.Title, slices.Sorted(maps.Keys(offered)), s)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no refusal with WWW-Authenticate: the check checks nothing")
	}
	t.Logf("%d refusals with WWW-Authenticate", n)
}

// TestRateFixHeadersAreInTheCapture: a rate-limit fix names a response
// header (X-RateLimit-Type, RateLimit-Reset, Retry-After…) only when the
// capture has it, or when it tells the user to read it on later answers
// ("Read …", "Pace requests from …", "watch …"): never as the source of an
// answer the capture does not hold (review 4 r14: "a daily one at 00:00
// UTC (X-RateLimit-Type says which)" with no X-RateLimit-Type).
func TestRateFixHeadersAreInTheCapture(t *testing.T) {
	header := regexp.MustCompile(`\b((?:X|x)-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+|RateLimit-[A-Za-z]+|Retry-After)\b`)
	says := regexp.MustCompile(`(?i)\b(says|said|shows|gives|names|tells)\b`)
	n := 0
	for _, c := range everyExchange(t) {
		if c.report.Verdict != KindRateLimit {
			continue
		}
		n++
		for _, f := range c.report.Fixes {
			for _, s := range append([]string{f.Title}, f.Steps...) {
				for _, clause := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '(' || r == ')' }) {
					if !says.MatchString(clause) {
						continue
					}
					for _, m := range header.FindAllString(clause, -1) {
						if !c.resp.Has(m) && (c.req == nil || !c.req.Has(m)) {
							t.Errorf("%s #%d: fix %q names %s as saying something, but the capture has no such header: %q", c.path, c.report.Index, f.Title, m, s)
						}
					}
				}
			}
		}
	}
	t.Logf("%d rate-limit reports", n)
}

// TestRetrySnippetNeverRetriesSuccess: a snippet that retries by status
// lists only error statuses. A refusal inside a 200 (GraphQL's THROTTLED)
// is told by its body; a retry on 200 would repeat every success.
func TestRetrySnippetNeverRetriesSuccess(t *testing.T) {
	list := regexp.MustCompile(`status_forcelist\s*=\s*[\[(]([^\])]*)`)
	code := regexp.MustCompile(`\d+`)
	n := 0
	for _, c := range everyExchange(t) {
		for _, f := range c.report.Fixes {
			for _, sn := range f.Code {
				for _, m := range list.FindAllStringSubmatch(sn.Text, -1) {
					n++
					for _, st := range code.FindAllString(m[1], -1) {
						if st[0] < '4' || len(st) != 3 {
							t.Errorf("%s #%d: fix %q retries status %s: %q", c.path, c.report.Index, f.Title, st, m[0])
						}
					}
				}
			}
		}
	}
	require.Positive(t, n, "no retry snippet in the fixtures")
}
