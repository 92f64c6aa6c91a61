package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"why401/internal/hostile"
)

// TestSanitizeBombMemory: `why401 sanitize` on a 10 MB .har.gz that
// inflates to 10 GB refuses it past MaxBytes (1 GiB) with a clear error, in
// a child process whose peak RSS stays far under 2 GB (before issue 18 the
// whole inflated input was read into memory: out of memory under 2 GB).
// Standard input goes through the same streaming path (spooled).
func TestSanitizeBombMemory(t *testing.T) {
	if testing.Short() || runtime.GOOS != "linux" {
		t.Skip("inflates 1 GiB twice; peak RSS from Linux rusage")
	}
	if os.Getenv("WHY401_SANITIZE_CHILD") != "" {
		return
	}
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.har.gz")
	if err := os.WriteFile(bomb, hostile.HARGzBomb(10<<30), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"sanitize", bomb}, {"sanitize", "-"}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSanitizeChild$")
		cmd.Env = append(os.Environ(), "WHY401_SANITIZE_CHILD="+strings.Join(args, "\x1f"), "GOMEMLIMIT=1GiB")
		if args[1] == "-" {
			f, err := os.Open(bomb)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cmd.Stdin = f
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if cmd.ProcessState == nil {
			t.Fatalf("%v: %v", args, err)
		}
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
		t.Logf("%v: exit %d, peak RSS %d MiB, %q", args, cmd.ProcessState.ExitCode(), rss>>20, strings.TrimSpace(stderr.String()))
		if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(stderr.String(), "MaxBytes") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the MaxBytes error", args, cmd.ProcessState.ExitCode(), stderr.String())
		}
		if len(out) != 0 {
			t.Errorf("%v: %d bytes written for a refused input", args, len(out))
		}
		if rss > 512<<20 {
			t.Errorf("%v: peak RSS %d MiB", args, rss>>20)
		}
	}
}

// TestSanitizeChild is the child of TestSanitizeBombMemory.
func TestSanitizeChild(t *testing.T) {
	v := os.Getenv("WHY401_SANITIZE_CHILD")
	if v == "" {
		t.Skip("run by TestSanitizeBombMemory")
	}
	os.Exit(run(strings.Split(v, "\x1f"), os.Stdin, os.Stdout, os.Stderr))
}
