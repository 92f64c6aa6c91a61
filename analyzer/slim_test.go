//go:build slim

package analyzer

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSlim runs every golden case through the slim build, the page's
// analyzer.wasm (go test -tags slim ./analyzer -run TestSlim; ./build.sh
// test does). A capture the slim build reads must give its golden report
// byte for byte; one it cannot read (compressed, a zip, WARC or Burp
// container, a DevTools fetch paste) must say ErrNeedsFull, so the page hands it to the full
// analyzer, never a different report.
func TestSlim(t *testing.T) {
	groups := caseFiles(t)
	needsFull := 0
	for _, dir := range slices.Sorted(maps.Keys(groups)) {
		for _, name := range groups[dir] {
			path := filepath.Join(dir, name)
			t.Run(strings.TrimPrefix(path, "testdata/cases/"), func(t *testing.T) {
				data, err := os.ReadFile(path)
				require.NoError(t, err)
				rep, err := AnalyzeWith(data, Options{Name: name})
				if errors.Is(err, ErrNeedsFull) {
					needsFull++
					assert.True(t, compressedOrContainer(data), "%s: ErrNeedsFull for an input that is neither compressed nor a container", path)
					return
				}
				require.NoError(t, err)
				assert.False(t, compressedOrContainer(data), "%s: the slim build read a compressed or container input", path)
				want, err := os.ReadFile(strings.TrimSuffix(path, filepath.Ext(path)) + ".golden.json")
				require.NoError(t, err)
				assert.Equal(t, string(want), string(reportJSON(t, rep)), "%s: the slim build's report differs from the golden one", path)
			})
		}
	}
	assert.GreaterOrEqual(t, needsFull, 8, "the formats group has at least 8 captures for the full build")
}

var fetchPaste = regexp.MustCompile(`\A(\s*(//|#).*\n)*\s*(await )?fetch\("`)

func compressedOrContainer(b []byte) bool {
	if len(b) >= 2 && b[0] == 0x78 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0 {
		return true // zlib (.zhar)
	}
	if fetchPaste.Match(b) {
		return true // a DevTools "Copy as fetch" paste: its reader is the full build's
	}
	b = bytes.TrimLeft(b, " \t\r\n")
	for _, p := range []string{"\x1f\x8b", "PK\x03\x04", "WARC/1.", "<?xml", "<items"} {
		if bytes.HasPrefix(b, []byte(p)) {
			return true
		}
	}
	return false
}

// A body still gzip-encoded inside a plain capture also needs the full
// build: the slim one must not report it unread.
func TestSlimCompressedBody(t *testing.T) {
	raw := "HTTP/1.1 403 Forbidden\r\nContent-Encoding: gzip\r\nContent-Type: text/html\r\n\r\n" +
		"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffnot really deflate"
	_, err := Analyze([]byte(raw))
	require.ErrorIs(t, err, ErrNeedsFull)
	_, err = Analyze([]byte("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n\r\n"))
	require.NoError(t, err)
}
