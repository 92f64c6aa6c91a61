package sanitize

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"why401/analyzer"
	"why401/analyzer/internal/capture"
	"why401/internal/weburl"
)

// h2Request is a request's header list as a Chrome export of an HTTP/2
// exchange writes it: the pseudo-headers :authority, :method, :path and
// :scheme first, then the fields with lower-case names.
func h2Headers(method, url string, fields []capture.Field) []map[string]any {
	scheme, host, path, _ := weburl.Split(url)
	if scheme == "" {
		scheme = "https"
	}
	if i := strings.IndexByte(path, '#'); i >= 0 {
		path = path[:i]
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	var out []map[string]any
	if host != "" {
		out = append(out, map[string]any{"name": ":authority", "value": host}, map[string]any{"name": ":method", "value": method},
			map[string]any{"name": ":path", "value": path}, map[string]any{"name": ":scheme", "value": scheme})
	}
	for _, f := range fields {
		if strings.EqualFold(f.Name, "host") {
			continue // HTTP/2 has :authority instead
		}
		out = append(out, map[string]any{"name": strings.ToLower(f.Name), "value": f.Value})
	}
	return out
}

// h2FromText is a text capture's exchanges as a Chrome HTTP/2 HAR.
func h2FromText(t *testing.T, data []byte) []byte {
	var w capture.Warnings
	exs, _, err := capture.ParseText(data, capture.DefaultLimits(), &w)
	if err != nil {
		return nil
	}
	var entries []any
	for _, ex := range exs {
		req := map[string]any{"method": "GET", "url": "", "httpVersion": "h2", "headers": []any{}}
		if r := ex.Request; r != nil {
			url := r.URL
			if strings.HasPrefix(url, "/") {
				if h := r.Get("Host"); h != "" {
					url = "https://" + h + url
				}
			}
			req = map[string]any{"method": r.Method, "url": url, "httpVersion": "h2", "headers": h2Headers(r.Method, url, r.Fields)}
			if len(r.Body) > 0 {
				req["postData"] = map[string]any{"mimeType": r.Get("Content-Type"), "text": string(r.Body)}
			}
		}
		var rh []map[string]any
		for _, f := range ex.Response.Fields {
			rh = append(rh, map[string]any{"name": strings.ToLower(f.Name), "value": f.Value})
		}
		content := map[string]any{"size": len(ex.Response.Body), "mimeType": ex.Response.Get("Content-Type")}
		if b := ex.Response.Body; len(b) > 0 {
			if utf8.Valid(b) {
				content["text"] = string(b)
			} else {
				content["text"], content["encoding"] = base64.StdEncoding.EncodeToString(b), "base64"
			}
		}
		entries = append(entries, map[string]any{"startedDateTime": "2026-11-03T12:00:00.000Z", "time": 1, "request": req,
			"response": map[string]any{"status": ex.Response.Status, "statusText": "", "httpVersion": "h2", "headers": rh, "content": content}})
	}
	out, err := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]any{"name": "WebInspector", "version": "537.36"}, "entries": entries}})
	require.NoError(t, err)
	return out
}

// h2FromHAR rewrites a HAR's entries in the HTTP/2 form (pseudo-headers,
// lower-case names, httpVersion h2).
func h2FromHAR(t *testing.T, data []byte) []byte {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if dec.Decode(&doc) != nil {
		return nil
	}
	log, _ := doc["log"].(map[string]any)
	entries, _ := log["entries"].([]any)
	for _, e := range entries {
		entry, _ := e.(map[string]any)
		req, _ := entry["request"].(map[string]any)
		resp, _ := entry["response"].(map[string]any)
		if req == nil || resp == nil {
			continue
		}
		method, _ := req["method"].(string)
		url, _ := req["url"].(string)
		var fs []capture.Field
		hs, _ := req["headers"].([]any)
		for _, h := range hs {
			if m, ok := h.(map[string]any); ok {
				n, _ := m["name"].(string)
				v, _ := m["value"].(string)
				if !strings.HasPrefix(n, ":") {
					fs = append(fs, capture.Field{Name: n, Value: v})
				}
			}
		}
		req["headers"], req["httpVersion"], resp["httpVersion"] = h2Headers(method, url, fs), "h2", "h2"
		if rhs, ok := resp["headers"].([]any); ok {
			for _, h := range rhs {
				if m, ok := h.(map[string]any); ok {
					if n, ok := m["name"].(string); ok {
						m["name"] = strings.ToLower(n)
					}
				}
			}
		}
	}
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

func inflated(data []byte, name string) []byte {
	var r io.Reader
	switch {
	case strings.HasSuffix(name, ".gz"):
		r, _ = gzip.NewReader(bytes.NewReader(data))
	case strings.HasSuffix(name, ".zhar"):
		r, _ = zlib.NewReader(bytes.NewReader(data))
	default:
		return data
	}
	if r == nil {
		return nil
	}
	b, _ := io.ReadAll(r)
	return b
}

// A sanitized copy analyses to the same verdicts in the form Chrome exports
// HTTP/2 traffic in (issue 31: :authority was redacted, and its echoes
// replaced every host name, so every such export analysed differently):
// every case fixture, text ones as HARs, and the real captures beside the
// repository, with :authority, :method, :path and :scheme first and
// lower-case header names.
func TestSanitizeKeepsVerdictsHTTP2(t *testing.T) {
	var files []string
	for _, pat := range []string{"../testdata/cases/*/*.har", "../testdata/cases/*/*.har.gz", "../testdata/cases/*/*.zhar", "../testdata/cases/*/*.http", "../testdata/cases/*/*.txt", "../../../shared/captures/*.har"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		data = inflated(data, f)
		var h2 []byte
		if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
			h2 = h2FromHAR(t, data)
		} else {
			h2 = h2FromText(t, data)
		}
		if h2 == nil {
			continue
		}
		before, err := analyzer.Analyze(h2)
		if err != nil || len(before.Exchanges) == 0 {
			continue
		}
		out, _, err := Capture(h2, Options{})
		require.NoError(t, err, f)
		after, err := analyzer.Analyze(out)
		require.NoError(t, err, f)
		sameVerdicts(t, f+" (HTTP/2 HAR)", before, after)
		n++
	}
	require.Greater(t, n, 400)
	t.Logf("%d captures in the HTTP/2 form sanitized with unchanged verdicts", n)
}
