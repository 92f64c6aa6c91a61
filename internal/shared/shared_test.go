package shared

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// A linked worktree finds the shared folder beside its main worktree; a
// plain checkout beside itself; WHY401_SHARED wins over both.
func TestFind(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("skipped: the worktree case needs git")
	}
	base := t.TempDir()
	main := filepath.Join(base, "main")
	linked := filepath.Join(base, "wt", "linked")
	shared := filepath.Join(base, "shared")
	for _, d := range []string{main, shared, filepath.Dir(linked)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	git := func(dir string, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	os.WriteFile(filepath.Join(main, "go.mod"), []byte("module why401\n"), 0o644)
	git(main, "init", "-q")
	git(main, "add", "go.mod")
	git(main, "commit", "-qm", "x")
	git(main, "worktree", "add", "-q", linked)
	other := filepath.Join(base, "elsewhere")
	os.MkdirAll(other, 0o755)

	cases := []struct {
		name, wd, env, want string
	}{
		{"main", main, "", shared},
		{"linked worktree", filepath.Join(linked), "", shared},
		{"env", linked, other, other},
		{"env absent", linked, filepath.Join(base, "nope"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(c.wd)
			t.Setenv("WHY401_SHARED", c.env)
			got, _ := find()
			if got != c.want {
				t.Errorf("find() = %q, want %q", got, c.want)
			}
		})
	}
	os.RemoveAll(shared)
	t.Chdir(linked)
	t.Setenv("WHY401_SHARED", "")
	if got, tried := find(); got != "" || len(tried) != 2 {
		t.Errorf("without a shared folder: %q, tried %v", got, tried)
	}
}
