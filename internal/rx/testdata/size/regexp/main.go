// Size probe: GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' ./internal/rx/testdata/size/regexp
package main

import (
	"os"

	rx "regexp"
)

func main() {
	re := rx.MustCompile(os.Args[0])
	if sm := re.FindSubmatch([]byte(os.Args[1])); len(sm) > 1 && re.MatchString(os.Args[2]) {
		os.Exit(3)
	}
}
