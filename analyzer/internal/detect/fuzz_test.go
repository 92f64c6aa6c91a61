package detect

import (
	"strings"
	"testing"
	"unicode/utf8"
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
