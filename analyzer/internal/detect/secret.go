package detect

import (
	"strings"
	"sync"
	"sync/atomic"

	"why401/analyzer/internal/capture"
)

// Captures hold live tokens and cookies. Nothing in a report may echo one:
// every credential is shown as a fingerprint — its kind, its length and, when
// it is long enough that this reveals nothing useful, its last four characters.

// credentialHeaders caches credentialHeader by header name: a capture repeats
// the same few dozen names on every entry. Bounded, so junk names cannot grow it.
var (
	credentialHeaders     sync.Map // name → bool
	credentialHeadersSize atomic.Int32
)

// CredentialHeader reports whether a header carries a credential or a
// session/anti-bot token that must never be echoed.
func CredentialHeader(name string) bool {
	if v, ok := credentialHeaders.Load(name); ok {
		return v.(bool)
	}
	r := isCredentialHeader(name)
	if credentialHeadersSize.Add(1) <= 4096 {
		credentialHeaders.Store(strings.Clone(name), r)
	}
	return r
}

func isCredentialHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "www-authenticate", "proxy-authenticate", "authentication-info", "proxy-authentication-info",
		"access-control-allow-headers", "access-control-request-headers", "access-control-expose-headers",
		"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "keep-alive", "vary",
		"x-accepted-oauth-scopes", "x-oauth-scopes", "x-accepted-github-permissions", "x-github-sso",
		"x-authentication-denied-reason", "x-seraph-loginreason", "dpop-nonce":
		return false
	}
	for _, w := range []string{"auth", "token", "key", "secret", "session", "password", "passwd", "cookie", "credential", "signature", "csrf", "xsrf", "dpop", "kpsdk", "x-px-", "api-"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// CredentialParam reports whether a query or form parameter carries a secret.
func CredentialParam(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "key", "code", "sig", "auth", "pass", "pwd", "jwt", "sid", "state_token":
		return true
	}
	for _, w := range []string{"token", "secret", "password", "passwd", "api_key", "apikey", "api-key", "signature", "credential", "session", "access_key", "private"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// maskHeaderValue returns a header value safe to show.
func maskHeaderValue(name, value string) string {
	n := strings.ToLower(name)
	switch {
	case n == "cookie":
		return maskCookieHeader(value)
	case n == "set-cookie":
		return maskSetCookie(value)
	case n == "authorization" || n == "proxy-authorization":
		return maskAuthorization(value)
	case n == "www-authenticate" || n == "proxy-authenticate":
		return maskChallengeTokens(value)
	case CredentialHeader(n):
		if strings.TrimSpace(value) == "" {
			return value
		}
		return capture.Fingerprint("", strings.TrimSpace(value))
	}
	return value
}

// maskAuthorization keeps the scheme and fingerprints the credentials.
func maskAuthorization(v string) string {
	v = strings.TrimSpace(v)
	scheme, rest := authorization(v)
	switch {
	case scheme == "":
		return capture.Fingerprint("", v) // a bare credential, no scheme word
	case SchemeID(scheme) == "":
		return capture.Fingerprint("", v) // an unknown first word may be part of the secret
	case rest == "":
		return scheme // a bare scheme ("Negotiate")
	}
	if strings.EqualFold(scheme, "Basic") {
		return "Basic " + capture.Fingerprint("basic-credentials", rest)
	}
	if strings.EqualFold(scheme, "Digest") || strings.HasPrefix(scheme, "AWS4-") {
		return scheme + " " + maskParamList(rest)
	}
	return scheme + " " + capture.Fingerprint("", strings.Trim(rest, "\"'"))
}

// maskParamList keeps parameter names and non-secret values of a Digest or
// SigV4 credentials list; response/signature/cnonce/credential values are fingerprinted.
func maskParamList(v string) string {
	parts := strings.Split(v, ",")
	for i, p := range parts {
		k, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		key := strings.ToLower(strings.TrimSpace(k))
		if publicAuthParam(key) {
			continue
		}
		parts[i] = k + "=" + capture.Fingerprint(key, strings.Trim(strings.TrimSpace(val), "\""))
	}
	return strings.Join(parts, ",")
}

// publicAuthParam reports whether a parameter of a Digest, SigV4 or OAuth
// credentials list is safe to show: it names the protection space or echoes
// what the server sent (realm, uri, nonce…). Every other value — response,
// cnonce, username, Signature, Credential, oauth_signature… — is a secret.
func publicAuthParam(key string) bool {
	switch key {
	case "realm", "uri", "algorithm", "qop", "nc", "signedheaders", "userhash", "charset", "nonce", "opaque":
		return true
	}
	return false
}

// maskChallengeTokens fingerprints token68 blobs (Negotiate/NTLM legs) in a challenge.
func maskChallengeTokens(v string) string {
	chs, _ := ParseChallenges([]string{v}, 64)
	out := v
	for _, c := range chs {
		if len(c.Token68) >= 16 {
			out = strings.Replace(out, c.Token68, capture.Fingerprint("", c.Token68), 1)
		}
	}
	return out
}

func maskCookieHeader(v string) string {
	var b strings.Builder
	for i, part := range strings.Split(v, ";") {
		if i > 0 {
			b.WriteString("; ")
		}
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		b.WriteString(name)
		if ok {
			b.WriteString("=")
			b.WriteString(capture.Fingerprint("cookie", val))
		}
	}
	return b.String()
}

func maskSetCookie(v string) string {
	first, attrs, _ := strings.Cut(v, ";")
	name, val, ok := strings.Cut(strings.TrimSpace(first), "=")
	if !ok {
		return v
	}
	out := name + "=" + capture.Fingerprint("cookie", val)
	if attrs != "" {
		out += ";" + attrs
	}
	return out
}

// MaskURL fingerprints credential query parameters and userinfo in a URL.
func MaskURL(u string) string {
	if at := strings.Index(u, "@"); at > 0 {
		if i := strings.Index(u, "://"); i >= 0 && i < at && !strings.ContainsAny(u[i+3:at], "/?#") {
			u = u[:i+3] + capture.Fingerprint("userinfo", u[i+3:at]) + u[at:]
		}
	}
	q := strings.IndexByte(u, '?')
	if q < 0 {
		return u
	}
	base, query := u[:q+1], u[q+1:]
	frag := ""
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, frag = query[:h], query[h:]
	}
	parts := strings.Split(query, "&")
	changed := false
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if ok && v != "" && CredentialParam(k) {
			parts[i] = k + "=" + capture.Fingerprint("", v)
			changed = true
		}
	}
	if !changed {
		return u
	}
	return base + strings.Join(parts, "&") + frag
}

// Secrets is the set of secret strings found in one exchange. Every string
// that leaves the analyzer passes through scrub, so a secret echoed anywhere —
// a body, an error message, a URL — comes out as its fingerprint.
type Secrets struct {
	list []string
}

func (s *Secrets) add(v string) {
	v = strings.TrimSpace(strings.Trim(v, "\"'"))
	if len(v) < 6 {
		return
	}
	for _, x := range s.list {
		if x == v {
			return
		}
	}
	if len(s.list) < 256 {
		s.list = append(s.list, v)
	}
}

// CollectSecrets gathers the credentials of an exchange.
func CollectSecrets(ex *capture.Exchange) *Secrets {
	s := &Secrets{}
	for _, m := range []*capture.Message{ex.Request, &ex.Response} {
		if m == nil {
			continue
		}
		for _, f := range m.Fields {
			n := strings.ToLower(f.Name)
			switch {
			case n == "cookie":
				for _, c := range m.Cookies() {
					s.add(c.Value)
				}
			case n == "set-cookie":
				if c, ok := capture.ParseSetCookie(f.Value); ok {
					s.add(c.Value)
				}
			case n == "authorization" || n == "proxy-authorization":
				word, rest := authorization(f.Value)
				if word != "" && SchemeID(word) == "" {
					s.add(strings.TrimSpace(f.Value)) // an unknown first word may be part of the secret
					s.add(word)
				}
				s.add(rest)
				if dec, ok := DecodeBasic(rest); ok {
					if user, pass, ok := strings.Cut(dec, ":"); ok {
						s.add(pass)
						s.add(user + ":" + pass)
					}
				}
				// Digest, SigV4 and OAuth 1.0a parameter lists: the same split as
				// maskParamList, so what is shown and what is scrubbed agree.
				for _, p := range strings.Split(rest, ",") {
					if k, v, ok := strings.Cut(p, "="); ok && !publicAuthParam(strings.ToLower(strings.TrimSpace(k))) {
						s.add(v)
					}
				}
			case CredentialHeader(n):
				s.add(f.Value)
			}
		}
	}
	if ex.Request != nil {
		u := ex.Request.URL
		if q := strings.IndexByte(u, '?'); q >= 0 {
			for _, p := range strings.Split(u[q+1:], "&") {
				if k, v, ok := strings.Cut(p, "="); ok && CredentialParam(k) {
					s.add(v)
				}
			}
		}
		if i := strings.Index(u, "://"); i >= 0 {
			if at := strings.Index(u[i+3:], "@"); at > 0 && !strings.ContainsAny(u[i+3:i+3+at], "/?#") {
				ui := u[i+3 : i+3+at]
				s.add(ui)
				if _, pass, ok := strings.Cut(ui, ":"); ok {
					s.add(pass)
				}
			}
		}
		// Form bodies: password=…&token=…
		if b := ex.Request.Body; len(b) > 0 && len(b) < 64<<10 {
			for _, p := range strings.Split(string(b), "&") {
				if k, v, ok := strings.Cut(p, "="); ok && CredentialParam(k) {
					s.add(v)
				}
			}
		}
	}
	return s
}

// Scrub replaces every known secret in text with its fingerprint, then masks
// credential-shaped strings the capture did not name (tokens echoed in bodies).
func (s *Secrets) Scrub(text string) string {
	if s != nil {
		for _, v := range s.list {
			if strings.Contains(text, v) {
				text = strings.ReplaceAll(text, v, capture.Fingerprint("", v))
			}
		}
	}
	return capture.MaskTokenShapes(text)
}
