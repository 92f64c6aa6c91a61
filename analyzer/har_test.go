package analyzer

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"why401/internal/shared"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// TestSharedCaptures reads the real HAR files of ../shared/captures (see
// internal/shared); it skips, saying so, where they are not.
func TestSharedCaptures(t *testing.T) {
	files := shared.Captures(t, "the real HAR files (Chrome, Firefox, Safari, Charles, Insomnia, mitmproxy) read entry for entry")
	producers := map[string]string{"chrome.har": "chrome", "firefox.har": "firefox", "safari.har": "safari", "charles.har": "charles",
		"insomnia.har": "insomnia", "with-bom.har": "chrome", "postdata.har": "chrome", "websocket.har": "mitmproxy", "successful_log.har": "mitmproxy"}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			rep, err := AnalyzeWith(data, Options{Name: name})
			if name == "brokenfile.har" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrHAR)
				return
			}
			require.NoError(t, err)
			entries := gjson.GetBytes(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), "log.entries.#").Int()
			require.Len(t, rep.Exchanges, int(entries), "one exchange per entry")
			assert.Equal(t, int(entries), rep.Input.Entries)
			assert.Equal(t, "har", rep.Input.Format)
			if p, ok := producers[name]; ok {
				assert.Equal(t, p, string(rep.Input.Producer))
			}
			for i, e := range rep.Exchanges {
				assert.Equal(t, i, e.Index)
				assert.NotEmpty(t, e.Verdict)
				assert.NotEmpty(t, e.Summary)
				status := gjson.GetBytes(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), "log.entries."+itoa(i)+".response.status").Int()
				assert.Equal(t, int(status), e.Status)
			}
			// The real captures hold no 401/403: nothing may be judged a bot block or an auth failure.
			for _, e := range rep.Exchanges {
				assert.NotContains(t, []Kind{KindBot, KindAuth, KindForbidden}, e.Verdict, "#%d %s", e.Index, e.Summary)
			}
			// The report is valid JSON that round-trips.
			b, err := json.Marshal(rep)
			require.NoError(t, err)
			var back Report
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, len(rep.Exchanges), len(back.Exchanges))
		})
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func harOf(entries ...string) []byte {
	return []byte(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":null,"entries":[` + strings.Join(entries, ",") + `]}}`)
}

func TestHARShapes(t *testing.T) {
	// Headers as objects, pairs, a map and "n: v" strings; status as a string; base64 bodies.
	entries := []string{
		`{"request":{"method":"GET","url":"https://a.example/1","headers":[{"name":"Accept","value":"*/*"}]},"response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Basic realm=\"a\""}],"content":{"mimeType":"text/plain","text":"bm8=","encoding":"base64"}}}`,
		`{"request":{"method":"GET","url":"https://a.example/2","headers":[["Accept","*/*"]]},"response":{"status":"403","headers":{"server":"cloudflare"},"content":{"text":"not base64 at all!","encoding":"base64"}}}`,
		`{"request":{"method":"GET","url":"https://a.example/3","headers":["Accept: */*"]},"response":{"status":0,"_error":"net::ERR_BLOCKED_BY_CLIENT","headers":[]}}`,
		`{"request":{"method":"GET","headers":[{"name":":authority","value":"h2.example"},{"name":":path","value":"/p"},{"name":":scheme","value":"https"}]},"response":{"status":200,"headers":[]}}`,
		`{"request":{"method":"GET","url":"https://a.example/5","headers":"wrong type","cookies":[{"name":"sid","value":"abcdef123456"}]},"response":{"status":1e9,"headers":null,"content":null}}`,
	}
	rep, err := Analyze(harOf(entries...))
	require.NoError(t, err)
	require.Len(t, rep.Exchanges, 5)
	assert.Equal(t, KindAuth, rep.Exchanges[0].Verdict)
	assert.Equal(t, "basic", string(rep.Exchanges[0].Scheme))
	assert.Equal(t, 403, rep.Exchanges[1].Status)
	assert.Equal(t, KindUnknown, rep.Exchanges[2].Verdict)
	assert.Contains(t, rep.Exchanges[2].Summary, "ERR_BLOCKED_BY_CLIENT")
	assert.Equal(t, "https://h2.example/p", rep.Exchanges[3].URL)
	assert.Equal(t, 0, rep.Exchanges[4].Status, "absurd status numbers read as 0")
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "base64")
}

func TestHARTruncated(t *testing.T) {
	full := harOf(
		`{"request":{"method":"GET","url":"https://a.example/1","headers":[]},"response":{"status":200,"headers":[]}}`,
		`{"request":{"method":"GET","url":"https://a.example/2","headers":[]},"response":{"status":401,"headers":[]}}`,
		`{"request":{"method":"GET","url":"https://a.example/3","headers":[]},"response":{"status":403,"headers":[]}}`,
	)
	// Cut at every byte: never a panic; either an error or a partial report
	// whose exchanges are complete entries, with a warning.
	for cut := 1; cut < len(full); cut++ {
		rep, err := Analyze(full[:cut])
		if err != nil {
			continue
		}
		assert.LessOrEqual(t, len(rep.Exchanges), 3)
		if len(rep.Exchanges) < 3 {
			assert.NotEmpty(t, rep.Warnings, "cut at %d: partial report without a warning", cut)
		}
	}
	rep, err := Analyze(full[:bytes.LastIndex(full, []byte(`{"request"`))+20])
	require.NoError(t, err)
	assert.Len(t, rep.Exchanges, 2)
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "2 complete entries were recovered")
}

func TestHARDeepNesting(t *testing.T) {
	deep := `{"log":{"entries":[{"request":` + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + `}]}}`
	_, err := Analyze([]byte(deep))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "too deep")
}

func TestHARGzipAndBOM(t *testing.T) {
	h := harOf(`{"request":{"method":"GET","url":"https://a.example/","headers":[]},"response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Bearer"}]}}`)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(append([]byte("\xef\xbb\xbf"), h...))
	zw.Close()
	rep, err := Analyze(gz.Bytes())
	require.NoError(t, err)
	require.Len(t, rep.Exchanges, 1)
	assert.Equal(t, KindAuth, rep.Exchanges[0].Verdict)
}

func TestHARLimits(t *testing.T) {
	lim := DefaultLimits()
	lim.Entries = 2
	lim.EntryBytes = 300
	big := `{"request":{"method":"GET","url":"https://a.example/` + strings.Repeat("x", 400) + `","headers":[]},"response":{"status":200,"headers":[]}}`
	small := `{"request":{"method":"GET","url":"https://a.example/","headers":[]},"response":{"status":200,"headers":[]}}`
	rep, err := AnalyzeWith(harOf(small, big, small, small), Options{Limits: lim})
	require.NoError(t, err)
	assert.Len(t, rep.Exchanges, 2)
	assert.Equal(t, 4, rep.Input.Entries)
	w := strings.Join(rep.Warnings, "\n")
	assert.Contains(t, w, "EntryBytes")
	assert.Contains(t, w, "limit Entries")
}

func TestNotHAR(t *testing.T) {
	for _, in := range []string{`{}`, `{"log": 5}`, `{"log": {"version": "1.2"}}`, `{"a": [1, 2, 3]}`} {
		_, err := Analyze([]byte(in))
		assert.ErrorIs(t, err, ErrHAR, in)
	}
	_, err := Analyze(nil)
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = Analyze([]byte("\x00\x01\x02\x03\x04\x05binary\x00\x00\x00\x00\x00"))
	assert.ErrorIs(t, err, ErrBinary)
}

func TestPlaywrightAPIRequest(t *testing.T) {
	rep, err := Analyze(harOf(`{"_apiRequest":{},"request":{"method":"GET","url":"https://api.example.com/v1/me","headers":[{"name":"user-agent","value":"Mozilla/5.0 Chrome/142.0.0.0"},{"name":"accept","value":"*/*"},{"name":"x-a","value":"b"}]},"response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Bearer"}]}}`))
	require.NoError(t, err)
	ids := map[string]bool{}
	for _, ev := range rep.Exchanges[0].Evidence {
		ids[ev.Signal] = true
	}
	assert.True(t, ids["playwright-api-request"], "evidence %v", ids)
	assert.False(t, ids["browser-ua-missing-headers"], "an API request is not expected to carry browser headers")
}
