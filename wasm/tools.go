//go:build js && wasm && sanitizer

// The page's second, lazily loaded wasm (web/sanitizer.wasm) is this
// program built with the sanitizer tag: the full analyzer (globalThis.why401,
// every input the CLI reads) plus globalThis.why401sanitize, which exposes
// sanitize.Capture (why401/analyzer/sanitize) and the comparison of two
// captures. The page's first wasm, web/analyzer.wasm (the slim tag), never
// imports the sanitize package, so the crypto the sanitizer needs (a random
// HMAC key) is downloaded only by someone who asks for a sanitized HAR, a
// comparison, or an input the slim build leaves out (compressed, or a zip,
// WARC or Burp capture): web/worker.js loads this build for those. The
// sanitizer tag keeps this file out of a plain GOOS=js build of ./....
// The page runs the sanitizer in its own Web Worker (web/sanitize-worker.js).
//
//	why401sanitize.sanitize(Uint8Array | string) →
//	    {data: Uint8Array, stats: {kind: count…}} or {error: "…"}
//	why401sanitize.diff(good, bad, url) → DiffReport JSON string (what
//	    changed from the capture that worked to the one that failed), or
//	    {"error": "…"}
//
// Nothing leaves the page: Sanitize does no I/O.
package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"syscall/js"

	"why401/analyzer"
	"why401/analyzer/sanitize"
	"why401/internal/jsbytes"
)

// maxBytes caps what the page sanitizes, compressed or not: Sanitize works
// in memory (a 60 MB HAR takes ~16 s and ~380 MB of wasm memory under node),
// so a larger capture is refused with a clear message rather than left to
// exhaust the tab; the CLI (why401 sanitize) has no such cap.
const maxBytes = 200 << 20

func errValue(err error) js.Value {
	return js.ValueOf(map[string]any{"error": analyzer.Message(err)})
}

// sanitizeJS runs sanitize.Capture on args[0]; a panic becomes an error so
// one bad input cannot take the worker down.
func sanitizeJS(args []js.Value) (out js.Value) {
	defer func() {
		if r := recover(); r != nil {
			out = errValue(fmt.Errorf("sanitizer: internal error: %v", r))
		}
	}()
	if len(args) == 0 {
		return errValue(analyzer.ErrEmpty)
	}
	if args[0].Type() != js.TypeString && args[0].Get("length").Int() > maxBytes {
		return errValue(fmt.Errorf("the capture is %d MB; the page sanitizes up to %d MB (use the CLI: why401 sanitize)", args[0].Get("length").Int()>>20, maxBytes>>20))
	}
	data, stats, err := sanitize.Capture(jsbytes.Of(args[0]), sanitize.Options{MaxBytes: maxBytes})
	if err != nil {
		return errValue(err)
	}
	st := map[string]any{}
	for k, n := range stats {
		st[k] = n
	}
	return js.ValueOf(map[string]any{"data": jsbytes.Array(data), "stats": st})
}

// diffJS compares args[0] (the capture that worked) with args[1] (the one
// that failed); args[2], when a non-empty string, picks exchanges by URL;
// args[3] and args[4], when non-empty strings, name the two sides (the
// files chosen), as the CLI names them by path.
func diffJS(args []js.Value) (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = string(analyzer.AppendJSONError(nil, fmt.Sprintf("internal error: %v", r)))
		}
	}()
	if len(args) < 2 {
		return string(analyzer.AppendJSONError(nil, analyzer.Message(analyzer.ErrEmpty)))
	}
	// Pasted sides as the Compare box names them, so that an error or a
	// warning reads "the capture that failed: no HTTP response found";
	// a file by its name ("failed.har: …").
	opt := analyzer.DiffOptions{GoodName: "the capture that worked", BadName: "the capture that failed"}
	if len(args) > 2 && args[2].Type() == js.TypeString {
		opt.URL = args[2].String()
	}
	opt.GoodName, opt.BadName = sideNames(args, opt.GoodName, opt.BadName)
	rep, err := analyzer.Diff(jsbytes.Of(args[0]), jsbytes.Of(args[1]), opt)
	if err != nil {
		return string(analyzer.AppendJSONError(nil, analyzer.Message(err)))
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return string(analyzer.AppendJSONError(nil, err.Error()))
	}
	return string(b)
}

func init() {
	js.Global().Set("why401sanitize", js.ValueOf(map[string]any{
		"sanitize": js.FuncOf(func(_ js.Value, args []js.Value) any { return sanitizeJS(args) }),
		"diff":     js.FuncOf(func(_ js.Value, args []js.Value) any { return diffJS(args) }),
	}))
}

// sideNames names the sides by args[3] and args[4] when they are non-empty
// strings, else by good and bad; two equal names get their side added
// ("capture.har (worked)").
func sideNames(args []js.Value, good, bad string) (string, string) {
	name := func(i int, def string) string {
		if len(args) > i && args[i].Type() == js.TypeString {
			if s := strings.TrimSpace(args[i].String()); s != "" {
				return s
			}
		}
		return def
	}
	g, b := name(3, good), name(4, bad)
	if g == b {
		g, b = g+" (worked)", b+" (failed)"
	}
	return g, b
}
