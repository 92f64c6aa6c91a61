//go:build js

package analyzer

import "io"

// sizeOf is how many bytes r holds when it can tell (a bytes reader's
// Len), else -1: size_other.go's without files, which the page and the
// worker never read.
func sizeOf(r io.Reader) int64 {
	if v, ok := r.(interface{ Len() int }); ok {
		return int64(v.Len())
	}
	return -1
}
