package diff

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var day = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func browser() []Field {
	return []Field{
		{"Host", "shop.example"},
		{"sec-ch-ua", `"Chromium";v="142", "Google Chrome";v="142"`},
		{"sec-ch-ua-mobile", "?0"},
		{"sec-ch-ua-platform", `"Linux"`},
		{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36"},
		{"Accept", "text/html,application/xhtml+xml"},
		{"sec-fetch-site", "none"},
		{"sec-fetch-mode", "navigate"},
		{"sec-fetch-dest", "document"},
		{"Accept-Language", "en-US,en;q=0.9"},
	}
}

func side(verdict string, status int, req ...Field) Side {
	return Side{Method: "GET", URL: "https://shop.example/p/1", Proto: "HTTP/2", Request: req, Status: status, Verdict: verdict, Date: day, Recent: -1}
}

func with(fs []Field, extra ...Field) []Field { return append(append([]Field{}, fs...), extra...) }

func replace(fs []Field, name, value string) []Field {
	out := append([]Field{}, fs...)
	for i := range out {
		if strings.EqualFold(out[i].Name, name) {
			out[i].Value = value
		}
	}
	return out
}

func jwtExpiring(t time.Time) string {
	// header {"alg":"HS256"}, payload {"exp":<t>}, a fake signature
	return "eyJhbGciOiJIUzI1NiJ9." + b64(`{"sub":"u1","exp":`+itoa(t.Unix())+`}`) + ".c2lnbmF0dXJlLWZvci10ZXN0cw"
}

func hooks() Hooks {
	return Hooks{
		VendorCookie: func(n string) string {
			if n == "cf_clearance" || n == "__cf_bm" {
				return "cloudflare"
			}
			return ""
		},
		SessionCookie: func(n string) bool {
			n = strings.ToLower(n)
			return strings.Contains(n, "sess") || strings.Contains(n, "sid") || strings.Contains(n, "auth") || strings.Contains(n, "token")
		},
		TokenExpiry: func(tok string) (time.Time, bool) {
			parts := strings.Split(tok, ".")
			if len(parts) != 3 {
				return time.Time{}, false
			}
			var claims struct{ Exp int64 }
			raw, err := unb64(parts[1])
			if err != nil || json.Unmarshal(raw, &claims) != nil || claims.Exp == 0 {
				return time.Time{}, false
			}
			return time.Unix(claims.Exp, 0), true
		},
	}
}

func TestCompare(t *testing.T) {
	tok := jwtExpiring(day.Add(-2 * time.Hour))
	for name, tc := range map[string]struct {
		good, bad Side
		top       string // kind of the first change
		topName   string
		likely    bool
	}{
		"library User-Agent on a bot block": {
			good: side("ok", 200, browser()...),
			bad:  side("bot", 403, replace(browser(), "User-Agent", "python-requests/2.32.3")...),
			top:  "header-changed", topName: "user-agent", likely: true,
		},
		"clearance cookie missing on a challenge": {
			good: side("ok", 200, with(browser(), Field{"Cookie", "cf_clearance=Zm9yLXRlc3RzLW9ubHk; theme=dark"})...),
			bad:  side("bot", 403, with(browser(), Field{"Cookie", "theme=dark"})...),
			top:  "cookie-vendor-missing", topName: "cf_clearance (cloudflare)", likely: true,
		},
		"the same token, expired since": {
			good: func() Side {
				s := side("ok", 200, Field{"Authorization", "Bearer " + tok})
				s.Date = day.Add(-3 * time.Hour)
				return s
			}(),
			bad: side("auth", 401, Field{"Authorization", "Bearer " + tok}),
			top: "credential-expired", topName: "authorization", likely: true,
		},
		"credential missing": {
			good: side("ok", 200, Field{"Authorization", "Bearer abcdefghijklmnopqrstuvwxyz012345"}, Field{"Accept", "application/json"}),
			bad:  side("auth", 401, Field{"Accept", "application/json"}),
			top:  "credential-missing", topName: "authorization", likely: true,
		},
		"another scheme": {
			good: side("ok", 200, Field{"Authorization", "Basic dXNlcjpwYXNzd29yZDEyMzQ1Ng=="}),
			bad:  side("auth", 401, Field{"Authorization", "Bearer dXNlcjpwYXNzd29yZDEyMzQ1Ng=="}),
			top:  "credential-scheme", topName: "authorization", likely: true,
		},
		"HTTP/1.1 from a browser User-Agent": {
			good: side("ok", 200, browser()...),
			bad:  func() Side { s := side("bot", 403, browser()...); s.Proto = "HTTP/1.1"; return s }(),
			top:  "protocol", likely: true,
		},
		"header order only": {
			good: side("ok", 200, browser()...),
			bad: side("bot", 403, func() []Field {
				b := browser()
				out := []Field{b[4], b[0], b[5]}
				out = append(out, b[1:4]...)
				return append(out, b[6:]...)
			}()...),
			top: "header-order", likely: true,
		},
		"the site saw another address": {
			good: func() Side {
				s := side("ok", 200, browser()...)
				s.Body = []byte(`{"origin":"198.51.100.23"}`)
				return s
			}(),
			bad: func() Side {
				s := side("bot", 403, browser()...)
				s.Body = []byte(`{"type":"https://problems.example/deny","clientIp":"203.0.113.77"}`)
				return s
			}(),
			top: "client-address", likely: true,
		},
		"a burst before the rate limit": {
			good: func() Side { s := side("ok", 200, browser()...); s.Recent = 2; return s }(),
			bad:  func() Side { s := side("rate_limit", 429, browser()...); s.Recent = 48; return s }(),
			top:  "rate", likely: true,
		},
		"session cookie sent after its expiry": {
			good: side("ok", 200, Field{"Cookie", "sessionid=abcdefghijklmnopqrstuvwxyz"}),
			bad: func() Side {
				s := side("auth", 401, Field{"Cookie", "sessionid=abcdefghijklmnopqrstuvwxyz"})
				s.Expiry = map[string]time.Time{"sessionid": day.Add(-30 * time.Minute)}
				return s
			}(),
			top: "cookie-expired", topName: "sessionid", likely: true,
		},
		"noise only": {
			good: side("ok", 200, Field{"Accept", "*/*"}, Field{"traceparent", "00-aaaa-bbbb-01"}),
			bad:  side("bot", 403, Field{"Accept", "*/*"}, Field{"traceparent", "00-cccc-dddd-01"}),
		},
	} {
		t.Run(name, func(t *testing.T) {
			r := Compare(tc.good, tc.bad, hooks())
			if tc.top == "" {
				assert.Empty(t, r.Changes)
				assert.Contains(t, r.Summary, "do not differ")
				return
			}
			require.NotEmpty(t, r.Changes)
			assert.Equal(t, tc.top, r.Changes[0].Kind, "%+v", r.Changes)
			if tc.topName != "" {
				assert.Equal(t, tc.topName, r.Changes[0].Name)
			}
			assert.Equal(t, tc.likely, r.Likely > 0, r.Summary)
			if tc.likely {
				assert.Contains(t, r.Summary, "Most likely: "+r.Changes[0].Why)
			}
		})
	}
}

// No credential or cookie value is ever echoed, only fingerprints.
func TestCompareNeverEchoesSecrets(t *testing.T) {
	secrets := []string{"ghp_16C7e42F292c6912E7710c838347Ae178B4a", "Zm9yLXRlc3RzLW9ubHktc2Vzc2lvbg", "c2Vjb25kLXNlY3JldC12YWx1ZQ", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWx"}
	good := side("ok", 200, Field{"Authorization", "Bearer " + secrets[0]}, Field{"Cookie", "sessionid=" + secrets[1] + "; cf_clearance=" + secrets[2]}, Field{"X-Api-Key", secrets[3]})
	bad := side("auth", 401, Field{"Authorization", "token " + secrets[3]}, Field{"Cookie", "sessionid=" + secrets[2]})
	out, err := json.Marshal(Compare(good, bad, hooks()))
	require.NoError(t, err)
	for _, s := range secrets {
		assert.NotContains(t, string(out), s)
	}
	assert.Contains(t, string(out), "credential-scheme")
	assert.Contains(t, string(out), "cookie-vendor-missing")
}

func TestKnowledge(t *testing.T) {
	cats := map[string]bool{}
	for kind, m := range know().Multipliers {
		for c := range m {
			cats[c] = true
		}
		assert.Len(t, m, len(know().Multipliers["unknown"]), "multipliers of %s name every category", kind)
	}
	for n, r := range know().Headers {
		assert.True(t, cats[r.Category], "header %s: category %q has no multiplier", n, r.Category)
		assert.Equal(t, strings.ToLower(n), n, "header names are lower case")
	}
	for k, r := range know().Changes {
		assert.True(t, cats[r.Category], "change %s: category %q has no multiplier", k, r.Category)
		assert.NotEmpty(t, r.Why, k)
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func unb64(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestKnowledgeStrict: knowledge.json decodes strictly with encoding/json
// (no unknown key, every type right) to the value jsonfill gives know.
func TestKnowledgeStrict(t *testing.T) {
	var k knowledge
	dec := json.NewDecoder(strings.NewReader(string(knowledgeJSON)))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&k))
	assert.Equal(t, &k, know())
}
