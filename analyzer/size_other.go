//go:build !js

package analyzer

import (
	"io"
	"io/fs"
)

// sizeOf is how many bytes r holds, when it can tell without reading: a
// regular file (Stat, less what was read of it already), a bytes or
// strings reader (Len); else -1. (The page's and the worker's wasm read
// no files: size_js.go leaves io/fs out of them, 5 KB of gzip.)
func sizeOf(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len())
	case interface {
		Stat() (fs.FileInfo, error)
		io.Seeker
	}:
		st, err := v.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return -1
		}
		pos, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		return max(st.Size()-pos, 0)
	}
	return -1
}
