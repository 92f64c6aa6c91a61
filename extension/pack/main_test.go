package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestPack: manifest.json first, then the rest in name order, folders as
// paths; the same folder gives the same bytes whenever it is packed; a
// folder without a manifest is refused.
func TestPack(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"manifest.json": "{}", "b.js": "b", "a.html": "a", "web/x.wasm": "\x00asm"}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	a, err := pack(dir)
	if err != nil {
		t.Fatal(err)
	}
	later := filepath.Join(dir, "b.js")
	os.Chtimes(later, stamp.AddDate(1, 0, 0), stamp.AddDate(1, 0, 0))
	b, err := pack(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two packs of the same folder differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		r, _ := f.Open()
		var got bytes.Buffer
		got.ReadFrom(r)
		if got.String() != files[f.Name] {
			t.Errorf("%s: %q", f.Name, got.String())
		}
	}
	if want := []string{"manifest.json", "a.html", "b.js", "web/x.wasm"}; len(names) != len(want) || names[0] != want[0] || names[1] != want[1] || names[2] != want[2] || names[3] != want[3] {
		t.Errorf("members %v, want %v", names, want)
	}
	os.Remove(filepath.Join(dir, "manifest.json"))
	if _, err := pack(dir); err == nil {
		t.Error("a folder without manifest.json was packed")
	}
}
