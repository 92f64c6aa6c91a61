package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const storyCases = "../../analyzer/testdata/cases/story"

// jsonLines decodes JSON Lines output.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), "%s", sc.Text())
		recs = append(recs, m)
	}
	return recs
}

func TestFlagsAfterFileNames(t *testing.T) {
	code, out, errOut := runCLI(t, "", cases, "-f", "json", "--only-problems")
	require.Equal(t, 0, code, errOut)
	recs := jsonLines(t, out)
	require.Greater(t, len(recs), 3)
	for _, r := range recs {
		assert.EqualValues(t, 1, r["schema_version"])
		for _, e := range r["exchanges"].([]any) {
			assert.NotEqual(t, "ok", e.(map[string]any)["verdict"])
		}
	}
}

func TestUnknownFlagAsWritten(t *testing.T) {
	for arg, want := range map[string]string{"--bogus": "--bogus", "-x": "'x' in -x", "--format": "--format"} {
		code, _, errOut := runCLI(t, "", cases, arg)
		assert.Equal(t, 2, code, arg)
		assert.Contains(t, errOut, want, arg)
		assert.NotContains(t, errOut, " -bogus", arg)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
	}
}

// Every flag the CLI (and why401 diff) defines is in --help with its short
// form, and --help names no flag the CLI lacks.
func TestHelpListsEveryFlag(t *testing.T) {
	_, help, _ := runCLI(t, "", "--help")
	_, diffHelp, _ := runCLI(t, "", "diff", "--help")
	var cfg config
	main := &flagSet{}
	defineFlags(main, &cfg, &flagValues{})
	diff := &flagSet{}
	var s string
	var i int
	var b bool
	defineDiffFlags(diff, &s, &s, &i, &i, &b, &b)
	for _, c := range []struct {
		help string
		fl   *flagSet
	}{{help, main}, {diffHelp, diff}} {
		c.fl.VisitAll(func(f *cliFlag) {
			name := "--" + f.Name
			if f.Shorthand != "" {
				name = "-" + f.Shorthand + ", --" + f.Name
			}
			assert.Contains(t, c.help, "  "+name+" ", "--help lacks %s", name)
		})
		for _, w := range strings.Fields(c.help) {
			w = strings.Trim(w, ",.()")
			if strings.HasPrefix(w, "--") && len(w) > 2 && !strings.Contains(w, "=") {
				assert.NotNil(t, c.fl.Lookup(w[2:]), "--help names %s, which the CLI does not define", w)
			}
		}
	}
}

func TestBrokenInputsDoNotStopTheRun(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.har")
	require.NoError(t, os.WriteFile(junk, []byte(`{"log": {"entries": [`), 0o644))
	missing := filepath.Join(dir, "missing.har")
	good := filepath.Join(cases, "ok-200.http")
	code, out, errOut := runCLI(t, "", missing, junk, good, "-f", "json", "--summary")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "missing.har: no such file or directory")
	assert.Contains(t, errOut, "junk.har:")
	recs := jsonLines(t, out)
	require.Len(t, recs, 4)
	assert.Equal(t, map[string]any{"input": missing, "error": "no such file or directory"}, recs[0])
	assert.Equal(t, junk, recs[1]["input"])
	assert.NotEmpty(t, recs[1]["error"])
	assert.Equal(t, good, recs[2]["input"].(map[string]any)["name"])
	totals := recs[3]["totals"].(map[string]any)
	assert.EqualValues(t, 3, totals["inputs"])
	assert.EqualValues(t, 2, totals["errors"])
	assert.EqualValues(t, 1, totals["exchanges"])
	// Text: the good file is still shown, the broken ones are named on stderr.
	code, out, errOut = runCLI(t, "", missing, good)
	assert.Equal(t, 2, code)
	assert.Contains(t, out, "OK")
	assert.Contains(t, out, "1 input could not be read")
	assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
}

func TestTableIsTSVWhenPiped(t *testing.T) {
	code, out, errOut := runCLI(t, "", cases, "--format", "table")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.Equal(t, "INPUT\t#\tMETHOD\tHOST\tSTATUS\tVERDICT\tVENDOR/SCHEME\tCAUSE\tCONFIDENCE", lines[0])
	found := false
	for _, l := range lines[1:] {
		cells := strings.Split(l, "\t")
		require.Len(t, cells, 9, "%q", l)
		if strings.HasSuffix(cells[0], "cloudflare-managed-challenge.http") {
			found = true
			assert.Equal(t, []string{"0", "GET", "shop.example", "403", "bot", "cloudflare", "challenge", "99%"}, cells[1:])
		}
	}
	assert.True(t, found)
	// One row per exchange: as many as the JSON holds.
	_, js, _ := runCLI(t, "", cases, "--format", "json")
	n := 0
	for _, r := range jsonLines(t, js) {
		n += len(r["exchanges"].([]any))
	}
	assert.Equal(t, n, len(lines)-1)
}

func TestTableAlignedOnATerminal(t *testing.T) {
	var b strings.Builder
	cfg := &config{format: "table", tableTTY: true, jobs: 1}
	code := analyzeAll([]input{{path: filepath.Join(cases, "ok-200.http")}, {path: filepath.Join(cases, "proxy-407.txt")}}, cfg, strings.NewReader(""), &b, &b)
	require.Equal(t, 0, code)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	col := strings.Index(lines[0], "VERDICT")
	assert.NotContains(t, b.String(), "\t")
	for _, l := range lines[1:] {
		assert.Equal(t, " ", l[col-1:col], "columns line up: %q", l)
	}
}

func TestSummaryAcrossInputs(t *testing.T) {
	args := []string{filepath.Join(cases, "cloudflare-managed-challenge.http"), filepath.Join(cases, "proxy-407.txt"), filepath.Join(cases, "ok-200.http"), filepath.Join(storyCases, "status0-client-errors.har")}
	_, out, _ := runCLI(t, "", args...)
	i := strings.Index(out, "summary of the run\n")
	require.GreaterOrEqual(t, i, 0, out)
	sum := out[i:]
	assert.Contains(t, sum, "7 exchanges in 4 inputs")
	assert.Contains(t, sum, "verdicts: unknown 4, bot 1, ok 1, proxy_auth 1")
	assert.Contains(t, sum, "vendors: cloudflare 1")
	assert.Contains(t, sum, "causes: challenge 1, proxy_auth 1")
	assert.Contains(t, sum, "hosts: api.example.com 2, (no request) 1, ads.tracker.example 1,", "the 407 to CONNECT api.example.com:443 counts for its host")
	_, md, _ := runCLI(t, "", append(args, "-f", "markdown")...)
	assert.Contains(t, md, "## Summary of the run\n\n- 7 exchanges in 4 inputs\n- verdicts: unknown 4, bot 1, ok 1, proxy\\_auth 1\n")
	// One input: no run summary unless asked.
	_, one, _ := runCLI(t, "", args[0])
	assert.NotContains(t, one, "summary of the run")
	_, one, _ = runCLI(t, "", args[0], "--summary")
	assert.Contains(t, one, "summary of the run")
	// JSON: only with --summary, as the last record; counts match the reports.
	_, js, _ := runCLI(t, "", append(args, "-f", "json")...)
	for _, r := range jsonLines(t, js) {
		assert.NotContains(t, r, "totals")
	}
	_, js, _ = runCLI(t, "", append(args, "-f", "json", "--summary")...)
	recs := jsonLines(t, js)
	require.Len(t, recs, 5)
	verdicts := map[string]float64{}
	for _, r := range recs[:4] {
		for _, e := range r["exchanges"].([]any) {
			verdicts[e.(map[string]any)["verdict"].(string)]++
		}
	}
	tot := recs[4]["totals"].(map[string]any)
	assert.EqualValues(t, 1, recs[4]["schema_version"])
	assert.EqualValues(t, 7, tot["exchanges"])
	got := map[string]float64{}
	for k, v := range tot["verdicts"].(map[string]any) {
		got[k] = v.(float64)
	}
	assert.Equal(t, verdicts, got)
}

func TestFilters(t *testing.T) {
	har := filepath.Join(storyCases, "status0-client-errors.har")
	multi := filepath.Join(cases, "curl-i-redirect-then-401.txt")
	count := func(args ...string) int {
		_, out, errOut := runCLI(t, "", append(args, "-f", "json")...)
		n := 0
		for _, r := range jsonLines(t, out) {
			require.Contains(t, r, "exchanges", errOut)
			n += len(r["exchanges"].([]any))
		}
		return n
	}
	assert.Equal(t, 4, count(har))
	assert.Equal(t, 1, count(har, "--host", "example.com"))
	assert.Equal(t, 1, count(har, "--host", "API.example.com"))
	assert.Equal(t, 2, count(har, "--host", "example,tracker.example"), "a name matches its subdomains")
	assert.Equal(t, 0, count(har, "--verdict", "bot"))
	assert.Equal(t, 4, count(har, "--verdict", "bot,unknown"))
	assert.Equal(t, 1, count(multi, "--status", "3xx"))
	assert.Equal(t, 1, count(multi, "--status", "401"))
	assert.Equal(t, 2, count(multi, "--status", "300-499"))
	for _, bad := range [][]string{{"--status", "4x"}, {"--verdict", "nope"}, {"--status", "500-400"}} {
		code, _, errOut := runCLI(t, "", append([]string{har}, bad...)...)
		assert.Equal(t, 2, code, "%v", bad)
		assert.Contains(t, errOut, bad[0], "%v", bad)
	}

	// Text: the header counts what was read; what is left out is said.
	_, out, _ := runCLI(t, "", multi, "--only-problems")
	assert.Contains(t, out, "(curl, 2 exchanges)")
	assert.Contains(t, out, "1 exchange ok (not shown; --only-problems)")
	assert.NotContains(t, out, "\nOK ")
	_, out, _ = runCLI(t, "", multi)
	assert.Contains(t, out, "1 exchange ok (not shown; --all lists them)")
	_, out, _ = runCLI(t, "", multi, "--all")
	assert.Contains(t, out, "\nOK  85%  #0")
	assert.NotContains(t, out, "not shown")
	_, out, _ = runCLI(t, "", har, "--host", "example.com")
	assert.Contains(t, out, "(har from chrome, 4 exchanges)")
	assert.Contains(t, out, "1 of 4 exchanges match --host example.com")
	assert.Equal(t, 1, strings.Count(out, "\nUNKNOWN"), out)
	// Markdown says it too.
	_, md, _ := runCLI(t, "", multi, "--only-problems", "-f", "md")
	assert.Contains(t, md, "Format: curl, 2 exchanges.\n")
	assert.NotContains(t, md, "→ 301")
	_, md, _ = runCLI(t, "", multi, "--status", "401", "-f", "md")
	assert.Contains(t, md, "Format: curl, 1 of 2 exchanges match --status 401.\n")
	// --fail-on counts the selected exchanges only.
	code, _, _ := runCLI(t, "", multi, "--fail-on", "ok", "--status", "401")
	assert.Equal(t, 0, code)
	code, _, _ = runCLI(t, "", multi, "--fail-on", "ok")
	assert.Equal(t, 1, code)
}

// A capture past streamAfter exchanges is written as it is decided; the
// bytes are those of the held report, in every format but the text header.
func TestStreamedOutputEqualsHeld(t *testing.T) {
	inputs := []string{filepath.Join(storyCases, "status0-client-errors.har"), filepath.Join(cases, "curl-i-redirect-then-401.txt"), filepath.Join(cases, "ok-200.http")}
	held := map[string]string{}
	for _, f := range []string{"json", "table"} {
		_, held[f], _ = runCLI(t, "", append(inputs, "-f", f, "-j", "2")...)
	}
	_, heldText, _ := runCLI(t, "", append(inputs, "--all")...)
	old := streamAfter
	streamAfter = 1
	defer func() { streamAfter = old }()
	for _, f := range []string{"json", "table"} {
		_, got, _ := runCLI(t, "", append(inputs, "-f", f, "-j", "2")...)
		assert.Equal(t, held[f], got, f)
	}
	_, text, _ := runCLI(t, "", append(inputs, "--all")...)
	assert.Contains(t, text, "status0-client-errors.har  (a large capture: exchanges as they are decided, counts at the end)")
	assert.Contains(t, text, "status0-client-errors.har  (har from chrome, 4 exchanges)")
	for _, l := range strings.Split(heldText, "\n") {
		if strings.HasPrefix(l, "UNKNOWN") || strings.HasPrefix(l, "AUTH") || strings.HasPrefix(l, "OK") || strings.HasPrefix(l, "  ") {
			assert.Contains(t, text, l)
		}
	}
}

// Inputs behind the one being printed wait in their slot, spilling to a
// temporary file past spillAt; the order of the output holds.
func TestSlotsKeepInputOrder(t *testing.T) {
	dir := t.TempDir()
	var args []string
	for i := 0; i < 12; i++ {
		p := filepath.Join(dir, fmt.Sprintf("c%02d.http", i))
		require.NoError(t, os.WriteFile(p, []byte(fmt.Sprintf("GET /%d HTTP/1.1\nHost: h%d.example\n\nHTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"r\"\n\n", i, i)), 0o644))
		args = append(args, p)
	}
	_, out, _ := runCLI(t, "", append(args, "-f", "table", "-j", "4")...)
	lines := strings.Split(strings.TrimSpace(out), "\n")[1:]
	require.Len(t, lines, 12)
	for i, l := range lines {
		assert.True(t, strings.HasPrefix(l, args[i]+"\t"), "%d: %s", i, l)
	}
	var s slot
	var dst strings.Builder
	s.dst = &dst
	big := strings.Repeat("x", spillAt/2+1)
	for range 3 {
		_, err := s.Write([]byte(big))
		require.NoError(t, err)
	}
	require.NotNil(t, s.file, "past spillAt the slot writes to a file")
	require.NoError(t, s.goLive())
	_, err := s.Write([]byte("!"))
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat(big, 3)+"!", dst.String())
}

// Every JSON Lines record the CLI writes — reports, error records and the
// totals record — is valid against docs/report.schema.json.
func TestJSONLinesMatchSchema(t *testing.T) {
	data, err := os.ReadFile("../../docs/report.schema.json")
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("report.schema.json", doc))
	schemas := map[string]*jsonschema.Schema{}
	for _, ref := range []string{"", "#/$defs/error_record", "#/$defs/totals_record"} {
		schemas[ref], err = c.Compile("report.schema.json" + ref)
		require.NoError(t, err)
	}
	_, out, _ := runCLI(t, "", cases, storyCases, "/no/such.har", "-f", "json", "--summary")
	kinds := map[string]int{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
		require.NoError(t, err)
		ref := ""
		switch {
		case strings.Contains(line[:min(len(line), 40)], `"totals"`):
			ref = "#/$defs/totals_record"
		case strings.HasPrefix(line, `{"input":`):
			ref = "#/$defs/error_record"
		}
		kinds[ref]++
		assert.NoError(t, schemas[ref].Validate(inst), "%.200s", line)
	}
	assert.Equal(t, 1, kinds["#/$defs/totals_record"])
	assert.Equal(t, 1, kinds["#/$defs/error_record"])
	assert.Greater(t, kinds[""], 10)
}

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://API.example.com:8443/x?y": "api.example.com",
		"http://user@h.example/":           "h.example",
		"api.example.com:443":              "api.example.com",
		"https://[2001:db8::1]:443/":       "2001:db8::1", // as the summary's hosts (Exchange.Host) name it
		"/relative/path":                   "",
		"":                                 "",
	} {
		assert.Equal(t, want, hostOf(in), in)
	}
}
