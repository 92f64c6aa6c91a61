package knowledge

import (
	"strings"
	"testing"
	"unicode"
)

// TestMayMatchLower: a pattern refuses a text only when it cannot match
// it, and refuses the texts without any word it needs.
func TestMayMatchLower(t *testing.T) {
	for _, c := range []struct {
		re, text string
		may      bool
	}{
		{`(?i)\b(?:token|jwt|api key)\b[^.]{0,60}?\b(?:is|was)?\s*(?:expired|timed out)\b`, "The JWT has EXPIRED", true},
		{`(?i)\b(?:token|jwt|api key)\b[^.]{0,60}?\b(?:is|was)?\s*(?:expired|timed out)\b`, strings.Repeat("x", 480), false},
		{`(?i)\b(?:token|jwt|api key)\b[^.]{0,60}?\b(?:is|was)?\s*(?:expired|timed out)\b`, "the session timed out", true},
		{`(?i)(?:\bthe\s+|\bscopes?\s+)[` + "`" + `'"‘“](?P<scope>[a-z]+)['"’”]\s+(?:is|are)\s+required`, "The 'repo' scope is REQUIRED", true},
		{`(?i)(?:\bthe\s+|\bscopes?\s+)['"‘“](?P<scope>[a-z]+)['"’”]\s+(?:is|are)\s+required`, "forbidden", false},
		{`User "(?P<user>[^"]+)" cannot (?P<verb>[a-z]+) resource`, `user "a" CANNOT list RESOURCE`, true}, // a superset: the expression decides
		{`(?:User|Principal): (?P<p>\S+) is not authorized`, "Principal: arn:x is not authorized", true},
		{`(?:User|Principal): (?P<p>\S+) is not authorized`, "access denied", false},
		{`a*`, "", true},                      // nothing needed
		{`[ab]+c?`, "zzz", true},              // classes only: nothing needed
		{`(?i)\x{212A}elvin`, "kelvin", true}, // K (Kelvin) folds to k: not an ASCII word
		{`(?i)kelvin`, "\u212Aelvin …", true}, // the Kelvin sign lowers to k
		{`(?i)expired`, "EXPIRED …", true},
		{`(?i)expired`, "xxx…", false},
		{`x(`, "anything", true}, // does not compile: matches nothing, refuses nothing
	} {
		p := NewPattern(c.re)
		if got := p.MayMatchLower(strings.ToLower(c.text)); got != c.may {
			t.Errorf("%q on %q: MayMatchLower = %v, want %v", c.re, c.text, got, c.may)
		}
		if p.Err() == nil && p.MatchString(c.text) && !p.MayMatchLower(strings.ToLower(c.text)) {
			t.Errorf("%q matches %q but MayMatchLower refuses it", c.re, c.text)
		}
	}
	// Why ſ is the one exception: of the runes (?i) folds to an ASCII
	// letter, it is the one that strings.ToLower does not lower to it.
	for c := 'a'; c <= 'z'; c++ {
		for r := unicode.SimpleFold(c); r != c; r = unicode.SimpleFold(r) {
			if strings.ToLower(string(r)) != string(c) && r != 'ſ' {
				t.Errorf("%q folds to %q but lowers to %q", r, c, strings.ToLower(string(r)))
			}
		}
	}
	if !(*Pattern)(nil).MayMatchLower("x") {
		t.Error("a nil pattern refused a text")
	}
}
