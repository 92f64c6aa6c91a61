package knowledge

// Kind is a verdict: what happened to a request.
type Kind string

// The verdict vocabulary of the report contract. Extend, never rename.
const (
	KindAuth      Kind = "auth"       // genuine authentication failure (or a normal auth handshake step)
	KindBot       Kind = "bot"        // an anti-bot or WAF layer challenged or blocked the caller
	KindRateLimit Kind = "rate_limit" // an application quota or an edge rate limit
	KindProxyAuth Kind = "proxy_auth" // a proxy between the client and the site wants credentials
	KindForbidden Kind = "forbidden"  // authenticated or not, refused for authorization reasons
	KindOK        Kind = "ok"         // nothing wrong
	KindUnknown   Kind = "unknown"    // not enough to say; the summary says why
)

// allKinds lists the verdicts, in kindOrder's order of specificity.
var allKinds = []Kind{KindAuth, KindBot, KindRateLimit, KindProxyAuth, KindForbidden, KindOK, KindUnknown}

// Fix is one thing the user can do, with concrete steps.
type Fix struct {
	Title string    `json:"title"`
	Steps []string  `json:"steps"`
	Code  []Snippet `json:"code,omitempty"`
	// Action names what the fix does ("new-token", "replace-credential"):
	// a later fix with the same action is not given (one group per idea),
	// and a later step may hold to {{!did_<action>}} ("-" written "_").
	Action string `json:"action,omitempty"`
	// CredentialOK: the fix says the credential itself is fine (the cause is
	// a scope, the header form, the address, the account's state): later
	// steps may hold to {{!did_credential_ok}}, so that no "get a new
	// token" follows it.
	CredentialOK bool `json:"credential_ok,omitempty"`
}

// Snippet is a copyable example: lang is "curl", "python", "go", "shell", "http".
type Snippet struct {
	Lang string `json:"lang"`
	Text string `json:"text"`
}
