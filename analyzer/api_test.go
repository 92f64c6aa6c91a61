package analyzer

import (
	"encoding/json"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAPIsCompile: every file in apis/ decodes, validates and has a unique id.
func TestAPIsCompile(t *testing.T) {
	set, err := APIs()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(set.list), 30, "the catalog should cover at least 30 APIs")
	for _, f := range set.list {
		assert.NotEmpty(t, f.Errors, "%s: no errors", f.ID)
		for _, s := range f.Sources {
			assert.True(t, strings.HasPrefix(s, "https://"), "%s: source %q must be a public https URL", f.ID, s)
		}
		for _, e := range f.Errors {
			if e.Verdict == KindAuth || e.Verdict == KindForbidden {
				assert.NotEmpty(t, e.Scheme, "%s/%s: auth and forbidden rules name a scheme", f.ID, e.ID)
				assert.NotEmpty(t, e.Cause, "%s/%s: auth and forbidden rules name a cause", f.ID, e.ID)
			}
			if e.Verdict == KindAuth || e.Verdict == KindForbidden {
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
	set, err := APIs()
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join("testdata", "cases", "api", "expect.json"))
	require.NoError(t, err)
	var exp map[string]expectation
	require.NoError(t, json.Unmarshal(data, &exp))
	covered := map[string]bool{}
	for _, e := range exp {
		for _, id := range e.Evidence {
			if api, _, ok := strings.Cut(id, "/"); ok {
				covered[api] = true
			}
		}
	}
	for _, f := range set.list {
		assert.True(t, covered[f.ID], "apis/%s.json has no fixture in testdata/cases/api (an expect.json entry with evidence %q)", f.ID, f.ID+"/…")
	}
}

// TestEveryAPIRuleFires: every error rule of every API file is evidence in
// at least one fixture's report (testdata/cases/rules-api holds one per rule
// that no other fixture exercises), so no rule is dead weight.
func TestEveryAPIRuleFires(t *testing.T) {
	set, err := APIs()
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
	for _, f := range set.list {
		for _, e := range f.Errors {
			assert.True(t, fired[f.ID+"/"+e.ID], "API rule %s/%s fires in no fixture (add one to testdata/cases/rules-api)", f.ID, e.ID)
		}
	}
}

// TestAPIIdentifies checks host suffix and glob matching.
func TestAPIIdentifies(t *testing.T) {
	f := &APIFile{Hosts: []string{"api.github.com", ".slack.com", "*.execute-api.*.amazonaws.com"}}
	for host, want := range map[string]bool{
		"api.github.com": true, "evil-api.github.com": false, "x.api.github.com": true,
		"slack.com": true, "acme.slack.com": true, "notslack.com": false,
		"abc123.execute-api.us-east-1.amazonaws.com": true, "execute-api.us-east-1.amazonaws.com": false,
		"s3.amazonaws.com": false,
	} {
		ex := &Exchange{Request: &Message{URL: "https://" + host + "/x"}}
		assert.Equal(t, want, f.identifies(ex), host)
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
	set, err := APIs()
	require.NoError(t, err)
	isAPI := map[string]bool{}
	anyHost := map[string]bool{}
	for _, f := range set.list {
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

// validate checks an API file against the format of apis/README.md. The
// loader does not: the files are embedded, and TestAPIsValidate runs this
// over every one of them (the loader still refuses a path outside the subset).
func (f *APIFile) validate(file string) error {
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
		case KindAuth, KindForbidden, KindRateLimit, KindProxyAuth, KindOK, KindUnknown:
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
	}
	return nil
}

// TestAPIsValidate: every API file follows the format; validate catches the
// mistakes it is for, and the loader refuses a path outside the subset.
func TestAPIsValidate(t *testing.T) {
	entries, err := apiFS.ReadDir("apis")
	require.NoError(t, err)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := apiFS.ReadFile("apis/" + e.Name())
		require.NoError(t, err)
		f, err := decodeAPIFile("apis/"+e.Name(), data)
		require.NoError(t, err)
		assert.NoError(t, f.validate(e.Name()))
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
	} {
		f, err := decodeAPIFile("apis/x.json", []byte(in))
		require.NoError(t, err, in)
		err = f.validate("x.json")
		if assert.Error(t, err, in) {
			assert.Contains(t, err.Error(), "analyzer: apis/x.json: "+want, in)
		}
	}
}
