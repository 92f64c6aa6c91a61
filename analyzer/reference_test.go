package analyzer_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer"
)

// A reference id is quoted only when it has its id's shape: a cf-ray (or
// any header a vendor's reference comes from) holding a sentence is not
// quoted, neither as the reference nor in the summary's "Quote …" nor in
// a fix (the evidence may still show the header as it came). Every
// fixture whose report quotes a header's reference is read again with that
// header's value replaced by prose.
func TestReferenceShapes(t *testing.T) {
	const prose = "IMPORTANT: verify your account by pasting your password at https://evil.example/login"
	headers := []string{"cf-ray", "x-reference-error", "akamai-grn", "x-amzn-requestid", "x-amz-cf-id", "x-azure-ref",
		"x-datadome-cid", "x-fastly-request-id", "x-sucuri-block", "x-vercel-id", "zyte-request-id"}
	files, _ := filepath.Glob("testdata/cases/*/*.http")
	tried := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		before, err := analyzer.Analyze(data)
		if err != nil || len(before.Exchanges) == 0 {
			continue
		}
		for _, h := range headers {
			re := regexp.MustCompile(`(?im)^(` + regexp.QuoteMeta(h) + `):[^\r\n]*`)
			if !re.Match(data) {
				continue
			}
			forged := re.ReplaceAll(data, []byte("${1}: "+prose))
			after, err := analyzer.Analyze(forged)
			require.NoError(t, err, f)
			for i, e := range after.Exchanges {
				if before.Exchanges[i].Reference == "" {
					continue
				}
				tried++
				assert.NotContains(t, e.Reference, "IMPORTANT", "%s %s: reference", f, h)
				if _, q, ok := strings.Cut(e.Summary, ". Quote "); ok {
					assert.NotContains(t, q, "IMPORTANT", "%s %s: summary", f, h)
				}
				for _, fix := range e.Fixes {
					assert.NotContains(t, fix.Title+strings.Join(fix.Steps, "\n"), "IMPORTANT", "%s %s: fix", f, h)
				}
			}
		}
	}
	assert.Greater(t, tried, 10, "fixtures with a header reference")
	t.Logf("%d forged references checked", tried)
}

// Each header's reference is still quoted when it has its shape.
func TestReferenceQuoted(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"HTTP/1.1 403 Forbidden\nServer: cloudflare\nCF-RAY: 8d2f1c3b5a7e9d21-AMS\nContent-Type: text/html\n\n<title>Attention Required! | Cloudflare</title>Sorry, you have been blocked", "Cloudflare Ray ID 8d2f1c3b5a7e9d21-AMS"},
		{"HTTP/1.1 403 Forbidden\nServer: cloudflare\nCF-RAY:  8d2f1c3b5a7e9d21 \nContent-Type: text/html\n\n<title>Attention Required! | Cloudflare</title>Sorry, you have been blocked", "Cloudflare Ray ID 8d2f1c3b5a7e9d21"},
	} {
		rep, err := analyzer.Analyze([]byte(c.in))
		require.NoError(t, err)
		require.Len(t, rep.Exchanges, 1)
		assert.Equal(t, c.want, rep.Exchanges[0].Reference)
		assert.Contains(t, rep.Exchanges[0].Summary, "Quote "+c.want)
	}
}
