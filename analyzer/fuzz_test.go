package analyzer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// seedFiles adds every capture under testdata/cases (and the shared real HARs)
// to a fuzz corpus.
func seedFiles(f *testing.F, filter func(name string, data []byte) bool) {
	paths, _ := filepath.Glob("testdata/cases/*/*")
	more, _ := filepath.Glob(filepath.Join(sharedCaptures, "*.har"))
	hostile, _ := filepath.Glob("testdata/hostile/*")
	for _, p := range append(append(paths, more...), hostile...) {
		if strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, ".har.json") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil || len(data) > 1<<20 {
			continue
		}
		if filter == nil || filter(p, data) {
			f.Add(data)
		}
	}
}

var fuzzLimits = Limits{BodyBytes: 4096, EntryBytes: 1 << 20, InputBytes: 4 << 20, Depth: 64}

// FuzzAnalyze feeds anything to the full pipeline: no panic, no hang, and a
// report that encodes as JSON with sequential indexes.
func FuzzAnalyze(f *testing.F) {
	seedFiles(f, nil)
	f.Add([]byte("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer, error=\"x\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := AnalyzeWith(data, Options{Limits: fuzzLimits})
		if err != nil {
			if len(rep.Exchanges) > 0 {
				t.Fatalf("error %v with %d exchanges", err, len(rep.Exchanges))
			}
			return
		}
		for i, e := range rep.Exchanges {
			if rep.Input.Format != "har" && e.Index != i {
				t.Fatalf("exchange %d has index %d", i, e.Index)
			}
			if e.Confidence < 0 || e.Confidence > 1 {
				t.Fatalf("confidence %v", e.Confidence)
			}
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzParseText targets the raw / curl reader.
func FuzzParseText(f *testing.F) {
	seedFiles(f, func(name string, data []byte) bool { return !strings.HasSuffix(name, ".har") })
	for _, tt := range rawTests {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := fuzzLimits.withDefaults()
		exs, _, err := parseText(data, lim, &warnings{})
		if err != nil {
			return
		}
		for _, e := range exs {
			if len(e.Response.Body) > lim.BodyBytes {
				t.Fatalf("body %d bytes over the %d limit", len(e.Response.Body), lim.BodyBytes)
			}
			if len(e.Response.Fields) > lim.HeaderFields {
				t.Fatalf("%d fields over the limit", len(e.Response.Fields))
			}
		}
	})
}

// FuzzHAR targets the streaming HAR reader.
func FuzzHAR(f *testing.F) {
	seedFiles(f, func(name string, data []byte) bool { return strings.HasSuffix(name, ".har") })
	f.Add([]byte(`{"log":{"entries":[{"request":{"headers":[["a","b"]]},"response":{"status":"401"}}]}}`))
	f.Add([]byte(`{"log":{"entries":[{"request":"\\\\\\"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := fuzzLimits.withDefaults()
		s := newJSONScanner(nil, data, lim)
		n := 0
		readHAR(s, lim, &warnings{}, func(ex Exchange) {
			if ex.Index != n {
				t.Fatalf("entry %d has index %d", n, ex.Index)
			}
			n++
		})
	})
}

// FuzzChallenge targets the WWW-Authenticate parser.
func FuzzChallenge(f *testing.F) {
	for _, s := range []string{
		`Basic realm="simple", Newauth realm="apps", type=1, title="Login to \"apps\""`,
		`Bearer, error="invalid_token", error_description="The access token expired"`,
		`Digest realm="x", qop="auth, auth-int", nonce="abc", algorithm=SHA-256, stale=true`,
		`Negotiate oYH0MIHxoAMKAQ==`, `NTLM TlRMTVNTUAACAAAA`, `Basic realm="security" charset="UTF-8"`,
		`Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"`,
		`Token`, `"unterminated \\\\\\`, `=,=,=`, ``,
	} {
		f.Add(s, 64)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 1000 {
			max = 64
		}
		chs, _ := ParseChallenges([]string{s}, max)
		n := 0
		for _, c := range chs {
			n += len(c.Params)
			if c.Scheme == "" {
				t.Fatalf("challenge without scheme in %q", s)
			}
		}
		if n > max {
			t.Fatalf("%d params over max %d", n, max)
		}
	})
}

// FuzzMask checks that masking never returns a known secret and keeps UTF-8 valid.
func FuzzMask(f *testing.F) {
	f.Add("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl", "https://u:p@a.example/?access_token=secretsecret&x=1")
	f.Fuzz(func(t *testing.T, auth, url string) {
		m := maskAuthorization(auth)
		if _, rest, ok := strings.Cut(strings.TrimSpace(auth), " "); ok && len(strings.TrimSpace(rest)) >= 8 && !strings.Contains(m, "[") {
			t.Fatalf("maskAuthorization(%q) = %q shows no fingerprint", auth, m)
		}
		if utf8.ValidString(url) && !utf8.ValidString(MaskURL(url)) {
			t.Fatalf("MaskURL broke UTF-8")
		}
	})
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
