package httpcheck

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// testdata/actions.json is the verdict × cause → action table; the npm
// package's tests read the same file, so both libraries decide alike.
func TestActionFor(t *testing.T) {
	b, err := os.ReadFile("testdata/actions.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct{ Verdict, Cause, Action string }
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if got := ActionFor(Verdict(r.Verdict), Cause(r.Cause)); string(got) != r.Action {
			t.Errorf("ActionFor(%q, %q) = %q, want %q", r.Verdict, r.Cause, got, r.Action)
		}
	}
}

// generated is every constant of type typ ("Kind", "Cause") that
// analyzer/vocab_gen.go declares, by value: the vocabulary this package's
// vocab_gen.go re-exports, read from the generated file rather than listed
// here again by hand.
func generated(t *testing.T, typ string) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../analyzer/vocab_gen.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != typ {
				continue
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					out[s] = true
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s constants in ../analyzer/vocab_gen.go", typ)
	}
	return out
}

// TestVocabulary: every verdict and cause the analyzer's golden reports use
// has a constant here, and every cause constant is in docs/report.md.
func TestVocabulary(t *testing.T) {
	causes, verdicts := generated(t, "Cause"), generated(t, "Kind")
	seen := 0
	filepath.WalkDir(caseDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".golden.json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Exchanges []struct {
				Verdict Verdict
				Cause   *Cause
			}
		}
		if json.Unmarshal(b, &rep) != nil {
			return nil
		}
		for _, e := range rep.Exchanges {
			seen++
			if !verdicts[string(e.Verdict)] {
				t.Errorf("%s: verdict %q has no constant", p, e.Verdict)
			}
			if e.Cause != nil && !causes[string(*e.Cause)] {
				t.Errorf("%s: cause %q has no constant", p, *e.Cause)
			}
		}
		return nil
	})
	if seen < 100 {
		t.Fatalf("only %d golden exchanges read from %s", seen, caseDir)
	}
	doc, err := os.ReadFile("../docs/report.md")
	if err != nil {
		t.Fatal(err)
	}
	for c := range causes {
		if !strings.Contains(string(doc), "`"+c+"`") {
			t.Errorf("cause %q is not in docs/report.md", c)
		}
	}
}
