package detect

import (
	"fmt"
	"os"
	"testing"

	"why401/analyzer/internal/capture"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The story keeps facts, never credential values: run every story fixture
// through a story and look for the fixtures' secrets in its state.
func TestStoryKeepsNoSecrets(t *testing.T) {
	for _, name := range []string{"redirect-dropped-auth", "cookie-host-only", "cookie-samesite", "cookie-expired", "refresh-not-used", "expired-token"} {
		data, err := os.ReadFile("../../testdata/cases/story/" + name + ".har")
		require.NoError(t, err)
		st := NewStory()
		lim := capture.DefaultLimits()
		w := &capture.Warnings{}
		_, err = capture.ReadHAR(capture.NewJSONScanner(nil, data, lim), lim, w, func(ex capture.Exchange) { st.observe(&ex, Signals(&ex, lim, w)) })
		require.NoError(t, err)
		state := fmt.Sprintf("%+v", *st)
		for k, c := range st.cookies {
			state += fmt.Sprintf("%s%+v", k, *c)
		}
		for _, c := range storyCanaries {
			assert.NotContains(t, state, c, "%s: the story kept a secret", name)
		}
	}
}

// storyCanaries are the secrets of the story fixtures.
var storyCanaries = []string{"opaque_at_7Hk2mQ9xLp4vR8sT1wZ3", "q8Zr4LmN2vX7pT0kW5yH3", "k3Jd8Qw2Lm5Zx9Rt4Vb7", "u7Tq2Wm9Ks4Lx8Pz3Nc6",
	"opaque_at_OLD_Lq3Xv8Wm2Rt6Yp4Nb9Kz", "opaque_at_NEW_Hs5Dk1Jf7Gp3Qa8Zc2Ve", "c2lnbmF0dXJlLW5vdC1yZWFsLWZpeHR1cmUtb25seQ"}

// observe is the story's part of an analysis, for tests that need no
// verdict: the context signals for ex, then what ex teaches (learned as if
// no verdict were known, which changes only what blocks and challenge
// pages teach).
func (s *Story) observe(ex *capture.Exchange, sig []Signal) []Signal {
	out := s.Context(ex, sig)
	s.Learn(ex, "", "", "")
	return out
}

// The story's maps stay bounded whatever the capture holds.
func TestStoryBounded(t *testing.T) {
	st := NewStory()
	for i := range 3 * MaxStoryKeys {
		ex := capture.Exchange{Index: i, Request: &capture.Message{Method: "GET", URL: fmt.Sprintf("https://h%d.example/x", i),
			Fields: []capture.Field{{Name: "Authorization", Value: fmt.Sprintf("Bearer tok%08d", i)}}},
			Response: capture.Message{Status: 302, Fields: []capture.Field{{Name: "Location", Value: fmt.Sprintf("https://o%d.example/", i)},
				{Name: "Set-Cookie", Value: fmt.Sprintf("session%d=v; Path=/", i)}}}}
		st.observe(&ex, nil)
	}
	assert.LessOrEqual(t, len(st.tokens), MaxStoryKeys)
	assert.LessOrEqual(t, len(st.redirects), MaxStoryKeys)
	assert.LessOrEqual(t, len(st.cookies), MaxStoryKeys)
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
		st := NewStory()
		set := capture.Exchange{Index: 0, Request: &capture.Message{Method: "POST", URL: c.setURL},
			Response: capture.Message{Status: 302, Fields: []capture.Field{{Name: "Date", Value: "Tue, 03 Nov 2026 12:00:00 GMT"}, {Name: "Set-Cookie", Value: c.setCookie}}}}
		st.observe(&set, nil)
		req := &capture.Message{Method: "GET", URL: c.reqURL}
		if c.site != "" {
			req.Fields = append(req.Fields, capture.Field{Name: "Sec-Fetch-Site", Value: c.site}, capture.Field{Name: "Sec-Fetch-Mode", Value: "cors"})
		}
		fail := capture.Exchange{Index: 1, Request: req, Response: capture.Message{Status: 401, Fields: []capture.Field{{Name: "Date", Value: "Tue, 03 Nov 2026 12:05:00 GMT"}}}}
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
	st := NewStory()
	st.observe(&capture.Exchange{Request: &capture.Message{Method: "POST", URL: "https://www.example.com/logout"},
		Response: capture.Message{Status: 200, Fields: []capture.Field{{Name: "Set-Cookie", Value: "sid=; Max-Age=0; Path=/"}}}}, nil)
	sig := st.observe(&capture.Exchange{Index: 1, Request: &capture.Message{Method: "GET", URL: "https://www.example.com/me"}, Response: capture.Message{Status: 401}}, nil)
	for _, s := range sig {
		assert.NotEqual(t, "cookie-not-sent", s.ID)
	}
}
