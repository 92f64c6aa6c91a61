//go:build !wasm

package capture

import "bytes"

// indexQuote is bytes.IndexByte(b, '"') (vectorised on this architecture).
func indexQuote(b []byte) int { return bytes.IndexByte(b, '"') }
