// Command genhar writes a synthetic Chrome-style HAR of about the requested
// size, for benchmarks: mostly successful page loads (documents, scripts,
// images, XHR), with a few genuine 401s, Cloudflare challenges and 429s
// mixed in, so every stage of the analyzer is exercised. Output is
// deterministic for a given size, shape and seed.
//
//	go run ./bench/genhar -size 100MB -o /tmp/big.har
//	go run ./bench/genhar -shape chrome -size 100MB -o /tmp/chrome.har
//
// -shape compact (the default) writes one line with few headers and small
// bodies. -shape chrome writes what Chrome's "Save all as HAR with content"
// does: indented JSON (JSON.stringify(har, null, 2)), 15-30 headers a side
// with cookies and long security headers, base64 images of 5-60 KB and text
// bodies (scripts, pages) of 30-300 KB.
package main

import (
	"bufio"
	"encoding/base64"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"time"
)

func parseSize(s string) (int64, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suf string
		m   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suf) {
			mult, s = u.m, strings.TrimSuffix(s, u.suf)
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	return int64(n * float64(mult)), err
}

func main() {
	sizeFlag := flag.String("size", "100MB", "approximate output size (e.g. 5MB, 100MB, 2GB)")
	out := flag.String("o", "-", "output file (- for stdout)")
	seed := flag.Int64("seed", 1, "random seed")
	shape := flag.String("shape", "compact", "compact (one line, small entries) or chrome (indented, many headers, large bodies)")
	flag.Parse()
	if *shape != "compact" && *shape != "chrome" {
		fmt.Fprintln(os.Stderr, "genhar: -shape is compact or chrome")
		os.Exit(2)
	}
	size, err := parseSize(*sizeFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genhar: bad -size:", err)
		os.Exit(2)
	}
	f := os.Stdout
	if *out != "-" {
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintln(os.Stderr, "genhar:", err)
			os.Exit(2)
		}
		defer f.Close()
	}
	w := bufio.NewWriterSize(f, 1<<20)
	defer w.Flush()
	rnd := rand.New(rand.NewSource(*seed))
	cw := &countWriter{w: w}
	if *shape == "chrome" {
		writeChrome(cw, rnd, size)
		return
	}
	fmt.Fprint(cw, `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[{"startedDateTime":"2026-11-03T12:00:00.000Z","id":"page_1","title":"https://shop.example/","pageTimings":{"onContentLoad":812.4,"onLoad":1530.2}}],"entries":[`)
	start := time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC)
	for i := 0; cw.n < size-4096; i++ {
		if i > 0 {
			cw.Write([]byte{','})
		}
		writeEntry(cw, rnd, i, start.Add(time.Duration(i)*37*time.Millisecond))
	}
	fmt.Fprint(cw, "]}}\n")
}

type countWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.w.Write(p)
}

func q(s string) string { return strconv.Quote(s) }

func header(n, v string) string { return `{"name":` + q(n) + `,"value":` + q(v) + `}` }

var paths = []string{"/", "/static/app.js", "/static/vendor.js", "/static/style.css", "/img/hero.png", "/img/logo.svg", "/api/v1/products", "/api/v1/cart", "/api/v1/me", "/fonts/inter.woff2"}

func writeEntry(w *countWriter, rnd *rand.Rand, i int, t time.Time) {
	p := paths[rnd.Intn(len(paths))]
	host := "shop.example"
	if strings.HasPrefix(p, "/api/") {
		host = "api.shop.example"
	}
	kind := rnd.Intn(1000)
	status, mime, body, b64 := 200, "text/html", "", false
	var resH []string
	switch {
	case kind < 10: // genuine 401
		status, mime = 401, "application/json"
		resH = append(resH, header("www-authenticate", `Bearer realm="api", error="invalid_token", error_description="The access token expired"`))
		body = `{"error":"invalid_token","error_description":"The access token expired"}`
	case kind < 16: // Cloudflare challenge
		status, mime = 403, "text/html; charset=UTF-8"
		resH = append(resH, header("cf-mitigated", "challenge"), header("server", "cloudflare"), header("cf-ray", fmt.Sprintf("8c%014x-FRA", rnd.Int63())))
		body = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript><script>window._cf_chl_opt={cType:'managed'};</script></body></html>`
	case kind < 20:
		status, mime = 429, "application/json"
		resH = append(resH, header("retry-after", "30"))
		body = `{"error":"rate_limited"}`
	case kind < 150:
		status, mime = 304, ""
	default:
		switch {
		case strings.HasSuffix(p, ".js"):
			mime, body = "application/javascript", strings.Repeat("function a(b){return b+1};", 40+rnd.Intn(200))
		case strings.HasSuffix(p, ".css"):
			mime, body = "text/css", strings.Repeat(".c{color:#333;margin:0 auto}", 30+rnd.Intn(100))
		case strings.HasSuffix(p, ".png"), strings.HasSuffix(p, ".woff2"):
			mime, b64 = "image/png", true
			raw := make([]byte, 500+rnd.Intn(3000))
			rnd.Read(raw)
			body = base64.StdEncoding.EncodeToString(raw)
		case strings.HasSuffix(p, ".svg"):
			mime, body = "image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>`
		case strings.HasPrefix(p, "/api/"):
			mime, body = "application/json", `{"items":[`+strings.Repeat(`{"id":123,"name":"Widget","price":9.99},`, 5+rnd.Intn(40))+`{"id":0}]}`
		default:
			mime, body = "text/html; charset=utf-8", "<!doctype html><html><head><title>Shop</title></head><body>"+strings.Repeat("<div class=\"p\">Product</div>", 50+rnd.Intn(150))+"</body></html>"
		}
	}
	reqH := []string{
		header(":authority", host), header(":method", "GET"), header(":path", p), header(":scheme", "https"),
		header("accept", "*/*"), header("accept-encoding", "gzip, deflate, br, zstd"), header("accept-language", "en-US,en;q=0.9"),
		header("sec-ch-ua", `"Chromium";v="142", "Google Chrome";v="142", "Not_A Brand";v="99"`), header("sec-ch-ua-mobile", "?0"),
		header("sec-ch-ua-platform", `"Linux"`), header("sec-fetch-dest", "empty"), header("sec-fetch-mode", "cors"), header("sec-fetch-site", "same-site"),
		header("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36"),
		header("referer", "https://shop.example/"),
	}
	resH = append(resH, header("content-type", mime), header("date", t.Format(time.RFC1123)), header("cache-control", "public, max-age=3600"),
		header("vary", "Accept-Encoding"), header("x-request-id", fmt.Sprintf("%016x", rnd.Int63())), header("alt-svc", `h3=":443"; ma=86400`))
	enc := ""
	if b64 {
		enc = `,"encoding":"base64"`
	}
	fmt.Fprintf(w, `{"_initiator":{"type":"script"},"_priority":"High","_resourceType":"fetch","cache":{},"connection":"443","pageref":"page_1",`+
		`"request":{"method":"GET","url":%s,"httpVersion":"http/2.0","headers":[%s],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},`+
		`"response":{"status":%d,"statusText":"","httpVersion":"http/2.0","headers":[%s],"cookies":[],"content":{"size":%d,"mimeType":%s,"text":%s%s},"redirectURL":"","headersSize":-1,"bodySize":%d,"_transferSize":%d,"_error":null},`+
		`"serverIPAddress":"192.0.2.10","startedDateTime":%s,"time":%.3f,"timings":{"blocked":0.5,"dns":-1,"ssl":-1,"connect":-1,"send":0.2,"wait":40.1,"receive":1.3,"_blocked_queueing":0.4}}`,
		q("https://"+host+p+"?v="+strconv.Itoa(i)), strings.Join(reqH, ","), status, strings.Join(resH, ","), len(body), q(mime), q(body), enc, len(body), len(body)+300,
		q(t.Format("2006-01-02T15:04:05.000Z")), 42.1+rnd.Float64()*100)
}
