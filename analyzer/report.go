package analyzer

import (
	"why401/analyzer/internal/verdict"

	"why401/analyzer/internal/detect"

	"why401/analyzer/internal/knowledge"

	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/capture"
)

// Report is the contract every door consumes: the CLI (text, markdown, JSON
// Lines), the page, the worker and Go callers. See docs/report.md.
//
// The JSON keys come in this order: schema_version, exchanges, then what is
// only known once every exchange was read (input with its entry count,
// warnings, summary), so a writer can stream the exchanges of a big capture
// as they are decided and close the line with the rest (docs/report.md).
type Report struct {
	// SchemaVersion is the version of this contract: SchemaVersion at the
	// time of writing (docs/report-changelog.md).
	SchemaVersion int              `json:"schema_version"`
	Exchanges     []ExchangeReport `json:"exchanges"`
	Input         InputInfo        `json:"input"`
	Warnings      []string         `json:"warnings"`
	// Summary is set for multi-entry captures (HAR, WARC, Burp, SAZ, several structured exchanges).
	Summary *Summary `json:"summary,omitempty"`
}

// Summary is the capture read as a story: per host counts, vendors seen,
// the first failure and its root cause, the first block.
type Summary struct {
	Hosts        []HostSummary `json:"hosts"`
	Vendors      []string      `json:"vendors"`
	FirstFailure *FailureInfo  `json:"first_failure"`
	FirstBlock   *BlockInfo    `json:"first_block"`
	Sanitized    bool          `json:"sanitized"`
	Caveats      []string      `json:"caveats,omitempty"`
}

// HostSummary counts one host's exchanges by status code and by verdict.
type HostSummary struct {
	Host     string         `json:"host"`
	Requests int            `json:"requests"`
	Status   map[string]int `json:"status"`
	Verdicts map[string]int `json:"verdicts"`
}

// FailureInfo names the first failing exchange and, when an earlier entry
// explains it, that entry (the root cause) and the evidence saying so.
type FailureInfo struct {
	Index     int    `json:"index"`
	Verdict   Kind   `json:"verdict"`
	Cause     Cause  `json:"cause"`
	Summary   string `json:"summary"`
	RootEntry *int   `json:"root_entry"`
	Root      string `json:"root,omitempty"`
}

// BlockInfo is the first exchange judged a bot block.
type BlockInfo struct {
	Index  int    `json:"index"`
	Host   string `json:"host"`
	Vendor string `json:"vendor,omitempty"`
	Time   string `json:"time,omitempty"`
	// Before is how many requests that host answered before the block.
	Before int `json:"before"`
}

// SchemaVersion is the report contract's version, written in every report
// as "schema_version". It grows when a field changes meaning or goes away
// (docs/report-changelog.md); added fields keep it.
const SchemaVersion = 1

// InputInfo describes what was read.
type InputInfo struct {
	Name     string    `json:"name"`
	Format   string    `json:"format"`   // har | raw | curl
	Producer OptString `json:"producer"` // chrome, firefox, …, or null
	Entries  int       `json:"entries"`
}

// ExchangeReport is the verdict on one request/response.
type ExchangeReport struct {
	Index      int       `json:"index"`
	Method     string    `json:"method"`
	URL        string    `json:"url"`
	Status     int       `json:"status"`
	Verdict    Kind      `json:"verdict"`
	Confidence float64   `json:"confidence"`
	Vendor     OptString `json:"vendor"`
	Scheme     OptString `json:"scheme"`
	Cause      Cause     `json:"cause"`
	// Action is what a client does about it (docs/report.md, "actions"):
	// from the verdict and cause by the table in kinds.json.
	Action Action `json:"action"`
	// WaitSeconds is how long the server asked the client to wait
	// (Retry-After, else a rate-limit reset header), measured from the
	// response; 0 when it did not say. WaitUntil is when that wait ends,
	// UTC, on the server's clock (the response's Date); "" without one.
	WaitSeconds float64 `json:"wait_seconds,omitempty"`
	WaitUntil   string  `json:"wait_until,omitempty"`
	// Reference is every reference id to quote, whole, a vendor's first
	// ("Cloudflare Ray ID 8c0f4e7a9b1d2e3f-FRA", "x-amz-request-id
	// 6664709BD9F2C4B1, x-amz-id-2 xnT9…"): ids, not secrets. References
	// are the same ids one by one.
	Reference  string      `json:"reference,omitempty"`
	References []Reference `json:"references,omitempty"`
	// Message is what the server said in its own words: its error message
	// as written (decoded: JSON escapes, entities), its error code, and
	// where they were read; nil when it said nothing readable.
	Message *ServerMessage `json:"message,omitempty"`
	// Time is when the request started (HAR startedDateTime, WARC-Date), in
	// UTC with milliseconds; absent when the capture does not say.
	Time     string     `json:"time,omitempty"`
	Summary  string     `json:"summary"`
	Evidence []Evidence `json:"evidence"`
	Fixes    []Fix      `json:"fixes"`
}

// Reference is one reference id: what it is (a header or field name, a
// vendor's label) and the id.
type Reference struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// ServerMessage is the server's own words about the refusal.
type ServerMessage struct {
	// Text is the message, verbatim on one line ("" when only a code was given).
	Text string `json:"text"`
	// Code is the server's error code (AccessDenied, invalid_grant, E0000011).
	Code string `json:"code,omitempty"`
	// Where it was read: "body error.message", "<Message>",
	// "WWW-Authenticate error_description", "header x-amzn-errortype", "page".
	Where string `json:"where"`
}

// Fix is one thing the user can do, with concrete steps.
type Fix struct {
	Title string    `json:"title"`
	Steps []string  `json:"steps"`
	Code  []Snippet `json:"code,omitempty"`
}

// Snippet is a copyable example in a Fix: Lang is "curl", "python", "go",
// "shell" or "http".
type Snippet struct {
	Lang string `json:"lang"`
	Text string `json:"text"`
}

// Evidence is one signal as shown to the user.
type Evidence struct {
	Signal string `json:"signal"`
	Where  string `json:"where"`
	Text   string `json:"text"`
	// Entry is the index of the earlier exchange a context signal points to.
	Entry *int `json:"entry,omitempty"`
}

// OptString is a string that is JSON null when empty. Its text is written
// as json.Marshal writes a string (< > & as \u003c \u003e \u0026), as it
// always was.
type OptString string

// MarshalJSON writes null for "", else the string as json.Marshal does.
func (s OptString) MarshalJSON() ([]byte, error) { return appendOpt(nil, s), nil }

// UnmarshalJSON reads null as "" and a JSON string as its text.
// (gjson, not encoding/json: the page's wasm does without encoding/json).
func (s *OptString) UnmarshalJSON(b []byte) error {
	switch r := gjson.ParseBytes(b); {
	case r.Type == gjson.Null && string(bytes.TrimSpace(b)) == "null":
		*s = ""
	case r.Type == gjson.String && gjson.ValidBytes(b):
		*s = OptString(r.Str)
	default:
		return errors.New("analyzer: " + strconv.Quote(string(b)) + " is not a JSON string or null")
	}
	return nil
}

// AppendJSON appends the report as one line of compact JSON (without a
// newline) to b, which every door (CLI, page, worker) writes: the bytes of
// encoding/json's Encoder with SetEscapeHTML(false), written by hand for
// speed (encode.go). A report it cannot encode (a confidence that is not
// finite, which never happens) gives the error object instead.
func (r Report) AppendJSON(b []byte) []byte { return appendReport(b, &r) }

// AppendJSON appends the exchange report as Report.AppendJSON writes it in
// "exchanges" to b: the CLI's --format json streams each exchange so. A
// confidence that is not finite (which never happens) gives the error object.
func (e *ExchangeReport) AppendJSON(b []byte) []byte {
	if math.IsInf(e.Confidence, 0) || math.IsNaN(e.Confidence) {
		return AppendJSONError(b, "analyzer: report: json: unsupported value: "+strconv.FormatFloat(e.Confidence, 'g', -1, 64))
	}
	return appendExchange(b, e)
}

// AppendJSONError appends {"error":msg}: the error body of the page and the
// worker, as json.Marshal(map[string]string{"error": msg}) gives it
// (written by hand: the page links no JSON encoder).
func AppendJSONError(b []byte, msg string) []byte {
	return append(appendString(append(b, `{"error":`...), msg, true), '}')
}

// Problem reports whether the exchange needs attention (anything but ok).
func (e ExchangeReport) Problem() bool { return e.Verdict != KindOK }

// MarshalJSON writes null for "", else the cause as a JSON string.
func (c Cause) MarshalJSON() ([]byte, error) { return appendOpt(nil, OptString(c)), nil }

// UnmarshalJSON reads null as "" and a JSON string as the cause.
func (c *Cause) UnmarshalJSON(b []byte) error {
	var s OptString
	err := s.UnmarshalJSON(b)
	*c = Cause(s)
	return err
}

const maxEvidence = 12

// Build is stage 5 for one exchange: it renders the verdict and
// fixes into the contract, passing every string through the secret scrubber.
func build(ex *capture.Exchange, v verdict.Verdict, fixes []knowledge.Fix, sec *detect.Secrets) ExchangeReport {
	r := ExchangeReport{
		Index:      ex.Index,
		Status:     ex.Response.Status,
		Verdict:    Kind(v.Kind),
		Confidence: v.Confidence,
		Vendor:     OptString(vendorLabel(v.Vendor)),
		Scheme:     OptString(schemeLabel(v.Scheme)),
		Cause:      Cause(causeLabel(v.Cause)),
		Action:     Action(knowledge.ActionFor(v.Kind, causeLabel(v.Cause))),
		Evidence:   []Evidence{},
		Fixes:      []Fix{},
	}
	if !ex.Started.IsZero() {
		r.Time = ex.Started.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	if v.Wait.Seconds > 0 {
		r.WaitSeconds = math.Round(v.Wait.Seconds*1000) / 1000
	}
	if !v.Wait.Until.IsZero() {
		r.WaitUntil = capture.FormatRFC3339(v.Wait.Until)
	}
	var refs []string
	for _, ref := range v.Refs {
		rf := Reference{Label: ref.Label, Value: sec.ScrubKnown(ref.Value)}
		r.References = append(r.References, rf)
		refs = append(refs, rf.Label+" "+rf.Value)
	}
	r.Reference = strings.Join(refs, ", ")
	if v.Message != "" || v.Code != "" {
		r.Message = &ServerMessage{Text: sec.Scrub(v.Message), Code: sec.ScrubKnown(v.Code), Where: v.MessageWhere}
	}
	if ex.Request != nil {
		r.Method = methodLabel(ex.Request.Method)
		r.URL = sec.Scrub(detect.MaskURL(ex.Request.URL))
	}
	// shown maps what an evidence line says was found (its text before a
	// rule's " — explanation") to its index: a header that a rule explained
	// and a presence rule merely names is one line, the explained one. Two
	// rules that explain the same snippet differently both stay.
	shown := map[string]int{}
	add := func(s detect.Signal) {
		if len(r.Evidence) >= maxEvidence || s.Text == "" {
			return
		}
		ev := Evidence{Signal: s.ID, Where: s.Where, Text: sec.Scrub(s.Text)}
		if s.Entry >= 0 {
			e := s.Entry
			ev.Entry = &e
		}
		what, _, explained := strings.Cut(ev.Text, " — ")
		key := string(ev.Where) + "\x00" + what
		if i, ok := shown[key]; ok && (!explained || r.Evidence[i].Text == what) {
			if explained {
				r.Evidence[i] = ev
			}
			return
		}
		if _, ok := shown[key]; !ok {
			shown[key] = len(r.Evidence)
		}
		r.Evidence = append(r.Evidence, ev)
	}
	for _, s := range v.Decisive {
		add(s)
	}
	for _, s := range v.Context {
		if detect.IsServerMessage(s.ID) {
			continue // the report's message
		}
		add(s)
	}
	for _, s := range v.Against {
		s.Text = "against: " + s.Text
		add(s)
	}
	for _, s := range v.Caveats {
		if s.Text != "" { // beyond maxEvidence: a caveat is never cut
			r.Evidence = append(r.Evidence, Evidence{Signal: s.ID, Where: s.Where, Text: sec.Scrub(s.Text)})
		}
	}
	for _, f := range fixes {
		g := Fix{Title: sec.Scrub(f.Title)}
		for _, s := range f.Steps {
			g.Steps = append(g.Steps, sec.Scrub(s))
		}
		for _, c := range f.Code {
			g.Code = append(g.Code, Snippet{Lang: c.Lang, Text: sec.Scrub(c.Text)})
		}
		r.Fixes = append(r.Fixes, g)
	}
	r.Summary = sec.Scrub(summarize(ex, v, r.Reference))
	return r
}

// schemes is the report's scheme vocabulary (docs/report.md).
var schemes = map[string]bool{"basic": true, "bearer": true, "digest": true, "negotiate": true, "ntlm": true, "aws4": true,
	"dpop": true, "apikey": true, "cookie": true, "mutual": true, "hoba": true, "privatetoken": true}

// schemeLabel, causeLabel and vendorLabel keep the report's labels inside
// their vocabularies: a label is never text taken from the capture, whatever
// a detector or a knowledge file put in the verdict ("" when it is not one).
func schemeLabel(s string) string {
	if schemes[s] {
		return s
	}
	return ""
}

// methodLabel shows a request method as sent when it is an HTTP token of
// ordinary length, else its fingerprint: a method is request text too.
func methodLabel(m string) string {
	if len(m) > 24 {
		return capture.Fingerprint("", m)
	}
	for i := 0; i < len(m); i++ {
		if !capture.IsTokenChar(m[i]) {
			return capture.Fingerprint("", m)
		}
	}
	return m
}

func causeLabel(c string) string {
	if knowledge.CauseByID(c) != nil {
		return c
	}
	return ""
}

func vendorLabel(id string) string {
	if id == "" {
		return ""
	}
	if knowledge.Vendor(id) != nil {
		return id
	}
	return ""
}

// summarize writes the one sentence a person reads first.
//
// The server's own words come first: after the verdict and its cause, what
// the server said (its message and code), then the evidence only when it
// said nothing, then the references to quote.
func summarize(ex *capture.Exchange, v verdict.Verdict, refs string) string {
	var b strings.Builder
	if c := knowledge.CauseByID(v.Cause); c != nil && c.Lead != "" {
		b.WriteString(c.Lead) // a handshake step is not a failure
	} else {
		b.WriteString(knowledge.Lead(v.Kind, v.Confidence < 0.5))
	}
	var tags []string
	if v.Vendor != "" {
		name := v.Vendor
		if vf := knowledge.Vendor(v.Vendor); vf != nil {
			name = vf.Name
		}
		tags = append(tags, "by "+name)
	}
	if s := schemeLabel(v.Scheme); s != "" {
		tags = append(tags, s)
	}
	for _, c := range v.Context {
		if c.ID == detect.SigProxyProvider && c.Params["provider_possessive"] != "" {
			tags = append(tags, c.Params["provider_possessive"]+" proxy") // who refused, by its host or user name
			break
		}
	}
	if len(tags) > 0 {
		b.WriteString(" (" + strings.Join(tags, ", ") + ")")
	}
	lead, leadSays := "", ""
	if v.Kind == knowledge.KindBot && len(v.Decisive) > 0 {
		lead, leadSays = v.Decisive[0].Params[detect.ParamLead], v.Decisive[0].Params[detect.ParamLeadSays]
		if lead == "" && v.Decisive[0].Params[detect.ParamGeoBan] != "" {
			// A country or region ban is the site's location rule, not a
			// bot check: no header, cookie or browser changes it.
			lead, leadSays = GeoLead, "the site refuses requests from the country or region of your IP address — a location rule, not a bot check; no header, cookie or browser changes it"
		}
	}
	switch {
	case lead != "":
		// The deciding rule's own heading (a vendor's numbered page: an IP
		// ban, a country ban, a firewall rule): what "bot block" would
		// contradict.
		b.Reset()
		b.WriteString(lead)
		if len(tags) > 0 {
			b.WriteString(" (" + strings.Join(tags, ", ") + ")")
		}
		b.WriteString(": " + fillVendorCode(leadSays, v.Decisive[0].Text))
	case v.Cause == "proxy_rule" && len(v.Decisive) > 0:
		// One sentence: which proxy refused, in its own words, and that
		// the site never saw the request.
		d := v.Decisive[0]
		b.WriteString(": ")
		if name := d.Params["proxy_name"]; d.Params["squid_error"] != "" {
			who := "the Squid proxy"
			if name != "" {
				who += " " + name
			}
			b.WriteString(who + " refused the request by its access rules (X-Squid-Error: " + d.Params["squid_error"] + ")")
		} else if gw := d.Params["vendor_name"]; gw != "" {
			b.WriteString(gw + ", the web gateway of your own network, refused the request by its policy")
		} else {
			b.WriteString("a proxy or load balancer in front of the site refused the request by its own access rules")
		}
		if m := firstSentences(v.Message, 2, 160); m != "" {
			b.WriteString(", and its page says \u201c" + m + "\u201d")
		}
		if d.Params["squid_error"] != "" || d.Params["vendor_name"] != "" {
			b.WriteString("; the site never saw it")
		} else {
			b.WriteString("; the application behind it never saw it")
		}
		if refs != "" {
			b.WriteString(". Reference: " + refs)
		}
		b.WriteString(".")
		return b.String()
	case v.Kind == knowledge.KindOK:
		for _, c := range v.Context {
			if strings.HasPrefix(c.ID, detect.SigHeadsUp+"/") {
				return okSummary(ex.Response.Status) + " Heads-up: " + c.Text + "."
			}
		}
		return okSummary(ex.Response.Status)
	case v.Kind == knowledge.KindUnknown:
		if ex.Response.Status == 0 {
			b.WriteString(": no response was received")
			if ex.ClientError != "" {
				b.WriteString(" (" + ex.ClientError + ": blocked or failed in the client, not answered by the server)")
			}
			b.WriteString(".")
			return b.String()
		}
		said := ""
		if v.Message != "" {
			said = " The server said: \u201c" + v.Message + "\u201d"
			if v.Code != "" && !strings.EqualFold(v.Code, v.Message) {
				said += " (" + v.Code + ")"
			}
			said += "."
		}
		if refs != "" {
			said += " Reference: " + refs + "."
		}
		if len(v.Decisive) > 0 && v.Decisive[0].ID == "403-unexplained" {
			if v.Message != "" {
				b.WriteString(": the server refused (HTTP 403) without saying who refused or why — the request carried no credentials, and no challenge or vendor marker is there to tell a permission rule from a bot rule." + said)
				return b.String()
			}
			b.WriteString(": the server refused (HTTP 403) without saying who or why — the request carried no credentials, and no challenge, vendor marker or error message is there to tell a permission rule from a bot rule." + said)
			return b.String()
		}
		if len(v.Decisive) > 0 && v.Decisive[0].Cause == "origin_error" {
			b.Reset()
			b.WriteString("Origin failure behind " + v.Decisive[0].Params["vendor_name"] + " (not a refusal of your client): HTTP " + strconv.Itoa(ex.Response.Status) +
				" is " + v.Decisive[0].Params["vendor_name"] + "'s answer for the site's own server, which failed")
			if v.Message != "" {
				b.WriteString(". The page says: \u201c" + v.Message + "\u201d")
			}
			if refs != "" {
				b.WriteString(". Reference: " + refs)
			}
			b.WriteString(".")
			return b.String()
		}
		if len(v.Decisive) > 0 && v.Decisive[0].Cause == "provider_error" {
			// A proxy provider's own error header (Zyte, Bright Data): say who answered.
			b.Reset()
			b.WriteString("Proxy provider error (" + v.Decisive[0].Params["vendor_name"] + "): HTTP " + strconv.Itoa(ex.Response.Status) +
				" is the provider's own answer; it refused or failed on its side, the target's answer is not in it, and your proxy credentials were accepted.")
			return b.String()
		}
		b.WriteString(": HTTP " + strconv.Itoa(ex.Response.Status) + " carries no sign of an authentication failure or of a bot block." + said)
		return b.String()
	}
	if lead != "" {
		// said above
	} else if sent := sentCredential(v); v.Cause == string(CauseMissingCredentials) && sent != "" {
		// The server found none it takes, yet the request did send one: say
		// both, never "carried no credentials" beside "request sent X-Api-Key".
		b.WriteString(": the server found no credentials it accepts, though the request sent " + sent)
	} else if v.Cause == string(CauseMissingCredentials) && ex.Request == nil {
		// The capture holds the answer only: what the request carried is
		// not shown, only that the server found no credentials in it.
		b.WriteString(": the server answered as to a request without credentials (the capture does not include the request)")
	} else if w := causeWording(v); w != "" {
		// The deciding rule's own words for its case (a spent quota).
		b.WriteString(": " + w)
	} else if c := knowledge.CauseByID(v.Cause); c != nil {
		b.WriteString(": " + c.Wording)
	} else if v.Withheld != "" && ex.Producer == capture.FetchCopyNoCookie {
		b.WriteString(": credentials unknown: DevTools' \"Copy as fetch\" leaves out the cookies the browser sent")
	} else if v.Withheld != "" {
		b.WriteString(": credentials unknown: the capture was sanitized, so whether the request carried credentials cannot be told")
	} else if ex.Request == nil && (v.Kind == knowledge.KindAuth || v.Kind == knowledge.KindForbidden) {
		b.WriteString(": the capture does not include the request, so whether credentials were sent is unknown")
	}
	page := v.MessageWhere == "page"
	if v.Message != "" {
		if page {
			b.WriteString(". The page says: \u201c" + v.Message + "\u201d")
		} else {
			b.WriteString(". " + speaker(v) + " said: \u201c" + v.Message + "\u201d")
		}
		if v.Code != "" && !strings.EqualFold(v.Code, v.Message) {
			b.WriteString(" (" + v.Code + ")")
		}
	}
	if (v.Message == "" || page && lead == "") && len(v.Decisive) > 0 {
		// A block page's headline does not say what decided: its marker does.
		// A marker that is the page's own words quoted again gives only
		// what it adds: the page is quoted once.
		ev := v.Decisive[0].Text
		if q := "\u201c" + v.Message + "\u201d"; v.Message != "" && strings.Contains(ev, q) {
			_, rest, _ := strings.Cut(ev, q)
			rest = strings.TrimLeft(rest, ":;,. ")
			if rest == "" {
				ev = ""
			} else if c := rest[0]; c >= 'a' && c <= 'z' {
				ev = string(c-'a'+'A') + rest[1:]
			} else {
				ev = rest
			}
		} else if ev != "" {
			ev = "Evidence: " + ev
		}
		if ev != "" {
			b.WriteString(". " + ev)
		}
	}
	if w := waitSentence(v.Wait); w != "" && (v.Wait.Until.IsZero() || !strings.Contains(b.String(), capture.FormatRFC3339(v.Wait.Until))) {
		// Said once: the evidence quoted may already name the time.
		b.WriteString(". " + w)
	}
	if refs != "" {
		if v.Kind == knowledge.KindBot || v.Vendor != "" {
			b.WriteString(". Quote " + refs + " to the site owner")
		} else {
			b.WriteString(". Reference: " + refs)
		}
	}
	b.WriteString(".")
	return b.String()
}

// firstSentences is the start of a message: at most n sentences (ended
// by ". ") and about max bytes, whole sentences only; the whole message
// when its first sentence is longer. A page's closing boilerplate
// ("Please contact your service provider …") falls away.
func firstSentences(m string, n, max int) string {
	out := ""
	rest := m
	for range n {
		i := strings.Index(rest, ". ")
		if i < 0 {
			if out == "" || len(out)+1+len(rest) <= max {
				return strings.TrimSpace(out + " " + rest)
			}
			return out
		}
		next := strings.TrimSpace(out + " " + rest[:i+1])
		if out != "" && len(next) > max {
			return out
		}
		out, rest = next, rest[i+2:]
	}
	return out
}

// fillVendorCode fills a rule's lead_says "{{code|1006/1007/1008}}" with
// the error number its evidence snippet shows (the text before the rule's
// " — " explanation), else with the fallback after the bar: a page numbers
// its own error (1007), the rule covers the family.
func fillVendorCode(says, evidence string) string {
	i := strings.Index(says, "{{code|")
	if i < 0 {
		return says
	}
	j := strings.Index(says[i:], "}}")
	if j < 0 {
		return says
	}
	fallback := says[i+len("{{code|") : i+j]
	snippet, _, _ := strings.Cut(evidence, " \u2014 ")
	code := fallback
	for k := 0; k+4 <= len(snippet); k++ {
		if (k == 0 || !isDigit(snippet[k-1])) && isDigit(snippet[k]) && isDigit(snippet[k+1]) && isDigit(snippet[k+2]) && isDigit(snippet[k+3]) &&
			(k+4 == len(snippet) || !isDigit(snippet[k+4])) && strings.Contains(fallback, snippet[k:k+4]) {
			code = snippet[k : k+4]
			break
		}
	}
	return says[:i] + code + says[i+j+2:]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// GeoLead opens the summary of a bot verdict decided by a country or
// region ban (a vendor rule with "geo").
const GeoLead = "Geo block"

// sentCredential names where the request sent a credential (a header,
// a query parameter, a cookie), "" when it sent none.
func sentCredential(v verdict.Verdict) string {
	for _, group := range [][]detect.Signal{v.Context, v.Decisive, v.Against} {
		for _, s := range group {
			if s.ID == "credential-sent" && s.Params["credential_where"] != "" {
				return s.Params["credential_where"]
			}
			if s.ID == detect.SigBodyCredential {
				return s.Params["body_credential"]
			}
		}
	}
	return ""
}

// waitSentence says how long the server asked to wait, when it said.
func waitSentence(w detect.Wait) string {
	switch {
	case !w.Until.IsZero() && w.Seconds > 0:
		return "Wait until " + capture.FormatRFC3339(w.Until) + " (" + detect.HumanSeconds(w.Seconds) + " after the response)"
	case !w.Until.IsZero():
		return "Wait until " + capture.FormatRFC3339(w.Until)
	case w.Seconds > 0:
		return "Wait " + detect.HumanSeconds(w.Seconds) + " after the response"
	}
	return ""
}

// speaker names who said the server's message: the API whose error it
// is, else the vendor judged to have refused, else "The server".
func speaker(v verdict.Verdict) string {
	// The API whose error rule matched names the service best (Amazon S3,
	// not AWS); a message rule's API file comes next.
	for pass := 0; pass < 2; pass++ {
		for _, s := range v.Decisive {
			if api := s.Params["api"]; api != "" && (pass == 1 || !detect.IsServerMessage(s.ID)) {
				return api
			}
		}
	}
	if vf := knowledge.Vendor(v.Vendor); vf != nil && v.Vendor != "" {
		return vf.Name
	}
	// A proxy provider that answered for itself (its own error header): it
	// spoke, not the site.
	for _, s := range v.Decisive {
		if vf := knowledge.Vendor(s.Vendor); vf != nil && vf.Kind == "proxy" && s.Kind == v.Kind {
			return vf.Name
		}
	}
	return "The server"
}

// okSummaries holds the one sentence of each success status: a big HAR has
// thousands of them, and they need not be built (nor stored) once each.
var okSummaries sync.Map // status → string

func okSummary(status int) string {
	if v, ok := okSummaries.Load(status); ok {
		return v.(string)
	}
	s := knowledge.Lead(knowledge.KindOK, false) + ": HTTP " + strconv.Itoa(status) + ", the request succeeded"
	if status >= 300 && status < 400 {
		s += " with a redirect"
	}
	s += "."
	if status >= 100 && status < 1000 {
		okSummaries.Store(status, s)
	}
	return s
}

// ActionFor is what a client does about a verdict with a cause: the table
// of docs/report.md ("actions"), which every report's Action follows.
func ActionFor(k Kind, c Cause) Action {
	return Action(knowledge.ActionFor(knowledge.Kind(k), string(c)))
}

// causeWording is the deciding API rule's own wording of its case (apis
// README, "says"): the first decisive signal that carries one.
func causeWording(v verdict.Verdict) string {
	for _, s := range v.Decisive {
		if w := s.Params["cause_wording"]; w != "" {
			return w
		}
	}
	return ""
}
