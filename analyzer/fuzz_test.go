package analyzer

import (
	"why401/analyzer/internal/detect"

	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"why401/analyzer/internal/capture"
	"why401/internal/shared"
)

// seedFiles adds every capture under testdata/cases (and the shared real HARs)
// to a fuzz corpus.
func seedFiles(f *testing.F, filter func(name string, data []byte) bool) {
	paths, _ := filepath.Glob("testdata/cases/*/*")
	var more []string
	if d, err := shared.Dir(); err == nil { // seeds only: without them the fuzz targets still run
		more, _ = filepath.Glob(filepath.Join(d, "captures", "*.har"))
	}
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

// FuzzHAR targets the streaming HAR reader.
func FuzzHAR(f *testing.F) {
	seedFiles(f, func(name string, data []byte) bool { return strings.HasSuffix(name, ".har") })
	f.Add([]byte(`{"log":{"entries":[{"request":{"headers":[["a","b"]]},"response":{"status":"401"}}]}}`))
	f.Add([]byte(`{"log":{"entries":[{"request":"\\\\\\"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := fuzzLimits.withDefaults()
		s := capture.NewJSONScanner(nil, data, lim)
		n := 0
		capture.ReadHAR(s, lim, &capture.Warnings{}, func(ex capture.Exchange) {
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
		chs, _ := detect.ParseChallenges([]string{s}, max)
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
