package knowledge

import (
	_ "embed"
	"errors"
	"io/fs"
	"strconv"

	"why401/analyzer/apis"
	"why401/analyzer/vendors"
)

// GenericFix is an entry of fixes.json: a fix chosen by kind, scheme and
// cause, or, when it has an id and no kind, a named fix that a detector's
// signal asks for by that id (its {{params}} filled from the signals).
type GenericFix struct {
	// ID names a fix code refers to. An entry with an id and no kind
	// ("redirect-dropped-auth") is a named fix: it has no scheme, cause or
	// needs, and comes only when a signal asks for it. A generic fix may
	// have an id too ("capture-more"), for the code that handles it.
	ID     string `json:"id,omitempty"`
	Kind   Kind   `json:"kind,omitempty"`
	Scheme string `json:"scheme,omitempty"`
	Cause  string `json:"cause,omitempty"`
	// Needs lists signal ids or request traits that must be present ("library-user-agent").
	Needs []string `json:"needs,omitempty"`
	// Unless lists signal ids that keep the fix away when present (the
	// fix's condition does not hold: a corporate proxy is not a scraping
	// provider).
	Unless []string `json:"unless,omitempty"`
	// Alone: the fix is the general form of what an API, vendor or server
	// message fix says for its own case; it comes only when none was given,
	// even when the capture fills its {{params}}.
	Alone bool `json:"alone,omitempty"`
	// VendorKinds and NotVendorKinds hold the fix to verdicts whose vendor
	// is (is not) of one of these kinds (vendor files' "kind": a bot manager
	// scores fingerprints, a WAF's rules may match the User-Agent string).
	VendorKinds    []string `json:"vendor_kinds,omitempty"`
	NotVendorKinds []string `json:"not_vendor_kinds,omitempty"`
	// NotSchemes keeps the fix away from these schemes (advice written for
	// header tokens is wrong for a SigV4 signature or a Basic password).
	NotSchemes []string `json:"not_schemes,omitempty"`
	Fix
}

//go:embed fixes.json
var fixesJSON []byte

var genericFixes = loader(func() ([]GenericFix, error) {
	var out []GenericFix
	if err := load("fixes.json", fixesJSON, &out); err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for i, f := range out {
		switch {
		case f.Title == "" || len(f.Steps) == 0:
			return nil, errors.New("analyzer: fixes.json entry " + strconv.Itoa(i) + ": title and steps are required")
		case f.ID == "" && f.Kind == "":
			return nil, errors.New("analyzer: fixes.json entry " + strconv.Itoa(i) + ": a kind, or an id, is required")
		case f.ID != "" && ids[f.ID]:
			return nil, errors.New("analyzer: fixes.json entry " + strconv.Itoa(i) + ": duplicate id " + strconv.Quote(f.ID))
		case f.Kind == "" && (f.Scheme != "" || f.Cause != "" || len(f.Needs) > 0 || len(f.Unless) > 0 || f.Alone):
			return nil, errors.New("analyzer: fixes.json entry " + strconv.Itoa(i) + ": a named fix (an id, no kind) has no scheme, cause or needs")
		}
		ids[f.ID] = true
	}
	return out, nil
})

// GenericFixes returns fixes.json decoded, or its first error.
func GenericFixes() ([]GenericFix, error) { return genericFixes() }

// NamedFix returns the fix of fixes.json with that id (a named fix, or a
// generic fix that has an id), or nil.
func NamedFix(id string) *Fix {
	list, err := genericFixes()
	if err != nil || id == "" {
		return nil
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i].Fix
		}
	}
	return nil
}

// Files returns every embedded knowledge file by name ("vendors/x.json",
// "apis/y.json", "fixes.json", "causes.json", "kinds.json", "words.json"),
// for the checks that read them raw.
func Files() (map[string][]byte, error) {
	out := map[string][]byte{"fixes.json": fixesJSON, "causes.json": causesJSON, "kinds.json": kindsJSON, "words.json": wordsJSON}
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
