package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"why401/analyzer"
	"why401/analyzer/sanitize"
)

const sanitizeUsage = `why401 sanitize — a copy of a capture that is safe to share

Usage:
  why401 sanitize IN > OUT
  why401 sanitize - < IN > OUT

Reads a HAR (also .har.gz, .zhar) or a raw / curl -i / curl -v capture and
writes a copy with every secret replaced: credential header values
(Authorization, Cookie, Set-Cookie, X-API-Key, CSRF and session headers…),
every cookie value, credential query and form parameters, secrets in request
and response bodies, key-shaped tokens anywhere, secrets in URL paths (bot
tokens, webhook secrets), whatever has a secret's shape in any other header
or string (a JWT, a key, user:password@ in a URL, a random-shaped value; HAR
comments, curl's "* Uses proxy" line), and JWT signatures (a JWT's header and
claims are kept, so expiry can still be judged). The same secret
becomes the same placeholder (why401-redacted-…), key prefixes such as ghp_
are kept, and a HAR stays a valid HAR, so the copy analyses to the same
verdicts. What was replaced is counted on standard error. A HAR is streamed
entry by entry (read twice; standard input is spooled to a temporary file,
unlinked as soon as it is made, so nothing of it outlives the run),
up to 1 GiB decompressed and 128 MiB per entry; nothing is written when the
input is refused.
`

// runSanitize is the "why401 sanitize" subcommand.
func runSanitize(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	in := "-"
	switch {
	case len(args) == 1 && (args[0] == "-h" || args[0] == "--help"):
		fmt.Fprint(stdout, sanitizeUsage)
		return 0
	case len(args) == 1:
		in = args[0]
	case len(args) > 1:
		fmt.Fprintln(stderr, "why401 sanitize: one input at a time (why401 sanitize IN > OUT)")
		return 2
	}
	// The input is read twice (secrets first, then the copy), streamed: a
	// file is opened twice; standard input is spooled to a temporary file
	// as it came (compressed or not), never held in memory.
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	open := func() (io.Reader, error) {
		f, err := os.Open(in)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		return f, nil
	}
	if in == "-" {
		spool, done, err := spoolStdin(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "why401 sanitize: %v\n", err)
			return 2
		}
		defer done()
		open = func() (io.Reader, error) {
			_, err := spool.Seek(0, io.SeekStart)
			return spool, err
		}
	} else if _, err := os.Stat(in); err != nil {
		fmt.Fprintf(stderr, "why401 sanitize: %s: %v\n", in, unwrapPathErr(err))
		return 2
	}
	bw := bufio.NewWriterSize(stdout, 64<<10)
	stats, err := sanitize.Stream(open, bw, sanitize.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "why401 sanitize: %s: %s\n", analyzer.Printable(displayName(in)), analyzer.Printable(cleanErr(err)))
		return 2
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintf(stderr, "why401 sanitize: write: %v\n", err)
		return 2
	}
	fmt.Fprintf(stderr, "why401 sanitize: replaced %s\n", stats)
	return 0
}

// spoolStdin copies standard input to a temporary file that is unlinked as
// soon as it is created, before a byte of the capture is written to it:
// the unsanitized copy goes with the process however it ends (Ctrl-C, a
// closed pipe, a crash), never left in $TMPDIR. Where an open file cannot
// be unlinked (Windows), done removes it after closing it, at a normal exit.
func spoolStdin(stdin io.Reader) (f *os.File, done func(), err error) {
	f, err = os.CreateTemp("", "why401-sanitize-*")
	if err != nil {
		return nil, nil, err
	}
	done = func() { f.Close() }
	if name := f.Name(); os.Remove(name) != nil {
		done = func() { f.Close(); os.Remove(name) }
	}
	if _, err := io.Copy(f, stdin); err != nil {
		done()
		return nil, nil, fmt.Errorf("reading standard input: %w", err)
	}
	return f, done, nil
}
