package detect

import (
	"strconv"
	"why401/analyzer/internal/knowledge"

	"slices"
	"strings"
	"unicode/utf8"

	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
	"why401/internal/weburl"
)

// SchemeID maps a challenge or credential scheme name to the report's fixed
// vocabulary, "" for a word it does not know. The report's scheme is never a
// word taken from the capture: a key sent without a scheme word
// ("Authorization: sk_live_…") would otherwise come out whole as the scheme.
func SchemeID(s string) string {
	if len(s) > 24 {
		return ""
	}
	var buf [24]byte
	l := buf[:len(s)]
	for i := 0; i < len(s); i++ {
		l[i] = ascii.LowerByte(s[i])
	}
	switch string(l) {
	case "basic":
		return "basic"
	case "bearer":
		return "bearer"
	case "digest":
		return "digest"
	case "negotiate", "kerberos":
		return "negotiate"
	case "ntlm":
		return "ntlm"
	case "dpop":
		return "dpop"
	case "mutual":
		return "mutual"
	case "hoba":
		return "hoba"
	case "privatetoken":
		return "privatetoken"
	case "token", "apikey", "ssws", "key", "api-key", "apikeyauth":
		return "apikey"
	case "oauth", "oauth2":
		return "bearer"
	}
	if len(l) > 4 && string(l[:4]) == "aws4" {
		return "aws4"
	}
	switch string(l) {
	case "eg1-hmac-sha256", // Akamai EdgeGrid
		"sharedkey", "sharedkeylite", // Azure Storage's Shared Key
		"hawk", "signature", "hmac", "hmac-sha256", // request signing with a static key (Hawk, HTTP Signatures)
		"aws", "googlelogin", "splunk", "sso-key": // AWS signature v2, legacy Google, Splunk, GoDaddy
		return "apikey" // requests signed or keyed with a static secret
	}
	return ""
}

// authorization splits an Authorization (or Proxy-Authorization) value into
// the scheme word and the credential. word is "" when the value is a bare
// credential with no scheme word in front ("Authorization: sk_live_…", a
// common mistake): then cred is the whole value. A single known word
// ("Authorization: Bearer") is a scheme with an empty credential.
func authorization(v string) (word, cred string) {
	v = strings.TrimSpace(v)
	w, rest, ok := strings.Cut(v, " ")
	if !ok {
		if SchemeID(v) != "" {
			return v, ""
		}
		return "", v
	}
	return w, strings.TrimSpace(rest)
}

// challengeSignals reads WWW-Authenticate (401, and 403 insufficient_scope)
// and Proxy-Authenticate (407) against what the request sent (RFC 9110 §11,
// RFC 6750, 7616, 4559, 9449, 9470, 9728, 8120).
func challengeSignals(ex *capture.Exchange, lim capture.Limits, w *capture.Warnings) []Signal {
	resp := &ex.Response
	var out []Signal
	if pa := resp.Values("Proxy-Authenticate"); len(pa) > 0 || resp.Status == 407 {
		chs, trunc := ParseChallenges(pa, lim.ChallengeParams)
		if trunc {
			w.Add("challenge-params", "a Proxy-Authenticate field had more than "+strconv.Itoa(lim.ChallengeParams)+" parameters; the rest were ignored (limit ChallengeParams)")
		}
		out = append(out, proxySignals(ex, chs)...)
	}
	if s, ok := proxyACLDenied(ex); ok {
		out = append(out, s)
	}
	fields := resp.Values("WWW-Authenticate")
	if len(fields) == 0 {
		return out
	}
	chs, trunc := ParseChallenges(fields, lim.ChallengeParams)
	if trunc {
		w.Add("challenge-params", "a WWW-Authenticate field had more than "+strconv.Itoa(lim.ChallengeParams)+" parameters; the rest were ignored (limit ChallengeParams)")
	}
	if len(chs) == 0 {
		return out
	}
	var sent string // the scheme the request used (vocabulary), "" when none or unknown
	var sentCred string
	sentAuth := false // the request carried an Authorization field at all
	for _, c := range credentialsOf(ex) {
		if c.Where == "Authorization" {
			sent, sentCred, sentAuth = SchemeID(c.Word), c.Raw, true
			break
		}
	}
	status := resp.Status
	text := "WWW-Authenticate: " + capture.Clip(maskChallengeTokens(strings.Join(fields, ", ")), 300)
	names := make([]string, 0, len(chs))
	for _, c := range chs {
		names = append(names, c.Scheme)
	}
	base := Signal{Where: WhereHeader, Text: text, Entry: -1, Params: map[string]string{"schemes": strings.Join(names, ", ")}}
	// The schemes the server takes, in its words, for the fixes that name
	// the scheme to send: other_scheme when Bearer is not among them (a
	// Token, SSWS or Basic challenge is not answered with "Authorization:
	// Bearer …"; fixes.json's {{?bearer_fits}} steps then stay out).
	base.Params["www_schemes"] = capture.Clip(strings.Join(names, ", "), 80)
	switch h := groupOf(words().challengeHeaders, ascii.Lower(names[0])); {
	case h != "":
		// A challenge whose credential goes in a header of its own, not in
		// Authorization (OpenStack's Keystone: X-Auth-Token).
		base.Params["challenge_header"] = h
	case slices.ContainsFunc(names, func(n string) bool { return ascii.EqualFold(n, "bearer") }):
		base.Params["offer_scheme"] = "Bearer"
	case len(names[0]) <= 32:
		base.Params["offer_scheme"], base.Params["other_scheme"] = names[0], names[0]
	}

	// Pick the challenge that explains most: one with an error code, else the
	// one matching what was sent, else the first.
	best := chs[0]
	for _, c := range chs {
		if _, ok := c.Param("error"); ok {
			best = c
			break
		}
		if sent != "" && SchemeID(c.Scheme) == sent {
			best = c
		}
	}
	scheme := SchemeID(best.Scheme)
	for _, p := range best.Params {
		if p.Name != "nonce" && p.Name != "opaque" && len(p.Value) < 512 {
			base.Params[p.Name] = p.Value
		}
	}
	base.Params["scheme"] = best.Scheme // the server's word, quoted by fixes
	if sentCred != "" && sent != "" {
		base.Params["sent"] = sent
	}
	if status == 200 || status < 400 {
		// A final 200 may carry a mutual-auth Negotiate token: not a failure.
		return out
	}
	sig := func(id string, kind knowledge.Kind, w float64, cause string) Signal {
		s := base
		s.ID, s.Kind, s.Weight, s.Scheme, s.Cause = id, kind, w, scheme, cause
		return s
	}
	missingOrInvalid := func() string {
		if ex.Request == nil {
			return "" // the capture does not show what was sent
		}
		if !sentAuth && !hasOtherCredential(ex) {
			return "missing_credentials"
		}
		return "invalid_credentials"
	}

	errCode := best.Get("error")
	desc := strings.ToLower(best.Get("error_description"))
	switch scheme {
	case "bearer", "dpop":
		switch errCode {
		case "invalid_token":
			cause := "invalid_credentials"
			if strings.Contains(desc, "expired") || strings.Contains(desc, "exp\" claim") || strings.Contains(desc, "lifetime") {
				cause = "expired_token"
			}
			if strings.Contains(desc, "issued at future") || strings.Contains(desc, "not yet valid") || strings.Contains(desc, "nbf") {
				cause = "clock_skew"
			}
			if ex.Request != nil && !sentAuth && !hasOtherCredential(ex) {
				cause = "missing_credentials"
			}
			out = append(out, sig("bearer-error", knowledge.KindAuth, 0.97, cause))
		case "insufficient_scope":
			kind := knowledge.KindForbidden
			if status == 401 { // Docker/OCI registries answer 401 with insufficient_scope
				kind = knowledge.KindAuth
			}
			out = append(out, sig("bearer-error", kind, 0.97, "insufficient_scope"))
		case "invalid_request":
			out = append(out, sig("bearer-error", knowledge.KindAuth, 0.9, "malformed_credentials"))
		case "insufficient_user_authentication":
			out = append(out, sig("bearer-error", knowledge.KindAuth, 0.97, "step_up"))
		case "use_dpop_nonce":
			s := sig("dpop-nonce", knowledge.KindAuth, 0.97, "dpop_nonce")
			s.Scheme = "dpop"
			if n := strings.TrimSpace(resp.Get("DPoP-Nonce")); n != "" {
				s.Params["dpop_nonce_header"] = "present"
				// The nonce is the server's, sent in the clear for the
				// client to echo (RFC 9449 §8): it proves nothing without
				// the client's private key, so it is shown, as other
				// server-issued ids are; a long one is clipped. One shaped
				// like a JWT (RFC 9449's own example) is fingerprinted by
				// the report's shape masking like any JWT: the fix then
				// names the header rather than a fingerprint.
				if n = capture.Clip(n, 80); !strings.ContainsAny(n, "\r\n") {
					s.Text += "; DPoP-Nonce: " + n
					if capture.MaskTokenShapes(n) == n {
						s.Params["dpop_nonce"] = n
					}
				}
			}
			out = append(out, s)
		case "invalid_dpop_proof":
			s := sig("dpop-proof", knowledge.KindAuth, 0.97, "invalid_dpop_proof")
			s.Scheme = "dpop"
			out = append(out, s)
		case "":
			switch {
			case best.Get("realm") != "" && best.Get("service") != "" && !sentAuth:
				out = append(out, sig("registry-token-dance", knowledge.KindAuth, 0.92, "handshake"))
			case best.Get("resource_metadata") != "" && !sentAuth:
				out = append(out, sig("protected-resource-metadata", knowledge.KindAuth, 0.92, "handshake"))
			default:
				out = append(out, sig("www-authenticate", knowledge.KindAuth, 0.92, missingOrInvalid()))
			}
		default:
			out = append(out, sig("bearer-error", knowledge.KindAuth, 0.9, missingOrInvalid()))
		}
	case "digest":
		switch {
		case ascii.EqualFold(best.Get("stale"), "true"):
			out = append(out, sig("digest-stale", knowledge.KindAuth, 0.97, "stale_nonce"))
		case sent == "digest":
			s := sig("digest-rejected", knowledge.KindAuth, 0.93, "invalid_credentials")
			if alg := digestAlgorithm(digestParam(sentCred, "algorithm")); alg != "" && !offersAlgorithm(chs, alg) {
				s.Cause = "malformed_credentials"
				s.Params["problem"] = "the request used algorithm " + alg + ", which the server did not offer"
			}
			out = append(out, s)
		default:
			out = append(out, sig("digest-challenge", knowledge.KindAuth, 0.9, "handshake"))
		}
	case "negotiate", "ntlm":
		switch {
		case best.Token68 != "" && sentAuth:
			out = append(out, sig("negotiate-continue", knowledge.KindAuth, 0.92, "handshake"))
		case !sentAuth:
			out = append(out, sig("negotiate-first-leg", knowledge.KindAuth, 0.9, "handshake"))
		case (sent == "ntlm" || sent == "negotiate") && strings.HasPrefix(sentCred, "TlRMTVNTUAAB"):
			// A type-1 message answered by a bare NTLM: the connection was not kept.
			out = append(out, sig("ntlm-connection-lost", knowledge.KindAuth, 0.85, "handshake"))
		default:
			out = append(out, sig("negotiate-rejected", knowledge.KindAuth, 0.93, "invalid_credentials"))
		}
	case "privatetoken":
		// RFC 9577 Privacy Pass. Cloudflare's challenge asks for a Private
		// Access Token under /cdn-cgi/challenge-platform/…/pat/; clients
		// without PAT support get this 401 and the challenge goes on without.
		s := sig("private-access-token", knowledge.KindAuth, 0.95, "handshake")
		s.Text += " — a Private Access Token (Privacy Pass, RFC 9577) request: expected and harmless; clients that cannot answer it fall back to the page's normal challenge or content"
		out = append(out, s)
	case "mutual":
		cause := map[string]string{"initial": "handshake", "stale-session": "stale_nonce", "auth-failed": "invalid_credentials",
			"reauth-needed": "expired_session", "invalid-parameters": "malformed_credentials", "user-unknown": "invalid_credentials",
			"invalid-credential": "invalid_credentials", "authz-failed": "insufficient_permissions"}[best.Get("reason")]
		if cause == "" {
			cause = missingOrInvalid()
		}
		out = append(out, sig("mutual-reason", knowledge.KindAuth, 0.95, cause))
	default:
		out = append(out, sig("www-authenticate", knowledge.KindAuth, 0.92, missingOrInvalid()))
	}
	if status == 403 && len(out) > 0 && out[len(out)-1].Cause != "insufficient_scope" {
		// WWW-Authenticate on a 403 is allowed but weaker evidence of authentication.
		out[len(out)-1].Weight -= 0.1
	}
	return out
}

func hasOtherCredential(ex *capture.Exchange) bool {
	for _, c := range credentialsOf(ex) {
		if c.Where != "Authorization" {
			return true
		}
	}
	return false
}

func digestParam(cred, name string) string {
	for _, p := range strings.Split(cred, ",") {
		k, v, ok := strings.Cut(p, "=")
		if ok && ascii.EqualFold(strings.TrimSpace(k), name) {
			return strings.Trim(strings.TrimSpace(v), "\"")
		}
	}
	return ""
}

// digestAlgorithm returns alg spelt as RFC 7616 names it, "" for any other
// value: what the request sent is quoted only when it is a known name.
func digestAlgorithm(alg string) string {
	for _, a := range []string{"MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "SHA-512-256-sess"} {
		if ascii.EqualFold(alg, a) {
			return a
		}
	}
	return ""
}

func offersAlgorithm(chs []Challenge, alg string) bool {
	for _, c := range chs {
		if SchemeID(c.Scheme) != "digest" {
			continue
		}
		a := c.Get("algorithm")
		if a == "" {
			a = "MD5"
		}
		if ascii.EqualFold(a, alg) {
			return true
		}
	}
	return false
}

func proxySignals(ex *capture.Exchange, chs []Challenge) []Signal {
	scheme := ""
	text := "HTTP 407 Proxy Authentication Required"
	params := map[string]string{}
	var offered []string // the schemes the proxy offers, as it wrote them
	for _, c := range chs {
		if !slices.Contains(offered, c.Scheme) {
			offered = append(offered, c.Scheme)
		}
	}
	if len(chs) > 0 {
		scheme = SchemeID(chs[0].Scheme)
		text = "Proxy-Authenticate: " + capture.Clip(maskChallengeTokens(strings.Join(ex.Response.Values("Proxy-Authenticate"), ", ")), 300)
		params["scheme"] = chs[0].Scheme
		params["offered"] = strings.Join(offered, ", ")
		// The offered schemes the fixes answer with their own tools.
		var windows []string
		for _, o := range offered {
			if id := SchemeID(o); id == "ntlm" || id == "negotiate" {
				windows = append(windows, o)
			}
		}
		if len(windows) > 0 {
			params["windows_offered"] = strings.Join(windows, ", ")
		}
		// Each offered scheme by name: a fix speaks of a scheme (its curl
		// flag, "Basic will not answer it") only when the proxy offers it
		// (review 4 r20: --proxy-ntlm to a proxy offering Negotiate and Basic).
		for _, c := range chs {
			switch SchemeID(c.Scheme) {
			case "ntlm":
				params["ntlm_offered"] = c.Scheme
			case "negotiate":
				params["negotiate_offered"] = c.Scheme
			case "basic":
				params["basic_offered"] = c.Scheme
			}
		}
		if r := rawBasicRealm(ex.Response.Values("Proxy-Authenticate")); r != "" && MaskValueShapes(r) == r {
			params["basic_realm_hint"] = "its realm says “" + capture.Clip(r, 100) + "”"
		}
		if offersScheme(offered, "Digest") {
			params["digest_offered"] = "Digest"
		}
		if r := chs[0].Get("realm"); r != "" {
			params["realm"] = r
		}
	}
	w := 0.85
	if ex.Response.Status == 407 && len(chs) > 0 {
		w = 0.97
	} else if ex.Response.Status != 407 {
		w = 0.6
	}
	for k, v := range proxyParams(ex) {
		params[k] = v
	}
	// A Basic realm that names the Windows domain ("use your HL\ Windows
	// login") fills the DOMAIN of the account the fixes write.
	if u, ok := strings.CutPrefix(params["proxy_domain_user"], "DOMAIN\\"); ok {
		if d := realmDomain(rawBasicRealm(ex.Response.Values("Proxy-Authenticate"))); d != "" {
			params["proxy_domain_user"] = d + "\\" + u
		}
	}
	// Squid names its error page in X-Squid-Error (ERR_CACHE_ACCESS_DENIED:
	// the proxy wants credentials first).
	if xe := strings.TrimSpace(ex.Response.Get("X-Squid-Error")); xe != "" && MaskValueShapes(xe) == xe {
		text += "; X-Squid-Error: " + capture.Clip(xe, 80)
	}
	sentProxy := ex.Request != nil && ex.Request.Get("Proxy-Authorization") != ""
	if sentProxy {
		params["sent"] = "yes"
	} else if ex.Response.Status == 407 && ex.Request != nil && !ex.FromHAR {
		// The capture shows the request (a browser's HAR hides the
		// proxy's handshake): it carried no credentials for the proxy.
		// Said first: it is the whole cause.
		params["proxy_none_sent"] = "yes"
		text = "the request sent no Proxy-Authorization, and the proxy asks for it: " + text
	}
	if v := ex.Response.Get("Via"); v != "" {
		params["via"] = capture.Clip(v, 100)
	}
	out := []Signal{{ID: "proxy-authenticate", Kind: knowledge.KindProxyAuth, Weight: w, Scheme: scheme, Cause: "proxy_auth",
		Where: WhereHeader, Text: text, Entry: -1, Params: params}}
	if s, ok := corporateProxy(ex, offered); ok {
		out = append(out, s)
	}
	if !sentProxy && ex.Response.Status == 407 {
		if s, ok := proxyProvider(ex, params, false); ok {
			out = append(out, s)
		}
	}
	if sentProxy && ex.Response.Status == 407 {
		sent := params["proxy_sent_scheme"]
		if sent != "" && len(offered) > 0 && !offersScheme(offered, sent) {
			// RFC 9110 §11.7.1: the client answered with a scheme the proxy
			// did not offer; the proxy refused the scheme, not (only) the password.
			return append(out, Signal{ID: "proxy-scheme-not-offered", Where: WhereContext, Scheme: scheme, Entry: -1, Params: params,
				Text: "the request sent Proxy-Authorization " + sent + ", a scheme the proxy does not offer (Proxy-Authenticate offers " + params["offered"] + "): the proxy refused the scheme, whatever the password"})
		}
		if s, ok := proxyProvider(ex, params, true); ok {
			out = append(out, s)
		}
		// Context, not a vote: the same verdict, but the fix differs (wrong
		// proxy credentials rather than none).
		out = append(out, Signal{ID: "proxy-credentials-rejected", Where: WhereContext, Scheme: scheme, Entry: -1,
			Text: "the request already carried Proxy-Authorization and the proxy answered 407 again: it rejected those credentials"})
	}
	return out
}

// SigProxyProvider names the scraping-proxy provider whose proxy refused
// the credentials (proxy_providers.json), by its host or its user-name
// format; its params carry the provider's documented credential format.
const SigProxyProvider = "proxy-provider"

// proxyProvider: the proxy that refused is a known provider's, by the
// proxy's host (a curl -v transcript names it) or else by the user name's
// format. A provider that reads its targeting from the password, sent
// targeting in the user name, gets provider_misplaced: that part, the fix
// says it goes after the password.
func proxyProvider(ex *capture.Exchange, params map[string]string, sent bool) (Signal, bool) {
	list, _ := knowledge.ProxyProviders() // a provider that does not load is left out, and named by knowledge.Err
	host, _, _ := strings.Cut(params["proxy_hostport"], ":")
	user := params["proxy_user"]
	for i := range list {
		p := &list[i]
		why := ""
		switch {
		case host != "" && p.MatchHost(host):
			why = "the proxy " + params["proxy_hostport"] + " is " + possessive(p.Name)
		case host == "" && user != "" && p.MatchUser(user):
			why = "the proxy user name sent (Basic, decoded: " + user + ") has " + possessive(p.Name) + " format"
		default:
			continue
		}
		what := ": a scraping-proxy provider refused the credentials, the target never saw the request"
		if !sent {
			what = ": a scraping-proxy provider asks for its proxy user's credentials, the target never saw the request"
		}
		sp := map[string]string{"provider_name": p.Name, "provider_possessive": possessive(p.Name), "provider_user_format": p.UserFormat, "provider_password": p.Password, "provider_where": p.Where}
		if sent {
			if tail := showTargeting(p.Misplaced(sentProxyUser(ex))); tail != "" {
				sp["provider_misplaced"] = tail
				what += "; the user name sent ends in " + tail + ", targeting " + p.Name + " reads from the password"
			}
		}
		return Signal{ID: SigProxyProvider, Where: WhereContext, Entry: -1, Text: why + what, Params: sp}, true
	}
	return Signal{}, false
}

// sentProxyUser: the user name of the request's Basic Proxy-Authorization,
// decoded, or "". Not shown as is: showTargeting picks what a report says.
func sentProxyUser(ex *capture.Exchange) string {
	if ex.Request == nil {
		return ""
	}
	word, rest := authorization(strings.TrimSpace(ex.Request.Get("Proxy-Authorization")))
	if SchemeID(word) != "basic" {
		return ""
	}
	dec, ok := DecodeBasic(rest)
	if !ok {
		return ""
	}
	user, _, _ := strings.Cut(dec, ":")
	return user
}

// showTargeting: a proxy user name's targeting part (_country-de_session-
// abc_lifetime-30m) as a report shows it: each value kept when it is a
// plain identifier, "…" where it has a secret's shape; "" for none.
func showTargeting(tail string) string {
	if tail == "" || len(tail) > 200 || !utf8.ValidString(tail) || strings.ContainsAny(tail, "\r\n") {
		return ""
	}
	parts := strings.Split(tail, "_")
	for i, part := range parts {
		k, v, ok := strings.Cut(part, "-")
		if ok && MaskValueShapes(v) != v {
			parts[i] = k + "-…"
		}
	}
	return strings.Join(parts, "_")
}

// possessive: "Oxylabs'", "SOAX's"; a name that ends in a parenthesis
// ("Decodo (formerly Smartproxy)") takes it before the parenthesis.
func possessive(name string) string {
	base, paren, _ := strings.Cut(name, " (")
	if paren != "" {
		paren = " (" + paren
	}
	if strings.HasSuffix(base, "s") {
		return base + "'" + paren
	}
	return base + "'s" + paren
}

// offersScheme: one of the offered schemes is s (case aside).
func offersScheme(offered []string, s string) bool {
	for _, o := range offered {
		if ascii.EqualFold(o, s) || SchemeID(o) != "" && SchemeID(o) == SchemeID(s) {
			return true
		}
	}
	return false
}

// proxyParams are what the capture says about the proxy, for its fixes:
// its URL when a curl -v transcript names it ("Connected to proxy.corp
// (10.0.0.5) port 8080" before a CONNECT or an absolute-form request), the
// scheme of the Proxy-Authorization sent and, for Basic, the user name
// (never the password).
func proxyParams(ex *capture.Exchange) map[string]string {
	p := map[string]string{}
	req := ex.Request
	if req == nil {
		return p
	}
	viaProxy := ascii.EqualFold(req.Method, "CONNECT") || weburl.IsAbsolute(req.URL) && !strings.HasPrefix(req.URL, "/")
	for _, l := range ex.Info {
		// The proxy the curl command line names (-x, --proxy): host and
		// port only, read by capture.CurlProxy.
		if hp, ok := strings.CutPrefix(l, "Proxy "); ok && MaskValueShapes(hp) == hp {
			p["proxy_hostport"] = hp
			p["proxy_url"] = "http://" + hp
			break
		}
		if rest, ok := strings.CutPrefix(l, "Connected to "); ok && viaProxy {
			host, _, _ := strings.Cut(rest, " ")
			if i := strings.LastIndex(rest, " port "); i >= 0 && host != "" {
				port := rest[i+len(" port "):]
				if j := strings.IndexFunc(port, func(r rune) bool { return r < '0' || r > '9' }); j >= 0 {
					port = port[:j]
				}
				if port != "" && MaskValueShapes(host) == host {
					p["proxy_hostport"] = ascii.Lower(host) + ":" + port
					p["proxy_url"] = "http://" + p["proxy_hostport"]
				}
			}
			break
		}
	}
	if pa := strings.TrimSpace(req.Get("Proxy-Authorization")); pa != "" {
		word, rest := authorization(pa)
		if SchemeID(word) != "" {
			p["proxy_sent_scheme"] = canonicalScheme(word)
		}
		if SchemeID(word) == "basic" {
			if dec, ok := DecodeBasic(rest); ok {
				if user, _, ok := strings.Cut(dec, ":"); ok && user != "" && len(user) <= 200 && utf8.ValidString(user) && MaskValueShapes(user) == user && !strings.ContainsAny(user, "\r\n") {
					p["proxy_user"] = user
					// The account as a Windows proxy wants it: DOMAIN\user
					// unless the user name already names its domain.
					p["proxy_domain_user"] = user
					if !strings.ContainsAny(user, "\\@") {
						p["proxy_domain_user"] = "DOMAIN\\" + user
					}
				}
			}
		}
	}
	return p
}

// corporateProxy: the proxy that answered is a company's own (Squid, a
// secure web gateway, or one that asks for Windows authentication), not a
// scraping provider: its fixes talk of the directory account and the IT
// department, not of plans and zones. A proxy that offers NTLM or Negotiate
// is one too (proxy-windows-auth): Basic credentials will not answer it.
func corporateProxy(ex *capture.Exchange, offered []string) (Signal, bool) {
	if offersScheme(offered, "NTLM") || offersScheme(offered, "Negotiate") {
		return Signal{ID: "proxy-windows-auth", Where: WhereContext, Entry: -1,
			Text: "the proxy asks for Windows authentication (Proxy-Authenticate " + strings.Join(offered, ", ") + "): a company's proxy, which takes your directory account"}, true
	}
	// A provider's user name (zone, country or session in it) says the
	// Squid in front is a scraping provider's, whatever its Server says.
	if u := proxyParams(ex)["proxy_user"]; u != "" && firstOf([]byte(ascii.Lower(u)), list(providerProxyUserWords)) != "" {
		return Signal{}, false
	}
	for _, h := range []string{"Server", "Via", "X-Squid-Error"} {
		v := ex.Response.Get(h)
		if v == "" {
			continue
		}
		low := ascii.Lower(v)
		for _, w := range list(corporateProxyWords) {
			if strings.Contains(low, w) {
				return Signal{ID: "proxy-corporate", Where: WhereContext, Entry: -1,
					Text: h + ": " + capture.Clip(ShowHeaderValue(h, v), 80) + " names " + w + ", a proxy companies run for their own network, not a scraping provider"}, true
			}
		}
	}
	return Signal{}, false
}

// proxyACLDenied: a Squid proxy refused the request by its access rules
// (X-Squid-Error: ERR_ACCESS_DENIED on a 403; Squid's error pages name the
// error in this header): the site never saw the request, and neither its
// credentials nor a new IP for it will change the answer.
func proxyACLDenied(ex *capture.Exchange) (Signal, bool) {
	resp := &ex.Response
	xe := strings.TrimSpace(resp.Get("X-Squid-Error"))
	if code, _, _ := strings.Cut(xe, " "); resp.Status != 403 || code != "ERR_ACCESS_DENIED" {
		return Signal{}, false
	}
	params := proxyParams(ex)
	params["squid_error"] = capture.Clip(xe, 80)
	proxy := "the Squid proxy"
	// Via: 1.1 dc-proxy-02 (squid/5.7): the proxy's own name.
	if f := strings.Fields(resp.Get("Via")); len(f) >= 2 && MaskValueShapes(f[1]) == f[1] && len(f[1]) <= 100 {
		params["proxy_name"] = f[1]
		proxy += " " + f[1]
	}
	if h := ex.Host(); h != "" {
		params["target_host"] = h
	}
	return Signal{ID: "proxy-acl-denied", Kind: knowledge.KindForbidden, Weight: 0.9, Cause: "proxy_rule", Where: WhereHeader, Entry: -1, Params: params,
		Text: "X-Squid-Error: " + capture.Clip(xe, 80) + ": " + proxy + " refused the request by its access rules; the site never saw it"}, true
}

// rawBasicRealm is the realm of a Basic challenge among the values of
// Proxy-Authenticate as the proxy wrote it (its backslashes kept: "use
// your HL\ Windows login" names a domain), or "".
func rawBasicRealm(values []string) string {
	for _, v := range values {
		low := ascii.Lower(v)
		i := strings.Index(low, "basic ")
		if i < 0 || i > 0 && low[i-1] != ' ' && low[i-1] != ',' {
			continue
		}
		j := strings.Index(low[i:], "realm=\"")
		if j < 0 {
			continue
		}
		rest := v[i+j+len("realm=\""):]
		for k := 0; k < len(rest); k++ {
			switch rest[k] {
			case '\\':
				k++
			case '"':
				return strings.TrimSpace(rest[:k])
			}
		}
	}
	return ""
}

// realmDomain is the Windows domain a realm names as "NAME\" (an upper-case
// word right before a backslash), or "".
func realmDomain(realm string) string {
	i := strings.IndexByte(realm, '\\')
	if i <= 0 {
		return ""
	}
	j := i
	for j > 0 && (realm[j-1] >= 'A' && realm[j-1] <= 'Z' || realm[j-1] >= '0' && realm[j-1] <= '9' || realm[j-1] == '-') {
		j--
	}
	if i-j < 2 || i-j > 15 || j > 0 && realm[j-1] != ' ' && realm[j-1] != '(' && realm[j-1] != '"' {
		return ""
	}
	return realm[j:i]
}
