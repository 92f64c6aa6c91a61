package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadGoJSON(t *testing.T) {
	in := strings.Join([]string{
		`{"ImportPath":"why401/bad [why401/bad.test]","Action":"build-output","Output":"bad.go:2: undefined: x\n"}`,
		`{"ImportPath":"why401/bad [why401/bad.test]","Action":"build-fail"}`,
		`{"Action":"run","Package":"why401/a","Test":"TestOK"}`,
		`{"Action":"output","Package":"why401/a","Test":"TestOK","Output":"=== RUN   TestOK\n"}`,
		`{"Action":"output","Package":"why401/a","Test":"TestOK","Output":"    a_test.go:9: chatter\n"}`,
		`{"Action":"pass","Package":"why401/a","Test":"TestOK"}`,
		`{"Action":"output","Package":"why401/a","Test":"TestShared/antibot.md","Output":"    vendor_test.go:89: skipped: the check, which needs ../shared\n"}`,
		`{"Action":"output","Package":"why401/a","Test":"TestShared/antibot.md","Output":"--- SKIP: TestShared/antibot.md (0.00s)\n"}`,
		`{"Action":"skip","Package":"why401/a","Test":"TestShared/antibot.md"}`,
		`{"Action":"output","Package":"why401/a","Test":"TestBad","Output":"    a_test.go:20: want 2, got 1\n"}`,
		`{"Action":"output","Package":"why401/a","Test":"TestBad","Output":"--- FAIL: TestBad (0.00s)\n"}`,
		`{"Action":"fail","Package":"why401/a","Test":"TestBad"}`,
		`{"Action":"output","Package":"why401/a","Output":"PASS\n"}`,
		`{"Action":"output","Package":"why401/a","Output":"FAIL\twhy401/a\t0.1s\n"}`,
		`{"Action":"fail","Package":"why401/a"}`,
		`not json: a vet line`,
	}, "\n")
	var out bytes.Buffer
	var r record
	readGoJSON(strings.NewReader(in), &out, &r)
	if r.Passed != 1 || r.Failed != 2 || r.Skipped != 1 {
		t.Errorf("counts %d/%d/%d, want 1/2/1", r.Passed, r.Failed, r.Skipped)
	}
	if len(r.Skips) != 1 || r.Skips[0].Name != "a TestShared/antibot.md" || r.Skips[0].Reason != "skipped: the check, which needs ../shared" {
		t.Errorf("skips %+v", r.Skips)
	}
	got := out.String()
	for _, want := range []string{"bad.go:2: undefined: x", "a_test.go:20: want 2, got 1", "--- FAIL: TestBad", "FAIL\twhy401/a\t0.1s", "not json: a vet line"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"chatter", "=== RUN", "PASS\n"} {
		if strings.Contains(got, not) {
			t.Errorf("output shows %q:\n%s", not, got)
		}
	}
}

func TestReadGoJSONTimeout(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"why401/e2e","Test":"TestFast"}`,
		`{"Action":"pass","Package":"why401/e2e","Test":"TestFast"}`,
		`{"Action":"run","Package":"why401/e2e","Test":"TestSlow"}`,
		`{"Action":"run","Package":"why401/e2e","Test":"TestSlow/page"}`,
		`{"Action":"output","Package":"why401/e2e","Test":"TestSlow/page","Output":"panic: test timed out after 10m0s\n"}`,
		`{"Action":"output","Package":"why401/e2e","Output":"FAIL\twhy401/e2e\t600.1s\n"}`,
		`{"Action":"fail","Package":"why401/e2e"}`,
	}, "\n")
	var out bytes.Buffer
	var r record
	readGoJSON(strings.NewReader(in), &out, &r)
	if r.Passed != 1 || r.Failed != 1 {
		t.Errorf("counts %d passed, %d failed, want 1 and 1", r.Passed, r.Failed)
	}
	if len(r.Failures) != 1 || r.Failures[0].Name != "e2e TestSlow/page" || !strings.Contains(r.Failures[0].Reason, "timed out") {
		t.Errorf("failures %+v", r.Failures)
	}
	if !strings.Contains(out.String(), "panic: test timed out after 10m0s") {
		t.Errorf("output lacks the panic:\n%s", out.String())
	}
}

func TestReadTAP(t *testing.T) {
	in := `TAP version 13
# Subtest: one
ok 1 - one
  ---
  duration_ms: 3.9
  ...
# Subtest: browser
ok 2 - browser # SKIP chromium not found
# Subtest: nested
    # Subtest: inner
    ok 1 - inner
    # Subtest: inner skip
    ok 2 - inner skip # SKIP why not
    1..2
ok 3 - nested
# Subtest: fails
not ok 4 - fails
  ---
  error: 'Expected 1 to equal 2'
  ...
# Subtest: after
ok 5 - after
1..5
# tests 6
# suites 0
# pass 3
# fail 1
# cancelled 0
# skipped 2
# todo 0
`
	var out bytes.Buffer
	var r record
	readTAP(strings.NewReader(in), &out, &r)
	if r.Passed != 3 || r.Failed != 1 || r.Skipped != 2 {
		t.Errorf("counts %d/%d/%d, want 3/1/2", r.Passed, r.Failed, r.Skipped)
	}
	if len(r.Skips) != 2 || r.Skips[0] != (item{"browser", "chromium not found"}) || r.Skips[1] != (item{"nested > inner skip", "why not"}) {
		t.Errorf("skips %+v", r.Skips)
	}
	if len(r.Failures) != 1 || r.Failures[0].Name != "fails" {
		t.Errorf("failures %+v", r.Failures)
	}
	want := "ok 1 - one\nok 2 - browser # SKIP chromium not found\nok 3 - nested\n# Subtest: fails\nnot ok 4 - fails\n  ---\n  error: 'Expected 1 to equal 2'\n  ...\nok 5 - after\n"
	if out.String() != want {
		t.Errorf("output\n%s\nwant\n%s", out.String(), want)
	}

	// A runner that died before its counts: a failure, not a pass.
	r = record{}
	readTAP(strings.NewReader("TAP version 13\n# Subtest: one\nok 1 - one\n"), &bytes.Buffer{}, &r)
	if r.Failed != 1 {
		t.Errorf("no counts: %d failed, want 1", r.Failed)
	}
}

func TestReadPytest(t *testing.T) {
	in := `........s.F.                                                   [100%]
=================================== FAILURES ===================================
___________________________________ test_bad ___________________________________
E   assert 1 == 2
=========================== short test summary info ============================
SKIPPED [1] tests/test_scrapy.py:40: Scrapy not installed
FAILED tests/test_hooks.py::test_bad - assert 1 == 2
1 failed, 10 passed, 1 skipped in 3.21s
`
	var out bytes.Buffer
	var r record
	readPytest(strings.NewReader(in), &out, &r)
	if r.Passed != 10 || r.Failed != 1 || r.Skipped != 1 {
		t.Errorf("counts %d/%d/%d, want 10/1/1", r.Passed, r.Failed, r.Skipped)
	}
	if len(r.Skips) != 1 || r.Skips[0] != (item{"tests/test_scrapy.py:40 (1)", "Scrapy not installed"}) {
		t.Errorf("skips %+v", r.Skips)
	}
	if len(r.Failures) != 1 || r.Failures[0] != (item{"tests/test_hooks.py::test_bad", "assert 1 == 2"}) {
		t.Errorf("failures %+v", r.Failures)
	}
	if out.String() != in {
		t.Error("the output is not passed through as is")
	}
	r = record{}
	readPytest(strings.NewReader("ImportError: no module named x\n"), &bytes.Buffer{}, &r)
	if r.Failed != 1 {
		t.Errorf("no counts: %d failed, want 1", r.Failed)
	}
}

func TestTotal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	for _, r := range []record{
		{Part: "go vet", Format: "plain", Passed: 1, Seconds: 61},
		{Part: "go test", Format: "gojson", Passed: 10, Skipped: 1, Seconds: 300, Skips: []item{{"e2e TestX", "no chromium"}}},
		{Part: "npm", Format: "tap", Passed: 3, Failed: 1, Seconds: 60, Failures: []item{{Name: "fails"}}},
	} {
		if err := appendRecord(path, r); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if code := printTotal(&out, path); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"  go vet   passed (1m1s)",
		"  go test  10 passed, 0 failed, 1 skipped (5m0s)",
		"  total    14 passed, 1 failed, 1 skipped in 3 parts (7m1s)",
		"skipped (1):\n  go test: e2e TestX: no chromium",
		"FAILED (1):\n  npm: fails",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	os.Remove(path)
}

// A command that fails without a failed test is a failure; a plain part is one check.
func TestFinish(t *testing.T) {
	r := record{Format: "gojson", Passed: 5, ExitCode: 2}
	finish(&r)
	if r.Failed != 1 || !strings.Contains(closingLine(r), "5 passed, 1 failed") {
		t.Errorf("%+v: %s", r, closingLine(r))
	}
	p := record{Part: "vet", Format: "plain", ExitCode: 1}
	finish(&p)
	if p.Failed != 1 || closingLine(p) != "== vet: FAILED (exit status 1) (0s)" {
		t.Errorf("%+v: %s", p, closingLine(p))
	}
}
