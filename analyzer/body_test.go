package analyzer

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A refusal's long body keeps its end: block and challenge pages put their
// markers after a large inline image or stylesheet (Cloudflare's 2015 IUAM
// page: the jschl form at byte ~446,000 of ~447,000). A success's body keeps
// only its start, as before.
func TestLongBodyKeepsTail(t *testing.T) {
	filler := "<style>" + strings.Repeat("body{background:url(data:image/jpg;base64,AAAA)}", 12000) + "</style>"
	page := "<html><head><title>Loading... please wait 5 seconds</title>" + filler +
		"</head><body><form id=\"challenge-form\" action=\"/cdn-cgi/l/chk_jschl\" method=\"get\">" +
		"<input type=\"hidden\" name=\"jschl_vc\" value=\"89cd\"/><input type=\"hidden\" id=\"jschl-answer\" name=\"jschl_answer\"/></form></body></html>"
	require.Greater(t, len(page), DefaultLimits.BodyBytes)
	harOf := func(status int, body string) []byte {
		b, err := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "entries": []any{map[string]any{
			"request":  map[string]any{"method": "GET", "url": "https://site.example/", "headers": []any{}},
			"response": map[string]any{"status": status, "headers": []any{map[string]any{"name": "Content-Type", "value": "text/html"}}, "content": map[string]any{"mimeType": "text/html", "text": body}},
		}}}})
		require.NoError(t, err)
		return b
	}
	raw := func(status string, body string) []byte {
		return []byte("GET / HTTP/1.1\r\nHost: site.example\r\n\r\nHTTP/1.1 " + status + "\r\nContent-Type: text/html\r\n\r\n" + body)
	}
	for name, tc := range map[string]struct {
		in   []byte
		kind Kind
	}{
		"raw 503":              {raw("503 Service Unavailable", page), KindBot},
		"raw 503 one line":     {raw("503 Service Unavailable", strings.ReplaceAll(page, "\n", "")), KindBot},
		"HAR 503":              {harOf(503, page), KindBot},
		"HAR 503 with escapes": {harOf(503, strings.ReplaceAll(page, "AAAA)", "AA\"\\é\u2028)")), KindBot},
		"raw 200 keeps start":  {raw("200 OK", page), KindOK},
	} {
		t.Run(name, func(t *testing.T) {
			rep, err := AnalyzeWith(tc.in, Options{})
			require.NoError(t, err)
			require.Len(t, rep.Exchanges, 1)
			assert.Equal(t, tc.kind, rep.Exchanges[0].Verdict, rep.Exchanges[0].Summary)
			if tc.kind == KindBot {
				assert.EqualValues(t, "cloudflare", rep.Exchanges[0].Vendor)
				assert.Contains(t, strings.Join(rep.Warnings, "\n"), "only its start and its end were scanned")
			}
		})
	}
}

func TestHeadTail(t *testing.T) {
	lim := 16 * len(bodyCut) * 4
	body := bytes.Repeat([]byte("a"), 3*lim)
	copy(body[len(body)-3:], "END")
	out := headTail(body, body, lim)
	assert.LessOrEqual(t, len(out), lim)
	assert.True(t, bytes.HasSuffix(out, []byte("END")))
	assert.True(t, bytes.Contains(out, []byte(bodyCut)))
	assert.False(t, keepsTail(503, 16*len(bodyCut)-1), "a tiny limit keeps only the start")
	assert.False(t, keepsTail(200, DefaultLimits.BodyBytes))
}

// jsonStringSuffix never starts inside an escape.
func TestJSONStringSuffix(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("x", 100) + "tail",
		strings.Repeat(`\"`, 60) + "tail",
		strings.Repeat(`\u00e9`, 30) + "tail",
		strings.Repeat(`\\`, 70) + "tail",
	} {
		raw := []byte(`"` + s + `"`)
		got := jsonStringSuffix(raw, 20)
		var full string
		require.NoError(t, json.Unmarshal(raw, &full), s)
		assert.True(t, strings.HasSuffix(full, got), "%q is not a suffix of %q", got, full)
		assert.True(t, strings.HasSuffix(got, "tail"))
	}
	assert.Equal(t, "", jsonStringSuffix([]byte(`"`+strings.Repeat(`\\`, 6000)+`"`), 20), "a run of backslashes too long to tell")
}
