package analyzer

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A HAR whose status-0 entries all carry a different error string keeps a
// bounded story: the caveats name maxClientErrors of them, the rest are
// "other errors", and every entry is counted.
func TestClientErrorsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"entries":[`)
	const n = 300
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"request":{"method":"GET","url":"https://a.example/` + strconv.Itoa(i) + `","headers":[]},"response":{"status":0,"headers":[],"content":{"size":0},"_error":"net::ERR_TEST_` + strconv.Itoa(i) + `"}}`)
	}
	b.WriteString(`]}}`)
	rep, err := Analyze([]byte(b.String()))
	require.NoError(t, err)
	require.NotNil(t, rep.Summary)
	total := 0
	lines := 0
	for _, c := range rep.Summary.Caveats {
		if !strings.Contains(c, "failed in the client") {
			continue
		}
		lines++
		k, err := strconv.Atoi(c[:strings.IndexByte(c, ' ')])
		require.NoError(t, err, c)
		total += k
	}
	assert.Equal(t, 20+1, lines, "20 errors by name (the summary's maxClientErrors) and \"other errors\"")
	assert.Equal(t, n, total)
}
