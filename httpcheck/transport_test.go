package httpcheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fixtureMux serves the testdata fixtures by path: /challenge serves
// testdata/challenge.http, and so on.
func fixtureMux(t testing.TB) http.Handler {
	names := []string{"challenge", "bearer-expired", "rate-limit", "missing-token", "forbidden", "ok"}
	fx := map[string]fixture{}
	for _, n := range names {
		fx["/"+n] = loadFixture(t, "testdata/"+n+".http")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := fx[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		f.serve(w)
	})
}

func TestTransport(t *testing.T) {
	_, base := newServer(t, fixtureMux(t))
	var mu sync.Mutex
	var seen []string
	client := &http.Client{Transport: &Transport{Base: base, OnResult: func(resp *http.Response, r *Result) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, resp.Request.URL.Path+" "+string(r.Action))
	}}}
	cases := []struct {
		path   string
		action Action // "" = not analysed
	}{
		{"/ok", ""},
		{"/challenge", RotateSession},
		{"/bearer-expired", RefreshCredentials},
		{"/rate-limit", SlowDown},
		{"/forbidden", Stop},
	}
	for _, c := range cases {
		resp, err := client.Get("http://api.example.com" + c.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := loadFixture(t, "testdata"+c.path+".http").body; !bytes.Equal(body, want) {
			t.Errorf("%s: the caller read %q, want %q", c.path, body, want)
		}
		res, ok := FromContext(resp.Request.Context())
		switch {
		case c.action == "" && ok:
			t.Errorf("%s: analysed a success: %v", c.path, res)
		case c.action != "" && !ok:
			t.Errorf("%s: no Result on the request context", c.path)
		case ok && res.Action != c.action:
			t.Errorf("%s: action %s, want %s (%s)", c.path, res.Action, c.action, res.Exchange.Summary)
		}
	}
	if want := "/challenge rotate_session,/bearer-expired refresh_credentials,/rate-limit slow_down,/forbidden stop"; strings.Join(seen, ",") != want {
		t.Errorf("OnResult saw %v, want %s", seen, want)
	}
}

// A redirect to another host drops Authorization (http.Client does so); the
// 401 there is explained by the hop before it, read from resp.Request.Response.
func TestRedirectDroppedAuth(t *testing.T) {
	missing := loadFixture(t, "testdata/missing-token.http")
	var sawAuth []string
	_, base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuth = append(sawAuth, r.Host+":"+fmt.Sprint(r.Header.Get("Authorization") != ""))
		switch r.Host {
		case "api.example.com":
			http.Redirect(w, r, "http://files.example-cdn.net/v1/files/77/download?exp=1793707200", http.StatusFound)
		default:
			missing.serve(w)
		}
	}))
	for _, viaTransport := range []bool{false, true} {
		sawAuth = nil
		var rt http.RoundTripper = base
		if viaTransport {
			rt = &Transport{Base: base}
		}
		req, _ := http.NewRequest("GET", "http://api.example.com/v1/files/77/download", nil)
		req.Header.Set("Authorization", "Bearer opaque_at_7Hk2mQ9xLp4vR8sT1wZ3")
		resp, err := (&http.Client{Transport: rt}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := strings.Join(sawAuth, " "); got != "api.example.com:true files.example-cdn.net:false" {
			t.Fatalf("the server saw %s", got)
		}
		var res *Result
		if viaTransport {
			res, _ = FromContext(resp.Request.Context())
		} else {
			res, err = AnalyzeResponse(resp)
		}
		if err != nil || res == nil {
			t.Fatalf("no result: %v", err)
		}
		if res.Cause != CauseRedirectDroppedAuth || res.Action != Stop {
			t.Errorf("via transport %v: %s/%s, want redirect_dropped_auth/stop: %s", viaTransport, res.Cause, res.Action, res.Exchange.Summary)
		}
		if n := len(res.Report.Exchanges); n != 2 || res.Report.Exchanges[0].Status != http.StatusFound {
			t.Errorf("the report has %d exchanges, want the 302 then the 401", n)
		}
	}
}

// A proxy's own 407 for an http:// target reaches the transport as a response.
func TestTransportProxy(t *testing.T) {
	f := loadFixture(t, "testdata/proxy-407.http")
	proxy, _ := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { f.serve(w) }))
	pu, _ := url.Parse(proxy.URL)
	base := &http.Transport{Proxy: http.ProxyURL(pu)}
	defer base.CloseIdleConnections()
	resp, err := (&http.Client{Transport: &Transport{Base: base}}).Get("http://shop.example/products")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	res, ok := FromContext(resp.Request.Context())
	if !ok || res.Action != FixProxy || res.Verdict != VerdictProxyAuth {
		t.Fatalf("got %v, want fix_proxy", res)
	}
	if !strings.HasPrefix(res.Exchange.URL, "http://shop.example/") {
		t.Errorf("URL %q: want the target, not the proxy", res.Exchange.URL)
	}
}

// The canary: a token planted in Authorization, Cookie, the URL and echoed by
// the server in a header and the body never appears in the report.
func TestNoSecretInReport(t *testing.T) {
	const token = "at_CANARY_4q7Zp9Wd2Lr8Xk3Nv6Bs"
	const cookie = "sess_CANARY_Yt5Hm1Qa8Jc4Ue7Rg2"
	const key = "key_CANARY_Fx3Dz6Kw9Pn2Sv5Tb8"
	_, base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="token `+token+` expired"`)
		w.Header().Set("Set-Cookie", "sid="+cookie+"; Path=/; HttpOnly")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"invalid_token","token":%q,"cookie":%q,"key":%q}`, token, cookie, key)
	}))
	var fromCallback *Result
	client := &http.Client{Transport: &Transport{Base: base, OnResult: func(_ *http.Response, r *Result) { fromCallback = r }}}
	req, _ := http.NewRequest("GET", "http://api.example.com/v1/me?api_key="+key, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Cookie", "sid="+cookie+"; theme=dark")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(body, []byte(token)) {
		t.Fatal("the caller's body lost the server's bytes")
	}
	res, _ := FromContext(resp.Request.Context())
	if res == nil || res != fromCallback {
		t.Fatal("the callback and the context disagree")
	}
	j, err := json.Marshal(res.Report)
	if err != nil {
		t.Fatal(err)
	}
	out := string(j) + res.String() + fmt.Sprintf("%+v", *res)
	for _, s := range []string{token, cookie, key, token[len(token)-12:], cookie[len(cookie)-12:]} {
		if strings.Contains(out, s) {
			t.Errorf("the report shows %q", s)
		}
	}
	if res.Action != RefreshCredentials {
		t.Errorf("action %s, want refresh_credentials", res.Action)
	}
	if req.Header.Get("Authorization") != "Bearer "+token {
		t.Error("the request's header was changed")
	}
}

type errBody struct{ io.Reader }

func (errBody) Close() error { return nil }

// A body longer than the limit, and a body that fails mid-way, read the same
// for the caller; a body is never read past the limit before the caller asks.
func TestBodyReplay(t *testing.T) {
	page := loadFixture(t, "testdata/challenge.http").body
	long := append(bytes.Repeat([]byte("<!-- padding -->\n"), 40000), page...) // ~680 KB, markers past the limit
	failing := errors.New("connection reset")
	cases := []struct {
		name    string
		body    io.Reader
		limit   int
		want    []byte
		wantErr error
		verdict Verdict
	}{
		{"short", bytes.NewReader(page), 0, page, nil, VerdictBot},
		{"long", bytes.NewReader(long), 0, long, nil, VerdictBot},
		{"limit-1k", bytes.NewReader(page), 1024, page, nil, VerdictBot},
		{"fails", io.MultiReader(bytes.NewReader(page[:300]), errReader{failing}), 0, page[:300], failing, VerdictBot},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			counted := &countReader{r: c.body}
			resp := &http.Response{StatusCode: 403, Status: "403 Forbidden", Proto: "HTTP/1.1",
				Header: http.Header{"Cf-Mitigated": {"challenge"}, "Server": {"cloudflare"}, "Content-Type": {"text/html"}},
				Body:   errBody{counted}, Request: &http.Request{Method: "GET", URL: &url.URL{Scheme: "https", Host: "shop.example", Path: "/"}, Header: http.Header{}}}
			res, err := analyzeResponse(resp, settings{limit: c.limit}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			limit := c.limit
			if limit == 0 {
				limit = DefaultBodyLimit
			}
			if counted.n > int64(limit) {
				t.Errorf("read %d bytes before the caller, limit %d", counted.n, limit)
			}
			got, err := io.ReadAll(resp.Body)
			if !bytes.Equal(got, c.want) || !errors.Is(err, c.wantErr) {
				t.Errorf("caller read %d bytes, err %v; want %d, %v", len(got), err, len(c.want), c.wantErr)
			}
			if res.Verdict != c.verdict {
				t.Errorf("verdict %s, want %s", res.Verdict, c.verdict)
			}
		})
	}
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestRetryAfter: Result.RetryAfter of a 429 is the report's wait (read by
// the analyzer from Retry-After or a reset header, on the server's clock),
// measured from now only when the response has no Date, and at most MaxWait.
func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	date := now.Add(-30 * time.Second).Format(http.TimeFormat) // the server's clock is 30 s behind
	cases := []struct {
		h       http.Header
		maxWait time.Duration
		want    time.Duration
	}{
		{http.Header{"Retry-After": {"120"}}, 0, 2 * time.Minute},
		{http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 0, 90 * time.Second},
		{http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}, "Date": {date}}, 0, 2 * time.Minute},
		{http.Header{"Retry-After": {"soon"}}, 0, 0},
		{http.Header{"X-Ratelimit-Reset": {fmt.Sprint(now.Add(time.Hour).Unix())}}, 0, time.Hour},
		{http.Header{"X-Ratelimit-Reset": {fmt.Sprint(now.Add(time.Hour).UnixMilli())}}, 0, time.Hour},
		{http.Header{"X-Ratelimit-Reset": {fmt.Sprint(now.Add(-time.Hour).Unix())}, "Date": {date}}, 0, 0},
		{http.Header{"Ratelimit-Reset": {"42"}}, 0, 42 * time.Second},
		{http.Header{"Ratelimit": {"limit=100, remaining=0, reset=7"}}, 0, 7 * time.Second},
		{http.Header{"X-Ratelimit-Reset-Requests": {"6m0s"}}, 0, 6 * time.Minute},
		{http.Header{"Retry-After": {"5"}, "X-Ratelimit-Reset": {"600"}}, 0, 5 * time.Second},
		{http.Header{"Retry-After": {"7200"}}, 0, DefaultMaxWait},
		{http.Header{"Retry-After": {"7200"}}, 10 * time.Second, 10 * time.Second},
		{http.Header{"Retry-After": {"4294967295"}}, 0, 0}, // not a wait the analyzer quotes
		{http.Header{"Retry-After": {"999999999"}}, 0, DefaultMaxWait},
		{http.Header{}, 0, 0},
	}
	for _, c := range cases {
		resp := &http.Response{StatusCode: 429, Status: "429 Too Many Requests", Proto: "HTTP/1.1", Header: c.h, Body: http.NoBody,
			Request: &http.Request{Method: "GET", URL: &url.URL{Scheme: "https", Host: "api.example.com", Path: "/"}, Header: http.Header{}}}
		res, err := analyzeResponse(resp, settings{maxWait: c.maxWait}, now)
		if err != nil {
			t.Fatal(err)
		}
		if res.Action != SlowDown {
			t.Fatalf("%v: action %s", c.h, res.Action)
		}
		if res.RetryAfter != c.want {
			t.Errorf("%v (MaxWait %v): %v, want %v", c.h, c.maxWait, res.RetryAfter, c.want)
		}
	}
}
