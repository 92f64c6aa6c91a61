package ascii

import (
	"strings"
	"testing"
)

func TestLower(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"already lower", "already lower"},
		{"Content-Type", "content-type"},
		{"\u212Aey", "\u212Aey"}, // the Kelvin sign stays: it is no "K"
		{"\u0130D=1", "\u0130d=1"},
		{"A\xffB", "a\xffb"}, // an invalid byte stays
		{"ÄÖÜ X", "ÄÖÜ x"},
	} {
		if got := Lower(c.in); got != c.want {
			t.Errorf("Lower(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := string(LowerBytes([]byte(c.in))); got != c.want {
			t.Errorf("LowerBytes(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzLower: Lower keeps the length and every byte but A–Z, and agrees
// with strings.ToLower on ASCII text.
func FuzzLower(f *testing.F) {
	for _, s := range []string{"", "Key", "\u212Aey", "\u0130", "\xff", "A\u212AB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Lower(s)
		if len(got) != len(s) {
			t.Fatalf("Lower(%q) = %q: length %d, want %d", s, got, len(got), len(s))
		}
		for i := 0; i < len(s); i++ {
			if c := s[i]; (c < 'A' || c > 'Z') && got[i] != c || 'A' <= c && c <= 'Z' && got[i] != c+32 {
				t.Fatalf("Lower(%q)[%d] = %q", s, i, got[i])
			}
		}
		if isASCII(s) && got != strings.ToLower(s) {
			t.Fatalf("Lower(%q) = %q, strings.ToLower %q", s, got, strings.ToLower(s))
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestIndex(t *testing.T) {
	for _, c := range []struct {
		s, word string
		want    int
	}{
		{"", "", 0},
		{"abc", "", 0},
		{"", "a", -1},
		{"<HTML>", "<html", 0},
		{"x</SCRIPT>", "</script", 1},
		{"\u212A</Script>", "</script", 3},   // strings.ToLower would say 1
		{"\u0130</Script>", "</script", 2},   // strings.ToLower would say 3
		{"\xff\xff</script>", "</script", 2}, // strings.ToLower would say 6
		{"\u212Aey", "key", -1},
		{"scrip", "script", -1},
	} {
		if got := Index(c.s, c.word); got != c.want {
			t.Errorf("Index(%q, %q) = %d, want %d", c.s, c.word, got, c.want)
		}
		if got := Index([]byte(c.s), c.word); got != c.want {
			t.Errorf("Index([]byte(%q), %q) = %d, want %d", c.s, c.word, got, c.want)
		}
		if got := strings.Index(Lower(c.s), c.word); got != c.want {
			t.Errorf("strings.Index(Lower(%q), %q) = %d, want %d", c.s, c.word, got, c.want)
		}
	}
}

func TestEqualFold(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"", "", true},
		{"Authorization", "authorization", true},
		{"SET-COOKIE", "set-cookie", true},
		{"\u212Aey", "key", false},           // Kelvin sign
		{"pa\u017Fsword", "password", false}, // long s
		{"to\u212Aen", "TOKEN", false},
		{"key", "keys", false},
		{"\xff", "\xff", true},
		{"[", "{", false}, // '[' + 32 is '{': only A–Z fold
	} {
		if got := EqualFold(c.a, c.b); got != c.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := EqualFold(c.b, c.a); got != c.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
	if !HasSuffix("WWW-Authenticate", "-authenticate") || HasSuffix("x-\u212Aey", "-key") || HasSuffix("y", "-key") {
		t.Error("HasSuffix")
	}
}

// FuzzEqualFold: EqualFold is Lower(a) == Lower(b), and agrees with
// strings.EqualFold on ASCII text.
func FuzzEqualFold(f *testing.F) {
	f.Add("Key", "key")
	f.Add("\u212Aey", "key")
	f.Add("pa\u017Fsword", "PASSWORD")
	f.Fuzz(func(t *testing.T, a, b string) {
		got := EqualFold(a, b)
		if got != (Lower(a) == Lower(b)) {
			t.Fatalf("EqualFold(%q, %q) = %v, Lower says otherwise", a, b, got)
		}
		if isASCII(a) && isASCII(b) && got != strings.EqualFold(a, b) {
			t.Fatalf("EqualFold(%q, %q) = %v, strings.EqualFold differs", a, b, got)
		}
	})
}
