package knowledge

import (
	_ "embed"
	"errors"
	"io/fs"
	"strconv"
	"sync"

	"why401/analyzer/apis"
	"why401/analyzer/vendors"
)

// GenericFix is an entry of fixes.json: a fix chosen by kind, scheme and cause.
type GenericFix struct {
	Kind   Kind   `json:"kind"`
	Scheme string `json:"scheme,omitempty"`
	Cause  string `json:"cause,omitempty"`
	// Needs lists signal ids or request traits that must be present ("library-user-agent").
	Needs []string `json:"needs,omitempty"`
	Fix
}

//go:embed fixes.json
var fixesJSON []byte

var genericFixes = sync.OnceValues(func() ([]GenericFix, error) {
	out, err := DecodeGenericFixes("fixes.json", fixesJSON)
	if err != nil {
		return nil, err
	}
	for i, f := range out {
		if f.Kind == "" || f.Title == "" || len(f.Steps) == 0 {
			return nil, errors.New("analyzer: fixes.json entry " + strconv.Itoa(i) + ": kind, title and steps are required")
		}
	}
	return out, nil
})

// GenericFixes returns fixes.json decoded, or its first error.
func GenericFixes() ([]GenericFix, error) { return genericFixes() }

// Files returns every embedded knowledge file by name ("vendors/x.json",
// "apis/y.json", "fixes.json"), for the checks that read them raw.
func Files() (map[string][]byte, error) {
	out := map[string][]byte{"fixes.json": fixesJSON}
	for dir, fsys := range map[string]interface {
		ReadDir(string) ([]fs.DirEntry, error)
		ReadFile(string) ([]byte, error)
	}{"vendors": vendors.Files(), "apis": apis.Files()} {
		entries, err := fsys.ReadDir(".")
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			data, err := fsys.ReadFile(e.Name())
			if err != nil {
				return nil, err
			}
			out[dir+"/"+e.Name()] = data
		}
	}
	return out, nil
}
