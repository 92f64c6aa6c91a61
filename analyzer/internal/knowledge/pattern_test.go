package knowledge

import (
	"strings"
	"testing"
)

// TestMayMatchASCII: a pattern refuses a text only when it cannot match
// it, and refuses the texts without any word it needs.
func TestMayMatchASCII(t *testing.T) {
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
		{`x(`, "anything", true},              // does not compile: matches nothing, refuses nothing
	} {
		p := NewPattern(c.re)
		if got := p.MayMatchASCII(strings.ToLower(c.text)); got != c.may {
			t.Errorf("%q on %q: MayMatchASCII = %v, want %v", c.re, c.text, got, c.may)
		}
		if p.Err() == nil && p.MatchString(c.text) && !p.MayMatchASCII(strings.ToLower(c.text)) {
			t.Errorf("%q matches %q but MayMatchASCII refuses it", c.re, c.text)
		}
	}
	if !(*Pattern)(nil).MayMatchASCII("x") {
		t.Error("a nil pattern refused a text")
	}
}
