package vocab

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPageTables: the page's tables keyed by a vocabulary (web/report.js:
// the words, colour and severity of each verdict, the words of each action)
// are written by hand for their wording, so this holds their keys to the
// vocabularies: a verdict or an action added to the knowledge files without
// its words on the page fails here, and so does a key that is not one.
func TestPageTables(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "web", "report.js"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	ids := func(ws []Word, skip string) []string {
		var out []string
		for _, w := range ws {
			if w.ID != skip {
				out = append(out, w.ID)
			}
		}
		return out
	}
	verdicts := ids(v.Verdicts, "")
	for name, want := range map[string][]string{
		"VERDICT_WORDS": verdicts, "SHORT_WORDS": verdicts, "VERDICT_VAR": verdicts, "SEVERITY": verdicts,
		"ACTION_WORDS": ids(v.Actions, "none"), // none is not shown
	} {
		body := regexp.MustCompile(`(?s)const ` + name + ` = \{(.*?)\};`).FindSubmatch(src)
		if body == nil {
			t.Errorf("web/report.js: no table %s", name)
			continue
		}
		got := map[string]bool{}
		for _, m := range regexp.MustCompile(`(\w+):`).FindAllSubmatch(body[1], -1) {
			got[string(m[1])] = true
		}
		for _, id := range want {
			if !got[id] {
				t.Errorf("web/report.js %s has no %q", name, id)
			}
			delete(got, id)
		}
		for id := range got {
			t.Errorf("web/report.js %s: %q is not in the vocabulary (%s)", name, id, strings.Join(want, ", "))
		}
	}
}
