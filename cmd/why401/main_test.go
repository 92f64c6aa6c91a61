package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const cases = "../../analyzer/testdata/cases/core"

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelpAndVersion(t *testing.T) {
	code, out, _ := runCLI(t, "", "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "Usage:")
	assert.Contains(t, out, "Examples:")
	assert.Contains(t, out, "--fail-on")
	code, out, _ = runCLI(t, "", "--version")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "why401 "))
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{{"--format", "yaml"}, {"--fail-on", "nope"}, {"--bogus"}, {"/no/such/file.har"}} {
		code, _, errOut := runCLI(t, "", args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.True(t, strings.HasPrefix(errOut, "why401: "), "%v: %q", args, errOut)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line on stderr: %q", errOut)
	}
}

func TestStdinAndFormats(t *testing.T) {
	paste := "HTTP/2 401\nwww-authenticate: Bearer realm=\"api\", error=\"invalid_token\"\n\n"
	for _, args := range [][]string{nil, {"-"}} {
		code, out, _ := runCLI(t, paste, args...)
		assert.Equal(t, 0, code)
		assert.Contains(t, out, "AUTH")
		assert.NotContains(t, out, "\x1b[", "no colour when stdout is not a terminal")
	}
	code, out, _ := runCLI(t, paste, "--format", "json")
	require.Equal(t, 0, code)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, "-", rep["input"].(map[string]any)["name"])
	code, out, _ = runCLI(t, paste, "--format", "markdown")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "## why401")
	assert.Contains(t, out, "**auth**")
}

func TestJSONLinesOverADirectory(t *testing.T) {
	code, out, errOut := runCLI(t, "", "--format", "json", cases)
	require.Equal(t, 0, code, errOut)
	files, _ := filepath.Glob(filepath.Join(cases, "*"))
	want := 0
	for _, f := range files {
		if isCapture(f) {
			want++
		}
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	n := 0
	for sc.Scan() {
		var rep struct {
			Input     struct{ Name, Format string }
			Exchanges []struct {
				Index   int
				Verdict string
			}
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rep), "line %d is not one JSON object", n+1)
		assert.NotEmpty(t, rep.Exchanges)
		n++
	}
	assert.Equal(t, want, n, "one line per capture")
}

func TestFailOn(t *testing.T) {
	challenge := filepath.Join(cases, "cloudflare-managed-challenge.http")
	ok := filepath.Join(cases, "ok-200.http")
	code, _, _ := runCLI(t, "", "--fail-on", "bot", challenge)
	assert.Equal(t, 1, code)
	code, _, _ = runCLI(t, "", "--fail-on", "auth,rate_limit", challenge)
	assert.Equal(t, 0, code)
	code, _, _ = runCLI(t, "", "--fail-on", "any", ok)
	assert.Equal(t, 0, code)
	code, _, _ = runCLI(t, "", "--fail-on", "any", ok, challenge)
	assert.Equal(t, 1, code)
}

func TestUnreadableInputNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.txt")
	require.NoError(t, os.WriteFile(junk, []byte("\x00\x01\x02\x03binary\x00\x00\x00\x00"), 0o644))
	good := filepath.Join(cases, "ok-200.http")
	code, out, errOut := runCLI(t, "", "--format", "json", junk, good)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "junk.txt")
	assert.Contains(t, errOut, "binary")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 2, "an error record for the junk, the good file still reported")
	assert.JSONEq(t, `{"input":"`+junk+`","error":"the input is binary data, not an HTTP capture or HAR"}`, lines[0])
	assert.Contains(t, lines[1], `"name":"`+good+`"`)
}

func TestOnlyProblems(t *testing.T) {
	in := filepath.Join(cases, "curl-i-redirect-then-401.txt")
	_, out, _ := runCLI(t, "", "--format", "json", "--only-problems", in)
	var rep struct{ Exchanges []struct{ Verdict string } }
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Len(t, rep.Exchanges, 1)
	assert.Equal(t, "auth", rep.Exchanges[0].Verdict)
}

// A key sent with no scheme word (or behind an unknown one) is never echoed
// as the scheme or any other label, in any output format (issue 20).
func TestRawKeyNeverALabel(t *testing.T) {
	const key, word, after = "sk_live_CLIrawKey7Hq2Kd9Js", "CLIword8Zx4Lm2", "CLIafter5Qp7Rt1"
	paste := "GET /v1/x HTTP/1.1\nHost: api.example.com\nAuthorization: " + key + "\n\nHTTP/1.1 401 Unauthorized\nContent-Type: application/json\n\n{\"error\":\"unauthorized\"}\n"
	paste2 := "GET /v1/y HTTP/1.1\nHost: api.example.com\nAuthorization: " + word + " " + after + "\n\nHTTP/1.1 429 Too Many Requests\nContent-Type: application/json\n\n{\"error\":\"quota exceeded\"}\n"
	for _, in := range []string{paste, paste2} {
		for _, f := range []string{"text", "json", "markdown"} {
			code, out, errOut := runCLI(t, in, "--format", f, "--verbose")
			require.Equal(t, 0, code, errOut)
			low := strings.ToLower(out)
			for _, secret := range []string{key, word, after} {
				assert.NotContains(t, low, strings.ToLower(secret[:len(secret)-4]), "%s output", f)
			}
		}
	}
	_, out, _ := runCLI(t, paste, "--format", "json")
	var rep struct {
		Exchanges []struct{ Scheme, Cause string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, "apikey", rep.Exchanges[0].Scheme)
	assert.Equal(t, "malformed_credentials", rep.Exchanges[0].Cause)
}
