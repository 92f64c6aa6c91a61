package detect

import (
	"strings"
	"testing"

	"why401/analyzer/internal/capture"
)

// Look-alikes that Go's Unicode case mapping turns into ASCII letters:
// strings.EqualFold and strings.ToLower make the Kelvin sign "k" and the
// long s "s"; strings.ToLower makes the dotted capital I "i".
const kelvin, longS, dottedI = "\u212A", "\u017F", "\u0130"

// TestNamesFoldASCIIOnly: header, cookie and parameter names compare A–Z in
// any case and every other byte exactly (RFC 9110 §5.1), so a look-alike
// name is not the name it resembles, and the ASCII name in any case is.
func TestNamesFoldASCIIOnly(t *testing.T) {
	for _, f := range []struct{ name, fake string }{
		{"Authorization", "Author" + dottedI + "zation"},
		{"Proxy-Authorization", "Proxy-Author" + dottedI + "zation"},
		{"Cookie", "Coo" + kelvin + "ie"},
		{"Cookie", "Cook" + dottedI + "e"},
		{"Set-Cookie", longS + "et-Cookie"},
		{"Set-Cookie", "Set-Coo" + kelvin + "ie"},
		{"X-Api-Key", "X-Api-" + kelvin + "ey"},
	} {
		m := &capture.Message{Fields: []capture.Field{{Name: f.fake, Value: "v1"}}}
		if m.Has(f.name) || m.Get(f.name) != "" || len(m.Values(f.name)) != 0 {
			t.Errorf("a field named %q is read as %q", f.fake, f.name)
		}
		for _, spelled := range []string{f.name, strings.ToUpper(f.name), strings.ToLower(f.name)} {
			m := &capture.Message{Fields: []capture.Field{{Name: spelled, Value: "v1"}}}
			if m.Get(f.name) != "v1" {
				t.Errorf("a field named %q is not read as %q", spelled, f.name)
			}
		}
	}
	for _, p := range []struct {
		name string
		want bool
	}{
		{kelvin + "ey", false}, {"to" + kelvin + "en", false}, {"pa" + longS + "sword", false}, {"pa" + longS + "s", false},
		{"KEY", true}, {"Token", true}, {"PassWord", true}, {"api_KEY", true},
	} {
		if got := CredentialParam(p.name); got != p.want {
			t.Errorf("CredentialParam(%q) = %v, want %v", p.name, got, p.want)
		}
	}
	for _, h := range []struct {
		name string
		want bool
	}{
		{"X-" + kelvin + "ey", false}, {"X-To" + kelvin + "en", false}, {"X-Pa" + longS + "sword", false}, {"Coo" + kelvin + "ie", false},
		{"AUTHORIZATION", true}, {"cOOKIE", true}, {"X-TOKEN", true}, {"x-api-KEY", true},
	} {
		if got := isCredentialHeader(h.name); got != h.want {
			t.Errorf("isCredentialHeader(%q) = %v, want %v", h.name, got, h.want)
		}
	}
}
