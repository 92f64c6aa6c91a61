package capture

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeadTail(t *testing.T) {
	lim := 16 * len(bodyCut) * 4
	body := bytes.Repeat([]byte("a"), 3*lim)
	copy(body[len(body)-3:], "END")
	out := headTail(body, body, lim)
	assert.LessOrEqual(t, len(out), lim)
	assert.True(t, bytes.HasSuffix(out, []byte("END")))
	assert.True(t, bytes.Contains(out, []byte(bodyCut)))
	assert.False(t, keepsTail(503, 16*len(bodyCut)-1), "a tiny limit keeps only the start")
	assert.False(t, keepsTail(200, DefaultLimits().BodyBytes))
}

// jsonStringSuffix never starts inside an escape.
func TestJSONStringSuffix(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("x", 100) + "tail",
		strings.Repeat(`\"`, 60) + "tail",
		strings.Repeat(`\u00e9`, 30) + "tail",
		strings.Repeat(`\\`, 70) + "tail",
	} {
		raw := []byte(`"` + s + `"`)
		got := jsonStringSuffix(raw, 20)
		var full string
		require.NoError(t, json.Unmarshal(raw, &full), s)
		assert.True(t, strings.HasSuffix(full, got), "%q is not a suffix of %q", got, full)
		assert.True(t, strings.HasSuffix(got, "tail"))
	}
	assert.Equal(t, "", jsonStringSuffix([]byte(`"`+strings.Repeat(`\\`, 6000)+`"`), 20), "a run of backslashes too long to tell")
}
