// Package cases reads the golden captures of testdata/cases and their
// expect.json, for the tests of every stage. Only tests import it.
package cases

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Expectation is one entry of testdata/cases/<group>/expect.json: what a
// person says the capture shows. Keys present are checked on the exchange at
// Index (default: the last one); "" means the field must be null.
type Expectation struct {
	Index     *int    `json:"index"`
	Verdict   *string `json:"verdict"`
	Vendor    *string `json:"vendor"`
	Scheme    *string `json:"scheme"`
	Cause     *string `json:"cause"`
	Exchanges *int    `json:"exchanges"`
	MinConf   float64 `json:"min_confidence"`
	// Reference, when set, must appear in the exchange's reference.
	Reference string `json:"reference"`
	// Evidence lists signal ids that must be among the evidence.
	Evidence []string `json:"evidence"`
	// Entry: an evidence item must point at this earlier entry.
	Entry *int `json:"entry"`
	// Twin names a capture that keeps only this one's presence markers: it must not be judged bot.
	Twin string `json:"twin"`
	Note string `json:"note"`
}

// Files lists the captures of every group under root (testdata/cases):
// group folder → file names.
func Files(t testing.TB, root string) map[string][]string {
	groups := map[string][]string{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		if name == "expect.json" || strings.HasSuffix(name, ".golden.json") || strings.HasSuffix(name, ".md") {
			return nil
		}
		groups[filepath.Dir(p)] = append(groups[filepath.Dir(p)], name)
		return nil
	})
	require.NoError(t, err)
	return groups
}

// LoadExpect reads dir/expect.json.
func LoadExpect(t testing.TB, dir string) map[string]Expectation {
	data, err := os.ReadFile(filepath.Join(dir, "expect.json"))
	require.NoError(t, err, "every case group needs an expect.json")
	var m map[string]Expectation
	require.NoError(t, json.Unmarshal(data, &m), "%s/expect.json", dir)
	return m
}

// IsText tells a text capture (.http, .txt) from a HAR or a container.
func IsText(name string) bool {
	ext := filepath.Ext(name)
	return ext == ".http" || ext == ".txt"
}
