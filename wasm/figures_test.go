//go:build !js

package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestREADMEFigures holds the README's figure for the page's wasm to the
// web/analyzer.wasm the build made (./build.sh test builds it first), to its
// last printed digit (±1), so it cannot go stale. A missing or stale build
// (older than a source it is made from) skips, saying so.
func TestREADMEFigures(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("`web/analyzer\\.wasm`[^|]*?([0-9]+\\.[0-9]+) MB gzip -9").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md gives no \"N.NN MB gzip -9\" figure for `web/analyzer.wasm`")
	}
	st, err := os.Stat("../web/analyzer.wasm")
	if err != nil {
		t.Skip("web/analyzer.wasm is not built (./build.sh page builds it): the README's figure is not checked")
	}
	if newer := newestSource(t, ".."); newer.After(st.ModTime()) {
		t.Skipf("web/analyzer.wasm is older than its sources (a source changed at %s): ./build.sh page rebuilds it; the README's figure is not checked", newer.Format(time.RFC3339))
	}
	// GNU gzip -9, as build.sh's budget check measures it (Go's
	// compress/gzip at its best level gives ~0.7 % more).
	if _, err := exec.LookPath("gzip"); err != nil {
		t.Skip("no gzip command: the README's figure (gzip -9) is not checked")
	}
	gz, err := exec.Command("gzip", "-9", "-c", "../web/analyzer.wasm").Output()
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := strconv.ParseFloat(string(m[1]), 64)
	got := float64(len(gz)) / 1e6
	if d := doc - got; d > 0.015 || d < -0.015 {
		t.Errorf("README.md says web/analyzer.wasm is %s MB gzip -9; it is now %.2f MB (%d bytes): update the figure", m[1], got, len(gz))
	}
}

// newestSource is the latest change to what the page's wasm is built from:
// the module's Go and embedded data files, go.mod and go.sum, build.sh.
func newestSource(t *testing.T, root string) time.Time {
	var newest time.Time
	for _, dir := range []string{"analyzer", "wasm", "internal"} {
		filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if strings.Contains(p, string(filepath.Separator)+"testdata"+string(filepath.Separator)) || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			if ext := filepath.Ext(p); ext != ".go" && ext != ".json" {
				return nil
			}
			if info, err := d.Info(); err == nil && info.ModTime().After(newest) {
				newest = info.ModTime()
			}
			return nil
		})
	}
	for _, f := range []string{"go.mod", "go.sum", "build.sh"} {
		if info, err := os.Stat(filepath.Join(root, f)); err == nil && info.ModTime().After(newest) {
			newest = info.ModTime()
		}
	}
	return newest
}
