package weburl

import (
	"net/url"
	"strings"
	"testing"

	"why401/internal/ascii"
)

// odd are URLs as captures hold them, the odd ones first: what the four
// parsers this package replaced disagreed on.
var odd = []string{
	"https://user@Example.com:8443/x",
	"https://user:p@ss@Example.com/x?y#z",
	"HTTPS://API.Example.COM/Path/To?Q=1",
	"https://[2001:DB8::1]:443/x",
	"https://[::1]/",
	"http://example.com",
	"http://example.com?a=/b",
	"http://example.com#frag/x",
	"http://example.com:/x",
	"http://@example.com/",
	"http:///x",
	"//cdn.example.com/lib.js",
	"///x",
	"/redirect?to=https://evil.example/x",
	"/a/b;jsessionid=1?x#y",
	"?q=1",
	"#frag",
	"",
	"*",
	"api.example.com:443",
	"mailto:someone@example.com",
	"ws://chat.example.com/socket",
	"git+ssh://git@example.com:22/repo",
	"1http://example.com/",
	"https://例え.jp/パス",
	"https://example.com/%7Euser/a%20b",
	"https://a.example.com:8080",
	"https://user@/x",
	"http://example.com/x?y=1&z=https://other.example/",
	"https://example.com/#/route?token=x",
	"https://example.com/x?a=1?b=2#f?g",
}

// TestAgainstNetURL: wherever net/url parses a URL, Host, Origin, Scheme,
// Path, Query and Userinfo say what net/url says (lower-cased; Path as
// EscapedPath, "/" for none).
func TestAgainstNetURL(t *testing.T) {
	for _, u := range odd {
		checkNetURL(t, u)
	}
}

func checkNetURL(t *testing.T, raw string) {
	t.Helper()
	u, err := url.Parse(raw)
	if _, authority, _, _ := Split(raw); err != nil || strings.Contains(authority, "%") {
		return // net/url refuses it, or unescapes a host this package keeps as written
	}
	if u.Opaque != "" || u.Scheme != "" && u.Host == "" && !strings.HasPrefix(raw[len(u.Scheme)+1:], "//") {
		return // "mailto:x", "api.example.com:443", "a:": a scheme and no authority for net/url (Host takes the last for a CONNECT's target)
	}
	if got, want := Host(raw), ascii.Lower(u.Hostname()); got != want {
		t.Errorf("Host(%q) = %q, want %q (net/url)", raw, got, want)
	}
	wantOrigin := ""
	if u.Scheme != "" && (u.Host != "" || strings.Contains(raw, "://")) {
		wantOrigin = ascii.Lower(u.Scheme + "://" + u.Host)
	}
	if got := Origin(raw); got != wantOrigin {
		t.Errorf("Origin(%q) = %q, want %q (net/url)", raw, got, wantOrigin)
	}
	if got, _, _, _ := Split(raw); strings.ToLower(got) != u.Scheme {
		t.Errorf("Split(%q) scheme = %q, want %q (net/url)", raw, got, u.Scheme)
	}
	wantPath := u.Path
	if wantPath == "" {
		wantPath = "/"
	}
	if got := Path(raw); unescape(got) != wantPath {
		t.Errorf("Path(%q) = %q, want %q unescaped (net/url)", raw, got, wantPath)
	}
	if got := Query(raw); got != u.RawQuery {
		t.Errorf("Query(%q) = %q, want %q (net/url)", raw, got, u.RawQuery)
	}
	start, end, ok := Userinfo(raw)
	want := ""
	if u.User != nil {
		want = u.User.Username()
		if p, set := u.User.Password(); set {
			want += ":" + p
		}
	}
	switch {
	case ok != (u.User != nil):
		t.Errorf("Userinfo(%q) ok = %v, want %v (net/url)", raw, ok, u.User != nil)
	case ok && unescape(raw[start:end]) != want:
		t.Errorf("Userinfo(%q) = %q, want %q unescaped (net/url)", raw, raw[start:end], want)
	}
}

func unescape(s string) string {
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// TestParts: the answers for the odd URLs and the forms net/url does not
// read as URLs (a CONNECT's authority, a bare origin-form target).
func TestParts(t *testing.T) {
	for _, c := range []struct {
		in, host, origin, path, userinfo string
	}{
		{"https://user@Example.com:8443/x", "example.com", "https://example.com:8443", "/x", "user"},
		{"https://user:p@ss@Example.com/x?y#z", "example.com", "https://example.com", "/x", "user:p@ss"},
		{"https://[2001:DB8::1]:443/x", "2001:db8::1", "https://[2001:db8::1]:443", "/x", ""},
		{"http://example.com", "example.com", "http://example.com", "/", ""},
		{"http://example.com?a=/b", "example.com", "http://example.com", "/", ""},
		{"http://example.com#frag/x", "example.com", "http://example.com", "/", ""},
		{"//cdn.example.com/lib.js", "cdn.example.com", "", "/lib.js", ""},
		{"/redirect?to=https://evil.example/x", "", "", "/redirect", ""},
		{"/a/b;jsessionid=1?x#y", "", "", "/a/b;jsessionid=1", ""},
		{"api.example.com:443", "api.example.com", "", "443", ""},
		{"API.example.com:443", "api.example.com", "", "443", ""},
		{"", "", "", "/", ""},
		{"*", "", "", "*", ""},
		{"https://user@/x", "", "https://", "/x", "user"},
	} {
		if got := Host(c.in); got != c.host {
			t.Errorf("Host(%q) = %q, want %q", c.in, got, c.host)
		}
		if got := Origin(c.in); got != c.origin {
			t.Errorf("Origin(%q) = %q, want %q", c.in, got, c.origin)
		}
		if got := Path(c.in); got != c.path {
			t.Errorf("Path(%q) = %q, want %q", c.in, got, c.path)
		}
		ui := ""
		if s, e, ok := Userinfo(c.in); ok {
			ui = c.in[s:e]
		}
		if ui != c.userinfo {
			t.Errorf("Userinfo(%q) = %q, want %q", c.in, ui, c.userinfo)
		}
	}
	for in, want := range map[string]string{"Example.COM": "example.com", "user@h:80": "h", "[::1]:8080": "::1", "h": "h", "": ""} {
		if got := HostOf(in); got != want {
			t.Errorf("HostOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzWebURL: no input panics; Userinfo's offsets lie inside the input;
// wherever net/url parses it, the answers are net/url's.
func FuzzWebURL(f *testing.F) {
	for _, u := range odd {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		Host(raw)
		Origin(raw)
		Path(raw)
		if s, e, ok := Userinfo(raw); ok && (s < 0 || e < s || e > len(raw) || raw[e] != '@') {
			t.Fatalf("Userinfo(%q) = %d, %d", raw, s, e)
		}
		checkNetURL(t, raw)
	})
}

func BenchmarkHost(b *testing.B) {
	for b.Loop() {
		for _, u := range odd {
			Host(u)
		}
	}
}

var queryUnescapeCases = []string{"", "a", "a+b", "%41", "%4a%4A", "%", "%4", "%4g", "%%41", "a%2", "%2B+%20", "%zz+", "100%", "%c3%a9", "+%2", "%ff", "\u212A%41"}

// TestQueryUnescape: QueryUnescape answers as net/url.QueryUnescape where
// that succeeds, and fails where it fails, keeping the bad "%" as written.
func TestQueryUnescape(t *testing.T) {
	for _, s := range queryUnescapeCases {
		want, err := url.QueryUnescape(s)
		got, ok := QueryUnescape(s)
		if ok != (err == nil) || ok && got != want {
			t.Errorf("QueryUnescape(%q) = %q, %v; net/url: %q, %v", s, got, ok, want, err)
		}
	}
	for s, want := range map[string]string{"%": "%", "100%": "100%", "%zz+%41": "%zz A", "a%2": "a%2", "%%41": "%A"} {
		if got, ok := QueryUnescape(s); got != want || ok {
			t.Errorf("QueryUnescape(%q) = %q, %v, want %q, false", s, got, ok, want)
		}
	}
}

func FuzzQueryUnescape(f *testing.F) {
	for _, s := range queryUnescapeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := url.QueryUnescape(s)
		got, ok := QueryUnescape(s)
		if ok != (err == nil) || ok && got != want || len(got) > len(s) {
			t.Fatalf("QueryUnescape(%q) = %q, %v; net/url: %q, %v", s, got, ok, want, err)
		}
	})
}

// queryCases are queries and form bodies as captures hold them, the odd
// ones first.
var queryCases = []string{
	"", "&", "&&", "a", "a=", "=", "=b", "a=1&a=2&a=", "a=1&&b=2&", "&a=1",
	"a=1;b=2", "a;b", ";", "a=1&b=2;c=3&d=4", "a=b=c", "a==",
	"a+b=c+d", "a%20b=c%2Bd", "%41=%42", "a=%", "a=%zz&b=2", "%=1&b=2", "a=%2", "a=1%",
	"k\u212Aey=1", "a=%E2%80%8B", "a=\x00&b=\xff", "key=a%26b&x=1", "#=1", "?a=1",
}

// TestParseQueryAgainstNetURL: ParseQuery reads what net/url's ParseQuery
// reads, and fails where it fails.
func TestParseQueryAgainstNetURL(t *testing.T) {
	for _, s := range queryCases {
		checkParseQuery(t, s)
	}
}

func checkParseQuery(t testing.TB, s string) {
	want, werr := url.ParseQuery(s)
	got, err := ParseQuery(s)
	if (err == nil) != (werr == nil) {
		t.Fatalf("ParseQuery(%q) error %v; net/url: %v", s, err, werr)
	}
	if len(got) != len(want) {
		t.Fatalf("ParseQuery(%q) = %q; net/url: %q", s, got, want)
	}
	for k, v := range want {
		if strings.Join(got[k], "\x00") != strings.Join(v, "\x00") || len(got[k]) != len(v) {
			t.Fatalf("ParseQuery(%q)[%q] = %q; net/url: %q", s, k, got[k], v)
		}
	}
}

// TestPairs: the pieces as written, empty ones skipped, "=" optional.
func TestPairs(t *testing.T) {
	var got []string
	for p := range Pairs("a=1&&b&=c&d=e=f&g+h=%41&") {
		got = append(got, p.RawKey+"|"+p.RawValue+"|"+strings.Repeat("=", b2i(p.HasValue))+"|"+p.Key()+"|"+p.Value())
	}
	want := []string{"a|1|=|a|1", "b|||b|", "|c|=||c", "d|e=f|=|d|e=f", "g+h|%41|=|g h|A"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Pairs = %q, want %q", got, want)
	}
	for p := range Pairs("a=1&b=2") { // a break stops it
		if p.RawKey != "a" {
			t.Errorf("Pairs went on after a break: %q", p.Raw)
		}
		break
	}
	n := testing.AllocsPerRun(100, func() {
		for p := range Pairs("a=1&b=2&c=3") {
			if p.RawKey == "x" {
				t.Fail()
			}
		}
	})
	if n != 0 {
		t.Errorf("Pairs allocates %v times a run, want 0", n)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range queryCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.Count(s, "&") > 1000 {
			return // net/url limits the number of parameters (urlmaxqueryparams)
		}
		checkParseQuery(t, s)
	})
}
