package analyzer

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStreamedEqualsFinal: for every golden capture, what Options.Handler
// receives, one exchange at a time, is exactly what a Report holds when no
// handler is given. Nothing may change an exchange's report after it was
// streamed.
func TestStreamedEqualsFinal(t *testing.T) {
	groups := caseFiles(t)
	for _, dir := range slices.Sorted(maps.Keys(groups)) {
		for _, name := range groups[dir] {
			path := filepath.Join(dir, name)
			t.Run(strings.TrimPrefix(path, "testdata/cases/"), func(t *testing.T) {
				data, err := os.ReadFile(path)
				require.NoError(t, err)
				var streamed []ExchangeReport
				rep, err := AnalyzeWith(data, Options{Name: name})
				require.NoError(t, err)
				_, err = AnalyzeWith(data, Options{Name: name, Handler: HandlerFunc(func(e ExchangeReport) { streamed = append(streamed, e) })})
				require.NoError(t, err)
				require.Equal(t, len(rep.Exchanges), len(streamed), "%s: exchanges streamed", path)
				for i := range streamed {
					assert.Equal(t, string(reportJSON(t, Report{Exchanges: rep.Exchanges[i : i+1]})),
						string(reportJSON(t, Report{Exchanges: streamed[i : i+1]})), "%s: exchange %d streamed differs from the final report", path, i)
				}
			})
		}
	}
}

// The sentinel errors are the analyzer's own whichever stage found the problem.
func TestSentinelErrors(t *testing.T) {
	_, err := Analyze([]byte("hello, no response here"))
	assert.ErrorIs(t, err, ErrNoResponse)
	_, err = Analyze([]byte("  \n"))
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = Analyze([]byte(`{"not":"a har"}`))
	assert.ErrorIs(t, err, ErrHAR)
}

// Options.Handler: every exchange goes to it in order and the report keeps
// none; the input, the summary (the first failure's cause) and the
// warnings are those of the report without a handler.
func TestHandler(t *testing.T) {
	for _, data := range [][]byte{benchHAR(40), mustRead("testdata/cases/story/block-onset.har")} {
		held, err := Analyze(data)
		require.NoError(t, err)
		var got []ExchangeReport
		rep, err := AnalyzeWith(data, Options{Handler: HandlerFunc(func(e ExchangeReport) { got = append(got, e) })})
		require.NoError(t, err)
		assert.Empty(t, rep.Exchanges)
		assert.Equal(t, held.Exchanges, got)
		assert.Equal(t, held.Summary, rep.Summary)
		assert.Equal(t, held.Input, rep.Input)
		assert.Equal(t, held.Warnings, rep.Warnings)
	}
}
