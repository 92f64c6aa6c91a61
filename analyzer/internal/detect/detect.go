package detect

import (
	"slices"
	"strings"
	"sync"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
	"why401/internal/ascii"
)

// Signals is stage 2 without the cross-entry story: it depends on nothing but
// the exchange, so HAR entries run it in parallel.
func Signals(ex *capture.Exchange, lim capture.Limits, w *capture.Warnings) []Signal {
	b := bodyScratch.Get().(*respBody)
	clear(b.seen) // zeroed bits read as "none found", like nil
	*b = respBody{m: &ex.Response, low: b.low[:0], seen: b.seen, hits: b.hits[:0]}
	sig := signals(ex, lim, w, b)
	if cap(b.low) > 64<<10 {
		b.low = nil // a large body's copy is not held between exchanges
	}
	b.m = nil
	bodyScratch.Put(b)
	return sig
}

// bodyScratch recycles the response body as the detectors read it (its
// lowered copy, the automaton's bits and hits) from one exchange to the
// next: nothing a detector returns points into it (its strings are copies).
var bodyScratch = sync.Pool{New: func() any { return new(respBody) }}

// signals is Signals with the response body as the detectors read it (read
// once, for every detector; the tests look at what they read).
func signals(ex *capture.Exchange, lim capture.Limits, w *capture.Warnings, body *respBody) []Signal {
	var sig []Signal
	sig = append(sig, challengeSignals(ex, lim, w)...)
	sig = append(sig, credentialSignals(ex)...)
	if st := statusSignals(ex, body); len(sig) == 0 {
		sig = st // statusSignals' slice is its own: kept, not copied
	} else {
		sig = append(sig, st...)
	}
	resp := &ex.Response
	switch {
	case resp.Status == 0:
	case resp.Status >= 400 || resp.Status == 202:
		sig = append(sig, vendorSignals(ex, body)...)
		sig = append(sig, apiSignals(ex, body)...)
		sig = append(sig, graphqlSignals(ex, body)...)
		sig = gateSignals(ex, sig, body)
		sig = edgeAccessSignals(ex, sig)
		sig = append(sig, saidSignals(ex, sig)...)
		sig = append(sig, scopeSignals(ex, body, sig)...)
	case len(resp.Body) > 0:
		// A success pays for scanning only when it can hide something:
		// a challenge page served as 200 (F5, Imperva, Anubis), a site's
		// own human check, an API error in a 200 (Slack).
		if body.isHTML() {
			sig = append(sig, vendorSignals(ex, body)...)
			sig = gateSignals(ex, sig, body)
		} else if body.isJSON() {
			sig = append(sig, apiSignals(ex, body)...)
			sig = append(sig, graphqlSignals(ex, body)...)
			if hasKindOtherThan(sig, knowledge.KindOK) || body.errorShaped() {
				// An API's refusal inside a 200 (Slack's ok:false, a JSON
				// status that says sign-in is required): its words too,
				// which vote when they name a cause (messages.json).
				sig = append(sig, saidSignals(ex, sig)...)
				sig = append(sig, scopeSignals(ex, body, sig)...)
			}
		}
	}
	sig = signInSignals(ex, sig, body)
	sig = bareKeyDocumented(ex, sig)
	sig = codeOverStatus(sig)
	sig = explainedRefusal(ex, sig)
	sig = fitToRequest(ex, sig)
	// Request traits explain blocks: a success pays for them only when it
	// looks like a challenge page.
	if resp.Status >= 400 || hasKind(sig, knowledge.KindBot) {
		sig = append(sig, requestTraits(ex, body)...)
	}
	if resp.Status >= 400 || hasKind(sig, knowledge.KindBot) {
		// A WAF's block page may come with 200 (F5 ASM's).
		sig = append(sig, wafTriggerSignals(ex)...)
	}
	return sig
}

// explainedRefusal: a 403 whose server explains the refusal in its own
// words, none of them about credentials ("You can not validate a
// deactivated Verification.", a plan or state rule), is a refusal of the
// operation: a request-side suspicion about the credential's form (a key
// without a scheme word, as a recorder's redaction leaves it) no longer
// decides it, and the 403 votes forbidden. The words are words.json's auth-words; a message of fewer
// than three words ("Forbidden") explains nothing.
func explainedRefusal(ex *capture.Exchange, sig []Signal) []Signal {
	if ex.Response.Status != 403 {
		return sig
	}
	msg, at := "", -1
	for i, s := range sig {
		switch {
		case s.ID == SigServerMessage && s.Kind == "":
			msg = s.Params["server_message"]
		case s.ID == "malformed-credential":
			at = i
		case s.Kind == knowledge.KindAuth || s.Kind == knowledge.KindForbidden && s.ID != "403":
			return sig // something else reads it already (an API file's rule, the permission words)
		}
	}
	if at < 0 || len(strings.Fields(msg)) < 3 {
		return sig
	}
	low := strings.ToLower(msg)
	for _, w := range list(authWords) {
		if strings.Contains(low, w) {
			return sig
		}
	}
	sig[at].Weight = 0.45
	sig[at].Text += "; but the server's 403 explains the refusal in words that are not about credentials"
	return append(sig, Signal{ID: "403-explained", Kind: knowledge.KindForbidden, Weight: 0.6, Where: WhereStatus, Entry: -1,
		Text: "HTTP 403 with the server's own reason, not about credentials: the operation is refused, not the caller's identity"})
}

func hasKindOtherThan(sig []Signal, k knowledge.Kind) bool {
	for _, s := range sig {
		if s.Kind != "" && s.Kind != k {
			return true
		}
	}
	return false
}

func hasKind(sig []Signal, k knowledge.Kind) bool {
	for _, s := range sig {
		if s.Kind == k {
			return true
		}
	}
	return false
}

// fitToRequest lets the request settle what the server's general words
// leave open: "not logged in" to a request that carried only a session
// cookie is a session that ended (expired_session, cookie), not a request
// without credentials.
//
// And the scheme is the one the request used (docs/report.md): a
// credential sent with Basic, Digest, NTLM, Negotiate or AWS4-HMAC-SHA256
// is that scheme even where an API file's or a message's rule speaks of
// tokens or keys (a Stripe key as Basic's user name is basic). A Bearer
// credential keeps the rule's word (what the API takes: a Slack token sent
// to OpenAI is still refused as a key); without one, the verdict reads what
// was sent (session.go: bearer for a token of words.json's token-kinds,
// apikey for a static key). The server's own challenge (WWW-Authenticate)
// is left as it is: it says what the server wants.
func fitToRequest(ex *capture.Exchange, sig []Signal) []Signal {
	sent := authorizationScheme(ex)
	for i := range sig {
		s := &sig[i]
		if s.Kind != knowledge.KindAuth && s.Kind != knowledge.KindForbidden {
			continue
		}
		if s.Cause == "missing_credentials" && s.Params["api"] != "" && s.Scheme != "" {
			// An API file's "no credentials" to a request that carried
			// another scheme's (a Bearer JWT to an IAM-authorised API
			// Gateway method): sent, but not in the form this API reads.
			if other := otherScheme(ex, s.Scheme); other != "" {
				s.Cause = "malformed_credentials"
				s.Text += "; the request carried " + schemeWord(other) + " credentials, not the " + schemeWord(s.Scheme) + " ones this API reads here"
			}
		}
		if sent != "" && s.Scheme != "" && s.Scheme != sent && (s.Scheme == "bearer" || s.Scheme == "apikey") && ruleSignal(s) {
			s.Scheme = sent
		}
		if sent != "" && s.Scheme == "bearer" && challengeReadings[s.ID] && !challengeOffers(&ex.Response, sent) {
			// Basic (or Digest, NTLM…) answered by a Bearer-only challenge:
			// the scheme is the one the request used, and the credential
			// was sent in a form the server does not take.
			s.Scheme = sent
			if (s.Cause == "invalid_credentials" || s.Cause == "expired_token") && !apiSaid(sig) {
				s.Text += "; the server's challenge does not offer " + schemeWord(sent) + ", which the request sent"
				s.Cause = "malformed_credentials"
				if s.Params == nil {
					s.Params = map[string]string{}
				}
				s.Params["offered"] = capture.Clip(ex.Response.Get("WWW-Authenticate"), 80)
				s.Params["sent"] = schemeWord(sent)
				s.FixIDs = append(s.FixIDs, fixSchemeNotOffered)
			}
		}
		if other := s.Params["other_scheme"]; other != "" && challengeReadings[s.ID] && !apiSaid(sig) {
			// A challenge that offers no Bearer (Token, SSWS, Basic, a
			// vendor's word) answered with a credential in another scheme
			// or header: the server never read it in the form it takes.
			if w := sentNotOffered(ex, strings.Split(s.Params["www_schemes"], ", ")); w != "" {
				s.Text += "; the server asks for " + s.Params["www_schemes"] + "; the request sent " + w
				if s.Cause == "invalid_credentials" || s.Cause == "expired_token" || s.Cause == "missing_credentials" {
					s.Cause = "malformed_credentials"
				}
				s.Params["sent_word"] = w
				s.FixIDs = append(s.FixIDs, fixChallengeScheme)
			}
		}
		if s.Cause != "missing_credentials" || !IsServerMessage(s.ID) || strings.Count(s.ID, "/") > 1 {
			continue // an API file's own rule knows its API
		}
		if cause, scheme := requestCause(ex); cause == "expired_session" {
			s.Cause = cause
			if s.Scheme == "" {
				s.Scheme = scheme
			}
		}
	}
	return sig
}

// sentNotOffered is how the request sent its credential when the
// challenge's schemes (offered, the server's words) do not take it: the
// Authorization scheme word ("Bearer"), or the header that carried a key
// when there was no Authorization ("the X-Api-Key header"); "" when the
// request sent an offered scheme, nothing, or only cookies. A scheme is
// offered under another name when both words mean one scheme of the
// report's vocabulary (OAuth and Bearer, Kerberos and Negotiate); the
// API-key words (Token, SSWS, Key…) are each their own.
func sentNotOffered(ex *capture.Exchange, offered []string) string {
	takes := func(w string) bool {
		id := SchemeID(w)
		return slices.ContainsFunc(offered, func(o string) bool {
			return strings.EqualFold(o, w) || id != "" && id != "apikey" && SchemeID(o) == id
		})
	}
	header := ""
	for _, c := range credentialsOf(ex) {
		switch {
		case c.Where == "Authorization":
			if c.Word == "" || takes(c.Word) {
				return "" // a bare value is another problem (session.go says so)
			}
			if SchemeID(c.Word) == "" {
				return "another scheme word" // an unknown word is never shown: it may be the secret
			}
			return c.Word
		case c.Where != "" && c.Scheme != "cookie" && header == "" && !strings.Contains(c.Where, " "):
			header = "the " + c.Where + " header"
		}
	}
	return header
}

// apiSaid: an API file's rule read the answer (it knows what its API
// takes better than the challenge does: Atlassian Cloud challenges with
// OAuth and takes Basic email:token).
func apiSaid(sig []Signal) bool {
	for i := range sig {
		if sig[i].Params["api"] != "" && sig[i].Kind != "" {
			return true
		}
	}
	return false
}

// otherScheme is the scheme of a credential the request carried (cookies
// aside) when none is of scheme want, or "".
func otherScheme(ex *capture.Exchange, want string) string {
	token := func(s string) bool { return s == "bearer" || s == "apikey" } // a key travels as a Bearer token
	other := ""
	for _, c := range credentialsOf(ex) {
		switch {
		case c.Scheme == want || token(c.Scheme) && token(want):
			return ""
		case c.Scheme == "" || c.Scheme == "cookie":
		default:
			if other == "" {
				other = c.Scheme
			}
		}
	}
	return other
}

// challengeReadings are the WWW-Authenticate readings (auth.go) whose scheme
// is the server's challenge's.
var challengeReadings = map[string]bool{"www-authenticate": true, "bearer-error": true}

// challengeOffers: a WWW-Authenticate challenge of the response names scheme.
func challengeOffers(m *capture.Message, scheme string) bool {
	w := schemeWord(scheme)
	for _, v := range m.Values("WWW-Authenticate") {
		for _, c := range strings.Split(v, ",") {
			if f := strings.Fields(c); len(f) > 0 && ascii.EqualFold(f[0], w) {
				return true
			}
		}
	}
	return false
}

// schemeWord is the Authorization word of a scheme of the vocabulary.
func schemeWord(scheme string) string {
	switch scheme {
	case "ntlm":
		return "NTLM"
	case "aws4":
		return "AWS4-HMAC-SHA256"
	case "apikey":
		return "API key"
	}
	if scheme == "" {
		return ""
	}
	return strings.ToUpper(scheme[:1]) + scheme[1:]
}

// ruleSignal: a signal an API file, a message rule or a GraphQL code made
// (its scheme is the rule's word, not the request's).
func ruleSignal(s *Signal) bool {
	return s.Params["api"] != "" || IsServerMessage(s.ID) || strings.HasPrefix(s.ID, "graphql-")
}

// authorizationScheme is the scheme of the request's Authorization header
// when its scheme word has an encoding of its own (basic, digest, ntlm,
// negotiate, aws4), or "".
func authorizationScheme(ex *capture.Exchange) string {
	if ex.Request == nil {
		return ""
	}
	for _, c := range credentialsOf(ex) {
		if c.Where == "Authorization" && c.Word != "" {
			switch c.Scheme {
			case "basic", "digest", "ntlm", "negotiate", "aws4":
				return c.Scheme
			}
		}
	}
	return ""
}

// statusReadings are the status detector's generic readings of a status
// code (status.go): what a 401, a 403 or a 429 usually means.
var statusReadings = map[string]bool{"401-json-auth": true, "401-no-challenge": true, "401-html-auth": true,
	"401-html-no-challenge": true, "403": true, "403-permission": true, "403-anonymous": true, "403-unexplained": true,
	"429": true, "503-retry-after": true, "2xx-error-shaped": true, "status-ok": true}

// codeOverStatus: where an API file or a GraphQL answer gives the API's own
// error code, the code decides the verdict and the cause, and the status is
// context. Vendors answer permission errors with 401 and authentication
// errors with 403 (Okta's E0000015 on a 401, AWS's InvalidClientTokenId on
// a 403, Salesforce's REQUEST_LIMIT_EXCEEDED on a 403): the status's generic
// reading of another kind stops voting.
func codeOverStatus(sig []Signal) []Signal {
	best := -1
	for i := range sig {
		s := &sig[i]
		if s.Params["api"] == "" || IsServerMessage(s.ID) || s.Weight < 0.9 || s.Suspicion {
			continue
		}
		switch s.Kind {
		case knowledge.KindAuth, knowledge.KindForbidden, knowledge.KindRateLimit:
			if best < 0 || s.Weight > sig[best].Weight {
				best = i
			}
		}
	}
	if best < 0 {
		return sig
	}
	code := sig[best].Kind
	for i := range sig {
		if s := &sig[i]; statusReadings[s.ID] && s.Kind != "" && s.Kind != code {
			s.Kind, s.Weight, s.Cause = "", 0, ""
			s.Text += " (the status's usual reading; the API's own error code decides)"
		}
	}
	return sig
}
