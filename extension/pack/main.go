// Command pack zips the built DevTools extension (./build.sh extension):
//
//	go run ./extension/pack DIR OUT.zip
//
// The zip holds DIR's files at its root (manifest.json first, then the rest
// in name order), each with the same fixed time and mode, so the same build
// gives the same bytes. It is what a browser store takes, and what loads
// unpacked once extracted.
package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// stamp is every member's time: 2026-01-01, not the build's.
var stamp = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func pack(dir string) ([]byte, error) {
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		} else if !d.IsDir() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !slices.Contains(names, "manifest.json") {
		return nil, fmt.Errorf("%s: no manifest.json", dir)
	}
	slices.SortFunc(names, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "manifest.json":
			return -1
		case b == "manifest.json":
			return 1
		case a < b:
			return -1
		}
		return 1
	})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			return nil, err
		}
		h := &zip.FileHeader{Name: n, Method: zip.Deflate, Modified: stamp}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run ./extension/pack DIR OUT.zip")
		os.Exit(2)
	}
	data, err := pack(os.Args[1])
	if err == nil {
		err = os.WriteFile(os.Args[2], data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pack:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d bytes\n", os.Args[2], len(data))
}
