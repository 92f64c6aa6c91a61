package verdict

import (
	"why401/analyzer/internal/knowledge"

	"why401/analyzer/internal/detect"
	"why401/internal/ascii"

	"math"
	"slices"
	"sort"
	"strings"
)

// Verdict is stage 3's answer for one exchange. It is computed from signals
// alone; it never sees headers or bodies.
type Verdict struct {
	Kind       knowledge.Kind
	Confidence float64
	Vendor     string
	Scheme     string
	Cause      string
	// Ref is the reference to quote first: the chosen vendor's (Ray ID,
	// incident id), else the server's first request id; Refs are all of
	// them, that one first, each once.
	Ref  detect.Ref
	Refs []detect.Ref
	// Message and Code are what the server said in its own words
	// (detect.SigServerMessage), MessageWhere where they were read.
	Message, Code, MessageWhere string
	// Decisive are the signals that voted for Kind, strongest first.
	Decisive []detect.Signal
	// Context are signals that explain without voting: vendor presence,
	// credentials sent, request traits, earlier entries.
	Context []detect.Signal
	// Against are the strongest signals that voted for another kind.
	Against []detect.Signal
	// Withheld is the cause the signals named but a caveat made unknown
	// (missing_credentials in a sanitized capture); Cause is then "".
	Withheld string
	// Caveats are the signals that withheld it, shown last; their fixes come first.
	Caveats []detect.Signal
	// Status is the response's status code (fix parameter {{status}}); the
	// caller sets it, the signals do not decide with it.
	Status int
	// Method is the request's method ("" when the capture has no request):
	// the caller sets it, as Status; a fix step may hold to it ({{?connect}}).
	Method string
	// ProxyAuthSent: the request carried Proxy-Authorization (the caller
	// sets it; a step may hold to it with {{!proxy_credential_sent}}).
	ProxyAuthSent bool
	// Wait is what the server asked the client to wait, from the strongest
	// signal that read one (Retry-After, a rate-limit reset).
	Wait detect.Wait
}

// kindOrder breaks ties between kinds with equal scores: the more specific
// and more actionable explanation first.
var kindOrder = []knowledge.Kind{knowledge.KindProxyAuth, knowledge.KindAuth, knowledge.KindForbidden, knowledge.KindBot, knowledge.KindRateLimit, knowledge.KindOK, knowledge.KindUnknown}

// supports reports whether a signal voting for another kind than the
// verdict in fact agrees with it: an authentication reading (the body's
// "Proxy Authentication Required") beside a proxy that wants credentials,
// or the status code's general reading (a 403 to a request that carried
// credentials) beside a credential verdict the server's own words decided.
func supports(s detect.Signal, kind knowledge.Kind, spoke bool) bool {
	credential := func(k knowledge.Kind) bool {
		return k == knowledge.KindAuth || k == knowledge.KindForbidden || k == knowledge.KindProxyAuth
	}
	switch {
	case kind == knowledge.KindProxyAuth && s.Kind == knowledge.KindAuth:
		return s.Cause == "" || s.Cause == "missing_credentials" || s.Cause == "invalid_credentials"
	case s.Where == detect.WhereStatus && spoke && credential(kind) && credential(s.Kind):
		return true
	}
	return false
}

// Decide turns signals into a verdict.
//
// Confidence: each kind's score is the noisy-OR of its signals' weights,
// p = 1 − Π(1 − wᵢ). The kind with the highest score wins (ties: kindOrder).
// Evidence for another kind lowers confidence the more, the weaker the winner:
// c = p_win × (1 − p_runner_up × (1 − p_win)). When the winner is bot or
// rate_limit, vendor presence markers of the same vendor then add as one
// more noisy-OR term of weight 0.3 (presence alone never votes). Capped at 0.99,
// rounded to two decimals.
func Decide(signals []detect.Signal) Verdict {
	signals = serverFirst(signals)
	score := map[knowledge.Kind]float64{}
	for _, s := range signals {
		if s.Kind == "" || s.Weight <= 0 {
			continue
		}
		score[s.Kind] = 1 - (1-score[s.Kind])*(1-s.Weight)
	}
	v := Verdict{Kind: knowledge.KindUnknown}
	win, runner := 0.0, 0.0
	for _, k := range kindOrder {
		p := score[k]
		if p > win {
			v.Kind, runner, win = k, win, p
		} else if p > runner {
			runner = p
		}
	}
	if win == 0 {
		v.Confidence = 0.2
		v.Context = contextOf(signals, v)
		said(&v, signals)
		return v
	}
	c := win * (1 - runner*(1-win))

	// Decisive signals, strongest first; ties by id for stable output.
	for _, s := range signals {
		switch {
		case s.Kind == v.Kind:
			v.Decisive = append(v.Decisive, s)
		case s.Kind != "" && s.Weight >= 0.3 && s.Kind != knowledge.KindUnknown:
			// An "unknown" vote is the status detectors' fallback ("no
			// marker of who refused"): beside any verdict it is not
			// evidence against it, and its wording would be false.
			v.Against = append(v.Against, s)
		}
	}
	// An API file's other reading of the same answer is not evidence
	// against the one that won: the winning rule is the more specific.
	decisiveAPI := map[string]bool{}
	for _, s := range v.Decisive {
		if api := apiOf(s); api != "" {
			decisiveAPI[api] = true
		}
	}
	// Evidence is "against" only when it points away from the verdict:
	// not a proxy's own words about authentication beside a proxy_auth
	// verdict, nor the status code's general reading when the server's own
	// words explain that status (third review m10, A-16).
	spoke := slices.ContainsFunc(v.Decisive, func(s detect.Signal) bool { return detect.IsServerMessage(s.ID) })
	against := v.Against[:0]
	for _, s := range v.Against {
		if decisiveAPI[apiOf(s)] && apiOf(s) != "" || supports(s, v.Kind, spoke) {
			continue
		}
		against = append(against, s)
	}
	v.Against = against
	sortSignals(v.Decisive)
	sortSignals(v.Against)

	// Vendor: the one with the most weight behind the winning kind. A CAPTCHA
	// widget names the vendor only when no bot manager served the page.
	if v.Kind == knowledge.KindBot || v.Kind == knowledge.KindRateLimit || v.Kind == knowledge.KindForbidden && hasRole(v.Decisive, detect.RolePolicy) {
		v.Vendor = pickVendor(v.Decisive)
		if v.Vendor != "" {
			for _, s := range signals {
				if s.Vendor == v.Vendor && s.Role == detect.RolePresence {
					c = 1 - (1-c)*(1-0.3)
					break
				}
			}
		}
	}
	// Scheme: the strongest decisive signal that names one, else what the request sent.
	for _, s := range v.Decisive {
		if s.Scheme != "" {
			v.Scheme = s.Scheme
			break
		}
	}
	if v.Scheme == "" && (v.Kind == knowledge.KindAuth || v.Kind == knowledge.KindForbidden || v.Kind == knowledge.KindProxyAuth) {
		for _, s := range signals {
			if s.ID == "credential-sent" && s.Scheme != "" {
				v.Scheme = s.Scheme
				break
			}
		}
	}
	if c := pickCause(serverOnly(v.Decisive)); v.Kind == knowledge.KindAuth && c != "" && !genericCause(c) {
		// The server named a specific cause: a request-side suspicion (a
		// placeholder, a malformed value) explains less than the server did.
		v.Cause = c
	} else if v.Vendor != "" {
		// The cause is the chosen vendor's: a Turnstile widget inside a
		// Cloudflare challenge page is a challenge, not a bare CAPTCHA.
		var own []detect.Signal
		for _, s := range v.Decisive {
			if s.Vendor == "" || s.Vendor == v.Vendor {
				own = append(own, s)
			}
		}
		v.Cause = pickCause(own)
	} else {
		v.Cause = pickCause(v.Decisive)
	}
	// The server named the cause in its own words: it stands.
	for _, s := range v.Decisive {
		if detect.IsServerMessage(s.ID) && s.Cause != "" && (v.Cause == "" || !genericCause(s.Cause) || genericCause(v.Cause)) {
			v.Cause = s.Cause
			if s.Scheme != "" && v.Scheme == "" {
				v.Scheme = s.Scheme
			}
			break
		}
	}
	for _, s := range v.Decisive {
		if s.Ref.Value != "" && (v.Vendor == "" || s.Vendor == v.Vendor) {
			v.Ref = s.Ref
			break
		}
	}
	if v.Ref.Value == "" && v.Vendor != "" {
		for _, s := range signals {
			if s.Vendor == v.Vendor && s.Ref.Value != "" {
				v.Ref = s.Ref
				break
			}
		}
	}
	said(&v, signals)
	// A sanitized capture (a story signal) leaves credentials unknown, not
	// missing: the cause that rests on them is withheld.
	if v.Cause == "missing_credentials" || v.Cause == "invalid_credentials" && v.Kind == knowledge.KindAuth {
		for _, s := range signals {
			if s.ID == detect.SigSanitized {
				v.Withheld, v.Cause = v.Cause, ""
				v.Caveats = append(v.Caveats, s)
				break
			}
		}
	}
	v.Confidence = math.Round(min(c, 0.99)*100) / 100
	v.Context = contextOf(signals, v)
	for _, s := range append(v.Decisive, v.Context...) {
		if !s.Wait.IsZero() {
			v.Wait = s.Wait
			break
		}
	}
	return v
}

// apiOf names the API file of an API rule's signal ("" for others).
func apiOf(s detect.Signal) string {
	if s.Params["api"] == "" || detect.IsServerMessage(s.ID) {
		return ""
	}
	id, _, _ := strings.Cut(s.ID, "/")
	return id
}

// said fills the verdict's references and the server's own message.
func said(v *Verdict, signals []detect.Signal) {
	v.Refs = references(signals, v.Ref)
	// An API that refused in its own words and gave its own request id:
	// the CDN's id in its path (cf-ray) is not what its support asks for.
	// Likewise a proxy that refused (a 407, a proxy's access rule, a
	// provider's own error): the reference is the layer that refused, the
	// proxy's or provider's id (Zyte-Request-Id), not the CDN's in front.
	proxyRefused := v.Kind == knowledge.KindProxyAuth || v.Cause == "proxy_rule" || v.Cause == "provider_error"
	if (proxyRefused || v.Vendor == "" && slices.ContainsFunc(v.Decisive, func(s detect.Signal) bool { return apiOf(s) != "" || detect.IsServerMessage(s.ID) && s.Kind != "" })) &&
		slices.ContainsFunc(v.Refs, func(r detect.Ref) bool { return !cdnRef(r) }) {
		v.Refs = slices.DeleteFunc(v.Refs, cdnRef)
		if cdnRef(v.Ref) {
			v.Ref = detect.Ref{}
		}
	}
	if v.Ref.Value == "" && len(v.Refs) > 0 {
		v.Ref = v.Refs[0]
	}
	for _, s := range signals {
		if detect.IsServerMessage(s.ID) {
			v.Message, v.Code, v.MessageWhere = s.Params["server_message"], s.Params["server_code"], s.Params["server_where"]
			break
		}
	}
}

// cdnRef: the reference is a CDN's id for the hop (Cloudflare's cf-ray),
// not the application's.
func cdnRef(r detect.Ref) bool { return ascii.EqualFold(r.Label, "cf-ray") }

// references lists every reference id of the signals, first the one
// chosen, then the server's request ids, then other vendors', each once.
func references(signals []detect.Signal, first detect.Ref) []detect.Ref {
	var out []detect.Ref
	add := func(r detect.Ref) {
		if r.Value == "" {
			return
		}
		for _, o := range out {
			if o.Value == r.Value {
				return
			}
		}
		out = append(out, r)
	}
	add(first)
	for _, s := range signals {
		if s.ID == detect.SigRequestID {
			add(s.Ref)
		}
	}
	for _, s := range signals {
		if s.Vendor != "" && s.Kind != "" {
			add(s.Ref)
		}
	}
	return out
}

// explicitAnswer is the score from which the server's own signals (status,
// headers, body) decide alone: a 429, a Retry-After, an API's error code, a
// challenge page. Below it (a bare 403 to a request with credentials, an HTML
// hint) request-side suspicions vote with them.
const explicitAnswer = 0.5

// serverFirst applies the rule that the server's explicit answer decides:
// when the server's own signals make a kind of at least explicitAnswer,
// request-side suspicions of another kind stop voting and become context,
// with a caveat in their text. A placeholder credential beside a 429 quota
// answer means the capture was redacted, not that the key was malformed.
func serverFirst(signals []detect.Signal) []detect.Signal {
	score := map[knowledge.Kind]float64{}
	any := false
	for _, s := range signals {
		if s.Suspicion {
			any = true
		} else if s.Kind != "" && s.Weight > 0 {
			score[s.Kind] = 1 - (1-score[s.Kind])*(1-s.Weight)
		}
	}
	if !any {
		return signals
	}
	server, best := knowledge.Kind(""), 0.0
	for _, k := range kindOrder {
		if score[k] > best {
			server, best = k, score[k]
		}
	}
	if best < explicitAnswer || server == knowledge.KindUnknown {
		return signals
	}
	out := make([]detect.Signal, len(signals))
	copy(out, signals)
	for i := range out {
		if s := &out[i]; s.Suspicion && s.Kind != server {
			s.Kind, s.Weight, s.Suspicion, s.Demoted = "", 0, false, true
			s.Text += " (read from the request only; the server's explicit answer decides the verdict)"
		}
	}
	return out
}

// serverOnly is decisive without the request-side suspicions, for a caller
// that only reads it: decisive itself when it holds none.
func serverOnly(decisive []detect.Signal) []detect.Signal {
	for i := range decisive {
		if decisive[i].Suspicion {
			out := append([]detect.Signal(nil), decisive[:i]...)
			for _, s := range decisive[i+1:] {
				if !s.Suspicion {
					out = append(out, s)
				}
			}
			return out
		}
	}
	return decisive // nothing to leave out (most verdicts): read, not copied
}

func sortSignals(s []detect.Signal) {
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Weight != s[j].Weight {
			return s[i].Weight > s[j].Weight
		}
		if s[i].Vendor != s[j].Vendor {
			return s[i].Vendor < s[j].Vendor
		}
		return s[i].ID < s[j].ID
	})
}

func pickVendor(decisive []detect.Signal) string {
	weight := map[string]float64{}
	for _, s := range decisive {
		if s.Vendor != "" {
			weight[s.Vendor] = 1 - (1-weight[s.Vendor])*(1-s.Weight)
		}
	}
	best, bestW := "", -1.0
	ids := make([]string, 0, len(weight))
	for id := range weight {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		w := weight[id]
		if vf := knowledge.Vendor(id); vf == nil || vf.Kind != "captcha" {
			w += 10 // a bot manager outranks the widget it serves
		}
		if w > bestW {
			best, bestW = id, w
		}
	}
	return best
}

// genericCause: the cause says no more than "rejected" or "absent"
// (causes.json), so a suspicion from the request may be more specific.
func genericCause(id string) bool {
	c := knowledge.CauseByID(id)
	return c != nil && c.Generic
}

// pickCause chooses among the causes the strongest decisive signals name,
// by their priority in causes.json.
func pickCause(decisive []detect.Signal) string {
	if len(decisive) == 0 {
		return ""
	}
	top := decisive[0].Weight
	last := 0 // a cause outside the vocabulary ranks with the last
	if list, _ := knowledge.Causes(); len(list) > 0 {
		last = list[len(list)-1].Priority
	}
	best, bestRank := "", 2*last+2
	scopeRank, scoped := last, false
	if c := knowledge.CauseByID("insufficient_scope"); c != nil {
		scopeRank = c.Priority
	}
	for _, s := range decisive {
		scoped = scoped || s.Cause == "insufficient_scope" && !s.Suspicion && s.Weight >= 0.7*top
	}
	for _, s := range decisive {
		if s.Cause == "" || s.Weight < 0.7*top {
			continue
		}
		r := 2 * last
		if c := knowledge.CauseByID(s.Cause); c != nil {
			r = 2 * c.Priority
			if c.Generic && scoped {
				// A refusal that names a missing scope (an API file's
				// scope rule, a scope message, a listed required scope)
				// says what was wrong with the credentials: "rejected the
				// credentials" beside "re-authorise with the scope" would
				// contradict it (review 4 r05: Dropbox's 401 missing_scope).
				r = 2*scopeRank + 1
			}
		}
		if r < bestRank || best == "" {
			best, bestRank = s.Cause, r
		}
	}
	return best
}

// contextOf keeps the non-voting signals that explain this verdict.
func contextOf(signals []detect.Signal, v Verdict) []detect.Signal {
	var out []detect.Signal
	// A refusal the server explained in its own words is not about the
	// client's traits (its User-Agent, its headers): those explain blocks.
	explained, notClient, address := false, false, false
	for _, s := range signals {
		// A ban on the client's address (an IP or a country): its
		// User-Agent and headers explain nothing.
		address = address || s.Kind == v.Kind && s.Params[detect.ParamAddressBan] != ""
		explained = explained || detect.IsServerMessage(s.ID) && s.Params["server_where"] != "page" ||
			// An API file's rule that read the API's own error (a JSON or
			// XML code or message) for this verdict: the CDN in its path
			// explains nothing about it either.
			s.Kind == v.Kind && s.Params["api"] != "" && s.Where == detect.WhereBody
		// An origin or a proxy provider that failed on its side: the
		// client's traits explain nothing.
		notClient = notClient || s.Kind != "" && (s.Cause == "origin_error" || s.Cause == "provider_error")
	}
	for _, s := range signals {
		if s.Kind != "" {
			continue
		}
		switch {
		case s.ID == detect.SigSanitized:
			// Shown among the caveats, and only where it withheld a cause.
		case detect.IsServerMessage(s.ID) || s.ID == detect.SigRequestID:
			// The report quotes them on their own (message, references).
		case s.ID == detect.SigBlockOnset:
			if v.Kind == knowledge.KindBot || v.Kind == knowledge.KindRateLimit {
				out = append(out, s)
			}
		case strings.HasPrefix(s.ID, detect.SigHeadsUp+"/"):
			if v.Kind == knowledge.KindOK {
				out = append(out, s)
			}
		case s.Role == detect.RolePresence && v.Kind == knowledge.KindOK && s.Where == detect.WhereBody:
			// A vendor's script or widget on a page that was served: a
			// heads-up, not a block.
			h := headsUp(s)
			if !slices.ContainsFunc(out, func(o detect.Signal) bool { return o.Text == h.Text }) {
				out = append(out, h)
			}
			out = append(out, s)
		case s.Role == detect.RolePresence && slices.ContainsFunc(v.Decisive, func(d detect.Signal) bool { return d.ID == s.ID }):
			// The same rule already decided (a gateway's page that voted
			// for its cause): said once.
		case s.Role == detect.RolePresence && explained && s.Vendor != v.Vendor:
			// An API that refused in its own words (a JSON or XML error):
			// the CDN in its path (server: cloudflare, cf-cache-status,
			// __cf_bm) explains nothing about it.
		case s.Role == detect.RolePresence:
			if v.Kind == knowledge.KindBot || v.Kind == knowledge.KindRateLimit || s.Vendor == v.Vendor {
				if v.Vendor == "" || s.Vendor == v.Vendor {
					out = append(out, s)
				}
			} else if v.Kind == knowledge.KindAuth || v.Kind == knowledge.KindForbidden {
				// Shown so the user sees why a CDN in the path is not a block.
				out = append(out, s)
			}
		case s.ID == detect.SigBodyCredential:
			// A password in the body matters beside "no credentials"
			// only (the summary and the fix say it); elsewhere it is noise.
			if v.Cause == "missing_credentials" {
				out = append(out, s)
			}
		case s.ID == detect.SigJWTNotExpired:
			// Beside an authentication failure only: the token was still
			// valid by its clock, so expiry is not the reason.
			if v.Kind == knowledge.KindAuth && (v.Cause == "invalid_credentials" || v.Cause == "") {
				out = append(out, s)
			}
		case s.ID == "credential-redacted" || s.Demoted:
			// The caveat that the verdict rests on the server's answer.
			if v.Kind != knowledge.KindOK {
				out = append(out, s)
			}
		case s.ID == detect.SigWAFTrigger && (v.Kind == knowledge.KindRateLimit || notClient || s.Params[detect.ParamWAFMeta] != "" && !signatureBlock(v)):
			// A rate limit or an origin's failure: the input explains nothing.
		case s.ID == detect.SigClientIP && notClient:
			// An origin that failed: the client's address explains nothing.
		case s.Where == detect.WhereRequest && s.ID != "credential-sent" && s.ID != detect.SigBodyCredential && (notClient || address) && s.Role != detect.RolePresence:
		case (s.ID == "library-user-agent" || s.ID == detect.SigHeadlessUA) && (v.Cause == "proxy_rule" || s.Params[detect.ParamAPIAnswer] != "" && v.Kind != knowledge.KindBot && knowledge.Vendor(v.Vendor) == nil):
			// What bot managers make of the User-Agent explains nothing
			// where no bot layer decided: a proxy's access rule, an API's
			// own JSON or XML error.
		case s.Where == detect.WhereRequest && s.ID != "credential-sent" && s.ID != detect.SigBodyCredential:
			// An API's own quota message explains a rate limit: the client's
			// traits (an SDK's User-Agent) do not.
			if v.Kind == knowledge.KindBot || v.Kind == knowledge.KindRateLimit && (v.Vendor != "" || !explained) || v.Kind == knowledge.KindUnknown || v.Kind == knowledge.KindForbidden && !explained {
				out = append(out, s)
			}
		default:
			if v.Kind != knowledge.KindOK {
				out = append(out, s)
			}
		}
	}
	return out
}

// headsUp turns a vendor's presence on a served page into a heads-up.
func headsUp(s detect.Signal) detect.Signal {
	name, kind := s.Vendor, ""
	if vf := knowledge.Vendor(s.Vendor); vf != nil {
		name, kind = vf.Name, vf.Kind
	}
	h := s
	h.ID = detect.SigHeadsUp + "/" + s.ID
	if kind == "captcha" {
		h.Text = "the page holds a CAPTCHA widget (" + name + "): a scripted form submission needs it solved"
	} else {
		h.Text = name + "'s script is on this page: no block now, but a client that cannot run it may be challenged later"
	}
	return h
}

func hasRole(sig []detect.Signal, role string) bool {
	for _, s := range sig {
		if s.Role == role {
			return true
		}
	}
	return false
}

// signatureBlock: the verdict is a block by a vendor that matches attack
// signatures (a "waf" kind, or a file with "signatures"), or by a page no
// vendor claims: a lone quote in the request may explain it. A bot
// manager's score or an address ban it never explains.
func signatureBlock(v Verdict) bool {
	if v.Cause != "block" {
		return false
	}
	vf := knowledge.Vendor(v.Vendor)
	return vf == nil || vf.Kind == "waf" || vf.Signatures
}
