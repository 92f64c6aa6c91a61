package sanitize_test

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer/sanitize"
	"why401/internal/hostile"
	"why401/internal/memtest"
)

// sanitize streams: a .har.gz of 10 MB that inflates to 10 GB is refused
// after MaxBytes with little memory (before issue 18 the whole inflated
// input was read into memory first), and a large HAR is sanitized in the
// memory of one entry, not of the file.
func TestAmplifySanitize(t *testing.T) {
	memtest.Big(t)
	bomb := hostile.HARGzBomb(10 << 30)
	var out bytes.Buffer
	var err error
	peak := memtest.PeakHeap(t, 1<<30, func() {
		_, err = sanitize.Stream(func() (io.Reader, error) { return bytes.NewReader(bomb), nil }, &out,
			sanitize.Options{MaxBytes: 512 << 20, EntryBytes: 16 << 20})
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxBytes")
	assert.Zero(t, out.Len(), "nothing is written for a refused input")
	assert.Less(t, peak, uint64(128<<20))

	// 30,000 entries, ~40 MB: the copy goes to a counting writer.
	var b bytes.Buffer
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[`)
	body := strings.Repeat("<p>blocked</p>", 80)
	for i := 0; i < 30_000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"request":{"method":"GET","url":"https://a.example/x?token=tok` + strconv.Itoa(i) + `abcdefgh","headers":[{"name":"Cookie","value":"sid=s` + strconv.Itoa(i) + `Q7xZk9Lm3V"}]},"response":{"status":403,"headers":[],"content":{"mimeType":"text/html","text":"` + body + `"}}}`)
	}
	b.WriteString(`]}}`)
	har := b.Bytes()
	var n countWriter
	var stats sanitize.Stats
	peak = memtest.PeakHeap(t, 1<<30, func() {
		stats, err = sanitize.Stream(func() (io.Reader, error) { return bytes.NewReader(har), nil }, &n, sanitize.Options{})
	})
	require.NoError(t, err)
	assert.Greater(t, int(n), len(har)/2)
	assert.Equal(t, 30_000, stats["cookie"])
	// One entry, the scanner's 4 MiB chunks and the secrets learnt (at most
	// 65,536: 60,000 here), not the 40 MB file nor its copy.
	assert.Less(t, peak, uint64(64<<20), "memory grew with the file (%d bytes)", len(har))
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }
