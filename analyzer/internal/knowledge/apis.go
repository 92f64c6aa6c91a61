package knowledge

import (
	"errors"
	"sort"
	"sync"

	"why401/analyzer/apis"
)

// APIFile is the on-disk shape of apis/<id>.json: how an API says "your
// credentials are wrong". See apis/README.md.
type APIFile struct {
	// File is where it was read ("apis/github.json"), for messages.
	File    string     `json:"-"`
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Hosts   []string   `json:"hosts,omitempty"`   // host suffixes ("api.github.com", ".slack.com") or globs ("sts.*.amazonaws.com")
	Headers []string   `json:"headers,omitempty"` // response headers that identify the API
	Any     bool       `json:"any,omitempty"`     // errors are specific enough to match on any host
	Errors  []APIError `json:"errors"`
	// Messages are what this API's own messages can name (tried before
	// messages.json's rules, when the file applies).
	Messages []MessageRule `json:"messages,omitempty"`
	Sources  []string      `json:"sources"`
}

// APIError is one documented error shape. Every condition given must hold.
type APIError struct {
	ID             string `json:"id"`
	Status         []int  `json:"status,omitempty"`
	Path           string `json:"path,omitempty"`     // a gjson path into a JSON body
	Equals         string `json:"equals,omitempty"`   // …whose value equals this
	Contains       string `json:"contains,omitempty"` // …or contains this (case-insensitive)
	Prefix         string `json:"prefix,omitempty"`   // …or starts with this
	Header         string `json:"header,omitempty"`   // a response header that must be present
	HeaderContains string `json:"header_contains,omitempty"`
	Body           string `json:"body,omitempty"` // a literal the body must contain (XML, text)
	// RequestHas / RequestLacks name a request header that must be present /
	// absent; RequestLacks needs the request to be in the capture.
	RequestHas   string  `json:"request_has,omitempty"`
	RequestLacks string  `json:"request_lacks,omitempty"`
	Verdict      Kind    `json:"verdict"`
	Scheme       string  `json:"scheme,omitempty"`
	Cause        string  `json:"cause,omitempty"`
	Weight       float64 `json:"weight,omitempty"` // default 0.93
	Explain      string  `json:"explain"`          // one sentence: what this error means
	Fixes        []Fix   `json:"fixes,omitempty"`
}

// APIs returns the API files, decoded and sorted by id, or the first error
// in them. The slice is shared: read it, never change it.
func APIs() ([]APIFile, error) { return apiFiles() }

var apiFiles = sync.OnceValues(func() ([]APIFile, error) {
	fsys := apis.Files()
	entries, err := fsys.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var out []APIFile
	seen := map[string]bool{}
	for _, e := range entries {
		data, err := fsys.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		f, err := DecodeAPIFile("apis/"+e.Name(), data)
		if err != nil {
			return nil, err
		}
		f.File = "apis/" + e.Name()
		if err := CompileMessages(f.File, f.Messages); err != nil {
			return nil, err
		}
		// The checks of the format are the knowledge tests' (the files are embedded).
		if seen[f.ID] {
			return nil, errors.New("analyzer: apis/" + e.Name() + ": duplicate id")
		}
		seen[f.ID] = true
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
})
