// Command accuracy scores a why401 binary against the expectations of
// fixture groups (testdata/cases/<group>/expect.json): per group, how many
// captures get the expected verdict, vendor and scheme. Run it on an older
// binary to measure what a knowledge change gained (bench/accuracy.sh does
// both side by side).
//
//	go run ./bench/accuracy -bin bin/why401 analyzer/testdata/cases/real-*
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

type expectation struct {
	Index   *int    `json:"index"`
	Verdict *string `json:"verdict"`
	Vendor  *string `json:"vendor"`
	Scheme  *string `json:"scheme"`
}

type exchange struct {
	Verdict string  `json:"verdict"`
	Vendor  *string `json:"vendor"`
	Scheme  *string `json:"scheme"`
}

type score struct{ n, ok int }

func (s score) String() string {
	if s.n == 0 {
		return "    -     "
	}
	return fmt.Sprintf("%3d/%-3d %3.0f%%", s.ok, s.n, 100*float64(s.ok)/float64(s.n))
}

func (s *score) add(ok bool) {
	s.n++
	if ok {
		s.ok++
	}
}

func main() {
	bin := flag.String("bin", "bin/why401", "the why401 binary to score")
	verbose := flag.Bool("v", false, "list every miss")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: accuracy [-bin PATH] [-v] GROUP_DIR...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var total [3]score
	fmt.Printf("%-22s %-12s %-12s %-12s\n", "group", "verdict", "vendor", "scheme")
	for _, dir := range flag.Args() {
		data, err := os.ReadFile(filepath.Join(dir, "expect.json"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "accuracy:", err)
			os.Exit(2)
		}
		var exp map[string]expectation
		if err := json.Unmarshal(data, &exp); err != nil {
			fmt.Fprintf(os.Stderr, "accuracy: %s/expect.json: %v\n", dir, err)
			os.Exit(2)
		}
		var g [3]score
		for _, name := range slices.Sorted(maps.Keys(exp)) {
			e := exp[name]
			out, err := exec.Command(*bin, "--format", "json", "--no-progress", filepath.Join(dir, name)).Output()
			var rep struct{ Exchanges []exchange }
			if err == nil {
				err = json.Unmarshal(bytes.TrimSpace(out), &rep)
			}
			var x exchange
			if err == nil && len(rep.Exchanges) > 0 {
				i := len(rep.Exchanges) - 1
				if e.Index != nil && *e.Index < len(rep.Exchanges) {
					i = *e.Index
				}
				x = rep.Exchanges[i]
			}
			check := func(k int, field string, want *string, got string) {
				if want == nil {
					return
				}
				ok := *want == got
				g[k].add(ok)
				total[k].add(ok)
				if !ok && *verbose {
					fmt.Printf("  miss %s/%s %s: want %q, got %q\n", filepath.Base(dir), name, field, *want, got)
				}
			}
			check(0, "verdict", e.Verdict, x.Verdict)
			check(1, "vendor", e.Vendor, deref(x.Vendor))
			check(2, "scheme", e.Scheme, deref(x.Scheme))
		}
		fmt.Printf("%-22s %-12s %-12s %-12s\n", filepath.Base(dir), g[0], g[1], g[2])
	}
	fmt.Printf("%-22s %-12s %-12s %-12s\n", "all", total[0], total[1], total[2])
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}
