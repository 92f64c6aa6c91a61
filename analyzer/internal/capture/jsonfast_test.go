package capture

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"why401/internal/shared"

	"github.com/tidwall/gjson"
)

// The walkers of jsonfast.go cut a HAR entry into raw values for the
// streaming reader; these tests hold them, and the header and cookie
// readers built on them, to what gjson reads in the same bytes.

// jsonSamples are values and documents with the cases that matter: escapes,
// surrogate pairs (valid, lone, reversed), invalid escapes, control bytes,
// odd numbers, nesting, duplicate and escaped keys.
var jsonSamples = []string{
	`""`, `"abc"`, `"a\"b"`, `"a\\"`, `"a\\\"b"`, `"\\\\"`, `"\/\b\f\n\r\t"`,
	`"\u0041\u00e9\u20ac"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ude00\ud83d"`, `"\ud83d\u0041"`,
	`"\uZZZZ"`, `"\u12"`, `"\u"`, `"\x41"`, `"a\qb"`, `"tab	in"`, "\"ctl\x01\\n\"", "\"ctl\x01\"", `"a\`,
	`"unterminated`, `"unterminated\n`, `"\u00`, `"é\u00e9"`, "\"\xff\xfe\\u0041\"",
	`0`, `-0`, `1`, `-1`, `200`, `401.0`, `401.9`, `1e2`, `1E+2`, `-1.5e-3`, `12345678901234567890`, `1e999`, `-`, `+1`,
	`NaN`, `nan`, `Inf`, `inf`, `nx`, `n`, `null`, `nul`, `true`, `tru`, `false`, `fals`, `x`, ` 1`, "\t\"a\"", "\x01{}",
	`{}`, `[]`, `{"a":1}`, `[1,2]`, ` {"a" : "b" } `, `{"a":{"b":[1,{"c":"d"}]}}`,
	`{"name":"n","value":"v"}`, `{"name":"n\u0041","value":12}`, `{"value":true,"name":false}`, `{"name":null,"value":null}`,
	`{"name":"a","name":"b"}`, `{"n\u0061me":"esc","value":"x"}`, `{"na\"me":"q"}`, `{"name":{"x":1},"value":[1, 2]}`,
	`[{"name":"a","value":"1"},{"name":"b","value":"2"}]`, `[["a","b"],["c"],[],["d",1.50]]`, `["A: b", "c:d", "noval", ":x", 1, null]`,
	`{"X-A":"1","x-b":2,"x-c":{"d":1},"x-d":[1],"x-e":null}`,
	`{"iss":"https://issuer","aud":["a","b"],"exp":1700000000,"nbf":1.7e9,"iat":"1700000000","cnf":{"jkt":"abc"},"token_use":"id"}`,
	`{"exp":-1,"cnf":"str"}`, `{"exp":1e13,"cnf":[{"jkt":1}]}`, `{"cnf":{"jkt":null}}`, `{"access_token":"tok\u0065n","token_type":"bearer"}`,
	`)]}'` + "\n" + `{"access_token":"xssi"}`, `[{"access_token":"in array"}]`, `{"a":[1,2,{"access_token":"deep"}]}`,
	`{"text":"body \"quoted\" \u00e9","mimeType":"application/json"}`, `{"status":401,"statusText":"Unauthorized"}`,
	`[1,2`, `{"a":`, `{"a"`, `{`, `[`, `{"a":1,}`, `[1,]`, `{"a" 1}`, `{1:2}`, `[01]`, `[1.]`, `[.5]`, `[1e]`, `["\u12x4"]`,
}

// checkJSONFast compares the walkers and the readers built on them with
// gjson on one input.
func checkJSONFast(t *testing.T, data []byte) {
	t.Helper()
	g := gjson.ParseBytes(data)
	if got, want := statusOf(data), statusOfGJSON(g); got != want {
		t.Errorf("statusOf(%q) = %d, gjson %d", data, got, want)
	}
	trimmed := bytes.TrimSpace(data)
	if !gjson.ValidBytes(data) {
		// Malformed input: no panic is all that is asked (the HAR entries
		// passed the scanner; gjson's guesses on broken JSON are its own).
		eachMember(data, func(_, _ []byte) {})
		eachElement(data, func([]byte) {})
		harFields(trimmed, DefaultLimits(), &Warnings{})
		harCookieHeader(data)
		return
	}
	// A value as endOfValue cuts it: no spaces around it.
	if k, _ := firstByte(data); k != '{' && k != '[' && len(data) > 0 && data[0] > ' ' && data[len(data)-1] > ' ' {
		if got, want := jsonString(data), g.String(); got != want && !bytes.Equal(data, []byte("null")) {
			t.Errorf("jsonString(%q) = %q, gjson %q", data, got, want)
		}
	}
	// Iteration: object members and array elements, raw values as gjson cuts them.
	var keysGot, keysWant []string
	if isObject(trimmed) {
		eachMember(trimmed, func(k, v []byte) {
			keysGot = append(keysGot, gjson.Parse(`"`+string(k)+`"`).String()+"="+string(v))
		})
	} else if isArray(trimmed) {
		eachElement(trimmed, func(v []byte) { keysGot = append(keysGot, string(v)) })
	}
	if isObject(trimmed) || isArray(trimmed) {
		g.ForEach(func(k, v gjson.Result) bool {
			if isObject(trimmed) {
				keysWant = append(keysWant, k.String()+"="+v.Raw)
			} else {
				keysWant = append(keysWant, v.Raw)
			}
			return true
		})
	}
	if strings.Join(keysGot, "\x00") != strings.Join(keysWant, "\x00") {
		t.Errorf("members of %q = %q, gjson %q", data, keysGot, keysWant)
	}
	// The HAR readers built on them.
	if isObject(trimmed) || isArray(trimmed) {
		for _, lim := range []Limits{DefaultLimits(), {HeaderFields: 2, HeaderBytes: 3}} {
			w1, w2 := &Warnings{}, &Warnings{}
			got, want := harHeaders(trimmed, lim, w1), harHeadersGJSON(gjson.ParseBytes(trimmed), lim, w2)
			if !sameFields(got, want) || strings.Join(w1.List(), "|") != strings.Join(w2.List(), "|") {
				t.Errorf("harHeaders(%q) = %q %q, gjson %q %q", data, got, w1.List(), want, w2.List())
			}
		}
	}
	if isArray(trimmed) && plainHeaderArray(trimmed) {
		// The one-pass reader of DevTools' [{name,value}] agrees with the general one.
		for _, lim := range []Limits{DefaultLimits(), {HeaderFields: 2, HeaderBytes: 3}} {
			w1, w2 := &Warnings{}, &Warnings{}
			got, want := harFields(trimmed, lim, w1), harHeaders(trimmed, lim, w2)
			if !sameFields(got, want) || strings.Join(w1.List(), "|") != strings.Join(w2.List(), "|") {
				t.Errorf("harFields(%q) = %q %q, harHeaders %q %q", data, got, w1.List(), want, w2.List())
			}
		}
	}
	if isArray(trimmed) {
		if got, want := harCookieHeader(trimmed), harCookieHeaderGJSON(gjson.ParseBytes(trimmed)); got != want {
			t.Errorf("harCookieHeader(%q) = %q, gjson %q", data, got, want)
		}
	}
}

// plainHeaderArray: DevTools' shape, [{name,value}] with string names and
// values, no repeated key and no escaped key (where the readers may differ
// by design: which of two "name"s counts, what a non-string name reads as,
// whether "n\u0061me" is "name").
func plainHeaderArray(arr []byte) bool {
	ok := true
	gjson.ParseBytes(arr).ForEach(func(_, el gjson.Result) bool {
		seen := map[string]bool{}
		ok = el.IsObject()
		el.ForEach(func(k, v gjson.Result) bool {
			key := k.String()
			ok = ok && !seen[key] && !strings.Contains(k.Raw, `\`) && (key != "name" && key != "value" || v.Type == gjson.String)
			seen[key] = true
			return ok
		})
		return ok
	})
	return ok
}

// firstByte returns data's first byte that is not a space.
func firstByte(data []byte) (byte, bool) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 {
		return 0, false
	}
	return t[0], true
}

func sameFields(a, b []Field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The HAR header and cookie readers written with gjson alone: the reference.

func statusOfGJSON(r gjson.Result) int {
	var n int64
	switch r.Type {
	case gjson.Number:
		n = r.Int()
	case gjson.String:
		n, _ = strconv.ParseInt(strings.TrimSpace(r.Str), 10, 64)
	}
	if n < 0 || n > 999 {
		return 0
	}
	return int(n)
}

func harHeadersGJSON(h gjson.Result, lim Limits, w *Warnings) []Field {
	var out []Field
	add := func(n, v string) {
		if n == "" {
			return
		}
		if len(out) >= lim.HeaderFields {
			w.Add("header-fields", "a message had more than "+strconv.Itoa(lim.HeaderFields)+" header fields; the rest were ignored (limit HeaderFields)")
			return
		}
		if len(v) > lim.HeaderBytes {
			w.Add("header-bytes", "header "+strconv.Quote(Clip(n, 64))+" was longer than "+strconv.Itoa(lim.HeaderBytes)+" bytes and was cut (limit HeaderBytes)")
			v = v[:lim.HeaderBytes]
		}
		out = append(out, Field{Name: cloneClip(n, 256), Value: strings.Clone(v)})
	}
	if h.IsObject() {
		h.ForEach(func(k, v gjson.Result) bool { add(k.String(), v.String()); return len(out) < lim.HeaderFields })
		return out
	}
	h.ForEach(func(_, v gjson.Result) bool {
		switch {
		case v.IsObject():
			add(v.Get("name").String(), v.Get("value").String())
		case v.IsArray():
			add(v.Get("0").String(), v.Get("1").String())
		case v.Type == gjson.String:
			n, val, _ := strings.Cut(v.Str, ":")
			add(strings.TrimSpace(n), strings.TrimSpace(val))
		}
		return len(out) <= lim.HeaderFields
	})
	return out
}

func harCookieHeaderGJSON(c gjson.Result) string {
	var b strings.Builder
	c.ForEach(func(_, v gjson.Result) bool {
		n := v.Get("name").String()
		if n == "" {
			return true
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(n + "=" + v.Get("value").String())
		return b.Len() < 16<<10
	})
	return b.String()
}

func TestJSONFastSamples(t *testing.T) {
	for _, s := range jsonSamples {
		checkJSONFast(t, []byte(s))
	}
}

// randomJSON writes a random valid JSON value.
func randomJSON(r *rand.Rand, b *strings.Builder, depth int) {
	strs := []string{`"name"`, `"value"`, `"exp"`, `"cnf"`, `"jkt"`, `"a\"b"`, `"\u00e9"`, `"\ud83d\ude00"`, `"\ud800"`, `"x\\y"`, `"\n\t"`, `""`, `"n\u0061me"`, `"é"`}
	switch k := r.Intn(9); {
	case depth > 3 || k < 2:
		b.WriteString(strs[r.Intn(len(strs))])
	case k == 2:
		b.WriteString([]string{"0", "-0", "401", "1.25", "-3e2", "1E-2", "1700000000", "99999999999999999999", "0.1e1"}[r.Intn(9)])
	case k == 3:
		b.WriteString([]string{"true", "false", "null"}[r.Intn(3)])
	case k < 6:
		b.WriteByte('[')
		for i, n := 0, r.Intn(4); i < n; i++ {
			if i > 0 {
				b.WriteString([]string{",", " , ", ",\n"}[r.Intn(3)])
			}
			randomJSON(r, b, depth+1)
		}
		b.WriteByte(']')
	default:
		b.WriteByte('{')
		for i, n := 0, r.Intn(4); i < n; i++ {
			if i > 0 {
				b.WriteString([]string{",", " , "}[r.Intn(2)])
			}
			b.WriteString(strs[r.Intn(len(strs))])
			b.WriteString([]string{":", " : "}[r.Intn(2)])
			randomJSON(r, b, depth+1)
		}
		b.WriteByte('}')
	}
}

func TestJSONFastRandom(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		randomJSON(r, &b, 0)
		s := b.String()
		if !json.Valid([]byte(s)) {
			t.Fatalf("generator wrote invalid JSON %q", s)
		}
		checkJSONFast(t, []byte(s))
		// And a cut or a flipped byte of it.
		if len(s) > 1 {
			checkJSONFast(t, []byte(s[:r.Intn(len(s))]))
			m := []byte(s)
			m[r.Intn(len(m))] = "{}[]\",:\\ 0en"[r.Intn(12)]
			checkJSONFast(t, m)
		}
		if t.Failed() {
			return
		}
	}
}

// TestJSONFastCaptures reads every entry of the real captures and golden HARs
// both ways.
func TestJSONFastCaptures(t *testing.T) {
	paths, _ := filepath.Glob("../../testdata/cases/*/*.har")
	compareJSONFast(t, paths)
	t.Run("shared", func(t *testing.T) {
		compareJSONFast(t, shared.Captures(t, "the walkers compared with gjson on the real HAR files"))
	})
}

func compareJSONFast(t *testing.T, paths []string) {
	n := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil || !gjson.ValidBytes(data) {
			continue
		}
		gjson.GetBytes(data, "log.entries").ForEach(func(_, e gjson.Result) bool {
			for _, part := range []string{"request", "response"} {
				for _, f := range []string{"headers", "cookies", "status", "method", "url", "statusText"} {
					v := e.Get(part + "." + f)
					if v.Exists() {
						n++
						checkJSONFast(t, []byte(v.Raw))
					}
				}
			}
			checkJSONFast(t, []byte(e.Get("request.postData").Raw))
			return !t.Failed()
		})
	}
	t.Logf("%d values compared", n)
}

// FuzzJSONFast compares the walkers with gjson on anything.
func FuzzJSONFast(f *testing.F) {
	for _, s := range jsonSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkJSONFast(t, data)
	})
}

// TestScanErrorTexts: the scanner's errors read as the fmt.Errorf calls
// they replaced, and still wrap ErrSyntax.
func TestScanErrorTexts(t *testing.T) {
	for _, c := range []byte{'x', 0x01, 0xe9, '"', '\'', '\\', 0x7f, 0xff} {
		s := NewJSONScanner(nil, []byte("  "+string([]byte{c})), DefaultLimits())
		err := s.expect('{')
		want := fmt.Errorf("%w: expected %q at byte %d, found %q", ErrSyntax, byte('{'), s.offset(), c)
		if err.Error() != want.Error() || !errors.Is(err, ErrSyntax) {
			t.Errorf("expect: %q, fmt %q", err, want)
		}
		s = NewJSONScanner(nil, []byte{' ', '1', c}, DefaultLimits())
		s.pos = 2
		_, err = s.next(']')
		want = fmt.Errorf("%w: expected ',' or %q at byte %d, found %q", ErrSyntax, byte(']'), s.offset()-1, c)
		if c != ']' && (err.Error() != want.Error() || !errors.Is(err, ErrSyntax)) {
			t.Errorf("next: %q, fmt %q", err, want)
		}
	}
	for _, c := range []byte{'}', ']', ',', ':'} {
		s := NewJSONScanner(nil, []byte{' ', c}, DefaultLimits())
		err := s.SkipValue()
		want := fmt.Errorf("%w: unexpected %q at byte %d", ErrSyntax, c, s.offset())
		if err.Error() != want.Error() || !errors.Is(err, ErrSyntax) {
			t.Errorf("skipValue: %q, fmt %q", err, want)
		}
	}
	_, err := ReadHAR(NewJSONScanner(nil, []byte(`{"log":1}`), DefaultLimits()), DefaultLimits(), &Warnings{}, func(Exchange) {})
	if want := fmt.Errorf("%w: \"log\" is not an object", ErrSyntax); err == nil || err.Error() != want.Error() || !errors.Is(err, ErrSyntax) {
		t.Errorf("log: %v, fmt %v", err, want)
	}
	_, err = ReadHAR(NewJSONScanner(nil, []byte(`{"log":{}}`), DefaultLimits()), DefaultLimits(), &Warnings{}, func(Exchange) {})
	if want := fmt.Errorf("%w: no \"log.entries\"", ErrNotHAR); err == nil || err.Error() != want.Error() || !errors.Is(err, ErrNotHAR) {
		t.Errorf("entries: %v, fmt %v", err, want)
	}
	_, err = ReadHAR(NewJSONScanner(nil, []byte(`{"log":{"entries":{}}}`), DefaultLimits()), DefaultLimits(), &Warnings{}, func(Exchange) {})
	if want := fmt.Errorf("%w: \"log.entries\" is not an array", ErrSyntax); err == nil || err.Error() != want.Error() || !errors.Is(err, ErrSyntax) {
		t.Errorf("entries array: %v, fmt %v", err, want)
	}
}

// TestJSONStringPrefix: the start of a long body is unescaped without the
// rest, and never ends inside an escape.
func TestJSONStringPrefix(t *testing.T) {
	for _, s := range []string{`"plain text"`, `"a\"b\\c\nd"`, `"\u00e9\u00e9\u00e9\u00e9"`, `"\ud83d\ude00 x"`, `"x\\\\\\\"y"`, `"<p class=\"x\">é</p>\n"`} {
		whole := gjson.Parse(s).String()
		for n := 0; n <= len(s); n++ {
			got, cut := jsonStringPrefix([]byte(s), n)
			if !strings.HasPrefix(whole, strings.TrimRight(got, "\ufffd")) {
				t.Errorf("jsonStringPrefix(%s, %d) = %q, not a prefix of %q", s, n, got, whole)
			}
			if cut != (len(s)-2 > n) {
				t.Errorf("jsonStringPrefix(%s, %d): cut %v", s, n, cut)
			}
		}
	}
}

// FuzzJSONStringSuffix: the tail kept of a long HAR body is always a suffix
// of the whole unquoted string, whatever escapes sit at the cut.
func FuzzJSONStringSuffix(f *testing.F) {
	f.Add(`a\"b\\c\u00e9d\n tail`, 5)
	f.Add(strings.Repeat(`\u2028`, 40), 7)
	f.Fuzz(func(t *testing.T, s string, n int) {
		raw, err := json.Marshal(s)
		if err != nil || n <= 0 || n > 1<<16 {
			return
		}
		// Re-escape some characters the encoder leaves alone.
		raw = []byte(strings.ReplaceAll(string(raw), "/", `\/`))
		var full string
		if json.Unmarshal(raw, &full) != nil {
			return
		}
		got := jsonStringSuffix(raw, n)
		if !strings.HasSuffix(full, got) {
			t.Fatalf("%q is not a suffix of %q (n=%d)", got, full, n)
		}
	})
}

// FuzzUnescapeSimple: when the fast path unquotes a JSON string, it gives
// what encoding/json gives.
func FuzzUnescapeSimple(f *testing.F) {
	for _, s := range []string{`a"b\c/d`, "line\nbreak\ttab\r\b\f", `"Chromium";v="142"`, "é ☃ <x>", `\u0041`} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, slashes bool) {
		raw, err := json.Marshal(s)
		if err != nil {
			return
		}
		if slashes {
			raw = bytes.ReplaceAll(raw, []byte("/"), []byte(`\/`))
		}
		// Appended after what a buffer holds (the header arena), the text
		// is jsonString's, \u escapes included, and the buffer is kept.
		if b := appendJSONText([]byte("kept:"), raw); string(b) != "kept:"+jsonString(raw) {
			t.Fatalf("appendJSONText(%s) = %q, want %q", raw, b, "kept:"+jsonString(raw))
		}
		got, ok := unescapeSimple(raw[1 : len(raw)-1])
		if !ok {
			return // a \u escape: gjson's job
		}
		var want string
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("unescapeSimple(%s) = %q, want %q", raw, got, want)
		}
	})
}

// stringEndBytewise is stringEnd read one byte at a time: what its eight-
// byte steps must agree with.
func stringEndBytewise(b []byte, k int) (int, bool) {
	for ; k < len(b); k++ {
		switch b[k] {
		case '"':
			return k + 1, true
		case '\\':
			k++
		}
	}
	if k > len(b) {
		return len(b) - 1, false
	}
	return k, false
}

// TestStringEndWords holds stringEnd to the byte-by-byte reading on every
// placement of quotes and backslashes in short strings, where its eight-byte
// steps and the borrow of their test matter; a miss that stops in a run of
// backslashes may resume earlier, never past an unescaped quote.
func TestStringEndWords(t *testing.T) {
	alphabet := []byte{'a', '"', '\\', 0x21, 0x23, 0x5b, 0x5d, 0x01, 0xff}
	rng := rand.New(rand.NewSource(1))
	for range 200000 {
		b := make([]byte, rng.Intn(40))
		for i := range b {
			b[i] = 'a'
			if rng.Intn(4) == 0 {
				b[i] = alphabet[rng.Intn(len(alphabet))]
			}
		}
		k := 0
		if len(b) > 0 {
			k = rng.Intn(len(b) + 1)
		}
		got, gok := stringEnd(b, k)
		want, wok := stringEndBytewise(b, k)
		if gok != wok || gok && got != want {
			t.Fatalf("stringEnd(%q, %d) = %d, %v; want %d, %v", b, k, got, gok, want, wok)
		}
		if !gok {
			// resuming from got on the same bytes must find no quote
			if e, ok := stringEndBytewise(b, got); ok {
				t.Fatalf("stringEnd(%q, %d) = %d, false; a quote at %d follows", b, k, got, e)
			}
		}
	}
}
