//go:build !slim

package analyzer

import (
	"bytes"
	"compress/gzip"
	"testing"
)

// BenchmarkAnalyzeHARGzip: a .har.gz end to end (decompression included);
// SetBytes is the decompressed size, comparable with BenchmarkAnalyzeHAR.
// Not in slim builds, which leave gzip to the full one (ErrNeedsFull).
func BenchmarkAnalyzeHARGzip(b *testing.B) {
	data := benchHAR(5000)
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.DefaultCompression)
	w.Write(data)
	w.Close()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(z.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}
