package httpcheck

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
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

var allCauses = []Cause{
	CauseMissingCredentials, CauseInvalidCredentials, CauseMalformedCredentials, CauseExpiredToken,
	CauseExpiredSession, CauseClockSkew, CauseInsufficientScope, CauseInsufficientPermissions,
	CauseSSORequired, CauseStepUp, CauseStaleNonce, CauseDPoPNonce, CauseInvalidDPoPProof,
	CauseHandshake, CausePreflight, CauseProxyAuth, CauseRedirectDroppedAuth, CauseCookieNotSent,
	CauseAccountLocked, CauseMfaRequired, CauseChallenge, CauseBlock, CauseCaptcha, CauseRateLimit, CauseCrawlerPolicy,
}

// TestAllCausesListed: allCauses names every Cause constant vocab_gen.go
// declares, so a cause added to the knowledge files cannot be missed here
// (mfa_required was, and its golden failed TestVocabulary).
func TestAllCausesListed(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "vocab_gen.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := 0
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, spec := range g.Specs {
				for _, n := range spec.(*ast.ValueSpec).Names {
					if strings.HasPrefix(n.Name, "Cause") {
						declared++
					}
				}
			}
		}
	}
	if declared != len(allCauses) {
		t.Errorf("vocab_gen.go declares %d Cause constants, allCauses lists %d: add the new ones", declared, len(allCauses))
	}
}

var allVerdicts = []Verdict{VerdictAuth, VerdictForbidden, VerdictProxyAuth, VerdictBot, VerdictRateLimit, VerdictOK, VerdictUnknown}

// TestVocabulary: every verdict and cause the analyzer's golden reports use
// has a constant here, and every cause constant is in docs/report.md.
func TestVocabulary(t *testing.T) {
	causes, verdicts := map[Cause]bool{}, map[Verdict]bool{}
	for _, c := range allCauses {
		causes[c] = true
	}
	for _, v := range allVerdicts {
		verdicts[v] = true
	}
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
			if !verdicts[e.Verdict] {
				t.Errorf("%s: verdict %q has no constant", p, e.Verdict)
			}
			if e.Cause != nil && !causes[*e.Cause] {
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
	for _, c := range allCauses {
		if !strings.Contains(string(doc), "`"+string(c)+"`") {
			t.Errorf("cause %q is not in docs/report.md", c)
		}
	}
}
