// Command serve serves the why401 page from the repository root on
// 127.0.0.1, with the same security headers a deployment should send.
// It is for local use (./build.sh serve) and the browser tests.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	root := flag.String("root", ".", "directory holding index.html and web/")
	flag.Parse()
	if _, err := os.Stat(filepath.Join(*root, "web", "analyzer.wasm")); err != nil {
		log.Fatalf("serve: web/analyzer.wasm is missing: run ./build.sh first")
	}
	if _, err := os.Stat(filepath.Join(*root, "bin", "precompressed", "web", "analyzer.wasm.gz")); err == nil {
		fmt.Println("sending the precompressed copies of bin/precompressed (brotli, gzip) to browsers that accept them")
	}
	fmt.Printf("why401 page on http://%s/ (Ctrl-C to stop)\n", *addr)
	log.Fatal(http.ListenAndServe(*addr, Handler(*root)))
}
