package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manyFailures writes a HAR of n distinct 401s to w, made as it is read:
// nothing large is stored.
func manyFailures(w *io.PipeWriter, n int) {
	defer w.Close()
	fmt.Fprint(w, `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			io.WriteString(w, ",")
		}
		fmt.Fprintf(w, `{"startedDateTime":"2026-11-05T09:00:00.000Z","time":1,"request":{"method":"GET","url":"https://h%d.example/v1/items/%d","httpVersion":"HTTP/1.1","headers":[{"name":"Authorization","value":"Bearer tok%08dXq7Zr2"}]},"response":{"status":401,"statusText":"Unauthorized","httpVersion":"HTTP/1.1","headers":[{"name":"WWW-Authenticate","value":"Bearer realm=\"api\", error=\"invalid_token\""}],"content":{"size":25,"mimeType":"application/json","text":"{\"error\":\"invalid_token\"}"}}}`, i%5000, i, i)
	}
	io.WriteString(w, "]}}")
}

type countWriter struct{ n, lines int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	c.lines += int64(strings.Count(string(p), "\n"))
	return len(p), nil
}

// peakLive samples the live heap (as of each garbage collection) until stop
// is closed and returns the largest value seen.
func peakLive(stop chan struct{}) func() uint64 {
	// A fresh collection first: the live-heap metric is the last GC's, and
	// the test before this one may have left its own peak there.
	runtime.GC()
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			metrics.Read(s)
			mu.Lock()
			peak = max(peak, s[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { <-done; mu.Lock(); defer mu.Unlock(); return peak }
}

// A HAR of many failures is written exchange by exchange: the live heap
// stays far below what holding every exchange report needs (about 7 KB
// each once built; a live heap near 100 MB here when held), in JSON Lines and in text, and the run summary
// keeps counters, with hosts bounded by maxHosts. (Issue 18; no timing.)
func TestBoundedMemoryManyExchanges(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and analyses 60,000 HAR entries")
	}
	const n = 60000
	for _, format := range []string{"json", "text", "table"} {
		runtime.GC()
		pr, pw := io.Pipe()
		go manyFailures(pw, n)
		stop := make(chan struct{})
		peak := peakLive(stop)
		var out countWriter
		var errb strings.Builder
		code := run([]string{"-f", format, "--summary", "-"}, pr, &out, &errb)
		runtime.GC()
		close(stop)
		p := peak()
		require.Equal(t, 0, code, errb.String())
		t.Logf("%s: %d entries, %.1f MB written, peak live heap %.1f MB", format, n, float64(out.n)/1e6, float64(p)/1e6)
		assert.Less(t, p, uint64(40<<20), "%s: the live heap grew with the capture", format)
		if format == "table" {
			assert.EqualValues(t, n+1+7, out.lines, "a header, one row per exchange, the run summary")
		}
	}
}
