// Package memtest measures the memory a test's work holds, for the
// amplification tests of issue 18 (docs/limits.md): a bound on memory, never
// a timing.
package memtest

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// PeakHeap runs fn under a soft memory limit and returns the most heap
// memory it held, sampled every 2 ms: a bound on memory, not a timing. The
// GC runs at 10% growth, so a reader that keeps what it read shows it,
// while garbage hardly counts.
func PeakHeap(t testing.TB, limit int64, fn func()) uint64 {
	t.Helper()
	runtime.GC()
	old := debug.SetMemoryLimit(limit)
	defer debug.SetMemoryLimit(old)
	// A collection at 10% growth: what is sampled is nearly all live, not
	// garbage waiting for the next cycle.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if v := read(); v > base {
					mu.Lock()
					peak = max(peak, v-base)
					mu.Unlock()
				}
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	t.Logf("peak heap %d MiB", peak>>20)
	return peak
}

// Big skips a test that inflates hundreds of MiB: native and not -short only.
func Big(t testing.TB) {
	if testing.Short() || runtime.GOARCH == "wasm" {
		t.Skip("inflates hundreds of MiB: native, not -short")
	}
}
