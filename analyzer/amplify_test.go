package analyzer_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer"
	"why401/internal/hostile"
	"why401/internal/memtest"
)

// A 3 MB HAR zip whose .har inflates to 3 GB: read up to MemberBytes, with
// a warning (before issue 18: up to InputBytes, 2 GiB, then the report).
func TestAmplifyHARZip(t *testing.T) {
	memtest.Big(t)
	data := hostile.HARZipBomb(3 << 30)
	var rep analyzer.Report
	var err error
	peak := memtest.PeakHeap(t, 1<<30, func() {
		rep, err = analyzer.AnalyzeReader(bytes.NewReader(data), analyzer.Options{Limits: analyzer.Limits{MemberBytes: 64 << 20}})
	})
	require.NoError(t, err)
	// The member (64 MiB) and the HAR reader's buffer for its 64 MiB entry
	// (EntryBytes), which grows by doubling.
	assert.Less(t, peak, uint64(384<<20))
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "MemberBytes")
	require.NotEmpty(t, rep.Exchanges)
	assert.Equal(t, 401, rep.Exchanges[0].Status)
}

// An 8 KB zip whose 2,000 entries all name one 1 MiB body: the body is
// read once and its uses are counted (before: 2,000 inflated copies of its
// first BodyBytes, 680 MB of base64; 20,000 entries, 6.8 GB).
func TestAmplifySharedBody(t *testing.T) {
	memtest.Big(t)
	data := hostile.HARZipSharedBody(2_000, 1<<20)
	require.Less(t, len(data), 16<<10)
	var rep analyzer.Report
	var err error
	peak := memtest.PeakHeap(t, 1<<30, func() {
		rep, err = analyzer.AnalyzeReader(bytes.NewReader(data), analyzer.Options{Limits: analyzer.Limits{MemberBytes: 64 << 20}})
	})
	require.NoError(t, err)
	assert.Less(t, peak, uint64(256<<20))
	assert.Equal(t, 2_000, rep.Input.Entries)
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "MemberBytes")
}

// A 1 MB WACZ of 50 directory entries naming one gzip member of 1 GiB:
// the members inflate ContainerBytes in all (each read counted), so the
// CPU is bounded too (before: DecompressedBytes, 4 GiB, 75 s).
func TestAmplifyWACZSharedMember(t *testing.T) {
	memtest.Big(t)
	data := hostile.WACZSharedMember(50, 1<<30)
	require.Less(t, len(data), 2<<20)
	var rep analyzer.Report
	var err error
	memtest.PeakHeap(t, 1<<30, func() {
		rep, err = analyzer.AnalyzeReader(bytes.NewReader(data), analyzer.Options{Limits: analyzer.Limits{ContainerBytes: 256 << 20}})
	})
	require.NoError(t, err)
	assert.Equal(t, "warc", rep.Input.Format)
	assert.LessOrEqual(t, rep.Input.Entries, 1, "one member at most is read: the budget is spent")
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "ContainerBytes")
}

// The defaults hold the same inputs: ContainerBytes is 1 GiB, MemberBytes
// 128 MiB, whatever InputBytes and DecompressedBytes say.
func TestAmplifyDefaults(t *testing.T) {
	d := analyzer.DefaultLimits()
	assert.LessOrEqual(t, d.ContainerBytes, int64(1<<30))
	assert.LessOrEqual(t, d.MemberBytes, int64(128<<20))
	assert.Less(t, d.ContainerBytes, d.DecompressedBytes)
}

// Many entries: with Reports bounded (the worker's 1,000, the page's
// 200,000), the memory of a long HAR's report does not grow with its
// entries (before issue 18 every report was kept: 1 M tiny entries, 2.1 GB).
func TestAmplifyManyEntries(t *testing.T) {
	memtest.Big(t)
	var b bytes.Buffer
	b.WriteString(`{"log":{"entries":[`)
	for i := 0; i < 100_000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"request":{"method":"GET","url":"https://a.example/x"},"response":{"status":401,"headers":[]}}`)
	}
	b.WriteString(`]}}`)
	data := b.Bytes()
	var rep analyzer.Report
	var err error
	peak := memtest.PeakHeap(t, 1<<30, func() {
		rep, err = analyzer.AnalyzeReader(bytes.NewReader(data), analyzer.Options{Limits: analyzer.Limits{Reports: 2_000}})
	})
	require.NoError(t, err)
	assert.Equal(t, 100_000, rep.Input.Entries)
	assert.Len(t, rep.Exchanges, 2_000)
	assert.Less(t, peak, uint64(48<<20), "the reports of 100,000 401s take ~100 MB when all are kept")
}

// A HAR of one entry whose body inflates to 10 GiB, read on every core: the
// pipeline's scanner buffers it skips through are given back as it goes,
// not held until the entry ends (which it never does within the limit).
func TestAmplifyHARGzBombPipeline(t *testing.T) {
	memtest.Big(t)
	data := hostile.HARGzBomb(10 << 30)
	var err error
	peak := memtest.PeakHeap(t, 1<<30, func() {
		_, err = analyzer.AnalyzeReader(bytes.NewReader(data), analyzer.Options{})
	})
	t.Logf("peak live heap %d MiB, %v", peak>>20, err)
	// The reader's buffer for an entry of EntryBytes (64 MiB), grown by doubling.
	assert.Less(t, peak, uint64(256<<20))
}

// why401 diff of two .har.gz of 1,500 401s with 64 KiB bodies each (450 KB
// compressed, 100 MB inflated) holds what reading one of them as why401
// does (streamed) holds, and a few MB more: a comparison keeps the
// exchange it picks on each side, not every exchange (before issue 31:
// both sides' exchanges with their bodies, 254 MiB here against 76; two
// 4.6 MB of these, 3.9 GB).
func TestAmplifyDiff(t *testing.T) {
	memtest.Big(t)
	good, bad := hostile.DiffHARGz(1500, 64<<10, 'a'), hostile.DiffHARGz(1500, 64<<10, 'b')
	one := memtest.PeakHeap(t, 1<<30, func() {
		_, err := analyzer.AnalyzeReader(bytes.NewReader(bad), analyzer.Options{Handler: analyzer.HandlerFunc(func(analyzer.ExchangeReport) {})})
		require.NoError(t, err)
	})
	var rep analyzer.DiffReport
	var err error
	peak := memtest.PeakHeap(t, 1<<30, func() {
		rep, err = analyzer.Diff(good, bad, analyzer.DiffOptions{})
	})
	require.NoError(t, err)
	assert.Less(t, peak, one+16<<20, "diff holds more than analyzing one side")
	assert.Equal(t, 401, rep.Bad.Status)
	assert.Equal(t, 0, rep.Bad.Index, "the first failure")
	assert.NotEmpty(t, rep.Changes, "user-agent differs")
}
