package analyzer

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPipelineOneCoreAlike: a HAR several of the scanner's buffers long,
// read from a stream, gives the same report on every core
// (batches handed to workers, entries left in the scanner's buffers and
// those buffers given back in order) as on one (read inline). It cannot
// make a worker lag behind the reader, so a buffer given back too early
// may pass it: the rule for giving back is argued in pipeline.go. Worth a
// run under go test -race after a change to the pipeline.
func TestPipelineOneCoreAlike(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[`)
	for i := 0; b.Len() < 14<<20; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		status, ctype, text := 200, "application/json", `{\"id\":`+strconv.Itoa(i)+`,\"pad\":\"`+strings.Repeat("x", i*7919%40000)+`\"}`
		switch i % 3 {
		case 1:
			status, ctype, text = 401, "application/json", `{\"error\":\"invalid_token\",\"n\":`+strconv.Itoa(i)+`}`
		case 2:
			status, ctype, text = 403, "text/html", `<!DOCTYPE html><title>Just a moment...</title><p>`+strconv.Itoa(i)+`</p>`+strings.Repeat("<p>Checking your browser cf</p>", i%2000)
		}
		b.WriteString(`{"startedDateTime":"2026-12-03T10:00:00.000Z","request":{"method":"GET","url":"https://api.example.com/v1/items/` + strconv.Itoa(i) +
			`","headers":[{"name":"Authorization","value":"Bearer t` + strconv.Itoa(i%5) + `"}]},"response":{"status":` + strconv.Itoa(status) +
			`,"headers":[{"name":"Content-Type","value":"` + ctype + `"},{"name":"Server","value":"cloudflare"}],"content":{"mimeType":"` + ctype + `","text":"` + text + `"}}}`)
	}
	b.WriteString(`]}}`)
	har := []byte(b.String())

	run := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		rep, err := AnalyzeReader(bytes.NewReader(har), Options{Name: "cores.har"})
		require.NoError(t, err)
		return rep.AppendJSON(nil)
	}
	one := run(1)
	require.Contains(t, string(one), `"verdict":"bot"`)
	require.Greater(t, len(har), 3*4<<20, "the HAR must span several of the scanner's buffers")
	for range 2 {
		require.True(t, bytes.Equal(one, run(4)), "the report on four cores differs from the one on one core")
	}
}
