package detect

import (
	"fmt"
	"testing"

	"why401/analyzer/internal/capture"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each message status.go and auth.go build, against the fmt format it was
// written with before the page wasm dropped fmt.
func TestStatusAndAuthTexts(t *testing.T) {
	crawlerUA := "Mozilla/5.0 (compatible; GPTBot/1.0; \"x\" \xff é)"
	tests := []struct {
		name, in, id string
		want         string
		param        string // when set, the Params key holding want
	}{
		{"preflight", "OPTIONS /v1/x HTTP/1.1\r\nHost: a.example\r\nOrigin: https://b.example\r\nAccess-Control-Request-Method: PUT\r\n\r\nHTTP/1.1 401 Unauthorized\r\n\r\n",
			"cors-preflight-rejected", fmt.Sprintf("OPTIONS preflight (Access-Control-Request-Method: %s) answered %s", "PUT", "HTTP 401 Unauthorized"), ""},
		{"401-json", "GET /v1/me HTTP/1.1\r\nHost: a.example\r\nUser-Agent: python-requests/2.31.0\r\n\r\nHTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{\"error\":\"token expired\"}",
			"401-json-auth", fmt.Sprintf("%s with a JSON body that mentions %q", "HTTP 401 Unauthorized", "token"), ""},
		{"library-ua", "GET /v1/me HTTP/1.1\r\nHost: a.example\r\nUser-Agent: python-requests/2.31.0\r\n\r\nHTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{\"error\":\"token expired\"}",
			"library-user-agent", fmt.Sprintf("User-Agent %q is a %s client, which bot managers score as automation", "python-requests/2.31.0", "python-requests"), ""},
		{"401-html-no-reason", "GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: node\r\n\r\nHTTP/2 401\r\nContent-Type: text/html\r\n\r\n<html>please log in</html>",
			"401-html-auth", fmt.Sprintf("%s with an HTML page that mentions %q", fmt.Sprintf("HTTP %d", 401), "log in"), ""},
		{"runtime-ua", "GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: node\r\n\r\nHTTP/2 401\r\nContent-Type: text/html\r\n\r\n<html>please log in</html>",
			"library-user-agent", fmt.Sprintf("User-Agent %q is the default of a JavaScript runtime's fetch(), which bot managers score as automation", "node"), ""},
		{"403-anonymous", "GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: " + crawlerUA + "\r\n\r\nHTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n{\"message\":\"Missing Authentication Token\"}",
			"403-anonymous", fmt.Sprintf("%s whose body says %q", "HTTP 403 Forbidden", "missing authentication"), ""},
		{"crawler-ua-quotes-and-bad-utf8", "GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: " + crawlerUA + "\r\n\r\nHTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n{\"message\":\"Missing Authentication Token\"}",
			"crawler-user-agent", fmt.Sprintf("User-Agent %q declares a crawler; sites often challenge or block crawlers by name (check robots.txt and the site's crawler policy; a claimed search-engine bot is verified by reverse DNS)", crawlerUA), ""},
		{"403-permission", "GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: Mozilla/5.0 Chrome/142.0.0.0 Safari/537.36\r\nAccept: text/html\r\nAuthorization: Bearer abcdefghijklmnopqrstuvwxyz012345\r\n\r\nHTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n{\"error\":\"insufficient scope\"}",
			"403-permission", fmt.Sprintf("%s with a JSON body that mentions %q", "HTTP 403 Forbidden", "insufficient"), ""},
		{"chrome-missing-headers", "GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: Mozilla/5.0 Chrome/142.0.0.0 Safari/537.36\r\nAccept: text/html\r\nSec-Fetch-Mode: navigate\r\n\r\nHTTP/1.1 403 Forbidden\r\n\r\n",
			"browser-ua-missing-headers", fmt.Sprintf("User-Agent claims Chrome but the request lacks %s, which Chrome always sends", "sec-ch-ua, sec-fetch-site, accept-language"), ""},
		{"js-cookie-gate", "GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: curl/8.5.0\r\n\r\nHTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\n\r\n<html><h1>Sorry, you have been blocked</h1><p>Please enable cookies.</p></html>",
			"js-cookie-gate", fmt.Sprintf("the page says %q", "please enable cookies"), ""},
		{"block-wording", "GET / HTTP/1.1\r\nHost: a.example\r\nUser-Agent: curl/8.5.0\r\n\r\nHTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\n\r\n<html><h1>Sorry, you have been blocked</h1><p>Please enable cookies.</p></html>",
			"block-wording", fmt.Sprintf("the page says %q, as block pages do", "you have been blocked"), ""},
		{"digest-algorithm", "GET /p HTTP/1.1\r\nHost: a.example\r\nAuthorization: Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/p\", response=\"0123456789abcdef0123456789abcdef\", algorithm=SHA-512-256\r\n\r\nHTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"r\", nonce=\"m\", algorithm=SHA-256, qop=\"auth\"\r\n\r\n",
			"digest-rejected", fmt.Sprintf("the request used algorithm %s, which the server did not offer", "SHA-512-256"), "problem"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			exs, _, err := capture.ParseText([]byte(tc.in), capture.DefaultLimits(), &capture.Warnings{})
			require.NoError(t, err)
			require.NotEmpty(t, exs)
			ex := &exs[len(exs)-1]
			var got []string
			for _, s := range Signals(ex, capture.DefaultLimits(), &capture.Warnings{}) {
				if s.ID != tc.id {
					continue
				}
				if tc.param != "" {
					got = append(got, s.Params[tc.param])
				} else {
					got = append(got, s.Text)
				}
			}
			assert.Equal(t, []string{tc.want}, got)
		})
	}
}
