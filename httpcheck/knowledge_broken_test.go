//go:build why401brokenknowledge

package httpcheck

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"why401/analyzer"
)

// TestKnowledgeBroken (go test -tags why401brokenknowledge): AnalyzeResponse
// returns ErrKnowledge, naming the file, rather than a partial verdict.
func TestKnowledgeBroken(t *testing.T) {
	req, err := http.NewRequest("GET", "https://shop.example/", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp := &http.Response{StatusCode: 403, Header: http.Header{"Server": {"cloudflare"}}, Body: io.NopCloser(strings.NewReader("no")), Request: req}
	res, err := AnalyzeResponse(resp)
	if !errors.Is(err, analyzer.ErrKnowledge) || !strings.Contains(err.Error(), "vendors/zz-broken.json rule r1") || res != nil {
		t.Errorf("AnalyzeResponse: %v, %v", res, err)
	}
}
