// Command wasmsize shows where the bytes of a Go js/wasm binary go: the code
// and data sections (raw and gzip -9), then code per Go package, largest
// first, measured as each package's function bodies gzipped together.
// Build the binary with -ldflags=-w (not -s) so the wasm "name" section
// keeps function names:
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags=-w -o /tmp/a.wasm ./wasm
//	go run ./bench/wasmsize [-top 30] [-funcs why401_analyzer] /tmp/a.wasm
//
// Package names appear as the linker writes them (why401/analyzer becomes
// why401_analyzer). -funcs lists the largest functions whose name starts
// with the given prefix.
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	top := flag.Int("top", 30, "packages to list")
	funcs := flag.String("funcs", "", "also list the largest functions with this name prefix")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: wasmsize [-top N] [-funcs prefix] file.wasm")
		os.Exit(2)
	}
	b, err := os.ReadFile(flag.Arg(0))
	if err == nil {
		err = report(b, *top, *funcs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

type module struct {
	code, data []byte
	bodies     [][]byte          // function bodies, in code-section order
	imported   int               // functions imported (they precede bodies in the index space)
	names      map[uint32]string // function index -> name
}

// reader walks a wasm binary; any read past the end sets err.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) byte() byte {
	if r.i >= len(r.b) {
		r.err = errors.New("truncated wasm")
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *reader) uleb() uint32 {
	var v uint32
	for s := 0; s < 35; s += 7 {
		c := r.byte()
		v |= uint32(c&0x7f) << s
		if c < 0x80 {
			return v
		}
	}
	r.err = errors.New("bad LEB128")
	return 0
}

func (r *reader) bytes(n uint32) []byte {
	if r.err != nil || int(n) > len(r.b)-r.i {
		r.err = errors.New("truncated wasm")
		return nil
	}
	r.i += int(n)
	return r.b[r.i-int(n) : r.i]
}

func parse(b []byte) (*module, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, errors.New("not a wasm binary")
	}
	m := &module{names: map[uint32]string{}}
	r := &reader{b: b, i: 8}
	for r.i < len(b) && r.err == nil {
		id := r.byte()
		sec := &reader{b: r.bytes(r.uleb())}
		switch id {
		case 2: // imports: count the functions
			for n := sec.uleb(); n > 0 && sec.err == nil; n-- {
				sec.bytes(sec.uleb()) // module
				sec.bytes(sec.uleb()) // field
				switch sec.byte() {
				case 0:
					m.imported++
					sec.uleb()
				case 1: // table: reftype, limits
					sec.byte()
					if sec.uleb()&1 == 1 {
						sec.uleb()
					}
					sec.uleb()
				case 2: // memory: limits
					if sec.uleb()&1 == 1 {
						sec.uleb()
					}
					sec.uleb()
				case 3: // global: type, mutability
					sec.byte()
					sec.byte()
				}
			}
		case 10:
			m.code = sec.b
			for n := sec.uleb(); n > 0 && sec.err == nil; n-- {
				m.bodies = append(m.bodies, sec.bytes(sec.uleb()))
			}
		case 11:
			m.data = sec.b
		case 0:
			if string(sec.bytes(sec.uleb())) != "name" {
				continue
			}
			for sec.i < len(sec.b) && sec.err == nil {
				sub := sec.byte()
				ss := &reader{b: sec.bytes(sec.uleb())}
				if sub != 1 {
					continue
				}
				for n := ss.uleb(); n > 0 && ss.err == nil; n-- {
					idx := ss.uleb()
					m.names[idx] = string(ss.bytes(ss.uleb()))
				}
			}
		}
		if sec.err != nil {
			return nil, sec.err
		}
	}
	return m, r.err
}

func gz(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// pkgOf cuts a linker symbol name down to its package. The wasm name section
// spells import paths with '_' for '/', as in why401_analyzer.__story_.observe
// or github.com_tidwall_gjson.Get, so the dot of a module host name
// (github.com_, golang.org_, …) is skipped.
func pkgOf(name string) string {
	rest := name
	for _, tld := range []string{".com_", ".org_", ".net_", ".io_", ".dev_", ".in_"} {
		if i := strings.Index(rest, tld); i >= 0 && !strings.Contains(rest[:i], ".") {
			rest = rest[i+len(tld):]
			break
		}
	}
	if dot := strings.IndexByte(rest, '.'); dot >= 0 {
		return name[:len(name)-len(rest)+dot]
	}
	return name
}

func report(b []byte, top int, prefix string) error {
	m, err := parse(b)
	if err != nil {
		return err
	}
	if len(m.names) == 0 {
		return errors.New("no name section: build with -ldflags=-w, not -s")
	}
	fmt.Printf("%-40s %10s %10s\n", "", "raw", "gzip -9")
	fmt.Printf("%-40s %10d %10d\n", "whole file", len(b), gz(b))
	fmt.Printf("%-40s %10d %10d\n", "code section", len(m.code), gz(m.code))
	fmt.Printf("%-40s %10d %10d\n", "data section (incl. pclntab, types)", len(m.data), gz(m.data))
	byPkg := map[string][]byte{}
	type fn struct {
		name string
		size int
	}
	var fns []fn
	for i, body := range m.bodies {
		name := m.names[uint32(m.imported+i)]
		byPkg[pkgOf(name)] = append(byPkg[pkgOf(name)], body...)
		if prefix != "" && strings.HasPrefix(name, prefix) {
			fns = append(fns, fn{name, len(body)})
		}
	}
	type row struct {
		pkg     string
		raw, gz int
	}
	var rows []row
	for p, code := range byPkg {
		rows = append(rows, row{p, len(code), gz(code)})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].gz > rows[j].gz })
	fmt.Printf("\ncode by package (function bodies)\n")
	for i, r := range rows {
		if i == top {
			fmt.Printf("  … %d more packages\n", len(rows)-top)
			break
		}
		fmt.Printf("  %-38s %10d %10d\n", r.pkg, r.raw, r.gz)
	}
	if prefix != "" {
		sort.Slice(fns, func(i, j int) bool { return fns[i].size > fns[j].size })
		fmt.Printf("\nlargest functions starting with %q (raw bytes)\n", prefix)
		for i, f := range fns {
			if i == top {
				break
			}
			fmt.Printf("  %8d %s\n", f.size, f.name)
		}
	}
	return nil
}
