// Size probe, the floor: GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' ./internal/rx/testdata/size/none
package main

import "os"

func main() {
	if len(os.Args[0]) > 3 && os.Args[1] == os.Args[2] {
		os.Exit(3)
	}
}
