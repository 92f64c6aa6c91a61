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

func TestZipBudgetHARMember(t *testing.T) {
	// A HAR member that inflates past the limit is refused, not read whole.
	har := `{"log":{"entries":[{"response":{"status":200,"content":{"text":"` + strings.Repeat("a", 3<<20) + `"}}}]}}`
	data := zipHAR(t, "t.har", []byte(har))
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

// zipHAR is a zip holding one HAR member, as Playwright writes them.
func zipHAR(t testing.TB, name string, har []byte) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create(name)
	w.Write(har)
	require.NoError(t, zw.Close())
	return b.Bytes()
}
