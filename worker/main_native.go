//go:build !js

// Natively, the worker's API runs as a plain HTTP server, for debugging and
// for comparing timings with workerd:
//
//	go run ./worker -addr 127.0.0.1:8787 -root .
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8787", "listen address")
	root := flag.String("root", ".", "repository root holding index.html and web/ (the page)")
	flag.Parse()
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("why401 worker (native) on http://%s/ (Ctrl-C to stop)\n", *addr)
	log.Fatal(http.ListenAndServe(*addr, NewHandler(NewAPI(cfg), http.FileServer(http.Dir(*root)))))
}
