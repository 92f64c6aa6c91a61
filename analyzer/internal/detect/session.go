package detect

import (
	"why401/analyzer/internal/knowledge"

	"encoding/base64"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
	"why401/internal/weburl"
)

// credential is what the request presented, as far as the capture shows.
type credential = capture.Credential

// credentialsOf returns the request's credentials, parsed once per exchange
// (kept on the exchange): every detector and the story read this list.
func credentialsOf(ex *capture.Exchange) []credential {
	if ex.Credentials == nil {
		ex.Credentials = requestCredentials(ex.Request)
		if ex.Credentials == nil {
			ex.Credentials = []credential{} // read: none
		}
	}
	return ex.Credentials
}

// apiKeyHeader returns the index of name (any case) in words.json's
// api-key-headers, or -1.
func apiKeyHeader(name string, wl *lists) int {
	if len(name) < wl.apiKeyMin || len(name) > wl.apiKeyMax {
		return -1
	}
	var buf [maxAPIKeyHeaders]byte
	for i := 0; i < len(name); i++ {
		buf[i] = ascii.LowerByte(name[i])
	}
	lower := buf[:len(name)]
	for i, h := range wl.w[apiKeyHeaders] {
		if string(lower) == h {
			return i
		}
	}
	return -1
}

// requestCredentials lists what the request presented.
func requestCredentials(r *capture.Message) []credential {
	if r == nil {
		return nil
	}
	var out []credential
	if v := strings.TrimSpace(r.Get("Authorization")); v != "" {
		word, rest := authorization(v)
		c := credential{Where: "Authorization", Raw: rest, Word: word}
		c.Kind = capture.CredentialKind(strings.Trim(c.Raw, "\"' "))
		switch c.Scheme = SchemeID(word); {
		case word == "":
			// A bare credential with no scheme word: a key, unless it is a JWT.
			c.Scheme = "apikey"
			if c.Kind == "jwt" || c.Kind == "jwe" {
				c.Scheme = "bearer"
			}
		case c.Scheme == "bearer" && ascii.EqualFold(word, "bearer"):
			if isStaticKey(c.Kind) {
				c.Scheme = "apikey"
			}
		case c.Scheme == "apikey" && (c.Kind == "github-pat" || c.Kind == "github-oauth"):
			c.Scheme = "bearer" // GitHub's "token ghp_…"
		}
		out = append(out, c)
	}
	// One pass over the fields (not one Get per known name): this runs for
	// every exchange of a capture.
	wl := words()
	var seenKey uint64
	for _, f := range r.Fields {
		i := apiKeyHeader(f.Name, wl)
		if i < 0 || seenKey&(1<<i) != 0 {
			continue
		}
		seenKey |= 1 << i
		h := wl.w[apiKeyHeaders][i]
		if v := strings.TrimSpace(f.Value); v != "" {
			out = append(out, credential{Where: canonicalHeader(h), Scheme: "apikey", Raw: v, Kind: capture.CredentialKind(v)})
		}
	}
	for _, c := range r.Cookies() {
		if IsSessionCookie(c.Name) {
			out = append(out, credential{Where: "cookie " + c.Name, Scheme: "cookie", Raw: c.Value, Kind: "cookie"})
		}
	}
	// The query as net/url reads it (weburl.Query: after the first "?", up
	// to the fragment), each key and value decoded as the server decodes
	// them: "?key=a%26b#top" sent the key "a&b".
	for p := range weburl.Pairs(weburl.Query(r.URL)) {
		if p.RawValue == "" {
			continue
		}
		k, v := p.Key(), p.Value()
		if scheme := groupOf(wl.queryCredentials, ascii.Lower(k)); scheme != "" && v != "" {
			out = append(out, credential{Where: "query " + k, Scheme: scheme, Raw: v, Kind: capture.CredentialKind(v)})
		}
	}
	// A bot token in the path (Telegram's /bot<token>/<method>): the key
	// that API takes, so its refusal is not "no credentials".
	for path := weburl.Path(r.URL); path != ""; {
		var seg string
		seg, path, _ = strings.Cut(strings.TrimPrefix(path, "/"), "/")
		// The token, or what why401 sanitize put in its place.
		if rest, ok := strings.CutPrefix(seg, "bot"); ok && (telegramToken(PercentDecode(rest)) || strings.HasPrefix(rest, SanitizedMark+"-")) {
			out = append(out, credential{Where: "URL path", Scheme: "apikey", Raw: PercentDecode(rest), Kind: "telegram-bot-token"})
			break
		}
	}
	return append(out, formKeys(r, wl)...)
}

// formKeys lists the API keys of a urlencoded form body (Cloudinary's signed
// upload sends api_key, timestamp and signature as form fields): the request
// carried a key, so a refusal is not "no credentials". Only the apikey words
// of query-credential-params: a form's token field is as often a CSRF token.
func formKeys(r *capture.Message, wl *lists) []credential {
	if !ascii.HasPrefix(r.Get("Content-Type"), "application/x-www-form-urlencoded") || len(r.Body) == 0 {
		return nil
	}
	var out []credential
	for p := range weburl.Pairs(string(r.Body)) {
		if p.RawValue == "" {
			continue
		}
		if k := p.Key(); groupOf(wl.queryCredentials, ascii.Lower(k)) == "apikey" {
			v := p.Value()
			out = append(out, credential{Where: "form " + k, Scheme: "apikey", Raw: v, Kind: capture.CredentialKind(v)})
		}
	}
	return out
}

// SigBodyCredential: the request's body holds a non-empty password field.
const SigBodyCredential = "body-credential-sent"

// SigJWTNotExpired is the context signal of a 401 to a JWT whose exp is
// after the response's Date: the token had not expired.
const SigJWTNotExpired = "jwt-not-expired"

// BodyPasswordField returns the name of a non-empty password field of a
// request body (JSON, form or multipart), or "".
func BodyPasswordField(body []byte) string {
	if len(body) == 0 || len(body) >= 64<<10 {
		return ""
	}
	t := strings.TrimSpace(string(body))
	found := ""
	check := func(k, v string) {
		if found == "" && v != "" && passwordField(k) {
			found = k
		}
	}
	switch {
	case strings.HasPrefix(t, "{"):
		jsonStringValues(t, check)
	case strings.HasPrefix(t, "--"):
		for _, part := range strings.Split(t, "\n--") {
			head, val, ok := strings.Cut(part, "\r\n\r\n")
			if !ok {
				head, val, ok = strings.Cut(part, "\n\n")
			}
			if i := strings.Index(head, `name="`); ok && i >= 0 {
				name, _, _ := strings.Cut(head[i+6:], `"`)
				check(name, strings.TrimRight(val, "\r\n-"))
			}
		}
	default:
		for p := range weburl.Pairs(t) {
			check(p.Key(), p.RawValue)
		}
	}
	return found
}

// passwordField: a field name of a password (password, passwd, pwd,
// pass, passcode, passphrase, user[password]…).
func passwordField(k string) bool {
	n := ascii.Lower(k)
	if strings.Contains(n, "password") || strings.Contains(n, "passwd") || strings.Contains(n, "passphrase") {
		return true
	}
	switch n {
	case "pwd", "pass", "passcode":
		return true
	}
	return false
}

// isStaticKey: a credential kind that is not a token (words.json's token-kinds).
func isStaticKey(kind string) bool { return !slices.Contains(list(tokenKinds), kind) }

// IsSessionCookie tells a cookie that usually carries a login session: its
// name holds a word of words.json's session-cookie-words, and no vendor file
// names it as that vendor's cookie (VendorCookie: an anti-bot cookie is no
// session).
func IsSessionCookie(name string) bool {
	n := ascii.Lower(name) // no copy when already lower-case
	for _, w := range list(sessionCookieWords) {
		if strings.Contains(n, w) {
			return VendorCookie(name) == ""
		}
	}
	return false
}

// credentialSignals looks at what the request sent: malformed tokens,
// placeholders, JWT lifetimes against the response Date, keys of another vendor.
func credentialSignals(ex *capture.Exchange) []Signal {
	r := ex.Request
	if r == nil || ex.Response.Status < 400 && !(ex.Response.Status == 200 && len(ex.Response.Body) > 0) {
		return nil
	}
	failing := ex.Response.Status >= 400
	var out []Signal
	if field := BodyPasswordField(r.Body); field != "" && failing {
		// A login's body (email + password): not a credential the API's
		// headers carry, but never "no credentials" (third review m15).
		out = append(out, Signal{ID: SigBodyCredential, Where: WhereRequest, Entry: -1,
			Text:   "request body holds a password (field " + field + ")",
			Params: map[string]string{"body_credential": "a password in its body (field " + field + ")"}})
	}
	for _, c := range credentialsOf(ex) {
		shown := capture.Fingerprint(c.Kind, c.Raw)
		if c.Scheme == "basic" {
			// The last characters of base64(user:password) encode the end of
			// the password: show the length only.
			shown = "[basic len=" + strconv.Itoa(len(c.Raw)) + "]"
		}
		sent := Signal{ID: "credential-sent", Where: WhereRequest, Scheme: c.Scheme,
			Text: "request sent " + c.Where + " " + shown, Entry: -1,
			Params: map[string]string{"credential_where": c.Where, "credential": shown}}
		if c.Kind == "jwt" && failing {
			// Issuer and audience are not secrets, and often the whole answer
			// (a token for another API or tenant): quote them.
			if _, claims, ok := JWTClaims(c.Raw); ok {
				var parts []string
				for _, k := range []string{"iss", "aud"} {
					if v := gjson.GetBytes(claims, k); v.Exists() {
						t := v.String()
						sent.Params[k] = capture.Clip(t, 200)
						parts = append(parts, k+" "+capture.Clip(t, 100))
					}
				}
				if len(parts) > 0 {
					sent.Text += " (JWT " + strings.Join(parts, ", ") + ")"
				}
			}
		}
		out = append(out, sent)
		if !failing {
			continue
		}
		if looksRedacted(c.Raw) {
			// Redacted before it was shared: nothing to judge in the value, and
			// the server's answer alone decides (issue 20).
			out = append(out, Signal{ID: "credential-redacted", Where: WhereRequest, Scheme: c.Scheme, Entry: -1,
				Params: map[string]string{"credential_where": c.Where},
				Text:   c.Where + " looks redacted in this capture (" + shown + "): the verdict rests on the server's answer, not on the value"})
			continue
		}
		first := len(out)
		if s, ok := malformedCredential(c, r); ok {
			out = append(out, s)
		} else if s, ok := basicEmptyPart(c); ok {
			out = append(out, s)
		}
		if c.Kind == "jwt" {
			out = append(out, jwtSignals(c, ex)...)
		}
		if s, ok := foreignKey(c, ex.Host()); ok {
			out = append(out, s)
		}
		for i := first; i < len(out); i++ {
			out[i].Suspicion = out[i].Kind != ""
		}
	}
	return out
}

// looksRedacted tells a credential that a person or a tool replaced before
// the capture was shared: "sk-…REDACTED", "***", "xxxx", "[FILTERED]",
// "sk_live_****7dc". why401 sanitize's own placeholders are not among them:
// they keep what the analyzer judges (a JWT's claims, Basic's shape).
func looksRedacted(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" || strings.Contains(v, SanitizedMark) {
		return false
	}
	if strings.Contains(v, "***") || strings.Contains(v, "•••") || strings.Contains(v, "…") || strings.Contains(v, "...") {
		return true
	}
	low := ascii.Lower(v)
	if strings.Contains(low, "xxxx") {
		return true
	}
	if t := strings.Trim(low, "\"'[]<>(){} "); t == "xxx" || t == "" {
		return t == "xxx"
	}
	for _, w := range list(redactionWords) { // words a value someone hid before sharing holds
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// Placeholders are the values of words.json's placeholders: what an unset
// variable or a documentation example leaves in place of a credential
// (lower-case, whole values). The slice is shared: never change it.
func Placeholders() []string { return list(placeholders) }

// wordLike tells a scheme-like word (letters, '-' or '_') from a fragment of
// a secret split at a space (digits mixed in).
func wordLike(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return w != ""
}

func malformedCredential(c credential, r *capture.Message) (Signal, bool) {
	raw := c.Raw
	mk := func(why string) (Signal, bool) {
		return Signal{ID: "malformed-credential", Kind: knowledge.KindAuth, Weight: 0.9, Scheme: c.Scheme, Cause: "malformed_credentials",
			Where: WhereRequest, Text: c.Where + ": " + why, Entry: -1,
			Params: map[string]string{"credential_where": c.Where, "problem": why}}, true
	}
	low := ascii.Lower(strings.Trim(raw, "\"' "))
	if c.Where == "Authorization" {
		switch {
		case c.Word == "":
			return mk("the credential is sent without a scheme word in front (Authorization: " + capture.Fingerprint(c.Kind, raw) + "); most APIs expect the form Authorization: Bearer <key> or their documented scheme, a few take the bare key")
		case SchemeID(c.Word) == "" && !wordLike(c.Word):
			return mk("the scheme word is not one this analyzer knows (expected Bearer, Basic, Token, …)")
		case SchemeID(c.Word) == "":
			// A word this analyzer does not know may still be the API's own
			// scheme (Bot, Client-ID, MAC…): a suspicion from the request,
			// never the server's answer.
			s, ok := mk("the scheme word is not one this analyzer knows (Bearer, Basic, Token, …); check that the API documents it")
			s.Weight, s.Suspicion = 0.5, true
			return s, ok
		}
		if next, _, _ := strings.Cut(strings.TrimSpace(raw), " "); ascii.EqualFold(next, c.Word) {
			return mk("the scheme is doubled (" + strconv.Quote(canonicalScheme(c.Word)) + " twice)")
		}
		if raw == "" {
			return mk(strconv.Quote(canonicalScheme(c.Word)) + " carries no credential after the scheme")
		}
	}
	for _, p := range Placeholders() {
		if low == p {
			return mk("the value is the placeholder " + strconv.Quote(low) + ", not a real credential (an unset variable?)")
		}
	}
	if isDocPlaceholder(low) {
		return mk("the value looks like a documentation placeholder")
	}
	if v := unexpandedVariable(strings.Trim(raw, "\"' ")); v != "" {
		return mk("the value is the unexpanded template " + strconv.Quote(v) + ", not its value (single quotes in a shell, a missing env substitution?)")
	}
	if strings.HasPrefix(raw, "\"") || strings.HasPrefix(raw, "'") {
		return mk("the credential is wrapped in quotes (copied from JSON or a .env file?)")
	}
	if strings.ContainsAny(raw, " \t\r\n") && c.Scheme != "digest" && c.Scheme != "aws4" && !IsAuthParamList(raw) {
		return mk("the credential contains whitespace or a line break")
	}
	if c.Scheme == "basic" {
		dec, ok := DecodeBasic(raw)
		switch {
		case !ok:
			return mk("Basic credentials are not valid base64")
		case !strings.Contains(dec, ":"):
			return mk("Basic credentials decode to a value without the ':' between user-id and password (RFC 7617 §2)")
		case !utf8.ValidString(dec):
			return mk("Basic credentials are not UTF-8 (Latin-1 bytes?); RFC 7617 charset=\"UTF-8\" expects UTF-8")
		}
	}
	return Signal{}, false
}

// canonicalScheme writes a known scheme word as its RFC spelling ("Bearer");
// it is called only on words schemeID knows.
func canonicalScheme(word string) string {
	switch id := SchemeID(word); id {
	case "apikey", "aws4":
		return word // token, ApiKey, SSWS, AWS4-HMAC-SHA256: as sent, a known word
	case "ntlm", "hoba", "dpop":
		return strings.ToUpper(id)
	case "privatetoken":
		return "PrivateToken"
	default:
		return strings.ToUpper(id[:1]) + id[1:]
	}
}

// isDocPlaceholder recognises values copied from documentation: "your_api_key",
// "YourApiKeyHere", "<your-token>", "INSERT_TOKEN_HERE".
func isDocPlaceholder(low string) bool {
	if len(low) > 60 {
		return false
	}
	if strings.HasPrefix(low, "<") && strings.HasSuffix(low, ">") {
		return true
	}
	for _, p := range list(docPlaceholderPrefixes) {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	return strings.Contains(low, "your_") && len(low) < 40 || strings.HasSuffix(low, "_here") || strings.HasSuffix(low, "-here")
}

// unexpandedVariable returns a shell or template reference sent as is:
// $API_KEY, ${TOKEN}, {{token}}, %TOKEN%, process.env.TOKEN.
func unexpandedVariable(v string) string {
	switch {
	case len(v) > 80 || len(v) < 3:
		return ""
	case strings.HasPrefix(v, "${") && strings.HasSuffix(v, "}"),
		strings.HasPrefix(v, "{{") && strings.HasSuffix(v, "}}"),
		strings.HasPrefix(v, "%") && strings.HasSuffix(v, "%") && isEnvName(v[1:len(v)-1]),
		strings.HasPrefix(v, "$") && isEnvName(v[1:]),
		strings.HasPrefix(v, "process.env.") && isEnvName(v[len("process.env."):]),
		strings.HasPrefix(v, "os.environ"):
		return v
	}
	return ""
}

func isEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9' && i > 0) {
			return false
		}
	}
	return true
}

// IsAuthParamList reports whether credentials are an auth-param list
// ("k=v, k2=\"v2\"": Digest, Mutual, OAuth 1.0a…), where spaces are normal.
func IsAuthParamList(raw string) bool {
	k, v, ok := strings.Cut(raw, "=")
	if !ok || k == "" || v == "" || !strings.Contains(v, ",") {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !capture.IsTokenChar(k[i]) {
			return false
		}
	}
	return true
}

func DecodeBasic(v string) (string, bool) {
	v = strings.TrimSpace(v)
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(v, "="))
		if err != nil {
			return "", false
		}
	}
	return string(b), true
}

// JWTClaims decodes a JWT's header and payload (raw JSON) without verifying
// it; the payload must be valid JSON.
func JWTClaims(tok string) (header, payload []byte, ok bool) {
	parts := strings.Split(strings.Trim(tok, "\"' "), ".")
	if len(parts) != 3 {
		return
	}
	h, err1 := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	p, err2 := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err1 != nil || err2 != nil || !capture.ValidJSON(p) {
		return
	}
	return h, p, true
}

// jwtSignals compares exp/nbf/iat with the response Date — never the analyzer's
// clock: a pasted capture may be days old.
func jwtSignals(c credential, ex *capture.Exchange) []Signal {
	h, p, ok := JWTClaims(c.Raw)
	if !ok {
		return nil
	}
	var out []Signal
	params := map[string]string{"credential_where": c.Where}
	if iss := gjson.GetBytes(p, "iss").String(); iss != "" {
		params["iss"] = capture.Clip(iss, 200)
		// An https issuer publishes its token endpoint in its OpenID
		// configuration (OpenID Connect Discovery 1.0 §4).
		if rest, ok := strings.CutPrefix(iss, "https://"); ok && len(iss) <= 200 && rest != "" && !strings.ContainsAny(iss, " ?#\"") {
			params["iss_base"] = strings.TrimSuffix(iss, "/")
		}
	}
	if aud := gjson.GetBytes(p, "aud").String(); aud != "" {
		params["aud"] = capture.Clip(aud, 200)
	}
	if alg := gjson.GetBytes(h, "alg").String(); ascii.EqualFold(alg, "none") {
		out = append(out, Signal{ID: "jwt-alg-none", Kind: knowledge.KindAuth, Weight: 0.85, Scheme: c.Scheme, Cause: "malformed_credentials",
			Where: WhereRequest, Text: "the JWT header says alg \"none\" (unsigned); servers reject it", Entry: -1, Params: params})
	}
	if typ := gjson.GetBytes(h, "typ").String(); ascii.EqualFold(typ, "dpop+jwt") {
		out = append(out, Signal{ID: "jwt-dpop-proof-as-token", Kind: knowledge.KindAuth, Weight: 0.85, Scheme: "dpop", Cause: "malformed_credentials",
			Where: WhereRequest, Text: "a DPoP proof (typ dpop+jwt) was sent as the access token", Entry: -1, Params: params})
	}
	date, dateOK := ResponseDate(&ex.Response)
	if !dateOK && !ex.Started.IsZero() {
		date, dateOK = ex.Started, true
	}
	if !dateOK {
		if exp := gjson.GetBytes(p, "exp"); exp.Exists() {
			params["exp"] = unixString(exp.Float())
			out = append(out, Signal{ID: "jwt-exp-no-date", Where: WhereRequest, Scheme: c.Scheme, Entry: -1, Params: params,
				Text: "the JWT expires at " + params["exp"] + "; the capture has no Date header to compare with"})
		}
		return out
	}
	const leeway = 60 * time.Second
	if exp := gjson.GetBytes(p, "exp"); exp.Type == gjson.Number {
		e := exp.Float()
		if e > 1e12 {
			out = append(out, Signal{ID: "jwt-exp-millis", Kind: knowledge.KindAuth, Weight: 0.7, Scheme: c.Scheme, Cause: "malformed_credentials", Where: WhereRequest, Entry: -1,
				Text: "the JWT exp claim is in milliseconds, not seconds (RFC 7519 NumericDate is seconds)", Params: params})
		} else if t := unixTime(e); date.After(t.Add(leeway)) {
			ago := date.Sub(t).Round(time.Second)
			params["expired_ago"] = ago.String()
			params["exp"] = capture.FormatRFC3339(t)
			out = append(out, Signal{ID: "jwt-expired", Kind: knowledge.KindAuth, Weight: 0.95, Scheme: c.Scheme, Cause: "expired_token", Where: WhereRequest, Entry: -1,
				Text: "the JWT in " + c.Where + " expired at " + params["exp"] + ", " + ago.String() + " before the response Date " + capture.FormatRFC3339(date), Params: params})
		} else if t.After(date.Add(leeway)) && ex.Response.Status == 401 {
			// Not expired when the server refused it: the fixes then do not
			// lead with "get a new token" (a token replaced or revoked
			// before its expiry, or one for another API, explains it).
			left := HumanSeconds(t.Sub(date).Seconds())
			ps := map[string]string{"exp": capture.FormatRFC3339(t), "token_valid_for": left}
			out = append(out, Signal{ID: SigJWTNotExpired, Where: WhereRequest, Scheme: c.Scheme, Entry: -1, Params: ps,
				Text: "the JWT in " + c.Where + " expires at " + ps["exp"] + ", " + left + " after the response Date " + capture.FormatRFC3339(date) + ": it had not expired when the server refused it"})
		}
	}
	for _, claim := range []string{"nbf", "iat"} {
		if v := gjson.GetBytes(p, claim); v.Type == gjson.Number && v.Float() < 1e12 {
			if t := unixTime(v.Float()); t.After(date.Add(leeway)) {
				params["skew"] = t.Sub(date).Round(time.Second).String()
				out = append(out, Signal{ID: "jwt-" + claim + "-future", Kind: knowledge.KindAuth, Weight: 0.9, Scheme: c.Scheme, Cause: "clock_skew", Where: WhereRequest, Entry: -1,
					Text: "the JWT " + claim + " claim (" + capture.FormatRFC3339(t) + ") is " + params["skew"] + " after the response Date: the issuer's clock is ahead or the server's behind", Params: params})
				break
			}
		}
	}
	if gjson.GetBytes(p, "cnf.jkt").Exists() && c.Where == "Authorization" && c.Scheme == "bearer" {
		s := Signal{ID: "jwt-dpop-bound-as-bearer", Kind: knowledge.KindAuth, Weight: 0.85, Scheme: "dpop", Cause: "malformed_credentials", Where: WhereRequest, Entry: -1,
			Text: "the access token is DPoP-bound (cnf.jkt claim) but was sent as Authorization: Bearer, without a DPoP proof", Params: map[string]string{}}
		for k, v := range params {
			s.Params[k] = v
		}
		s.Params["problem"] = "a DPoP-bound token (cnf.jkt) must be sent as Authorization: DPoP <token> together with a DPoP proof header, not as Bearer"
		out = append(out, s)
	}
	if tu := gjson.GetBytes(p, "token_use").String(); tu == "id" {
		out = append(out, Signal{ID: "jwt-id-token", Kind: knowledge.KindAuth, Weight: 0.75, Scheme: c.Scheme, Cause: "invalid_credentials", Where: WhereRequest, Entry: -1,
			Text: "the JWT is an ID token (token_use \"id\"), not an access token", Params: params})
	}
	return out
}

func unixTime(f float64) time.Time {
	if math.IsNaN(f) || math.IsInf(f, 0) || f > 1e15 || f < -1e15 {
		return time.Time{}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9))
}

func unixString(f float64) string { return capture.FormatRFC3339(unixTime(f)) }

// ResponseDate parses the response Date header (RFC 9110 §5.6.7 and obsolete forms).
func ResponseDate(m *capture.Message) (time.Time, bool) {
	d := strings.TrimSpace(m.Get("Date"))
	if d == "" {
		return time.Time{}, false
	}
	return capture.ParseHTTPDate(d)
}

// SigBasicEmpty: Basic credentials whose password or user-id is empty
// (user: or :pass), what an unset variable in -u "$USER:$PASS" sends.
const SigBasicEmpty = "basic-empty-part"

// basicEmptyPart notices Basic credentials with an empty password or
// user-id; neither part is shown.
func basicEmptyPart(c credential) (Signal, bool) {
	if c.Scheme != "basic" {
		return Signal{}, false
	}
	dec, ok := DecodeBasic(c.Raw)
	user, pass, colon := strings.Cut(dec, ":")
	if !ok || !colon || user != "" && pass != "" || user == "" && pass == "" || pass == "" && keyShaped(user) {
		return Signal{}, false // a key as the user-id and no password is how Stripe, Zyte… take it
	}
	part := "password"
	if user == "" {
		part = "user-id"
	}
	why := "the " + part + " part of the Basic credentials is empty: the variable that should hold it is unset or empty"
	return Signal{ID: SigBasicEmpty, Kind: knowledge.KindAuth, Weight: 0.9, Scheme: "basic", Cause: "invalid_credentials", Where: WhereRequest, Entry: -1,
		Text:   c.Where + ": " + why,
		Params: map[string]string{"credential_where": c.Where, "empty_part": part},
		FixIDs: []string{fixBasicEmpty}}, true
}

// keyShaped: v looks like an API key: a known prefix, random, or a hex run
// of 16 or more in one case (Zyte's). A typed id, capitals then hex
// (Twilio's Account SID AC…), is the account, not its key.
func keyShaped(v string) bool {
	lower, upper := false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !isHexDigit(c) && c != '-' {
			return capture.LooksSecret(v) || RandomShaped(v)
		}
		lower, upper = lower || c >= 'a', upper || 'A' <= c && c <= 'F'
	}
	return len(v) >= 16 && !(lower && upper) || capture.LooksSecret(v) || RandomShaped(v)
}

// foreignKey notices a vendor key sent to another vendor's API.
func foreignKey(c credential, host string) (Signal, bool) {
	keyHosts := words().keyHosts // each key kind (value) with the hosts that accept it
	own := slices.IndexFunc(keyHosts, func(g knowledge.WordGroup) bool { return g.Value == c.Kind })
	if own < 0 || host == "" || strings.HasPrefix(host, "localhost") || strings.HasPrefix(host, "127.") {
		return Signal{}, false
	}
	for _, h := range keyHosts[own].Words {
		if strings.Contains(host, h) {
			return Signal{}, false
		}
	}
	// Only claim it for hosts that have their own key formats.
	for i, g := range keyHosts {
		if i == own {
			continue
		}
		for _, h := range g.Words {
			if strings.Contains(host, h) {
				return Signal{ID: "foreign-key", Kind: knowledge.KindAuth, Weight: 0.85, Scheme: "apikey", Cause: "invalid_credentials", Where: WhereRequest, Entry: -1,
					Text:   c.Where + " carries a key of kind " + c.Kind + ", but the request went to " + host,
					Params: map[string]string{"credential_where": c.Where, "key_kind": c.Kind, "host": host},
					FixIDs: []string{fixForeignKey}}, true
			}
		}
	}
	return Signal{}, false
}

// canonicalHeader writes a header name as "X-Api-Key" (without importing
// net/textproto, which pulls the net package into the page's wasm).
func canonicalHeader(h string) string {
	b := []byte(ascii.Lower(h))
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
		up = c == '-'
	}
	return string(b)
}
