package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"why401/analyzer"
)

const streamUsage = `why401 stream — one JSON input per line in, one JSON answer per line out

Usage:
  why401 stream [flags] < inputs.jsonl > answers.jsonl

A long-lived mode for programs and batch engines: the analyzer starts once
and answers each line of standard input with one line of standard output, in
order, flushed as soon as it is ready, until the input ends. The Python
package runs it as a coprocess; a shell pipeline, Spark's pipe() or a queue
consumer can too (docs/libraries.md).

An input line is one JSON object, with an optional "id" (any JSON value,
echoed first in the answer) and "name" (the report's input.name, default
"-"), holding one of:
  {"capture": "HTTP/1.1 401 …"}         a capture as text: a raw response (after
                                        its request or not), curl -i / curl -v,
                                        a DevTools paste; or a HAR as an object
  {"capture_base64": "H4sI…"}          a capture's bytes (a .har.gz, a WARC …)
  {"request": {…}, "response": {…}}    one exchange as structured data
  {"exchanges": [{"request": …, "response": …}, …]}
                                        a redirect chain (first hop first) or the
                                        requests of one session
where
  request   {"method", "url", "http_version", "headers", "body" | "body_base64"}
  response  {"status", "reason", "http_version", "headers",
             "body" | "body_base64", "body_truncated"}
  headers   ordered pairs [["WWW-Authenticate", "Bearer …"], …]
            or objects [{"name": …, "value": …}, …], duplicates kept
  "time"    (beside request and response) when the request started, RFC 3339
Every field but response.status may be left out.

The answer to a line is the report, exactly as why401 --format json writes it
(each exchange with its verdict, cause, action and, for a rate limit,
wait_seconds / wait_until), with the line's id first: {"id":7,"schema_version":1,…}.
A line that cannot be read or analysed is answered {"id":7,"error":"line 3: …"}
(the id when it could be read); it never ends the stream. Every line gets one
answer, an empty one too. Each line is analysed within the limits of every
door (docs/limits.md); a report lists at most 1,000 exchanges.

Flags:
  -j, --jobs N             lines analysed at once (default: number of CPUs);
                           answers stay in input order
      --max-line-bytes N   the longest input line read (default 16777216, 16 MiB);
                           a longer one is skipped unread and answered with an
                           error: analyse a big capture as a file (why401 -f json FILE)
  -h, --help               this help

Exit status: 0 at the end of the input, 2 on bad usage or when standard
input or output fails.

Example:
  echo '{"id":1,"response":{"status":429,"headers":[["Retry-After","30"]]}}' | why401 stream
`

// streamLineBytes is the default --max-line-bytes.
const streamLineBytes = 16 << 20

// streamLimits are the analyzer's limits for one line: every door's, and at
// most 1,000 exchanges listed (as the worker's): a line of a few megabytes
// of compressed HAR cannot make an answer of gigabytes.
var streamLimits = analyzer.Limits{Reports: 1000}

// streamJob is one input line on its way through: read, analysed on a
// worker, written in turn.
type streamJob struct {
	n    int    // line number, from 1
	line []byte // the line without its end; nil when tooLong
	// tooLong: the line was longer than the limit; head is its start (for its id).
	tooLong bool
	head    []byte
	answer  chan []byte
}

// runStream is the "why401 stream" subcommand.
func runStream(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	jobs, maxLine := runtime.NumCPU(), streamLineBytes
	for i := 0; i < len(args); i++ {
		name, val, hasVal := strings.Cut(args[i], "=")
		num := func() (int, bool) {
			if !hasVal {
				if i+1 >= len(args) {
					fmt.Fprintf(stderr, "why401 stream: %s wants a number (see why401 stream --help)\n", name)
					return 0, false
				}
				i++
				val = args[i]
			}
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				fmt.Fprintf(stderr, "why401 stream: %s %q: want a positive number\n", name, val)
				return 0, false
			}
			return n, true
		}
		var ok bool
		switch name {
		case "-h", "--help":
			fmt.Fprint(stdout, streamUsage)
			return 0
		case "-j", "--jobs":
			if jobs, ok = num(); !ok {
				return 2
			}
		case "--max-line-bytes":
			if maxLine, ok = num(); !ok {
				return 2
			}
		default:
			fmt.Fprintf(stderr, "why401 stream: unknown argument %q: the inputs come on standard input (see why401 stream --help)\n", args[i])
			return 2
		}
	}
	return stream(stdin, stdout, stderr, jobs, maxLine)
}

// stream answers each line of in on out, in order. A reader goroutine reads
// lines, jobs workers analyse them, and this goroutine writes the answers in
// input order, flushing whenever it would otherwise wait: an answer is never
// held back while the caller waits for it. At most 2×jobs lines are in
// flight, each at most maxLine bytes.
func stream(in io.Reader, out, stderr io.Writer, jobs, maxLine int) int {
	todo := make(chan *streamJob, jobs)
	order := make(chan *streamJob, jobs)
	var readErr error
	go func() {
		defer close(todo)
		defer close(order)
		readErr = readLines(bufio.NewReaderSize(in, 64<<10), maxLine, func(j *streamJob) {
			order <- j
			todo <- j
		})
	}()
	for w := 0; w < jobs; w++ {
		go func() {
			for j := range todo {
				j.answer <- answer(j)
			}
		}()
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	var werr error
	for j := range order {
		var b []byte
		select {
		case b = <-j.answer:
		default:
			if werr == nil {
				werr = bw.Flush()
			}
			b = <-j.answer
		}
		if werr == nil {
			_, werr = bw.Write(b)
		}
		if werr == nil && len(order) == 0 {
			werr = bw.Flush()
		}
	}
	if werr == nil {
		werr = bw.Flush()
	}
	switch {
	case readErr != nil:
		fmt.Fprintf(stderr, "why401 stream: reading standard input: %v\n", readErr)
		return 2
	case werr != nil:
		fmt.Fprintf(stderr, "why401 stream: write: %v\n", werr)
		return 2
	}
	return 0
}

// readLines reads r line by line (a line ends at "\n"; a "\r" before it is
// dropped; the last line may lack its end) and hands each to emit. A line
// longer than maxLine is read through without being kept. The error is a
// read error other than EOF.
func readLines(r *bufio.Reader, maxLine int, emit func(*streamJob)) error {
	for n := 1; ; n++ {
		j := &streamJob{n: n, answer: make(chan []byte, 1)}
		var line []byte
		for {
			frag, err := r.ReadSlice('\n')
			switch {
			case j.tooLong:
			case len(line)+len(frag) > maxLine+1: // +1: the "\n"
				j.tooLong = true
				j.head = append(line, frag[:min(len(frag), 256)]...)[:min(len(line)+len(frag), 256)]
				line = nil
			default:
				line = append(line, frag...)
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil && err != io.EOF {
				return err
			}
			if err == io.EOF && len(line) == 0 && !j.tooLong {
				return nil // the input ended after a line's end
			}
			break
		}
		if !j.tooLong {
			line = bytes.TrimSuffix(line, []byte("\n"))
			line = bytes.TrimSuffix(line, []byte("\r"))
			j.line = line
		}
		emit(j)
	}
}

// answer is a line's one answer line: its report, or its error record.
func answer(j *streamJob) (b []byte) {
	var id []byte
	defer func() {
		if v := recover(); v != nil {
			b = errorRecord(id, j.n, errors.New("internal error while analysing the line"))
		}
	}()
	switch {
	case j.tooLong:
		return errorRecord(leadingID(j.head), j.n, fmt.Errorf("longer than the limit (--max-line-bytes); analyse a capture this big as a file: why401 -f json FILE"))
	case len(bytes.TrimSpace(j.line)) == 0:
		return errorRecord(nil, j.n, errors.New(`empty: a line is one JSON object (why401 stream --help)`))
	}
	in, err := decodeLine(j.line)
	id = in.id
	if err != nil {
		return errorRecord(id, j.n, err)
	}
	opt := analyzer.Options{Name: in.name, Limits: streamLimits}
	var rep analyzer.Report
	if in.isCapture {
		rep, err = analyzer.AnalyzeWith(in.capture, opt)
	} else {
		rep, err = analyzer.AnalyzeExchanges(in.exchanges, opt)
	}
	if err != nil {
		return errorRecord(id, j.n, errors.New(cleanErr(err)))
	}
	out := make([]byte, 0, 4096)
	if id != nil {
		out = append(append(append(out, `{"id":`...), id...), ',')
		out = rep.AppendJSON(out)
		i := len(`{"id":`) + len(id) + 1
		out = append(out[:i], out[i+1:]...) // the report's own "{"
	} else {
		out = rep.AppendJSON(out)
	}
	return append(out, '\n')
}

// errorRecord is {"id":…,"error":"line N: …"} (no id when there is none).
func errorRecord(id []byte, n int, err error) []byte {
	e := analyzer.AppendJSONError(nil, "line "+strconv.Itoa(n)+": "+err.Error())
	if id == nil {
		return append(e, '\n')
	}
	out := append(append([]byte(`{"id":`), id...), ',')
	return append(append(out, e[1:]...), '\n')
}
