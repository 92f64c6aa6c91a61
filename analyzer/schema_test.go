package analyzer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const schemaFile = "../docs/report.schema.json"

func compileSchema(t *testing.T, ref string) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("report.schema.json", doc))
	sch, err := c.Compile("report.schema.json" + ref)
	require.NoError(t, err)
	return sch
}

// TestGoldensMatchSchema validates every golden report under testdata
// against docs/report.schema.json, the contract's JSON Schema.
func TestGoldensMatchSchema(t *testing.T) {
	sch := compileSchema(t, "")
	n := 0
	err := filepath.WalkDir("testdata/cases", func(p string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".golden.json") {
			return err
		}
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		require.NoError(t, err, p)
		assert.NoError(t, sch.Validate(inst), p)
		n++
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, n, 100, "goldens validated")
	t.Logf("%d goldens valid against %s", n, schemaFile)
}
