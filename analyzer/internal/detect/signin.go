package detect

import (
	"strconv"
	"strings"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
	"why401/internal/ascii"
	"why401/internal/weburl"
)

// A site that keeps its users in a cookie session does not answer a lapsed
// session with a 401: it serves its sign-in page in place of the content
// (200, or 401/403 with the page), or redirects to it (302 to
// /login?next=…). Either to a request that carried only session cookies is
// an authentication failure whose scheme is cookie and whose cause is an
// expired session, whatever the status says. Issue 30, kind 7.
//
// Decide: the request carried session cookies and no other credential
// (requestCause), it was not itself a sign-in or a sign-out (words.json's
// login-paths and logout-paths in its path), and the answer is a sign-in
// page — a credential input (credential-inputs) on a page with little else
// (under signInTextLimit bytes of visible text: a content page with a login
// box in its header is content) — or a redirect whose Location's path holds
// a login-paths word. A page that says the submitted login failed is
// gate.go's login-form-failed, not this.

// Named fixes (fixes.json) of signin.go and of fitToRequest's scheme check.
const (
	fixSessionSignInAgain = "session-sign-in-again"
	fixSchemeNotOffered   = "scheme-not-offered"
	fixChallengeScheme    = "challenge-scheme"
)

// signInTextLimit is the visible text a sign-in page holds at most.
const signInTextLimit = 1200

// signInSignals adds the sign-in-page vote and stops the success's.
func signInSignals(ex *capture.Exchange, sig []Signal, body *respBody) []Signal {
	req, resp := ex.Request, &ex.Response
	if req == nil || hasID(sig, "login-form-failed") {
		return sig
	}
	for i := range sig {
		if sig[i].Kind == knowledge.KindBot && !statusReadings[sig[i].ID] {
			return sig // a vendor's or the site's check for a person
		}
	}
	if cause, _ := requestCause(ex); cause != "expired_session" {
		return sig // no cookie session, or another credential decides
	}
	path := ascii.Lower(weburl.Path(req.URL))
	if pathHasAny(path, list(loginPaths)) || pathHasAny(path, list(logoutPaths)) {
		return sig // opening the sign-in page, or signing out, is not a lapsed session
	}
	var text string
	where := WhereBody
	switch st := resp.Status; {
	case st >= 300 && st < 400:
		loc := resp.Get("Location")
		if loc == "" || !pathHasAny(ascii.Lower(weburl.Path(loc)), list(loginPaths)) {
			return sig
		}
		where = WhereHeader
		text = "the request carried only session cookies and was redirected to " + strconv.Quote(capture.Clip(MaskURL(loc), 80)) + ": the site sends a lapsed or signed-out session to its sign-in page"
	case st == 200 || st == 401 || st == 403:
		if len(resp.Body) == 0 || !body.isHTML() {
			return sig
		}
		in := credentialOf(body)
		if in == "" || visibleTextUpTo(body, gateScanLimit, signInTextLimit) >= signInTextLimit {
			return sig
		}
		low := body.lower(gateScanLimit)
		what := "a sign-in page (" + in
		if t := innerText(low, "<title"); t != "" {
			what += ", titled " + strconv.Quote(t)
		}
		text = "the request carried only session cookies and the answer is " + what + ") instead of the content: the session was not accepted (expired or signed out)"
	default:
		return sig
	}
	for i := range sig {
		if s := &sig[i]; statusReadings[s.ID] && s.Kind != "" && s.Kind != knowledge.KindAuth {
			s.Kind, s.Weight, s.Cause = "", 0, ""
			s.Text += " (the status's usual reading; the sign-in page says otherwise)"
		}
	}
	return append(sig, Signal{ID: "sign-in-page", Kind: knowledge.KindAuth, Weight: 0.9, Scheme: "cookie", Cause: "expired_session",
		Where: where, Entry: -1, Text: text, FixIDs: []string{fixSessionSignInAgain}})
}

// pathHasAny: a lowered URL path holds one of the words.
func pathHasAny(path string, words []string) bool {
	for _, w := range words {
		if strings.Contains(path, w) {
			return true
		}
	}
	return false
}
