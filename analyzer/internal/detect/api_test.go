package detect

import (
	"why401/analyzer/internal/cases"

	"why401/analyzer/internal/knowledge"

	"encoding/json"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"why401/analyzer/internal/capture"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAPIsCompile: every file in apis/ decodes, validates and has a unique id.
func TestAPIsCompile(t *testing.T) {
	files, err := knowledge.APIs()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 30, "the catalog should cover at least 30 APIs")
	for _, f := range files {
		assert.True(t, len(f.Errors) > 0 || len(f.Messages) > 0, "%s: no errors and no messages", f.ID)
		for _, m := range f.Messages {
			if m.Verdict == knowledge.KindAuth || m.Verdict == knowledge.KindForbidden {
				assert.NotEmpty(t, m.Scheme, "%s/%s: auth and forbidden message rules name a scheme", f.ID, m.ID)
				assert.NotEmpty(t, m.Cause, "%s/%s: auth and forbidden message rules name a cause", f.ID, m.ID)
			}
		}
		for _, s := range f.Sources {
			assert.True(t, strings.HasPrefix(s, "https://"), "%s: source %q must be a public https URL", f.ID, s)
		}
		for _, e := range f.Errors {
			if e.Verdict == knowledge.KindAuth || e.Verdict == knowledge.KindForbidden {
				assert.NotEmpty(t, e.Scheme, "%s/%s: auth and forbidden rules name a scheme", f.ID, e.ID)
				assert.NotEmpty(t, e.Cause, "%s/%s: auth and forbidden rules name a cause", f.ID, e.ID)
			}
			if e.Verdict == knowledge.KindAuth || e.Verdict == knowledge.KindForbidden {
				assert.NotEmpty(t, e.Fixes, "%s/%s: auth and forbidden rules carry a fix", f.ID, e.ID)
			}
			if f.Any {
				// Rules that match on any host must be specific: an exact value or a body literal.
				assert.True(t, e.Equals != "" || e.Prefix != "" || e.Body != "" || e.Header != "", "%s/%s: an any-host rule needs an exact condition", f.ID, e.ID)
			}
		}
	}
}

// TestAPIFixtures fails when an API file has no capture in testdata/cases/api
// whose expect.json entry names one of its signals ("<apiid>/<error id>").
func TestAPIFixtures(t *testing.T) {
	set, err := compiledAPIs()
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join("../../testdata", "cases", "api", "expect.json"))
	require.NoError(t, err)
	var exp map[string]cases.Expectation
	require.NoError(t, json.Unmarshal(data, &exp))
	covered := map[string]bool{}
	for _, e := range exp {
		for _, id := range e.Evidence {
			id = strings.TrimPrefix(id, SigServerMessage+"/") // an API file's message rule
			if api, _, ok := strings.Cut(id, "/"); ok {
				covered[api] = true
			}
		}
	}
	for _, f := range set.list {
		assert.True(t, covered[f.ID], "apis/%s.json has no fixture in testdata/cases/api (an expect.json entry with evidence %q)", f.ID, f.ID+"/…")
	}
}

// TestAPIIdentifies checks host suffix and glob matching.
func TestAPIIdentifies(t *testing.T) {
	f := &knowledge.APIEntry{Hosts: []string{"api.github.com", ".slack.com", "*.execute-api.*.amazonaws.com"}}
	for host, want := range map[string]bool{
		"api.github.com": true, "evil-api.github.com": false, "x.api.github.com": true,
		"slack.com": true, "acme.slack.com": true, "notslack.com": false,
		"abc123.execute-api.us-east-1.amazonaws.com": true, "execute-api.us-east-1.amazonaws.com": false,
		"s3.amazonaws.com": false,
	} {
		ex := &capture.Exchange{Request: &capture.Message{URL: "https://" + host + "/x"}}
		assert.Equal(t, want, identifiesHost(f, ex.Host()), host)
	}
}

// validate checks an API file against the format of apis/README.md. The
// loader does not: the files are embedded, and TestAPIsValidate runs this
// over every one of them (the loader still refuses a path outside the subset).
func validateAPI(f *knowledge.APIFile, file string) error {
	bad := func(msg string) error {
		return errors.New("analyzer: apis/" + file + ": " + msg)
	}
	if f.ID == "" || f.ID != strings.TrimSuffix(file, ".json") {
		return bad("id " + strconv.Quote(f.ID) + " must equal the file name")
	}
	if f.Name == "" || len(f.Sources) == 0 {
		return bad("name and sources are required")
	}
	if len(f.Hosts) == 0 && len(f.Headers) == 0 && !f.Any {
		return bad("give hosts, headers or any: true")
	}
	for _, h := range f.Hosts {
		if _, err := path.Match(h, "x"); err != nil || h == "" || h == "*" {
			return bad("host " + strconv.Quote(h) + " is not a valid suffix or glob")
		}
	}
	ids := map[string]bool{}
	for _, e := range f.Errors {
		if e.ID == "" || ids[e.ID] {
			return bad("error id " + strconv.Quote(e.ID) + " empty or repeated")
		}
		ids[e.ID] = true
		switch e.Verdict {
		case knowledge.KindAuth, knowledge.KindForbidden, knowledge.KindRateLimit, knowledge.KindProxyAuth, knowledge.KindOK, knowledge.KindUnknown:
		default:
			return bad("error " + e.ID + ": verdict " + strconv.Quote(string(e.Verdict)))
		}
		if e.Path == "" && e.Header == "" && e.Body == "" {
			return bad("error " + e.ID + ": needs a path, header or body condition")
		}
		if e.Explain == "" {
			return bad("error " + e.ID + ": explain is required")
		}
		if e.Weight < 0 || e.Weight > 1 {
			return bad("error " + e.ID + ": weight outside 0..1")
		}
		for _, sc := range append(append([]string(nil), e.RequestSent...), e.RequestNotSent...) {
			switch sc {
			case "aws4", "apikey", "bearer", "basic", "digest", "ntlm", "negotiate", "dpop":
			default:
				return bad("error " + e.ID + ": request_sent scheme " + strconv.Quote(sc))
			}
		}
	}
	return nil
}

// TestAPIsValidate: every API file follows the format; validate catches the
// mistakes it is for, and the loader refuses a path outside the subset.
func TestAPIsValidate(t *testing.T) {
	all, err := knowledge.Files()
	require.NoError(t, err)
	for name, data := range all {
		base, ok := strings.CutPrefix(name, "apis/")
		if !ok {
			continue
		}
		f, err := knowledge.DecodeAPIFile(name, data)
		require.NoError(t, err)
		assert.NoError(t, validateAPI(&f, base))
	}
	good := `"name":"X","sources":["https://x"],"any":true`
	for in, want := range map[string]string{
		`{"id":"y",` + good + `}`:                `id "y" must equal the file name`,
		`{"id":"x","name":"X","any":true}`:       `name and sources are required`,
		`{"id":"x","name":"X","sources":["s"]}`:  `give hosts, headers or any: true`,
		`{"id":"x",` + good + `,"hosts":["*"]}`:  `host "*" is not a valid suffix or glob`,
		`{"id":"x",` + good + `,"hosts":["[a"]}`: `host "[a" is not a valid suffix or glob`,
		`{"id":"x",` + good + `,"errors":[{"id":"a","verdict":"auth","path":"x","explain":"e"},{"id":"a","verdict":"auth","path":"x","explain":"e"}]}`: `error id "a" empty or repeated`,
		`{"id":"x",` + good + `,"errors":[{"id":"a","verdict":"denied","path":"x","explain":"e"}]}`:                                                    `error a: verdict "denied"`,
		`{"id":"x",` + good + `,"errors":[{"id":"a","verdict":"auth","explain":"e"}]}`:                                                                 `error a: needs a path, header or body condition`,
		`{"id":"x",` + good + `,"errors":[{"id":"a","verdict":"auth","path":"x"}]}`:                                                                    `error a: explain is required`,
		`{"id":"x",` + good + `,"errors":[{"id":"a","verdict":"auth","path":"x","explain":"e","weight":2}]}`:                                           `error a: weight outside 0..1`,
		`{"id":"x",` + good + `,"errors":[{"id":"a","verdict":"auth","path":"x","explain":"e","request_sent":["sigv4"]}]}`:                             `error a: request_sent scheme "sigv4"`,
	} {
		f, err := knowledge.DecodeAPIFile("apis/x.json", []byte(in))
		require.NoError(t, err, in)
		err = validateAPI(&f, "x.json")
		if assert.Error(t, err, in) {
			assert.Contains(t, err.Error(), "analyzer: apis/x.json: "+want, in)
		}
	}
}

// TestNextBoundary: the quota windows' next boundary after a response's
// Date (ParamRule.Next): the next minute, 00:00 UTC, and midnight Pacific
// Time in winter (UTC-8) and in summer (UTC-7), and across the DST change.
func TestNextBoundary(t *testing.T) {
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	for _, c := range []struct{ date, next, want string }{
		{"2026-12-07T15:09:44Z", "minute", "2026-12-07T15:10:00Z"},
		{"2026-12-07T15:42:10Z", "utc-day", "2026-12-08T00:00:00Z"},
		{"2026-12-07T15:09:44Z", "pacific-day", "2026-12-08T08:00:00Z"},
		{"2026-12-08T07:59:59Z", "pacific-day", "2026-12-08T08:00:00Z"},
		{"2026-07-01T06:30:00Z", "pacific-day", "2026-07-01T07:00:00Z"},
		{"2026-07-01T07:30:00Z", "pacific-day", "2026-07-02T07:00:00Z"},
		{"2026-03-08T12:00:00Z", "pacific-day", "2026-03-09T07:00:00Z"}, // DST began 2026-03-08 10:00 UTC
		{"2026-10-31T12:00:00Z", "pacific-day", "2026-11-01T07:00:00Z"}, // midnight still PDT
		{"2026-11-01T12:00:00Z", "pacific-day", "2026-11-02T08:00:00Z"}, // PST again
	} {
		require.Equal(t, at(c.want), nextBoundary(at(c.date), c.next), "%s %s", c.date, c.next)
	}
}
