//go:build js && wasm && syumai

// The stock variant, for comparison only (bench/worker.sh): the same API
// behind syumai/workers' net/http bridge (workers.Serve) and the worker.mjs
// that workers-assets-gen writes, which starts a new Go runtime for every
// request. Build: GOOS=js GOARCH=wasm go build -tags syumai ./worker.
// It links net/http and crypto/tls, and is over the 2.0 MB gzip budget.
package main

import (
	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
)

func main() {
	cfg, err := ConfigFromEnv(cloudflare.Getenv)
	if err != nil {
		panic(err)
	}
	workers.Serve(NewHandler(NewAPI(cfg), nil))
}
