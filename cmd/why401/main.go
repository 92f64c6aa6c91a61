// Command why401 explains 401s (and 403s, 407s, 429s, 200 challenge pages)
// in saved captures: a genuine authentication failure, or a bot block in disguise.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"why401/analyzer"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `why401 — was that 401 a real authentication failure or a bot block?

Usage:
  why401 [flags] [FILE|DIR|-]...
  why401 sanitize IN > OUT   a copy of a HAR or raw capture with every secret
                             replaced, safe to share (why401 sanitize --help)

Reads raw HTTP responses (optionally after their request), curl -i / curl -v
transcripts, HAR files (.har, .har.gz, .zhar, Playwright .zip), WARC and
Burp XML exports. Directories are searched recursively for .har, .har.gz,
.zhar, .http, .txt, .curl, .log, .warc, .warc.gz, .wacz and .saz files; any
other file (a Playwright .zip, a Burp .xml) is read when named. With no argument, or "-", it reads standard input.

Flags:
  -f, --format FORMAT    text (default), json (one JSON object per input per line) or markdown
      --only-problems    leave out exchanges judged ok
      --fail-on LIST     exit 1 when a verdict in LIST is found
                         (comma-separated: auth,bot,rate_limit,proxy_auth,forbidden,unknown, or "any")
  -v, --verbose          every evidence line, fix step and code snippet
      --no-color         no ANSI colours (NO_COLOR is honoured too)
  -j, --jobs N           inputs analysed at once (default: number of CPUs)
      --no-progress      no progress bar on stderr
      --version          print the version
  -h, --help             this help

Exit status:
  0  every input was analysed (problems may have been found)
  1  --fail-on matched a verdict
  2  bad usage, or an input could not be read (one line on stderr names the file)

Examples:
  curl -si https://api.example.com/v1/me | why401
  why401 capture.har
  why401 --only-problems --format markdown support-ticket.har > report.md
  why401 --format json --fail-on bot,rate_limit crawl-logs/ > verdicts.jsonl
`

type config struct {
	format       string
	onlyProblems bool
	failOn       map[analyzer.Kind]bool
	failAny      bool
	verbose      bool
	color        bool
	jobs         int
	progress     bool
}

func main() {
	if os.Getenv("GOGC") == "" {
		// The live heap is small (a HAR is streamed); collecting half as often
		// saves ~10% of the time on big captures for a few MB more.
		debug.SetGCPercent(200)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "sanitize" {
		return runSanitize(args[1:], stdin, stdout, stderr)
	}
	fl := flag.NewFlagSet("why401", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var cfg config
	var failOn string
	var noColor, noProgress, showVersion, help bool
	fl.StringVar(&cfg.format, "format", "text", "")
	fl.StringVar(&cfg.format, "f", "text", "")
	fl.BoolVar(&cfg.onlyProblems, "only-problems", false, "")
	fl.StringVar(&failOn, "fail-on", "", "")
	fl.BoolVar(&cfg.verbose, "verbose", false, "")
	fl.BoolVar(&cfg.verbose, "v", false, "")
	fl.BoolVar(&noColor, "no-color", false, "")
	fl.IntVar(&cfg.jobs, "jobs", runtime.NumCPU(), "")
	fl.IntVar(&cfg.jobs, "j", runtime.NumCPU(), "")
	fl.BoolVar(&noProgress, "no-progress", false, "")
	fl.BoolVar(&showVersion, "version", false, "")
	fl.BoolVar(&help, "help", false, "")
	fl.BoolVar(&help, "h", false, "")
	if err := fl.Parse(args); err != nil {
		fmt.Fprintf(stderr, "why401: %v (see why401 --help)\n", err)
		return 2
	}
	if help {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if showVersion {
		fmt.Fprintf(stdout, "why401 %s\n", version)
		return 0
	}
	switch cfg.format {
	case "text", "json", "markdown", "md":
	default:
		fmt.Fprintf(stderr, "why401: --format %q: use text, json or markdown\n", cfg.format)
		return 2
	}
	if failOn != "" {
		cfg.failOn = map[analyzer.Kind]bool{}
		for _, k := range strings.Split(failOn, ",") {
			k = strings.TrimSpace(k)
			switch analyzer.Kind(k) {
			case analyzer.KindAuth, analyzer.KindBot, analyzer.KindRateLimit, analyzer.KindProxyAuth, analyzer.KindForbidden, analyzer.KindUnknown, analyzer.KindOK:
				cfg.failOn[analyzer.Kind(k)] = true
			default:
				if k == "any" {
					cfg.failAny = true
					continue
				}
				fmt.Fprintf(stderr, "why401: --fail-on %q: not a verdict (auth, bot, rate_limit, proxy_auth, forbidden, unknown, any)\n", k)
				return 2
			}
		}
	}
	if cfg.jobs < 1 {
		cfg.jobs = 1
	}
	cfg.color = !noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout) && cfg.format == "text"
	cfg.progress = !noProgress && isTerminal(stderr)

	inputs, err := expand(fl.Args())
	if err != nil {
		fmt.Fprintf(stderr, "why401: %v\n", err)
		return 2
	}
	if len(inputs) == 0 {
		fmt.Fprintln(stderr, "why401: no capture files found")
		return 2
	}
	if len(inputs) == 1 && inputs[0] == "-" && isTerminal(stdin) {
		fmt.Fprintln(stderr, "why401: reading a capture from standard input (paste it, then Ctrl-D; why401 --help for more)")
	}
	return analyzeAll(inputs, cfg, stdin, stdout, stderr)
}

// captureExt are the file endings a directory walk picks up.
var captureExt = []string{".har", ".har.gz", ".zhar", ".http", ".txt", ".curl", ".log", ".warc", ".warc.gz", ".wacz", ".saz"}

func isCapture(name string) bool {
	n := strings.ToLower(name)
	for _, e := range captureExt {
		if strings.HasSuffix(n, e) {
			return true
		}
	}
	return false
}

// expand turns arguments into a list of files ("-" is standard input).
func expand(args []string) ([]string, error) {
	if len(args) == 0 {
		return []string{"-"}, nil
	}
	var out []string
	for _, a := range args {
		if a == "-" {
			out = append(out, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, unwrapPathErr(err))
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
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
			return nil, fmt.Errorf("%s: %w", a, unwrapPathErr(err))
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

type result struct {
	rep analyzer.Report
	err error
}

// analyzeAll analyses inputs on cfg.jobs goroutines and prints the reports in
// input order as they complete.
func analyzeAll(inputs []string, cfg config, stdin io.Reader, stdout, stderr io.Writer) int {
	out := bufio.NewWriterSize(stdout, 64<<10)
	defer out.Flush()
	results := make([]chan result, len(inputs))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	var totalBytes int64
	for _, in := range inputs {
		if in != "-" {
			if st, err := os.Stat(in); err == nil {
				totalBytes += st.Size()
			}
		}
	}
	prog := newProgress(stderr, cfg.progress && (len(inputs) > 20 || totalBytes > 20<<20), len(inputs), totalBytes)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(cfg.jobs, len(inputs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rep, err := analyzeOne(inputs[i], stdin, prog, cfg.onlyProblems)
				prog.doneFile()
				results[i] <- result{rep, err}
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
	for i := range inputs {
		res := <-results[i]
		if res.err != nil {
			prog.clear()
			fmt.Fprintf(stderr, "why401: %s: %s\n", displayName(inputs[i]), strings.TrimPrefix(res.err.Error(), "analyzer: "))
			code = 2
			continue
		}
		prog.clear()
		if err := write(out, res.rep, cfg); err != nil {
			fmt.Fprintf(stderr, "why401: write: %v\n", err)
			return 2
		}
		if cfg.format == "text" && i < len(inputs)-1 {
			out.WriteString("\n")
		}
		for _, e := range res.rep.Exchanges {
			if cfg.failOn[e.Verdict] || cfg.failAny && e.Verdict != analyzer.KindOK {
				failed = true
			}
		}
	}
	wg.Wait()
	prog.finish()
	if code == 0 && failed {
		code = 1
	}
	return code
}

func displayName(in string) string {
	if in == "-" {
		return "standard input"
	}
	return in
}

func analyzeOne(in string, stdin io.Reader, prog *progress, onlyProblems bool) (analyzer.Report, error) {
	var r io.Reader = stdin
	name := "-"
	if in != "-" {
		f, err := os.Open(in)
		if err != nil {
			return analyzer.Report{}, unwrapPathErr(err)
		}
		defer f.Close()
		r, name = f, in
	}
	var last int64
	return analyzer.AnalyzeReader(r, analyzer.Options{Name: name, OnlyProblems: onlyProblems, Progress: func(n int64) {
		prog.addBytes(n - last)
		last = n
	}})
}

func write(w io.Writer, rep analyzer.Report, cfg config) error {
	switch cfg.format {
	case "json":
		if cfg.onlyProblems {
			kept := rep.Exchanges[:0:0]
			for _, e := range rep.Exchanges {
				if e.Problem() {
					kept = append(kept, e)
				}
			}
			rep.Exchanges = kept
		}
		// One line per report (JSON Lines): encoding/json's bytes, as the worker and the page.
		_, err := w.Write(append(rep.AppendJSON(nil), '\n'))
		return err
	case "markdown", "md":
		return rep.WriteMarkdown(w, cfg.onlyProblems)
	default:
		return rep.WriteText(w, analyzer.TextOptions{Color: cfg.color, OnlyProblems: cfg.onlyProblems, Verbose: cfg.verbose})
	}
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
