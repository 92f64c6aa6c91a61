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

// No value a comparison prints is a secret, whatever its header's name:
// X-Request-Sig, X-Upstream-Pass, a random-shaped value under an ordinary
// name, a JWT in any header, and a bot token in the path (issue 31: diff
// printed every header value whose name was not on the credential list).
func TestDiffNeverEchoesSecrets(t *testing.T) {
	c := &canaries{}
	sig1, sig2, pass1, pass2, trace1, trace2, bot1, bot2, jwt1, jwt2 := c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next(), c.next()
	req := func(bot, sig, pass, trace, jwt string) string {
		return "POST https://api.telegram.org/bot123456789:" + bot + "/sendMessage HTTP/1.1\nHost: api.telegram.org\nX-Request-Sig: " + sig +
			"\nX-Upstream-Pass: " + pass + "\nX-Trace: " + trace + "\nX-Debug-Context: user " + jwtWith(jwt) + "\nUser-Agent: bot/1\n\n"
	}
	good := req(bot1, sig1, pass1, trace1, jwt1) + "HTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"ok\":true}"
	bad := req(bot2, sig2, pass2, trace2, jwt2) + "HTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}"
	rep, err := Diff([]byte(good), []byte(bad), DiffOptions{})
	require.NoError(t, err)
	var out strings.Builder
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	out.Write(b)
	require.NoError(t, rep.WriteText(&out, TextOptions{Verbose: true}))
	require.NoError(t, rep.WriteMarkdown(&out))
	for _, k := range c.list {
		assert.NotContains(t, out.String(), k[:len(k)-4], "a secret in the comparison")
	}
	assert.Greater(t, len(rep.Changes), 3, "%+v", rep.Changes)
	assert.Contains(t, out.String(), "x-trace", "the changes are there, their values fingerprinted")
}

// Each side is read through the analyzer's bounded reader, and a cut is
// said in the warnings, named by its side.
func TestDiffSaysWhenItCut(t *testing.T) {
	good := "HTTP/1.1 200 OK\nContent-Type: text/plain\n\nok\n"
	bad := "HTTP/1.1 403 Forbidden\nContent-Type: text/html\n\n" + strings.Repeat("<p>denied</p>\n", (2<<20)/14)
	rep, err := Diff([]byte(good), []byte(bad), DiffOptions{Limits: Limits{MemberBytes: 1 << 20}})
	require.NoError(t, err)
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "bad: the text input is larger than 1048576 bytes; only its start was read")
	assert.Equal(t, 403, rep.Bad.Status)
}
