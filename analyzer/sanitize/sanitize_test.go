package sanitize

import (
	"why401/analyzer"

	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"why401/internal/shared"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// canary returns a unique secret-looking string for slot i.
func sanCanary(i int) string { return fmt.Sprintf("CnRy%02dq7Xw3Lp9Zk", i) }

func sanB64u(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// sanitizeCanaryHAR plants a canary in every place a secret can hide.
func sanitizeCanaryHAR() (string, []string) {
	var c []string
	for i := range 40 {
		c = append(c, sanCanary(i))
	}
	jwt := sanB64u(`{"alg":"HS256","typ":"JWT"}`) + "." + sanB64u(`{"sub":"u1","exp":1793707200}`) + "." + c[17] + "SigSigSig"
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + c[2]))
	proxyBasic := base64.StdEncoding.EncodeToString([]byte("proxyuser:" + c[21]))
	b64body := base64.StdEncoding.EncodeToString([]byte(`{"message":"your key ghp_` + c[16] + `AAAAAAAAAA is revoked"}`))
	h := func(n, v string) string { return fmt.Sprintf(`{"name":%q,"value":%q}`, n, v) }
	entry := func(method, url string, reqH []string, reqCookies, post string, status int, respH []string, respCookies, content string) string {
		return fmt.Sprintf(`{"startedDateTime":"2026-11-03T12:00:00.000Z","time":1,"request":{"method":%q,"url":%q,"httpVersion":"HTTP/1.1","headers":[%s],"queryString":[{"name":"access_token","value":%q},{"name":"page","value":"2"}],"cookies":[%s],"headersSize":-1,"bodySize":0%s},"response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","headers":[%s],"cookies":[%s],"content":%s,"redirectURL":"https://app.example.com/next?sig=%s","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":1,"receive":0}}`,
			method, url, strings.Join(reqH, ","), c[8], reqCookies, post, status, strings.Join(respH, ","), respCookies, content, c[32])
	}
	e0 := entry("GET", "https://user:"+c[9]+"@api.example.com/v1/me?access_token="+c[8]+"&page=2",
		[]string{h("Authorization", "Bearer "+c[1]), h("Cookie", "a+b^c="+c[3]+"; sid="+c[4]+"; __Host-x="+c[22]), h("X-API-Key", c[5]), h("x-csrf-token", c[6]), h("X-Auth-Token", c[23])},
		`{"name":"we+ird^name","value":"`+c[7]+`"}`, "",
		401, []string{h("Content-Type", "application/json"), h("WWW-Authenticate", `Bearer error="invalid_token"`), h("Set-Cookie", "session="+c[12]+"; Path=/; Secure; HttpOnly"), h("Location", "https://app.example.com/cb?code="+c[31]+"&state=xyz")},
		`{"name":"session","value":"`+c[13]+`"}`,
		`{"size":80,"mimeType":"application/json","text":"{\"error\":\"invalid_token\",\"detail\":\"token `+c[1]+` is not valid\"}"}`)
	e1 := entry("POST", "https://api.example.com/login",
		[]string{h("authorization", "Basic "+basic), h("PROXY-AUTHORIZATION", "Basic "+proxyBasic), h("Content-Type", "application/x-www-form-urlencoded")}, "",
		`,"postData":{"mimeType":"application/x-www-form-urlencoded","text":"user=alice&password=`+c[10]+`","params":[{"name":"password","value":"`+c[10]+`"},{"name":"otp_secret","value":"`+c[24]+`"}]}`,
		200, []string{h("Content-Type", "application/json")}, "",
		`{"size":120,"mimeType":"application/json","text":"{\"access_token\":\"`+c[14]+`\",\"refresh_token\":\"`+c[15]+`\",\"id_token\":\"`+jwt+`\",\"token_type\":\"Bearer\"}"}`)
	e2 := entry("POST", "https://api.example.com/v1/keys",
		[]string{h("Authorization", "Bearer "+jwt), h("Content-Type", "application/json")}, "",
		`,"postData":{"mimeType":"application/json","text":"{\"client_secret\":\"`+c[11]+`\",\"name\":\"ci\",\"nested\":{\"apiKey\":\"`+c[25]+`\"}}"}`,
		403, []string{h("Content-Type", "application/json")}, "",
		`{"size":90,"mimeType":"application/json","encoding":"base64","text":"`+b64body+`"}`)
	e3 := entry("GET", "https://api.example.com/v1/html",
		[]string{h("Authorization", "Digest username=\"alice\", realm=\"r\", nonce=\"n1\", uri=\"/\", response=\""+c[26]+"\", cnonce=\""+c[27]+"\""), h("Api-Key", c[28])}, "", "",
		401, []string{h("Content-Type", "text/html")}, "",
		`{"size":90,"mimeType":"text/html","text":"<html><script>window.__STATE__={\"sessionToken\":\"`+c[29]+`\"}</script>sk_live_`+c[30]+`XXXXXXXX</html>"}`)
	har := `{"log":{"version":"1.2","creator":{"name":"why401 canary","version":"1"},"entries":[` + strings.Join([]string{e0, e1, e2, e3}, ",") + `]}}`
	used := []string{c[31], c[32], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], c[15], c[16], c[17], c[21], c[22], c[23], c[24], c[25], c[26], c[27], c[28], c[29], c[30], basic, proxyBasic, b64body}
	return har, used
}

func TestSanitizeCanaries(t *testing.T) {
	har, canaries := sanitizeCanaryHAR()
	require.True(t, json.Valid([]byte(har)), "the canary HAR itself must be valid")
	out, stats, err := Capture([]byte(har), Options{})
	require.NoError(t, err)
	s := string(out)
	for _, c := range canaries {
		assert.NotContains(t, s, c, "a canary survived sanitizing")
	}
	assert.NotContains(t, strings.ToLower(s), "cnry", "some canary survived")
	require.True(t, json.Valid(out), "output must be valid JSON")
	var doc struct {
		Log struct {
			Comment string `json:"comment"`
			Entries []struct {
				Response struct {
					Content map[string]any `json:"content"`
				} `json:"response"`
			} `json:"entries"`
		} `json:"log"`
	}
	require.NoError(t, json.Unmarshal(out, &doc))
	require.Len(t, doc.Log.Entries, 4)
	assert.Contains(t, doc.Log.Comment, "why401 sanitize")
	for i, e := range doc.Log.Entries {
		if enc, _ := e.Response.Content["encoding"].(string); enc == "base64" {
			_, err := base64.StdEncoding.DecodeString(e.Response.Content["text"].(string))
			assert.NoError(t, err, "entry %d keeps encoding base64 on a body that is not base64", i)
		}
	}
	assert.Nil(t, doc.Log.Entries[2].Response.Content["encoding"], "a replaced base64 body is written as text")
	for _, k := range []string{"authorization", "cookie", "set-cookie", "credential-header", "query-param", "post-data", "body-token", "jwt-signature", "url-userinfo"} {
		assert.Positive(t, stats[k], "no %s replacement counted (%v)", k, stats)
	}
	// The same secret, the same placeholder: c[1] was in a header and echoed in a body.
	i := strings.Index(s, `"Bearer why401-redacted-`)
	require.Positive(t, i)
	ph := s[i+len(`"Bearer `) : i+len(`"Bearer why401-redacted-`)+12]
	require.NotEmpty(t, ph)
	assert.Contains(t, s, "token "+ph+" is not valid", "the echoed token maps to the header's placeholder")
	// JWT: header and claims kept, signature replaced.
	assert.Contains(t, s, sanB64u(`{"sub":"u1","exp":1793707200}`)+".why401-redacted-")
	assert.Contains(t, s, "sk_live_why401-redacted-", "key prefixes are kept")
	// Idempotent: sanitizing a sanitized file changes nothing secret.
	out2, _, err := Capture(out, Options{})
	require.NoError(t, err)
	assert.True(t, json.Valid(out2))
}

func TestSanitizeDeterministicWithKey(t *testing.T) {
	har, _ := sanitizeCanaryHAR()
	a, _, err := Capture([]byte(har), Options{Key: []byte("k")})
	require.NoError(t, err)
	b, _, err := Capture([]byte(har), Options{Key: []byte("k")})
	require.NoError(t, err)
	assert.Equal(t, string(a), string(b))
	c, _, err := Capture([]byte(har), Options{})
	require.NoError(t, err)
	assert.NotEqual(t, string(a), string(c), "without a key, placeholders are keyed at random")
}

func TestSanitizeText(t *testing.T) {
	raw := "> POST /oauth/token?client_secret=" + sanCanary(1) + " HTTP/1.1\r\n> Host: api.example.com\r\n> Authorization: Basic " +
		base64.StdEncoding.EncodeToString([]byte("app:"+sanCanary(2))) + "\r\n> Cookie: x^y=" + sanCanary(3) + "\r\n>\r\n" +
		"< HTTP/1.1 401 Unauthorized\r\n< WWW-Authenticate: Basic realm=\"api\"\r\n< Set-Cookie: sid=" + sanCanary(4) + "; Path=/\r\n<\r\n" +
		"{\"error\":\"invalid_client\",\n \"password\": \"" + sanCanary(5) + "\", \"hint\": \"sk-proj-" + sanCanary(6) + "AAAAAAAAAA\"}\r\n"
	before, err := analyzer.Analyze([]byte(raw))
	require.NoError(t, err)
	out, stats, err := Capture([]byte(raw), Options{})
	require.NoError(t, err)
	for i := 1; i <= 6; i++ {
		assert.NotContains(t, string(out), sanCanary(i))
	}
	assert.Positive(t, stats["authorization"])
	after, err := analyzer.Analyze(out)
	require.NoError(t, err)
	sameVerdicts(t, "curl -v", before, after)
}

func sameVerdicts(t *testing.T, name string, a, b analyzer.Report) {
	t.Helper()
	require.Len(t, b.Exchanges, len(a.Exchanges), name)
	for i := range a.Exchanges {
		x, y := a.Exchanges[i], b.Exchanges[i]
		assert.Equal(t, x.Verdict, y.Verdict, "%s #%d verdict", name, i)
		assert.Equal(t, x.Cause, y.Cause, "%s #%d cause", name, i)
		assert.Equal(t, x.Vendor, y.Vendor, "%s #%d vendor", name, i)
		assert.Equal(t, x.Scheme, y.Scheme, "%s #%d scheme", name, i)
	}
}

// A sanitized capture analyses to the same verdicts: every HAR and text
// case fixture, and the real captures in ../shared/captures (beside the repository).
func TestSanitizeKeepsVerdicts(t *testing.T) {
	var files []string
	for _, pat := range []string{"../testdata/cases/*/*.har", "../testdata/cases/*/*.http", "../testdata/cases/*/*.txt", "../testdata/cases/*/*.har.gz", "../testdata/cases/*/*.zhar"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	require.NotEmpty(t, files)
	sanitizeKeepsVerdicts(t, files)
	t.Run("shared", func(t *testing.T) {
		sanitizeKeepsVerdicts(t, shared.Captures(t, "the sanitized copies of the real HAR files analysed to the same verdicts"))
	})
}

func sanitizeKeepsVerdicts(t *testing.T, files []string) {
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		before, err := analyzer.Analyze(data)
		if err != nil {
			continue // unreadable inputs (brokenfile.har) are not sanitizer tests
		}
		out, _, err := Capture(data, Options{})
		require.NoError(t, err, f)
		if data[0] == '{' || strings.HasSuffix(f, ".gz") || strings.HasSuffix(f, ".zhar") {
			require.True(t, json.Valid(out), "%s: output is not valid JSON", f)
		}
		after, err := analyzer.Analyze(out)
		require.NoError(t, err, f)
		sameVerdicts(t, f, before, after)
		n++
	}
	t.Logf("%d captures sanitized with unchanged verdicts", n)
}

// A secret echoed in an entry before the one that names it is still replaced:
// the entries are read twice.
func TestSanitizeEchoBeforeUse(t *testing.T) {
	tok := "opaque" + sanCanary(39) + "tail"
	har := `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[` +
		`{"request":{"method":"GET","url":"https://a.example/","headers":[]},"response":{"status":200,"headers":[],"content":{"mimeType":"text/plain","text":"debug: ` + tok + `"}}},` +
		`{"request":{"method":"GET","url":"https://a.example/me","headers":[{"name":"Authorization","value":"Bearer ` + tok + `"}]},"response":{"status":401,"headers":[],"content":{"mimeType":"text/plain","text":""}}}]}}`
	out, stats, err := Capture([]byte(har), Options{})
	require.NoError(t, err)
	assert.NotContains(t, string(out), sanCanary(39))
	assert.Equal(t, 1, stats["echoed-secret"])
	assert.True(t, json.Valid(out))
}

func TestSanitizeNonSecretsOnlyWords(t *testing.T) {
	assert.True(t, nonSecretValue("YOUR_API_KEY"))
	assert.True(t, nonSecretValue("<token>"))
	assert.True(t, nonSecretValue("undefined"))
	assert.False(t, nonSecretValue("yourapp-9f8e7d6c5b4a39281"), "a real token that starts with 'your' is a secret")
	assert.False(t, nonSecretValue("<abc123def456>"))
}

// FuzzSanitize: the sanitizer never panics, and a HAR it accepts stays valid JSON.
func FuzzSanitize(f *testing.F) {
	har, _ := sanitizeCanaryHAR()
	f.Add([]byte(har))
	har2, _ := sanitizeRound2HAR(&canaries{})
	f.Add([]byte(har2))
	f.Add([]byte("GET /?token=abcdefgh12345 HTTP/1.1\r\nAuthorization: Basic !!\r\nCookie: a=b; c\r\n\r\nHTTP/1.1 401 x\r\n\r\n{\"password\": \"x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, _, err := Capture(b, Options{Key: []byte("k"), MaxBytes: 1 << 20})
		if err == nil && len(bytes.TrimSpace(b)) > 0 && bytes.TrimSpace(b)[0] == '{' && !json.Valid(out) {
			t.Fatalf("invalid JSON out of %q", b)
		}
	})
}

// A key sent with no scheme word, however short, and a key behind a first
// word the analyzer does not know are replaced; known scheme words stay.
func TestSanitizeBareAuthorization(t *testing.T) {
	for _, v := range []string{"Kq7shortKey", "sk_live_" + sanCanary(1), "Qz" + sanCanary(2) + " " + sanCanary(3)} {
		raw := "GET /v1/x HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: " + v + "\r\n\r\nHTTP/1.1 401 Unauthorized\r\n\r\n"
		out, _, err := Capture([]byte(raw), Options{})
		require.NoError(t, err)
		for _, part := range strings.Fields(v) {
			assert.NotContains(t, string(out), part, v)
		}
	}
	out, _, err := Capture([]byte("GET / HTTP/1.1\r\nHost: a.example\r\nAuthorization: Negotiate\r\n\r\nHTTP/1.1 401 Unauthorized\r\n\r\n"), Options{})
	require.NoError(t, err)
	assert.Contains(t, string(out), "Authorization: Negotiate\r\n")
}
