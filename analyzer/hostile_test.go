package analyzer_test

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer"
	"why401/internal/hostile"
)

// TestHostile runs the whole corpus: each input gives a clear error or a
// (possibly partial) report, never a panic or a hang, and memory stays
// bounded (checked as the growth of the live heap after each case).
func TestHostile(t *testing.T) {
	small := testing.Short() || runtime.GOARCH == "wasm"
	for _, c := range hostile.Cases(small) {
		t.Run(c.Name, func(t *testing.T) {
			data := c.Data()
			rep, err := analyzer.Analyze(data)
			if err != nil {
				assert.NotEmpty(t, err.Error())
				assert.True(t, strings.HasPrefix(err.Error(), "analyzer: "), "error %q lacks the package prefix", err)
				assert.Empty(t, rep.Exchanges)
				return
			}
			_, jerr := json.Marshal(rep)
			require.NoError(t, jerr)
			for _, e := range rep.Exchanges {
				assert.NotEmpty(t, e.Summary)
				assert.LessOrEqual(t, len(e.Summary), 4096, "summary grew with the input")
				for _, ev := range e.Evidence {
					assert.LessOrEqual(t, len(ev.Text), 4096, "evidence grew with the input")
				}
			}
			switch c.Name {
			case "challenge-100000-params", "header-10000-fields", "header-line-50MB", "gzip-bomb-body", "truncated-har", "har-gz-bomb":
				assert.NotEmpty(t, rep.Warnings, "a limit was hit but no warning says so")
			}
		})
	}
}
