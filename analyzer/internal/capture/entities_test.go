package capture

import (
	"html"
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUnescapeEntitiesMatchesHTML: the references block pages use decode as
// html.UnescapeString decodes them.
func TestUnescapeEntitiesMatchesHTML(t *testing.T) {
	cases := []string{
		"", "plain", "18&#46;6f2d1402&#46;1700000000&#46;2a3b", "&#x2E;&#X2e;&#46", "&amp;&lt;&gt;&quot;&apos;&#39;&nbsp;",
		"&amp &lt &gt &quot &nbsp &apos", "&AMP;&LT;&GT;&QUOT;", "&ampx &ltfoo; &amp;amp;", "&#0;&#128;&#x9F;&#xD800;&#1114112;&#99999999999;",
		"&#;&#x;&#", "&#1", "&", "&&", "a&b", "&;", "&#38;#46;", "end&", "&#x1F600;", "&unknown;", "caf&#233;",
	}
	rng := rand.New(rand.NewSource(46))
	pieces := []string{"&#", "&#x", "&#X", "&", ";", "0", "1", "4", "9", "a", "F", " ", ".", "é", "<",
		"&amp", "&lt", "&gt", "&quot", "&apos", "&nbsp", "&AMP", "&QUOT"}
	for len(cases) < 20000 {
		var b strings.Builder
		for n := rng.Intn(8); n >= 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		if s := b.String(); onlyKnownNames(s) {
			cases = append(cases, s)
		}
	}
	for _, s := range cases {
		assert.Equal(t, html.UnescapeString(s), UnescapeEntities(s), "%q", s)
	}
}

// onlyKnownNames: every named reference in s is one of the handful
// unescapeEntities knows, followed by a byte that cannot extend the name.
func onlyKnownNames(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '&' || i+1 >= len(s) || s[i+1] == '#' || s[i+1] == '&' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i+1 {
			continue
		}
		if namedEntity(s[i+1:j], true) == 0 {
			return false
		}
	}
	return true
}
