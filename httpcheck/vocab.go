package httpcheck

import "why401/analyzer"

// Verdict is the analyzer's verdict on a response (analyzer.Kind).
type Verdict = analyzer.Kind

// The verdicts (docs/report.md, "verdict").
const (
	VerdictAuth      Verdict = analyzer.KindAuth      // a genuine authentication failure, or a handshake step
	VerdictForbidden Verdict = analyzer.KindForbidden // refused for authorization reasons
	VerdictProxyAuth Verdict = analyzer.KindProxyAuth // a proxy between the client and the site refused
	VerdictBot       Verdict = analyzer.KindBot       // an anti-bot or WAF challenge or block
	VerdictRateLimit Verdict = analyzer.KindRateLimit // a quota or an edge rate limit
	VerdictOK        Verdict = analyzer.KindOK        // nothing wrong
	VerdictUnknown   Verdict = analyzer.KindUnknown   // not enough to say
)

// Cause refines a verdict; "" when the analyzer could not tell.
type Cause string

// The causes (docs/report.md, "cause").
const (
	CauseMissingCredentials      Cause = "missing_credentials"
	CauseInvalidCredentials      Cause = "invalid_credentials"
	CauseMalformedCredentials    Cause = "malformed_credentials"
	CauseExpiredToken            Cause = "expired_token"
	CauseExpiredSession          Cause = "expired_session"
	CauseClockSkew               Cause = "clock_skew"
	CauseInsufficientScope       Cause = "insufficient_scope"
	CauseInsufficientPermissions Cause = "insufficient_permissions"
	CauseSSORequired             Cause = "sso_required"
	CauseStepUp                  Cause = "step_up"
	CauseStaleNonce              Cause = "stale_nonce"
	CauseDPoPNonce               Cause = "dpop_nonce"
	CauseInvalidDPoPProof        Cause = "invalid_dpop_proof"
	CauseHandshake               Cause = "handshake"
	CausePreflight               Cause = "preflight"
	CauseProxyAuth               Cause = "proxy_auth"
	CauseRedirectDroppedAuth     Cause = "redirect_dropped_auth"
	CauseCookieNotSent           Cause = "cookie_not_sent"
	CauseAccountLocked           Cause = "account_locked"
	// Causes of bot and rate_limit verdicts.
	CauseChallenge Cause = "challenge"
	CauseBlock     Cause = "block"
	CauseCaptcha   Cause = "captcha"
	CauseRateLimit Cause = "rate_limit"
	// The cause of a forbidden verdict from a site's terms for crawlers
	// (Cloudflare pay per crawl, AI Crawl Control): pay or stop, never disguise.
	CauseCrawlerPolicy Cause = "crawler_policy"
)

// Action is what the client should do about a response.
type Action string

// The actions.
const (
	None               Action = "none"                // nothing wrong, or nothing the analyzer can say: the caller's own handling
	Retry              Action = "retry"               // a normal handshake step: answer the challenge and send again; the credentials are fine
	RefreshCredentials Action = "refresh_credentials" // get a new token or log in again, then retry; keep the session
	RotateSession      Action = "rotate_session"      // a bot block: a new session (cookies, proxy, fingerprint), not new credentials
	SlowDown           Action = "slow_down"           // wait (Result.RetryAfter when the server said), then retry; keep session and credentials
	Stop               Action = "stop"                // retrying as is will not help: a permission, a scope, a client bug; a person must look
	FixProxy           Action = "fix_proxy"           // the proxy refused: its credentials, account or quota
)

// stopCauses are auth causes that a new credential does not cure.
var stopCauses = map[Cause]bool{
	CauseInsufficientScope: true, CauseInsufficientPermissions: true, CauseSSORequired: true,
	CauseAccountLocked: true, CauseRedirectDroppedAuth: true, CausePreflight: true, CauseClockSkew: true,
}

// retryCauses are normal steps of an authentication handshake.
var retryCauses = map[Cause]bool{CauseHandshake: true, CauseStaleNonce: true, CauseDPoPNonce: true}

// ActionFor maps a verdict and its cause to an action: bot → RotateSession,
// rate_limit → SlowDown, forbidden → Stop, proxy_auth → FixProxy, ok and
// unknown → None, and auth → RefreshCredentials except for a handshake step
// (handshake, stale_nonce, dpop_nonce → Retry) and for causes a new credential
// does not cure (insufficient_scope, insufficient_permissions, sso_required,
// account_locked, redirect_dropped_auth, preflight, clock_skew → Stop).
func ActionFor(v Verdict, c Cause) Action {
	switch v {
	case VerdictBot:
		return RotateSession
	case VerdictRateLimit:
		return SlowDown
	case VerdictForbidden:
		return Stop
	case VerdictProxyAuth:
		return FixProxy
	case VerdictAuth:
		switch {
		case retryCauses[c]:
			return Retry
		case stopCauses[c]:
			return Stop
		}
		return RefreshCredentials
	}
	return None
}
