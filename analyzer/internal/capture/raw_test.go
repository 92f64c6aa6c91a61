package capture

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawTests is a table of pasted text and what the reader must make of it.
var rawTests = []struct {
	name   string
	in     string
	format string
	status []int  // statuses of the exchanges, in order
	method string // method of the last exchange's request ("" = no request)
	url    string
	header string // a response header of the last exchange that must be read…
	value  string // …with this value
	body   string // a prefix of the last response body
}{
	{
		name:   "HTTP/1.1 with reason, CRLF",
		in:     "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 2\r\n\r\nno",
		format: "raw", status: []int{401}, header: "www-authenticate", value: `Basic realm="x"`, body: "no",
	},
	{
		name:   "HTTP/2 without reason phrase, LF only",
		in:     "HTTP/2 403\nserver: cloudflare\n\n<html>",
		format: "raw", status: []int{403}, header: "Server", value: "cloudflare", body: "<html>",
	},
	{
		name:   "HTTP/3 with trailing space",
		in:     "HTTP/3 403 \ncf-mitigated: challenge\n",
		format: "raw", status: []int{403}, header: "cf-mitigated", value: "challenge",
	},
	{
		name:   "HTTP/1.0",
		in:     "HTTP/1.0 200 OK\nX: y\n\nbody",
		format: "raw", status: []int{200}, header: "x", value: "y", body: "body",
	},
	{
		name:   "request then response",
		in:     "GET /a?b=1 HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer abc\r\n\r\nHTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n\r\n",
		format: "raw", status: []int{401}, method: "GET", url: "https://api.example.com/a?b=1", header: "WWW-Authenticate", value: "Bearer",
	},
	{
		name:   "POST body stays with the request",
		in:     "POST /token HTTP/1.1\nHost: id.example.com\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=refresh_token\n\nHTTP/1.1 400 Bad Request\nContent-Type: application/json\n\n{\"error\":\"invalid_grant\"}",
		format: "raw", status: []int{400}, method: "POST", url: "https://id.example.com/token", body: `{"error":"invalid_grant"}`,
	},
	{
		name:   "DevTools pseudo-header block",
		in:     ":status: 401\ncontent-type: application/json\nwww-authenticate: Bearer error=\"invalid_token\"\n\n{}",
		format: "raw", status: []int{401}, header: "www-authenticate", value: `Bearer error="invalid_token"`, body: "{}",
	},
	{
		name:   "DevTools request pseudo-headers then response",
		in:     ":method: GET\n:authority: api.example.com\n:scheme: https\n:path: /v1/me\naccept: */*\n\n:status: 401\nwww-authenticate: Bearer\n",
		format: "raw", status: []int{401}, method: "GET", url: "https://api.example.com/v1/me", header: "www-authenticate", value: "Bearer",
	},
	{
		name:   "headers without a status line",
		in:     "www-authenticate: Negotiate\ncontent-length: 0\n",
		format: "raw", status: []int{0}, header: "WWW-Authenticate", value: "Negotiate",
	},
	{
		name:   "curl -i with a redirect chain",
		in:     "HTTP/1.1 301 Moved Permanently\nLocation: https://b.example/\n\nHTTP/2 401\nwww-authenticate: Basic realm=\"b\"\n\n",
		format: "curl", status: []int{301, 401}, header: "www-authenticate", value: `Basic realm="b"`,
	},
	{
		name:   "curl -i through a proxy with 100 Continue",
		in:     "HTTP/1.1 200 Connection established\n\nHTTP/1.1 100 Continue\n\nHTTP/1.1 403 Forbidden\nServer: AkamaiGHost\n\n<HTML>",
		format: "curl", status: []int{200, 100, 403}, header: "server", value: "AkamaiGHost", body: "<HTML>",
	},
	{
		name: "curl -v transcript",
		in: "*   Trying 192.0.2.1:443...\n* Connected to api.example.com (192.0.2.1) port 443\n* ALPN: server accepted h2\n" +
			"> GET /v1/me HTTP/2\n> Host: api.example.com\n> User-Agent: curl/8.5.0\n> Authorization: Bearer sk-test-abcdefghijklmnopqrstuvwxyz\n>\n" +
			"* [HTTP/2] [1] [:method: GET]\n< HTTP/2 401\n< content-type: application/json\n< www-authenticate: Bearer realm=\"api\"\n<\n{ [53 bytes data]\n{\"error\":\"unauthorized\"}\n* Connection #0 to host api.example.com left intact\n",
		format: "curl", status: []int{401}, method: "GET", url: "https://api.example.com/v1/me", header: "www-authenticate", value: `Bearer realm="api"`, body: `{"error":"unauthorized"}`,
	},
	{
		name:   "obs-fold continuation line",
		in:     "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic\n realm=\"folded\"\n\n",
		format: "raw", status: []int{401}, header: "WWW-Authenticate", value: `Basic realm="folded"`,
	},
	{
		name:   "ANSI colours from a terminal",
		in:     "\x1b[1mHTTP/2 401\x1b[0m\n\x1b[1mwww-authenticate\x1b[0m: Bearer\n",
		format: "raw", status: []int{401}, header: "www-authenticate", value: "Bearer",
	},
}

func TestParseText(t *testing.T) {
	for _, tt := range rawTests {
		t.Run(tt.name, func(t *testing.T) {
			w := &Warnings{}
			exs, format, err := ParseText([]byte(tt.in), DefaultLimits(), w)
			require.NoError(t, err)
			assert.Equal(t, tt.format, format, "format")
			var got []int
			for _, e := range exs {
				got = append(got, e.Response.Status)
			}
			require.Equal(t, tt.status, got, "statuses")
			last := exs[len(exs)-1]
			if tt.method == "" {
				if last.Request != nil {
					assert.Empty(t, last.Request.Method, "unexpected request")
				}
			} else {
				require.NotNil(t, last.Request)
				assert.Equal(t, tt.method, last.Request.Method)
				assert.Equal(t, tt.url, last.Request.URL)
			}
			if tt.header != "" {
				assert.Equal(t, tt.value, last.Response.Get(tt.header), "header %s", tt.header)
			}
			if tt.body != "" {
				assert.True(t, strings.HasPrefix(string(last.Response.Body), tt.body), "body %q, want prefix %q", last.Response.Body, tt.body)
			}
			for i, e := range exs {
				assert.Equal(t, i, e.Index)
			}
		})
	}
}

func TestParseTextErrors(t *testing.T) {
	for _, in := range []string{"hello world", "GET / HTTP/1.1\nHost: x\n\n", "HTTP/1.1 99999 Nope\n", "{"} {
		_, _, err := ParseText([]byte(in), DefaultLimits(), &Warnings{})
		assert.Error(t, err, "%q", in)
	}
	_, _, err := ParseText([]byte("GET / HTTP/1.1\nHost: x\n\n"), DefaultLimits(), &Warnings{})
	assert.ErrorIs(t, err, ErrRequestOnly)
}

func TestParseTextLimits(t *testing.T) {
	lim := DefaultLimits()
	lim.HeaderFields = 3
	lim.HeaderBytes = 10
	lim.BodyBytes = 8
	w := &Warnings{}
	exs, _, err := ParseText([]byte("HTTP/1.1 401 X\na: 1\nb: 2\nc: 3\nd: 4\nlong: 0123456789abcdef\n\n0123456789abcdef"), lim, w)
	require.NoError(t, err)
	r := exs[0].Response
	assert.Len(t, r.Fields, 3)
	assert.Equal(t, "01234567", string(r.Body))
	assert.True(t, r.BodyTruncated)
	joined := strings.Join(w.List(), "\n")
	assert.Contains(t, joined, "HeaderFields")
	assert.Contains(t, joined, "BodyBytes")
}

// FuzzParseText targets the raw / curl reader.
func FuzzParseText(f *testing.F) {
	paths, _ := filepath.Glob("../../testdata/cases/*/*")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil && !strings.HasSuffix(p, ".har") && !strings.HasSuffix(p, ".json") {
			f.Add(data)
		}
	}
	for _, tt := range rawTests {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{BodyBytes: 4096, EntryBytes: 1 << 20, InputBytes: 4 << 20, Depth: 64}.WithDefaults()
		exs, _, err := ParseText(data, lim, &Warnings{})
		if err != nil {
			return
		}
		for _, e := range exs {
			if len(e.Response.Body) > lim.BodyBytes {
				t.Fatalf("body %d bytes over the %d limit", len(e.Response.Body), lim.BodyBytes)
			}
			if len(e.Response.Fields) > lim.HeaderFields {
				t.Fatalf("%d fields over the limit", len(e.Response.Fields))
			}
		}
	})
}

func TestCurlVerbosePlainHTTP(t *testing.T) {
	v := "* Connected to intranet.example (192.0.2.10) port 80\n> GET /q HTTP/1.1\n> Host: intranet.example\n>\n< HTTP/1.1 401 Unauthorized\n< WWW-Authenticate: Basic realm=\"r\"\n<\n"
	exs, _, err := ParseText([]byte(v), Limits{}.WithDefaults(), &Warnings{})
	require.NoError(t, err)
	require.Len(t, exs, 1)
	assert.Equal(t, "http://intranet.example/q", exs[0].Request.URL)
	tls := strings.Replace(v, "port 80\n", "port 443\n* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256\n", 1)
	exs, _, err = ParseText([]byte(tls), Limits{}.WithDefaults(), &Warnings{})
	require.NoError(t, err)
	assert.Equal(t, "https://intranet.example/q", exs[0].Request.URL)
}

// TestCurlProxy: the proxy a curl command line names, host and port only;
// a user:password in the proxy URL is never kept.
func TestCurlProxy(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"$ curl -v -x http://gate.decodo.com:7000 https://ip.decodo.com/json", "gate.decodo.com:7000"},
		{"curl --proxy=http://user:s3cret@Proxy.Corp.example:3128/ https://x.example/", "proxy.corp.example:3128"},
		{"$ curl -s -xpr.oxylabs.io:7777 https://ip.oxylabs.io", "pr.oxylabs.io:7777"},
		{"$ curl --proxy 'socks5h://10.0.0.5' https://x.example/", "10.0.0.5:1080"},
		{"$ curl -v https://x.example/", ""},
		{"$ wget -x http://a.example:1/", ""},
		{"$ curl -x $PROXY https://x.example/", ""},
	} {
		if got := CurlProxy(c.in); got != c.want {
			t.Errorf("CurlProxy(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
