package analyzer

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"why401/analyzer/internal/capture"
)

func warcRecord(typ, uri, ct, block string) string {
	return fmt.Sprintf("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\nWARC-Date: 2026-11-03T12:00:00Z\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", typ, uri, ct, len(block), block)
}

func TestWARCTruncatedAndRevisit(t *testing.T) {
	resp := "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n\r\n"
	full := warcRecord("response", "https://a.example/", "application/http;msgtype=response", resp) +
		warcRecord("revisit", "https://a.example/", "application/http; msgtype=response", "HTTP/1.1 403 Forbidden\r\nServer: cloudflare\r\n\r\n")
	rep, err := Analyze([]byte(full))
	require.NoError(t, err)
	assert.Equal(t, "warc", rep.Input.Format)
	require.Len(t, rep.Exchanges, 2)
	assert.Equal(t, KindAuth, rep.Exchanges[0].Verdict)
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "revisit")

	cut := full[:len(full)-40]
	rep, err = Analyze([]byte(cut))
	require.NoError(t, err)
	assert.Len(t, rep.Exchanges, 1)
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "truncated")
}

func TestWARCGzipPerRecordAndBodyCap(t *testing.T) {
	big := strings.Repeat("x", 300<<10) + "error code: 1020"
	resp := "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\n\r\n" + big
	var b bytes.Buffer
	for _, r := range []string{warcRecord("response", "https://b.example/", "application/http; msgtype=response", resp),
		warcRecord("response", "https://b.example/2", "application/http; msgtype=response", "HTTP/1.1 200 OK\r\n\r\nok")} {
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(r))
		zw.Close()
	}
	rep, err := Analyze(b.Bytes())
	require.NoError(t, err)
	require.Len(t, rep.Exchanges, 2, "both gzip members are read")
	assert.Equal(t, KindOK, rep.Exchanges[1].Verdict)
}

func TestBurpNoEntityExpansion(t *testing.T) {
	// A billion-laughs DTD must cost nothing: the scanner never expands entities.
	x := `<?xml version="1.0"?><!DOCTYPE items [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
		`<items><item><url>&b;</url><method>GET</method><request base64="false">GET / HTTP/1.1` + "\r\nHost: c.example\r\n\r\n" + `</request>` +
		`<response base64="false"><![CDATA[HTTP/1.1 401 Unauthorized` + "\r\nWWW-Authenticate: Bearer\r\n\r\n" + `]]></response></item></items>`
	rep, err := Analyze([]byte(x))
	require.NoError(t, err)
	assert.Equal(t, "burp", rep.Input.Format)
	require.Len(t, rep.Exchanges, 1)
	assert.Equal(t, 401, rep.Exchanges[0].Status)
	assert.NotContains(t, rep.Exchanges[0].URL, "aaaa")
}

func TestBurpTruncated(t *testing.T) {
	x := `<?xml version="1.0"?><items><item><url>https://d.example/</url><response base64="true">SFRUUC8xLjEgNDI5IFRvbyBNYW55IFJlcXVlc3RzDQoNCg==</response></item><item><url>https://d.example/2</url><resp`
	rep, err := Analyze([]byte(x))
	require.NoError(t, err)
	require.Len(t, rep.Exchanges, 1)
	assert.Equal(t, 429, rep.Exchanges[0].Status)
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "truncated")
}

func TestDechunk(t *testing.T) {
	assert.Equal(t, "hello world", string(capture.Dechunk([]byte("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"), 1<<20)))
	assert.Equal(t, "plain", string(capture.Dechunk([]byte("plain"), 1<<20)))
}

func TestZipWithoutHAR(t *testing.T) {
	_, err := Analyze([]byte("PK\x03\x04garbage"))
	require.Error(t, err)
}

// FuzzContainers: WARC, Burp and zip inputs never panic and never hang.
func FuzzContainers(f *testing.F) {
	for _, p := range []string{"testdata/cases/formats/registry-401.warc", "testdata/cases/formats/burp-items.xml", "testdata/cases/formats/playwright-challenge.zip"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("WARC/1.0\r\nContent-Length: 99999999999\r\n\r\n"))
	f.Add([]byte("<?xml version=\"1.0\"?><items><item><request base64=\"true\">!!!</request></item></items>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		// No timing assertion: a hang shows up as the fuzzer's own timeout.
		AnalyzeWith(b, Options{Limits: Limits{InputBytes: 1 << 20, DecompressedBytes: 1 << 20}})
	})
}
