package analyzer

import (
	"bytes"
	"embed"
	"encoding/json"
	"html"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// shippedPaths returns every distinct path of apis/*.json, sorted.
func shippedPaths(t testing.TB) []string {
	set, err := APIs()
	require.NoError(t, err)
	seen := map[string]bool{}
	var out []string
	for _, f := range set.list {
		for _, e := range f.Errors {
			if e.Path != "" && !seen[e.Path] {
				seen[e.Path] = true
				out = append(out, e.Path)
			}
		}
	}
	sort.Strings(out)
	return out
}

// fixtureBodies returns the response bodies of the text captures of every
// case group (the api group's JSON error bodies among them).
func fixtureBodies(t testing.TB) [][]byte {
	var out [][]byte
	for dir, names := range caseFiles(t) {
		for _, n := range names {
			if !isText(n) {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, n))
			require.NoError(t, err)
			exs, _, err := parseText(data, Limits{}.withDefaults(), &warnings{})
			if err != nil {
				continue
			}
			for _, ex := range exs {
				if len(ex.Response.Body) > 0 {
					out = append(out, ex.Response.Body)
				}
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}

// generatedBodies exercise the corners of the path subset: duplicates,
// escaped keys, numbers gjson reformats, query values of every type, scalars
// where an object is expected, top-level arrays.
var generatedBodies = []string{
	`{}`, `[]`, `null`, `0`, `"x"`, `true`, ` {"message":"a"} `,
	`{"message":"plain","error":"e","code":42,"errorCode":"E1","__type":"T","Message":"M","title":"t","detail":"d","reason":"r","details":"dd","error_description":"ed"}`,
	`{"message":null}`, `{"message":true}`, `{"message":false}`, `{"message":{"a":[1,2]}}`, `{"message":[1, "x" ,{}]}`,
	`{"code":1.0}`, `{"code":1e3}`, `{"code":-0}`, `{"code":-12}`, `{"code":0.1}`, `{"code":123456789012345678901234567890}`, `{"code":1E-7}`, `{"code":-1.5e300}`, `{"code":1e400}`,
	`{"mess\u0061ge":"escaped key"}`, `{"message":"esc \"q\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00 \ud800 \udc00x \u0000"}`,
	`{"message":"first","message":"second"}`,
	`{"error":"scalar","error":{"message":"nested after scalar"}}`,
	`{"error":{"code":1},"error":{"message":"second object"}}`,
	`{"error":{"message":"m","code":"C","type":"T","status":"S","reason":"R","errors":[{"reason":"x"}]}}`,
	`{"error":[{"message":"array, not object"}]}`,
	`{"errors":[{"code":"c0","message":"m0","extensions":{"code":"UNAUTHENTICATED"}},{"code":"c1"}]}`,
	`{"errors":[]}`, `{"errors":{}}`, `{"errors":"string"}`, `{"errors":{"0":{"code":"key zero"}}}`,
	`{"errors":[1,"two",null,true,[{"code":6003}],{"code":6003}]}`,
	`{"errors":[{"code":"6003"}]}`, `{"errors":[{"code":6003.0}]}`, `{"errors":[{"code":6003,"x":1}]}`, `{"errors":[{"x":1},{"code":9103,"message":"m"},{"code":9103}]}`,
	`{"errors":[{"code":true}]}`, `{"errors":[{"code":null}]}`, `{"errors":[{"code":[6003]}]}`, `{"errors":[{"code":{"v":6003}}]}`,
	`{"errors":[{"code":10000}],"errors":[{"code":6003}]}`,
	`{"errors":[{"code":6003}],"errors":[{"code":9109}]}`,
	`{"error":{"details":[{"reason":"ACCESS_TOKEN_EXPIRED"},{"reason":"CREDENTIALS_MISSING"}]}}`,
	`{"error":{"details":[{"reason":0}]}}`, `{"error":{"details":[{"@type":"x","reason":"ACCESS_TOKEN_TYPE_UNSUPPORTED","metadata":{}}]}}`,
	`{"error":{"details":[{"reason":"CREDENTIALS_MISSING"}]},"error":{"details":[{"reason":"ACCESS_TOKEN_EXPIRED"}]}}`,
	`{"error":{"details":[{"re\u0061son":"ACCESS_TOKEN_EXPIRED"}]}}`, `{"error":{"details":[{"reason":"ACCESS_TOKEN_\u0045XPIRED"}]}}`,
	`[{"errorCode":"INVALID_SESSION_ID","message":"Session expired"}]`, `[]`, `[1]`, `["x",{"message":"second"}]`, `[[{"errorCode":"nested"}]]`,
	`{"0":{"errorCode":"key zero","message":"m"}}`, `{"errorMessages":["first","second"]}`, `{"errorMessages":[]}`, `{"errorMessages":[null]}`,
	`{"error":{"errors":[{"reason":"authError"}]}}`, `{"error":{"errors":[]}}`,
	`{"errors":{"#(code==6003)":{"code":"query text as a key"}}}`, `{"error":{"details":{"#(reason==\"ACCESS_TOKEN_EXPIRED\")":{"reason":"k"}}}}`,
	"{\n\t\"message\" : \"spaced\" ,\r\n \"code\" : 7 }",
	`{"a":[{"b":{"c":[1,2,{"message":"deep"}]}}],"message":"top"}`,
	`{"message":"é ü 日本"}`, "{\"message\":\"raw \xff bytes\"}",
}

// gjsonText is what api.go computed before: gjson over a body it found valid.
func gjsonText(body []byte, path string) (string, bool) {
	if !gjson.ValidBytes(body) {
		return "", false
	}
	r := gjson.ParseBytes(body).Get(path)
	return r.String(), r.Exists()
}

func ourText(body []byte, p jsonPath) (string, bool) {
	if !validJSON(body) {
		return "", false
	}
	v := p.lookup(body)
	if v == nil {
		return "", false
	}
	return jsonText(v), true
}

// gjsonQuirk: gjson reads a path into a top-level string by looking for a
// bracket inside it; the subset gives such a body no members.
func gjsonQuirk(body []byte) bool {
	i := skipWS(body, 0)
	return i < len(body) && body[i] == '"' && bytes.ContainsAny(body, "{[")
}

func comparePaths(t testing.TB, body []byte, paths []string, compiled []jsonPath) int {
	t.Helper()
	valid := validJSON(body)
	if valid != gjson.ValidBytes(body) {
		t.Fatalf("valid %v, gjson.ValidBytes %v for %q", valid, !valid, body)
	}
	if gjsonQuirk(body) {
		return 0
	}
	hits := 0
	for i, p := range paths {
		ws, wok := gjsonText(body, p)
		s, ok := ourText(body, compiled[i])
		if ws != s || wok != ok {
			t.Fatalf("path %s on %q: got %q %v, gjson %q %v", p, body, s, ok, ws, wok)
		}
		if ok {
			hits++
		}
	}
	return hits
}

func compilePaths(t testing.TB, paths []string) []jsonPath {
	out := make([]jsonPath, len(paths))
	for i, p := range paths {
		jp, err := parseJSONPath(p)
		require.NoError(t, err, p)
		out[i] = jp
	}
	return out
}

// TestJSONPathMatchesGJSON: every path of apis/*.json gives gjson's answer
// (existence and String()) on every fixture body, on bodies written for the
// corners of the subset, and on random mutations of both.
func TestJSONPathMatchesGJSON(t *testing.T) {
	paths := shippedPaths(t)
	require.GreaterOrEqual(t, len(paths), 25)
	compiled := compilePaths(t, paths)
	bodies := fixtureBodies(t)
	for _, g := range generatedBodies {
		bodies = append(bodies, []byte(g))
	}
	hits, n := 0, 0
	for _, b := range bodies {
		hits += comparePaths(t, b, paths, compiled)
		n++
	}
	// Mutations: truncations, a byte dropped or doubled, a byte replaced by JSON punctuation.
	rng := rand.New(rand.NewSource(401))
	punct := []byte(`{}[],:"\ 0-.e`)
	for _, b := range bodies {
		if len(b) > 4096 {
			continue
		}
		for k := 0; k < 20; k++ {
			m := append([]byte(nil), b...)
			i := rng.Intn(len(m))
			switch k % 4 {
			case 0:
				m = m[:i]
			case 1:
				m = append(m[:i], m[i+1:]...)
			case 2:
				m = append(m[:i+1], m[i:]...)
			default:
				m[i] = punct[rng.Intn(len(punct))]
			}
			hits += comparePaths(t, m, paths, compiled)
			n++
		}
	}
	assert.Greater(t, hits, 100, "the bodies should exercise the paths")
	t.Logf("%d paths × %d bodies, %d matches agree with gjson", len(paths), n, hits)
}

// FuzzJSONPath: a fuzzed body against every shipped path, compared with gjson.
func FuzzJSONPath(f *testing.F) {
	paths := shippedPaths(f)
	compiled := compilePaths(f, paths)
	for _, g := range generatedBodies {
		f.Add([]byte(g))
	}
	for _, b := range fixtureBodies(f) {
		if len(b) < 2048 && looksJSONBytes(b) {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		comparePaths(t, body, paths, compiled)
	})
}

func looksJSONBytes(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// TestParseJSONPathRejects: syntax outside the subset fails at load time.
func TestParseJSONPathRejects(t *testing.T) {
	for _, p := range []string{
		"", ".a", "a.", "a..b", "a.*", "a?b", "a|b", "@reverse", "a.@this", "errors.#", "errors.#.code",
		`a\.b`, "a b", "errors.#(code>1).code", "errors.#(code!=1)", "errors.#(code)", "errors.#(code==1)#",
		`errors.#(code=="a\"b")`, `errors.#(code=="x)`, "errors.#(code==x)", "errors.#(code==1", "errors.#[code==1]",
		"errors.#(a.b==1)", "errors.#(code==1)x", "!true", "{a,b}", "[a,b]", "a.~b", "a.b$",
	} {
		_, err := parseJSONPath(p)
		if assert.Error(t, err, "%q", p) {
			assert.Contains(t, err.Error(), "supported", p)
		}
	}
	for _, p := range []string{"message", "errors.0.code", "0.errorCode", "errors.#(code==6003).code", `error.details.#(reason=="A.B (c)").reason`, "a-b.c_d.9"} {
		_, err := parseJSONPath(p)
		assert.NoError(t, err, p)
	}
}

// TestKnowledgeDecodeMatchesEncodingJSON: the hand-written decoder fills the
// same structs as encoding/json (strict) did, for every shipped file.
func TestKnowledgeDecodeMatchesEncodingJSON(t *testing.T) {
	strict := func(data []byte, v any) error {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		return dec.Decode(v)
	}
	files := 0
	for _, dir := range []string{"vendors", "apis"} {
		fsys := vendorFS
		if dir == "apis" {
			fsys = apiFS
		}
		entries, err := fsys.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			data, err := fsys.ReadFile(dir + "/" + e.Name())
			require.NoError(t, err)
			files++
			if dir == "vendors" {
				var want VendorFile
				require.NoError(t, strict(data, &want), e.Name())
				got, err := decodeVendorFile(dir+"/"+e.Name(), data)
				require.NoError(t, err)
				assert.Equal(t, want, got, e.Name())
			} else {
				var want APIFile
				require.NoError(t, strict(data, &want), e.Name())
				got, err := decodeAPIFile(dir+"/"+e.Name(), data)
				require.NoError(t, err)
				assert.Equal(t, want, got, e.Name())
			}
		}
	}
	var want []genericFix
	require.NoError(t, strict(fixesJSON, &want), "fixes.json has only known keys")
	got, err := decodeGenericFixes("fixes.json", fixesJSON)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Greater(t, files, 70)
}

// knowledgeFiles returns every embedded knowledge file by name.
func knowledgeFiles(t testing.TB) map[string][]byte {
	out := map[string][]byte{"fixes.json": fixesJSON}
	for dir, fsys := range map[string]embed.FS{"vendors": vendorFS, "apis": apiFS} {
		entries, err := fsys.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".json") {
				data, err := fsys.ReadFile(dir + "/" + e.Name())
				require.NoError(t, err)
				out[dir+"/"+e.Name()] = data
			}
		}
	}
	return out
}

// TestKnowledgeJSON: every knowledge file is valid JSON (the loader only
// says "malformed JSON"; this names the line and column) in UTF-8.
func TestKnowledgeJSON(t *testing.T) {
	for name, data := range knowledgeFiles(t) {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			line, col := 1, 1
			if se, ok := err.(*json.SyntaxError); ok {
				for _, c := range data[:se.Offset] {
					if c == '\n' {
						line, col = line+1, 1
					} else {
						col++
					}
				}
			}
			t.Errorf("%s:%d:%d: %v", name, line, col, err)
		}
		assert.True(t, validJSON(data), name)
		assert.True(t, utf8.Valid(data), "%s is not UTF-8", name)
	}
}

// TestKnowledgeDecodeErrors: an unknown key, a wrong type or malformed JSON
// fails, naming the file and the key.
func TestKnowledgeDecodeErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{"id":"x","nmae":"X"}`:                                   `vendors/x.json: top level: unknown key "nmae"`,
		`{"id":"x","rules":[{"id":"a"},{"id":"b","wieght":0.5}]}`: `vendors/x.json: rules[1]: unknown key "wieght"`,
		`{"id":"x","rules":[{"id":"a","weight":"high"}]}`:         `vendors/x.json: rules[0].weight: want a number`,
		`{"id":"x","rules":[{"id":"a","status":[403.5]}]}`:        `vendors/x.json: rules[0].status[0]: want an integer`,
		`{"id":"x","rules":[{"id":"a","gate":"yes"}]}`:            `vendors/x.json: rules[0].gate: want true or false`,
		`{"id":"x","rules":{"id":"a"}}`:                           `vendors/x.json: rules: want an array`,
		`{"id":7}`:                                                `vendors/x.json: id: want a string`,
		`{"id":"x","sources":["a",1]}`:                            `vendors/x.json: sources[1]: want a string`,
		`{"id":"x","fixes":{"block":[{"title":"t","steps":["s"],"code":[{"lang":"go","txt":"x"}]}]}}`: `vendors/x.json: fixes.block[0].code[0]: unknown key "txt"`,
		`{"id":"x","rules":[{"id":"a"},]}`:         `vendors/x.json: malformed JSON`,
		"{\n  \"id\": \"x\",\n  \"name\": \"X\"\n": `vendors/x.json: malformed JSON`,
		`[]`:                  `vendors/x.json: top level: want an object`,
		"{\"id\":\"\xff\"}":   `vendors/x.json: not UTF-8`,
		`{"id":"x"} trailing`: `vendors/x.json: malformed JSON`,
	} {
		_, err := decodeVendorFile("vendors/x.json", []byte(in))
		if assert.Error(t, err, in) {
			assert.Equal(t, "analyzer: "+want, err.Error(), in)
		}
	}
	// null leaves a field at its zero value, as encoding/json does.
	f, err := decodeVendorFile("vendors/x.json", []byte(`{"id":"x","name":null,"rules":[{"id":"a","weight":null}]}`))
	require.NoError(t, err)
	assert.Equal(t, "", f.Name)
	assert.Equal(t, 0.0, f.Rules[0].Weight)

	for in, want := range map[string]string{
		`{"id":"x","errors":[{"id":"a","any":true}]}`:              `apis/x.json: errors[0]: unknown key "any"`,
		`{"id":"x","any":"true"}`:                                  `apis/x.json: any: want true or false`,
		`{"id":"x","errors":[{"id":"a","fixes":[{"steps":"s"}]}]}`: `apis/x.json: errors[0].fixes[0].steps: want an array`,
	} {
		_, err := decodeAPIFile("apis/x.json", []byte(in))
		if assert.Error(t, err, in) {
			assert.Equal(t, "analyzer: "+want, err.Error(), in)
		}
	}
	for in, want := range map[string]string{
		`[{"kind":"auth","title":"t","steps":["s"],"need":["x"]}]`: `fixes.json: [0]: unknown key "need"`,
		`{"kind":"auth"}`: `fixes.json: top level: want an array`,
	} {
		_, err := decodeGenericFixes("fixes.json", []byte(in))
		if assert.Error(t, err, in) {
			assert.Equal(t, "analyzer: "+want, err.Error(), in)
		}
	}
}

// TestJSONUnquoteMatchesEncodingJSON: for valid UTF-8 strings, the
// unescaping of knowledge files equals encoding/json's.
func TestJSONUnquoteMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{`""`, `"plain"`, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\u65e5 \ud83d\ude00"`, `"\ud800x"`, `"\udc00"`, `"\ud800\u0041"`, `"é"`, `"\u0000"`} {
		var want string
		require.NoError(t, json.Unmarshal([]byte(s), &want), s)
		assert.Equal(t, want, stringValue([]byte(s)), s)
	}
}

// TestUnescapeEntitiesMatchesHTML: the references block pages use decode as
// html.UnescapeString decodes them.
func TestUnescapeEntitiesMatchesHTML(t *testing.T) {
	cases := []string{
		"", "plain", "18&#46;6f2d1402&#46;1700000000&#46;2a3b", "&#x2E;&#X2e;&#46", "&amp;&lt;&gt;&quot;&apos;&#39;&nbsp;",
		"&amp &lt &gt &quot &nbsp &apos", "&AMP;&LT;&GT;&QUOT;", "&ampx &ltfoo; &amp;amp;", "&#0;&#128;&#x9F;&#xD800;&#1114112;&#99999999999;",
		"&#;&#x;&#", "&#1", "&", "&&", "a&b", "&;", "&#38;#46;", "end&", "&#x1F600;", "&unknown;", "caf&#233;",
	}
	rng := rand.New(rand.NewSource(46))
	pieces := []string{"&#", "&#x", "&#X", "&", ";", "0", "1", "4", "9", "a", "F", " ", ".", "é", "<",
		"&amp", "&lt", "&gt", "&quot", "&apos", "&nbsp", "&AMP", "&QUOT"}
	for len(cases) < 20000 {
		var b strings.Builder
		for n := rng.Intn(8); n >= 0; n-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		if s := b.String(); onlyKnownNames(s) {
			cases = append(cases, s)
		}
	}
	for _, s := range cases {
		assert.Equal(t, html.UnescapeString(s), unescapeEntities(s), "%q", s)
	}
}

// onlyKnownNames: every named reference in s is one of the handful
// unescapeEntities knows, followed by a byte that cannot extend the name.
func onlyKnownNames(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '&' || i+1 >= len(s) || s[i+1] == '#' || s[i+1] == '&' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i+1 {
			continue
		}
		if namedEntity(s[i+1:j], true) == 0 {
			return false
		}
	}
	return true
}

// BenchmarkLoadKnowledge: decoding and compiling the embedded knowledge, the
// page's first-analysis cost (go test ./analyzer -run '^$' -bench LoadKnowledge).
func BenchmarkLoadKnowledge(b *testing.B) {
	b.Run("vendors", func(b *testing.B) {
		for b.Loop() {
			if _, err := compileVendors(vendorFS); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("apis", func(b *testing.B) {
		for b.Loop() {
			if _, err := compileAPIs(apiFS); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode-only", func(b *testing.B) {
		files := knowledgeFiles(b)
		for i := 0; i < b.N; i++ {
			if err := decodeAll(files); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fixes", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeGenericFixes("fixes.json", fixesJSON); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func decodeAll(files map[string][]byte) error {
	for name, data := range files {
		var err error
		switch {
		case strings.HasPrefix(name, "vendors/"):
			_, err = decodeVendorFile(name, data)
		case strings.HasPrefix(name, "apis/"):
			_, err = decodeAPIFile(name, data)
		default:
			_, err = decodeGenericFixes(name, data)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkAPISignals: the API catalog over JSON error bodies of the api
// fixtures (path lookups on a validated body).
func BenchmarkAPISignals(b *testing.B) {
	var exs []Exchange
	for _, n := range []string{"github-bad-credentials.http", "google-access-token-expired.http", "slack-invalid-auth-200.http", "openai-invalid-key-through-cloudflare.http", "salesforce-invalid-session.http"} {
		data, err := os.ReadFile(filepath.Join("testdata", "cases", "api", n))
		if err != nil {
			continue
		}
		xs, _, err := parseText(data, Limits{}.withDefaults(), &warnings{})
		if err == nil {
			exs = append(exs, xs...)
		}
	}
	if len(exs) < 3 {
		b.Fatal("fixtures missing")
	}
	if _, err := APIs(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range exs {
			apiSignals(&exs[i])
		}
	}
}
