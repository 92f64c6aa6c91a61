package sanitize

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sanitizeRound2HAR plants a canary in every position issue 18 found
// surviving `why401 sanitize` (and the page's download, the same code).
func sanitizeRound2HAR(c *canaries) (string, []string) {
	jstr := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	title, formSp, shortPw := c.next(), c.next(), "pw1"
	multi, soap, ws, ghp := c.next(), c.next(), c.next(), "ghp_"+c.next()
	locFrag, redirFrag, cookie2, jsess, subKey, php := c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	pct := c.next()
	pct = pct[:8] + "/+" + pct[8:]
	c.list[len(c.list)-1] = pct
	pctEnc := strings.NewReplacer("/", "%2F", "+", "%2B").Replace(pct)
	gzTok, latinTok := c.next(), c.next()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(`{"error":"bad token","token":"` + gzTok + `"}`))
	zw.Close()
	latin := append([]byte("<p>caf\xe9 session="), []byte(latinTok+"</p>")...)
	multipart := "--XyZ\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\ncarol\r\n--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n" + multi + "\r\n--XyZ--\r\n"
	soapBody := `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><wsse:Security><wsse:UsernameToken><wsse:Username>carol</wsse:Username><wsse:Password Type="PasswordText">` + soap + `</wsse:Password></wsse:UsernameToken></wsse:Security></soap:Header></soap:Envelope>`
	entry := func(req, resp string) string {
		return `{"startedDateTime":"2026-11-03T12:00:00Z","time":1,"request":` + req + `,"response":` + resp + `,"cache":{},"timings":{"send":0,"wait":1,"receive":0}}`
	}
	resp := func(status int, headers, content, redirect string) string {
		return `{"status":` + itoa(status) + `,"statusText":"","httpVersion":"HTTP/1.1","headers":[` + headers + `],"cookies":[],"content":` + content + `,"redirectURL":` + jstr(redirect) + `,"headersSize":-1,"bodySize":0}`
	}
	req := func(method, url, headers, post string) string {
		r := `{"method":"` + method + `","url":` + jstr(url) + `,"httpVersion":"HTTP/1.1","headers":[` + headers + `],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0`
		if post != "" {
			r += `,"postData":` + post
		}
		return r + "}"
	}
	h := func(n, v string) string { return `{"name":` + jstr(n) + `,"value":` + jstr(v) + `}` }
	license := c.next()
	entries := []string{
		entry(req("POST", "https://api.example.com/activate", h("Content-Type", "application/json"), `{"mimeType":"application/json","text":`+jstr(`{"license":"`+license+`"}`)+`}`),
			resp(403, "", `{"size":0,"mimeType":"application/json","text":`+jstr(`{"error":"license `+license+` is not valid"}`)+`}`, "")),
		entry(req("POST", "https://app.example.com/login", h("Content-Type", "application/x-www-form-urlencoded"),
			`{"mimeType":"application/x-www-form-urlencoded","text":`+jstr("user=Carol Smith&password="+formSp+"&pin="+shortPw)+`}`),
			resp(302, h("Location", "https://app.example.com/cb#access_token="+locFrag+"&state=x")+","+
				h("Set-Cookie", "a=1; Path=/\nSESSION="+cookie2+"; Path=/; HttpOnly"), `{"size":0,"mimeType":"text/html","text":""}`,
				"https://app.example.com/done#id_token="+redirFrag)),
		entry(req("POST", "https://app.example.com/upload", h("Content-Type", "multipart/form-data; boundary=XyZ"),
			`{"mimeType":"multipart/form-data; boundary=XyZ","text":`+jstr(multipart)+`}`),
			resp(401, h("WWW-Authenticate", `Basic realm="x"`), `{"size":0,"mimeType":"text/plain","text":"no"}`, "")),
		entry(req("POST", "https://soap.example.com/svc", h("Content-Type", "text/xml"), `{"mimeType":"text/xml","text":`+jstr(soapBody)+`}`),
			resp(500, "", `{"size":0,"mimeType":"text/xml","text":"<fault/>"}`, "")),
		strings.TrimSuffix(entry(req("GET", "wss://ws.example.com/socket", "", ""), resp(101, "", `{"size":0,"mimeType":"x-unknown"}`, "")), "}") +
			`,"_webSocketMessages":[{"type":"send","time":1,"opcode":1,"data":` + jstr(`{"auth":"`+ws+`"}`) + `},{"type":"send","time":2,"opcode":1,"data":` + jstr("hello "+ghp) + `}]}`,
		entry(req("GET", "https://api.example.com/app;jsessionid="+jsess+"?subscription-key="+subKey+"&PHPSESSID="+php+"&state="+pctEnc, "", ""),
			resp(401, "", `{"size":0,"mimeType":"application/json","text":`+jstr(`{"error":"invalid state `+pct+`"}`)+`}`, "")),
		entry(req("GET", "https://api.example.com/gz", "", ""),
			resp(403, h("Content-Encoding", "gzip"), `{"size":0,"mimeType":"application/json","encoding":"base64","text":"`+base64.StdEncoding.EncodeToString(gz.Bytes())+`"}`, "")),
		entry(req("GET", "https://api.example.com/latin", "", ""),
			resp(403, "", `{"size":0,"mimeType":"text/html; charset=iso-8859-1","encoding":"base64","text":"`+base64.StdEncoding.EncodeToString(latin)+`"}`, "")),
	}
	har := `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"pages":[{"startedDateTime":"2026-11-03T12:00:00Z","id":"page_1","title":` +
		jstr("https://app.example.com/cb#access_token="+title) + `,"pageTimings":{}}],"entries":[` + strings.Join(entries, ",") + `]}}`
	return har, []string{shortPw}
}

// canaries hands out unique secrets; a leak is a canary minus its last 4.
type canaries struct{ list []string }

func (c *canaries) next() string {
	s := fmt.Sprintf("cnry%02dQ7xZk9Lm3Vb8Np%02d", len(c.list), len(c.list))
	c.list = append(c.list, s)
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestSanitizeRound2(t *testing.T) {
	c := &canaries{}
	har, short := sanitizeRound2HAR(c)
	require.True(t, json.Valid([]byte(har)), har)
	out, stats, err := Capture([]byte(har), Options{})
	require.NoError(t, err)
	require.True(t, json.Valid(out))
	text := string(out)
	// Base64 bodies are looked at decoded too.
	var doc struct {
		Log struct {
			Entries []struct {
				Response struct {
					Content struct{ Text, Encoding string }
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(out, &doc))
	for _, e := range doc.Log.Entries {
		if e.Response.Content.Encoding == "base64" {
			b, _ := base64.StdEncoding.DecodeString(e.Response.Content.Text)
			if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				b, _ = io.ReadAll(zr)
			}
			text += "\n" + string(b)
		}
	}
	for _, k := range c.list {
		if i := strings.Index(text, k[:len(k)-4]); i >= 0 {
			t.Errorf("canary %s survived: …%s…", k, text[max(0, i-80):min(len(text), i+40)])
		}
	}
	for _, s := range short {
		assert.NotContains(t, text, "pin="+s, "a short password survived")
	}
	t.Logf("stats: %s", stats)
}
