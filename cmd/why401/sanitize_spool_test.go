package main

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// spoolChild starts `why401 sanitize -` in a child process (TestSanitizeChild)
// with $TMPDIR set to a folder of its own.
func spoolChild(t *testing.T, tmp string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSanitizeChild$")
	cmd.Env = append(os.Environ(), "WHY401_SANITIZE_CHILD=sanitize\x1f-", "TMPDIR="+tmp)
	return cmd
}

func leftIn(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// `why401 sanitize -` spools standard input to $TMPDIR (it is read twice);
// the unsanitized copy must not outlive the process when it is
// interrupted (Ctrl-C while reading) or killed by a closed pipe (SIGPIPE
// when writing): it was removed only at a normal exit.
func TestSanitizeSpoolLeavesNothing(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("signals and pipes of a Unix")
	}
	if os.Getenv("WHY401_SANITIZE_CHILD") != "" {
		return
	}
	har := `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{"request":{"method":"GET","url":"https://a.example/","headers":[{"name":"Authorization","value":"Bearer sk_live_0123456789abcdefghijklmn"}]},"response":{"status":401,"headers":[],"content":{"text":"` + strings.Repeat("x", 1<<20) + `"}}}]}}`

	t.Run("Ctrl-C while reading", func(t *testing.T) {
		tmp := t.TempDir()
		cmd := spoolChild(t, tmp)
		in, err := cmd.StdinPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		// Writing more than a pipe holds returns only once the child has
		// read it into its spool.
		_, err = in.Write([]byte(har[:512<<10]))
		require.NoError(t, err)
		require.NoError(t, cmd.Process.Signal(os.Interrupt))
		err = cmd.Wait()
		in.Close()
		require.Error(t, err, "the child was interrupted")
		assert.Empty(t, leftIn(t, tmp), "the raw capture was left in $TMPDIR")
	})

	t.Run("closed pipe while writing", func(t *testing.T) {
		tmp := t.TempDir()
		cmd := spoolChild(t, tmp)
		cmd.Stdin = strings.NewReader(har)
		r, w, err := os.Pipe()
		require.NoError(t, err)
		cmd.Stdout = w
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		r.Close() // nobody reads: the first write gets EPIPE, then SIGPIPE
		require.NoError(t, cmd.Start())
		w.Close()
		err = cmd.Wait()
		require.Error(t, err, "the child writes to a closed pipe")
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
			t.Logf("child: signaled %v (%v), exit %d, %q", ws.Signaled(), ws.Signal(), ws.ExitStatus(), stderr.String())
		}
		assert.Empty(t, leftIn(t, tmp), "the raw capture was left in $TMPDIR")
	})
}
