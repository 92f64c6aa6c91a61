package main

import (
	"fmt"
	"io"
	"os"

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
and response bodies, key-shaped tokens anywhere, and JWT signatures (a JWT's
header and claims are kept, so expiry can still be judged). The same secret
becomes the same placeholder (why401-redacted-…), key prefixes such as ghp_
are kept, and a HAR stays a valid HAR, so the copy analyses to the same
verdicts. What was replaced is counted on standard error. A HAR is sanitized
in memory (inputs up to 1 GiB).
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
	var data []byte
	var err error
	if in == "-" {
		data, err = io.ReadAll(io.LimitReader(stdin, 1<<30+1))
	} else {
		data, err = os.ReadFile(in)
	}
	if err != nil {
		fmt.Fprintf(stderr, "why401 sanitize: %s: %v\n", in, unwrapPathErr(err))
		return 2
	}
	out, stats, err := sanitize.Capture(data, sanitize.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "why401 sanitize: %s: %v\n", in, err)
		return 2
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "why401 sanitize: write: %v\n", err)
		return 2
	}
	fmt.Fprintf(stderr, "why401 sanitize: replaced %s\n", stats)
	return 0
}
