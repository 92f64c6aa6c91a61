// Command wasmpack rewrites the data section of a Go js/wasm binary so that
// it compresses better, without changing what the module does.
//
// Go's linker (cmd/link, wasm) leaves out every run of more than a few zero
// bytes and starts a new data segment after it. For the page's analyzer that
// is ~58,000 segments whose headers (flags, offset expression, size) are a
// third of the data section and compress badly: gzip does far better on the
// zeros than on the headers. Linear memory starts zeroed, so writing the
// short zero runs back and keeping segments apart only across long gaps
// gives the same memory image: for the page, ~100 KB less gzip.
//
//	go run ./internal/cmd/wasmpack [-gap N] [-max-memory MiB] in.wasm [out.wasm]
//
// -max-memory gives the module's memory a maximum: Go's runtime then dies
// of "out of memory" at that size instead of growing to wasm32's 4 GB (the
// worker: a runaway request costs its isolate 128 MiB, not 4 GB).
//
// With no out.wasm it rewrites in.wasm in place. Segments closer than -gap
// bytes are merged. It refuses binaries it does not understand (passive
// segments, non-constant offsets, overlapping segments) rather than guess.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
)

func main() {
	gap := flag.Int("gap", 4096, "merge data segments separated by fewer than this many zero bytes")
	maxMiB := flag.Int("max-memory", 0, "give the memory a maximum of this many MiB (0: none)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: wasmpack [-gap N] in.wasm [out.wasm]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 1 || flag.NArg() > 2 {
		flag.Usage()
		os.Exit(2)
	}
	in := flag.Arg(0)
	out := in
	if flag.NArg() == 2 {
		out = flag.Arg(1)
	}
	b, err := os.ReadFile(in)
	if err == nil {
		var packed []byte
		var st stats
		packed, st, err = pack(b, *gap)
		if err == nil && *maxMiB > 0 {
			packed, err = limitMemory(packed, uint32(*maxMiB)*16)
		}
		if err == nil {
			err = os.WriteFile(out, packed, 0o644)
			fmt.Printf("wasmpack: %s: %d data segments -> %d, %d -> %d bytes\n", out, st.before, st.after, len(b), len(packed))
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasmpack:", err)
		os.Exit(1)
	}
}

type stats struct{ before, after int }

type segment struct {
	off  uint32
	data []byte
}

var errFormat = errors.New("not a wasm module this tool understands")

// limitMemory returns b with the maximum of its one memory set to max
// pages (64 KiB each); every other section is copied byte for byte.
func limitMemory(b []byte, max uint32) ([]byte, error) {
	if len(b) < 8 || !bytes.Equal(b[:8], []byte("\x00asm\x01\x00\x00\x00")) {
		return nil, errors.New("not a wasm binary (version 1)")
	}
	out := append([]byte(nil), b[:8]...)
	found := false
	for i := 8; i < len(b); {
		id := b[i]
		size, n := uleb(b[i+1:])
		if n == 0 || uint64(i+1+n)+uint64(size) > uint64(len(b)) {
			return nil, errors.New("truncated section")
		}
		body := b[i+1+n : i+1+n+int(size)]
		i += 1 + n + int(size)
		if id == 5 { // memory: vec(limits)
			count, c := uleb(body)
			if c == 0 || count != 1 || len(body) < c+2 {
				return nil, errors.New("memory section: want exactly one memory")
			}
			flags := body[c]
			min, m := uleb(body[c+1:])
			if m == 0 || flags > 1 {
				return nil, errFormat
			}
			if min > max {
				return nil, fmt.Errorf("memory: the module starts with %d pages, more than the maximum %d", min, max)
			}
			nb := appendUleb(nil, 1)
			nb = append(nb, 1)
			nb = appendUleb(nb, min)
			body = appendUleb(nb, max)
			found = true
		}
		out = append(out, id)
		out = appendUleb(out, uint32(len(body)))
		out = append(out, body...)
	}
	if !found {
		return nil, errors.New("the module defines no memory")
	}
	return out, nil
}

// pack returns b with its data section rewritten; every other section is
// copied byte for byte.
func pack(b []byte, gap int) ([]byte, stats, error) {
	var st stats
	if len(b) < 8 || !bytes.Equal(b[:8], []byte("\x00asm\x01\x00\x00\x00")) {
		return nil, st, errors.New("not a wasm binary (version 1)")
	}
	out := append([]byte(nil), b[:8]...)
	for i := 8; i < len(b); {
		id := b[i]
		size, n := uleb(b[i+1:])
		if n == 0 || uint64(i+1+n)+uint64(size) > uint64(len(b)) {
			return nil, st, errors.New("truncated section")
		}
		body := b[i+1+n : i+1+n+int(size)]
		i += 1 + n + int(size)
		switch id {
		case 11: // data
			segs, err := readData(body)
			if err != nil {
				return nil, st, err
			}
			st.before = len(segs)
			segs = merge(segs, gap)
			st.after = len(segs)
			body = writeData(segs)
		case 12: // data count: must follow the new number of segments
			return nil, st, errors.New("module has a data count section (bulk memory); not supported")
		}
		out = append(out, id)
		out = appendUleb(out, uint32(len(body)))
		out = append(out, body...)
	}
	return out, st, nil
}

func readData(b []byte) ([]segment, error) {
	count, n := uleb(b)
	if n == 0 {
		return nil, errFormat
	}
	b = b[n:]
	segs := make([]segment, 0, min(count, uint32(len(b)/5))) // a segment takes ≥ 5 bytes
	for k := uint32(0); k < count; k++ {
		// flags 0: active, memory 0, offset given by "i32.const N; end".
		if len(b) < 2 || b[0] != 0 || b[1] != 0x41 {
			return nil, errors.New("data segment is not active with an i32.const offset")
		}
		off, n := sleb(b[2:])
		if n == 0 || len(b) < 2+n+1 || b[2+n] != 0x0b || off < 0 {
			return nil, errFormat
		}
		b = b[2+n+1:]
		size, n := uleb(b)
		if n == 0 || uint64(len(b)-n) < uint64(size) {
			return nil, errors.New("truncated data segment")
		}
		segs = append(segs, segment{uint32(off), b[n : n+int(size)]})
		b = b[n+int(size):]
	}
	if len(b) != 0 {
		return nil, errFormat
	}
	return segs, nil
}

// merge joins segments less than gap bytes apart, filling the space between
// them with the zeros memory holds there anyway.
func merge(segs []segment, gap int) []segment {
	sort.SliceStable(segs, func(i, j int) bool { return segs[i].off < segs[j].off })
	var out []segment
	for _, s := range segs {
		if len(out) > 0 {
			last := &out[len(out)-1]
			end := uint64(last.off) + uint64(len(last.data))
			if uint64(s.off) >= end && uint64(s.off)-end < uint64(gap) {
				last.data = append(last.data, make([]byte, uint64(s.off)-end)...)
				last.data = append(last.data, s.data...)
				continue
			}
		}
		out = append(out, segment{s.off, append([]byte(nil), s.data...)})
	}
	return out
}

func writeData(segs []segment) []byte {
	b := appendUleb(nil, uint32(len(segs)))
	for _, s := range segs {
		b = append(b, 0, 0x41)
		b = appendSleb(b, int64(s.off))
		b = append(b, 0x0b)
		b = appendUleb(b, uint32(len(s.data)))
		b = append(b, s.data...)
	}
	return b
}

// uleb reads an unsigned LEB128 value of at most 32 bits; n is 0 on error.
func uleb(b []byte) (v uint32, n int) {
	for shift := 0; n < len(b) && n < 5; shift += 7 {
		c := b[n]
		n++
		v |= uint32(c&0x7f) << shift
		if c < 0x80 {
			return v, n
		}
	}
	return 0, 0
}

// sleb reads a signed LEB128 value of at most 32 bits; n is 0 on error.
func sleb(b []byte) (v int64, n int) {
	shift := 0
	for n < len(b) && n < 5 {
		c := b[n]
		n++
		v |= int64(c&0x7f) << shift
		shift += 7
		if c < 0x80 {
			if c&0x40 != 0 {
				v -= 1 << shift
			}
			return v, n
		}
	}
	return 0, 0
}

func appendUleb(b []byte, v uint32) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendSleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
