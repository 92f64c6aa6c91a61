package detect

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"why401/analyzer/internal/capture"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testDate = "Tue, 24 Nov 2026 10:00:00 GMT"

var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC).Unix()

func b64url(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func testJWT(header, payload map[string]any) string {
	return b64url(header) + "." + b64url(payload) + ".c2lnbmF0dXJlLW5vdC1yZWFs"
}

// exchangeOf parses one request and response.
func exchangeOf(t *testing.T, reqHeaders, respHeaders string) *capture.Exchange {
	t.Helper()
	raw := "GET /v1/me HTTP/1.1\r\nHost: api.example.com\r\n" + reqHeaders + "\r\nHTTP/1.1 401 Unauthorized\r\n" + respHeaders + "\r\n"
	var w capture.Warnings
	exs, _, err := capture.ParseText([]byte(raw), capture.Limits{}.WithDefaults(), &w)
	require.NoError(t, err)
	require.Len(t, exs, 1)
	require.NotNil(t, exs[0].Request)
	return &exs[0]
}

func signalIDs(sigs []Signal) map[string]Signal {
	m := map[string]Signal{}
	for _, s := range sigs {
		m[s.ID] = s
	}
	return m
}

func TestCredentialKind(t *testing.T) {
	for v, want := range map[string]string{
		"ghp_abc": "github-pat", "github_pat_11AB": "github-pat", "gho_x": "github-oauth", "glpat-xyz": "gitlab-pat",
		"xoxb-1-2-x": "slack-bot-token", "xoxp-1": "slack-user-token", "sk_live_x": "stripe-live-key", "sk_test_x": "stripe-test-key",
		"sk-proj-x": "openai-project-key", "sk-abc": "openai-key", "sk-ant-api03-x": "anthropic-key", "SG.a.b": "sendgrid-key",
		"AKIAIOSFODNN7EXAMPLE": "aws-access-key", "ASIAZ3FAKE": "aws-session-key", "ya29.a0": "google-oauth-token", "AIzaSy": "google-api-key",
		"hvs.CAES": "vault-token", "dckr_pat_x": "dockerhub-pat", "npm_x": "npm-token", "shpat_x": "shopify-token",
		"eyJhbGciOiJIUzI1NiJ9.eyJ9.sig": "jwt", "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d": "jwe", "opaque-value": "secret",
	} {
		assert.Equal(t, want, capture.CredentialKind(v), v)
	}
}

func TestRequestCredentials(t *testing.T) {
	ex := exchangeOf(t, "Authorization: token ghp_0123456789abcdef0123\r\nX-Api-Key: k-123\r\nCookie: sessionid=abc; __cf_bm=zzz; theme=dark\r\n", "")
	ex.Request.URL = "https://api.example.com/v1/me?access_token=tok123&page=2"
	creds := requestCredentials(ex.Request)
	got := map[string]string{}
	for _, c := range creds {
		got[c.Where] = c.Scheme
	}
	assert.Equal(t, map[string]string{"Authorization": "bearer", "X-Api-Key": "apikey", "cookie sessionid": "cookie", "query access_token": "bearer"}, got,
		"GitHub's token scheme is bearer, an anti-bot cookie is not a session")

	for header, scheme := range map[string]string{
		"Bearer sk-proj-abc": "apikey", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln": "bearer", "SSWS 00abc": "apikey",
		"Basic YTpi": "basic", "Negotiate YIIB": "negotiate", "NTLM TlRMTVNTUAAB": "ntlm", "DPoP eyJ.a.b": "dpop",
		"AWS4-HMAC-SHA256 Credential=AKIA/x, SignedHeaders=host, Signature=ab": "aws4", "Digest username=\"a\", response=\"b\"": "digest",
	} {
		ex := exchangeOf(t, "Authorization: "+header+"\r\n", "")
		creds := requestCredentials(ex.Request)
		require.NotEmpty(t, creds, header)
		assert.Equal(t, scheme, creds[0].Scheme, header)
	}
}

// TestQueryCredentials: the query is read as net/url reads it
// (weburl.Query): up to the fragment, the first "?" only, keys and values
// decoded as the server decodes them.
func TestQueryCredentials(t *testing.T) {
	type cred struct{ Where, Scheme, Raw string }
	for _, c := range []struct {
		url  string
		want []cred
	}{
		{"https://api.example.com/v1?access_token=tok123&page=2", []cred{{"query access_token", "bearer", "tok123"}}},
		{"https://api.example.com/v1?access_token=tok123#frag", []cred{{"query access_token", "bearer", "tok123"}}},
		{"https://api.example.com/v1?page=1#/route?token=x", nil}, // a fragment's "?" is no query
		{"https://api.example.com/v1?page=1?api_key=k1&x=2", nil}, // the key "page" with the value "1?api_key=k1"
		{"https://api.example.com/v1?a=1&api_key=k%26z&b=2", []cred{{"query api_key", "apikey", "k&z"}}},
		{"https://api.example.com/v1?api%5Fkey=k2", []cred{{"query api_key", "apikey", "k2"}}},
		{"https://api.example.com/v1?token=a+b%2Bc%zz", []cred{{"query token", "bearer", "a b+c%zz"}}},
		{"https://api.example.com/v1?key=", nil},
		{"https://api.example.com/v1?&&key&token=%", []cred{{"query token", "bearer", "%"}}},
		{"/v1?KEY=k3", []cred{{"query KEY", "apikey", "k3"}}},
		{"https://user:pw@api.example.com/v1#?token=x", nil},
		{"https://api.example.com/v1?\u212Aey=k4&key=k5", []cred{{"query key", "apikey", "k5"}}}, // the Kelvin sign is no "k"
		{"https://api.example.com/v1?\u0130=1&TOKEN=\xffa%41&\xff=x", []cred{{"query TOKEN", "bearer", "\xffaA"}}},
	} {
		ex := exchangeOf(t, "", "")
		ex.Request.URL = c.url
		var got []cred
		for _, cr := range requestCredentials(ex.Request) {
			got = append(got, cred{cr.Where, cr.Scheme, cr.Raw})
		}
		assert.Equal(t, c.want, got, c.url)
	}
}

func TestFormKeys(t *testing.T) {
	for _, c := range []struct {
		name, ctype, body string
		want              []string
	}{
		{"cloudinary upload", "application/x-www-form-urlencoded", "file=x&api_key=614335564976464&signature=ab", []string{"form api_key"}},
		{"csrf token is not a key", "application/x-www-form-urlencoded", "token=abc&email=a%40b.c&password=p", nil},
		{"json body is not a form", "application/json", `{"api_key":"k"}`, nil},
		{"empty value", "application/x-www-form-urlencoded", "api_key=&x=1", nil},
	} {
		ex := exchangeOf(t, "Content-Type: "+c.ctype+"\r\n", "")
		ex.Request.Body = []byte(c.body)
		var got []string
		for _, k := range formKeys(ex.Request, words()) {
			got = append(got, k.Where)
		}
		assert.Equal(t, c.want, got, c.name)
	}
}

func malformedProblem(t *testing.T, reqHeaders string) (string, bool) {
	t.Helper()
	ex := exchangeOf(t, reqHeaders, "")
	for _, c := range requestCredentials(ex.Request) {
		if s, ok := malformedCredential(c, ex.Request); ok {
			return s.Params["problem"], true
		}
	}
	return "", false
}

func TestMalformedCredentials(t *testing.T) {
	basic := func(s string) string {
		return "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(s)) + "\r\n"
	}
	bad := map[string]string{
		"Authorization: Bearer undefined\r\n":        "placeholder",
		"Authorization: Bearer null\r\n":             "placeholder",
		"Authorization: Bearer <token>\r\n":          "placeholder",
		"Authorization: Bearer YOUR_API_KEY\r\n":     "placeholder",
		"X-Api-Key: your-api-key\r\n":                "placeholder",
		"Authorization: Bearer [object Object]\r\n":  "placeholder",
		"Authorization: Bearer Bearer abc.def\r\n":   "doubled",
		"Authorization: bearer BEARER abc\r\n":       "doubled",
		"Authorization: Bearer \"abc123def456\"\r\n": "quotes",
		"Authorization: Bearer 'abc123def456'\r\n":   "quotes",
		"Authorization: Bearer abc123 def456\r\n":    "whitespace",
		"Authorization: Bearer\r\n":                  "no credential",
		basic("alicesecret"):                         "':'",
		"Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("j\xf6rg:gr\xfc\xdfe")) + "\r\n": "not UTF-8",
		"Authorization: Basic not*base64!\r\n":        "not valid base64",
		"Authorization: Bearer <YOUR-TOKEN>\r\n":      "placeholder",
		"Authorization: Bearer YourApiKeyHere\r\n":    "placeholder",
		"X-Api-Key: INSERT_KEY_HERE\r\n":              "placeholder",
		"Authorization: Bearer $API_TOKEN\r\n":        "unexpanded",
		"Authorization: Bearer ${OPENAI_API_KEY}\r\n": "unexpanded",
		"Authorization: Bearer {{access_token}}\r\n":  "unexpanded",
		"X-Api-Key: %API_KEY%\r\n":                    "unexpanded",
		"Authorization: Bearer process.env.TOKEN\r\n": "unexpanded",
	}
	for h, want := range bad {
		problem, ok := malformedProblem(t, h)
		assert.True(t, ok, "%q should be malformed", h)
		assert.Contains(t, problem, want, h)
	}
	good := []string{
		"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln\r\n",
		basic("alice:s3cret"),
		basic("jörg:grüße"), // UTF-8 is fine
		basic("alice:"),     // empty password is allowed
		"Authorization: Digest username=\"Mufasa\", realm=\"r\", nonce=\"n\", uri=\"/\", response=\"abc\"\r\n",
		"Authorization: OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", oauth_signature_method=\"HMAC-SHA1\"\r\n",
		"Authorization: Mutual sid=5Yjk3Jp7w3aA, kc1=\"aEFQ\", version=1\r\n",
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261124/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=fe5f\r\n",
		"Authorization: Bearer tokenwithyourinside1234567890abcdefghijklmnopq\r\n",
		"Authorization: Bearer yourcompany-prod-7f3a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d\r\n",
		"Authorization: Bearer $2y$10$abcdefghijklmnopqrstuv\r\n", // not an env name
		"X-Api-Key: 100%pure\r\n",
	}
	for _, h := range good {
		problem, ok := malformedProblem(t, h)
		assert.False(t, ok, "%q flagged: %s", h, problem)
	}
}

func jwtSigs(t *testing.T, header, payload map[string]any, respHeaders string) map[string]Signal {
	t.Helper()
	ex := exchangeOf(t, "Authorization: Bearer "+testJWT(header, payload)+"\r\n", respHeaders)
	return signalIDs(credentialSignals(ex))
}

func TestJWTForensics(t *testing.T) {
	h := map[string]any{"alg": "RS256", "typ": "JWT"}
	date := "Date: " + testDate + "\r\n"

	s := jwtSigs(t, h, map[string]any{"exp": testNow - 7200}, date)
	require.Contains(t, s, "jwt-expired")
	assert.Equal(t, "expired_token", s["jwt-expired"].Cause)
	assert.Equal(t, "2h0m0s", s["jwt-expired"].Params["expired_ago"])

	s = jwtSigs(t, h, map[string]any{"exp": testNow - 30}, date)
	assert.NotContains(t, s, "jwt-expired", "within the 60 s leeway")

	s = jwtSigs(t, h, map[string]any{"exp": testNow + 3600}, date)
	assert.NotContains(t, s, "jwt-expired")

	// The response Date decides, never the analyzer's clock: a token that
	// expired long before today was valid when this old capture was made.
	s = jwtSigs(t, h, map[string]any{"exp": 1700000000 + 3600}, "Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n")
	assert.NotContains(t, s, "jwt-expired")

	s = jwtSigs(t, h, map[string]any{"exp": (testNow + 3600) * 1000}, date)
	require.Contains(t, s, "jwt-exp-millis")
	assert.Equal(t, "malformed_credentials", s["jwt-exp-millis"].Cause)

	s = jwtSigs(t, h, map[string]any{"nbf": testNow + 600, "exp": testNow + 4200}, date)
	require.Contains(t, s, "jwt-nbf-future")
	assert.Equal(t, "clock_skew", s["jwt-nbf-future"].Cause)
	assert.Equal(t, "10m0s", s["jwt-nbf-future"].Params["skew"])

	s = jwtSigs(t, h, map[string]any{"iat": testNow + 900, "exp": testNow + 4500}, date)
	require.Contains(t, s, "jwt-iat-future")
	assert.Equal(t, "clock_skew", s["jwt-iat-future"].Cause)

	s = jwtSigs(t, map[string]any{"alg": "none"}, map[string]any{"sub": "admin"}, date)
	assert.Contains(t, s, "jwt-alg-none")

	s = jwtSigs(t, h, map[string]any{"token_use": "id", "exp": testNow + 600}, date)
	assert.Contains(t, s, "jwt-id-token")

	s = jwtSigs(t, h, map[string]any{"cnf": map[string]any{"jkt": "0ZcOCORZNYy"}, "exp": testNow + 600}, date)
	require.Contains(t, s, "jwt-dpop-bound-as-bearer")
	assert.Equal(t, "dpop", s["jwt-dpop-bound-as-bearer"].Scheme)

	s = jwtSigs(t, h, map[string]any{"exp": testNow - 7200}, "")
	assert.Contains(t, s, "jwt-exp-no-date", "no Date: say so rather than guess")
	assert.NotContains(t, s, "jwt-expired")

	s = jwtSigs(t, h, map[string]any{"iss": "https://id.example.com/", "aud": "api://orders", "exp": testNow - 600}, date)
	assert.Equal(t, "https://id.example.com/", s["jwt-expired"].Params["iss"], "iss and aud are quoted for the fix")
	assert.Equal(t, "api://orders", s["jwt-expired"].Params["aud"])
}

func TestForeignKey(t *testing.T) {
	cases := []struct {
		key, host string
		foreign   bool
	}{
		{"sk-proj-abc", "api.anthropic.com", true},
		{"sk-ant-api03-abc", "api.openai.com", true},
		{"ghp_abc", "gitlab.com", true},
		{"glpat-abc", "api.github.com", true},
		{"AKIAIOSFODNN7EXAMPLE", "api.github.com", true},
		{"ASIAZ3FAKE", "api.stripe.com", true},
		{"xoxb-1-2-abc", "api.openai.com", true},
		{"SG.a.b", "api.stripe.com", true},
		{"ghp_abc", "api.github.com", false},
		{"sk-proj-abc", "api.openai.com", false},
		{"AKIAIOSFODNN7EXAMPLE", "sts.amazonaws.com", false},
		{"sk-abc", "api.example.com", false}, // a host without its own key format: no claim
		{"ghp_abc", "localhost", false},
	}
	for _, c := range cases {
		_, ok := foreignKey(credential{Where: "Authorization", Raw: c.key, Kind: capture.CredentialKind(c.key)}, c.host)
		assert.Equal(t, c.foreign, ok, "%s → %s", c.key, c.host)
	}
}

// TestVendorCookies: the anti-bot cookies are the vendor files' cookie
// markers (exact, prefix and name_regex rules, any case), and no session;
// a session word alone makes a session; no cookie name is two vendors'.
func TestVendorCookies(t *testing.T) {
	for name, want := range map[string]string{
		"cf_clearance": "cloudflare", "__cf_bm": "cloudflare", "_abck": "akamai", "AK_BMSC": "akamai",
		"datadome": "datadome", "visid_incap_123": "imperva", "incap_ses_9_1": "imperva", "reese84": "imperva",
		"aws-waf-token": "aws_waf", "__ddg1_": "ddos_guard", "_mitata": "netacea", "_px3": "perimeterx",
		"techaro.lol-anubis-auth": "anubis", "__uzmb": "radware", "rbzsessionid": "reblaze",
		"sessionid": "", "PHPSESSID": "", "": "", "_pxx": "",
	} {
		assert.Equal(t, want, VendorCookie(name), "VendorCookie(%q)", name)
	}
	for name, want := range map[string]bool{
		"sessionid": true, "PHPSESSID": true, "connect.sid": true, "auth_token": true, "remember_me": true,
		"rbzsessionid": false, "barra_counter_session": false, "aws-waf-token": false, "visid_incap_1": false,
		"theme": false, "": false,
	} {
		assert.Equal(t, want, IsSessionCookie(name), "IsSessionCookie(%q)", name)
	}
	set, err := compiledVendors()
	require.NoError(t, err)
	seen := map[string]string{}
	for _, v := range set.list {
		for _, r := range v.headerRules {
			if (r.Part == "cookie" || r.Part == "request.cookie") && r.Name != "" && !r.Prefix {
				n := strings.ToLower(r.Name)
				if o, ok := seen[n]; ok && o != v.ID {
					t.Errorf("cookie %s is marked by %s and %s", r.Name, o, v.ID)
				}
				seen[n] = v.ID
			}
		}
	}
}
