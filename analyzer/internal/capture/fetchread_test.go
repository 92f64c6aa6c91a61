//go:build !slim

package capture

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const fetchCallText = `fetch("https://api.example.com/v1/items?q=caf\u00e9", {
  "headers": {
    "accept": "application/json",
    "authorization": "Bearer abc.def",
    "sec-ch-ua": "\"Chromium\";v=\"131\""
  },
  "body": "{\"name\":\"a\\\\b\"}",
  "method": "POST",
  "credentials": "include"
});
`

var fetchTests = []struct {
	name, in     string
	status       int
	reason       string
	header, body string
}{
	{name: "HTTP status line", in: fetchCallText + "\nHTTP/2 401\ncontent-type: application/json\n\n{\"error\":\"x\"}\n",
		status: 401, header: "content-type", body: `{"error":"x"}`},
	{name: "General block, one line", in: fetchCallText + "Request URL: https://api.example.com/v1/items\nRequest Method: POST\nStatus Code: 403 Forbidden\nRemote Address: 192.0.2.1:443\n\nResponse Headers (2)\ncontent-type: text/html\nserver: nginx\n\nResponse\n<h1>Forbidden</h1>\n",
		status: 403, reason: "Forbidden", header: "server", body: "<h1>Forbidden</h1>"},
	{name: "General block, two lines; request headers skipped", in: fetchCallText + "General\nRequest URL\nhttps://api.example.com/v1/items\nStatus Code\n429 Too Many Requests\nResponse Headers\nretry-after\n30\nRaw\nx-request-id: r1\nRequest Headers\nauthorization\nBearer abc.def\n\n{\"error\":\"slow down\"}\n",
		status: 429, reason: "Too Many Requests", header: "retry-after", body: `{"error":"slow down"}`},
	{name: "a note with the status", in: "// copied from DevTools\n" + fetchCallText + "\nResponse (status 403):\ncontent-type: application/json\n{\"message\":\"no\"}",
		status: 403, header: "content-type", body: `{"message":"no"}`},
}

func TestFetchPaste(t *testing.T) {
	for _, tt := range fetchTests {
		t.Run(tt.name, func(t *testing.T) {
			exs, format, err := ParseText([]byte(tt.in), DefaultLimits(), &Warnings{})
			require.NoError(t, err)
			require.Len(t, exs, 1)
			assert.Equal(t, "fetch", format)
			ex := exs[0]
			assert.Equal(t, FetchCopyNoCookie, ex.Producer, "credentials include, no cookie copied")
			req := ex.Request
			require.NotNil(t, req)
			assert.Equal(t, "POST", req.Method)
			assert.Equal(t, "https://api.example.com/v1/items?q=café", req.URL)
			assert.Equal(t, `"Chromium";v="131"`, req.Get("sec-ch-ua"))
			assert.Equal(t, "Bearer abc.def", req.Get("Authorization"))
			assert.Equal(t, `{"name":"a\\b"}`, string(req.Body))
			assert.Equal(t, tt.status, ex.Response.Status)
			assert.Equal(t, tt.reason, ex.Response.Reason)
			assert.NotEmpty(t, ex.Response.Get(tt.header))
			assert.Empty(t, ex.Response.Get("authorization"), "a request header read as a response header")
			assert.Equal(t, tt.body, string(ex.Response.Body))
		})
	}
}

// TestFetchPasteNot: what only looks like a fetch paste is read as before
// (or not at all), and a fetch call with no response says so.
func TestFetchPasteNot(t *testing.T) {
	_, _, err := ParseText([]byte(fetchCallText), DefaultLimits(), &Warnings{})
	require.ErrorIs(t, err, ErrRequestOnly)
	assert.Contains(t, err.Error(), `"Copy as fetch" request but no response`)
	for _, in := range []string{
		"We call fetch(\"https://x.example/a\", {}) and get:\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer\n\n",
		"fetch(url, opts) fails:\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer\n\n",
		"fetch('https://x.example/a')\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer\n\n",
		"HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer\n\nfetch(\"https://x.example/a\", {\"method\": \"POST\"});\n",
	} {
		exs, format, err := ParseText([]byte(in), DefaultLimits(), &Warnings{})
		require.NoError(t, err, in)
		assert.Equal(t, "raw", format, in)
		assert.Equal(t, 401, exs[0].Response.Status, in)
		assert.Nil(t, exs[0].Request, in)
	}
}

// TestFetchPasteHostile: unterminated strings, a huge headers object and
// deep nesting end in bounded time and memory, never a panic.
func TestFetchPasteHostile(t *testing.T) {
	lim := DefaultLimits()
	var many strings.Builder
	many.WriteString(`fetch("https://x.example/", {"headers": {`)
	for i := range 200000 {
		if i > 0 {
			many.WriteString(",")
		}
		many.WriteString(`"h` + strings.Repeat("x", i%7) + `": "v"`)
	}
	many.WriteString("}});\nStatus Code: 401\nwww-authenticate: Bearer\n")
	for name, in := range map[string]string{
		"unterminated URL":    `fetch("https://x.example/` + strings.Repeat(`\"`, 100000),
		"unterminated body":   `fetch("https://x.example/", {"body": "` + strings.Repeat("a", 1<<20) + "\nStatus Code: 401\n",
		"deep nesting":        `fetch("https://x.example/", {"headers": ` + strings.Repeat(`{"a":`, 200000) + "\nStatus Code: 401\n",
		"deep arrays":         `fetch("https://x.example/", ` + strings.Repeat("[", 1<<20) + ");\nStatus Code: 401\n",
		"many headers":        many.String(),
		"long body":           `fetch("https://x.example/", {"body": "` + strings.Repeat("b", 4<<20) + "\"});\nStatus Code: 401\n",
		"many comment lines":  strings.Repeat("// c\n", 100000) + fetchCallText,
		"two-line names only": fetchCallText + "Status Code: 401\n" + strings.Repeat("name\n", 200000),
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			exs, _, err := ParseText([]byte(in), lim, &Warnings{})
			for _, e := range exs {
				if r := e.Request; r != nil {
					assert.LessOrEqual(t, len(r.Fields), lim.HeaderFields)
					assert.LessOrEqual(t, len(r.Body), lim.BodyBytes)
				}
				assert.LessOrEqual(t, len(e.Response.Fields), lim.HeaderFields)
			}
			_ = err
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d) // a hang guard, not a timing assertion
			}
		})
	}
}

// FuzzFetchPaste targets the fetch paste reader, seeded with the fetch
// fixtures and the table above.
func FuzzFetchPaste(f *testing.F) {
	paths, _ := filepath.Glob("../../testdata/cases/devtools-fetch/*.txt")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, tt := range fetchTests {
		f.Add([]byte(tt.in))
	}
	f.Add([]byte(fetchCallText))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{BodyBytes: 4096, EntryBytes: 1 << 20, InputBytes: 4 << 20, Depth: 64}.WithDefaults()
		exs, _, err := ParseText(data, lim, &Warnings{})
		if err != nil {
			return
		}
		for _, e := range exs {
			if r := e.Request; r != nil && (len(r.Body) > lim.BodyBytes || len(r.Fields) > lim.HeaderFields) {
				t.Fatalf("request over the limits: body %d, %d fields", len(r.Body), len(r.Fields))
			}
			if len(e.Response.Body) > lim.BodyBytes || len(e.Response.Fields) > lim.HeaderFields {
				t.Fatalf("response over the limits: body %d, %d fields", len(e.Response.Body), len(e.Response.Fields))
			}
		}
	})
}
