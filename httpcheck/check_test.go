package httpcheck

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// caseDir is the analyzer's fixture tree, reused here as live responses.
const caseDir = "../analyzer/testdata/cases"

// TestAnalyzeResponse sends each fixture's request (its Authorization,
// cookies, User-Agent) to a loopback server that replays the fixture's
// response, and analyses the live *http.Response.
func TestAnalyzeResponse(t *testing.T) {
	cases := []struct {
		file, url string
		verdict   Verdict
		cause     Cause
		action    Action
		vendor    string
		retry     time.Duration
	}{
		{"testdata/challenge.http", "https://shop.example/checkout", VerdictBot, CauseChallenge, RotateSession, "cloudflare", 0},
		{"testdata/bearer-expired.http", "https://api.example.com/v1/me", VerdictAuth, CauseExpiredToken, RefreshCredentials, "", 0},
		{"testdata/rate-limit.http", "https://api.example.com/v1/items", VerdictRateLimit, CauseRateLimit, SlowDown, "", 2 * time.Minute},
		{"testdata/forbidden.http", "https://api.example.com/v1/projects/7", VerdictForbidden, CauseInsufficientPermissions, Stop, "", 0},
		{"testdata/ok.http", "https://shop.example/", VerdictOK, "", None, "", 0},
		{caseDir + "/bot/cloudflare-turnstile-challenge.http", "http://shop.example/checkout", VerdictBot, CauseChallenge, RotateSession, "cloudflare", 0},
		{caseDir + "/bot/akamai-access-denied.http", "http://www.example.com/", VerdictBot, CauseBlock, RotateSession, "akamai", 0},
		{caseDir + "/auth/bearer-invalid-token.http", "http://api.example.com/v2/accounts/me", VerdictAuth, CauseInvalidCredentials, RefreshCredentials, "", 0},
		{caseDir + "/auth/basic-missing.http", "http://intranet.example.com/reports/weekly.csv", VerdictAuth, CauseMissingCredentials, RefreshCredentials, "", 0},
		{caseDir + "/auth/digest-stale-nonce.http", "http://www.example.org/dir/index.html", VerdictAuth, CauseStaleNonce, Retry, "", 0},
		{caseDir + "/api/github-scope-missing.http", "http://api.github.com/repos/acme/private/issues", VerdictForbidden, CauseInsufficientScope, Stop, "", 0},
		{caseDir + "/api/github-rate-limit-anonymous.http", "http://api.github.com/repos/golang/go/issues?per_page=100&page=7", VerdictRateLimit, CauseRateLimit, SlowDown, "", 0},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			f := loadFixture(t, c.file)
			_, tr := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { f.serve(w) }))
			c.url = strings.Replace(c.url, "https://", "http://", 1) // the loopback server speaks plain HTTP
			req, _ := http.NewRequest("GET", c.url, nil)
			req.Header = f.reqHeader.Clone()
			resp, err := (&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			res, err := AnalyzeResponse(resp)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			if !bytes.Equal(got, f.body) {
				t.Errorf("the caller read %d bytes, the server sent %d", len(got), len(f.body))
			}
			ex := res.Exchange
			if res.Verdict != c.verdict || res.Cause != c.cause || res.Action != c.action || string(ex.Vendor) != c.vendor {
				t.Errorf("got %s/%s/%s vendor %q, want %s/%s/%s vendor %q\n%s", res.Verdict, res.Cause, res.Action, ex.Vendor, c.verdict, c.cause, c.action, c.vendor, ex.Summary)
			}
			if c.retry != 0 && res.RetryAfter != c.retry {
				t.Errorf("RetryAfter %v, want %v", res.RetryAfter, c.retry)
			}
			if !strings.HasPrefix(ex.URL, c.url[:strings.Index(c.url[7:], "/")+7]) {
				t.Errorf("report URL %q, want the real scheme and host of %q", ex.URL, c.url)
			}
			// The analyzer's own golden verdict for the same capture agrees.
			if strings.HasPrefix(c.file, caseDir) {
				golden := strings.TrimSuffix(c.file, ".http") + ".golden.json"
				var g struct {
					Exchanges []struct{ Verdict, Cause string }
				}
				b, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(b, &g); err != nil {
					t.Fatal(err)
				}
				last := g.Exchanges[len(g.Exchanges)-1]
				if last.Verdict != string(res.Verdict) || last.Cause != string(res.Cause) {
					t.Errorf("live %s/%s, analyzer golden %s/%s", res.Verdict, res.Cause, last.Verdict, last.Cause)
				}
			}
		})
	}
}
