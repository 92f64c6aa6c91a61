package main

import (
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The flag parser reads what spf13/pflag read, and fails with its messages
// (the CLI used pflag until issue 31).
func TestFlagParsing(t *testing.T) {
	type got struct {
		format        string
		verbose, help bool
		jobs          int
		args          []string
	}
	for _, c := range []struct {
		args []string
		want got
		err  string
	}{
		{args: nil, want: got{format: "text", jobs: 4, args: []string{}}},
		{args: []string{"a.har", "-f", "json", "b.har"}, want: got{format: "json", jobs: 4, args: []string{"a.har", "b.har"}}},
		{args: []string{"--format=markdown", "-"}, want: got{format: "markdown", jobs: 4, args: []string{"-"}}},
		{args: []string{"--format", "table"}, want: got{format: "table", jobs: 4, args: []string{}}},
		{args: []string{"-fjson"}, want: got{format: "json", jobs: 4, args: []string{}}},
		{args: []string{"-f=json"}, want: got{format: "json", jobs: 4, args: []string{}}},
		{args: []string{"-vh"}, want: got{format: "text", verbose: true, help: true, jobs: 4, args: []string{}}},
		{args: []string{"-vj2", "x"}, want: got{format: "text", verbose: true, jobs: 2, args: []string{"x"}}},
		{args: []string{"-j", "0x10"}, want: got{format: "text", jobs: 16, args: []string{}}},
		{args: []string{"--verbose=false", "--jobs=3"}, want: got{format: "text", jobs: 3, args: []string{}}},
		{args: []string{"--", "-f", "--bogus"}, want: got{format: "text", jobs: 4, args: []string{"-f", "--bogus"}}},
		{args: []string{"--bogus"}, err: "unknown flag: --bogus"},
		{args: []string{"--bogus=1"}, err: "unknown flag: --bogus"},
		{args: []string{"-x"}, err: "unknown shorthand flag: 'x' in -x"},
		{args: []string{"-vx"}, err: "unknown shorthand flag: 'x' in -x"},
		{args: []string{"--format"}, err: "flag needs an argument: --format"},
		{args: []string{"-f"}, err: "flag needs an argument: 'f' in -f"},
		{args: []string{"-j", "many"}, err: `invalid argument "many" for "-j, --jobs" flag: must be an integer`},
		{args: []string{"--verbose=maybe"}, err: `invalid argument "maybe" for "-v, --verbose" flag: must be true or false`},
		{args: []string{"---x"}, err: "bad flag syntax: ---x"},
		{args: []string{"--=x"}, err: "bad flag syntax: --=x"},
	} {
		var cfg config
		var v flagValues
		fl := &flagSet{}
		defineFlags(fl, &cfg, &v)
		cfg.jobs = 4 // the default is the number of CPUs
		err := fl.Parse(c.args)
		if c.err != "" {
			require.Error(t, err, "%q", c.args)
			assert.Equal(t, c.err, err.Error(), "%q", c.args)
			continue
		}
		require.NoError(t, err, "%q", c.args)
		assert.Equal(t, c.want, got{cfg.format, cfg.verbose, v.help, cfg.jobs, fl.Args()}, "%q", c.args)
	}
}

// The CLI links neither net nor cgo: go build gives a static binary with
// no C stack or malloc arena per thread (pflag pulled net in, and with it
// runtime/cgo: under a 1 GiB address-space limit the CLI died on tiny
// inputs).
func TestNoNetLinked(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("needs the go command")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	require.NoError(t, err)
	for _, p := range strings.Fields(string(out)) {
		switch p {
		case "net", "runtime/cgo", "os/user", "plugin":
			t.Errorf("why401 links %s", p)
		}
	}
}

// Built as go build builds it, the CLI runs 32 threads under a 1 GiB
// address-space limit (ulimit -v): linked with cgo, each thread carried a
// C stack and a malloc arena, and the same run died ("runtime/cgo:
// pthread_create failed") with a few MB in use.
func TestRunsUnderAddressLimit(t *testing.T) {
	if runtime.GOOS != "linux" || testing.Short() {
		t.Skip("ulimit -v and go build: Linux, not -short")
	}
	bin := t.TempDir() + "/why401"
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	cmd := exec.Command("sh", "-c", `ulimit -v 1048576 && exec "$0" -j 32 --format json "$1"`, bin, cases)
	cmd.Env = append(cmd.Environ(), "GOMAXPROCS=32")
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "%s", firstLines(string(out), 3))
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
