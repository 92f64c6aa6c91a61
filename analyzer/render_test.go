package analyzer

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResponseOnlyLine(t *testing.T) {
	rep, err := Analyze([]byte("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\n\r\n"))
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, rep.WriteText(&b, TextOptions{}))
	assert.Contains(t, b.String(), "#0 (response only, no request in the capture) → 405")
	assert.NotContains(t, b.String(), "  #0  → ")
	assert.NotContains(t, b.String(), "UNKNOWN   ", "no double gap when there are no tags")
	b.Reset()
	require.NoError(t, rep.WriteMarkdown(&b, false))
	assert.Contains(t, b.String(), "### #0 (response only, no request in the capture) → 405")
}
