// Command vocabgen writes the report's vocabularies (verdicts, causes,
// actions) from the knowledge files into every file that states them (see
// package why401/analyzer/internal/vocab). Run from anywhere in the
// repository: go generate ./analyzer, or go run ./analyzer/internal/cmd/vocabgen.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"why401/analyzer/internal/vocab"
)

func main() {
	root, err := repoRoot()
	if err != nil {
		fail(err)
	}
	files, err := vocab.Files(func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(root, p)) })
	if err != nil {
		fail(err)
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(root, p)
		if old, err := os.ReadFile(full); err == nil && string(old) == string(files[p]) {
			continue
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			fail(err)
		}
		fmt.Println("vocabgen: wrote", p)
	}
}

// repoRoot is the nearest directory upwards holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("vocabgen: no go.mod above the working directory")
		}
		dir = parent
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "vocabgen:", err)
	os.Exit(1)
}
