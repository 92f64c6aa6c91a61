package analyzer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
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

// TestSchemaVocabularies keeps the schema's scheme enum and the analyzer's
// scheme vocabulary the same, and schema_version the same as SchemaVersion
// (verdicts, causes and actions are generated into the schema:
// analyzer/internal/vocab's TestInSync).
func TestSchemaVocabularies(t *testing.T) {
	data, err := os.ReadFile(schemaFile)
	require.NoError(t, err)
	var s struct {
		Properties struct {
			SchemaVersion struct{ Const int } `json:"schema_version"`
		}
		Defs struct {
			Exchange struct {
				Properties map[string]struct {
					OneOf []struct{ Enum []string }
				}
			} `json:"exchange"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(data, &s))
	assert.Equal(t, SchemaVersion, s.Properties.SchemaVersion.Const)
	enum := func(field string) []string {
		for _, o := range s.Defs.Exchange.Properties[field].OneOf {
			if o.Enum != nil {
				return slices.Sorted(slices.Values(o.Enum))
			}
		}
		return nil
	}
	var schemeList []string
	for sc := range schemes {
		schemeList = append(schemeList, sc)
	}
	slices.Sort(schemeList)
	assert.Equal(t, schemeList, enum("scheme"))
	// A report that breaks the contract is refused: the schema has teeth.
	sch := compileSchema(t, "")
	bad, err := jsonschema.UnmarshalJSON(strings.NewReader(`{"schema_version":1,"exchanges":[{"index":0}],"input":{"name":"x","format":"raw","producer":null,"entries":1},"warnings":[]}`))
	require.NoError(t, err)
	assert.Error(t, sch.Validate(bad))
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
