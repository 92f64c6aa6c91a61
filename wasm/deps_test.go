//go:build !js

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// heavy lists packages that must stay out of the page wasm: each one costs
// tens of kilobytes gzip against the page's 1.0 MB budget (measured with
// bench/wasm-size.sh), and the analyzer has small, tested replacements for
// what it needs from them (internal/rx, internal/inflate, its own JSON and
// date code).
var heavy = []string{
	"archive/zip",
	"compress/flate",
	"compress/gzip",
	"compress/zlib",
	"encoding/json",
	"fmt",
	"github.com/tidwall/gjson",
	"html",
	"net/http",
	"os",
	"reflect",
	"regexp",
}

// TestPageDeps guards the page wasm's dependency list: a new import of one
// of the heavy packages (directly or through another package) fails here,
// long before anyone notices the page got slower to load.
func TestPageDeps(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	for _, p := range heavy {
		if deps[p] {
			t.Errorf("the page wasm imports %s; see the comment on heavy", p)
		}
	}
}
