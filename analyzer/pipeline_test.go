package analyzer

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/detect"
	"why401/analyzer/internal/knowledge"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChallengeParamCap: 100,000 parameters are cut at the limit, quickly,
// and reported as truncated.
func TestChallengeParamCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("Bearer ")
	for i := 0; i < 100000; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("p" + strconv.Itoa(i) + `="v"`)
	}
	start := time.Now()
	chs, trunc := detect.ParseChallenges([]string{b.String()}, 64)
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.True(t, trunc)
	require.Len(t, chs, 1)
	assert.Len(t, chs[0].Params, 64)

	// The same cap holds across many fields and many bare challenges.
	fields := make([]string, 2000)
	for i := range fields {
		fields[i] = `Basic realm="r` + strconv.Itoa(i) + `"`
	}
	chs, trunc = detect.ParseChallenges(fields, 64)
	assert.True(t, trunc)
	n := 0
	for _, c := range chs {
		n += len(c.Params)
	}
	assert.LessOrEqual(t, n, 64)

	// Through the analyzer: a warning, and still an auth verdict.
	raw := "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: " + b.String() + "\r\n\r\n"
	rep, err := AnalyzeWith([]byte(raw), Options{})
	require.NoError(t, err)
	require.Len(t, rep.Exchanges, 1)
	assert.Equal(t, KindAuth, rep.Exchanges[0].Verdict)
	found := false
	for _, w := range rep.Warnings {
		found = found || strings.Contains(w, "ChallengeParams")
	}
	assert.True(t, found, "a truncation warning: %+v", rep.Warnings)
}

// TestNoSecretEcho: credentials appear only as fingerprints, in every output.
func TestNoSecretEcho(t *testing.T) {
	secrets := []string{
		"ghp_R4nd0mL00k1ngT0k3nF0rT3st1ngOnlyQqQq",
		"sk-proj-SecretValueThatMustNeverBeShown000000000000000000000",
		// a JWT {"alg":"RS256"}.{"exp":2026-11-24T09:58:20Z,"sub":"u"}.signature
		"eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3OTU1MTQzMDAsInN1YiI6InUifQ.c2lnbmF0dXJlLW5vdC1yZWFs",
		base64.StdEncoding.EncodeToString([]byte("alice:hunter2-very-secret")),
	}
	for i, sec := range secrets {
		header := "Authorization: Bearer " + sec
		if i == 3 {
			header = "Authorization: Basic " + sec
		}
		raw := fmt.Sprintf("GET /v1/me HTTP/1.1\r\nHost: api.github.com\r\n%s\r\n\r\nHTTP/1.1 401 Unauthorized\r\nDate: %s\r\nWWW-Authenticate: Bearer realm=\"x\", error=\"invalid_token\"\r\nContent-Type: application/json\r\n\r\n{\"message\":\"Bad credentials\"}", header, "Tue, 24 Nov 2026 10:00:00 GMT")
		rep, err := AnalyzeWith([]byte(raw), Options{})
		require.NoError(t, err)
		out, err := json.Marshal(rep)
		require.NoError(t, err)
		assert.NotContains(t, string(out), sec[:len(sec)-4], "secret %d leaked", i)
		if i == 3 {
			assert.NotContains(t, string(out), "hunter2")
		}
	}
}

// TestAPIUnrelatedHost: an API file bound to hosts never fires for another host,
// even with the same error body.
func TestAPIUnrelatedHost(t *testing.T) {
	raw := "GET /v1/things HTTP/1.1\r\nHost: api.example.com\r\n\r\nHTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n" +
		`{"error":{"code":"invalid_api_key","type":"invalid_request_error","message":"Incorrect API key provided"}}`
	rep, err := AnalyzeWith([]byte(raw), Options{})
	require.NoError(t, err)
	for _, ev := range rep.Exchanges[0].Evidence {
		assert.False(t, strings.HasPrefix(ev.Signal, "openai/"), "openai rule fired for api.example.com")
	}
}

// TestAPINoCrossMatch: on every capture of testdata/cases (all groups), an
// API file fires only if the capture's expect.json names it, or the capture
// is in the api/auth groups and the file matches on any host (generic OAuth,
// DRF, Vault). Keeps host and header markers specific.
func TestAPINoCrossMatch(t *testing.T) {
	files, err := knowledge.APIs()
	require.NoError(t, err)
	isAPI := map[string]bool{}
	anyHost := map[string]bool{}
	for _, f := range files {
		isAPI[f.ID] = true
		anyHost[f.ID] = f.Any
	}
	for dir, names := range caseFiles(t) {
		exp := loadExpect(t, dir)
		for _, name := range names {
			data, err := os.ReadFile(filepath.Join(dir, name))
			require.NoError(t, err)
			rep, err := AnalyzeWith(data, Options{Name: name})
			require.NoError(t, err)
			named := map[string]bool{}
			for _, id := range exp[name].Evidence {
				if api, _, ok := strings.Cut(id, "/"); ok {
					named[api] = true
				}
			}
			for _, x := range rep.Exchanges {
				for _, ev := range x.Evidence {
					api, _, ok := strings.Cut(ev.Signal, "/")
					if !ok || !isAPI[api] || named[api] {
						continue
					}
					if anyHost[api] && (strings.HasSuffix(dir, "api") || strings.HasSuffix(dir, "auth")) {
						continue
					}
					t.Errorf("%s/%s: API rule %s fired but the capture is not about %s", dir, name, ev.Signal, api)
				}
			}
		}
	}
}

func TestSummaryOnlyForCaptures(t *testing.T) {
	rep, err := Analyze([]byte("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n\r\n"))
	require.NoError(t, err)
	assert.Nil(t, rep.Summary)
	data, err := os.ReadFile("testdata/cases/story/block-onset.har")
	require.NoError(t, err)
	rep, err = Analyze(data)
	require.NoError(t, err)
	require.NotNil(t, rep.Summary)
	require.NotNil(t, rep.Summary.FirstBlock)
	assert.Equal(t, 8, rep.Summary.FirstBlock.Index)
	assert.Equal(t, 8, rep.Summary.FirstBlock.Before)
	assert.Equal(t, "2026-11-03T12:00:04Z", rep.Summary.FirstBlock.Time)
	assert.Contains(t, rep.Summary.Vendors, "cloudflare")
	var b strings.Builder
	require.NoError(t, rep.WriteText(&b, TextOptions{}))
	assert.Contains(t, b.String(), "first block: #8 on www.catalog.example")
	b.Reset()
	require.NoError(t, rep.WriteMarkdown(&b, false))
	assert.Contains(t, b.String(), "**Summary**")
}

func TestInsomniaCaveat(t *testing.T) {
	har := `{"log":{"version":"1.2","creator":{"name":"Insomnia REST Client","version":"insomnia.desktop.app:v2023.5.8"},"entries":[` +
		`{"startedDateTime":"2026-11-03T12:00:00.000Z","request":{"method":"GET","url":"https://api.example.com/v1/me","httpVersion":"HTTP/1.1","headers":[{"name":"Accept","value":"application/json"}]},` +
		`"response":{"status":403,"statusText":"Forbidden","httpVersion":"HTTP/1.1","headers":[{"name":"Content-Type","value":"text/html"}],"content":{"mimeType":"text/html","text":"<html><body>Access denied</body></html>"}}}]}}`
	rep, err := Analyze([]byte(har))
	require.NoError(t, err)
	require.NotNil(t, rep.Summary)
	assert.Contains(t, strings.Join(rep.Summary.Caveats, "\n"), "Insomnia")
	for _, ev := range rep.Exchanges[0].Evidence {
		if ev.Signal == "no-user-agent" {
			assert.Contains(t, ev.Text, "libcurl")
		}
	}
}

// The story and the summary keep facts, never credential values, and the
// report of a story fixture echoes none of its secrets.
func TestCaptureStateKeepsNoSecrets(t *testing.T) {
	canaries := []string{"opaque_at_7Hk2mQ9xLp4vR8sT1wZ3", "q8Zr4LmN2vX7pT0kW5yH3", "k3Jd8Qw2Lm5Zx9Rt4Vb7", "u7Tq2Wm9Ks4Lx8Pz3Nc6",
		"opaque_at_OLD_Lq3Xv8Wm2Rt6Yp4Nb9Kz", "opaque_at_NEW_Hs5Dk1Jf7Gp3Qa8Zc2Ve", "c2lnbmF0dXJlLW5vdC1yZWFsLWZpeHR1cmUtb25seQ"}
	for _, name := range []string{"redirect-dropped-auth", "cookie-host-only", "cookie-samesite", "cookie-expired", "refresh-not-used", "expired-token"} {
		data, err := os.ReadFile("testdata/cases/story/" + name + ".har")
		require.NoError(t, err)
		cs := newCaptureState()
		lim := capture.DefaultLimits()
		w := &capture.Warnings{}
		_, err = capture.ReadHAR(capture.NewJSONScanner(nil, data, lim), lim, w, func(ex capture.Exchange) { analyzeExchange(&ex, lim, w, cs) })
		require.NoError(t, err)
		state := fmt.Sprintf("%+v%+v", *cs.story, *cs.sum)
		for _, c := range canaries {
			assert.NotContains(t, state, c, "%s: the capture state kept a secret", name)
		}
		rep, err := AnalyzeWith(data, Options{})
		require.NoError(t, err)
		out := string(reportJSON(t, rep))
		for _, c := range canaries {
			assert.NotContains(t, out, c, "%s: the report echoes a secret", name)
		}
	}
}

// TestEveryAPIRuleFires: every error rule of every API file is evidence in
// at least one fixture's report (testdata/cases/rules-api holds one per rule
// that no other fixture exercises), so no rule is dead weight.
func TestEveryAPIRuleFires(t *testing.T) {
	files, err := knowledge.APIs()
	require.NoError(t, err)
	fired := map[string]bool{}
	for dir, names := range caseFiles(t) {
		for _, name := range names {
			data, err := os.ReadFile(filepath.Join(dir, name))
			require.NoError(t, err)
			rep, err := AnalyzeWith(data, Options{Name: name})
			if err != nil {
				continue
			}
			for _, x := range rep.Exchanges {
				for _, ev := range x.Evidence {
					fired[ev.Signal] = true
				}
			}
		}
	}
	for _, f := range files {
		for _, e := range f.Errors {
			assert.True(t, fired[f.ID+"/"+e.ID], "API rule %s/%s fires in no fixture (add one to testdata/cases/rules-api)", f.ID, e.ID)
		}
	}
}

// A refusal's long body keeps its end: block and challenge pages put their
// markers after a large inline image or stylesheet (Cloudflare's 2015 IUAM
// page: the jschl form at byte ~446,000 of ~447,000). A success's body keeps
// only its start, as before.
func TestLongBodyKeepsTail(t *testing.T) {
	filler := "<style>" + strings.Repeat("body{background:url(data:image/jpg;base64,AAAA)}", 12000) + "</style>"
	page := "<html><head><title>Loading... please wait 5 seconds</title>" + filler +
		"</head><body><form id=\"challenge-form\" action=\"/cdn-cgi/l/chk_jschl\" method=\"get\">" +
		"<input type=\"hidden\" name=\"jschl_vc\" value=\"89cd\"/><input type=\"hidden\" id=\"jschl-answer\" name=\"jschl_answer\"/></form></body></html>"
	require.Greater(t, len(page), DefaultLimits().BodyBytes)
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
