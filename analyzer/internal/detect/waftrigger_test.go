package detect

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"why401/analyzer/internal/capture"
)

// TestWAFTrigger: the input a WAF rule set matches is named, quoted as the
// capture has it; a credential's value is never quoted.
func TestWAFTrigger(t *testing.T) {
	for _, c := range []struct {
		name, url, ctype, body string
		trigger, attack        string // "" when no signal
		quote                  string // the evidence quotes this
	}{
		{name: "query xss", url: "https://a.example/search?q=%3Cscript%3E", trigger: "q=<script>", attack: "cross-site scripting", quote: "“q=%3Cscript%3E”"},
		{name: "query sqli double-encoded", url: "https://a.example/p?id=1%2527%2520OR%25201%253D1", trigger: "id=1' OR 1=1", attack: "SQL injection"},
		{name: "path traversal", url: "https://a.example/static/../../etc/passwd", attack: "path traversal"},
		{name: "form password not quoted", url: "https://a.example/login", ctype: "application/x-www-form-urlencoded", body: "user=bob&password=x%27%20OR%201%3D1--"},
		{name: "form field", url: "https://a.example/c", ctype: "application/x-www-form-urlencoded", body: "comment=%3Csvg%20onload%3Dalert(1)%3E", attack: "cross-site scripting"},
		{name: "json string", url: "https://a.example/api", ctype: "application/json", body: `{"q": "x UNION SELECT 1"}`, trigger: "x UNION SELECT 1", attack: "SQL injection"},
		{name: "json credential key", url: "https://a.example/api", ctype: "application/json", body: `{"password": "hunter2 union select"}`, trigger: "union select", attack: "SQL injection"},
		{name: "plain request", url: "https://a.example/products?page=2&sort=price"},
		{name: "a fragment is not sent", url: "https://a.example/p?x=1#<script>alert(1)</script>"},
		{name: "a fragment's query is not sent", url: "https://a.example/app#/search?q=%3Cscript%3E"},
		{name: "query after the path", url: "https://a.example/app?q=%3Cscript%3E#top", trigger: "q=<script>", attack: "cross-site scripting"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := &capture.Message{Method: "GET", URL: c.url, Body: []byte(c.body)}
			if c.ctype != "" {
				req.Method = "POST"
				req.Fields = []capture.Field{{Name: "Content-Type", Value: c.ctype}}
			}
			sig := wafTriggerSignals(&capture.Exchange{Request: req, Response: capture.Message{Status: 403}})
			if c.attack == "" {
				assert.Empty(t, sig)
				return
			}
			if assert.Len(t, sig, 1) {
				s := sig[0]
				assert.Equal(t, SigWAFTrigger, s.ID)
				assert.Equal(t, c.attack, s.Params["waf_attack"])
				if c.trigger != "" {
					assert.Equal(t, c.trigger, s.Params["waf_trigger"])
				}
				if c.quote != "" {
					assert.Contains(t, s.Text, c.quote)
				}
				assert.NotContains(t, s.Text, "hunter2")
				assert.Empty(t, s.Kind, "context only: it votes for nothing")
			}
		})
	}
}

// TestWAFTriggerNonASCII: a word found in the lowered input is quoted from
// the input at the same place: lowering keeps offsets (strings.ToLower made
// each invalid byte three and the Kelvin sign one, and the snippet was cut
// at the wrong place or past the end).
func TestWAFTriggerNonASCII(t *testing.T) {
	for _, pre := range []string{strings.Repeat("\u212A", 30), strings.Repeat("\u0130", 30), strings.Repeat("\xff", 40), "\xff\u212A\u0130"} {
		for _, c := range []struct{ url, ctype, body string }{
			{url: "https://a.example/s?q=" + pre + "%3Cscript%3E"},
			{url: "https://a.example/s?q=" + strings.Repeat("%FF", 40) + "%3Cscript%3E"},
			{url: "https://a.example/api", ctype: "application/json", body: `{"q": "` + pre + ` UNION SELECT 1"}`},
			{url: "https://a.example/api", ctype: "application/json", body: `{"q": 1, "x": ` + pre + ` UNION SELECT 1}`},
		} {
			req := &capture.Message{Method: "GET", URL: c.url, Body: []byte(c.body)}
			if c.ctype != "" {
				req.Method = "POST"
				req.Fields = []capture.Field{{Name: "Content-Type", Value: c.ctype}}
			}
			sig := wafTriggerSignals(&capture.Exchange{Request: req, Response: capture.Message{Status: 403}})
			if assert.Len(t, sig, 1, "%q", c) {
				trig := strings.ToLower(sig[0].Params["waf_trigger"])
				assert.True(t, strings.Contains(trig, "<script") || strings.Contains(trig, "union select"), "%q: trigger %q", c, trig)
			}
		}
	}
}

// FuzzWAFTrigger: any request URL and body is read without a panic (a word
// is found in an A–Z-lowered copy and cut from the input at the same
// offsets), and a trigger is quoted only with its attack named.
func FuzzWAFTrigger(f *testing.F) {
	f.Add("https://a.example/s?q=%3Cscript%3E", "", "")
	f.Add("https://a.example/s?q="+strings.Repeat("%FF", 40)+"%3Cscript%3E", "", "")
	f.Add("https://a.example/s?q="+strings.Repeat("\xff", 40)+"%3Cscript%3E", "", "")
	f.Add("https://a.example/api", "application/json", `{"q": "`+strings.Repeat("\xff", 40)+` UNION SELECT 1"}`) // panicked: slice [108:64]
	f.Add("https://a.example/api", "application/json", `{"q": "`+strings.Repeat("\u212A", 30)+` UNION SELECT 1"}`)
	f.Add("https://a.example/c", "application/x-www-form-urlencoded", "comment=\u0130\xff%3Csvg%20onload%3D1%3E")
	f.Fuzz(func(t *testing.T, url, ctype, body string) {
		req := &capture.Message{Method: "POST", URL: url, Body: []byte(body)}
		if ctype != "" {
			req.Fields = []capture.Field{{Name: "Content-Type", Value: ctype}}
		}
		for _, s := range wafTriggerSignals(&capture.Exchange{Request: req, Response: capture.Message{Status: 403}}) {
			if s.Params["waf_trigger"] == "" || s.Params["waf_attack"] == "" {
				t.Fatalf("signal %q without its trigger or attack: %v", s.Text, s.Params)
			}
		}
	})
}
