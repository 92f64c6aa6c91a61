package main

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/internal/hostile"
)

// The hostile corpus through `why401 stream`, the door the Python package
// (and any batch engine) drives (issue 31: every door passes the same
// hostile inputs): one stream, one line per input, each answered in order
// with its id and either a report or an error record; none ends the stream.
func TestStreamHostile(t *testing.T) {
	var in strings.Builder
	var names []string
	for _, c := range hostile.Cases(true) {
		names = append(names, c.Name)
		in.WriteString(`{"id":` + mustJSON(c.Name) + `,"capture_base64":"` + base64.StdEncoding.EncodeToString(c.Data()) + `"}` + "\n")
	}
	got := streamOut(t, in.String())
	require.Len(t, got, len(names), "one answer per line")
	for i, line := range got {
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(line), &m), "%s: %.200s", names[i], line)
		assert.JSONEq(t, mustJSON(names[i]), string(m["id"]), "answers in order")
		_, report := m["schema_version"]
		_, failed := m["error"]
		assert.True(t, report != failed, "%s: a report or an error record: %.200s", names[i], line)
	}
}
