package analyzer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDiffCases: testdata/diff/<case>/ holds a capture that worked (good.*)
// and one that failed (bad.*), one case per kind of difference; expect.json
// names the change that must come first, and diff.golden.json is the whole
// report (go test ./analyzer -run TestDiffCases -update rewrites it).
func TestDiffCases(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "diff", "expect.json"))
	require.NoError(t, err)
	var exp map[string]struct{ Top, Name, Note string }
	require.NoError(t, json.Unmarshal(data, &exp))
	dirs, _ := filepath.Glob(filepath.Join("testdata", "diff", "*"))
	n := 0
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		name := filepath.Base(dir)
		n++
		t.Run(name, func(t *testing.T) {
			e, ok := exp[name]
			require.True(t, ok, "testdata/diff/expect.json has no entry for %s", name)
			good, _ := filepath.Glob(filepath.Join(dir, "good.*"))
			bad, _ := filepath.Glob(filepath.Join(dir, "bad.*"))
			require.Len(t, good, 1)
			require.Len(t, bad, 1)
			g, err := os.ReadFile(good[0])
			require.NoError(t, err)
			b, err := os.ReadFile(bad[0])
			require.NoError(t, err)
			rep, err := Diff(g, b, DiffOptions{GoodName: filepath.Base(good[0]), BadName: filepath.Base(bad[0])})
			require.NoError(t, err)
			if e.Top == "" {
				assert.Zero(t, rep.Likely, rep.Summary)
			} else {
				require.NotEmpty(t, rep.Changes, rep.Summary)
				assert.Equal(t, e.Top, rep.Changes[0].Kind, "%+v", rep.Changes)
				if e.Name != "" {
					assert.Equal(t, e.Name, rep.Changes[0].Name)
				}
				assert.Positive(t, rep.Likely, rep.Summary)
			}
			got, err := json.MarshalIndent(rep, "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')
			gpath := filepath.Join(dir, "diff.golden.json")
			if *update {
				require.NoError(t, os.WriteFile(gpath, got, 0o644))
			}
			want, err := os.ReadFile(gpath)
			require.NoError(t, err, "no golden: go test ./analyzer -run TestDiffCases -update")
			assert.Equal(t, string(want), string(got))
			// Never a secret: no credential or cookie value of either side appears.
			for _, in := range [][]byte{g, b} {
				for _, v := range secretsOf(in) {
					assert.NotContains(t, string(got), v)
				}
			}
		})
	}
	assert.Equal(t, len(exp), n, "every expect.json entry has a folder")
}

// secretsOf lists the credential and cookie values a capture sends or sets.
func secretsOf(in []byte) []string {
	var out []string
	for _, line := range strings.Split(string(in), "\n") {
		l := strings.TrimLeft(line, "<> ")
		low := strings.ToLower(l)
		for _, h := range []string{"authorization:", "cookie:", "set-cookie:"} {
			if strings.HasPrefix(low, h) {
				v := strings.TrimSpace(l[len(h):])
				if h == "set-cookie:" {
					v, _, _ = strings.Cut(v, ";") // its attributes are not secrets
				}
				for _, part := range strings.Split(v, ";") {
					_, val, ok := strings.Cut(strings.TrimSpace(part), "=")
					if ok && len(val) >= 12 {
						out = append(out, val)
					}
				}
				if f := strings.Fields(v); len(f) == 2 && len(f[1]) >= 12 {
					out = append(out, f[1])
				}
			}
		}
		if i := strings.Index(l, `"value":`); i >= 0 && (strings.Contains(low, "sessionid=") || strings.Contains(low, "bearer ")) {
			out = append(out, strings.Trim(l[i+8:], `", `))
		}
	}
	return out
}

func TestDiffErrors(t *testing.T) {
	_, err := Diff([]byte(""), []byte("HTTP/1.1 401 Unauthorized\n\n"), DiffOptions{})
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = Diff([]byte("HTTP/1.1 200 OK\n\n"), []byte("HTTP/1.1 401 Unauthorized\n\n"), DiffOptions{URL: "nomatch"})
	assert.ErrorIs(t, err, ErrNoFailure)
	rep, err := Diff([]byte("HTTP/1.1 200 OK\n\n"), []byte("HTTP/1.1 401 Unauthorized\n\n"), DiffOptions{})
	require.NoError(t, err)
	assert.Equal(t, 401, rep.Bad.Status)
}

func TestDiffRender(t *testing.T) {
	g, err := os.ReadFile(filepath.Join("testdata", "diff", "user-agent", "good.http"))
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join("testdata", "diff", "user-agent", "bad.http"))
	require.NoError(t, err)
	rep, err := Diff(g, b, DiffOptions{})
	require.NoError(t, err)
	var text, md strings.Builder
	require.NoError(t, rep.WriteText(&text, TextOptions{}))
	require.NoError(t, rep.WriteMarkdown(&md))
	assert.Contains(t, text.String(), "worked  good #0 GET https://shop.example/category/shoes → 200  OK")
	assert.Contains(t, text.String(), "→ 60%  header-changed user-agent")
	assert.Contains(t, text.String(), "failed: python-requests/2.32.3")
	assert.Contains(t, md.String(), "| 60 % | header-changed user-agent |")
}
