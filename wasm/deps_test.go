//go:build !js

package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// banned lists packages that must stay out of the page's first wasm (the
// slim build, web/analyzer.wasm): the page does no network I/O (net/http);
// the sanitizer's crypto, and the readers of compressed input and container
// captures (compress/*, archive/zip), belong to web/sanitizer.wasm, fetched
// only when asked for or when an input needs them. The standard parts the
// slim analyzer uses (regexp, gjson) are in; encoding/json is listed among
// the deps (knowledge's strict Decode*, for the tests) but not linked: the
// loaders use internal/jsonfill, and gjson's pretty is why401's own
// (internal/gjsonpretty); net/url and net/netip are out too (their init
// links unique, ~22 KB gzip with them; issue 35): said and detect read IP
// literals and query escapes with a few lines of their own;
// bench/wasm-size.sh shows what they weigh against the page's 1.5 MB gzip
// budget.
var banned = []string{
	"archive/zip",
	"compress/flate",
	"compress/gzip",
	"compress/zlib",
	"crypto/hmac",
	"crypto/rand",
	"crypto/sha256",
	"net/http",
	"net/netip",
	"net/url",
	"unique",
}

// noDirect lists packages that no why401 package in the page wasm may
// import itself: the analyzer reads only what it is handed (os, net), and
// fmt, which no code of the page's calls otherwise: with its printer and
// the reflect it reaches, ~38 KB gzip (docs/performance.md). fmt and os
// stay among go list's deps through encoding/json (knowledge's strict
// Decode*, for the tests), whose code is not linked.
var noDirect = []string{"os", "net", "net/http", "fmt"}

// TestPageDeps guards the page wasm's dependency list: a new import of a
// banned package (directly or through another package), or a direct import
// of os by our own code, fails here.
func TestPageDeps(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	cmd := exec.Command("go", "list", "-tags", "slim", "-deps", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		deps[f[0]] = true
		if !strings.HasPrefix(f[0], "why401") {
			continue
		}
		for _, imp := range f[1:] {
			if slices.Contains(noDirect, imp) {
				t.Errorf("%s imports %s; see the comment on noDirect", f[0], imp)
			}
		}
	}
	for _, p := range banned {
		if deps[p] {
			t.Errorf("the page wasm imports %s; see the comment on banned", p)
		}
	}
	if !deps["why401/analyzer"] {
		t.Errorf("go list found no why401/analyzer among the deps: %.200s", out)
	}
}
