//go:build js && wasm && !syumai

// Command worker is why401 as an HTTP API on Cloudflare Workers; see
// docs/worker.md. The API is in api.go; this file only connects it to the
// JS glue (glue.mjs), using the runtime files that syumai/workers'
// workers-assets-gen writes (wasm_exec.js with its "context" global,
// runtime.mjs, the workers.ready import).
//
// main never returns: the glue starts this program once per isolate and
// calls binding.serve for every request, so the Go runtime starts once,
// not once per request as with workers.Serve and the generated worker.mjs.
// It does not import net/http (nor syumai/workers' Go package, which does):
// that keeps the bundle under its 2.0 MB gzip budget (see main_syumai.go for
// the stock variant, built with -tags syumai for comparison).
package main

import (
	"runtime/debug"
	"syscall/js"

	"why401/internal/jsbytes"
)

//go:wasmimport workers ready
func ready()

// memoryLimit is the Go heap's soft limit: an isolate has 128 MB for
// everything (V8's heap, this instance's linear memory, which never shrinks),
// so the GC works harder rather than let a 10 MB capture grow the heap freely.
// 64 MiB keeps every hostile input under the 96 MiB budget (TestWorkerMemory)
// and, against 40 MiB, takes a quarter off a 5 MB HAR's CPU (bench/worker.sh).
const memoryLimit = 64 << 20

// debugOOM: WHY401_DEBUG_MEMORY=1 (tests only, never on a deployment)
// lets POST /analyze?debug_oom=1 run the instance out of memory, to test
// that the glue logs one line and the next request gets a fresh instance.
var debugOOM bool

var hoard [][]byte

func exhaustMemory() {
	for {
		b := make([]byte, 64<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		hoard = append(hoard, b)
	}
}

func main() {
	debug.SetMemoryLimit(memoryLimit)
	context := js.Global().Get("context")
	env := context.Get("env")
	cfg, cfgErr := ConfigFromEnv(func(name string) string {
		if env.Type() != js.TypeObject {
			return ""
		}
		if v := env.Get(name); v.Type() == js.TypeString {
			return v.String()
		}
		return ""
	})
	api := NewAPI(cfg)
	if env.Type() == js.TypeObject {
		if v := env.Get("WHY401_DEBUG_MEMORY"); v.Type() == js.TypeString && v.String() == "1" {
			debugOOM = true
		}
	}
	binding := context.Get("binding")
	binding.Set("maxBytes", api.MaxBytes())
	// cors(origin, method) → [[name, value]…]: the CORS headers of an API
	// answer, for the answers the glue makes itself (503 busy, say).
	binding.Set("cors", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) < 2 || args[0].Type() != js.TypeString || args[1].Type() != js.TypeString {
			return []any{}
		}
		h := api.CORS(args[0].String(), args[1].String())
		out := make([]any, len(h))
		for i, f := range h {
			out[i] = []any{f.Name, f.Value}
		}
		return out
	}))
	// serve({method, path, query, origin, contentType, contentEncoding,
	// contentLength, body: Uint8Array|null, tooLarge}) → {status, headers: [[name, value]…], body: Uint8Array|null}
	binding.Set("serve", js.FuncOf(func(_ js.Value, args []js.Value) any {
		m := args[0]
		str := func(k string) string {
			if v := m.Get(k); v.Type() == js.TypeString {
				return v.String()
			}
			return ""
		}
		req := &Request{
			Method:          str("method"),
			Path:            str("path"),
			RawQuery:        str("query"),
			Origin:          str("origin"),
			ContentType:     str("contentType"),
			ContentEncoding: str("contentEncoding"),
			ContentLength:   -1,
			TooLarge:        m.Get("tooLarge").Truthy(),
		}
		if v := m.Get("contentLength"); v.Type() == js.TypeNumber {
			req.ContentLength = int64(v.Float())
		}
		if b := m.Get("body"); b.Type() == js.TypeObject {
			req.Body = jsbytes.Of(b)
		}
		var res Response
		if debugOOM && req.Path == "/analyze" && req.RawQuery == "debug_oom=1" {
			exhaustMemory() // never returns: the runtime dies of out of memory
		}
		if cfgErr != nil {
			(&API{}).fail(&res, req, 500, "worker misconfigured: "+cfgErr.Error())
		} else {
			res = api.Serve(req)
		}
		req.Body = nil
		headers := make([]any, len(res.Header))
		for i, f := range res.Header {
			headers[i] = []any{f.Name, f.Value}
		}
		var body any
		if res.Body != nil {
			body = jsbytes.Array(res.Body)
		}
		return map[string]any{"status": res.Status, "headers": headers, "body": body}
	}))
	ready()
	select {}
}
