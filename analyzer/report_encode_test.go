package analyzer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appendJSONStd is what Report.AppendJSON was before encode.go, and the
// reference it must equal byte for byte: encoding/json's Encoder with
// SetEscapeHTML(false), its newline dropped.
func appendJSONStd(b []byte, r Report) []byte {
	buf := bytes.NewBuffer(b)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return AppendJSONError(b, "analyzer: report: "+err.Error())
	}
	out := buf.Bytes()
	return out[:len(out)-1]
}

func assertSameJSON(t testing.TB, r Report) {
	t.Helper()
	want := string(appendJSONStd([]byte("prefix"), r))
	got := string(r.AppendJSON([]byte("prefix")))
	if got != want {
		t.Fatalf("AppendJSON differs from encoding/json\n got: %q\nwant: %q", got, want)
	}
	for i := range r.Exchanges {
		e := &r.Exchanges[i]
		if math.IsInf(e.Confidence, 0) || math.IsNaN(e.Confidence) {
			continue
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(e))
		std := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if got := string(e.AppendJSON([]byte("p"))); got != "p"+string(std) {
			t.Fatalf("ExchangeReport.AppendJSON differs from encoding/json\n got: %q\nwant: %q", got, "p"+string(std))
		}
	}
}

// escapes holds a string of each escape class encoding/json knows.
var escapes = func() []string {
	var ascii []byte
	for c := 0; c < 0x80; c++ {
		ascii = append(ascii, byte(c))
	}
	return []string{
		"",
		"plain text",
		`quote " and backslash \ and slash /`,
		string(ascii), // every control byte 0x00-0x1f, 0x7f and all of printable ASCII
		"\b\f\n\r\t\x00\x01\x1f\x7f",
		"<script>a && b</script>",
		"line\u2028separator\u2029paragraph",
		"invalid \xff\xfe utf-8 \xe2\x80 cut \xed\xa0\x80 surrogate \xc0\xaf overlong",
		"multi-byte é ß 中文 — …",
		"emoji 😀 👍🏽 \U0001F1EB\U0001F1F7",
		"\u2027\u202a\u00a0\ufeff\ufffd", // neighbours of the escaped runes, not escaped
	}
}()

// everywhere puts s in every string of a report: plain strings, OptStrings,
// Kinds and map keys, with every slice, map and pointer set.
func everywhere(s string, conf float64) Report {
	return Report{
		SchemaVersion: SchemaVersion,
		Exchanges: []ExchangeReport{{
			Index: 3, Method: s, URL: "https://x/" + s, Status: 401, Verdict: Kind(s), Confidence: conf,
			Vendor: OptString(s), Scheme: OptString(s + "b"), Cause: Cause(s), Reference: s, Time: s, Summary: s,
			Evidence: []Evidence{{Signal: s, Where: s, Text: s, Entry: intp(1)}, {Signal: s}},
			Fixes: []Fix{{Title: s, Steps: []string{s, s + "!"}, Code: []Snippet{{Lang: s, Text: s}}},
				{Title: s}},
		}},
		Input:    InputInfo{Name: s, Format: s, Producer: OptString(s), Entries: 1},
		Warnings: []string{s},
		Summary: &Summary{
			Hosts: []HostSummary{{Host: s, Requests: 2,
				Status: map[string]int{s: 1, "401": 2}, Verdicts: map[string]int{s: 3, "auth": 4}}},
			Vendors:      []string{s},
			FirstFailure: &FailureInfo{Index: 1, Verdict: Kind(s), Cause: Cause(s), Summary: s, RootEntry: intp(0), Root: s},
			FirstBlock:   &BlockInfo{Index: 2, Host: s, Vendor: s, Time: s, Before: 5},
			Sanitized:    true,
			Caveats:      []string{s},
		},
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	cases := map[string]Report{
		"zero": {},
		"empty slices": {Exchanges: []ExchangeReport{}, Warnings: []string{},
			Summary: &Summary{Hosts: []HostSummary{}, Vendors: []string{}, Caveats: []string{}}},
		"nil inside": {Exchanges: []ExchangeReport{{}}, Summary: &Summary{Hosts: []HostSummary{{}}}},
		"empty inside": {
			Exchanges: []ExchangeReport{{Evidence: []Evidence{}, Fixes: []Fix{{Steps: []string{}, Code: []Snippet{}}}}},
			Summary: &Summary{Hosts: []HostSummary{{Status: map[string]int{}, Verdicts: map[string]int{}}},
				FirstFailure: &FailureInfo{}, FirstBlock: &BlockInfo{}},
		},
		"maps": {Summary: &Summary{Hosts: []HostSummary{{Host: "a", Requests: -7,
			Status:   map[string]int{"500": 1, "200": 30, "401": 2, "0": 4, "1000": 5, "": 6, "é": 7, "Z": 8, "a": 9},
			Verdicts: map[string]int{"unknown": 1, "auth": 2, "bot": 3, "ok": 4, "rate_limit": 5, "proxy_auth": 6, "forbidden": 7}}}}},
		"ints": {SchemaVersion: math.MaxInt, Input: InputInfo{Entries: math.MinInt},
			Exchanges: []ExchangeReport{{Index: -1, Status: 999999, Evidence: []Evidence{{Entry: intp(0)}, {Entry: intp(-3)}}}}},
	}
	for i, s := range escapes {
		cases[fmt.Sprintf("escapes %d", i)] = everywhere(s, 0.5)
	}
	for _, c := range []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 0.123456789, 1e-7, -1e-7, 1e-6, 9.99e-7, 1e20, 1e21, -1e21, 1.5e300,
		5e-324, math.MaxFloat64, 1.0 / 3, 100, 123456789012345678} {
		cases[fmt.Sprintf("confidence %g", c)] = everywhere("x", c)
	}
	for _, c := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		r := everywhere("x", 0.5)
		r.Exchanges = append(r.Exchanges, ExchangeReport{Confidence: c})
		cases[fmt.Sprintf("confidence %g", c)] = r
	}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) { assertSameJSON(t, r) })
	}
	assert.Equal(t, `{"error":"analyzer: report: json: unsupported value: NaN"}`,
		string(Report{Exchanges: []ExchangeReport{{Confidence: math.NaN()}}}.AppendJSON(nil)))
}

// fill sets every exported field reachable from v to a value that is not
// zero (slices and maps of two and three elements, pointers set), noting
// each struct type in seen. A kind it does not know fails the test: teach
// it, and encode.go, the new field.
func fill(t *testing.T, v reflect.Value, n *int, seen map[reflect.Type]bool) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(escapes[*n%len(escapes)] + fmt.Sprint(*n)) // never empty
	case reflect.Int:
		v.SetInt(int64(*n))
	case reflect.Float64:
		v.SetFloat(float64(*n) / 7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), n, seen)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range v.Len() {
			fill(t, v.Index(i), n, seen)
		}
	case reflect.Map:
		require.Equal(t, reflect.String, v.Type().Key().Kind(), "map key of %s", v.Type())
		v.Set(reflect.MakeMap(v.Type()))
		for range 3 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(t, k, n, seen)
			fill(t, e, n, seen)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		seen[v.Type()] = true
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), n, seen)
			}
		}
	default:
		t.Fatalf("fill: kind %s (%s) unknown: teach fill and encode.go", v.Kind(), v.Type())
	}
}

// TestAppendJSONEveryField fills every field of every type in a report by
// reflection: a field added to a struct that encode.go does not write (or
// writes wrongly) shows as a difference from encoding/json.
func TestAppendJSONEveryField(t *testing.T) {
	seen := map[reflect.Type]bool{}
	for start := range len(escapes) {
		var r Report
		n := start
		fill(t, reflect.ValueOf(&r).Elem(), &n, seen)
		assertSameJSON(t, r)
	}
	for _, x := range []any{Report{}, ExchangeReport{}, Evidence{}, InputInfo{}, Summary{}, HostSummary{},
		FailureInfo{}, BlockInfo{}, Fix{}, Snippet{}, Reference{}, ServerMessage{}} {
		assert.True(t, seen[reflect.TypeOf(x)], "%T filled", x)
	}
	assert.Len(t, seen, 12, "struct types in a report: %v", seen)
}

// TestAppendJSONGoldens: each golden report under testdata, read back,
// gives its own bytes (compacted) again.
func TestAppendJSONGoldens(t *testing.T) {
	eachGolden(t, func(p string, data []byte, r Report) {
		var want bytes.Buffer
		require.NoError(t, json.Compact(&want, data), p)
		assert.Equal(t, want.String(), string(r.AppendJSON(nil)), p)
		assertSameJSON(t, r)
	})
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("plain", "<a & b>", "\u2028\x00\xff", 0.5)
	f.Add("", "", "", 0.0)
	f.Add("\"\\", "😀", "\t\n", 1e-7)
	f.Add("x", "y", "z", 1e21)
	f.Add("x", "y", "z", math.Inf(1))
	f.Fuzz(func(t *testing.T, a, b, c string, conf float64) {
		r := everywhere(a, conf)
		e := &r.Exchanges[0]
		e.Summary, e.Vendor, e.Time = b, OptString(c), c
		e.Evidence[1].Text = strings.Repeat(c, 3)
		r.Summary.Hosts[0].Status[b] = 9
		r.Summary.Hosts[0].Status[c] = 10
		r.Summary.FirstBlock.Vendor = c
		r.Input.Producer = OptString(b)
		assertSameJSON(t, r)
	})
}

// benchReport is a capture's report of n exchanges as the analyzer gives
// them: URL, summary, three pieces of evidence, two fixes with steps.
func benchReport(n int) Report {
	r := Report{SchemaVersion: SchemaVersion, Exchanges: make([]ExchangeReport, 0, n), Warnings: []string{},
		Input: InputInfo{Name: "capture.har", Format: "har", Producer: "chrome", Entries: n}}
	for i := range n {
		e := ExchangeReport{Index: i, Method: "GET", URL: fmt.Sprintf("https://api.example.com/v2/users/%d/orders?page=3&token=[masked:sha256:1f3a]", i),
			Status: 200, Verdict: KindOK, Confidence: 0.95, Time: "2024-05-01T12:00:00.123Z",
			Summary:  "OK: HTTP 200, the request succeeded.",
			Evidence: []Evidence{}, Fixes: []Fix{}}
		if i%3 == 0 {
			e.Status, e.Verdict, e.Confidence = 401, KindAuth, 0.85
			e.Vendor, e.Scheme, e.Cause = "auth0", "bearer", "token_expired"
			e.Summary = `Authentication failure (by Auth0, bearer): the access token has expired. Evidence: WWW-Authenticate: Bearer error="invalid_token", error_description="The access token expired".`
			e.Evidence = []Evidence{
				{Signal: "www-authenticate", Where: "response header WWW-Authenticate", Text: `Bearer realm="api", error="invalid_token", error_description="The access token expired"`},
				{Signal: "jwt-expired", Where: "request header Authorization", Text: "the JWT's exp (2024-05-01T11:00:00Z) is 1 h before the request"},
				{Signal: "earlier-refresh", Where: "entry 12", Text: "a token refresh failed before this request", Entry: intp(12)},
			}
			e.Fixes = []Fix{
				{Title: "Refresh the access token", Steps: []string{"Call the token endpoint with your refresh token.", "Retry the request with the new access token.", "Refresh ahead of expiry: the token's exp says when."},
					Code: []Snippet{{Lang: "curl", Text: "curl -X POST https://example.auth0.com/oauth/token -d grant_type=refresh_token -d refresh_token=$REFRESH"}}},
				{Title: "Check the clock", Steps: []string{"A clock that runs fast makes fresh tokens look expired: sync it (NTP)."}},
			}
		}
		r.Exchanges = append(r.Exchanges, e)
	}
	r.Summary = &Summary{Hosts: []HostSummary{{Host: "api.example.com", Requests: n, Status: map[string]int{"200": n - n/3, "401": n / 3},
		Verdicts: map[string]int{"ok": n - n/3, "auth": n / 3}}}, Vendors: []string{"auth0"},
		FirstFailure: &FailureInfo{Index: 0, Verdict: KindAuth, Cause: "token_expired", Summary: "the access token has expired"}}
	return r
}

// BenchmarkAppendJSON: encoding/json (the reference, what AppendJSON was)
// against the hand-written encoder, on a 200-exchange report.
func BenchmarkAppendJSON(b *testing.B) {
	r := benchReport(200)
	for _, bc := range []struct {
		name string
		fn   func([]byte, Report) []byte
	}{
		{"encoding_json", appendJSONStd},
		{"hand", func(b []byte, r Report) []byte { return r.AppendJSON(b) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			buf := bc.fn(nil, r)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				buf = bc.fn(buf[:0], r)
			}
		})
	}
}
