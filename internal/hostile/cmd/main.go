// Command cmd writes the hostile corpus to a folder, for trying the CLI, the
// page or the worker by hand: go run ./internal/hostile/cmd -o /tmp/hostile
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"why401/internal/hostile"
)

func main() {
	out := flag.String("o", "hostile-out", "output folder")
	small := flag.Bool("small", false, "leave out the inputs over 8 MB")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, c := range hostile.Cases(*small) {
		p := filepath.Join(*out, c.Name+".txt")
		if err := os.WriteFile(p, c.Data(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Println(p)
	}
}
