//go:build !js

package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// shopSite is the local site the extension's tests browse: a shop on
// shop.localhost with a Bearer API, a Cloudflare-style challenge past the
// fourth product page (and an XHR from the challenge page), a search API
// that rate-limits, and a sign-in on login.shop.localhost that sets a
// host-only session cookie and redirects to account.shop.localhost, which
// then gets no cookie. Chromium resolves *.localhost to the loopback
// address itself, so the three names reach this one server.
type shopSite struct {
	*httptest.Server
	port string
	mu   sync.Mutex
	seen []string // "host path?query" of every request
}

// expiredJWT is a made-up token whose exp is in November 2023.
const expiredJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLW5vdC1yZWFsLWV4dC10ZXN0"

// shopBearer is the opaque token /api/orders refuses; the tests look for it
// in what the panel shows and saves (it must be a fingerprint there).
const shopBearer = "shopTok_9fK2mQ7xL4vR8pZ1wN6c"

func newShopSite() *shopSite {
	s := &shopSite{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	_, s.port, _ = net.SplitHostPort(s.Listener.Addr().String())
	return s
}

// url gives the address of path on host ("shop", "login.shop", "account.shop").
func (s *shopSite) url(host, path string) string {
	return "http://" + host + ".localhost:" + s.port + path
}

func (s *shopSite) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

func (s *shopSite) forget() {
	s.mu.Lock()
	s.seen = nil
	s.mu.Unlock()
}

const challengeBody = `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body>` +
	`<h1>shop.localhost</h1><p>Verifying you are human. This may take a few seconds.</p>` +
	`<script>window._cf_chl_opt={cType:'managed',cRay:'8c0f4f00aa11bb22'};fetch('/api/cart').then(function(r){return r.text()}).catch(function(){});</script>` +
	`<noscript>Enable JavaScript and cookies to continue</noscript></body></html>`

func (s *shopSite) serve(w http.ResponseWriter, r *http.Request) {
	host, _, _ := strings.Cut(r.Host, ".localhost")
	s.mu.Lock()
	s.seen = append(s.seen, host+" "+r.URL.RequestURI())
	s.mu.Unlock()
	h := w.Header()
	html := func(status int, body string) {
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
	js := func(status int, body string) {
		h.Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
	challenge := func() {
		h.Set("Server", "cloudflare")
		h.Set("CF-RAY", "8c0f4f00aa11bb22-AMS")
		h.Set("cf-mitigated", "challenge")
		h.Set("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate")
		html(http.StatusForbidden, challengeBody)
	}
	switch host + " " + r.URL.Path {
	case "shop /":
		html(200, `<!doctype html><title>Shop</title><h1>Shop</h1><script>
fetch("/api/me", {headers: {Authorization: "Bearer `+expiredJWT+`"}}).then((r) => r.text()).catch(() => {});
fetch("/api/orders", {headers: {Authorization: "Bearer `+shopBearer+`"}}).then((r) => r.text()).catch(() => {});
</script>`)
	case "shop /api/me":
		h.Set("WWW-Authenticate", `Bearer realm="shop", error="invalid_token", error_description="The access token expired"`)
		js(401, `{"error":"invalid_token","error_description":"The access token expired"}`)
	case "shop /api/orders":
		h.Set("WWW-Authenticate", `Bearer realm="shop", error="invalid_token"`)
		js(401, `{"error":"invalid_token"}`)
	case "shop /products":
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page >= 5 {
			challenge()
			return
		}
		html(200, fmt.Sprintf(`<!doctype html><title>Products, page %d</title><h1>Products</h1><ul><li>Shoe %d</li></ul>`, page, page))
	case "shop /api/cart":
		challenge()
	case "shop /search":
		html(200, `<!doctype html><title>Search</title><script>fetch("/api/search?q=shoes").then((r) => r.text()).catch(() => {});</script>`)
	case "shop /api/search":
		h.Set("Retry-After", "30")
		h.Set("X-RateLimit-Limit", "10")
		h.Set("X-RateLimit-Remaining", "0")
		js(http.StatusTooManyRequests, `{"error":"rate_limited","message":"Too many requests, retry in 30 seconds"}`)
	case "login.shop /login":
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "sess_Q3vT8wX1yZ5aB7cD", Path: "/", HttpOnly: true})
		http.Redirect(w, r, s.url("account.shop", "/me"), http.StatusFound)
	case "account.shop /me":
		if _, err := r.Cookie("session"); err == nil {
			js(200, `{"user":"u-42"}`)
			return
		}
		js(http.StatusUnauthorized, `{"error":"not signed in"}`)
	default:
		http.NotFound(w, r)
	}
}

// crawl is what the tests browse, in order: the home page (two Bearer
// 401s from its scripts), five product pages (the fifth a challenge, with
// an XHR from it), the search page (a 429 from its script), the sign-in
// redirect that drops the cookie.
func (s *shopSite) crawl() []string {
	u := []string{s.url("shop", "/")}
	for p := 1; p <= 5; p++ {
		u = append(u, s.url("shop", "/products?page="+strconv.Itoa(p)))
	}
	return append(u, s.url("shop", "/search"), s.url("login.shop", "/login"))
}

// shopWant is the verdict each request of the crawl gets, by host and path
// (a cause or vendor "" is not checked); a browser's own requests
// (/favicon.ico) are not listed.
var shopWant = map[string]struct{ verdict, cause, vendor string }{
	"shop /":            {"ok", "", ""},
	"shop /api/me":      {"auth", "expired_token", ""},
	"shop /api/orders":  {"auth", "", ""},
	"shop /products":    {"ok", "", ""},
	"shop /products#5":  {"bot", "challenge", "cloudflare"},
	"shop /api/cart":    {"bot", "", "cloudflare"},
	"shop /search":      {"ok", "", ""},
	"shop /api/search":  {"rate_limit", "", ""},
	"login.shop /login": {"ok", "", ""},
	"account.shop /me":  {"auth", "cookie_not_sent", ""},
}

// shopKey is the shopWant key of a URL of the site.
func shopKey(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	k := strings.TrimSuffix(u.Hostname(), ".localhost") + " " + u.Path
	if u.Path == "/products" && u.Query().Get("page") == "5" {
		k += "#5"
	}
	return k
}

// ---- recording page loads in the chrome.devtools.network entry shape ------

// recorder turns the Network events of one tab into HAR entries shaped as
// DevTools' own (front_end/models/har: the objects chrome.devtools.network
// hands an extension): raw request and response headers (Cookie and
// Set-Cookie included), one entry per redirect hop, in the order requests
// finish, with each body as getContent would give it.
type recorder struct {
	mu       sync.Mutex
	hops     map[network.RequestID]*hop   // the hop in flight, by request
	chain    map[network.RequestID][]*hop // every hop of a request (redirects), in order
	pending  map[network.RequestID]*hop   // extra info that came before its request
	finished []*hop
	inflight int
	last     time.Time // the last network event
}

type hop struct {
	id       network.RequestID
	req      *network.EventRequestWillBeSent
	reqExtra *network.EventRequestWillBeSentExtraInfo
	res      *network.Response
	resExtra *network.EventResponseReceivedExtraInfo
	typ      network.ResourceType
	redirect string // the Location this hop was redirected to
	end      cdp.MonotonicTime
	size     float64
	failed   string
	body     string
	encoding string
}

// recorded is one entry as the tests feed it to the panel: the HAR entry,
// and what its getContent answers.
type recorded struct {
	Entry    map[string]any `json:"entry"`
	Body     *string        `json:"body"`
	Encoding string         `json:"encoding"`
}

func newRecorder() *recorder {
	return &recorder{hops: map[network.RequestID]*hop{}, chain: map[network.RequestID][]*hop{}, pending: map[network.RequestID]*hop{}}
}

func (r *recorder) on(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last = time.Now()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if strings.HasPrefix(ev.Request.URL, "data:") {
			return
		}
		if cur := r.hops[ev.RequestID]; cur != nil && ev.RedirectResponse != nil {
			cur.res = ev.RedirectResponse
			cur.redirect = ev.Request.URL
			cur.end = ev.Timestamp
			r.finished = append(r.finished, cur)
			r.inflight--
		}
		h := r.pending[ev.RequestID]
		delete(r.pending, ev.RequestID)
		if h == nil {
			h = &hop{}
		}
		h.id, h.req, h.typ = ev.RequestID, ev, ev.Type
		r.hops[ev.RequestID] = h
		r.chain[ev.RequestID] = append(r.chain[ev.RequestID], h)
		r.inflight++
	// Extra info (the raw headers: Cookie, Set-Cookie) comes in its own
	// events, before or after the hop's own, a redirect's sometimes after
	// the next hop started: it goes to the first hop of the request that
	// lacks it (a response's, to the first whose status it has).
	case *network.EventRequestWillBeSentExtraInfo:
		for _, h := range r.chain[ev.RequestID] {
			if h.reqExtra == nil {
				h.reqExtra = ev
				return
			}
		}
		r.pendingHop(ev.RequestID).reqExtra = ev
	case *network.EventResponseReceivedExtraInfo:
		for _, h := range r.chain[ev.RequestID] {
			if h.resExtra == nil && (h.res == nil || h.res.Status == ev.StatusCode) {
				h.resExtra = ev
				return
			}
		}
		r.pendingHop(ev.RequestID).resExtra = ev
	case *network.EventResponseReceived:
		if cur := r.hops[ev.RequestID]; cur != nil {
			cur.res, cur.typ = ev.Response, ev.Type
		}
	case *network.EventLoadingFinished:
		if cur := r.hops[ev.RequestID]; cur != nil {
			cur.end, cur.size = ev.Timestamp, ev.EncodedDataLength
			r.finished = append(r.finished, cur)
			delete(r.hops, ev.RequestID)
			r.inflight--
		}
	case *network.EventLoadingFailed:
		if cur := r.hops[ev.RequestID]; cur != nil {
			cur.end, cur.failed = ev.Timestamp, ev.ErrorText
			r.finished = append(r.finished, cur)
			delete(r.hops, ev.RequestID)
			r.inflight--
		}
	}
}

func (r *recorder) pendingHop(id network.RequestID) *hop {
	h := r.pending[id]
	if h == nil {
		h = &hop{}
		r.pending[id] = h
	}
	return h
}

// idle waits until no request is in flight and the network has been quiet
// for quiet.
func (r *recorder) idle(ctx context.Context, quiet time.Duration) error {
	for {
		r.mu.Lock()
		n, last := r.inflight, r.last
		r.mu.Unlock()
		if n <= 0 && time.Since(last) >= quiet {
			return nil
		}
		select {
		case <-ctx.Done():
			r.mu.Lock()
			var urls []string
			for _, h := range r.hops {
				urls = append(urls, h.req.Request.URL)
			}
			r.mu.Unlock()
			return fmt.Errorf("network not idle (%d in flight: %v): %w", n, urls, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// bodies fetches the body of every finished hop that has one (not
// redirects, not failures), as getContent would: text, or base64.
func (r *recorder) bodies(ctx context.Context) {
	r.mu.Lock()
	hops := slices.Clone(r.finished)
	r.mu.Unlock()
	for _, h := range hops {
		if h.redirect != "" || h.failed != "" || h.res == nil || h.body != "" {
			continue
		}
		b, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: h.id})
		if err != nil {
			continue
		}
		// Decoded by cdproto; getContent gives text as text, the rest
		// in base64.
		h.body = string(b.Body)
		if b.Base64encoded {
			h.body, h.encoding = base64.StdEncoding.EncodeToString(b.Body), "base64"
		}
	}
}

// entries returns the finished hops as recorded entries, in finish order.
func (r *recorder) entries() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]recorded, 0, len(r.finished))
	for _, h := range r.finished {
		out = append(out, h.entry())
	}
	return out
}

// harHeaders turns CDP's header map (values of repeated fields joined by
// "\n") into HAR's list, sorted by name as a map gives no order.
func harHeaders(m network.Headers) []map[string]any {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []map[string]any
	for _, k := range names {
		for _, v := range strings.Split(fmt.Sprint(m[k]), "\n") {
			out = append(out, map[string]any{"name": k, "value": v})
		}
	}
	return out
}

func headerValues(hs []map[string]any, name string) []string {
	var out []string
	for _, h := range hs {
		if strings.EqualFold(h["name"].(string), name) {
			out = append(out, h["value"].(string))
		}
	}
	return out
}

func (h *hop) entry() recorded {
	reqH := h.req.Request.Headers
	if h.reqExtra != nil && len(h.reqExtra.Headers) > 0 {
		reqH = h.reqExtra.Headers
	}
	reqHeaders := harHeaders(reqH)
	var cookies []map[string]any
	for _, c := range headerValues(reqHeaders, "cookie") {
		for _, kv := range strings.Split(c, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(kv), "=")
			cookies = append(cookies, map[string]any{"name": name, "value": value})
		}
	}
	var query []map[string]any
	if u, err := url.Parse(h.req.Request.URL); err == nil {
		for k, vs := range u.Query() {
			for _, v := range vs {
				query = append(query, map[string]any{"name": k, "value": v})
			}
		}
	}
	started := time.UnixMilli(int64(float64(h.req.WallTime) * 1000)).UTC().Format("2006-01-02T15:04:05.000Z")
	req := map[string]any{
		"method": h.req.Request.Method, "url": h.req.Request.URL, "httpVersion": "HTTP/1.1",
		"headers": reqHeaders, "queryString": nonNil(query), "cookies": nonNil(cookies), "headersSize": -1, "bodySize": 0,
	}
	res := map[string]any{
		"status": 0, "statusText": "", "httpVersion": "", "headers": []any{}, "cookies": []any{},
		"content": map[string]any{"size": 0, "mimeType": "x-unknown"}, "redirectURL": "",
		"headersSize": -1, "bodySize": -1, "_transferSize": int(h.size), "_error": nil,
	}
	ip := ""
	if h.res != nil {
		resH := h.res.Headers
		if h.resExtra != nil && len(h.resExtra.Headers) > 0 {
			resH = h.resExtra.Headers
		}
		resHeaders := harHeaders(resH)
		var setCookies []map[string]any
		for _, c := range headerValues(resHeaders, "set-cookie") {
			name, rest, _ := strings.Cut(c, "=")
			value, _, _ := strings.Cut(rest, ";")
			setCookies = append(setCookies, map[string]any{"name": name, "value": value, "httpOnly": strings.Contains(strings.ToLower(c), "httponly")})
		}
		proto := strings.ToUpper(h.res.Protocol)
		if proto == "" {
			proto = "HTTP/1.1"
		}
		req["httpVersion"] = proto
		mime := h.res.MimeType
		if mime == "" {
			mime = "x-unknown"
		}
		res["status"], res["statusText"], res["httpVersion"] = h.res.Status, h.res.StatusText, proto
		res["headers"], res["cookies"] = resHeaders, nonNil(setCookies)
		res["content"] = map[string]any{"size": len(h.body), "mimeType": mime}
		res["redirectURL"] = h.redirect
		ip = h.res.RemoteIPAddress
	}
	if h.failed != "" {
		res["_error"] = h.failed
	}
	ms := (float64(h.end) - float64(h.req.Timestamp)) * 1000
	e := map[string]any{
		"_initiator": map[string]any{"type": string(h.req.Initiator.Type)}, "_priority": string(h.req.Request.InitialPriority),
		"_resourceType": strings.ToLower(string(h.typ)), "cache": map[string]any{}, "connection": "",
		"request": req, "response": res, "serverIPAddress": ip, "startedDateTime": started, "time": ms,
		"timings": map[string]any{"blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": ms, "receive": 0},
	}
	out := recorded{Entry: e, Encoding: h.encoding}
	if h.res != nil && h.redirect == "" && h.failed == "" {
		b := h.body
		out.Body = &b
	}
	return out
}

func nonNil(v []map[string]any) []map[string]any {
	if v == nil {
		return []map[string]any{}
	}
	return v
}

// record browses urls in the tab of ctx, each a real page load of the
// site, and returns what it loaded as recorded entries.
func record(ctx context.Context, urls []string) ([]recorded, error) {
	rec := newRecorder()
	chromedp.Listen(ctx, rec.on)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return nil, err
	}
	for _, u := range urls {
		if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
			return nil, fmt.Errorf("%s: %w", u, err)
		}
		if err := rec.idle(ctx, 400*time.Millisecond); err != nil {
			return nil, fmt.Errorf("%s: %w", u, err)
		}
	}
	rec.bodies(ctx)
	return rec.entries(), nil
}
