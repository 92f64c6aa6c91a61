package analyzer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer"
)

// Reports bounds the exchanges a report holds; the ok ones take at most
// half, so the 401s at the end of a long HAR of ok entries are still listed.
func TestReportsLimit(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"log":{"entries":[`)
	for i := 0; i < 5000; i++ {
		b.WriteString(`{"request":{"method":"GET","url":"https://a.example/ok"},"response":{"status":200,"headers":[]}},`)
	}
	for i := 0; i < 3000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"request":{"method":"GET","url":"https://a.example/x"},"response":{"status":401,"headers":[{"name":"WWW-Authenticate","value":"Bearer error=\"invalid_token\""}]}}`)
	}
	b.WriteString(`]}}`)
	rep, err := analyzer.AnalyzeReader(&b, analyzer.Options{
		Limits: analyzer.Limits{Reports: 1000},
	})
	require.NoError(t, err)
	assert.Equal(t, 8000, rep.Input.Entries)
	require.NotNil(t, rep.Summary)
	require.Len(t, rep.Summary.Hosts, 1)
	assert.Equal(t, 8000, rep.Summary.Hosts[0].Requests, "every exchange is still analysed")
	require.Len(t, rep.Exchanges, 1000)
	ok, problems := 0, 0
	for _, e := range rep.Exchanges {
		if e.Problem() {
			problems++
		} else {
			ok++
		}
	}
	assert.Equal(t, 500, ok)
	assert.Equal(t, 500, problems)
	w := strings.Join(rep.Warnings, "\n")
	assert.Contains(t, w, "limit Reports")
	assert.Contains(t, w, "6999 more like it")
}

// A text input held whole is read into one buffer of the size its file
// says (Stat), not grown by doubling as io.ReadAll grows it: reading an
// 8 MiB capture allocates about 8 MiB, not 16–24.
func TestTextInputSizedFromStat(t *testing.T) {
	if runtime.GOARCH == "wasm" {
		t.Skip("native files")
	}
	body := strings.Repeat("<p>access denied</p>\n", (8<<20)/21)
	path := filepath.Join(t.TempDir(), "big.http")
	require.NoError(t, os.WriteFile(path, []byte("HTTP/1.1 403 Forbidden\nContent-Type: text/html\n\n"+body), 0o644))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	st, _ := f.Stat()
	analyzer.Analyze([]byte("HTTP/1.1 403 Forbidden\n\nx")) // the knowledge, compiled once
	var rep analyzer.Report
	alloc, _ := allocated(func() { rep, err = analyzer.AnalyzeReader(f, analyzer.Options{}) })
	require.NoError(t, err)
	require.Len(t, rep.Exchanges, 1)
	t.Logf("%d bytes read, %d allocated", st.Size(), alloc)
	assert.Less(t, alloc, uint64(st.Size())*3/2, "the text was not read into one buffer of its size")
}
