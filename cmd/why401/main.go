// Command why401 explains 401s (and 403s, 407s, 429s, 200 challenge pages)
// in saved captures: a genuine authentication failure, or a bot block in disguise.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"why401/analyzer"
	"why401/internal/ascii"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `why401 — was that 401 a real authentication failure or a bot block?

Usage:
  why401 [FILE|DIR|-]... [flags]
  why401 diff GOOD BAD       what changed between a capture that worked and one
                             that failed, most likely cause first (why401 diff --help)
  why401 sanitize IN > OUT   a copy of a HAR or raw capture with every secret
                             replaced, safe to share (why401 sanitize --help)
  why401 stream              one JSON input per line on stdin, one JSON report
                             per line on stdout, until EOF: for programs and
                             batch engines (why401 stream --help)
  why401 help [COMMAND]      this help, or that of diff, sanitize or stream

Reads raw HTTP responses (optionally after their request), curl -i / curl -v
transcripts, HAR files (.har, .har.gz, .zhar, Playwright .zip), WARC and
Burp XML exports. Directories are searched recursively for .har, .har.gz,
.zhar, .http, .txt, .curl, .log, .warc, .warc.gz, .wacz and .saz files; any
other file (a Playwright .zip, a Burp .xml) is read when named. With no
argument, or "-", it reads standard input. Flags may come before or after
the files. A file named like a command (help, diff, sanitize, stream) is
read as ./help.

Output:
  -f, --format FORMAT    text (default); json (JSON Lines: one report per input);
                         markdown; table (one row per exchange: aligned on a
                         terminal, tab-separated when piped)
      --summary          counts by verdict, vendor, cause and host after the run
                         (on by default in text and markdown for several inputs;
                         in json a last record {"schema_version":1,"totals":{…}})
      --all              text: list ok exchanges too (a capture of several
                         exchanges shows only the problems otherwise)
  -v, --verbose          every evidence line, fix step and code snippet
      --no-color         no ANSI colours (NO_COLOR is honoured too)

Selecting exchanges:
      --only-problems    leave out exchanges judged ok
      --host LIST        only these hosts (comma-separated; a name matches its subdomains)
      --verdict LIST     only these verdicts (auth,bot,rate_limit,proxy_auth,forbidden,unknown,ok)
      --status LIST      only these statuses (comma-separated: 403, 4xx, 500-599)
      --fail-on LIST     exit 1 when a selected exchange has a verdict in LIST
                         (auth,bot,rate_limit,proxy_auth,forbidden,unknown,ok, or "any" = not ok)

Running:
  -j, --jobs N           inputs analysed at once (default: number of CPUs)
      --no-progress      no progress bar on stderr
      --version          print the version
  -h, --help             this help

An input that is missing or cannot be read does not stop the run: it gets a
line on stderr (and {"input":…,"error":…} in json), the others are analysed,
and the exit status is 2 at the end. In text, json and table, a capture of
more than 1,000 exchanges is written as its exchanges are decided, so memory
stays bounded (markdown holds the whole report).

Exit status:
  0  every input was analysed (problems may have been found)
  1  --fail-on matched a verdict
  2  bad usage, an input could not be read, or the built-in knowledge did not load

Examples:
  curl -si https://api.example.com/v1/me | why401
  why401 capture.har
  why401 crawl-logs/ -f table --only-problems
  why401 --only-problems --format markdown support-ticket.har > report.md
  why401 crawl-logs/ --format json --summary --fail-on bot,rate_limit > verdicts.jsonl
`

type config struct {
	format     string
	filter     filter
	filterText string // the selection as given, for "N of M exchanges match …"
	failOn     map[analyzer.Kind]bool
	failAny    bool
	verbose    bool
	color      bool
	jobs       int
	progress   bool
	showOK     bool // --all
	summary    bool // --summary
	tableTTY   bool // table on a terminal: aligned columns
}

func (c *config) paint(code, s string) string {
	if !c.color {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (c *config) bold(s string) string { return c.paint("1", s) }
func (c *config) dim(s string) string  { return c.paint("2", s) }

func main() {
	if os.Getenv("GOGC") == "" {
		// The live heap is small (a HAR is streamed); collecting half as often
		// saves ~10% of the time on big captures for a few MB more.
		debug.SetGCPercent(200)
	}
	os.Exit(profiled(os.Getenv("WHY401_CPUPROFILE"), func() int { return run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr) }))
}

// profiled runs fn under a CPU profile written to path (the environment's
// WHY401_CPUPROFILE; docs/performance.md), or plainly when path is "".
func profiled(path string, fn func() int) int {
	if path == "" {
		return fn()
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "why401: WHY401_CPUPROFILE:", err)
		return 2
	}
	code := fn()
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "why401: WHY401_CPUPROFILE:", err)
	}
	return code
}

var verdictNames = "auth, bot, rate_limit, proxy_auth, forbidden, unknown, ok"

func parseKinds(flagName, list string, allowAny bool) (map[analyzer.Kind]bool, bool, error) {
	out := map[analyzer.Kind]bool{}
	anyKind := false
	for _, k := range strings.Split(list, ",") {
		k = strings.TrimSpace(k)
		switch analyzer.Kind(k) {
		case analyzer.KindAuth, analyzer.KindBot, analyzer.KindRateLimit, analyzer.KindProxyAuth, analyzer.KindForbidden, analyzer.KindUnknown, analyzer.KindOK:
			out[analyzer.Kind(k)] = true
		default:
			if k == "any" && allowAny {
				anyKind = true
				continue
			}
			extra := ""
			if allowAny {
				extra = ", any"
			}
			return nil, false, fmt.Errorf("--%s %q: not a verdict (%s%s)", flagName, k, verdictNames, extra)
		}
	}
	return out, anyKind, nil
}

func parseStatuses(list string) ([]statusRange, error) {
	var out []statusRange
	for _, p := range strings.Split(list, ",") {
		p = ascii.Lower(strings.TrimSpace(p))
		bad := fmt.Errorf("--status %q: use a code (403), a class (4xx) or a range (500-599)", p)
		switch {
		case len(p) == 3 && p[0] >= '0' && p[0] <= '9' && p[1:] == "xx":
			d := int(p[0]-'0') * 100
			out = append(out, statusRange{d, d + 99})
		case strings.Contains(p, "-"):
			lo, hi, _ := strings.Cut(p, "-")
			l, err1 := strconv.Atoi(lo)
			h, err2 := strconv.Atoi(hi)
			if err1 != nil || err2 != nil || l > h {
				return nil, bad
			}
			out = append(out, statusRange{l, h})
		default:
			n, err := strconv.Atoi(p)
			if err != nil {
				return nil, bad
			}
			out = append(out, statusRange{n, n})
		}
	}
	return out, nil
}

// flagValues are the flags read into something other than the config.
type flagValues struct {
	failOn, hosts, verdicts, statuses      string
	noColor, noProgress, showVersion, help bool
}

// defineFlags declares every flag of the CLI; usage documents each one
// (TestHelpListsEveryFlag).
func defineFlags(fl *flagSet, cfg *config, v *flagValues) {
	fl.StringVarP(&cfg.format, "format", "f", "text")
	fl.BoolVarP(&cfg.filter.onlyProblems, "only-problems", "", false)
	fl.StringVarP(&v.failOn, "fail-on", "", "")
	fl.StringVarP(&v.hosts, "host", "", "")
	fl.StringVarP(&v.verdicts, "verdict", "", "")
	fl.StringVarP(&v.statuses, "status", "", "")
	fl.BoolVarP(&cfg.showOK, "all", "", false)
	fl.BoolVarP(&cfg.summary, "summary", "", false)
	fl.BoolVarP(&cfg.verbose, "verbose", "v", false)
	fl.BoolVarP(&v.noColor, "no-color", "", false)
	fl.IntVarP(&cfg.jobs, "jobs", "j", runtime.NumCPU())
	fl.BoolVarP(&v.noProgress, "no-progress", "", false)
	fl.BoolVarP(&v.showVersion, "version", "", false)
	fl.BoolVarP(&v.help, "help", "h", false)
}

// commands are the subcommands and their help.
var commands = map[string]string{"diff": diffUsage, "sanitize": sanitizeUsage, "stream": streamUsage}

// runHelp is "why401 help [COMMAND]".
func runHelp(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0 || len(args) == 1 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help"):
		fmt.Fprint(stdout, usage)
		return 0
	case len(args) == 1 && commands[args[0]] != "":
		fmt.Fprint(stdout, commands[args[0]])
		return 0
	}
	fmt.Fprintf(stderr, "why401 help: no help on %s: why401 help [diff|sanitize|stream]\n", analyzer.Printable(strings.Join(args, " ")))
	return 2
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "help" {
		return runHelp(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "sanitize" {
		return runSanitize(args[1:], stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "diff" {
		return runDiff(args[1:], stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "stream" {
		return runStream(args[1:], stdin, stdout, stderr)
	}
	// GNU-style flags, accepted after the file names too, and errors that
	// name a flag as it was written (--bogus): flags.go.
	fl := &flagSet{}
	var cfg config
	var v flagValues
	defineFlags(fl, &cfg, &v)
	failOn, hosts, verdicts, statuses := &v.failOn, &v.hosts, &v.verdicts, &v.statuses
	noColor, noProgress, showVersion, help := &v.noColor, &v.noProgress, &v.showVersion, &v.help
	if err := fl.Parse(args); err != nil {
		fmt.Fprintf(stderr, "why401: %v (see why401 --help)\n", err)
		return 2
	}
	if *help {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if *showVersion {
		fmt.Fprintf(stdout, "why401 %s\n", version)
		return 0
	}
	switch cfg.format {
	case "text", "json", "markdown", "table":
	case "md":
		cfg.format = "markdown"
	default:
		fmt.Fprintf(stderr, "why401: --format %q: use text, json, markdown or table\n", cfg.format)
		return 2
	}
	var sel []string
	if *failOn != "" {
		var err error
		if cfg.failOn, cfg.failAny, err = parseKinds("fail-on", *failOn, true); err != nil {
			fmt.Fprintf(stderr, "why401: %v\n", err)
			return 2
		}
	}
	if *verdicts != "" {
		var err error
		if cfg.filter.verdicts, _, err = parseKinds("verdict", *verdicts, false); err != nil {
			fmt.Fprintf(stderr, "why401: %v\n", err)
			return 2
		}
		sel = append(sel, "--verdict "+*verdicts)
	}
	if *statuses != "" {
		var err error
		if cfg.filter.statuses, err = parseStatuses(*statuses); err != nil {
			fmt.Fprintf(stderr, "why401: %v\n", err)
			return 2
		}
		sel = append(sel, "--status "+*statuses)
	}
	if *hosts != "" {
		for _, h := range strings.Split(*hosts, ",") {
			if h = ascii.Lower(strings.TrimSpace(h)); h != "" {
				cfg.filter.hosts = append(cfg.filter.hosts, strings.TrimPrefix(h, "."))
			}
		}
		sel = append(sel, "--host "+*hosts)
	}
	cfg.filterText = strings.Join(sel, " ")
	if cfg.jobs < 1 {
		cfg.jobs = 1
	}
	cfg.color = !*noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout) && cfg.format == "text"
	cfg.tableTTY = cfg.format == "table" && isTerminal(stdout)
	cfg.progress = !*noProgress && isTerminal(stderr)

	inputs := expand(fl.Args())
	if len(inputs) == 0 {
		fmt.Fprintln(stderr, "why401: no capture files found")
		return 2
	}
	if len(inputs) == 1 && inputs[0].path == "-" && isTerminal(stdin) {
		fmt.Fprintln(stderr, "why401: reading a capture from standard input (paste it, then Ctrl-D; why401 --help for more)")
	}
	return analyzeAll(inputs, &cfg, stdin, stdout, stderr)
}

// captureExt are the file endings a directory walk picks up.
var captureExt = []string{".har", ".har.gz", ".zhar", ".http", ".txt", ".curl", ".log", ".warc", ".warc.gz", ".wacz", ".saz"}

func isCapture(name string) bool {
	n := ascii.Lower(name)
	for _, e := range captureExt {
		if strings.HasSuffix(n, e) {
			return true
		}
	}
	return false
}

// input is one file to analyse ("-" is standard input), or an argument
// that could not be read.
type input struct {
	path string
	err  error
}

// expand turns arguments into a list of inputs: files as named, directories
// walked for capture files. An argument that cannot be read stays in the
// list with its error, so the others are still analysed.
func expand(args []string) []input {
	if len(args) == 0 {
		return []input{{path: "-"}}
	}
	var out []input
	for _, a := range args {
		if a == "-" {
			out = append(out, input{path: a})
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			out = append(out, input{path: a, err: unwrapPathErr(err)})
			continue
		}
		if !st.IsDir() {
			out = append(out, input{path: a})
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == a {
					return err
				}
				out = append(out, input{path: p, err: unwrapPathErr(err)})
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() && strings.HasPrefix(d.Name(), ".") && p != a {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() && isCapture(d.Name()) {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			out = append(out, input{path: a, err: unwrapPathErr(err)})
			continue
		}
		sort.Strings(found)
		for _, f := range found {
			out = append(out, input{path: f})
		}
	}
	return out
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// analyzeAll analyses inputs on cfg.jobs goroutines and prints each one's
// output in input order: the input at the head of the line writes straight
// to stdout as its exchanges are decided, the others wait in their slot.
func analyzeAll(inputs []input, cfg *config, stdin io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	var dst io.Writer = out
	var tw *tabwriter.Writer
	if cfg.format == "table" {
		if cfg.tableTTY {
			tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			dst = &flushEvery{tw: tw}
		}
		io.WriteString(dst, tsvLine(append([]string(nil), tableHeader...)))
	}
	var totalBytes int64
	for _, in := range inputs {
		if in.path != "-" && in.err == nil {
			if st, err := os.Stat(in.path); err == nil {
				totalBytes += st.Size()
			}
		}
	}
	prog := newProgress(stderr, cfg.progress && (len(inputs) > 20 || totalBytes > 20<<20), len(inputs), totalBytes)
	slots := make([]*slot, len(inputs))
	sinks := make([]*sink, len(inputs))
	errs := make([]error, len(inputs))
	done := make([]chan struct{}, len(inputs))
	for i := range inputs {
		slots[i] = &slot{dst: dst}
		sinks[i] = newSink(cfg, slots[i], inputs[i].path)
		done[i] = make(chan struct{})
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(cfg.jobs, len(inputs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = analyzeOne(inputs[i], stdin, prog, sinks[i])
				prog.doneFile()
				close(done[i])
			}
		}()
	}
	go func() {
		for i := range inputs {
			next <- i
		}
		close(next)
	}()

	code := 0
	failed := false
	total := newTally()
	for i := range inputs {
		if err := slots[i].goLive(); err != nil {
			fmt.Fprintf(stderr, "why401: write: %v\n", err)
			return 2
		}
		<-done[i]
		s := sinks[i]
		prog.clear()
		if errs[i] != nil {
			fmt.Fprintf(stderr, "why401: %s: %s\n", analyzer.Printable(displayName(inputs[i].path)), analyzer.Printable(cleanErr(errs[i])))
			code = 2
		}
		if s.err != nil || slots[i].err != nil {
			fmt.Fprintf(stderr, "why401: write: %v\n", errors.Join(s.err, slots[i].err))
			return 2
		}
		if cfg.format == "text" && i < len(inputs)-1 && errs[i] == nil {
			io.WriteString(dst, "\n")
		}
		failed = failed || s.failed
		total.merge(s.tally)
	}
	wg.Wait()
	prog.finish()
	if err := analyzer.KnowledgeErr(); err != nil {
		fmt.Fprintf(stderr, "why401: the knowledge built into this binary did not load (a broken build: the reports may miss what these files know):\n%v\n", err)
		code = 2
	}
	if cfg.summary || len(inputs) > 1 && (cfg.format == "text" || cfg.format == "markdown") {
		var err error
		switch cfg.format {
		case "json":
			err = total.writeJSON(dst)
		case "markdown":
			err = total.writeMarkdown(dst)
		default:
			if tw != nil {
				tw.Flush()
			}
			err = total.writeText(out, cfg.bold)
		}
		if err != nil {
			fmt.Fprintf(stderr, "why401: write: %v\n", err)
			return 2
		}
	}
	if tw != nil {
		tw.Flush()
	}
	if code == 0 && failed {
		code = 1
	}
	return code
}

// flushEvery aligns a terminal table block by block: a tabwriter holds
// every row until Flush, so it is flushed every 500 rows.
type flushEvery struct {
	tw   *tabwriter.Writer
	rows int
}

func (f *flushEvery) Write(p []byte) (int, error) {
	n, err := f.tw.Write(p)
	f.rows += bytes.Count(p, []byte("\n"))
	if f.rows >= 500 {
		f.rows = 0
		f.tw.Flush()
	}
	return n, err
}

func displayName(in string) string {
	if in == "-" {
		return "standard input"
	}
	return in
}

// analyzeOne analyses one input into its sink and returns the error that
// kept it from being read, if any.
func analyzeOne(in input, stdin io.Reader, prog *progress, s *sink) error {
	if in.err != nil {
		s.finish(analyzer.Report{}, in.err)
		return in.err
	}
	var r io.Reader = stdin
	name := "-"
	if in.path != "-" {
		f, err := os.Open(in.path)
		if err != nil {
			err = unwrapPathErr(err)
			s.finish(analyzer.Report{}, err)
			return err
		}
		defer f.Close()
		r, name = f, in.path
	}
	var last int64
	opt := analyzer.Options{Name: name, Progress: func(n int64) {
		prog.addBytes(n - last)
		last = n
	}}
	opt.Handler = s
	rep, err := analyzer.AnalyzeReader(r, opt)
	if errors.Is(err, analyzer.ErrKnowledge) {
		err = nil // the reports are shown; the end says the build is broken and exits 2 (KnowledgeErr)
	}
	s.finish(rep, err)
	if s.streaming {
		return nil // a read error after streaming began is a warning of the report
	}
	return err
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress draws a one-line bar on stderr for long work.
type progress struct {
	mu         sync.Mutex
	w          io.Writer
	on         bool
	files      int
	done       int
	totalBytes int64
	bytes      int64
	start      time.Time
	last       time.Time
	drawn      bool
}

func newProgress(w io.Writer, on bool, files int, totalBytes int64) *progress {
	return &progress{w: w, on: on, files: files, totalBytes: totalBytes, start: time.Now()}
}

func (p *progress) addBytes(n int64) {
	if !p.on {
		return
	}
	p.mu.Lock()
	p.bytes += n
	p.draw(false)
	p.mu.Unlock()
}

func (p *progress) doneFile() {
	if !p.on {
		return
	}
	p.mu.Lock()
	p.done++
	p.draw(false)
	p.mu.Unlock()
}

func (p *progress) draw(force bool) {
	now := time.Now()
	if !force && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	frac := float64(p.done) / float64(max(p.files, 1))
	if p.files == 1 && p.totalBytes > 0 {
		frac = float64(p.bytes) / float64(p.totalBytes)
	}
	frac = min(frac, 1)
	const width = 30
	n := int(frac * width)
	el := now.Sub(p.start).Seconds()
	rate := ""
	if el > 0 {
		if p.files > 1 {
			rate = fmt.Sprintf("%.0f captures/s", float64(p.done)/el)
		} else {
			rate = fmt.Sprintf("%.0f MB/s", float64(p.bytes)/1e6/el)
		}
	}
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d/%d files  %s ", strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, p.done, p.files, rate)
	p.drawn = true
}

func (p *progress) clear() {
	if !p.on {
		return
	}
	p.mu.Lock()
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 78))
		p.drawn = false
	}
	p.mu.Unlock()
}

func (p *progress) finish() { p.clear() }
