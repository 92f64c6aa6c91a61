package detect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer/internal/capture"
)

// TestHeaderHitsAsRunInTurn: the header rules found by the field's name
// match what every rule reading every field in turn (names compared with
// strings.EqualFold) matched, in the same order with the same evidence, on
// every case capture and on copies whose field names are upper-cased or
// spelt with a character EqualFold folds to ASCII (ſ, U+017F, is s).
func TestHeaderHitsAsRunInTurn(t *testing.T) {
	set, err := compiledVendors()
	require.NoError(t, err)
	inTurn := func(ex *capture.Exchange) []headerHit {
		var out []headerHit
		jar := &cookieJar{}
		for _, v := range set.list {
			for _, r := range v.headerRules {
				if r.statusOK(&ex.Response) {
					if text, ok := r.matchField(ex, jar); ok {
						out = append(out, headerHit{r, text})
					}
				}
			}
		}
		return out
	}
	files, _ := filepath.Glob("../../testdata/cases/*/*.http")
	require.NotEmpty(t, files)
	n, hits := 0, 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		exs, _, err := capture.ParseText(data, capture.Limits{}.WithDefaults(), &capture.Warnings{})
		if err != nil {
			continue
		}
		for _, ex := range exs {
			for _, rename := range []func(string) string{
				func(s string) string { return s },
				strings.ToUpper,
				func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "s", "ſ") },
			} {
				ex := ex
				ex.Response.Fields = renamed(ex.Response.Fields, rename)
				if ex.Request != nil {
					req := *ex.Request
					req.Fields = renamed(req.Fields, rename)
					ex.Request = &req
				}
				want := inTurn(&ex)
				assert.Equal(t, want, set.headerHits(&ex), "%s", file)
				n++
				hits += len(want)
			}
		}
	}
	t.Logf("%d exchanges, %d header rule hits", n, hits)
	assert.Greater(t, hits, 100)
}

func renamed(fields []capture.Field, rename func(string) string) []capture.Field {
	out := make([]capture.Field, len(fields))
	for i, f := range fields {
		out[i] = capture.Field{Name: rename(f.Name), Value: f.Value}
	}
	return out
}

// TestAPIsOfHeadersAsAsked: the API files a response's headers identify,
// found by the field's lowered name, are those identifiesHeaders finds file
// by file, on every case capture as it is, upper-cased and with ſ for s.
func TestAPIsOfHeadersAsAsked(t *testing.T) {
	set, err := compiledAPIs()
	require.NoError(t, err)
	files, _ := filepath.Glob("../../testdata/cases/*/*.http")
	require.NotEmpty(t, files)
	found := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		exs, _, err := capture.ParseText(data, capture.Limits{}.WithDefaults(), &capture.Warnings{})
		if err != nil {
			continue
		}
		for _, ex := range exs {
			for _, rename := range []func(string) string{
				func(s string) string { return s },
				strings.ToUpper,
				func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "s", "ſ") },
			} {
				ex := ex
				ex.Response.Fields = renamed(ex.Response.Fields, rename)
				want := make([]bool, len(set.list))
				for fi, f := range set.list {
					want[fi] = identifiesHeaders(f, &ex)
					if want[fi] {
						found++
					}
				}
				assert.Equal(t, want, apisOfHeaders(set, &ex), "%s", file)
			}
		}
	}
	assert.Greater(t, found, 20)
}
