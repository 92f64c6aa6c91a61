package verdict

import (
	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/detect"

	"why401/analyzer/internal/knowledge"
	"why401/internal/ascii"

	"slices"
	"strconv"
	"strings"
)

const maxFixes = 4

// Fixes chooses what to do about a verdict: the API's own advice first, then
// the vendor's, then generic fixes for the kind, scheme and cause. Steps that
// quote a {{param}} no signal supplied are left out rather than shown with a hole.
func Fixes(v Verdict) []knowledge.Fix {
	params := map[string]string{}
	have := map[string]bool{}
	all := append(append([]detect.Signal{}, v.Decisive...), v.Context...)
	for i := len(all) - 1; i >= 0; i-- { // strongest last, so it wins
		for k, val := range all[i].Params {
			params[k] = val
		}
		have[all[i].ID] = true
	}
	if v.Vendor != "" {
		params["vendor"] = v.Vendor
		if vf := knowledge.Vendor(v.Vendor); vf != nil {
			params["vendor_name"] = vf.Name
		}
	}
	if v.Ref.Value != "" {
		params["reference"] = v.Ref.String()
	}
	if v.Message != "" {
		params["server_message"] = v.Message
	}
	if v.Code != "" {
		params["server_code"] = v.Code
	}
	// A withheld cause still chooses the fixes: what to check if the
	// credentials were indeed missing.
	cause := v.Cause
	if cause == "" {
		cause = v.Withheld
	}
	params["scheme"] = v.Scheme
	params["cause"] = cause
	if cause != "" {
		params["cause_"+cause] = cause // a step may hold to a cause: {{!cause_quota_spent}}
	}
	if v.Status > 0 {
		params["status"] = strconv.Itoa(v.Status)
	}
	// A retry keyed on the status fits only an error status: a refusal
	// inside a 200 (GraphQL's THROTTLED) retried by its status would retry
	// every success.
	if v.Status >= 400 {
		params["retry_status"] = params["status"]
	}
	// Conditions a step may hold to ({{?name}}, {{!name}}): a CONNECT
	// tunnel; the request sent proxy credentials.
	if ascii.EqualFold(v.Method, "CONNECT") {
		params["connect"] = "CONNECT"
	}
	if v.ProxyAuthSent {
		params["proxy_credential_sent"] = "Proxy-Authorization"
	}
	// A step that tells the user to send "Authorization: Bearer …" holds to
	// {{?bearer_fits}}: not when the server's challenge names its schemes
	// and Bearer is not one (other_scheme: a Token, SSWS or Basic challenge;
	// challenge_header: Keystone's, whose token goes in X-Auth-Token).
	if params["other_scheme"] == "" && params["challenge_header"] == "" {
		params["bearer_fits"] = "Bearer"
	}

	var out []knowledge.Fix
	seen, said := map[string]bool{}, map[string]bool{}
	add := func(f knowledge.Fix) {
		if len(out) >= maxFixes || seen[f.Title] || f.Action != "" && params[didParam(f.Action)] != "" {
			return // one group per idea: an earlier fix did this
		}
		if g, ok := fill(f, params); ok && !seen[g.Title] { // a title's {{param|fallback}} may fill to another fix's title
			// A step an earlier fix already gave is not said again.
			steps := g.Steps[:0]
			for _, st := range g.Steps {
				if !said[st] {
					said[st] = true
					steps = append(steps, st)
				}
			}
			if g.Steps = steps; len(steps) == 0 {
				return
			}
			seen[f.Title], seen[g.Title] = true, true
			out = append(out, g)
			if f.Action != "" {
				params[didParam(f.Action)] = f.Action
			}
			if f.CredentialOK {
				params["did_credential_ok"] = "yes"
			}
		}
	}
	// The server's own words first: a fix its message names comes before
	// every other.
	// An empty Basic password or user-id explains the server's words: its
	// fix leads.
	decisive := make([]detect.Signal, 0, len(v.Decisive))
	for _, s := range v.Decisive {
		if s.ID == detect.SigBasicEmpty {
			decisive = append(decisive, s)
		}
	}
	for _, s := range v.Decisive {
		if detect.IsServerMessage(s.ID) {
			decisive = append(decisive, s)
		}
	}
	for _, s := range v.Decisive {
		if !detect.IsServerMessage(s.ID) && !anyHostAPI(s) && s.ID != detect.SigBasicEmpty {
			decisive = append(decisive, s)
		}
	}
	// A file that reads an error shape on any host (RFC 6749's token
	// errors) speaks last: an API that knows the host says it for its case.
	for _, s := range v.Decisive {
		if !detect.IsServerMessage(s.ID) && anyHostAPI(s) {
			decisive = append(decisive, s)
		}
	}
	// When the server's message named the fix, the other rules' fixes for
	// the same verdict say it again in general terms: they are left out.
	named, apiSpoke := false, false
	for _, s := range decisive {
		if named && !detect.IsServerMessage(s.ID) && s.Kind == v.Kind && len(s.Fixes) > 0 {
			continue
		}
		if anyHostAPI(s) && apiSpoke {
			continue
		}
		n := len(out)
		for _, f := range s.Fixes {
			add(f)
		}
		for _, id := range s.FixIDs {
			if f := knowledge.NamedFix(id); f != nil && !repeats(*f, params, out) {
				// A fix of fixes.json a signal asks for: not when an
				// earlier (the API's) fix quoted the same values.
				add(*f)
			}
		}
		named = named || detect.IsServerMessage(s.ID) && len(out) > n
		apiSpoke = apiSpoke || len(out) > n && (detect.IsServerMessage(s.ID) || s.Params["api"] != "")
	}
	if vf := knowledge.Vendor(v.Vendor); vf != nil {
		// A rule's own fixes (Cloudflare 1010 is not 1020, a DataDome IP
		// ban is not its CAPTCHA) replace the cause's general ones, which
		// would say the same less precisely, or contradict them.
		ruled := false
		for _, s := range v.Decisive {
			if rule, ok := strings.CutPrefix(s.ID, vf.ID+"/"); ok && s.Vendor == vf.ID {
				n := len(out)
				for _, f := range vf.Fixes[rule] {
					add(f)
				}
				ruled = ruled || len(out) > n
			}
		}
		if !ruled {
			for _, f := range vf.Fixes[cause] {
				add(f)
			}
		}
	}
	gf, _ := knowledge.GenericFixes()
	// The API's, the vendor's or the message's own fixes said it for this
	// case: a generic fix then comes only for what the capture itself
	// fills in (a step with a {{param}} from the signals) or what a signal
	// asks for (needs).
	specific := len(out) > 0
	// Most specific first: scheme and cause, then cause, then kind alone.
	for pass := 0; pass < 3; pass++ {
		for _, g := range gf {
			if g.Kind == "" || g.Kind != v.Kind {
				continue // a named fix comes only when a signal asks for it
			}
			spec := 0
			if g.Scheme != "" {
				if g.Scheme != v.Scheme {
					continue
				}
				spec++
			}
			if g.Cause != "" {
				if g.Cause != cause {
					continue
				}
				spec++
			}
			if 2-spec != pass {
				continue
			}
			if spec == 0 && len(g.Needs) == 0 && len(out) > 0 {
				// The kind's general advice ("get the permission", "use an
				// allowed route") only when nothing more specific was said.
				continue
			}
			if specific && (g.Alone || len(g.Needs) == 0 && !fillsFromCapture(g.Fix, params)) {
				continue
			}
			if repeats(g.Fix, params, out) {
				// An earlier fix already quotes the values of the capture
				// this one would (the reset time, the Retry-After time, the
				// input a WAF matched): a second group would say it again
				// in general terms.
				continue
			}
			ok := true
			for _, n := range g.Needs {
				ok = ok && have[n]
			}
			for _, n := range g.Unless {
				ok = ok && !have[n]
			}
			vkind := ""
			if vf := knowledge.Vendor(v.Vendor); vf != nil && v.Vendor != "" {
				vkind = vf.Kind
			}
			if len(g.VendorKinds) > 0 && !slices.Contains(g.VendorKinds, vkind) || slices.Contains(g.NotVendorKinds, vkind) && vkind != "" || slices.Contains(g.NotSchemes, v.Scheme) {
				ok = false
			}
			if ok {
				add(g.Fix)
			}
		}
	}
	// A caveat's fixes come first, beyond maxFixes: getting a capture that
	// can be judged comes before acting on the judgement.
	var first []knowledge.Fix
	for _, s := range v.Caveats {
		first = append(first, s.Fixes...)
		for _, id := range s.FixIDs {
			if f := knowledge.NamedFix(id); f != nil {
				if g, ok := fill(*f, params); ok {
					first = append(first, g)
				}
			}
		}
	}
	if first != nil {
		out = append(first, out...)
	}
	return out
}

// anyHostAPI: the signal is a rule of an API file that matches an error
// shape on any host and names no host or header of its own (RFC 6749's
// token errors: apis/README.md, "any").
func anyHostAPI(s detect.Signal) bool {
	if s.Params["api"] == "" || detect.IsServerMessage(s.ID) {
		return false
	}
	id, _, _ := strings.Cut(s.ID, "/")
	files, _ := knowledge.APICatalog()
	for _, f := range files {
		if f.ID == id {
			return f.Any && len(f.Hosts) == 0 && len(f.Headers) == 0
		}
	}
	return false
}

// repeats: f would only say again what earlier fixes said. It quotes at
// least one value of the capture, and every value of the capture it quotes
// is already in an earlier fix's title or steps: the generic "wait for the
// quota to reset" after the API's own fix that quoted the reset time, the
// generic "remove the input" after a vendor's fix that named the input its
// WAF matched. What f quotes is read in its title and in the steps it
// would show (a step whose {{param}} the capture does not fill is not
// shown). A value counts only when it can come from nowhere but the
// capture (capturedValue): a realm "security" or a header's name is in
// many fixes' text and proves nothing either way; nor do the verdict's
// own values (scheme, cause, status, the reference, the vendor, the
// server's message), which every fix of the verdict may quote.
func repeats(f knowledge.Fix, params map[string]string, out []knowledge.Fix) bool {
	n := 0
	for _, st := range append([]string{f.Title}, f.Steps...) {
		if _, ok := knowledge.Fill(st, params); !ok {
			continue
		}
		for name := range knowledge.Params(st) {
			switch name {
			case "scheme", "cause", "status", "retry_status", "reference", "vendor", "vendor_name", "server_message", "server_code":
				continue
			}
			v := params[name]
			if !capturedValue(v) {
				continue // a condition ({{?name}}), an empty or a word-like value
			}
			if !slices.ContainsFunc(out, func(o knowledge.Fix) bool {
				return strings.Contains(o.Title, v) || slices.ContainsFunc(o.Steps, func(t string) bool { return strings.Contains(t, v) })
			}) {
				return false
			}
			n++
		}
	}
	return n > 0
}

// capturedValue: v, a {{param}}'s value, is the capture's own: 8 bytes or
// more and not a bare word or header name (letters, '-' and '_' only) — a
// time, an id, a URL, an input.
func capturedValue(v string) bool {
	if len(v) < 8 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_') {
			return true
		}
	}
	return false
}

// fillsFromCapture: some step of f that would be shown quotes a {{param}}
// the signals supply (other than the verdict's own scheme and cause).
func fillsFromCapture(f knowledge.Fix, params map[string]string) bool {
	for _, st := range f.Steps {
		if _, ok := knowledge.Fill(st, params); !ok {
			continue
		}
		for name := range knowledge.Params(st) {
			if name != "scheme" && name != "cause" && name != "status" && name != "retry_status" && params[name] != "" {
				return true
			}
		}
	}
	return false
}

// didParam is the parameter a fix of that action sets once given
// ("new-token": did_new_token), for later steps' {{!did_…}} conditions.
func didParam(action string) string {
	return "did_" + strings.ReplaceAll(action, "-", "_")
}

// fill replaces {{name}} placeholders; a step or snippet with an unknown one is
// dropped. A fix with no step left is dropped.
func fill(f knowledge.Fix, params map[string]string) (knowledge.Fix, bool) {
	title, ok := knowledge.Fill(f.Title, params)
	if !ok {
		return knowledge.Fix{}, false
	}
	g := knowledge.Fix{Title: title, Action: f.Action, CredentialOK: f.CredentialOK}
	for _, s := range f.Steps {
		if t, ok := knowledge.Fill(s, params); ok {
			g.Steps = append(g.Steps, t)
		}
	}
	for _, c := range f.Code {
		if t, ok := knowledge.Fill(c.Text, params); ok {
			g.Code = append(g.Code, knowledge.Snippet{Lang: c.Lang, Text: t})
		}
	}
	return g, len(g.Steps) > 0
}

// The fixes.json ids the verdict asks for itself (TestFixIDs holds each to
// a fix of fixes.json).
const (
	// fixCaptureMore is the generic advice to capture headers and body.
	fixCaptureMore = "capture-more"
	// fixCompareWorking is the advice to compare with a request that works.
	fixCompareWorking = "compare-working-request"
)

// WithoutCaptureMore drops the "capture more" advice where it cannot help: a
// curl -v transcript already holds every header (there, the next step is to
// compare with a request that works), and a status-0 HAR entry has no answer
// to capture (its own fix says which client layer failed).
func WithoutCaptureMore(fixes []knowledge.Fix, ex *capture.Exchange) []knowledge.Fix {
	captureMore := knowledge.NamedFix(fixCaptureMore)
	// Nothing more to capture: a curl -v transcript, a status-0 entry, or
	// a response whose headers and body are both there.
	complete := len(ex.Response.Fields) > 1 && len(ex.Response.Body) > 0
	if len(ex.Info) == 0 && ex.Response.Status != 0 && !complete || captureMore == nil {
		return fixes
	}
	out := fixes[:0]
	dropped := false
	for _, f := range fixes {
		// Fixes are told apart by title (Fixes shows a title once), and
		// this one's quotes no {{param}}: its title is its fixes.json title.
		if f.Title == captureMore.Title {
			dropped = true
			continue
		}
		out = append(out, f)
	}
	if f := knowledge.NamedFix(fixCompareWorking); dropped && ex.Response.Status != 0 && f != nil {
		out = append(out, *f)
	}
	return out
}
