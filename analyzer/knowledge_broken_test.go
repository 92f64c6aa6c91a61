//go:build why401brokenknowledge

package analyzer

import (
	"errors"
	"strings"
	"testing"
)

// brokenMark is what every door's error names: the file and the rule that
// broke (broken_on.go's vendors/zz-broken.json).
const brokenMark = "vendors/zz-broken.json rule r1"

// TestKnowledgeBroken (go test -tags why401brokenknowledge): a build whose
// knowledge does not load answers ErrKnowledge, naming the file, from every
// entry point; the report is still there, and the vendors that load still
// run (only the broken file is left out).
func TestKnowledgeBroken(t *testing.T) {
	capture := []byte("HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\nCF-RAY: 8f1e2d3c4b5a6978-FRA\r\nContent-Type: text/html\r\n\r\n<title>Just a moment...</title>\r\n")
	rep, err := Analyze(capture)
	if !errors.Is(err, ErrKnowledge) || !strings.Contains(err.Error(), brokenMark) {
		t.Fatalf("Analyze: %v, want ErrKnowledge naming %s", err, brokenMark)
	}
	if len(rep.Exchanges) != 1 || rep.Exchanges[0].Vendor != "cloudflare" {
		t.Errorf("the report is lost, or the other vendors were dropped with the broken one: %+v", rep.Exchanges)
	}
	if _, err := AnalyzeExchanges([]Exchange{{Response: Response{Status: 403}}}, Options{}); !errors.Is(err, ErrKnowledge) {
		t.Errorf("AnalyzeExchanges: %v, want ErrKnowledge", err)
	}
	if _, err := Diff(capture, capture, DiffOptions{}); !errors.Is(err, ErrKnowledge) {
		t.Errorf("Diff: %v, want ErrKnowledge", err)
	}
	if m := Message(err); strings.HasPrefix(m, "analyzer: ") || !strings.Contains(m, "did not load") {
		t.Errorf("Message: %q", m)
	}
}
