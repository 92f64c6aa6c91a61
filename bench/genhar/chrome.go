package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"time"

	"why401/bench/internal/har"
)

type nv struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// headers is nvs as HAR headers (nv keeps the literals below short).
func headers(nvs []nv) []har.Header {
	out := make([]har.Header, len(nvs))
	for i, h := range nvs {
		out[i] = har.Header(h)
	}
	return out
}

// writeChrome writes the HAR the way Chrome's DevTools saves one: indented
// two spaces, the entries' keys in DevTools' order, many headers, big bodies.
func writeChrome(w *countWriter, rnd *rand.Rand, size int64) {
	fmt.Fprint(w, "{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"creator\": {\n      \"name\": \"WebInspector\",\n      \"version\": \"537.36\"\n    },\n    \"pages\": [\n      {\n        \"startedDateTime\": \"2026-11-03T12:00:00.000Z\",\n        \"id\": \"page_1\",\n        \"title\": \"https://shop.example/\",\n        \"pageTimings\": {\n          \"onContentLoad\": 812.4,\n          \"onLoad\": 1530.2\n        }\n      }\n    ],\n    \"entries\": [\n")
	start := time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("      ", "  ")
	for i := 0; w.n < size-4096; i++ {
		if i > 0 {
			w.Write([]byte(",\n"))
		}
		e := chromeEntry(rnd, i, start.Add(time.Duration(i)*53*time.Millisecond))
		buf.Reset()
		enc.Encode(e) // JSON.stringify does not escape <, > and &
		w.Write([]byte("      "))
		w.Write(bytes.TrimRight(buf.Bytes(), "\n"))
	}
	fmt.Fprint(w, "\n    ]\n  }\n}\n")
}

type callFrame struct {
	FunctionName string `json:"functionName"`
	ScriptID     string `json:"scriptId"`
	URL          string `json:"url"`
	LineNumber   int    `json:"lineNumber"`
	ColumnNumber int    `json:"columnNumber"`
}

type initiator struct {
	Type  string `json:"type"`
	Stack struct {
		CallFrames []callFrame `json:"callFrames"`
	} `json:"stack"`
}

// response is a HAR response with the fields Chrome adds.
type response struct {
	har.Response
	TransferSize int     `json:"_transferSize"`
	Error        *string `json:"_error"`
}

type timings struct {
	Blocked  float64 `json:"blocked"`
	DNS      float64 `json:"dns"`
	SSL      float64 `json:"ssl"`
	Connect  float64 `json:"connect"`
	Send     float64 `json:"send"`
	Wait     float64 `json:"wait"`
	Receive  float64 `json:"receive"`
	Queueing float64 `json:"_blocked_queueing"`
}

type chromeEntryT struct {
	Initiator    initiator   `json:"_initiator"`
	Priority     string      `json:"_priority"`
	ResourceType string      `json:"_resourceType"`
	Cache        struct{}    `json:"cache"`
	Connection   string      `json:"connection"`
	Pageref      string      `json:"pageref"`
	Request      har.Request `json:"request"`
	Response     response    `json:"response"`
	ServerIP     string      `json:"serverIPAddress"`
	Started      string      `json:"startedDateTime"`
	Time         float64     `json:"time"`
	Timings      timings     `json:"timings"`
}

var chromePaths = []struct{ path, kind string }{
	{"/", "document"}, {"/category/shoes", "document"}, {"/static/js/app.3f9c2b.js", "script"}, {"/static/js/vendor.81d0aa.js", "script"},
	{"/static/css/main.c4e1.css", "stylesheet"}, {"/img/hero-1600.jpg", "image"}, {"/img/p/8813-800.webp", "image"}, {"/img/logo.svg", "image"},
	{"/api/v2/products?page=2", "fetch"}, {"/api/v2/cart", "fetch"}, {"/api/v2/me", "fetch"}, {"/fonts/inter-var.woff2", "font"},
}

func lorem(rnd *rand.Rand, n int) string {
	words := []string{"product", "price", "shipping", "return", "order", "size", "colour", "stock", "review", "delivery", "basket", "account"}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(words[rnd.Intn(len(words))])
		b.WriteByte(' ')
	}
	return b.String()
}

func chromeEntry(rnd *rand.Rand, i int, t time.Time) chromeEntryT {
	p := chromePaths[rnd.Intn(len(chromePaths))]
	host := "shop.example"
	if strings.HasPrefix(p.path, "/api/") {
		host = "api.shop.example"
	}
	status, mime, body, b64 := 200, "text/html", "", false
	var extra []nv
	k := rnd.Intn(1000)
	switch {
	case k < 10:
		status, mime = 401, "application/json"
		extra = append(extra, nv{"www-authenticate", `Bearer realm="api", error="invalid_token", error_description="The access token expired"`})
		body = `{"error":"invalid_token","error_description":"The access token expired"}`
	case k < 16:
		status, mime = 403, "text/html; charset=UTF-8"
		extra = append(extra, nv{"cf-mitigated", "challenge"}, nv{"server", "cloudflare"}, nv{"cf-ray", fmt.Sprintf("8c%014x-FRA", rnd.Int63())})
		body = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper" role="main"><noscript>Enable JavaScript and cookies to continue</noscript></div><script>(function(){window._cf_chl_opt={cvId: '3',cZone: "shop.example",cType: 'managed'};}());</script>` + strings.Repeat("<!-- padding -->", 200) + `</body></html>`
	case k < 20:
		status, mime = 429, "application/json"
		extra = append(extra, nv{"retry-after", "30"})
		body = `{"error":"rate_limited","message":"Too many requests, retry in 30 seconds"}`
	case k < 120:
		status, mime = 304, ""
	default:
		switch p.kind {
		case "script":
			mime, body = "application/javascript", strings.Repeat("function a(b){return b.map(function(c){return c+1})};\n", 1000+rnd.Intn(5000))
		case "stylesheet":
			mime, body = "text/css", strings.Repeat(".product-card{display:flex;margin:0 auto;color:#333}\n", 600+rnd.Intn(3000))
		case "image", "font":
			mime, b64 = "image/webp", true
			raw := make([]byte, 5000+rnd.Intn(55000))
			rnd.Read(raw)
			body = base64.StdEncoding.EncodeToString(raw)
		case "fetch":
			mime = "application/json"
			body = `{"items":[` + strings.Repeat(`{"id":8813,"name":"Trail runner","price":89.99,"currency":"EUR","stock":12,"tags":["shoes","running"]},`, 20+rnd.Intn(200)) + `{"id":0}]}`
		default:
			mime = "text/html; charset=utf-8"
			body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Shop</title></head><body>" + strings.Repeat("<div class=\"p\"><h2>Product</h2><p>"+lorem(rnd, 200)+"</p></div>\n", 100+rnd.Intn(500)) + "</body></html>"
		}
	}
	reqH := []nv{
		{":authority", host}, {":method", "GET"}, {":path", p.path}, {":scheme", "https"},
		{"accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8"},
		{"accept-encoding", "gzip, deflate, br, zstd"}, {"accept-language", "en-GB,en-US;q=0.9,en;q=0.8"},
		{"cache-control", "no-cache"}, {"cookie", fmt.Sprintf("session=%x; _ga=GA1.1.%d.%d; consent=%s; cf_clearance=%x", rnd.Int63(), rnd.Int31(), t.Unix(), "necessary%2Canalytics", rnd.Int63())},
		{"pragma", "no-cache"}, {"priority", "u=0, i"}, {"referer", "https://shop.example/"},
		{"sec-ch-ua", `"Chromium";v="142", "Google Chrome";v="142", "Not_A Brand";v="99"`}, {"sec-ch-ua-mobile", "?0"}, {"sec-ch-ua-platform", `"Linux"`},
		{"sec-fetch-dest", "empty"}, {"sec-fetch-mode", "cors"}, {"sec-fetch-site", "same-origin"},
		{"user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36"},
	}
	resH := append(extra,
		nv{"accept-ranges", "bytes"}, nv{"age", "0"}, nv{"alt-svc", `h3=":443"; ma=86400`}, nv{"cache-control", "public, max-age=3600"},
		nv{"content-security-policy", "default-src 'self'; script-src 'self' 'nonce-r4nd0m' https://www.googletagmanager.com; img-src 'self' data: https://cdn.shop.example; style-src 'self' 'unsafe-inline'; connect-src 'self' https://api.shop.example; frame-ancestors 'none'; upgrade-insecure-requests"},
		nv{"content-type", mime}, nv{"date", t.Format(time.RFC1123)}, nv{"etag", fmt.Sprintf(`W/"%x"`, rnd.Int63())},
		nv{"permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"}, nv{"referrer-policy", "strict-origin-when-cross-origin"},
		nv{"server", "nginx"}, nv{"strict-transport-security", "max-age=63072000; includeSubDomains; preload"}, nv{"vary", "Accept-Encoding, Origin"},
		nv{"x-content-type-options", "nosniff"}, nv{"x-frame-options", "DENY"}, nv{"x-request-id", fmt.Sprintf("%016x", rnd.Int63())},
		nv{"set-cookie", fmt.Sprintf("__cf_bm=%x; path=/; expires=%s; domain=.shop.example; HttpOnly; Secure; SameSite=None", rnd.Int63(), t.Add(30*time.Minute).Format(time.RFC1123))},
	)
	c := har.Content{Size: len(body), MimeType: mime, Text: body}
	if b64 {
		c.Encoding = "base64"
	}
	in := initiator{Type: "script"}
	in.Stack.CallFrames = []callFrame{{"fetchProducts", "42", "https://shop.example/static/js/app.3f9c2b.js", 1, 8812}}
	return chromeEntryT{
		Initiator: in, Priority: "High", ResourceType: p.kind, Connection: "443", Pageref: "page_1",
		Request: har.Request{Method: "GET", URL: fmt.Sprintf("https://%s%s%sv=%d", host, p.path, sep(p.path), i), HTTPVersion: "http/2.0",
			Headers: headers(reqH), QueryString: []har.Header{}, Cookies: []har.Header{}, HeadersSize: -1},
		Response: response{Response: har.Response{Status: status, HTTPVersion: "http/2.0", Headers: headers(resH), Cookies: []har.Header{}, Content: c,
			HeadersSize: -1, BodySize: len(body)}, TransferSize: len(body) + 900},
		ServerIP: "192.0.2.10", Started: t.Format("2006-01-02T15:04:05.000Z"), Time: 42.1 + rnd.Float64()*100,
		Timings: timings{0.5, -1, -1, -1, 0.2, 40.1, 1.3, 0.4},
	}
}

func sep(p string) string {
	if strings.Contains(p, "?") {
		return "&"
	}
	return "?"
}
