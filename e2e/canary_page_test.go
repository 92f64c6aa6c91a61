//go:build !js

package e2e

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// pageCanaries are unique made-up secrets planted in every credential
// position of a capture; none may reach the page's DOM, the copied Markdown
// or a sanitized download. Fingerprints may show a secret's last 4
// characters, so a leak is the canary minus its last 4.
type pageCanaries struct{ list []string }

func (c *pageCanaries) next() string {
	s := fmt.Sprintf("pgcn%02dR4wYt7Hq2Kd9Js%02d", len(c.list), len(c.list))
	c.list = append(c.list, s)
	return s
}

// add records a secret that is derived from canaries (a base64 Basic
// credential) so it is looked for too.
func (c *pageCanaries) add(s string) string { c.list = append(c.list, s); return s }

// leaks returns the canaries found in text.
func (c *pageCanaries) leaks(text string) []string {
	var out []string
	low := strings.ToLower(text) // a label would lowercase what it copied
	for _, k := range c.list {
		if strings.Contains(low, strings.ToLower(k[:len(k)-4])) {
			out = append(out, k)
		}
	}
	return out
}

func canaryJWT(sig string) string {
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	p := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"u1","exp":1700000000}`))
	return h + "." + p + "." + sig
}

// canaryCaptures returns a HAR and a raw capture with a canary in every
// credential position: Authorization Bearer (opaque and JWT) and Basic,
// Proxy-Authorization, API-key headers, Cookie, Set-Cookie, query
// parameters, form and JSON post data, a secret echoed in a body, and keys
// sent with no scheme word or behind an unknown one.
func canaryCaptures(c *pageCanaries) (har, raw string) {
	bearer, jwtSig, key, vault, cookie, cookie2, setCookie, q1, q2, form, jsonSecret := c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	pw, authTok := c.next(), c.next()
	bareKey, word, afterWord := "sk_live_"+c.next(), c.next(), c.next() // no scheme word; an unknown first word (issue 20)
	basic := c.add(base64.StdEncoding.EncodeToString([]byte("alice:" + pw)))
	proxyPw := "Zq8-proxy-only-in-base64" // the Basic credential below is the canary
	proxy := c.add(base64.StdEncoding.EncodeToString([]byte("bob:" + proxyPw)))
	jwt := canaryJWT(jwtSig)
	jsess, subKey, php, frag, license := c.next(), c.next(), c.next(), c.next(), c.next()
	pct := c.next()
	pct = pct[:8] + "/+" + pct[8:]
	c.list[len(c.list)-1] = pct
	pctEnc := strings.NewReplacer("/", "%2F", "+", "%2B").Replace(pct)
	formSp, locFrag, redirFrag, cookie3, wsTok, ghp, title := c.next(), c.next(), c.next(), c.next(), c.next(), "ghp_"+c.next(), c.next()
	hdr := func(n, v string) string { return fmt.Sprintf(`{"name":%q,"value":%q}`, n, v) }
	entry := func(method, url string, reqH []string, post string, status int, resH []string, body string) string {
		pd := ""
		if post != "" {
			mime := "application/x-www-form-urlencoded"
			if strings.HasPrefix(post, "{") {
				mime = "application/json"
			}
			pd = fmt.Sprintf(`,"postData":{"mimeType":%q,"text":%q}`, mime, post)
		}
		return fmt.Sprintf(`{"startedDateTime":"2026-11-03T12:00:00.000Z","time":10,"request":{"method":%q,"url":%q,"httpVersion":"HTTP/1.1","headers":[%s],"queryString":[],"cookies":[]%s,"headersSize":-1,"bodySize":-1},`+
			`"response":{"status":%d,"statusText":"","httpVersion":"HTTP/1.1","headers":[%s],"cookies":[],"content":{"size":%d,"mimeType":"application/json","text":%q},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":1,"wait":8,"receive":1}}`,
			method, url, strings.Join(reqH, ","), pd, status, strings.Join(resH, ","), len(body), body)
	}
	entries := []string{
		entry("GET", "https://api.example.com/v1/me?access_token="+q1+"&api_key="+q2, []string{
			hdr("Authorization", "Bearer "+bearer), hdr("X-Api-Key", key), hdr("X-Vault-Token", vault),
			hdr("Cookie", "session="+cookie+"; theme=dark; csrftoken="+cookie2)},
			"", 401, []string{hdr("WWW-Authenticate", `Bearer error="invalid_token"`), hdr("Set-Cookie", "sid="+setCookie+"; Path=/; HttpOnly")},
			`{"error":"invalid_token","message":"token `+bearer+` rejected"}`),
		entry("POST", "https://api.example.com/login", []string{hdr("Authorization", "Basic "+basic), hdr("Proxy-Authorization", "Basic "+proxy)},
			"username=alice&password="+pw+"&client_secret="+form, 401, []string{hdr("WWW-Authenticate", `Basic realm="api"`)}, `{"error":"bad credentials"}`),
		entry("POST", "https://id.example.com/oauth/token", []string{hdr("Authorization", "Bearer "+jwt), hdr("X-Auth-Token", authTok)},
			`{"grant_type":"refresh_token","refresh_token":"`+jsonSecret+`"}`, 403, []string{hdr("Content-Type", "application/json")}, `{"error":"forbidden"}`),
		entry("GET", "https://api.example.com/v1/things", []string{hdr("Authorization", bareKey)}, "", 401,
			[]string{hdr("Content-Type", "application/json")}, `{"error":"unauthorized"}`),
		entry("GET", "https://api.example.com/v1/search", []string{hdr("Authorization", word+" "+afterWord)}, "", 429,
			[]string{hdr("Content-Type", "application/json")}, `{"error":"quota exceeded"}`),
		// Issue 18, reports: a path parameter, subscription-key and
		// PHPSESSID, a percent-encoded value echoed decoded, a fragment, a
		// JSON body value no name list knows, echoed in the error.
		entry("POST", "https://api.example.com/app;jsessionid="+jsess+"?subscription-key="+subKey+"&PHPSESSID="+php+"&state="+pctEnc+"#access_token="+frag,
			[]string{hdr("Content-Type", "application/json")}, `{"license":"`+license+`"}`, 401,
			[]string{hdr("Content-Type", "application/json")}, `{"error":"invalid_request","message":"license `+license+` and state `+pct+` rejected"}`),
		// Issue 18, sanitize: a form field with a space, a fragment in
		// Location and redirectURL, the second cookie of a joined Set-Cookie,
		// WebSocket frames (one a ghp_ token); the page title, below.
		strings.Replace(strings.TrimSuffix(entry("POST", "https://app.example.com/login", nil, "user=Carol Smith&password="+formSp, 401,
			[]string{hdr("Location", "https://app.example.com/cb#access_token="+locFrag), hdr("Set-Cookie", "a=1; Path=/\nSESSION="+cookie3+"; HttpOnly")},
			`{"error":"bad credentials"}`), "}")+`,"_webSocketMessages":[{"type":"send","time":1,"opcode":1,"data":"{\"auth\":\"`+wsTok+`\"}"},{"type":"receive","time":2,"opcode":1,"data":"hello `+ghp+`"}]}`,
			`"redirectURL":""`, `"redirectURL":"https://app.example.com/done#id_token=`+redirFrag+`"`, 1),
	}
	har = `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"startedDateTime":"2026-11-03T12:00:00.000Z","id":"page_1","title":"https://app.example.com/cb#access_token=` + title + `","pageTimings":{}}],"entries":[` + strings.Join(entries, ",") + `]}}`
	raw = "POST /v1/items?token=" + q1 + "&key=" + q2 + " HTTP/1.1\nHost: api.example.com\nAuthorization: Bearer " + jwt +
		"\nX-Api-Key: " + key + "\nCookie: session=" + cookie + "\nProxy-Authorization: Basic " + proxy +
		"\nContent-Type: application/x-www-form-urlencoded\n\npassword=" + pw + "&client_secret=" + form +
		"\n\nHTTP/1.1 401 Unauthorized\nDate: Wed, 15 Nov 2023 10:00:00 GMT\nWWW-Authenticate: Bearer error=\"invalid_token\"\nSet-Cookie: sid=" + setCookie +
		"; Path=/\nContent-Type: application/json\n\n{\"error\":\"invalid_token\",\"echo\":\"" + jwt + "\"}\n"
	return har, raw
}
