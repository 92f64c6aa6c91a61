package analyzer

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The zip readers are the standard library's; these tests hold the caps
// around them: per member, and in total across the members of one input.

func TestZipBudgetSharedBody(t *testing.T) {
	// 2,000 entries naming one 1 MiB body: the body is read once and each
	// use counts against MemberBytes (before issue 18 each use inflated the
	// body again and the copies grew the HAR to 680 MB).
	entries := make([]string, 2000)
	for i := range entries {
		entries[i] = `{"response":{"status":403,"content":{"mimeType":"text/html","_file":"big.html"}}}`
	}
	har := `{"log":{"entries":[` + strings.Join(entries, ",") + `]}}`
	data := harZip(t, "t.har", []byte(har), map[string]string{"big.html": strings.Repeat("<p>blocked</p>", 1<<20/14)})
	lim := Limits{MemberBytes: 8 << 20}.withDefaults()
	var w warnings
	zb := newZipBudget(lim, &w)
	out, err := readHARZipBudget(bytes.NewReader(data), lim, &w, zb)
	require.NoError(t, err)
	assert.LessOrEqual(t, int64(len(out)), lim.MemberBytes)
	assert.Greater(t, len(out), int(lim.MemberBytes)/2, "the bodies that fit were inlined")
	assert.Less(t, zb.total-zb.left, int64(2*lim.BodyBytes), "the shared body was inflated once")
	assert.Contains(t, strings.Join(w.list(), "\n"), "MemberBytes")
}

func TestZipBudgetHARMember(t *testing.T) {
	// A HAR member that inflates past the limit is refused, not read whole.
	har := `{"log":{"entries":[{"response":{"status":200,"content":{"text":"` + strings.Repeat("a", 3<<20) + `"}}}]}}`
	data := harZip(t, "t.har", []byte(har), nil)
	require.Less(t, len(data), 64<<10)
	_, err := AnalyzeWith(data, Options{Limits: Limits{DecompressedBytes: 1 << 20}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "DecompressedBytes")
	assert.True(t, strings.HasPrefix(err.Error(), "analyzer: "), err.Error())
}

func TestZipBudgetWACZ(t *testing.T) {
	// A WACZ whose gzip WARC members together expand past the limit: read up
	// to it, with a warning.
	var warc bytes.Buffer
	rec := "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\nContent-Type: text/html\r\n\r\n" + strings.Repeat("<p>x</p>", 1<<17)
	for i := 0; i < 4; i++ {
		warc.WriteString("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://shop.example/p\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " + strconv.Itoa(len(rec)) + "\r\n\r\n" + rec + "\r\n\r\n")
	}
	var gz bytes.Buffer
	zg := gzip.NewWriter(&gz)
	zg.Write(warc.Bytes())
	zg.Close()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"archive/a.warc.gz", "archive/b.warc.gz", "archive/c.warc.gz"} {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		w.Write(gz.Bytes())
	}
	require.NoError(t, zw.Close())
	rep, err := AnalyzeWith(b.Bytes(), Options{Limits: Limits{DecompressedBytes: int64(warc.Len()) * 3 / 2}})
	require.NoError(t, err)
	assert.Equal(t, "warc", rep.Input.Format)
	assert.Less(t, rep.Input.Entries, 12, "the third member should not have been read")
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "DecompressedBytes")
}
