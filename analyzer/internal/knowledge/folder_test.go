package knowledge

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestFolderNamesBrokenFiles: a file of vendors/ or apis/ that does not
// load is reported by its name and drops only itself; the other files load.
func TestFolderNamesBrokenFiles(t *testing.T) {
	loadErrsMu.Lock()
	saved := loadErrs
	loadErrsMu.Unlock()
	t.Cleanup(func() {
		loadErrsMu.Lock()
		loadErrs = saved
		loadErrsMu.Unlock()
	})

	vendorsFS := fstest.MapFS{
		"good.json":      {Data: []byte(`{"id":"good","name":"Good","rules":[]}`)},
		"broken.json":    {Data: []byte(`{"id":"broken",`)},
		"wrongtype.json": {Data: []byte(`{"id":"w","rules":{}}`)},
		"zdup.json":      {Data: []byte(`{"id":"good"}`)},
		"README.md":      {Data: []byte("# not a file of the format")},
	}
	var list []VendorFile
	err := loadFolder("vendors", vendorsFS, func(file string, data []byte) (string, func(), error) {
		f, err := decodeVendor(file, data)
		return f.ID, func() { list = append(list, f) }, err
	})
	if len(list) != 1 || list[0].ID != "good" || list[0].File != "vendors/good.json" {
		t.Errorf("loaded %+v, want only vendors/good.json", list)
	}
	for _, name := range []string{"vendors/broken.json: jsonfill: invalid JSON", "vendors/wrongtype.json: jsonfill: .rules: cannot put", "vendors/zdup.json: duplicate id \"good\""} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("loadFolder(vendors) error = %v, want one naming %s", err, name)
		}
	}

	apisFS := fstest.MapFS{
		"a.json": {Data: []byte(`{"id":"a","name":"A","hosts":["a.example"],"errors":[{"id":"e","verdict":"auth","explain":"x"}]}`)},
		"b.json": {Data: []byte(`{"id":"b","hosts":["b.example"],"errors":[{"id":"e","wieght":1}]}`)},
		"c.json": {Data: []byte(`{"id":"c"`)},
		"d.json": {Data: []byte(`{"id":"d","params":[{"name":"x"}]}`)},
	}
	entries, err := loadAPICatalog(apisFS)
	if err == nil || !strings.Contains(err.Error(), "apis/c.json: jsonfill: invalid JSON") {
		t.Errorf("loadFolder(apis) error = %v, want one naming apis/c.json", err)
	}
	if len(entries) != 3 || entries[0].ID != "a" || entries[1].Hosts[0] != "b.example" {
		t.Fatalf("catalog %+v, want a, b and d", entries)
	}
	if f, err := entries[0].File(); err != nil || f.Errors[0].Weight != 0.93 {
		t.Errorf("apis/a.json: %v, %+v", err, f)
	}
	for i, want := range map[int]string{1: `apis/b.json: jsonfill: .errors[0]: unknown field "wieght"`, 2: "apis/d.json: param rule 0: from is required"} {
		if _, err := entries[i].File(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: File() error = %v, want %q", entries[i].Path, err, want)
		}
		if err := Err(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Err() = %v, want it to hold %q", err, want)
		}
	}
}

// TestEmbeddedKnowledgeLoads: every embedded file loads, so Err stays nil.
func TestEmbeddedKnowledgeLoads(t *testing.T) {
	if _, err := APIs(); err != nil {
		t.Error(err)
	}
	if _, err := Vendors(); err != nil {
		t.Error(err)
	}
}
