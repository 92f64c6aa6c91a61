package detect

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
	"why401/internal/ascii"
	"why401/internal/weburl"
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
	n := ascii.Lower(name)
	switch n {
	case ":authority", "authority", // a host (the HTTP/2 pseudo-header), not an authorization
		"access-control-allow-credentials", // "true": whether credentials may be sent, not one
		"www-authenticate", "proxy-authenticate", "authentication-info", "proxy-authentication-info",
		"access-control-allow-headers", "access-control-request-headers", "access-control-expose-headers",
		"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "keep-alive", "vary",
		"x-accepted-oauth-scopes", "x-oauth-scopes", "x-accepted-github-permissions", "x-github-sso",
		"x-authentication-denied-reason", "x-seraph-loginreason", "dpop-nonce",
		"x-auth0-requestid": // Auth0's request id, quoted as the reference
		return false
	}
	// A version header (X-Shopify-API-Version, X-GitHub-Api-Version,
	// Api-Version) names the API's version, a date or a number, not a secret.
	if strings.HasSuffix(n, "-version") || strings.HasSuffix(n, "_version") {
		return false
	}
	for _, w := range []string{"auth", "token", "key", "secret", "session", "password", "passwd", "cookie", "credential", "signature", "csrf", "xsrf", "dpop", "kpsdk", "x-px-", "api-", "hmac", "jwt", "assertion", "passphrase"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return secretWord(n)
}

// secretWord reports whether a name holds one of the short words of a
// secret as a word of its own (between - _ . or at an end), where a
// substring would catch too much ("bypass", "passenger", "shipping",
// "design"): pass, passcode, passwd (X-Upstream-Pass), sig, sign (X-Request-Sig),
// otp (and totp, hotp), pin.
func secretWord(n string) bool {
	for _, w := range strings.FieldsFunc(n, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == ' ' }) {
		switch w {
		case "pass", "passcode", "passwd", "sig", "sign", "otp", "totp", "hotp", "pin":
			return true
		}
	}
	return false
}

// CredentialParam reports whether a query or form parameter carries a secret.
func CredentialParam(name string) bool {
	n := ascii.Lower(name)
	switch n {
	case "key", "code", "sig", "auth", "pass", "pwd", "jwt", "sid", "state_token", "phpsessid", "jsessionid", "aspsessionid", "cfid", "cftoken", "otp", "pin", "ticket", "nonce_token", "hash":
		return true
	}
	for _, w := range []string{"token", "secret", "password", "passwd", "api_key", "apikey", "api-key", "signature", "credential", "session", "sessid", "access_key", "private", "subscription-key", "subscription_key", "passcode", "-key", "_key", "hmac", "assertion", "passphrase"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// maskHeaderValue returns a header value safe to show.
func maskHeaderValue(name, value string) string {
	n := ascii.Lower(name)
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
	if ascii.EqualFold(scheme, "Basic") {
		return "Basic " + capture.Fingerprint("basic-credentials", rest)
	}
	if ascii.EqualFold(scheme, "Digest") || strings.HasPrefix(scheme, "AWS4-") {
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
		key := ascii.Lower(strings.TrimSpace(k))
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

// MaskURL fingerprints the secrets of a URL: userinfo; the secret segments
// of its path (EachURLPart: a bot token, a webhook secret, a JWT or a
// random-shaped segment); the values of query parameters, of path
// parameters (";jsessionid=…") and of fragment parameters
// ("#access_token=…", an OAuth implicit grant) that a credential name or a
// random-looking value (randomShaped) gives away.
func MaskURL(u string) string {
	u = maskUserinfo(u)
	out, _ := EachURLPart(u, func(k, v string) string {
		if m, ok := MaskEdgeToken(k, v, func(s string) string { return capture.Fingerprint("", s) }); ok {
			return m // the token's expiry and ACL stay readable (edge.go)
		}
		if CredentialParam(k) || RandomShaped(v) || RandomShaped(PercentDecode(v)) {
			return capture.Fingerprint("", v)
		}
		return v
	}, func(kind, secret string) string { return capture.Fingerprint(kind, PercentDecode(secret)) })
	return out
}

// EachURLParam calls fn with each name=value of u's path parameters (after
// a ";" in a path segment), query and fragment, and rebuilds u with the
// values fn returns.
func EachURLParam(u string, fn func(k, v string) string) (string, bool) {
	return EachURLPart(u, fn, nil)
}

// EachURLPart is EachURLParam that also calls seg, when it is not nil,
// with each secret segment of u's path (secretSegment: a JWT, a
// key-prefixed or a random-shaped segment, a Telegram bot token
// /bot<id>:<secret>/ (the part after "bot"), the secret of a Slack
// webhook /services/T…/B…/<secret>, of a Discord one
// /webhooks/<id>/<token>, a long segment with digits after /hooks/), and
// puts what seg returns in its place.
func EachURLPart(u string, fn func(k, v string) string, seg func(kind, secret string) string) (string, bool) {
	_, _, after, _ := weburl.Split(u)
	start := len(u) - len(after) // past the scheme and authority, if any
	path := strings.IndexAny(after, "/;?#")
	if path < 0 || seg == nil && !strings.ContainsAny(u[start+path:], ";?#=") {
		return u, false
	}
	var b strings.Builder
	b.Grow(len(u))
	b.WriteString(u[:start+path])
	rest := u[start+path:]
	changed := false
	param := func(seg, sep string) {
		for i, p := range strings.Split(seg, sep) {
			if i > 0 {
				b.WriteString(sep)
			}
			k, v, ok := strings.Cut(p, "=")
			if !ok || v == "" {
				b.WriteString(p)
				continue
			}
			nv := fn(k, v)
			changed = changed || nv != v
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(nv)
		}
	}
	frag := ""
	if h := strings.IndexByte(rest, '#'); h >= 0 {
		rest, frag = rest[:h], rest[h+1:]
	}
	query, hasQuery := "", false
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		rest, query, hasQuery = rest[:q], rest[q+1:], true
	}
	segs := strings.Split(rest, "/")
	for i, s := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		name, params, ok := strings.Cut(s, ";")
		if seg != nil {
			if keep, kind, secret := secretSegment(segs[:i], name); secret != "" {
				name, changed = keep+seg(kind, secret), true
			}
		}
		b.WriteString(name)
		if ok && fn != nil {
			b.WriteByte(';')
			param(params, ";")
		} else if ok {
			b.WriteString(";" + params)
		}
	}
	if hasQuery {
		b.WriteByte('?')
		if fn != nil {
			param(query, "&")
		} else {
			b.WriteString(query)
		}
	}
	if frag != "" || strings.HasSuffix(u, "#") {
		b.WriteByte('#')
		if fn != nil && strings.Contains(frag, "=") {
			param(strings.TrimPrefix(frag, "!"), "&")
		} else {
			b.WriteString(frag)
		}
	}
	if !changed {
		return u, false
	}
	return b.String(), true
}

// PercentDecode decodes %XX escapes and "+" (as a query does); a bad
// escape is kept as it is (weburl.QueryUnescape, its answer taken as is).
func PercentDecode(s string) string {
	d, _ := weburl.QueryUnescape(s)
	return d
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// RandomShaped reports whether v looks generated (a token, a key, a
// session id) rather than written by a person or counted by a program: at
// least 16 characters of one token alphabet (letters, digits, - _ . ~ + / =),
// with lower case, upper case and digits mixed (or, from 32 characters, two
// of them), few vowels among the letters, few punctuation marks and a high
// Shannon entropy. Hex strings (UUIDs, request ids, hashes), numbers, dates,
// words, slugs and version strings are not: they are evidence, not secrets.
func RandomShaped(v string) bool {
	if len(v) < 16 || len(v) > 4096 {
		return false
	}
	var lower, upper, digit, punct, vowels int
	hex := true
	var freq [128]uint16
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z':
			lower++
			hex = hex && c <= 'f'
		case 'A' <= c && c <= 'Z':
			upper++
			hex = hex && c <= 'F'
		case '0' <= c && c <= '9':
			digit++
		case c == '-' || c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '=':
			punct++
			hex = hex && c == '-'
		default:
			return false
		}
		switch c | 0x20 {
		case 'a', 'e', 'i', 'o', 'u':
			vowels++
		}
		freq[c]++
	}
	letters := lower + upper
	if hex || digit == 0 || letters == 0 || punct*5 > len(v) || taggedHex(v) || punct > 0 && wordName(v) {
		return false
	}
	classes := 0
	for _, n := range []int{lower, upper, digit} {
		if n > 0 {
			classes++
		}
	}
	if classes < 3 && (len(v) < 32 || classes < 2) {
		return false
	}
	if vowels*100 > letters*30 {
		return false // words: about 40% vowels; random letters, 19%
	}
	if digit*100 > len(v)*70 {
		return false // mostly a number
	}
	// Shannon entropy per character; a random string of n characters of a
	// 64-letter alphabet has about min(6, log2 n) bits, words far fewer.
	h := 0.0
	n := float64(len(v))
	for _, f := range freq {
		if f > 0 {
			p := float64(f) / n
			h -= p * log2(p)
		}
	}
	return h >= 3.5 && !base64OfText(v)
}

// wordName tells a name made of words, numbers and short tags joined by
// '-', '_' or '.' (Llama-3.1-8B-Instruct, Mistral-7B-Instruct-v0.3): every
// piece a word in one case shape (lower, UPPER or Capitalized, with a
// vowel), digits, or at most three characters, and one word of four
// letters or more. A token's pieces are long runs of mixed case.
func wordName(v string) bool {
	long, from := false, 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && v[i] != '-' && v[i] != '_' && v[i] != '.' {
			continue
		}
		p := v[from:i]
		from = i + 1
		if len(p) <= 3 || allDigits(p) {
			continue
		}
		if len(p) > 15 || !strings.ContainsAny(p, "aeiouyAEIOUY") || !oneCase(p[1:]) {
			return false // mixed case inside a piece, or digits in it
		}
		long = true
	}
	return long
}

// oneCase: p is letters only, all lower or all upper case.
func oneCase(p string) bool {
	var lower, upper bool
	for i := 0; i < len(p); i++ {
		c := p[i]
		lower = lower || 'a' <= c && c <= 'z'
		upper = upper || 'A' <= c && c <= 'Z'
		if c|0x20 < 'a' || c|0x20 > 'z' {
			return false
		}
	}
	return !(lower && upper)
}

// taggedHex tells a hex id with a short tag after a dash, as a Cloudflare
// Ray ID carries its data centre ("8d2f1c3b5a7e9d21-AMS"): an id, not a key.
func taggedHex(v string) bool {
	i := strings.LastIndexByte(v, '-')
	if i < 16 || len(v)-i-1 > 4 {
		return false
	}
	for j := 0; j < i; j++ {
		if c := v[j]; !isHexDigit(c) && c != '-' {
			return false
		}
	}
	return true
}

// base64OfText tells base64 (or base64url) that decodes to printable
// ASCII which does not itself look random: an id or a name encoded
// (Azure's blockid=YmxvY2stMDAwMDE=, "block-00001"), not a key. A JWT
// (eyJ…) decodes to JSON too, but its prefix and its names catch it.
func base64OfText(v string) bool {
	t := strings.TrimRight(v, "=")
	if len(t) < 8 || len(t)%4 == 1 {
		return false
	}
	b := make([]byte, 0, len(t)*3/4)
	var acc uint32
	bits := 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		var d byte
		switch {
		case 'A' <= c && c <= 'Z':
			d = c - 'A'
		case 'a' <= c && c <= 'z':
			d = c - 'a' + 26
		case '0' <= c && c <= '9':
			d = c - '0' + 52
		case c == '+' || c == '-':
			d = 62
		case c == '/' || c == '_':
			d = 63
		default:
			return false
		}
		acc = acc<<6 | uint32(d)
		bits += 6
		if bits >= 8 {
			bits -= 8
			x := byte(acc >> bits)
			if x < 0x20 || x > 0x7e {
				return false
			}
			b = append(b, x)
		}
	}
	return !RandomShaped(string(b))
}

// log2 for the entropy, without math (the page wasm's size): frexp by hand
// and a short series, good to 1e-4 on (0, 1].
func log2(x float64) float64 {
	e := 0.0
	for x < 0.5 {
		x *= 2
		e--
	}
	// x in [0.5, 1): ln x = 2 atanh((x-1)/(x+1))
	y := (x - 1) / (x + 1)
	y2 := y * y
	s, t := 0.0, y
	for k := 1; k < 30; k += 2 {
		s += t / float64(k)
		t *= y2
	}
	return e + 2*s/0.6931471805599453
}

// Secrets is the set of secret strings found in one exchange. Every string
// that leaves the analyzer passes through scrub, so a secret echoed anywhere —
// a body, an error message, a URL — comes out as its fingerprint.
type Secrets struct {
	list []string
}

func (s *Secrets) add(v string) {
	// A secret ends at its own characters: the period or comma of the
	// sentence that holds it ("Invalid Signature c3a6….") stays text.
	v = strings.TrimRight(strings.TrimSpace(strings.Trim(v, "\"'")), ".,;:")
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

// plainWords reports whether v is a few plain words (a status text such as
// "401 Unauthorized", "invalid token"): two to eight fields, each all
// letters or all digits (a trailing '.', ',' or ':' allowed). No issued
// token has that shape.
func plainWords(v string) bool {
	f := strings.Fields(v)
	if len(f) < 2 || len(f) > 8 {
		return false
	}
	for _, w := range f {
		w = strings.TrimRight(w, ".,:;")
		if w == "" {
			return false
		}
		letters, digits := true, true
		for _, r := range w {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
				digits = false
			case r >= '0' && r <= '9':
				letters = false
			default:
				return false
			}
		}
		if !letters && !digits {
			return false
		}
	}
	return true
}

// hostName reports whether v is a DNS name in lower case: two or more
// labels of letters, digits and '-', the last of letters only
// (api.twilio.com). A key or a JWT has upper case or no such last label.
func hostName(v string) bool {
	dot := strings.LastIndexByte(v, '.')
	if dot < 1 || len(v)-dot < 3 || len(v) > 253 || strings.Contains(v, "..") || !oneCase(v[dot+1:]) || strings.ToLower(v) != v {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// codeWord reports whether v is one word or code of a program: letters
// and '_' only, all capitals (UNAUTHORIZED, INVALID_TOKEN) or all lower
// case (denied, invalid_token), at most 40 characters. An issued token
// mixes case or digits.
func codeWord(v string) bool {
	w := strings.ReplaceAll(v, "_", "")
	return w != "" && len(v) <= 40 && oneCase(w)
}

// CollectSecrets gathers the credentials of an exchange.
func CollectSecrets(ex *capture.Exchange) *Secrets {
	s := &Secrets{}
	for _, m := range []*capture.Message{ex.Request, &ex.Response} {
		if m == nil {
			continue
		}
		for _, f := range m.Fields {
			n := ascii.Lower(f.Name)
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
					if k, v, ok := strings.Cut(p, "="); ok && !publicAuthParam(ascii.Lower(strings.TrimSpace(k))) {
						s.add(v)
					}
				}
			case CredentialHeader(n):
				// A response header named like a credential but holding plain
				// words (X-HubSpot-Auth-Failure: 401 Unauthorized) is a status,
				// not a secret: scrubbing it would mask the status line too.
				// A host name (X-Api-Domain: api.twilio.com) is no secret
				// either side; nor is a code or a word the server sends
				// (X-Sq-Envoy-Safe-Auth-Decision: UNAUTHORIZED).
				v := strings.TrimSpace(f.Value)
				if hostName(v) || m == &ex.Response && (plainWords(v) || codeWord(v)) {
					continue
				}
				s.add(f.Value)
			}
		}
	}
	if ex.Request != nil {
		u := ex.Request.URL
		EachURLPart(u, func(k, v string) string {
			MaskEdgeToken(k, v, func(m string) string { s.add(m); return m }) // an EdgeAuth hmac (edge.go)
			if CredentialParam(k) || secretShaped(v) || secretShaped(PercentDecode(v)) {
				s.add(v)
				s.add(PercentDecode(v)) // echoed decoded in a body or an error
			}
			return v
		}, func(_, secret string) string {
			s.add(secret)
			s.add(PercentDecode(secret))
			return secret
		})
		if i, at, ok := weburl.Userinfo(u); ok && at > i {
			ui := u[i:at]
			s.add(ui)
			if _, pass, ok := strings.Cut(ui, ":"); ok {
				s.add(pass)
			}
		}
		if b := ex.Request.Body; len(b) > 0 && len(b) < 64<<10 {
			bodySecrets(string(b), s.add)
		}
	}
	return s
}

// bodySecrets calls add with the secrets of a request body: the values of
// credential-named fields and random-looking values, in a form body
// (percent-decoded too: a server echoes what it decoded), a JSON body (every
// string value under a credential-named key, and any random-looking one),
// and a multipart body's fields.
func bodySecrets(body string, add func(string)) {
	t := strings.TrimSpace(body)
	switch {
	case strings.HasPrefix(t, "{") || strings.HasPrefix(t, "["):
		jsonStringValues(t, func(key, v string) {
			if CredentialParam(key) || CredentialHeader(key) || secretShaped(v) {
				add(v)
			}
		})
		return
	case strings.HasPrefix(t, "--"):
		// multipart/form-data: name="password"\r\n\r\nvalue
		for _, part := range strings.Split(t, "\n--") {
			head, val, ok := strings.Cut(part, "\r\n\r\n")
			if !ok {
				head, val, ok = strings.Cut(part, "\n\n")
			}
			if !ok {
				continue
			}
			val = strings.TrimRight(val, "\r\n-")
			if i := strings.Index(head, `name="`); i >= 0 {
				name, _, _ := strings.Cut(head[i+6:], `"`)
				if CredentialParam(name) || secretShaped(val) {
					add(val)
				}
			}
		}
		return
	}
	for p := range weburl.Pairs(body) {
		if v := p.RawValue; p.HasValue && (CredentialParam(p.Key()) || secretShaped(v) || secretShaped(p.Value())) {
			add(v)
			add(p.Value())
		}
	}
}

// jsonStringValues calls fn with each string value of a JSON text and the
// key it is under ("" in an array), without building a tree; it stops at
// the first thing that is not JSON. Escapes are decoded.
func jsonStringValues(t string, fn func(key, v string)) {
	var key string
	var stack []byte
	for i := 0; i < len(t); i++ {
		switch c := t[i]; c {
		case '{', '[':
			if len(stack) >= 64 {
				return
			}
			stack = append(stack, c)
			key = ""
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case '"':
			j := i + 1
			esc := false
			for j < len(t) && t[j] != '"' {
				if t[j] == '\\' {
					esc = true
					j++
				}
				j++
			}
			if j >= len(t) {
				return
			}
			str := t[i+1 : j]
			if esc {
				str = gjson.Parse(t[i : j+1]).String()
			}
			k := j + 1
			for k < len(t) && (t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r') {
				k++
			}
			if k < len(t) && t[k] == ':' && len(stack) > 0 && stack[len(stack)-1] == '{' {
				key = str
			} else {
				fn(key, str)
			}
			i = j
		}
	}
}

// scrub replaces every known secret in text with its fingerprint, then masks
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

// ShowHeaderValue returns a header value as a door may print it (evidence,
// a diff): a credential header's (by its name) masked as maskHeaderValue
// does; a reference id that has its vendor's shape (a cf-ray) as it is;
// any other value passed through MaskValueShapes, so a secret under an
// unexpected name (X-Request-Sig, X-Upstream-Pass, a JWT in any header)
// is fingerprinted too.
func ShowHeaderValue(name, value string) string {
	// Cookie, Set-Cookie and Authorization are credential headers too; a
	// challenge keeps its server-sent nonce (maskChallengeTokens).
	if CredentialHeader(name) || ascii.HasSuffix(name, "-authenticate") {
		return maskHeaderValue(name, value)
	}
	if referenceShaped(name, value) {
		return value
	}
	if idHeader(name) {
		// A cache node's or an edge's id (Fastly's X-Served-By:
		// cache-lhr7380-LHR) is evidence, not a secret: only a JWT or a
		// key-prefixed token in it is masked.
		return capture.MaskTokenShapes(value)
	}
	return MaskValueShapes(value)
}

// idHeader: a response header of words.json's id-headers (cache nodes,
// edge locations, CDN request ids), any case.
func idHeader(name string) bool {
	if len(name) > 40 {
		return false
	}
	return slices.Contains(list(idHeaders), ascii.Lower(name))
}

// secretShaped: v is random-shaped (RandomShaped) and not an id of a
// public shape (knowledge.PublicID: Stripe's acct_…, Airtable's app…).
func secretShaped(v string) bool {
	return RandomShaped(v) && !knowledge.PublicID(v)
}

// objectID: seg, random-shaped, is the id of an object in a REST path, the
// segment after its collection's name (documents/users/<uid>): a plural
// word of letters (users, projects, orders) that does not hold secrets
// (knowledge.SecretCollection: keys, tokens, hooks, invites…), and seg is
// letters, digits, '-' and '_' only. A user's or a document's id is what
// the refusal is about, not a credential.
func objectID(collection, seg string) bool {
	if len(collection) < 4 || collection[len(collection)-1] != 's' || len(seg) > 64 || knowledge.SecretCollection(collection) {
		return false
	}
	for i := 0; i < len(collection); i++ {
		if c := collection[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	for i := 0; i < len(seg); i++ {
		if c := seg[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// MaskValueShapes fingerprints what looks like a secret in a value whatever
// it is called: a JWT or a key-prefixed token anywhere
// (capture.LooksSecret), the userinfo of a URL (scheme://user:pass@host),
// and a random-shaped run of token characters (RandomShaped) — whole, or
// the value of a name=value, or one '/'-separated piece of a path (a path
// as a whole is not judged: a host name and a hex id together look random).
func MaskValueShapes(text string) string {
	return capture.MapRuns(maskUserinfo(text), 16, maskRun)
}

// maskRun masks one run of token characters (MaskValueShapes): a JWT or a
// key whole, else each random-shaped piece between '/' and '=' (a value,
// a path segment).
func maskRun(w string) string {
	t := strings.TrimRight(w, ".")
	if capture.LooksSecret(t) {
		return capture.Fingerprint("", t) + w[len(t):]
	}
	var b strings.Builder
	from := 0
	for i := 0; i <= len(t); i++ {
		if i < len(t) && t[i] != '/' && t[i] != '=' {
			continue
		}
		if p := t[from:i]; secretShaped(p) {
			b.WriteString(capture.Fingerprint("", p))
		} else {
			b.WriteString(p)
		}
		if i < len(t) {
			b.WriteByte(t[i])
		}
		from = i + 1
	}
	return b.String() + w[len(t):]
}

// maskUserinfo fingerprints the user:password of each URL in text.
func maskUserinfo(text string) string { return capture.MapUserinfo(text, userinfoPrint) }

func userinfoPrint(ui string) string { return capture.Fingerprint("userinfo", ui) }

// secretSegment tells a secret path segment (EachURLPart), given the
// segments before it: the part to keep, the secret's kind ("" to guess it
// from its shape), then the secret ("" for none).
func secretSegment(prev []string, seg string) (keep, kind, secret string) {
	if len(seg) < 8 {
		return "", "", ""
	}
	if rest, ok := strings.CutPrefix(seg, "bot"); ok && telegramToken(PercentDecode(rest)) {
		return "bot", "telegram-bot-token", rest
	}
	if telegramToken(PercentDecode(seg)) { // the token without its "bot" word
		return "", "telegram-bot-token", seg
	}
	var p [3]string // the three segments before, lower case, nearest first
	for k := range p {
		if len(prev) > k {
			p[k] = ascii.Lower(prev[len(prev)-1-k])
		}
	}
	if dec := PercentDecode(seg); capture.LooksSecret(dec) || RandomShaped(dec) && !knowledge.PublicID(dec) && !objectID(p[0], dec) {
		return "", "", seg
	}
	hooks := p[0] == "hooks" || p[0] == "webhooks" || p[0] == "webhook"
	switch {
	case p[2] == "services" && strings.HasPrefix(p[1], "t") && strings.HasPrefix(p[0], "b"):
		return "", "slack-webhook-secret", seg
	case (p[1] == "webhooks" || p[1] == "webhook") && allDigits(p[0]) && len(seg) >= 16:
		return "", "discord-webhook-token", seg
	case hooks && len(seg) >= 16 && strings.ContainsAny(seg, "0123456789") && !allDigits(seg):
		return "", "webhook-secret", seg
	}
	return "", "", ""
}

// telegramToken tells a Telegram bot token: <bot id>:<35 token characters>.
func telegramToken(s string) bool {
	id, secret, ok := strings.Cut(s, ":")
	return ok && len(id) >= 5 && allDigits(id) && len(secret) >= 20 && strings.IndexFunc(secret, func(r rune) bool { return r > 0x7f || !capture.IsCredChar(byte(r)) }) < 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
