package analyzer

import (
	"why401/analyzer/internal/cases"

	"bytes"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/cases")

// expectation is one entry of testdata/cases/<group>/expect.json (see cases.Expectation).
type expectation = cases.Expectation

// caseFiles lists the captures of every group: testdata/cases/<group>/<file>.
func caseFiles(t testing.TB) map[string][]string { return cases.Files(t, "testdata/cases") }

func loadExpect(t testing.TB, dir string) map[string]expectation { return cases.LoadExpect(t, dir) }

func reportJSON(t testing.TB, r Report) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(r))
	return b.Bytes()
}

// TestCases analyses every capture under testdata/cases, checks it against
// the group's expect.json and compares the whole report with its golden file
// (regenerate with go test ./analyzer -run TestCases -update).
func TestCases(t *testing.T) {
	groups := caseFiles(t)
	for _, dir := range slices.Sorted(maps.Keys(groups)) {
		exp := loadExpect(t, dir)
		for _, name := range groups[dir] {
			assert.Contains(t, exp, name, "%s/expect.json has no entry for %s", dir, name)
		}
		for name := range exp {
			assert.FileExists(t, filepath.Join(dir, name), "%s/expect.json names a missing capture", dir)
		}
		for _, name := range groups[dir] {
			path := filepath.Join(dir, name)
			t.Run(strings.TrimPrefix(path, "testdata/cases/"), func(t *testing.T) {
				data, err := os.ReadFile(path)
				require.NoError(t, err)
				rep, err := AnalyzeWith(data, Options{Name: name})
				require.NoError(t, err)
				require.NotEmpty(t, rep.Exchanges)
				checkExpectation(t, path, rep, exp[name])
				if e := exp[name]; e.Twin != "" {
					twin, err := os.ReadFile(filepath.Join(dir, e.Twin))
					require.NoError(t, err, "twin %s", e.Twin)
					trep, err := AnalyzeWith(twin, Options{Name: e.Twin})
					require.NoError(t, err)
					for _, x := range trep.Exchanges {
						assert.NotEqual(t, KindBot, x.Verdict, "twin %s (presence markers only) judged bot: %s", e.Twin, x.Summary)
					}
				}
				golden := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden.json"
				got := reportJSON(t, rep)
				if *update {
					require.NoError(t, os.WriteFile(golden, got, 0o644))
					return
				}
				want, err := os.ReadFile(golden)
				require.NoError(t, err, "no golden file: run go test ./analyzer -run TestCases -update")
				assert.Equal(t, string(want), string(got), "%s differs from its golden file (go test ./analyzer -run TestCases -update, then review the diff)", path)
			})
		}
	}
}

func checkExpectation(t *testing.T, path string, rep Report, e expectation) {
	t.Helper()
	if e.Exchanges != nil {
		assert.Len(t, rep.Exchanges, *e.Exchanges, "%s: exchanges", path)
	}
	i := len(rep.Exchanges) - 1
	if e.Index != nil {
		i = *e.Index
	}
	require.Less(t, i, len(rep.Exchanges))
	x := rep.Exchanges[i]
	ctx := func(field string) string { return path + ": " + field + " (summary: " + x.Summary + ")" }
	if e.Verdict != nil {
		assert.Equal(t, *e.Verdict, string(x.Verdict), ctx("verdict"))
	}
	if e.Vendor != nil {
		assert.Equal(t, *e.Vendor, string(x.Vendor), ctx("vendor"))
	}
	if e.Scheme != nil {
		assert.Equal(t, *e.Scheme, string(x.Scheme), ctx("scheme"))
	}
	if e.Cause != nil {
		assert.Equal(t, *e.Cause, string(x.Cause), ctx("cause"))
	}
	if e.MinConf > 0 {
		assert.GreaterOrEqual(t, x.Confidence, e.MinConf, ctx("confidence"))
	}
	if e.Reference != "" {
		assert.Contains(t, x.Reference, e.Reference, ctx("reference"))
	}
	ids := map[string]bool{}
	entries := map[int]bool{}
	for _, ev := range x.Evidence {
		ids[ev.Signal] = true
		if ev.Entry != nil {
			entries[*ev.Entry] = true
		}
	}
	for _, id := range e.Evidence {
		assert.True(t, ids[id], "%s: evidence %q missing (have %v)", path, id, ids)
	}
	if e.Entry != nil {
		assert.True(t, entries[*e.Entry], "%s: no evidence points at entry %d", path, *e.Entry)
	}
	assert.NotEmpty(t, x.Summary, ctx("summary"))
	if x.Verdict != KindOK {
		assert.NotEmpty(t, x.Evidence, ctx("evidence"))
	}
}
