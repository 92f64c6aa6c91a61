package detect

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/capture"
)

// FuzzMask checks that masking never returns a known secret and keeps UTF-8 valid.
func FuzzMask(f *testing.F) {
	f.Add("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl", "https://u:p@a.example/?access_token=secretsecret&x=1")
	f.Fuzz(func(t *testing.T, auth, url string) {
		m := maskAuthorization(auth)
		if _, rest, ok := strings.Cut(strings.TrimSpace(auth), " "); ok && len(strings.TrimSpace(rest)) >= 8 && !strings.Contains(m, "[") {
			t.Fatalf("maskAuthorization(%q) = %q shows no fingerprint", auth, m)
		}
		if utf8.ValidString(url) && !utf8.ValidString(MaskURL(url)) {
			t.Fatalf("MaskURL broke UTF-8")
		}
	})
}

// FuzzErrorShaped holds errorShaped's one pass over the top-level members to
// what a gjson Get per key answered (the first of each key counts), and the
// body's surrounding spaces to no effect (okSignals reads it trimmed).
func FuzzErrorShaped(f *testing.F) {
	for _, s := range []string{`{"ok":false,"error":"invalid_auth"}`, `{"errors":[{"message":"x"}]}`, `{"status":"fail","data":{}}`,
		`{"error":null,"error":"x"}`, `{"fault":{}}`, `{"success":false}`, `{"a":{"error":1}}`, `[{"error":1}]`, `{"err\u006fr":1}`,
		` {"status":"ERROR"} `, `{"ok":true,`, `{"errors":[]}`, `{"error":false}`, `{"x":1 "error":2}`, `{`, `"error"`, "\f{\"ok\":false}\n", "\u00a0{}"} {
		f.Add([]byte(s))
	}
	perKey := func(body []byte) bool {
		r := gjson.GetManyBytes(body, "error", "errors", "ok", "fault", "success", "status")
		st := r[5].String()
		return r[0].Exists() && r[0].Type != gjson.Null && !(r[0].Type == gjson.False) ||
			r[1].IsArray() && len(r[1].Array()) > 0 || r[2].Type == gjson.False || r[3].Exists() ||
			r[4].Type == gjson.False || r[5].Type == gjson.String && (strings.EqualFold(st, "error") || strings.EqualFold(st, "fail"))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if got, want := errorShaped(body, capture.ValidJSON(body)), perKey(body); got != want {
			t.Fatalf("errorShaped(%q) = %v, want %v (a Get per key)", body, got, want)
		}
		if got, want := (&respBody{m: &capture.Message{Body: body}}).validRawJSON(), capture.ValidJSON(body); got != want {
			t.Fatalf("validRawJSON(%q) = %v, want %v", body, got, want)
		}
		if got, want := perKey(bytes.TrimSpace(body)), perKey(body); got != want {
			t.Fatalf("errorShaped(trimmed %q) = %v, untrimmed %v", body, got, want)
		}
	})
}
