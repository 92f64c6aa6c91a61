//go:build !js

package main

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"why401/analyzer"
)

// multipartBody is what curl -F good=@… -F bad=@… sends.
func multipartBody(t *testing.T, parts map[string][]byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, name := range []string{"good", "bad"} {
		if data, ok := parts[name]; ok {
			w, err := mw.CreateFormFile(name, name+".http")
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
		}
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
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
	// The library's answer, byte for byte.
	rep, err := analyzer.Diff(good, bad, analyzer.DiffOptions{GoodName: "good", BadName: "bad", Limits: WorkerLimits(DefaultMaxBytes)})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(rep)
	if got != string(want)+"\n" {
		t.Errorf("POST /diff:\n got %.400s\nwant %.400s", got, want)
	}
	r = do(t, h, "POST", "/diff?format=text", bytes.NewReader(body), "Content-Type", ctype)
	if txt := readAll(t, r); r.StatusCode != 200 || !strings.Contains(txt, "header-changed user-agent") {
		t.Errorf("format=text: %d %.300s", r.StatusCode, txt)
	}

	small := NewHandler(NewAPI(Config{MaxBytes: 1000}), nil)
	onlyGood, ctype1 := multipartBody(t, map[string][]byte{"good": good})
	for _, tc := range []struct {
		name, method, target string
		body                 []byte
		ctype                string
		small                bool
		code                 int
		want                 string
	}{
		{"GET", "GET", "/diff", nil, "", false, 405, "POST the two captures"},
		{"not multipart", "POST", "/diff", good, "text/plain", false, 415, "multipart/form-data parts named good and bad"},
		{"one part", "POST", "/diff", onlyGood, ctype1, false, 400, "part bad is missing"},
		{"too large", "POST", "/diff", body, ctype, true, 413, "larger than 1000 bytes together"},
		{"bad format", "POST", "/diff?format=xml", body, ctype, false, 400, "format"},
	} {
		hh := h
		if tc.small {
			hh = small
		}
		r := do(t, hh, tc.method, tc.target, bytes.NewReader(tc.body), "Content-Type", tc.ctype)
		msg := readAll(t, r)
		if r.StatusCode != tc.code || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %d %s, want %d %q", tc.name, r.StatusCode, msg, tc.code, tc.want)
		}
	}
}
