package analyzer

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReportJSONBytes: the report's JSON keeps the bytes of every release
// so far: < > & as they are in text, escaped in OptString values, null for
// an empty OptString, no trailing newline.
func TestReportJSONBytes(t *testing.T) {
	rep := Report{Input: InputInfo{Name: "a<b>&c.har", Format: "har", Producer: "x & <y>"},
		Exchanges: []ExchangeReport{{Summary: "<b>&", Vendor: "", Verdict: KindAuth}}}
	b := rep.AppendJSON([]byte("x"))
	require.True(t, json.Valid(b[1:]), "%s", b)
	s := string(b)
	assert.Contains(t, s, `"name":"a<b>&c.har"`)
	assert.Contains(t, s, `"producer":"x \u0026 \u003cy\u003e"`)
	assert.Contains(t, s, `"vendor":null`)
	assert.Equal(t, byte('x'), b[0])
	assert.NotEqual(t, byte('\n'), b[len(b)-1])

	var back Report
	require.NoError(t, json.Unmarshal(b[1:], &back))
	assert.Equal(t, rep.Input.Producer, back.Input.Producer)
	assert.Equal(t, OptString(""), back.Exchanges[0].Vendor)
	var o OptString = "stale"
	assert.Error(t, o.UnmarshalJSON([]byte(`1`)))

	assert.Equal(t, `{"error":"analyzer: \u003cx\u003e"}`, string(AppendJSONError(nil, "analyzer: <x>")))
}
