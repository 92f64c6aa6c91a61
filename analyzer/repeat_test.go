package analyzer

import (
	"encoding/json"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// Nothing is said twice (issue 28, "no repeated evidence lines or fix
// groups"), checked over the report of every fixture (its golden file, which
// TestCases holds to the analyzer's output):
//
//   - evidence: no line repeats what another line of the same place showed
//     without adding an explanation (Kasada's x-kpsdk-ct as its rule's line
//     and again as a bare presence line);
//   - fixes: no two groups open with the same step, or a group's title with
//     another's first step (a vendor's "remove what looks like an attack"
//     and the generic "remove the input the WAF takes for SQL injection";
//     "wait until the time Retry-After names" twice);
//   - summary: the server's words (a “…” quote) are quoted once.
func TestNothingSaidTwice(t *testing.T) {
	n := eachGoldenExchange(t, saidTwice)
	if n < 100 {
		t.Fatalf("only %d golden reports found", n)
	}
	t.Logf("%d golden reports checked", n)
}

// eachGoldenExchange runs check on every exchange of every fixture's golden
// report and fails the test with each line it returns; it returns how many
// reports it read.
func eachGoldenExchange(t *testing.T, check func(ExchangeReport) []string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir("testdata/cases", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".golden.json") {
			return err
		}
		var rep Report
		if err := json.Unmarshal(mustRead(path), &rep); err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		for _, e := range rep.Exchanges {
			for _, what := range check(e) {
				t.Errorf("%s: #%d %s: %s", path, e.Index, e.Verdict, what)
			}
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// saidTwice lists what an exchange's report says twice.
func saidTwice(e ExchangeReport) []string {
	var out []string
	bare := map[string]bool{}
	for _, ev := range e.Evidence {
		bare[string(ev.Where)+"\x00"+ev.Text] = true
	}
	for _, ev := range e.Evidence {
		if what, _, ok := strings.Cut(ev.Text, " — "); ok && bare[string(ev.Where)+"\x00"+what] {
			out = append(out, "evidence "+strconvQuote(what)+" shown bare beside its explained line")
		}
	}
	opens := map[string]int{}
	for i, f := range e.Fixes {
		keys := []string{openingWords(f.Title)}
		if len(f.Steps) > 0 {
			keys = append(keys, openingWords(f.Steps[0]))
		}
		for _, k := range keys {
			if k == "" {
				continue
			}
			if j, ok := opens[k]; ok && j != i {
				out = append(out, "fix groups "+strconv.Itoa(j+1)+" and "+strconv.Itoa(i+1)+" open the same way: "+strconvQuote(k))
			}
			opens[k] = i
		}
	}
	for _, act := range sameActions {
		var in []string
		for i, f := range e.Fixes {
			text := strings.ToLower(f.Title + " " + strings.Join(f.Steps, " "))
			for _, p := range act {
				if strings.Contains(text, p) {
					in = append(in, strconv.Itoa(i+1))
					break
				}
			}
		}
		if len(in) > 1 {
			out = append(out, "fix groups "+strings.Join(in, ", ")+" each tell to "+strconvQuote(act[0]))
		}
	}
	quotes := map[string]bool{}
	for rest := e.Summary; ; {
		_, after, ok := strings.Cut(rest, "\u201c")
		if !ok {
			break
		}
		q, tail, ok := strings.Cut(after, "\u201d")
		if !ok {
			break
		}
		if len(q) >= 12 && quotes[q] {
			out = append(out, "summary quotes "+strconvQuote(q)+" twice")
		}
		quotes[q] = true
		rest = tail
	}
	return out
}

// sameActions are actions one group says once: the phrases of each are
// the ways the fixes word it.
var sameActions = [][]string{
	{"remove the input", "remove or encode", "remove or rephrase"},
	{"wait until the time retry-after names", "wait for the quota to reset"},
}

// openingWords are the first six words of a title or step, lowered, with
// the capture's values (quoted, or holding digits) left out: what a group
// tells the user to do first. Fewer than four words is no opening to
// compare ("Retry").
func openingWords(s string) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
	}) {
		if strings.ContainsFunc(w, unicode.IsDigit) {
			continue
		}
		words = append(words, w)
		if len(words) == 6 {
			break
		}
	}
	if len(words) < 4 {
		return ""
	}
	return strings.Join(words, " ")
}

func strconvQuote(s string) string { return "\u201c" + s + "\u201d" }
