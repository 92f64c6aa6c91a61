package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const diffCases = "../../analyzer/testdata/diff"

func TestDiffCommand(t *testing.T) {
	good, bad := filepath.Join(diffCases, "user-agent", "good.http"), filepath.Join(diffCases, "user-agent", "bad.http")
	code, out, errOut := runCLI(t, "", "diff", good, bad)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Most likely: bot managers score the User-Agent first")
	assert.Contains(t, out, "failed: python-requests/2.32.3")

	// Flags after the files, JSON.
	code, out, errOut = runCLI(t, "", "diff", good, bad, "-f", "json")
	require.Equal(t, 0, code, errOut)
	var rep struct {
		Bad struct {
			Verdict, Vendor string
		}
		Changes []struct{ Kind, Name string }
		Likely  int
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, "bot", rep.Bad.Verdict)
	assert.Equal(t, "cloudflare", rep.Bad.Vendor)
	require.NotEmpty(t, rep.Changes)
	assert.Equal(t, "user-agent", rep.Changes[0].Name)

	// Markdown, and the bad capture from standard input.
	data, err := os.ReadFile(bad)
	require.NoError(t, err)
	code, out, errOut = runCLI(t, string(data), "diff", "--format", "markdown", good, "-")
	require.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasPrefix(out, "## What changed"), out)

	// HAR entries picked by URL and by index.
	code, out, errOut = runCLI(t, "", "diff", "--url", "/v1/products", filepath.Join(diffCases, "rate", "good.har"), filepath.Join(diffCases, "rate", "bad.har"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "#45 GET https://api.shop.example/v1/products?page=46 → 429")
	code, out, errOut = runCLI(t, "", "diff", "--good-index", "2", "--bad-index", "45", filepath.Join(diffCases, "rate", "good.har"), filepath.Join(diffCases, "rate", "bad.har"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "rate/good.har #2 GET")
}

func TestDiffCommandErrors(t *testing.T) {
	good := filepath.Join(diffCases, "user-agent", "good.http")
	rateGood, rateBad := filepath.Join(diffCases, "rate", "good.har"), filepath.Join(diffCases, "rate", "bad.har")
	truncated := filepath.Join(t.TempDir(), "truncated.har")
	require.NoError(t, os.WriteFile(truncated, []byte(`{"log":{"entries":[`), 0o644))
	for name, tc := range map[string]struct {
		args []string
		msg  string
	}{
		"one input":     {[]string{"diff", good}, "give two captures"},
		"missing file":  {[]string{"diff", good, "nope.har"}, "nope.har: no such file"},
		"both stdin":    {[]string{"diff", "-", "-"}, "only one of the two"},
		"unknown flag":  {[]string{"diff", "--bogus", good, good}, "unknown flag: --bogus"},
		"bad format":    {[]string{"diff", "-f", "table", good, good}, "--format is text, json or markdown"},
		"no such index": {[]string{"diff", "--bad-index", "9", good, good}, "why401 diff: --bad-index 9 is out of range: " + good + " holds 1 exchange, #0\n"},
		"no such good index": {[]string{"diff", "--good-index", "999", "--bad-index", "45", rateGood, rateBad},
			"why401 diff: --good-index 999 is out of range: " + rateGood + " holds 3 exchanges, #0 to #2\n"},
		"negative index": {[]string{"diff", "--bad-index=-2", good, good}, "--bad-index -2: an index is #0 or more"},
		"no such URL": {[]string{"diff", "--url", "/nowhere", rateGood, rateBad},
			"why401 diff: " + rateBad + ": no exchange's URL contains \"/nowhere\" (the capture holds 46 exchanges)\n"},
		"unreadable HAR": {[]string{"diff", good, truncated},
			"why401 diff: " + truncated + ": unreadable HAR: the file ends in the middle of the JSON\n"},
		"a directory": {[]string{"diff", good, diffCases}, "is a directory"},
		// Read through the bounded reader: refused as binary at its first
		// bytes (it was read whole first: out of memory).
		"endless input": {[]string{"diff", "/dev/zero", good}, "/dev/zero: the input is binary"},
	} {
		if strings.HasPrefix(tc.args[1], "/dev/") && runtime.GOOS != "linux" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			code, _, errOut := runCLI(t, "", tc.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, errOut, tc.msg)
			assert.NotContains(t, errOut, "analyzer:")
			assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
		})
	}
	code, out, _ := runCLI(t, "", "diff", "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "why401 diff GOOD BAD")
}
