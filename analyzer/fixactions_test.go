package analyzer

import (
	"regexp"
	"strings"
	"testing"
)

// Fix actions over every fixture (issue 28 §6, §7): one group per idea and
// no two groups that undo each other.
var (
	// newTokenFix: a fix (title or step) that tells the user to get a new
	// token or credential.
	newTokenFix = regexp.MustCompile(`(?i)\b(?:get|obtain|request|fetch) (?:a )?(?:new|fresh) (?:\S+ )?(?:access )?token\b(?: and retry\b)?|^replace the rejected (?:credential|token|key)\b`)
	// credentialFine: a fix that says the credential itself is fine and a
	// new one will not help.
	credentialFine = regexp.MustCompile(`(?i)\b(?:a new (?:token|key|password|login)[^.]{0,60}will not help|the (?:key|token|credential) (?:itself )?(?:may be|is) fine|do not rotate)`)
	// askAdmin: the generic "ask an administrator" of a permission refusal.
	askAdmin = regexp.MustCompile(`(?i)\bask an administrator\b`)
)

// TestFixActionsOnce: no report gives two fix groups with the same title or
// two groups that both say "get a new token"; none says "get a new token"
// beside a group that says the token is fine; and none sends the user to
// "an administrator" when the report's cause is a missing OAuth scope the
// server named.
func TestFixActionsOnce(t *testing.T) {
	n := 0
	for _, c := range everyExchange(t) {
		r := c.report
		titles := map[string]bool{}
		newToken, fine := 0, false
		for _, f := range r.Fixes {
			ti := strings.ToLower(strings.TrimSpace(f.Title))
			if titles[ti] {
				t.Errorf("%s #%d: two fixes titled %q", c.path, r.Index, f.Title)
			}
			titles[ti] = true
			said := false
			for _, s := range append([]string{f.Title}, f.Steps...) {
				if newTokenFix.MatchString(s) && !credentialFine.MatchString(s) {
					said = true
				}
				if credentialFine.MatchString(s) {
					fine = true
				}
			}
			if said {
				newToken++
			}
		}
		if newToken > 1 {
			t.Errorf("%s #%d: %d fix groups say \"get a new token\"", c.path, r.Index, newToken)
		}
		if newToken > 0 && fine {
			t.Errorf("%s #%d: a fix says \"get a new token\" and another that the credential is fine", c.path, r.Index)
		}
		if r.Cause == CauseInsufficientScope && r.Message != nil && strings.Contains(strings.ToLower(r.Message.Text+" "+r.Message.Code), "scope") {
			n++
			for _, f := range r.Fixes {
				for _, s := range f.Steps {
					if askAdmin.MatchString(s) && !strings.Contains(s, "will not help") {
						t.Errorf("%s #%d: the server names a scope, and a fix says %q", c.path, r.Index, s)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Error("no report whose server message names a scope: the check checks nothing")
	}
	t.Logf("%d reports whose message names a scope", n)
}
