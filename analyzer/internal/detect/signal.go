package detect

import (
	"time"

	"why401/analyzer/internal/knowledge"
)

// Where a signal was found.
const (
	WhereHeader   = "response.header"
	WhereCookie   = "response.cookie"
	WhereBody     = "response.body"
	WhereStatus   = "response.status"
	WhereRequest  = "request"
	WhereContext  = "context"
	WhereCapture  = "capture"
	RolePresence  = "presence"
	roleChallenge = "challenge"
	roleBlock     = "block"
	roleCaptcha   = "captcha"
	roleRateLimit = "rate_limit"
	RolePolicy    = "crawler_policy" // a site's published terms for crawlers (pay per crawl, signed agents)
)

// Signal is one piece of evidence. It is the only currency between the
// detectors (stage 2) and the verdict (stage 3): the verdict, fixes and
// rendering use its text and never reach back into the Exchange.
type Signal struct {
	// ID names the rule that fired, e.g. "bearer-error" or "cloudflare/cf-mitigated".
	ID string
	// Kind is the verdict it supports; "" for context that names without voting
	// (vendor presence, request traits).
	Kind knowledge.Kind
	// Weight in [0,1]: how strongly it supports Kind on its own.
	Weight float64
	// Vendor, Scheme and Cause use the report vocabularies; "" when not known.
	Vendor, Scheme, Cause string
	// Role of a vendor rule: presence, challenge, block, captcha, rate_limit.
	Role string
	// Where it was found (WhereHeader, …) and the evidence text, secrets already masked.
	Where, Text string
	// Ref is a reference id the user can quote to the site owner or the
	// API's support (Ray ID, incident ID, request id…).
	Ref Ref
	// Entry is the index of an earlier exchange this signal points to (context signals), or -1.
	Entry int
	// Params are non-secret values that fixes may quote: realm, scope, service, nonce…
	Params map[string]string
	// Fixes are the fixes a data rule contributes (vendor and API files), or the rate-limit fix status.go builds from the headers.
	Fixes []knowledge.Fix
	// FixIDs name fixes of fixes.json the signal brings (the story's, a
	// foreign key's); their {{params}} are filled from the signals' Params.
	FixIDs []string
	// Suspicion marks a vote read from the request alone (a placeholder or
	// malformed credential, a JWT's claims, another vendor's key): it counts
	// only when the server's own answer agrees or says little, and is
	// context otherwise (the server's explicit answer decides, issue 20).
	Suspicion bool
	// Demoted is a suspicion that the server's explicit answer outweighed:
	// shown as context, with a caveat.
	Demoted bool
	// Wait is how long the server asked the client to wait, when this
	// signal read it (Retry-After, a rate-limit reset header).
	Wait Wait
}

// Wait is a wait the server asked for: Seconds from the response (0 when
// only the end is known) and Until, when it ends on the server's clock
// (zero without the response's Date).
type Wait struct {
	Seconds float64
	Until   time.Time
}

// IsZero reports whether the wait is unknown.
func (w Wait) IsZero() bool { return w.Seconds == 0 && w.Until.IsZero() }

// The fixes.json ids the detectors ask for in a signal's FixIDs (words.json's
// client-errors values are fix ids too). An id is written only here:
// TestFixIDs holds every one to a fix of fixes.json, and finds any other.
const (
	fixSanitizedCapture    = "sanitized-capture"
	fixRedirectDroppedAuth = "redirect-dropped-auth"
	fixCookieNotSent       = "cookie-not-sent"
	fixNewCredentialUnused = "new-credential-unused"
	fixForeignKey          = "foreign-key"
	fixBasicEmpty          = "basic-empty-part"
	fixWaitQuotaReset      = "wait-quota-reset"
	fixWaitRetryAfter      = "wait-retry-after"
	fixClientErrorOther    = "client-error-other"
	fixClientNoResponse    = "client-no-response"
	fixEdgeTokenRefused    = "edge-token-refused"
	fixEdgeAuthorizer      = "edge-authorizer-refused"
)
