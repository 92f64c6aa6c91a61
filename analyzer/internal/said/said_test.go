package said

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"why401/analyzer/internal/capture"
)

// TestBlockPageWords: a block page's reason line wins over the rows above
// it, and the client IP it prints is read (only a well-formed address).
func TestBlockPageWords(t *testing.T) {
	page := func(body string) *capture.Message {
		return &capture.Message{Status: 403, Fields: []capture.Field{{Name: "Content-Type", Value: "text/html"}}, Body: []byte(body)}
	}
	for _, c := range []struct {
		name, body, msg, ip string
	}{
		{"sucuri table", `<html><body><table><tr><td>Your IP:</td><td>192.0.2.1</td></tr><tr><td>Your Browser: </td><td>curl/8.5.0</td></tr>` +
			`<tr><td>Block reason:</td><td>Access from your Country was disabled by the administrator.</td></tr></table></body></html>`,
			"Access from your Country was disabled by the administrator.", "192.0.2.1"},
		{"cloudflare footer", `<html><body><h1>A timeout occurred</h1><span>Error code 524</span><h2>What happened?</h2><p>The origin web server timed out responding to this request.</p>` +
			`<p><span>Cloudflare Ray ID: <strong>8e7c3e4f5061728a</strong></span> &bull; <span>Your IP: <button>Click to reveal</button> <span class="hidden">2001:db8::7</span></span></p></body></html>`,
			"The origin web server timed out responding to this request.", "2001:db8::7"},
		{"banned sentence", `<html><body><p>The owner of this website (a.example) has banned your IP address (198.51.100.7).</p></body></html>`,
			"The owner of this website (a.example) has banned your IP address (198.51.100.7).", "198.51.100.7"},
		{"no address", `<html><body><p>Your IP: unknown</p><p>Reason: maintenance</p></body></html>`, "Reason: maintenance", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := Read(page(c.body))
			assert.Equal(t, c.msg, w.Message)
			assert.Equal(t, c.ip, w.ClientIP)
		})
	}
}

// TestErrorDescriptionMojibake: a WWW-Authenticate error_description that
// is UTF-8 read as Latin-1 is never quoted as is: the body's message wins,
// and without one the description is repaired. A Latin-1 description that
// does not decode as UTF-8 ("café") stays as written.
func TestErrorDescriptionMojibake(t *testing.T) {
	const ja = "アクセストークンは無効です"
	moj := func(s string) string {
		r := make([]rune, 0, len(s))
		for _, b := range []byte(s) {
			r = append(r, rune(b))
		}
		return string(r)
	}
	resp := func(desc, body string) *capture.Message {
		return &capture.Message{Status: 401, Fields: []capture.Field{
			{Name: "WWW-Authenticate", Value: `Bearer error="invalid_token", error_description="` + desc + `"`},
			{Name: "Content-Type", Value: "application/json"}}, Body: []byte(body)}
	}
	for _, c := range []struct {
		name, desc, body, msg, where string
	}{
		{"body wins over mojibake", moj(ja), `{"error":"` + ja + `"}`, ja, "body error"},
		{"mojibake repaired", moj(ja), "", ja, "WWW-Authenticate error_description"},
		{"latin-1 kept", "jeton expiré", `{"error":"x"}`, "jeton expiré", "WWW-Authenticate error_description"},
		{"ascii kept", "The access token expired", `{"error":"Unauthorized"}`, "The access token expired", "WWW-Authenticate error_description"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := Read(resp(c.desc, c.body))
			assert.Equal(t, c.msg, w.Message)
			assert.Equal(t, c.where, w.Where)
		})
	}
}

// TestNestedAndLabelledMessages: WebHDFS's RemoteException.message, a JSON
// error_msg, a servlet container's Description line; a page with no such
// line keeps its headline.
func TestNestedAndLabelledMessages(t *testing.T) {
	for _, c := range []struct {
		name, ct, body, msg, code string
	}{
		{"webhdfs", "application/json", `{"RemoteException":{"exception":"AccessControlException","javaClassName":"org.apache.hadoop.security.AccessControlException","message":"Permission denied: user=a"}}`,
			"Permission denied: user=a", "AccessControlException"},
		{"json as html", "text/html; charset=UTF-8", `{"error_code":12,"error_msg":"This request contains an invalid token."}`, "This request contains an invalid token.", "12"},
		{"tomcat", "text/html", `<html><body><h1>HTTP Status 403 – Forbidden</h1><p><b>Type</b> Status Report</p><p><b>Description</b> The server understood the request but refuses to authorize it.</p></body></html>`,
			"The server understood the request but refuses to authorize it.", ""},
		{"no description", "text/html", `<html><body><h1>403 Forbidden</h1><p>Request forbidden by administrative rules.</p></body></html>`,
			"403 Forbidden: Request forbidden by administrative rules.", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := Read(&capture.Message{Status: 403, Fields: []capture.Field{{Name: "Content-Type", Value: c.ct}}, Body: []byte(c.body)})
			assert.Equal(t, c.msg, w.Message)
			assert.Equal(t, c.code, w.Code)
		})
	}
}

// TestRequestIDHeaders: request id headers of public conventions are read
// (Tenable's x-request-uuid, Alibaba Cloud OSS's x-oss-request-id).
func TestRequestIDHeaders(t *testing.T) {
	for _, h := range []string{"X-Request-Uuid", "x-oss-request-id"} {
		w := Read(&capture.Message{Status: 403, Fields: []capture.Field{{Name: h, Value: "5f2a9c1e7b3d4a6f8e0c2b4d6a8f1e3c"}}})
		if assert.NotEmpty(t, w.Refs, h) {
			assert.Equal(t, "5f2a9c1e7b3d4a6f8e0c2b4d6a8f1e3c", w.Refs[0].Value, h)
		}
	}
}

// TestLoweringKeepsIndexes: text whose lower case has another byte length
// (the Kelvin sign, invalid UTF-8, a dotted capital I) must neither panic
// nor shift a parameter (FuzzAnalyze found the slice out of range).
func TestLoweringKeepsIndexes(t *testing.T) {
	for _, tc := range []struct{ v, name, want string }{
		{"Bearer \u212A\u212A\u212A\u212Aerror=\"x\", realm=\"api\"", "realm", "api"},
		{"Bearer \xff\xff\xff error=invalid_token", "error", "invalid_token"},
		{"Bearer \u0130\u0130\u0130\u0130 scope=\"read\"", "scope", "read"},
		{"\u212A\u212A\u212A\u212A\u212A\u212A\u212A\u212A\u212A\u212Aerror", "error", ""},
	} {
		assert.NotPanics(t, func() { assert.Equal(t, tc.want, challengeParam(tc.v, tc.name), tc.v) })
	}
}

// TestPageLinesSkipsScripts: a script's text is skipped up to its own end
// tag, whatever non-ASCII text it holds (the end was searched in a lowered
// copy, whose offsets the Kelvin sign, a dotted capital I or an invalid
// byte shift: the page's text was cut or lost).
func TestPageLinesSkipsScripts(t *testing.T) {
	for _, in := range []string{"\u212A\u212A\u212A\u212A\u212A\u212A", "\u0130\u0130\u0130\u0130\u0130\u0130", "\xff\xff\xff\xff\xff\xff", "x"} {
		body := "<html><script>var s = '" + in + "';</SCRIPT><p>Access denied by rule 7</p><style>" + in + "</Style><p>Ref 42</p></html>"
		assert.Equal(t, []string{"Access denied by rule 7", "Ref 42"}, pageLines([]byte(body), 10), "%q", in)
	}
}

// BenchmarkReadPage: Read on an HTML 403 block page of ~40 KiB (scripts,
// a message, a reference, the client's IP): the page's lines are read
// once for all three, without a lowered copy
// (go test -bench ReadPage -benchmem ./analyzer/internal/said).
func BenchmarkReadPage(b *testing.B) {
	var page strings.Builder
	page.WriteString("<!DOCTYPE html><HTML><HEAD><TITLE>Access Denied</TITLE>")
	for i := range 40 {
		page.WriteString("<SCRIPT>var a" + strconv.Itoa(i) + " = '" + strings.Repeat("AbCdEf ", 120) + "';</SCRIPT>\n")
	}
	page.WriteString("</HEAD><BODY><DIV><H1>Access Denied</H1><P>You don't have permission to access this resource.</P>" +
		"<P>Reference #18.2f1e3b17.1733047200.5a9c1d2</P><P>Your IP: 203.0.113.7</P></DIV></BODY></HTML>")
	resp := &capture.Message{Status: 403, Fields: []capture.Field{{Name: "Content-Type", Value: "text/html"}}, Body: []byte(page.String())}
	b.ReportAllocs()
	b.SetBytes(int64(len(resp.Body)))
	for b.Loop() {
		Read(resp)
	}
}

// FuzzPageLines: any page is read without a panic into at most max lines.
func FuzzPageLines(f *testing.F) {
	f.Add("<html><script>var s = '\u212A\u0130\xff';</SCRIPT><p>Access denied</p></html>")
	f.Add("<STYLE>\xff\xff</style><title>T</title><!-- x --><p>a<br>b")
	f.Add("<script>unclosed \u212A")
	f.Fuzz(func(t *testing.T, page string) {
		if lines := pageLines([]byte(page), 20); len(lines) > 20 {
			t.Fatalf("%d lines, want at most 20", len(lines))
		}
	})
}

// TestMaskRandomStopsAtTheToken: a masked token ends at its own
// characters; the period of the sentence that holds it (review3 m05's
// "Invalid Signature c3a6….") or a path's trailing dot stays text.
func TestMaskRandomStopsAtTheToken(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Invalid Signature c3a6b1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4. String to sign", "Invalid Signature [secret len=40 …c5b4]. String to sign"},
		{"No such key /v1/keys/Zq8xR2mN4pL7vT9wK3yB5cD1. Try again.", "No such key /v1/keys/[secret len=24 …5cD1]. Try again."},
		{"token Zq8xR2mN4pL7vT9wK3yB5cD1... expired", "token [secret len=24 …5cD1]... expired"},
		{"plain words only.", "plain words only."},
	} {
		if got := MaskRandom(c.in); got != c.want {
			t.Errorf("MaskRandom(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
