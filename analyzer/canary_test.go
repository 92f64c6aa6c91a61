package analyzer

import (
	"why401/analyzer/internal/detect"

	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"why401/analyzer/internal/capture"
)

// canaries are unique secrets planted in every credential position; no
// output may contain one (fingerprints show at most their last 4 characters).
type canaries struct{ list []string }

func (c *canaries) next() string {
	s := fmt.Sprintf("cnry%02dQ7xZk9Lm3Vb8Np%02d", len(c.list), len(c.list))
	c.list = append(c.list, s)
	return s
}

func jwtWith(sig string) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	p := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"u1","exp":1700000000,"iss":"https://id.example.com/"}`))
	return h + "." + p + "." + sig
}

// canaryRequests builds request/response pairs with a canary in every place
// a credential can hide, for the raw and curl -v readers.
func canaryTexts(c *canaries) map[string]string {
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + c.next()))
	proxy := base64.StdEncoding.EncodeToString([]byte("bob:" + c.next()))
	jwt := jwtWith(c.next())
	key, cookie, setCookie, q1, q2, pw, vault, echo := c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	userinfo := c.next()
	digest, ntlm := c.next(), "TlRMTVNTUAADAAAA"+c.next()
	rawKey, authTok, word, afterWord, rawProxy, rawKey429 := "sk_live_"+c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	serverWord := "Custom" // a server's own scheme word is not a secret, but is not a label either
	// Issue 18: a fragment, a path parameter, subscription-key and
	// PHPSESSID in the query, a secret in a JSON request body under a key no
	// name list knows, echoed in the error, and a percent-encoded token
	// echoed decoded.
	frag, jsess, subKey, phpSess, jsonVal, named := c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	pct := c.next()
	pct = pct[:8] + "/+" + pct[8:]
	c.list[len(c.list)-1] = pct
	pctEnc := strings.NewReplacer("/", "%2F", "+", "%2B").Replace(pct)
	// Issue 31: secrets in URL paths (a Telegram bot token, Slack and
	// Discord webhook secrets, a JWT and a random-shaped segment), and
	// under header names no list knew (X-Request-Sig, X-Upstream-Pass,
	// the assertion JWTs of Cloudflare Access and Google IAP).
	bot, slack, discord, pathJWT, pathRand := c.next(), c.next(), c.next(), c.next(), c.next()
	sig, pass, cfJWT, iapJWT, hmacV, otp, pin := c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	resp401 := "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}\n"
	return map[string]string{
		"path-secrets": "GET https://api.telegram.org/bot123456789:" + bot + "/getMe HTTP/1.1\nHost: api.telegram.org\n\n" + resp401 +
			"POST https://hooks.slack.com/services/T01ABCDEF/B01GHIJKL/" + slack + " HTTP/1.1\nHost: hooks.slack.com\n\nHTTP/1.1 403 Forbidden\nContent-Type: text/plain\n\ninvalid_token\n" +
			"POST https://discord.com/api/webhooks/123456789012345678/" + discord + " HTTP/1.1\nHost: discord.com\n\n" + resp401 +
			"GET https://api.example.com/v1/session/" + jwtWith(pathJWT) + "/profile HTTP/1.1\nHost: api.example.com\n\n" + resp401 +
			"GET https://files.example.com/share/" + pathRand + "/report.pdf HTTP/1.1\nHost: files.example.com\n\nHTTP/1.1 403 Forbidden\nContent-Type: text/html\n\n<p>link " + pathRand + " expired</p>\n",
		"odd-headers": "GET /v1/orders HTTP/1.1\nHost: api.example.com\nX-Request-Sig: " + sig + "\nX-Upstream-Pass: " + pass +
			"\nCF-Access-Jwt-Assertion: " + jwtWith(cfJWT) + "\nX-Goog-IAP-JWT-Assertion: " + jwtWith(iapJWT) + "\nX-Hmac-Sha256: " + hmacV +
			"\nX-OTP: " + otp + "\nX-Pin: " + pin + "\n\nHTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{\"error\":\"signature " + sig + " does not match, pass " + pass + " unknown, otp " + otp + ", pin " + pin + ", hmac " + hmacV + "\"}",
		"url-positions": "GET https://api.example.com/app/home;jsessionid=" + jsess + "?subscription-key=" + subKey + "&PHPSESSID=" + phpSess + "&state=" + pctEnc + "#access_token=" + frag + "&token_type=bearer HTTP/1.1\nHost: api.example.com\n\n" +
			"HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{\"error\":\"invalid state " + pct + "\"}",
		"json-echo": "POST /v1/activate HTTP/1.1\nHost: api.example.com\nContent-Type: application/json\n\n{\"license\":\"" + jsonVal + "\",\"password\":\"" + named + "\"}\n\n" +
			"HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error=\"invalid_request\", error_description=\"license " + jsonVal + " rejected\"\nContent-Type: application/json\n\n{\"error\":\"invalid_request\",\"message\":\"license " + jsonVal + " is not valid for password " + named + "\"}",
		"bearer-jwt": "GET /v1/me?access_token=" + q1 + "&api_key=" + q2 + " HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer " + jwt +
			"\nCookie: session=" + cookie + "; theme=dark\nX-Api-Key: " + key + "\nX-Vault-Token: " + vault + "\nProxy-Authorization: Basic " + proxy +
			"\n\nHTTP/2 401\ndate: Wed, 15 Nov 2023 10:00:00 GMT\nset-cookie: sid=" + setCookie + "; Path=/; HttpOnly\nwww-authenticate: Bearer error=\"invalid_token\"\ncontent-type: application/json\n\n" +
			`{"error":"invalid_token","message":"token ` + jwt + ` and key ` + key + ` and ` + echo + ` rejected"}`,
		"basic": "POST https://" + "carol:" + userinfo + "@api.example.com/login HTTP/1.1\nHost: api.example.com\nAuthorization: Basic " + basic +
			"\nContent-Type: application/x-www-form-urlencoded\n\npassword=" + pw + "&user=carol\n\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"x\"\n\n",
		"digest": "GET /dir/index.html HTTP/1.1\nHost: www.example.com\nAuthorization: Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\", algorithm=SHA-256, nonce=\"abc\", nc=00000001, cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth, response=\"" + digest + "\"\n\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Digest realm=\"http-auth@example.org\", qop=\"auth\", algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\"\n\n",
		"ntlm":   "GET / HTTP/1.1\nHost: intranet.example\nAuthorization: NTLM " + ntlm + "\n\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: NTLM\n\n",
		// A key sent with no scheme word, a key behind an unknown word, and a
		// bare Proxy-Authorization: the scheme label must not take it (issue 20).
		"raw-key": "GET /v1/things HTTP/1.1\nHost: api.example.com\nAuthorization: " + rawKey + "\nX-Auth-Token: Bearer " + authTok +
			"\n\nHTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{\"error\":\"unauthorized\"}",
		"unknown-word": "GET /v1/things HTTP/1.1\nHost: api.example.com\nAuthorization: " + word + " " + afterWord +
			"\n\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: " + serverWord + " realm=\"x\"\n\n",
		"raw-proxy": "GET http://example.com/ HTTP/1.1\nHost: example.com\nProxy-Authorization: " + rawProxy +
			"\n\nHTTP/1.1 407 Proxy Authentication Required\nProxy-Authenticate: Basic realm=\"proxy\"\n\n",
		"raw-key-429": "GET /v1/search HTTP/1.1\nHost: api.example.com\nAuthorization: " + rawKey429 +
			"\n\nHTTP/1.1 429 Too Many Requests\nContent-Type: application/json\n\n{\"error\":\"quota exceeded\"}",
		"curl-v": "> GET /v1/items HTTP/2\n> Host: api.example.com\n> Authorization: Bearer " + jwt + "\n> Cookie: sid=" + cookie + "\n>\n< HTTP/2 403\n< server: cloudflare\n< cf-mitigated: challenge\n< content-type: text/html\n<\n<html><title>Just a moment...</title>" + cookie + "</html>\n",
	}
}

func canaryHAR(c *canaries) string {
	tok, cookie, sc, q, pd, hk := c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	return `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[` +
		`{"startedDateTime":"2026-11-03T12:00:00.000Z","request":{"method":"POST","url":"https://api.example.com/v1/x?token=` + q + `","httpVersion":"http/2.0",` +
		`"headers":[{"name":"authorization","value":"Bearer ` + tok + `"},{"name":"x-api-key","value":"` + hk + `"},{"name":"cookie","value":"sid=` + cookie + `"}],` +
		`"cookies":[{"name":"sid","value":"` + cookie + `"}],"postData":{"mimeType":"application/x-www-form-urlencoded","text":"client_secret=` + pd + `"}},` +
		`"response":{"status":401,"headers":[{"name":"set-cookie","value":"sess=` + sc + `; Path=/"},{"name":"content-type","value":"application/json"}],` +
		`"cookies":[{"name":"sess","value":"` + sc + `"}],"content":{"mimeType":"application/json","text":"{\"error\":\"bad token ` + tok + `\"}"}}}]}}`
}

func TestCanariesNeverLeak(t *testing.T) {
	c := &canaries{}
	inputs := canaryTexts(c)
	inputs["har"] = canaryHAR(c)
	require.Greater(t, len(c.list), 15)
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			rep, err := AnalyzeWith([]byte(in), Options{Name: name})
			require.NoError(t, err)
			var outs bytes.Buffer
			require.NoError(t, json.NewEncoder(&outs).Encode(rep))
			require.NoError(t, rep.WriteText(&outs, TextOptions{Verbose: true}))
			require.NoError(t, rep.WriteMarkdown(&outs, false))
			out := outs.String()
			low := strings.ToLower(out) // a label lowercases what it copies
			for _, k := range c.list {
				if i := strings.Index(low, strings.ToLower(k[:len(k)-4])); i >= 0 {
					t.Errorf("canary %s leaked in the %s output: …%s…", k, name, out[max(0, i-60):min(len(out), i+40)])
				}
			}
			for _, e := range rep.Exchanges {
				for _, l := range []OptString{e.Scheme, OptString(e.Cause), e.Vendor} {
					assert.Regexp(t, `^[a-z0-9_]*$`, string(l), "a label is a vocabulary word")
				}
				assert.NotContains(t, strings.ToLower(string(e.Scheme)), "custom")
			}
			// The fingerprints are there instead (a 407 shows none: the proxy's
			// answer is the evidence).
			if name != "raw-proxy" && name != "odd-headers" {
				assert.Contains(t, out, " len=")
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	assert.Equal(t, "[jwt len=20 …wxyz]", capture.Fingerprint("", "eyJabcdefghijkwxyz"[:0]+"eyJabcdefghijklmwxyz"))
	assert.Equal(t, "[secret len=5]", capture.Fingerprint("", "short"))
	assert.Equal(t, "[github-pat len=40 …AbCd]", capture.Fingerprint("", "ghp_"+strings.Repeat("x", 32)+"AbCd"))
	assert.Equal(t, "https://a.example/?access_token=[secret len=12]&x=1", detect.MaskURL("https://a.example/?access_token=abcdefghijkl&x=1"))
	assert.Equal(t, "https://[userinfo len=6]@a.example/", detect.MaskURL("https://u:pass@a.example/"))
}
