//go:build wasm

package capture

import (
	"math/bits"
	"unsafe"
)

// indexQuote is bytes.IndexByte(b, '"'). Go's wasm port has no vector
// IndexByte, so this looks at 8 bytes a step (the "has a zero byte" trick),
// which makes the HAR walk several times faster in the page and the worker.
func indexQuote(b []byte) int {
	const lo, hi, q = 0x0101010101010101, 0x8080808080808080, 0x2222222222222222
	i := 0
	for ; i+8 <= len(b); i += 8 {
		// One 64-bit load (wasm allows unaligned loads; it is little-endian).
		v := *(*uint64)(unsafe.Pointer(&b[i])) ^ q
		if t := (v - lo) &^ v & hi; t != 0 {
			return i + bits.TrailingZeros64(t)/8
		}
	}
	for ; i < len(b); i++ {
		if b[i] == '"' {
			return i
		}
	}
	return -1
}
