package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSanitizeCommand(t *testing.T) {
	har := `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{"startedDateTime":"2026-11-03T12:00:00Z","time":1,` +
		`"request":{"method":"GET","url":"https://api.example.com/?api_key=CLIcanary0123456789","httpVersion":"HTTP/1.1","headers":[{"name":"Authorization","value":"Bearer CLIcanaryTokenAbcdef"},{"name":"Cookie","value":"sid=CLIcanaryCookie999"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},` +
		`"response":{"status":401,"statusText":"","httpVersion":"HTTP/1.1","headers":[{"name":"WWW-Authenticate","value":"Bearer error=\"invalid_token\""}],"cookies":[],"content":{"size":0,"mimeType":"application/json","text":"{}"},"redirectURL":"","headersSize":-1,"bodySize":0},"cache":{},"timings":{"send":0,"wait":1,"receive":0}}]}}`
	in := filepath.Join(t.TempDir(), "in.har")
	if err := os.WriteFile(in, []byte(har), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"sanitize", in}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if strings.Contains(out.String(), "CLIcanary") {
		t.Errorf("a secret survived: %s", out.String())
	}
	if !json.Valid(out.Bytes()) {
		t.Errorf("output is not valid JSON")
	}
	if !strings.Contains(errb.String(), "replaced") || !strings.Contains(errb.String(), "authorization 1") {
		t.Errorf("stderr does not count the replacements: %q", errb.String())
	}
	// Standard input, and the sanitized copy analyses to the same verdict.
	out2 := bytes.Buffer{}
	if code := run([]string{"sanitize", "-"}, strings.NewReader(har), &out2, &errb); code != 0 {
		t.Fatalf("stdin: exit %d", code)
	}
	var rep bytes.Buffer
	if code := run([]string{"--format", "json", "-"}, bytes.NewReader(out2.Bytes()), &rep, &errb); code != 0 {
		t.Fatalf("analysing the sanitized copy: exit %d", code)
	}
	if !strings.Contains(rep.String(), `"verdict":"auth"`) {
		t.Errorf("sanitized copy: %s", rep.String())
	}
	if code := run([]string{"sanitize", "a", "b"}, strings.NewReader(""), &out, &errb); code != 2 {
		t.Errorf("two inputs: exit %d, want 2", code)
	}
}
