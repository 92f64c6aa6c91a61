package detect

import (
	"why401/analyzer/internal/cases"

	"why401/analyzer/internal/knowledge"

	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"why401/analyzer/internal/capture"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// shippedPaths returns every distinct path of apis/*.json, sorted.
func shippedPaths(t testing.TB) []string {
	files, err := knowledge.APIs()
	require.NoError(t, err)
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
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
	for dir, names := range cases.Files(t, "../../testdata/cases") {
		for _, n := range names {
			if !cases.IsText(n) {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, n))
			require.NoError(t, err)
			exs, _, err := capture.ParseText(data, capture.Limits{}.WithDefaults(), &capture.Warnings{})
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

// knowledgeFiles returns every embedded knowledge file by name.
func knowledgeFiles(t testing.TB) map[string][]byte {
	out, err := knowledge.Files()
	require.NoError(t, err)
	return out
}

// generatedBodies: API error bodies of the shapes apis/*.json describe,
// with the corners gjson reads (duplicates, escaped keys, numbers, queries).
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

// TestAPIPaths: every path of apis/*.json finds its value in at least one
// fixture's or generated body, so a path mistyped in a file shows up here.
func TestAPIPaths(t *testing.T) {
	paths := shippedPaths(t)
	require.GreaterOrEqual(t, len(paths), 25)
	bodies := fixtureBodies(t)
	for _, g := range generatedBodies {
		bodies = append(bodies, []byte(g))
	}
	for _, p := range paths {
		found := false
		for _, b := range bodies {
			if gjson.ValidBytes(b) && gjson.GetBytes(b, p).Exists() {
				found = true
				break
			}
		}
		assert.True(t, found, "no fixture body has a value at %s", p)
	}
}

// TestKnowledgeUTF8: every knowledge file loads, and is UTF-8.
func TestKnowledgeUTF8(t *testing.T) {
	for name, data := range knowledgeFiles(t) {
		assert.NoError(t, decodeAll(map[string][]byte{name: data}))
		assert.True(t, utf8.Valid(data), "%s is not UTF-8", name)
	}
}

// TestKnowledgeDecodeErrors: an unknown key, a wrong type or malformed JSON
// fails, naming the file and the key (or the line and column).
func TestKnowledgeDecodeErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{"id":"x","nmae":"X"}`:                                   `vendors/x.json: json: unknown field "nmae"`,
		`{"id":"x","rules":[{"id":"a"},{"id":"b","wieght":0.5}]}`: `vendors/x.json: json: unknown field "wieght"`,
		`{"id":"x","rules":[{"id":"a","weight":"high"}]}`:         `vendors/x.json: json: cannot unmarshal string into Go struct field Rule.rules.weight of type float64`,
		`{"id":"x","rules":[{"id":"a","status":[403.5]}]}`:        `vendors/x.json: json: cannot unmarshal number 403.5 into Go struct field Rule.rules.status of type int`,
		`{"id":"x","rules":{"id":"a"}}`:                           `vendors/x.json: json: cannot unmarshal object into Go struct field VendorFile.rules of type []knowledge.Rule`,
		`{"id":7}`:                                                `vendors/x.json: json: cannot unmarshal number into Go struct field VendorFile.id of type string`,
		`{"id":"x","fixes":{"block":[{"title":"t","steps":["s"],"code":[{"lang":"go","txt":"x"}]}]}}`: `vendors/x.json: json: unknown field "txt"`,
		`{"id":"x","rules":[{"id":"a"},]}`:         `vendors/x.json:1:31: invalid character ']' looking for beginning of value`,
		"{\n  \"id\": \"x\",\n  \"name\": \"X\"\n": `vendors/x.json:4:1: unexpected end of JSON input`,
		`[]`:                  `vendors/x.json: json: cannot unmarshal array into Go value of type knowledge.VendorFile`,
		"{\"id\":\"\xff\"}":   `vendors/x.json: not UTF-8`,
		`{"id":"x"} trailing`: `vendors/x.json: trailing data after the top-level value`,
		`{"id":"x"} {}`:       `vendors/x.json: trailing data after the top-level value`,
	} {
		_, err := knowledge.DecodeVendorFile("vendors/x.json", []byte(in))
		if assert.Error(t, err, in) {
			assert.Equal(t, "analyzer: "+want, err.Error(), in)
		}
	}
	// null leaves a field at its zero value.
	f, err := knowledge.DecodeVendorFile("vendors/x.json", []byte(`{"id":"x","name":null,"rules":[{"id":"a","weight":null}]}`))
	require.NoError(t, err)
	assert.Equal(t, "", f.Name)
	assert.Equal(t, 0.0, f.Rules[0].Weight)

	_, err = knowledge.DecodeAPIFile("apis/x.json", []byte(`{"id":"x","errors":[{"id":"a","any":true}]}`))
	assert.EqualError(t, err, `analyzer: apis/x.json: json: unknown field "any"`)
	_, err = knowledge.DecodeGenericFixes("fixes.json", []byte(`{"kind":"auth"}`))
	assert.ErrorContains(t, err, `analyzer: fixes.json: json: cannot unmarshal object`)
}

// BenchmarkLoadKnowledge: decoding and compiling the embedded knowledge, the
// page's first-analysis cost (go test ./analyzer/internal/detect -run '^$' -bench LoadKnowledge).
func BenchmarkLoadKnowledge(b *testing.B) {
	b.Run("vendors", func(b *testing.B) {
		for b.Loop() {
			files, _ := knowledge.Vendors()
			if _, err := compileVendors(files); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("apis", func(b *testing.B) {
		for b.Loop() {
			files, _ := knowledge.APIs()
			entries := make([]*knowledge.APIEntry, len(files))
			for i := range files {
				entries[i] = &knowledge.APIEntry{ID: files[i].ID, Hosts: files[i].Hosts, Headers: files[i].Headers, Any: files[i].Any}
			}
			compileAPIs(entries)
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
			if _, err := knowledge.GenericFixes(); err != nil {
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
			_, err = knowledge.DecodeVendorFile(name, data)
		case strings.HasPrefix(name, "apis/"):
			_, err = knowledge.DecodeAPIFile(name, data)
		case name == "causes.json":
			_, err = knowledge.DecodeCauses(name, data)
		case name == "kinds.json":
			_, err = knowledge.DecodeKinds(name, data)
		case name == "words.json":
			_, err = knowledge.DecodeWordLists(name, data)
		default:
			_, err = knowledge.DecodeGenericFixes(name, data)
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
	var exs []capture.Exchange
	for _, n := range []string{"github-bad-credentials.http", "google-access-token-expired.http", "slack-invalid-auth-200.http", "openai-invalid-key-through-cloudflare.http", "salesforce-invalid-session.http"} {
		data, err := os.ReadFile(filepath.Join("../../testdata", "cases", "api", n))
		if err != nil {
			continue
		}
		xs, _, err := capture.ParseText(data, capture.Limits{}.WithDefaults(), &capture.Warnings{})
		if err == nil {
			exs = append(exs, xs...)
		}
	}
	if len(exs) < 3 {
		b.Fatal("fixtures missing")
	}
	if _, err := compiledAPIs(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range exs {
			apiSignals(&exs[i], bodyOf(&exs[i]))
		}
	}
}

// TestCausesVocabulary: causes.json loads, and every cause a vendor rule, an
// API error or a fix names is one of it (a label outside it would be dropped
// from the report).
func TestCausesVocabulary(t *testing.T) {
	list, err := knowledge.Causes()
	require.NoError(t, err)
	require.NotEmpty(t, list)
	known := func(c string) bool { return c == "" || knowledge.CauseByID(c) != nil }
	vendors, err := knowledge.Vendors()
	require.NoError(t, err)
	for _, v := range vendors {
		for _, r := range v.Rules {
			if r.Role == RolePresence {
				// A proxy provider's presence rule may carry a cause
				// (provider_error) that only chooses the provider's fixes;
				// the report shows no cause for it (proxyProviderSignals).
				continue
			}
			c := r.Cause
			if c == "" {
				c = r.Role // a rule's cause defaults to its role
			}
			assert.True(t, known(c), "vendors/%s.json rule %s: cause %q is not in causes.json", v.ID, r.ID, c)
		}
	}
	apis, err := knowledge.APIs()
	require.NoError(t, err)
	for _, f := range apis {
		for _, e := range f.Errors {
			assert.True(t, known(e.Cause), "apis/%s.json error %s: cause %q is not in causes.json", f.ID, e.ID, e.Cause)
		}
	}
	fixes, err := knowledge.GenericFixes()
	require.NoError(t, err)
	for i, f := range fixes {
		assert.True(t, known(f.Cause), "fixes.json entry %d: cause %q is not in causes.json", i, f.Cause)
	}
}
