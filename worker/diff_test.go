//go:build !js

package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"why401/analyzer"
)

// multipartBody is what curl -F good=@good.http -F bad=@bad.http sends.
func multipartBody(t *testing.T, parts map[string][]byte) ([]byte, string) {
	t.Helper()
	return namedMultipart(t, parts, map[string]string{"good": "good.http", "bad": "bad.http"})
}

// namedMultipart sends each part with the file name files[part] ("": a
// plain form field, without a file name).
func namedMultipart(t *testing.T, parts map[string][]byte, files map[string]string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, name := range []string{"good", "bad"} {
		if data, ok := parts[name]; ok {
			var w io.Writer
			var err error
			if files[name] == "" {
				w, err = mw.CreateFormField(name)
			} else {
				w, err = mw.CreateFormFile(name, files[name])
			}
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
		}
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func gzipped(b []byte) []byte {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(b)
	zw.Close()
	return z.Bytes()
}

func TestDiffEndpoint(t *testing.T) {
	dir := filepath.Join("..", "analyzer", "testdata", "diff", "user-agent")
	good, err := os.ReadFile(filepath.Join(dir, "good.http"))
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile(filepath.Join(dir, "bad.http"))
	if err != nil {
		t.Fatal(err)
	}
	h := NewHandler(NewAPI(Config{}), nil)
	body, ctype := multipartBody(t, map[string][]byte{"good": good, "bad": bad})
	r := do(t, h, "POST", "/diff", bytes.NewReader(body), "Content-Type", ctype)
	got := readAll(t, r)
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("POST /diff: %d %s %.300s", r.StatusCode, r.Header.Get("Content-Type"), got)
	}
	// The library's answer, byte for byte, each side named by its file name
	// as the CLI names it by its path (why401 diff good.http bad.http).
	rep, err := analyzer.Diff(good, bad, analyzer.DiffOptions{GoodName: "good.http", BadName: "bad.http", Limits: WorkerLimits(DefaultMaxBytes)})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(rep)
	if got != string(want)+"\n" {
		t.Errorf("POST /diff:\n got %.400s\nwant %.400s", got, want)
	}
	// The same body gzip-compressed (a browser's CompressionStream), the same answer.
	r = do(t, h, "POST", "/diff", bytes.NewReader(gzipped(body)), "Content-Type", ctype, "Content-Encoding", "gzip")
	if zgot := readAll(t, r); r.StatusCode != 200 || zgot != got {
		t.Errorf("POST /diff gzip: %d %.300s", r.StatusCode, zgot)
	}
	r = do(t, h, "POST", "/diff?format=text", bytes.NewReader(body), "Content-Type", ctype)
	if txt := readAll(t, r); r.StatusCode != 200 || !strings.Contains(txt, "header-changed user-agent") {
		t.Errorf("format=text: %d %.300s", r.StatusCode, txt)
	}

	// The sides' names: by file name; "good" and "bad" without one; with
	// the side when both have the same; a Windows path's folders left out.
	for _, tc := range []struct {
		good, bad         string
		wantGood, wantBad string
	}{
		{"worked.har", "failed.har", "worked.har", "failed.har"},
		{"", "", "good", "bad"},
		{"capture.har", "capture.har", "capture.har (good)", "capture.har (bad)"},
		{`C:\Users\me\worked.har`, "/home/me/failed.har", "worked.har", "failed.har"},
		{"bad", "", "bad (good)", "bad (bad)"},
		{strings.Repeat("é", 150), "x", strings.Repeat("é", 100) + "…", "x"},
	} {
		body, ctype := namedMultipart(t, map[string][]byte{"good": good, "bad": bad}, map[string]string{"good": tc.good, "bad": tc.bad})
		r := do(t, h, "POST", "/diff", bytes.NewReader(body), "Content-Type", ctype)
		var rep struct{ Good, Bad struct{ Input string } }
		if err := json.Unmarshal([]byte(readAll(t, r)), &rep); err != nil || rep.Good.Input != tc.wantGood || rep.Bad.Input != tc.wantBad {
			t.Errorf("files %q, %q: sides %q, %q (%v); want %q, %q", tc.good, tc.bad, rep.Good.Input, rep.Bad.Input, err, tc.wantGood, tc.wantBad)
		}
	}

	small := NewHandler(NewAPI(Config{MaxBytes: 1000}), nil)
	onlyGood, ctype1 := multipartBody(t, map[string][]byte{"good": good})
	emptyBad, ctype2 := namedMultipart(t, map[string][]byte{"good": good, "bad": nil}, map[string]string{"good": "w.har", "bad": "f.har"})
	junk, ctype3 := multipartBody(t, map[string][]byte{"good": good, "bad": []byte("not a capture\n")})
	bomb := gzipped(append(append([]byte{}, body...), bytes.Repeat([]byte{' '}, 4000)...))
	for _, tc := range []struct {
		name, method, target string
		body                 []byte
		ctype                string
		hdr                  []string
		small                bool
		code                 int
		want                 string
	}{
		{"GET", "GET", "/diff", nil, "", nil, false, 405, "POST the two captures"},
		{"not multipart", "POST", "/diff", good, "text/plain", nil, false, 415, "multipart/form-data parts named good and bad"},
		{"one part", "POST", "/diff", onlyGood, ctype1, nil, false, 400, "part bad is missing"},
		{"empty part", "POST", "/diff", emptyBad, ctype2, nil, false, 400, "part bad (f.har) is empty"},
		{"too large", "POST", "/diff", body, ctype, nil, true, 413, "larger than 1000 bytes together"},
		{"too large once decompressed", "POST", "/diff", bomb, ctype, []string{"Content-Encoding", "gzip"}, true, 413, "larger than 1000 bytes together once decompressed"},
		{"not gzip", "POST", "/diff", body, ctype, []string{"Content-Encoding", "gzip"}, false, 400, "cannot be decompressed"},
		{"brotli", "POST", "/diff", body, ctype, []string{"Content-Encoding", "br"}, false, 415, `Content-Encoding \"br\" is not supported`},
		{"bad format", "POST", "/diff?format=xml", body, ctype, nil, false, 400, "format"},
		// Errors name the file, as the CLI's do.
		{"not a capture", "POST", "/diff", junk, ctype3, nil, false, 400, `"error":"bad.http: `},
		{"no URL matches", "POST", "/diff?url=%2Fnowhere", body, ctype, nil, false, 400, `bad.http: no exchange's URL contains \"/nowhere\" (the capture holds 1 exchange)`},
		{"index past the end", "POST", "/diff?bad_index=999", body, ctype, nil, false, 400, "bad_index=999 is out of range: bad.http holds 1 exchange, #0"},
		{"good index past the end", "POST", "/diff?good_index=3&bad_index=0", body, ctype, nil, false, 400, "good_index=3 is out of range: good.http holds 1 exchange, #0"},
		{"negative index", "POST", "/diff?bad_index=-1", body, ctype, nil, false, 400, `bad_index=\"-1\": an index is a whole number, 0 or more`},
		{"index not a number", "POST", "/diff?good_index=first", body, ctype, nil, false, 400, `good_index=\"first\"`},
	} {
		hh := h
		if tc.small {
			hh = small
		}
		r := do(t, hh, tc.method, tc.target, bytes.NewReader(tc.body), append([]string{"Content-Type", tc.ctype}, tc.hdr...)...)
		msg := readAll(t, r)
		if r.StatusCode != tc.code || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %d %s, want %d %q", tc.name, r.StatusCode, msg, tc.code, tc.want)
		}
		if strings.Contains(msg, "analyzer:") {
			t.Errorf("%s: %s: the internal prefix", tc.name, msg)
		}
	}
	// An index that is there picks that exchange.
	if r := do(t, h, "POST", "/diff?good_index=0&bad_index=0", bytes.NewReader(body), "Content-Type", ctype); r.StatusCode != 200 {
		t.Errorf("good_index=0&bad_index=0: %d %s", r.StatusCode, readAll(t, r))
	}
}
