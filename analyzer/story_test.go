package analyzer

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The story keeps facts, never credential values: run every story fixture
// through a story and look for the fixtures' secrets in its state.
func TestStoryKeepsNoSecrets(t *testing.T) {
	canaries := []string{"opaque_at_7Hk2mQ9xLp4vR8sT1wZ3", "q8Zr4LmN2vX7pT0kW5yH3", "k3Jd8Qw2Lm5Zx9Rt4Vb7", "u7Tq2Wm9Ks4Lx8Pz3Nc6",
		"opaque_at_OLD_Lq3Xv8Wm2Rt6Yp4Nb9Kz", "opaque_at_NEW_Hs5Dk1Jf7Gp3Qa8Zc2Ve", "c2lnbmF0dXJlLW5vdC1yZWFsLWZpeHR1cmUtb25seQ"}
	for _, name := range []string{"redirect-dropped-auth", "cookie-host-only", "cookie-samesite", "cookie-expired", "refresh-not-used", "expired-token"} {
		data, err := os.ReadFile("testdata/cases/story/" + name + ".har")
		require.NoError(t, err)
		st := newStory()
		lim := DefaultLimits
		w := &warnings{}
		_, err = readHAR(newJSONScanner(nil, data, lim), lim, w, func(ex Exchange) { analyzeExchange(&ex, lim, w, st) })
		require.NoError(t, err)
		state := fmt.Sprintf("%+v", *st)
		for k, c := range st.cookies {
			state += fmt.Sprintf("%s%+v", k, *c)
		}
		for _, c := range canaries {
			assert.NotContains(t, state, c, "%s: the story kept a secret", name)
		}
		rep, err := AnalyzeWith(data, Options{})
		require.NoError(t, err)
		out := string(reportJSON(t, rep))
		for _, c := range canaries {
			assert.NotContains(t, out, c, "%s: the report echoes a secret", name)
		}
	}
}

func TestSummaryOnlyForCaptures(t *testing.T) {
	rep, err := Analyze([]byte("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n\r\n"))
	require.NoError(t, err)
	assert.Nil(t, rep.Summary)
	data, err := os.ReadFile("testdata/cases/story/block-onset.har")
	require.NoError(t, err)
	rep, err = Analyze(data)
	require.NoError(t, err)
	require.NotNil(t, rep.Summary)
	require.NotNil(t, rep.Summary.FirstBlock)
	assert.Equal(t, 8, rep.Summary.FirstBlock.Index)
	assert.Equal(t, 8, rep.Summary.FirstBlock.Before)
	assert.Equal(t, "2026-11-03T12:00:04Z", rep.Summary.FirstBlock.Time)
	assert.Contains(t, rep.Summary.Vendors, "cloudflare")
	var b strings.Builder
	require.NoError(t, rep.WriteText(&b, TextOptions{}))
	assert.Contains(t, b.String(), "first block: #8 on www.catalog.example")
	b.Reset()
	require.NoError(t, rep.WriteMarkdown(&b, false))
	assert.Contains(t, b.String(), "**Summary**")
}

// The story's maps stay bounded whatever the capture holds.
func TestStoryBounded(t *testing.T) {
	st := newStory()
	for i := range 3 * maxStoryKeys {
		ex := Exchange{Index: i, Request: &Message{Method: "GET", URL: fmt.Sprintf("https://h%d.example/x", i),
			Fields: []Field{{Name: "Authorization", Value: fmt.Sprintf("Bearer tok%08d", i)}}},
			Response: Message{Status: 302, Fields: []Field{{Name: "Location", Value: fmt.Sprintf("https://o%d.example/", i)},
				{Name: "Set-Cookie", Value: fmt.Sprintf("session%d=v; Path=/", i)}}}}
		st.observe(&ex, nil)
	}
	assert.LessOrEqual(t, len(st.tokens), maxStoryKeys)
	assert.LessOrEqual(t, len(st.redirects), maxStoryKeys)
	assert.LessOrEqual(t, len(st.cookies), maxStoryKeys)
	assert.LessOrEqual(t, len(st.hosts), 1001)
}

// Every reason a cookie set earlier is not sent, from one Set-Cookie and one request.
func TestCookieNotSentReasons(t *testing.T) {
	cases := []struct{ setURL, setCookie, reqURL, site, want string }{
		{"https://www.example.com/login", "sid=v1; Path=/", "https://api.example.com/me", "", "host-only cookie"},
		{"https://www.example.com/login", "sid=v1; Domain=www.example.com; Path=/", "https://api.example.com/me", "", "Domain=www.example.com does not cover api.example.com"},
		{"https://www.example.com/login", "sid=v1; Path=/account", "https://www.example.com/api/me", "", "Path=/account does not cover /api/me"},
		{"https://www.example.com/login", "sid=v1; Path=/; Secure", "http://www.example.com/me", "", "Secure and this request used plain http://"},
		{"https://www.example.com/login", "sid=v1; Path=/; Expires=Tue, 03 Nov 2026 12:01:00 GMT", "https://www.example.com/me", "", "expired at 2026-11-03T12:01:00Z"},
		{"https://www.example.com/login", "sid=v1; Path=/; SameSite=Strict", "https://www.example.com/me", "cross-site", "SameSite is strict"},
		{"https://www.example.com/login", "sid=v1; Path=/; SameSite=None; Secure", "https://www.example.com/me", "cross-site", "did not keep it"},
		{"https://www.example.com/login", "sid=v1; Path=/", "https://www.example.com/me", "", "did not keep it"},
	}
	for _, c := range cases {
		st := newStory()
		set := Exchange{Index: 0, Request: &Message{Method: "POST", URL: c.setURL},
			Response: Message{Status: 302, Fields: []Field{{Name: "Date", Value: "Tue, 03 Nov 2026 12:00:00 GMT"}, {Name: "Set-Cookie", Value: c.setCookie}}}}
		st.observe(&set, nil)
		req := &Message{Method: "GET", URL: c.reqURL}
		if c.site != "" {
			req.Fields = append(req.Fields, Field{Name: "Sec-Fetch-Site", Value: c.site}, Field{Name: "Sec-Fetch-Mode", Value: "cors"})
		}
		fail := Exchange{Index: 1, Request: req, Response: Message{Status: 401, Fields: []Field{{Name: "Date", Value: "Tue, 03 Nov 2026 12:05:00 GMT"}}}}
		sig := st.observe(&fail, nil)
		var got *Signal
		for i := range sig {
			if sig[i].ID == "cookie-not-sent" {
				got = &sig[i]
			}
		}
		require.NotNil(t, got, "%s → %s: no cookie-not-sent", c.setCookie, c.reqURL)
		assert.Equal(t, "cookie_not_sent", got.Cause)
		assert.Equal(t, 0, got.Entry)
		assert.Contains(t, got.Text, c.want, c.setCookie)
	}
	// A cookie deleted by Max-Age=0 (a logout) is not one the client should send.
	st := newStory()
	st.observe(&Exchange{Request: &Message{Method: "POST", URL: "https://www.example.com/logout"},
		Response: Message{Status: 200, Fields: []Field{{Name: "Set-Cookie", Value: "sid=; Max-Age=0; Path=/"}}}}, nil)
	sig := st.observe(&Exchange{Index: 1, Request: &Message{Method: "GET", URL: "https://www.example.com/me"}, Response: Message{Status: 401}}, nil)
	for _, s := range sig {
		assert.NotEqual(t, "cookie-not-sent", s.ID)
	}
}

func TestInsomniaCaveat(t *testing.T) {
	har := `{"log":{"version":"1.2","creator":{"name":"Insomnia REST Client","version":"insomnia.desktop.app:v2023.5.8"},"entries":[` +
		`{"startedDateTime":"2026-11-03T12:00:00.000Z","request":{"method":"GET","url":"https://api.example.com/v1/me","httpVersion":"HTTP/1.1","headers":[{"name":"Accept","value":"application/json"}]},` +
		`"response":{"status":403,"statusText":"Forbidden","httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"text/html"}],"content":{"mimeType":"text/html","text":"<html><body>Access denied</body></html>"}}}]}}`
	rep, err := Analyze([]byte(har))
	require.NoError(t, err)
	require.NotNil(t, rep.Summary)
	assert.Contains(t, strings.Join(rep.Summary.Caveats, "\n"), "Insomnia")
	for _, ev := range rep.Exchanges[0].Evidence {
		if ev.Signal == "no-user-agent" {
			assert.Contains(t, ev.Text, "libcurl")
		}
	}
}

// A HAR whose status-0 entries all carry a different error string keeps a
// bounded story: the caveats name maxClientErrors of them, the rest are
// "other errors", and every entry is counted.
func TestClientErrorsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[`)
	const n = 300
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"request":{"method":"GET","url":"https://a.example/` + strconv.Itoa(i) + `","headers":[]},"response":{"status":0,"headers":[],"content":{"size":0},"_error":"net::ERR_TEST_` + strconv.Itoa(i) + `"}}`)
	}
	b.WriteString(`]}}`)
	rep, err := Analyze([]byte(b.String()))
	require.NoError(t, err)
	require.NotNil(t, rep.Summary)
	total := 0
	lines := 0
	for _, c := range rep.Summary.Caveats {
		if !strings.Contains(c, "failed in the client") {
			continue
		}
		lines++
		k, err := strconv.Atoi(c[:strings.IndexByte(c, ' ')])
		require.NoError(t, err, c)
		total += k
	}
	assert.Equal(t, maxClientErrors+1, lines)
	assert.Equal(t, n, total)
}
