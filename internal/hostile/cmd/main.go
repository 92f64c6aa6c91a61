// Command cmd writes the hostile corpus to a folder, for trying the CLI, the
// page or the worker by hand: go run ./internal/hostile/cmd -o /tmp/hostile
// (-bombs: also the amplification inputs of issue 18, docs/limits.md).
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
	bombs := flag.Bool("bombs", false, "also write the amplification inputs (small files that inflate to gigabytes)")
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
	if !*bombs {
		return
	}
	for name, data := range map[string]func() []byte{
		"har-zip-3GB.zip":               func() []byte { return hostile.HARZipBomb(3 << 30) },
		"har-zip-shared-body-2000.zip":  func() []byte { return hostile.HARZipSharedBody(2000, 1<<20) },
		"har-zip-shared-body-20000.zip": func() []byte { return hostile.HARZipSharedBody(20000, 1<<20) },
		"wacz-50x1GB.wacz":              func() []byte { return hostile.WACZSharedMember(50, 1<<30) },
		"har-gz-10GB.har.gz":            func() []byte { return hostile.HARGzBomb(10 << 30) },
		"diff-good-15000.har.gz":        func() []byte { return hostile.DiffHARGz(15_000, 64<<10, 'a') },
		"diff-bad-15000.har.gz":         func() []byte { return hostile.DiffHARGz(15_000, 64<<10, 'b') },
		"diff-good-770.har.gz":          func() []byte { return hostile.DiffHARGz(770, 64<<10, 'a') },
		"diff-bad-770.har.gz":           func() []byte { return hostile.DiffHARGz(770, 64<<10, 'b') },
	} {
		p := filepath.Join(*out, name)
		if err := os.WriteFile(p, data(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Println(p)
	}
}
