package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"why401/analyzer"
)

const diffUsage = `why401 diff — what changed between a capture that worked and one that failed

Usage:
  why401 diff GOOD BAD [flags]

GOOD and BAD are any captures why401 reads (raw responses, curl -i / curl -v
transcripts, HAR files); "-" reads one of them from standard input. Both are
judged, then the failing exchange of BAD is lined up with the exchange of GOOD
that asked for the same URL, and every difference in the requests is ranked by
how likely it explains the failure: headers added, removed or changed (the
User-Agent, Accept-*, sec-ch-*, sec-fetch-*), their order and the HTTP
version, cookies by name (an anti-bot clearance or session cookie missing, one
sent after it expired), the credential (the same fingerprint or not, another
scheme, expired), the client address the site echoed, and the rate before the
failure. Secrets are shown as fingerprints only. docs/diff.md has the details.

Flags:
  -f, --format FORMAT   text (default), json, markdown
      --url TEXT        compare the exchanges whose URL contains TEXT (HAR entries)
      --good-index N    the exchange of GOOD to compare: its #N in why401's report
                        (the first is #0; why401 -f table GOOD lists them)
      --bad-index N     the exchange of BAD to compare
      --no-color        no ANSI colours (NO_COLOR is honoured too)
  -h, --help            this help

Exit status: 0 when the comparison was made, 2 when an input could not be read
or holds no exchange to compare.
`

// defineDiffFlags declares the flags of why401 diff; diffUsage documents
// each one (TestHelpListsEveryFlag).
func defineDiffFlags(fl *flagSet, format, url *string, goodIndex, badIndex *int, noColor, help *bool) {
	fl.StringVarP(format, "format", "f", "text")
	fl.StringVarP(url, "url", "", "")
	fl.IntVarP(goodIndex, "good-index", "", -1)
	fl.IntVarP(badIndex, "bad-index", "", -1)
	fl.BoolVarP(noColor, "no-color", "", false)
	fl.BoolVarP(help, "help", "h", false)
}

// runDiff is the "why401 diff" subcommand.
func runDiff(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := &flagSet{}
	var format, url string
	var goodIndex, badIndex int
	var noColor, help bool
	defineDiffFlags(fl, &format, &url, &goodIndex, &badIndex, &noColor, &help)
	if err := fl.Parse(args); err != nil {
		fmt.Fprintf(stderr, "why401 diff: %v (see why401 diff --help)\n", err)
		return 2
	}
	if help {
		fmt.Fprint(stdout, diffUsage)
		return 0
	}
	switch format {
	case "text", "json", "markdown":
	default:
		fmt.Fprintf(stderr, "why401 diff: --format is text, json or markdown, not %q\n", format)
		return 2
	}
	for _, f := range []struct {
		name  string
		index int
	}{{"good-index", goodIndex}, {"bad-index", badIndex}} {
		if fl.Changed(f.name) && f.index < 0 {
			fmt.Fprintf(stderr, "why401 diff: --%s %d: an index is #0 or more, as why401's report numbers the exchanges\n", f.name, f.index)
			return 2
		}
	}
	files := fl.Args()
	if len(files) != 2 {
		fmt.Fprintln(stderr, "why401 diff: give two captures, the one that worked and the one that failed (why401 diff GOOD BAD)")
		return 2
	}
	if files[0] == "-" && files[1] == "-" {
		fmt.Fprintln(stderr, "why401 diff: only one of the two captures can come from standard input")
		return 2
	}
	// Each capture is streamed through the analyzer's bounded reader, as
	// why401 reads one (a cut is said in the warnings), never read whole
	// first: diff /dev/zero x ran out of memory.
	var in [2]io.Reader
	for i, name := range files {
		if name == "-" {
			in[i] = stdin
			continue
		}
		f, err := os.Open(name)
		if err == nil {
			var st os.FileInfo
			if st, err = f.Stat(); err == nil && st.IsDir() {
				err = errors.New("is a directory")
			}
			if err != nil {
				f.Close()
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "why401 diff: %s: %v\n", name, unwrapPathErr(err))
			return 2
		}
		defer f.Close()
		in[i] = f
	}
	opt := analyzer.DiffOptions{GoodName: displayName(files[0]), BadName: displayName(files[1]), URL: url,
		GoodIndex: goodIndex, BadIndex: badIndex}
	if goodIndex >= 0 || badIndex >= 0 {
		opt.Pick = true
	}
	rep, err := analyzer.DiffReaders(in[0], in[1], opt)
	var ie *analyzer.IndexError
	switch {
	case errors.As(err, &ie):
		// Named by the flag that asked for it: "--bad-index 999 is out of
		// range: failed.har holds 46 exchanges, #0 to #45".
		fmt.Fprintf(stderr, "why401 diff: --%s-index %d is out of range: %s %s\n", ie.Side, ie.Index,
			analyzer.Printable(ie.Input), strings.TrimPrefix(ie.Range(), "it "))
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "why401 diff: %s\n", analyzer.Printable(analyzer.Message(err)))
		return 2
	}
	switch format {
	case "json":
		b, err := json.Marshal(rep)
		if err == nil {
			_, err = stdout.Write(append(b, '\n'))
		}
		if err != nil {
			fmt.Fprintf(stderr, "why401 diff: write: %v\n", err)
			return 2
		}
	case "markdown":
		if err := rep.WriteMarkdown(stdout); err != nil {
			fmt.Fprintf(stderr, "why401 diff: write: %v\n", err)
			return 2
		}
	default:
		color := !noColor && os.Getenv("NO_COLOR") == "" && isTerminal(stdout)
		if err := rep.WriteText(stdout, analyzer.TextOptions{Color: color}); err != nil {
			fmt.Fprintf(stderr, "why401 diff: write: %v\n", err)
			return 2
		}
	}
	return 0
}
