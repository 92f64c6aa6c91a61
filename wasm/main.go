//go:build js && wasm

// Command wasm exposes the analyzer to the web page as globalThis.why401.
// The page runs it inside a Web Worker (web/worker.js), so a long analysis
// never freezes the page.
//
//	why401.analyze(input, name) → Report JSON string, or {"error": "…"}
//	why401.markdown(input, name) → the report as Markdown (problems only)
//	why401.begin(name) → a stream handle for large files:
//	    h.write(Uint8Array)  feeds the next chunk; returns once the analyzer
//	                         has consumed it (so memory stays bounded)
//	    h.end()              → Report JSON string, or {"error": "…"}
//	why401.lastMarkdown() → the Markdown of the last report produced
//	why401.exchanges(hops, name) → Report JSON string of live exchanges, in
//	    the npm package's build only (exchanges.go, tag npm)
//
// input is a string or a Uint8Array. Nothing leaves the page: the analyzer
// does no I/O.
//
// The page loads it as web/analyzer.wasm, built with the slim tag: text,
// curl transcripts and HAR files, what most people bring. For compressed
// input or a zip, WARC or Burp capture it answers {"error": …, "needs":
// "full"}; web/worker.js then loads web/sanitizer.wasm (this program with
// the sanitizer tag, tools.go: the full analyzer) once and analyses the
// same input again, so the report is the CLI's.
package main

import (
	"bytes"
	"errors"
	"io"
	"syscall/js"

	"why401/analyzer"
	"why401/internal/jsbytes"
)

// last is the most recent successful report, for lastMarkdown.
var last *analyzer.Report

// errJSON is {"error": "…"}, the error's text as a person reads it
// (analyzer.Message: no "analyzer: " prefix), for the page and npm alike;
// for ErrNeedsFull (this is the slim build and the input is compressed or a
// container) it adds "needs": "full".
func errJSON(err error) string {
	b := analyzer.AppendJSONError(nil, analyzer.Message(err))
	if errors.Is(err, analyzer.ErrNeedsFull) {
		b = append(b[:len(b)-1], `,"needs":"full"}`...)
	}
	return string(b)
}

// panicError is the error a recovered panic becomes. Runtime panics are
// errors and the analyzer panics with errors or strings; anything else is
// named by kind only (no fmt: the page's wasm links none, docs/performance.md).
func panicError(r any) error {
	switch v := r.(type) {
	case error:
		return errors.New("internal error: " + v.Error())
	case string:
		return errors.New("internal error: " + v)
	}
	return errors.New("internal error: a panic with a value of another kind")
}

// pageLimits: the CLI's defaults, but at most PageReports exchange reports
// in one answer (the page and the npm package), at most half of them ok: a
// HAR of millions of entries must not hold them all (each is ~1 KB in the
// wasm heap and in the JSON). The page's timeline draws 100,000 exchanges,
// so the bound sits above that. Every exchange is still analysed and
// counted; a warning says how many are not listed.
var pageLimits = analyzer.Limits{Reports: PageReports}

// PageReports is the most exchanges the page lists for one input.
const PageReports = 200_000

func nameOf(args []js.Value, i int) string {
	if len(args) > i && args[i].Type() == js.TypeString {
		return args[i].String()
	}
	return ""
}

func analyze(args []js.Value) (analyzer.Report, error) {
	if len(args) == 0 {
		return analyzer.Report{}, analyzer.ErrEmpty
	}
	return analyzer.AnalyzeWith(jsbytes.Of(args[0]), analyzer.Options{Name: nameOf(args, 1), Limits: pageLimits})
}

// result encodes a report (or its error) as the JSON string the page reads,
// and remembers it for lastMarkdown.
func result(rep analyzer.Report, err error) string {
	if err != nil {
		last = nil
		return errJSON(err)
	}
	last = &rep
	// The bytes of encoding/json's Encoder (SetEscapeHTML(false)), newline included.
	// About 350 bytes per ok exchange, 1 KB per failure: room for most
	// reports without reserving far more linear memory than they need.
	b := rep.AppendJSON(make([]byte, 0, 1024+512*len(rep.Exchanges)))
	return string(append(b, '\n'))
}

func markdown(rep *analyzer.Report) string {
	var b bytes.Buffer
	rep.WriteMarkdown(&b, true)
	return b.String()
}

// safe runs f and turns a panic into an error report, so one bad input
// cannot take the page's analyzer down for the inputs after it.
func safe(f func() string) (out string) {
	defer func() {
		if r := recover(); r != nil {
			last = nil
			out = errJSON(panicError(r))
		}
	}()
	return f()
}

type outcome struct {
	rep analyzer.Report
	err error
}

// begin starts an analysis that reads from a pipe fed by write(chunk); the
// analyzer streams HAR files entry by entry, so a 100 MB file never has to
// sit in memory whole, neither in JS nor in Go.
func begin(args []js.Value) any { return beginWith(nameOf(args, 0), pageLimits) }

func beginWith(name string, lim analyzer.Limits) any {
	pr, pw := io.Pipe()
	done := make(chan outcome, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				pr.CloseWithError(io.ErrClosedPipe)
				done <- outcome{err: panicError(r)}
			}
		}()
		rep, err := analyzer.AnalyzeReader(pr, analyzer.Options{Name: name, Limits: lim})
		pr.CloseWithError(io.ErrClosedPipe) // unblock a writer if the analyzer stopped early
		done <- outcome{rep, err}
	}()
	var buf []byte
	var write, end js.Func
	write = js.FuncOf(func(_ js.Value, a []js.Value) any {
		if len(a) == 0 {
			return nil
		}
		n := a[0].Get("length").Int()
		if cap(buf) < n {
			buf = make([]byte, n)
		}
		buf = buf[:n]
		js.CopyBytesToGo(buf, a[0])
		// Blocks until the analyzer has read the chunk (or gave up):
		// other goroutines run meanwhile, no JS event is awaited.
		if _, err := pw.Write(buf); err != nil {
			return false
		}
		return true
	})
	end = js.FuncOf(func(_ js.Value, _ []js.Value) any {
		pw.Close()
		o := <-done
		write.Release()
		end.Release()
		return safe(func() string { return result(o.rep, o.err) })
	})
	return js.ValueOf(map[string]any{"write": write, "end": end})
}

// exports is what main sets as globalThis.why401.
func exports() map[string]any {
	return map[string]any{
		"version": "dev",
		"analyze": js.FuncOf(func(_ js.Value, args []js.Value) any {
			return safe(func() string { return result(analyze(args)) })
		}),
		"markdown": js.FuncOf(func(_ js.Value, args []js.Value) any {
			return safe(func() string {
				rep, err := analyze(args)
				if err != nil {
					return errJSON(err)
				}
				return markdown(&rep)
			})
		}),
		"begin": js.FuncOf(func(_ js.Value, args []js.Value) any { return begin(args) }),
		"lastMarkdown": js.FuncOf(func(_ js.Value, _ []js.Value) any {
			if last == nil {
				return ""
			}
			return safe(func() string { return markdown(last) })
		}),
	}
}

// extra holds the exports of the npm build (exchanges.go).
var extra = map[string]any{}

func main() {
	ex := exports()
	for k, v := range extra {
		ex[k] = v
	}
	js.Global().Set("why401", js.ValueOf(ex))
	select {}
}
