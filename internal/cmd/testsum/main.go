// Command testsum runs one part of ./build.sh test and says how it went: it
// runs the part's command, shows its output the way `go test` would (package
// lines, and the whole output of what failed), and ends with one line:
//
//	== go test (native): 1512 passed, 0 failed, 14 skipped (5m12s)
//
// It appends that part's figures, and the name and reason of each skip and
// failure, to a record file; `testsum -total FILE` then prints every part,
// a total, and each skip with its reason.
//
//	testsum -record FILE -part NAME [-format gojson|tap|plain] -- COMMAND [ARG...]
//	testsum -total FILE
//
// -format gojson reads `go test -json` (test2json events), tap reads the TAP
// that `node --test --test-reporter=tap` writes, pytest reads `pytest -q
// -rfEs` (its closing counts, and its short summary for the skips and
// failures), plain passes the output through and counts the command as one
// check. The exit status is the
// command's, or 1 when a test failed though the command said nothing.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"time"
)

// record is one part's outcome, a line of the record file.
type record struct {
	Part     string  `json:"part"`
	Format   string  `json:"format"`
	Passed   int     `json:"passed"`
	Failed   int     `json:"failed"`
	Skipped  int     `json:"skipped"`
	Seconds  float64 `json:"seconds"`
	ExitCode int     `json:"exit_code"`
	Skips    []item  `json:"skips,omitempty"`
	Failures []item  `json:"failures,omitempty"`
}

// item is a test that was skipped or failed, and why.
type item struct {
	Name   string `json:"name"`
	Reason string `json:"reason,omitempty"`
}

func main() {
	recordFile := flag.String("record", "", "append this part's figures to `FILE`")
	part := flag.String("part", "", "the part's `NAME`")
	format := flag.String("format", "gojson", "the command's output: gojson, tap, pytest or plain")
	total := flag.String("total", "", "print the summary of the record `FILE`, exit 1 if a part failed")
	flag.Parse()
	if *total != "" {
		os.Exit(printTotal(os.Stdout, *total))
	}
	if *part == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: testsum -record FILE -part NAME [-format gojson|tap|pytest|plain] -- COMMAND [ARG...]\n       testsum -total FILE")
		os.Exit(2)
	}
	start := time.Now()
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdin, cmd.Stderr = os.Stdin, os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	r := record{Part: *part, Format: *format}
	switch *format {
	case "gojson":
		readGoJSON(out, os.Stdout, &r)
	case "tap":
		readTAP(out, os.Stdout, &r)
	case "pytest":
		readPytest(out, os.Stdout, &r)
	default:
		io.Copy(os.Stdout, out)
	}
	err = cmd.Wait()
	r.Seconds = time.Since(start).Seconds()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.ExitCode = exit.ExitCode()
	case err != nil:
		r.ExitCode = 2
	}
	finish(&r)
	fmt.Println(closingLine(r))
	if *recordFile != "" {
		if err := appendRecord(*recordFile, r); err != nil {
			fmt.Fprintln(os.Stderr, "testsum:", err)
		}
	}
	if r.ExitCode != 0 {
		os.Exit(r.ExitCode)
	}
	if r.Failed > 0 {
		os.Exit(1)
	}
}

// finish reconciles the counts with the exit code: a plain part is one
// check; a command that failed with no failed test (a crash, a bad flag, a
// build error outside the tests) counts as one failure.
func finish(r *record) {
	if r.Format == "plain" {
		if r.ExitCode == 0 {
			r.Passed = 1
		} else {
			r.Failed = 1
			r.Failures = append(r.Failures, item{Name: "the command", Reason: fmt.Sprintf("exit status %d", r.ExitCode)})
		}
		return
	}
	if r.ExitCode != 0 && r.Failed == 0 {
		r.Failed = 1
		r.Failures = append(r.Failures, item{Name: "the command", Reason: fmt.Sprintf("exit status %d and no failed test (see its output above)", r.ExitCode)})
	}
}

func closingLine(r record) string {
	d := time.Duration(r.Seconds * float64(time.Second)).Round(time.Second)
	if r.Format == "plain" {
		status := "passed"
		if r.Failed > 0 {
			status = fmt.Sprintf("FAILED (exit status %d)", r.ExitCode)
		}
		return fmt.Sprintf("== %s: %s (%s)", r.Part, status, d)
	}
	return fmt.Sprintf("== %s: %d passed, %d failed, %d skipped (%s)", r.Part, r.Passed, r.Failed, r.Skipped, d)
}

func appendRecord(path string, r record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// event is a test2json event (go doc test2json).
type event struct {
	Action     string
	Package    string
	Test       string
	Output     string
	ImportPath string
}

// readGoJSON counts `go test -json` events and prints what `go test`
// without -v would: each package's closing line, the output of each failed
// test, and build errors. A skip's reason is what the test logged.
func readGoJSON(in io.Reader, w io.Writer, r *record) {
	logs := map[string][]string{} // package + test → output lines so far
	running := map[string]bool{}  // package + test → started, not yet ended
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintf(w, "%s\n", line) // not an event: go vet output, a panic before the tests
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "build-output":
			fmt.Fprint(w, e.Output)
		case "build-fail":
			r.Failed++
			r.Failures = append(r.Failures, item{Name: e.ImportPath, Reason: "build failed"})
		case "output":
			if e.Test == "" {
				if o := e.Output; o != "PASS\n" && !strings.HasPrefix(o, "=== ") {
					fmt.Fprint(w, o)
				}
				continue
			}
			if !strings.HasPrefix(e.Output, "=== ") {
				logs[key] = append(logs[key], e.Output)
			}
		case "run":
			if e.Test != "" {
				running[key] = true
			}
		case "pass", "fail", "skip":
			if e.Test == "" {
				if e.Action == "fail" {
					unfinished(e.Package, w, r, logs, running)
					if len(logs[key]) > 0 {
						fmt.Fprint(w, strings.Join(logs[key], "")) // a panic outside a test
					}
				}
				delete(logs, key)
				continue
			}
			delete(running, key)
			name := shortPackage(e.Package) + " " + e.Test
			switch e.Action {
			case "pass":
				r.Passed++
			case "fail":
				r.Failed++
				fmt.Fprint(w, strings.Join(logs[key], ""))
				r.Failures = append(r.Failures, item{Name: name})
			case "skip":
				r.Skipped++
				r.Skips = append(r.Skips, item{Name: name, Reason: skipReason(logs[key])})
			}
			delete(logs, key)
		}
	}
}

// unfinished counts, as failures, the tests of a failed package that
// started and never ended: the package timed out (go test's -timeout) or
// crashed while they ran. Their output, which holds the panic and, on a
// timeout, the list of running tests, is shown; only the innermost of a
// nest of subtests is counted.
func unfinished(pkg string, w io.Writer, r *record, logs map[string][]string, running map[string]bool) {
	var names []string
	for key := range running {
		if p, _, _ := strings.Cut(key, " "); p == pkg {
			names = append(names, key)
		}
	}
	sort.Strings(names)
	for i, key := range names {
		delete(running, key)
		if len(logs[key]) > 0 {
			fmt.Fprint(w, strings.Join(logs[key], ""))
		}
		delete(logs, key)
		if i+1 < len(names) && strings.HasPrefix(names[i+1], key+"/") {
			continue // a parent of the next one
		}
		_, test, _ := strings.Cut(key, " ")
		r.Failed++
		r.Failures = append(r.Failures, item{Name: shortPackage(pkg) + " " + test, Reason: "did not finish: the package timed out or crashed while it ran (its output above)"})
	}
}

func shortPackage(p string) string {
	if p == "why401" {
		return "."
	}
	return strings.TrimPrefix(p, "why401/")
}

var logPrefix = regexp.MustCompile(`^\s*[\w.-]+\.go:\d+: `)

// skipReason is what a skipped test logged, on one line, without its
// "--- SKIP" line and file:line prefixes.
func skipReason(lines []string) string {
	var parts []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		parts = append(parts, logPrefix.ReplaceAllString(strings.TrimRight(l, "\n"), ""))
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, " ")
}

var (
	tapResult  = regexp.MustCompile(`^(\s*)(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)\b ?(.*))?$`)
	tapSubtest = regexp.MustCompile(`^(\s*)# Subtest: (.*)$`)
	tapCount   = regexp.MustCompile(`^# (pass|fail|cancelled|skipped|todo) (\d+)$`)
)

// readTAP reads the TAP of `node --test`: it prints each top-level test's
// result line and the whole block of a failed one, takes the counts from
// node's closing comments, and names each skip (nested ones as
// "parent > child") with its reason.
func readTAP(in io.Reader, w io.Writer, r *record) {
	var block []string // the lines of the top-level test being read
	var stack []string // subtest names by depth
	printing := false  // in a failed top-level test's diagnostics
	counts := map[string]int{}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := tapCount.FindStringSubmatch(line); m != nil {
			var n int
			fmt.Sscan(m[2], &n)
			counts[m[1]] = n
			printing = false
			continue
		}
		if m := tapSubtest.FindStringSubmatch(line); m != nil {
			depth := len(m[1]) / 4
			if depth == 0 {
				printing, block = false, block[:0]
			}
			stack = append(stack[:min(depth, len(stack))], m[2])
		}
		if printing {
			fmt.Fprintln(w, line)
		} else {
			block = append(block, line)
		}
		m := tapResult.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		depth := len(m[1]) / 4
		name := strings.Join(append(append([]string{}, stack[:min(depth, len(stack))]...), m[3]), " > ")
		switch {
		case m[4] != "":
			r.Skips = append(r.Skips, item{Name: name, Reason: strings.TrimSpace(m[5])})
		case m[2] == "not ok":
			r.Failures = append(r.Failures, item{Name: name})
		}
		if depth == 0 && !printing {
			if m[2] == "not ok" {
				fmt.Fprintln(w, strings.Join(block, "\n")) // then its diagnostics, as they come
				printing = true
			} else {
				fmt.Fprintln(w, strings.TrimSpace(line))
			}
			block = block[:0]
		}
	}
	r.Passed = counts["pass"]
	r.Failed = counts["fail"] + counts["cancelled"]
	r.Skipped = counts["skipped"] + counts["todo"]
	if len(counts) == 0 {
		// No closing counts (the runner died): say what was read.
		fmt.Fprintln(w, strings.Join(block, "\n"))
		r.Failed = max(len(r.Failures), 1)
		r.Skipped = len(r.Skips)
	}
}

var (
	pytestSkip   = regexp.MustCompile(`^SKIPPED \[(\d+)\] (\S+?:\d+): (.*)$`)
	pytestFail   = regexp.MustCompile(`^(FAILED|ERROR) (\S+)(?: - (.*))?$`)
	pytestCounts = regexp.MustCompile(`^=*\s*(\d+ [a-z]+(?:, \d+ [a-z]+)*) in [\d.]+s`)
	pytestCount  = regexp.MustCompile(`(\d+) ([a-z]+)`)
)

// readPytest passes pytest's output through, takes the counts from its
// closing line ("12 passed, 1 skipped in 3.21s") and the skips and failures
// from its short summary (-rfEs).
func readPytest(in io.Reader, w io.Writer, r *record) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	counted := false
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(w, line)
		if m := pytestSkip.FindStringSubmatch(line); m != nil {
			r.Skips = append(r.Skips, item{Name: m[2] + " (" + m[1] + ")", Reason: m[3]})
		} else if m := pytestFail.FindStringSubmatch(line); m != nil {
			r.Failures = append(r.Failures, item{Name: m[2], Reason: m[3]})
		} else if m := pytestCounts.FindStringSubmatch(line); m != nil {
			counted = true
			for _, c := range pytestCount.FindAllStringSubmatch(m[1], -1) {
				var n int
				fmt.Sscan(c[1], &n)
				switch c[2] {
				case "passed", "xfailed", "xpassed":
					r.Passed += n
				case "failed", "error", "errors":
					r.Failed += n
				case "skipped":
					r.Skipped += n
				}
			}
		}
	}
	if !counted {
		r.Failed = max(len(r.Failures), 1)
	}
}

// printTotal prints every part's line, the total and each skip and failure;
// it returns 1 when a part failed.
func printTotal(w io.Writer, path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		return 2
	}
	var rs []record
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var r record
		if l != "" && json.Unmarshal([]byte(l), &r) == nil {
			rs = append(rs, r)
		}
	}
	var t record
	width := len("total")
	for _, r := range rs {
		width = max(width, len(r.Part))
	}
	fmt.Fprintln(w, "== summary")
	for _, r := range rs {
		line := strings.TrimPrefix(closingLine(r), "== "+r.Part+": ")
		fmt.Fprintf(w, "  %-*s  %s\n", width, r.Part, line)
		t.Passed += r.Passed
		t.Failed += r.Failed
		t.Skipped += r.Skipped
		t.Seconds += r.Seconds
		for _, s := range r.Skips {
			t.Skips = append(t.Skips, item{Name: r.Part + ": " + s.Name, Reason: s.Reason})
		}
		for _, f := range r.Failures {
			t.Failures = append(t.Failures, item{Name: r.Part + ": " + f.Name, Reason: f.Reason})
		}
	}
	d := time.Duration(t.Seconds * float64(time.Second)).Round(time.Second)
	fmt.Fprintf(w, "  %-*s  %d passed, %d failed, %d skipped in %d parts (%s)\n", width, "total", t.Passed, t.Failed, t.Skipped, len(rs), d)
	if len(t.Skips) > 0 {
		fmt.Fprintf(w, "skipped (%d):\n", len(t.Skips))
		for _, s := range t.Skips {
			fmt.Fprintf(w, "  %s: %s\n", s.Name, s.Reason)
		}
	}
	if len(t.Failures) > 0 {
		fmt.Fprintf(w, "FAILED (%d):\n", len(t.Failures))
		for _, f := range t.Failures {
			if f.Reason != "" {
				fmt.Fprintf(w, "  %s: %s\n", f.Name, f.Reason)
			} else {
				fmt.Fprintf(w, "  %s\n", f.Name)
			}
		}
		return 1
	}
	return 0
}
