// Package shared finds the team's sibling folder of reference material,
// ../shared beside the repository (README.md, "The sibling ../shared
// folder"), for the tests that read it: real HAR captures
// (shared/captures, from the mitmproxy project) and the knowledge files the
// vendor list is checked against (shared/knowledge/antibot.md).
//
// It is looked for, in order: in $WHY401_SHARED; beside the repository's
// root (the folder holding go.mod); beside the main worktree when the
// repository is a linked git worktree (git worktree add puts those
// elsewhere). A test that needs it and does not find it skips, saying
// what it did not check and how to get it, so no check is lost silently.
package shared

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	once  sync.Once
	dir   string
	tried []string
)

// Dir is the shared folder, or an error naming where it was looked for.
func Dir() (string, error) {
	once.Do(func() { dir, tried = find() })
	if dir == "" {
		return "", errors.New("no shared folder (looked in " + strings.Join(tried, ", ") + "; set WHY401_SHARED to its path)")
	}
	return dir, nil
}

// Path is the file or folder rel (slash-separated) inside the shared folder;
// without it, t skips with what is not checked.
func Path(t testing.TB, rel, unchecked string) string {
	t.Helper()
	d, err := Dir()
	if err == nil {
		p := filepath.Join(d, filepath.FromSlash(rel))
		if _, err = os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("skipped: %s, which needs ../shared/%s beside the repository (README.md, \"The sibling ../shared folder\"): %v", unchecked, rel, err)
	return ""
}

// Captures lists the shared real HAR files (shared/captures/*.har, or
// $WHY401_CAPTURES/*.har); without them, t skips with what is not checked.
func Captures(t testing.TB, unchecked string) []string {
	t.Helper()
	d := os.Getenv("WHY401_CAPTURES")
	if d == "" {
		d = Path(t, "captures", unchecked)
	}
	files, _ := filepath.Glob(filepath.Join(d, "*.har"))
	if len(files) == 0 {
		t.Skipf("skipped: %s: no .har file in %s", unchecked, d)
	}
	return files
}

func find() (string, []string) {
	var tried []string
	ok := func(d string) bool {
		tried = append(tried, d)
		st, err := os.Stat(d)
		return err == nil && st.IsDir()
	}
	if env := os.Getenv("WHY401_SHARED"); env != "" {
		if ok(env) {
			return env, tried
		}
		return "", tried // named but absent: look no further
	}
	root := moduleRoot()
	if root == "" {
		return "", append(tried, "(no go.mod above the working directory)")
	}
	if d := filepath.Join(filepath.Dir(root), "shared"); ok(d) {
		return d, tried
	}
	if main := mainWorktree(root); main != "" && main != root {
		if d := filepath.Join(filepath.Dir(main), "shared"); ok(d) {
			return d, tried
		}
	}
	return "", tried
}

// moduleRoot is the nearest folder above the working directory (a test's
// package folder) holding go.mod.
func moduleRoot() string {
	d, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return ""
		}
		d = up
	}
}

// mainWorktree is the main worktree of a linked worktree at root: root/.git
// is then a file "gitdir: <main>/.git/worktrees/<name>", whose commondir
// file names <main>/.git. It is "" for anything else.
func mainWorktree(root string) string {
	f, err := os.Open(filepath.Join(root, ".git"))
	if err != nil {
		return ""
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.IsDir() {
		return ""
	}
	line, _ := bufio.NewReader(f).ReadString('\n')
	gitdir, found := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !found {
		return ""
	}
	gitdir = strings.TrimSpace(gitdir)
	if !filepath.IsAbs(gitdir) {
		gitdir = filepath.Join(root, gitdir)
	}
	common, err := os.ReadFile(filepath.Join(gitdir, "commondir"))
	if err != nil {
		return ""
	}
	c := strings.TrimSpace(string(common))
	if !filepath.IsAbs(c) {
		c = filepath.Join(gitdir, c)
	}
	c = filepath.Clean(c)
	if filepath.Base(c) != ".git" {
		return "" // a bare repository: no main worktree
	}
	return filepath.Dir(c)
}
