package sanitize

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer"
)

func round3JWT(sig string) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256","typ":"JWT","kid":"k1"}`))
	p := base64.RawURLEncoding.EncodeToString([]byte(`{"aud":"app","email":"carol@example.com","exp":1900000000,"iss":"https://carol.cloudflareaccess.com"}`))
	return h + "." + p + "." + sig
}

// sanitizeRound3HAR plants a canary in every position issue 31 found
// surviving `why401 sanitize` (and the page's download, the same code):
// HAR comment fields, the assertion JWTs of Cloudflare Access and Google
// IAP, oddly named secret headers, a JWT anywhere in a header value,
// userinfo in a header, secrets in URL paths and in a Chrome HTTP/2
// export's :path, and random-shaped values under names no list knows.
// It also carries what must not be redacted: :authority and
// Access-Control-Allow-Credentials: true.
func sanitizeRound3HAR(c *canaries) string {
	jstr := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	h := func(n, v string) string { return `{"name":` + jstr(n) + `,"value":` + jstr(v) + `}` }
	hc := func(n, v, comment string) string {
		return `{"name":` + jstr(n) + `,"value":` + jstr(v) + `,"comment":` + jstr(comment) + `}`
	}
	entry := func(comment, url string, reqHeaders []string, status int, respHeaders []string, body string) string {
		return `{"startedDateTime":"2026-11-03T12:00:00Z","time":1,"comment":` + jstr(comment) + `,` +
			`"request":{"method":"GET","url":` + jstr(url) + `,"httpVersion":"h2","headers":[` + strings.Join(reqHeaders, ",") + `],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0,"comment":` + jstr("request note: api key "+c.next()) + `},` +
			`"response":{"status":` + itoa(status) + `,"statusText":"","httpVersion":"h2","headers":[` + strings.Join(respHeaders, ",") + `],"cookies":[],` +
			`"content":{"size":0,"mimeType":"application/json","text":` + jstr(body) + `,"comment":` + jstr("was "+round3JWT(c.next())) + `},"redirectURL":"","headersSize":-1,"bodySize":0},` +
			`"cache":{},"timings":{"send":0,"wait":1,"receive":0}}`
	}
	pseudo := func(host, path string) []string {
		return []string{h(":authority", host), h(":method", "GET"), h(":path", path), h(":scheme", "https")}
	}
	bot, slack, pathRand, pathJWT, h2path, h2query := c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	entries := []string{
		entry("copied by carol, token "+c.next(), "https://api.telegram.org/bot123456789:"+bot+"/getMe",
			pseudo("api.telegram.org", "/bot123456789:"+bot+"/getMe"), 401, []string{h("content-type", "application/json")},
			`{"ok":false,"error_code":401,"description":"Unauthorized"}`),
		entry("", "https://hooks.slack.com/services/T01ABCDEF/B01GHIJKL/"+slack,
			pseudo("hooks.slack.com", "/services/T01ABCDEF/B01GHIJKL/"+slack), 403, []string{h("content-type", "text/plain")}, "invalid_token"),
		entry("", "https://files.example.com/share/"+pathRand+"/session/"+round3JWT(pathJWT)+"/report.pdf",
			append(pseudo("files.example.com", "/x/"+h2path+"?access_token="+h2query),
				h("cf-access-jwt-assertion", round3JWT(c.next())), h("x-goog-iap-jwt-assertion", round3JWT(c.next())),
				h("x-request-sig", c.next()), h("x-upstream-pass", c.next()), h("x-hmac-sha256", c.next()),
				h("x-otp", c.next()), h("x-trace-context", c.next()), h("x-debug", "user "+round3JWT(c.next())+" via edge"),
				h("x-upstream", "http://svc:"+c.next()+"@backend.internal:8080"),
				hc("accept", "application/json", "header note "+c.next())),
			403, []string{h("content-type", "application/json"), h("access-control-allow-credentials", "true"), h("access-control-allow-origin", "https://app.example.com"),
				h("link", "<https://files.example.com/reset?token="+c.next()+">; rel=\"reset\"")},
			`{"error":"forbidden"}`),
	}
	return `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36","comment":` + jstr("exported with key "+c.next()) + `},` +
		`"comment":` + jstr("ticket 42: "+round3JWT(c.next())) + `,` +
		`"pages":[{"startedDateTime":"2026-11-03T12:00:00Z","id":"page_1","title":"Files","pageTimings":{},"comment":` + jstr("page secret "+c.next()) + `}],` +
		`"entries":[` + strings.Join(entries, ",") + `]}}`
}

func TestSanitizeRound3(t *testing.T) {
	c := &canaries{}
	har := sanitizeRound3HAR(c)
	require.True(t, json.Valid([]byte(har)), har)
	key := Options{Key: []byte("round 3")} // one key: the two paths below compare byte for byte
	out, stats, err := Capture([]byte(har), key)
	require.NoError(t, err)
	require.True(t, json.Valid(out))
	text := string(out)
	for _, k := range c.list {
		if i := strings.Index(text, k[:len(k)-4]); i >= 0 {
			t.Errorf("canary %s survived: …%s…", k, text[max(0, i-80):min(len(text), i+40)])
		}
	}
	t.Logf("%d canaries; stats: %s", len(c.list), stats)
	// The CLI's `why401 sanitize` streams the file (Stream, read twice)
	// where the page holds it (Capture): the same copy either way.
	var streamed bytes.Buffer
	_, err = Stream(func() (io.Reader, error) { return strings.NewReader(har), nil }, &streamed, key)
	require.NoError(t, err)
	assert.Equal(t, text, streamed.String(), "Stream (the CLI) and Capture (the page) give the same copy")
	// Not over-redacted: a host stays a host, a CORS flag stays a flag, and
	// no host name is replaced anywhere.
	assert.Contains(t, text, `{"name":":authority","value":"files.example.com"}`)
	assert.Contains(t, text, `{"name":"access-control-allow-credentials","value":"true"}`)
	for _, host := range []string{"https://api.telegram.org/bot", "https://hooks.slack.com/services/", "https://files.example.com/share/"} {
		assert.Contains(t, text, host)
	}
	before, err := analyzer.Analyze([]byte(har))
	require.NoError(t, err)
	after, err := analyzer.Analyze(out)
	require.NoError(t, err)
	sameVerdicts(t, "round 3", before, after)
}

// The proxy password curl -v prints in its "* Uses proxy env variable"
// line, and userinfo anywhere in a text capture, are replaced.
func TestSanitizeCurlProxyLine(t *testing.T) {
	c := &canaries{}
	pw, pw2 := c.next(), c.next()
	in := "* Uses proxy env variable https_proxy == 'http://carol:" + pw + "@proxy.example:3128'\n" +
		"*   Trying 192.0.2.10:3128...\n* Connected to proxy.example (192.0.2.10) port 3128\n" +
		"> GET https://api.example.com/v1/me HTTP/1.1\n> Host: api.example.com\n> X-Upstream: https://svc:" + pw2 + "@backend.example/\n>\n" +
		"< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: Bearer realm=\"api\"\n<\n"
	out, _, err := Capture([]byte(in), Options{})
	require.NoError(t, err)
	for _, k := range c.list {
		assert.NotContains(t, string(out), k[:len(k)-4])
	}
	assert.Contains(t, string(out), "* Uses proxy env variable https_proxy == 'http://")
	assert.Contains(t, string(out), "@proxy.example:3128'")
}
