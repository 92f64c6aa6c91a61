package detect

import (
	"why401/analyzer/internal/knowledge"

	"bytes"
	"errors"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"why401/analyzer/internal/capture"
	"why401/internal/shared"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// canonicalVendorIDs reads the vendor ids of antibot.md §4 ("Canonical vendor
// ids"), so that a vendor added to the knowledge file without a data file fails.
func canonicalVendorIDs(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(shared.Path(t, "knowledge/antibot.md", "every canonical vendor of antibot.md §4 has a vendors/*.json"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i := strings.Index(text, "## 4. Canonical vendor ids")
	require.GreaterOrEqual(t, i, 0, "antibot.md has no §4")
	text = text[i:]
	if j := strings.Index(text, "### Verdict conventions"); j > 0 {
		text = text[:j]
	}
	var ids []string
	for _, m := range regexp.MustCompile(`(?m)^\| ([a-z_0-9]+) \|`).FindAllStringSubmatch(text, -1) {
		if m[1] != "id" {
			ids = append(ids, m[1])
		}
	}
	require.NotEmpty(t, ids)
	return ids
}

// TestVendorsCompile: every vendor file decodes strictly, validates and
// compiles; ids are unique; every file names its public sources; every
// canonical vendor of antibot.md §4 has a file.
func TestVendorsCompile(t *testing.T) {
	set, err := compiledVendors()
	require.NoError(t, err)
	all, err := knowledge.Files()
	require.NoError(t, err)
	files := 0
	for name := range all {
		if strings.HasPrefix(name, "vendors/") {
			files++
		}
	}
	assert.Equal(t, files, len(set.list), "every vendors/*.json compiles into one vendor")
	assert.Equal(t, len(set.list), len(set.byID), "vendor ids are unique")
	for _, v := range set.list {
		assert.NotEmpty(t, v.Sources, "%s: sources", v.ID)
		for _, s := range v.Sources {
			assert.NotEmpty(t, strings.TrimSpace(s), "%s: empty source", v.ID)
		}
		assert.NotEmpty(t, v.Rules, "%s: rules", v.ID)
		for _, r := range v.Rules {
			if r.Role != RolePresence && v.Kind != "generic" {
				assert.NotEmpty(t, r.Explain, "%s/%s: a voting rule explains what it means", v.ID, r.ID)
				assert.NotEmpty(t, v.Fixes[r.Role], "%s/%s: no fixes for role %s", v.ID, r.ID, r.Role)
			}
			if r.Bodyless || r.Without != "" {
				assert.NotEqual(t, "body", r.Part, "%s/%s: bodyless and without are for header and cookie rules", v.ID, r.ID)
			}
			if r.Part == "body" && r.Role != RolePresence && r.Regex == "" {
				for _, w := range r.Words {
					// Anchored markers: a title, an element id, a path, a phrase — never a bare vendor word.
					assert.True(t, strings.ContainsAny(w, "<>/=._ #:!()'\"-") || strings.Count(w, " ") >= 2,
						"%s/%s: body word %q looks like a bare word; anchor it (title, id, path, phrase)", v.ID, r.ID, w)
				}
			}
		}
		for _, ref := range v.Reference {
			if ref.Part == "body" {
				assert.Contains(t, ref.Regex, "(", "%s: a body reference regex needs a group", v.ID)
			}
		}
		// The expressions compile on first use at run time: here, all of them.
		for _, r := range append(append([]*cRule{}, v.headerRules...), v.bodyRules...) {
			assert.NoError(t, r.re.Err(), "%s/%s: regex", v.ID, r.ID)
			assert.NoError(t, r.nameRe.Err(), "%s/%s: name_regex", v.ID, r.ID)
		}
		for _, c := range v.refs {
			if assert.NoError(t, c.re.Err(), "%s: reference %s: regex", v.ID, c.Label) {
				assert.GreaterOrEqual(t, c.re.NumSubexp(), 1, "%s: reference %s needs a regex whose first group is the id (its shape)", v.ID, c.Label)
			}
		}
	}
	t.Run("antibot.md", func(t *testing.T) {
		for _, id := range canonicalVendorIDs(t) {
			assert.NotNil(t, set.byID[id], "antibot.md §4 vendor %q has no vendors/%s.json", id, id)
		}
	})
	assert.GreaterOrEqual(t, len(set.list)-1, 40, "at least 40 vendors (plus generic)")
	for _, id := range captchaVendorIDs(t) {
		if v := set.byID[id]; assert.NotNil(t, v, id) {
			for _, r := range v.Rules {
				if r.Role != RolePresence && r.Part == "body" {
					refused := len(r.Status) > 0
					for _, st := range r.Status {
						refused = refused && st >= 400
					}
					assert.True(t, r.Gate || refused, "%s/%s: a widget marker counts only on a gate page or a refusal status", id, r.ID)
				}
			}
		}
	}
	// Counts for the record (go test ./analyzer/internal/detect -run TestVendorsCompile -v).
	roles := map[string]int{}
	for _, v := range set.list {
		for _, r := range v.Rules {
			roles[r.Role]++
		}
	}
	t.Logf("vendors: %d files (%d excluding generic); rules by role: %v", len(set.list), len(set.list)-1, roles)
}

func ruleOf(set *vendorSet, id string) *cRule {
	vid, rid, ok := strings.Cut(id, "/")
	if !ok {
		return nil
	}
	v := set.byID[vid]
	if v == nil {
		return nil
	}
	for _, r := range append(append([]*cRule{}, v.headerRules...), v.bodyRules...) {
		if r.ID == rid {
			return r
		}
	}
	return nil
}

// removeEvidence deletes what rule r matched from the exchange: the header
// lines, the Set-Cookie lines or Cookie pairs, or every occurrence of its body words.
func removeEvidence(r *cRule, ex *capture.Exchange) {
	dropFields := func(m *capture.Message, keep func(capture.Field) bool) {
		if m == nil {
			return
		}
		var fs []capture.Field
		for _, f := range m.Fields {
			if keep(f) {
				fs = append(fs, f)
			}
		}
		m.Fields = fs
	}
	switch r.Part {
	case "header":
		dropFields(&ex.Response, func(f capture.Field) bool { return !(r.nameOK(f.Name) && r.valueOK(f.Value)) })
	case "request.header":
		dropFields(ex.Request, func(f capture.Field) bool { return !(r.nameOK(f.Name) && r.valueOK(f.Value)) })
	case "cookie":
		dropFields(&ex.Response, func(f capture.Field) bool {
			if !strings.EqualFold(f.Name, "Set-Cookie") {
				return true
			}
			name, _, _ := strings.Cut(f.Value, "=")
			return !r.nameOK(strings.TrimSpace(name))
		})
	case "request.cookie":
		if ex.Request == nil {
			return
		}
		for i, f := range ex.Request.Fields {
			if !strings.EqualFold(f.Name, "Cookie") {
				continue
			}
			var keep []string
			for _, pair := range strings.Split(f.Value, ";") {
				name, _, _ := strings.Cut(strings.TrimSpace(pair), "=")
				if !r.nameOK(name) {
					keep = append(keep, strings.TrimSpace(pair))
				}
			}
			ex.Request.Fields[i].Value = strings.Join(keep, "; ")
		}
	case "reason":
		ex.Response.Reason = ""
	case "body":
		body := ex.Response.Body
		for _, w := range r.Words {
			re := regexp.MustCompile("(?i)" + regexp.QuoteMeta(w))
			body = re.ReplaceAll(body, nil)
		}
		ex.Response.Body = body
	}
	ex.Credentials = nil // the request may have changed: read it again
}

// TestBodyRulesUseSharedMatcher: every body word of every vendor is a pattern
// of the one Aho–Corasick matcher (so a body is scanned once, whatever the
// number of rules), and the matcher finds each of them case-insensitively.
func TestBodyRulesUseSharedMatcher(t *testing.T) {
	set, err := compiledVendors()
	require.NoError(t, err)
	words := 0
	for _, v := range set.list {
		for _, r := range v.bodyRules {
			require.Len(t, r.words, len(r.Words), "%s/%s", v.ID, r.ID)
			for i, p := range r.words {
				words++
				pr := set.pattern[p]
				assert.Same(t, r, pr.rule)
				assert.Equal(t, i, pr.word)
				hit := false
				theBodyCatalog().m.scan([]byte("xx "+strings.ToUpper(r.Words[i])+" xx"), func(q int) { hit = hit || q == p })
				assert.True(t, hit, "%s/%s: matcher misses %q", v.ID, r.ID, r.Words[i])
			}
		}
	}
	assert.Equal(t, words, len(set.pattern))
}

// BenchmarkVendorSignals runs every vendor file over a 200 KB HTML page that
// contains a few markers near its end (go test ./analyzer/internal/detect -bench VendorSignals -run '^$').
func BenchmarkVendorSignals(b *testing.B) {
	var body bytes.Buffer
	body.WriteString("<!DOCTYPE html><html><head><title>Catalogue</title></head><body>")
	for body.Len() < 200<<10 {
		body.WriteString(`<div class="card"><h2>Hand-made ceramic mug</h2><p>350 ml, dishwasher safe, glazed in five colours. <a href="/p/123">Details</a></p></div>` + "\n")
	}
	body.WriteString(`<script src="https://js.datadome.co/tags.js"></script><div class="g-recaptcha"></div></body></html>`)
	ex := &capture.Exchange{Response: capture.Message{Status: 403, Fields: []capture.Field{{Name: "Content-Type", Value: "text/html"}, {Name: "Server", Value: "cloudflare"}, {Name: "CF-RAY", Value: "8d2f1c3b5a7e9d01-AMS"}}, Body: body.Bytes()}}
	if _, err := compiledVendors(); err != nil {
		b.Fatal(err)
	}
	b.Run("vendorSignals", func(b *testing.B) {
		b.SetBytes(int64(len(ex.Response.Body)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			vendorSignals(ex, bodyOf(ex))
		}
	})
	b.Run("matcher-only", func(b *testing.B) {
		b.SetBytes(int64(len(ex.Response.Body)))
		for i := 0; i < b.N; i++ {
			theBodyCatalog().m.scan(ex.Response.Body, func(int) {})
		}
	})
}

// validate checks a vendor file against the format of vendors/README.md.
// The loader does not: the files are embedded, and TestVendorsValidate runs
// this over every one of them.
func validateVendor(f *knowledge.VendorFile, file string) error {
	bad := func(msg string) error {
		return errors.New("analyzer: vendors/" + file + ": " + msg)
	}
	if f.ID == "" || f.ID != strings.TrimSuffix(file, ".json") {
		return bad("id " + strconv.Quote(f.ID) + " must equal the file name")
	}
	if f.Name == "" {
		return bad("no name")
	}
	switch f.Kind {
	case "bot_management", "waf", "cdn", "captcha", "pow", "generic", "proxy":
	default:
		return bad("kind " + strconv.Quote(f.Kind) + " is not one of bot_management, waf, cdn, captcha, pow, generic, proxy")
	}
	if len(f.Sources) == 0 {
		return bad("no sources: every marker needs a public source")
	}
	ids := map[string]bool{}
	for _, r := range f.Rules {
		if r.ID == "" || ids[r.ID] {
			return bad("rule id " + strconv.Quote(r.ID) + " empty or repeated")
		}
		ids[r.ID] = true
		if _, ok := roleWeight[r.Role]; !ok {
			return bad("rule " + r.ID + ": role " + strconv.Quote(r.Role) + " is not presence, challenge, block, captcha or rate_limit")
		}
		switch r.Part {
		case "header", "cookie", "request.header", "request.cookie":
			if (r.Name == "") == (r.NameRe == "") {
				return bad("rule " + r.ID + ": part " + r.Part + " needs a name or a name_regex (not both)")
			}
		case "reason":
			if r.Name != "" || r.NameRe != "" || r.Equals == "" && r.Contains == "" && r.Regex == "" {
				return bad("rule " + r.ID + ": a reason rule has no name and needs equals, contains or regex")
			}
		case "body":
			if r.Name != "" || r.NameRe != "" || r.Prefix {
				return bad("rule " + r.ID + ": a body rule has no name")
			}
			if len(r.Words) == 0 {
				return bad("rule " + r.ID + ": a body rule needs words (regex alone would scan every body)")
			}
			for _, w := range r.Words {
				if len(w) < 4 {
					return bad("rule " + r.ID + ": word " + strconv.Quote(w) + " is too short to be a marker")
				}
			}
		default:
			return bad("rule " + r.ID + ": part " + strconv.Quote(r.Part) + " is not header, cookie, request.header, request.cookie, reason or body")
		}
		if r.Weight < 0 || r.Weight > 1 {
			return bad("rule " + r.ID + ": weight " + strconv.FormatFloat(r.Weight, 'g', -1, 64) + " is outside 0..1")
		}
	}
	for role := range f.Fixes {
		if _, ok := proxyCauses[role]; ok && (f.Kind == "proxy" || anyVendorCauses[role]) {
			continue // a scraping-proxy provider's own refusals, an origin's failure (status.go)
		}
		if slices.ContainsFunc(f.Rules, func(r knowledge.Rule) bool {
			_, votes := proxyCauses[r.Cause] // a presence rule that votes for its cause (status.go)
			return r.ID == role && (r.Role != RolePresence || votes)
		}) {
			continue // a voting rule's own fixes, shown before its role's
		}
		if _, ok := roleWeight[role]; !ok || role == RolePresence {
			return bad("fixes for " + strconv.Quote(role) + ": use challenge, block, captcha, rate_limit or the id of a voting rule")
		}
	}
	return nil
}

// TestVendorsValidate: every vendor file follows the format; validate
// catches the mistakes it is for.
func TestVendorsValidate(t *testing.T) {
	all, err := knowledge.Files()
	require.NoError(t, err)
	for name, data := range all {
		base, ok := strings.CutPrefix(name, "vendors/")
		if !ok {
			continue
		}
		f, err := knowledge.DecodeVendorFile(name, data)
		require.NoError(t, err)
		assert.NoError(t, validateVendor(&f, base))
	}
	good := `"name":"X","kind":"waf","sources":["https://x"]`
	for in, want := range map[string]string{
		`{"id":"y",` + good + `}`:                                 `id "y" must equal the file name`,
		`{"id":"x","name":"X","kind":"firewall","sources":["s"]}`: `kind "firewall" is not one of`,
		`{"id":"x","name":"X","kind":"waf"}`:                      `no sources`,
		`{"id":"x",` + good + `,"rules":[{"id":"a","role":"block","part":"header","name":"X"},{"id":"a","role":"block","part":"header","name":"Y"}]}`: `rule id "a" empty or repeated`,
		`{"id":"x",` + good + `,"rules":[{"id":"a","role":"deny","part":"header","name":"X"}]}`:                                                       `rule a: role "deny"`,
		`{"id":"x",` + good + `,"rules":[{"id":"a","role":"block","part":"header"}]}`:                                                                 `rule a: part header needs a name or a name_regex`,
		`{"id":"x",` + good + `,"rules":[{"id":"a","role":"block","part":"body","words":["abc"]}]}`:                                                   `rule a: word "abc" is too short`,
		`{"id":"x",` + good + `,"rules":[{"id":"a","role":"block","part":"body"}]}`:                                                                   `rule a: a body rule needs words`,
		`{"id":"x",` + good + `,"rules":[{"id":"a","role":"block","part":"reason"}]}`:                                                                 `rule a: a reason rule has no name`,
		`{"id":"x",` + good + `,"rules":[{"id":"a","role":"block","part":"footer","name":"X"}]}`:                                                      `rule a: part "footer" is not`,
		`{"id":"x",` + good + `,"rules":[{"id":"a","role":"block","part":"header","name":"X","weight":1.5}]}`:                                         `rule a: weight 1.5 is outside 0..1`,
		`{"id":"x",` + good + `,"fixes":{"presence":[]}}`:                                                                                             `fixes for "presence"`,
	} {
		f, err := knowledge.DecodeVendorFile("vendors/x.json", []byte(in))
		require.NoError(t, err, in)
		err = validateVendor(&f, "x.json")
		if assert.Error(t, err, in) {
			assert.Contains(t, err.Error(), "analyzer: vendors/x.json: "+want, in)
		}
	}
}

// captchaVendorIDs are the vendors whose file says "kind": "captcha".
func captchaVendorIDs(t *testing.T) []string {
	files, err := knowledge.Vendors()
	require.NoError(t, err)
	var out []string
	for _, f := range files {
		if f.Kind == "captcha" {
			out = append(out, f.ID)
		}
	}
	require.NotEmpty(t, out)
	return out
}
