package detect

import (
	"strings"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
)

// Signals is stage 2 without the cross-entry story: it depends on nothing but
// the exchange, so HAR entries run it in parallel.
func Signals(ex *capture.Exchange, lim capture.Limits, w *capture.Warnings) []Signal {
	var sig []Signal
	body := bodyOf(ex) // read once, for every detector
	sig = append(sig, challengeSignals(ex, lim, w)...)
	sig = append(sig, credentialSignals(ex)...)
	sig = append(sig, statusSignals(ex, body)...)
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
			if hasKindOtherThan(sig, knowledge.KindOK) || errorShaped(resp.Body) {
				// An API's refusal inside a 200 (Slack's ok:false, a JSON
				// status that says sign-in is required): its words too,
				// which vote when they name a cause (messages.json).
				sig = append(sig, saidSignals(ex, sig)...)
			}
		}
	}
	sig = codeOverStatus(sig)
	sig = fitToRequest(ex, sig)
	// Request traits explain blocks: a success pays for them only when it
	// looks like a challenge page.
	if resp.Status >= 400 || hasKind(sig, knowledge.KindBot) {
		sig = append(sig, requestTraits(ex, body)...)
	}
	if resp.Status >= 400 {
		sig = append(sig, wafTriggerSignals(ex)...)
	}
	return sig
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
		if sent != "" && s.Scheme != "" && s.Scheme != sent && (s.Scheme == "bearer" || s.Scheme == "apikey") && ruleSignal(s) {
			s.Scheme = sent
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
