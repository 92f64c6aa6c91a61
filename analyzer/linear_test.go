package analyzer_test

import (
	"bytes"
	"runtime"
	"strconv"
	"testing"
	"time"

	"why401/analyzer"
	"why401/internal/hostile"
)

// linearSizes are the two input sizes each shape is read at.
const linearSmall, linearLarge = 256 << 10, 1 << 20

// maxAllocPerByte bounds the bytes allocated per byte of input that the
// larger input costs beyond the smaller one: every format, every message
// kind. Ordinary fields measure 5–40 (docs/limits.md); obsolete line
// folding appended by copying the whole value each time measured ~2,000
// on raw text and unbounded on WARC, Burp and SAZ (issue 31).
const maxAllocPerByte = 100

// allocated returns the bytes and objects fn allocates (all goroutines).
func allocated(fn func()) (bytes, objects uint64) {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc, b.Mallocs - a.Mallocs
}

// TestLinearCost: the work of reading a capture grows with its size, not
// faster, in every format. Work is counted as bytes allocated (a count,
// not a timing): the marginal cost per byte between a 256 KiB and a
// 1 MiB input of the same shape stays under maxAllocPerByte, and the
// allocations of the larger input stay within 6× those of the smaller (4×
// the input; quadratic work is 16×). The time per MB is logged, not
// asserted; BenchmarkLinear measures it:
//
//	go test ./analyzer -run '^$' -bench Linear -benchtime 5x
func TestLinearCost(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("native only: the readers are the same code in wasm")
	}
	for _, s := range hostile.Shapes() {
		t.Run(s.Name, func(t *testing.T) {
			small, large := s.Make(linearSmall), s.Make(linearLarge)
			var cpu [2]time.Duration
			run := func(i int, in []byte) func() {
				return func() {
					start := time.Now()
					rep, err := analyzer.AnalyzeReader(bytes.NewReader(in), analyzer.Options{})
					cpu[i] = time.Since(start)
					if err != nil || len(rep.Exchanges) == 0 {
						t.Fatalf("%d bytes: %d exchanges, error %v", len(in), len(rep.Exchanges), err)
					}
				}
			}
			as, os := allocated(run(0, small))
			al, ol := allocated(run(1, large))
			perByte := float64(int64(al)-int64(as)) / float64(linearLarge-linearSmall)
			t.Logf("%s: %d → %d bytes allocated (%d → %d objects), %.1f per input byte; %.0f → %.0f ms/MB wall",
				s.Name, as, al, os, ol, perByte,
				float64(cpu[0].Milliseconds())*float64(1<<20)/float64(linearSmall),
				float64(cpu[1].Milliseconds())*float64(1<<20)/float64(linearLarge))
			if perByte > maxAllocPerByte {
				t.Errorf("%s: %.0f bytes allocated per input byte (at most %d): the work grows faster than the input", s.Name, perByte, maxAllocPerByte)
			}
			if al > 6*as {
				t.Errorf("%s: the 4× larger input allocated %.1f× as much (at most 6×)", s.Name, float64(al)/float64(as))
			}
			if ol > 6*os {
				t.Errorf("%s: the 4× larger input allocated %.1f× as many objects (at most 6×)", s.Name, float64(ol)/float64(os))
			}
		})
	}
}

// BenchmarkLinear reads every shape at both sizes: MB/s of the two sizes
// of one shape stay alike when the work is linear.
func BenchmarkLinear(b *testing.B) {
	for _, s := range hostile.Shapes() {
		for _, n := range []int{linearSmall, linearLarge} {
			in := s.Make(n)
			b.Run(s.Name+"/"+strconv.Itoa(n>>10)+"KiB", func(b *testing.B) {
				b.SetBytes(int64(n)) // before compression: the sizes compare
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := analyzer.AnalyzeReader(bytes.NewReader(in), analyzer.Options{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
