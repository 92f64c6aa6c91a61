package detect

import (
	"why401/analyzer/internal/knowledge"

	"testing"

	"why401/analyzer/internal/capture"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ch is a compact expected challenge: scheme, token68 and params in order.
type ch struct {
	scheme, t68 string
	params      []Param
}

func p(name, value string) Param { return Param{Name: name, Value: value} }

func checkChallenges(t *testing.T, fields []string, want []ch) {
	t.Helper()
	got, trunc := ParseChallenges(fields, 64)
	assert.False(t, trunc)
	require.Len(t, got, len(want), "challenges of %q: %+v", fields, got)
	for i, w := range want {
		assert.Equal(t, w.scheme, got[i].Scheme, "challenge %d scheme", i)
		assert.Equal(t, w.t68, got[i].Token68, "challenge %d token68", i)
		if len(w.params) == 0 {
			assert.Empty(t, got[i].Params, "challenge %d params", i)
		} else {
			assert.Equal(t, w.params, got[i].Params, "challenge %d params", i)
		}
	}
}

// TestChallengeRFCExamples parses the examples of the RFCs that define the
// challenge grammar and its schemes.
func TestChallengeRFCExamples(t *testing.T) {
	cases := []struct {
		name   string
		fields []string
		want   []ch
	}{
		{"RFC 9110 §11.6.1: two challenges in one field, escaped quotes", []string{`Basic realm="simple", Newauth realm="apps", type=1, title="Login to \"apps\""`},
			[]ch{{"Basic", "", []Param{p("realm", "simple")}}, {"Newauth", "", []Param{p("realm", "apps"), p("type", "1"), p("title", `Login to "apps"`)}}}},
		{"RFC 9110 §11.6.1: the same challenges across fields", []string{`Basic realm="simple"`, `Newauth realm="apps", type=1, title="Login to \"apps\""`},
			[]ch{{"Basic", "", []Param{p("realm", "simple")}}, {"Newauth", "", []Param{p("realm", "apps"), p("type", "1"), p("title", `Login to "apps"`)}}}},
		{"RFC 7617 §2.1: Basic with charset", []string{`Basic realm="foo", charset="UTF-8"`},
			[]ch{{"Basic", "", []Param{p("realm", "foo"), p("charset", "UTF-8")}}}},
		{"RFC 6750 §3: Bearer realm only", []string{`Bearer realm="example"`},
			[]ch{{"Bearer", "", []Param{p("realm", "example")}}}},
		{"RFC 6750 §3: invalid_token", []string{`Bearer realm="example", error="invalid_token", error_description="The access token expired"`},
			[]ch{{"Bearer", "", []Param{p("realm", "example"), p("error", "invalid_token"), p("error_description", "The access token expired")}}}},
		{"RFC 7616 §3.9.1: two Digest challenges, a quoted list with a comma", []string{`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`},
			[]ch{
				{"Digest", "", []Param{p("realm", "http-auth@example.org"), p("qop", "auth, auth-int"), p("algorithm", "SHA-256"), p("nonce", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"), p("opaque", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")}},
				{"Digest", "", []Param{p("realm", "http-auth@example.org"), p("qop", "auth, auth-int"), p("algorithm", "MD5"), p("nonce", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"), p("opaque", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")}},
			}},
		{"RFC 7616 §3.3: stale=true, token form", []string{`Digest realm="r", nonce="n2", stale=true, algorithm=SHA-256`},
			[]ch{{"Digest", "", []Param{p("realm", "r"), p("nonce", "n2"), p("stale", "true"), p("algorithm", "SHA-256")}}}},
		{"RFC 4559 §4.2: bare Negotiate", []string{"Negotiate"}, []ch{{"Negotiate", "", nil}}},
		{"RFC 4559 §4.2: Negotiate with a token", []string{"Negotiate a87421000492aa874209af8bc028"}, []ch{{"Negotiate", "a87421000492aa874209af8bc028", nil}}},
		{"Negotiate and NTLM across fields", []string{"Negotiate", "NTLM"}, []ch{{"Negotiate", "", nil}, {"NTLM", "", nil}}},
		{"NTLM type 2 token68 with = padding", []string{"NTLM TlRMTVNTUAACAAAADAAMADgAAAAFgomiBdsYqfPWGzYAAAAAAAAAAIoAigBEAAAACgBhSgAAAA9DAE8AUgBQAAIADABDAE8AUgBQAAEACABNAEEASQBMAA=="},
			[]ch{{"NTLM", "TlRMTVNTUAACAAAADAAMADgAAAAFgomiBdsYqfPWGzYAAAAAAAAAAIoAigBEAAAACgBhSgAAAA9DAE8AUgBQAAIADABDAE8AUgBQAAEACABNAEEASQBMAA==", nil}}},
		{"token68 with padding before another challenge", []string{"Negotiate oYIBIjCCAR6gAwoBAaE=, NTLM"}, []ch{{"Negotiate", "oYIBIjCCAR6gAwoBAaE=", nil}, {"NTLM", "", nil}}},
		{"RFC 9449 §9: use_dpop_nonce", []string{`DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`},
			[]ch{{"DPoP", "", []Param{p("error", "use_dpop_nonce"), p("error_description", "Resource server requires nonce in DPoP proof")}}}},
		{"RFC 9449 §7.1: Bearer and DPoP challenges together", []string{`Bearer error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256"`, `DPoP algs="ES256"`},
			[]ch{{"Bearer", "", []Param{p("error", "invalid_token"), p("error_description", "Invalid DPoP key binding"), p("algs", "ES256")}}, {"DPoP", "", []Param{p("algs", "ES256")}}}},
		{"RFC 9470 §3: acr_values", []string{`Bearer error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="myACR"`},
			[]ch{{"Bearer", "", []Param{p("error", "insufficient_user_authentication"), p("error_description", "A different authentication level is required"), p("acr_values", "myACR")}}}},
		{"RFC 9470 §3: max_age", []string{`Bearer error="insufficient_user_authentication", error_description="More recent authentication is required", max_age="5"`},
			[]ch{{"Bearer", "", []Param{p("error", "insufficient_user_authentication"), p("error_description", "More recent authentication is required"), p("max_age", "5")}}}},
		{"RFC 9728 §5.1: resource_metadata", []string{`Bearer resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource"`},
			[]ch{{"Bearer", "", []Param{p("resource_metadata", "https://resource.example.com/.well-known/oauth-protected-resource")}}}},
		{"RFC 9728 §5.2: with error and scope", []string{`Bearer error="insufficient_scope", scope="files:read files:write", resource_metadata="https://resource.example.com/.well-known/oauth-protected-resource"`},
			[]ch{{"Bearer", "", []Param{p("error", "insufficient_scope"), p("scope", "files:read files:write"), p("resource_metadata", "https://resource.example.com/.well-known/oauth-protected-resource")}}}},
		{"RFC 8120: Mutual with reason", []string{`Mutual version=1, algorithm=iso-kam3-dl-2048-sha256, validation=host, auth-scheme=mutual-pake, realm="Members", reason=stale-session`},
			[]ch{{"Mutual", "", []Param{p("version", "1"), p("algorithm", "iso-kam3-dl-2048-sha256"), p("validation", "host"), p("auth-scheme", "mutual-pake"), p("realm", "Members"), p("reason", "stale-session")}}}},
		{"RFC 7486: HOBA", []string{`HOBA challenge="aGVsbG8", max-age=10, realm="hoba"`},
			[]ch{{"HOBA", "", []Param{p("challenge", "aGVsbG8"), p("max-age", "10"), p("realm", "hoba")}}}},
		{"Proxy-Authenticate: Digest then Basic", []string{`Digest realm="residential", nonce="a1b2", qop="auth", algorithm=MD5`, `Basic realm="residential"`},
			[]ch{{"Digest", "", []Param{p("realm", "residential"), p("nonce", "a1b2"), p("qop", "auth"), p("algorithm", "MD5")}}, {"Basic", "", []Param{p("realm", "residential")}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkChallenges(t, c.fields, c.want) })
	}
}

// TestChallengeMalformed covers the forms real servers send (auth.md §1.3).
func TestChallengeMalformed(t *testing.T) {
	cases := []struct {
		name   string
		fields []string
		want   []ch
	}{
		{"comma right after the scheme", []string{`Bearer, error="invalid_token", error_description="The access token expired"`},
			[]ch{{"Bearer", "", []Param{p("error", "invalid_token"), p("error_description", "The access token expired")}}}},
		{"comma after the scheme, empty error", []string{`Bearer, error=`}, []ch{{"Bearer", "", []Param{p("error", "")}}}},
		{"no comma between params (Elasticsearch)", []string{`Basic realm="security" charset="UTF-8"`},
			[]ch{{"Basic", "", []Param{p("realm", "security"), p("charset", "UTF-8")}}}},
		{"no space after commas (Docker registry)", []string{`Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"`},
			[]ch{{"Bearer", "", []Param{p("realm", "https://auth.docker.io/token"), p("service", "registry.docker.io"), p("scope", "repository:library/alpine:pull")}}}},
		{"scope with two actions (comma inside quotes)", []string{`Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/api:pull,push"`},
			[]ch{{"Bearer", "", []Param{p("realm", "https://ghcr.io/token"), p("service", "ghcr.io"), p("scope", "repository:acme/api:pull,push")}}}},
		{"Token with no params (Salesforce)", []string{"Token"}, []ch{{"Token", "", nil}}},
		{"empty realm (Microsoft Graph)", []string{`Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`},
			[]ch{{"Bearer", "", []Param{p("realm", ""), p("authorization_uri", "https://login.microsoftonline.com/common/oauth2/authorize"), p("client_id", "00000003-0000-0000-c000-000000000000")}}}},
		{"capitalised Realm (Shopify) is lower-cased", []string{`Basic Realm="Shopify API Authentication"`},
			[]ch{{"Basic", "", []Param{p("realm", "Shopify API Authentication")}}}},
		{"unregistered scheme (WSO2)", []string{`OAuth2 realm="WSO2 API Manager"`}, []ch{{"OAuth2", "", []Param{p("realm", "WSO2 API Manager")}}}},
		{"URL-encoded realm (Jira)", []string{`OAuth realm="https%3A%2F%2Fjira.example.com"`}, []ch{{"OAuth", "", []Param{p("realm", "https%3A%2F%2Fjira.example.com")}}}},
		{"unterminated quote takes the rest", []string{`Bearer realm="unterminated, error="invalid_token"`},
			[]ch{{"Bearer", "", []Param{p("realm", `unterminated, error=`)}}, {"invalid_token", "", nil}}},
		{"a lone trailing backslash", []string{`Basic realm="a\`}, []ch{{"Basic", "", []Param{p("realm", `a\`)}}}},
		{"escaped backslash", []string{`Basic realm="C:\\share"`}, []ch{{"Basic", "", []Param{p("realm", `C:\share`)}}}},
		{"spaces around =", []string{`Bearer realm = "x" , error = invalid_token`}, []ch{{"Bearer", "", []Param{p("realm", "x"), p("error", "invalid_token")}}}},
		{"tabs and repeated commas", []string{"Basic\trealm=\"x\",,, Bearer"}, []ch{{"Basic", "", []Param{p("realm", "x")}}, {"Bearer", "", nil}}},
		{"empty field and blank fields", []string{"", "  ", ", ,"}, nil},
		{"three challenges across fields (Elasticsearch)", []string{`Basic realm="security" charset="UTF-8"`, `Bearer realm="security"`, "ApiKey"},
			[]ch{{"Basic", "", []Param{p("realm", "security"), p("charset", "UTF-8")}}, {"Bearer", "", []Param{p("realm", "security")}}, {"ApiKey", "", nil}}},
		{"empty parameter is not a token68", []string{`Bearer error=, realm="x"`}, []ch{{"Bearer", "", []Param{p("error", ""), p("realm", "x")}}}},
		{"lower-case scheme kept as sent", []string{`bearer realm="x"`}, []ch{{"bearer", "", []Param{p("realm", "x")}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkChallenges(t, c.fields, c.want) })
	}
}

func TestChallengeParamLookup(t *testing.T) {
	chs, _ := ParseChallenges([]string{`Bearer REALM="x", Error="invalid_token", scope=""`}, 64)
	require.Len(t, chs, 1)
	assert.Equal(t, "x", chs[0].Get("realm"), "parameter names are case-insensitive")
	assert.Equal(t, "invalid_token", chs[0].Get("error"))
	v, ok := chs[0].Param("scope")
	assert.True(t, ok)
	assert.Empty(t, v, "an empty value is present")
	_, ok = chs[0].Param("nonce")
	assert.False(t, ok)
}

// TestChallengeSignals checks the meaning given to each challenge form.
func TestChallengeSignals(t *testing.T) {
	cases := []struct {
		name, req, resp   string
		id, scheme, cause string
		kind              knowledge.Kind
	}{
		{"Basic first challenge without credentials", "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n", "www-authenticate", "basic", "missing_credentials", knowledge.KindAuth},
		{"Basic with credentials", "GET / HTTP/1.1\r\nHost: a.example\r\nAuthorization: Basic YTpi\r\n\r\n", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n", "www-authenticate", "basic", "invalid_credentials", knowledge.KindAuth},
		{"Bearer invalid_token expired", "", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"\\\"exp\\\" claim timestamp check failed\"\r\n\r\n", "bearer-error", "bearer", "expired_token", knowledge.KindAuth},
		{"Bearer insufficient_scope on 403", "", "HTTP/1.1 403 Forbidden\r\nWWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"admin\"\r\n\r\n", "bearer-error", "bearer", "insufficient_scope", knowledge.KindForbidden},
		{"Bearer invalid_request on 400", "", "HTTP/1.1 400 Bad Request\r\nWWW-Authenticate: Bearer error=\"invalid_request\"\r\n\r\n", "bearer-error", "bearer", "malformed_credentials", knowledge.KindAuth},
		{"registry token dance", "GET /v2/ HTTP/1.1\r\nHost: r.example\r\n\r\n", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"https://r.example/token\",service=\"r.example\",scope=\"repository:a/b:pull\"\r\n\r\n", "registry-token-dance", "bearer", "handshake", knowledge.KindAuth},
		{"Digest stale", "", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"r\", nonce=\"n\", stale=TRUE\r\n\r\n", "digest-stale", "digest", "stale_nonce", knowledge.KindAuth},
		{"Negotiate continuation", "GET / HTTP/1.1\r\nHost: a.example\r\nAuthorization: Negotiate YIIBhg==\r\n\r\n", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate oYG0MIGxoAMKAQE=\r\n\r\n", "negotiate-continue", "negotiate", "handshake", knowledge.KindAuth},
		{"NTLM type 1 answered by a bare challenge: connection not kept", "GET / HTTP/1.1\r\nHost: a.example\r\nAuthorization: NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==\r\n\r\n", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM\r\n\r\n", "ntlm-connection-lost", "ntlm", "handshake", knowledge.KindAuth},
		{"NTLM type 1 inside Negotiate answered by a bare Negotiate", "GET / HTTP/1.1\r\nHost: a.example\r\nAuthorization: Negotiate TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==\r\n\r\n", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\n\r\n", "ntlm-connection-lost", "negotiate", "handshake", knowledge.KindAuth},
		{"Kerberos ticket answered by a bare Negotiate", "GET / HTTP/1.1\r\nHost: a.example\r\nAuthorization: Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1\r\n\r\n", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\n\r\n", "negotiate-rejected", "negotiate", "invalid_credentials", knowledge.KindAuth},
		{"Mutual stale-session", "", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Mutual version=1, algorithm=iso-kam3-dl-2048-sha256, validation=host, realm=\"r\", reason=stale-session\r\n\r\n", "mutual-reason", "mutual", "stale_nonce", knowledge.KindAuth},
		{"Mutual reauth-needed", "", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Mutual version=1, realm=\"r\", reason=reauth-needed\r\n\r\n", "mutual-reason", "mutual", "expired_session", knowledge.KindAuth},
		{"Salesforce Token", "GET / HTTP/1.1\r\nHost: a.example\r\nAuthorization: Bearer 00Dx!abc\r\n\r\n", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Token\r\n\r\n", "www-authenticate", "apikey", "invalid_credentials", knowledge.KindAuth},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := c.resp
			if c.req != "" {
				raw = c.req + c.resp
			}
			var w capture.Warnings
			lim := capture.Limits{}.WithDefaults()
			exs, _, err := capture.ParseText([]byte(raw), lim, &w)
			require.NoError(t, err)
			require.NotEmpty(t, exs)
			sigs := challengeSignals(&exs[len(exs)-1], lim, &w)
			var got *Signal
			for i := range sigs {
				if sigs[i].ID == c.id {
					got = &sigs[i]
				}
			}
			require.NotNil(t, got, "signal %s missing: %+v", c.id, sigs)
			assert.Equal(t, c.kind, got.Kind)
			assert.Equal(t, c.scheme, got.Scheme)
			assert.Equal(t, c.cause, got.Cause)
		})
	}
}
