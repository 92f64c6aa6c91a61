package analyzer

import (
	"bytes"
	"embed"
	"errors"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tidwall/gjson"
	"why401/analyzer/internal/capture"
)

//go:embed apis/*.json
var apiFS embed.FS

// APIFile is the on-disk shape of apis/<id>.json: how an API says "your
// credentials are wrong". See apis/README.md.
type APIFile struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Hosts   []string   `json:"hosts,omitempty"`   // host suffixes ("api.github.com", ".slack.com") or globs ("sts.*.amazonaws.com")
	Headers []string   `json:"headers,omitempty"` // response headers that identify the API
	Any     bool       `json:"any,omitempty"`     // errors are specific enough to match on any host
	Errors  []APIError `json:"errors"`
	Sources []string   `json:"sources"`
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

type apiSet struct {
	list []*APIFile
}

// APIs returns the compiled API catalog, or the first error in it.
var APIs = sync.OnceValues(func() (*apiSet, error) { return compileAPIs(apiFS) })

func compileAPIs(fsys embed.FS) (*apiSet, error) {
	entries, err := fsys.ReadDir("apis")
	if err != nil {
		return nil, err
	}
	set := &apiSet{}
	seen := map[string]bool{}
	for _, e := range entries {
		if path.Ext(e.Name()) != ".json" {
			continue
		}
		data, err := fsys.ReadFile("apis/" + e.Name())
		if err != nil {
			return nil, err
		}
		f, err := decodeAPIFile("apis/"+e.Name(), data)
		if err != nil {
			return nil, err
		}
		// The checks of the format are TestKnowledgeValidates (the files are embedded).
		if seen[f.ID] {
			return nil, errors.New("analyzer: apis/" + e.Name() + ": duplicate id")
		}
		seen[f.ID] = true
		for i := range f.Errors {
			ae := &f.Errors[i]
			if ae.Weight == 0 {
				ae.Weight = 0.93
			}
		}
		set.list = append(set.list, &f)
	}
	sort.Slice(set.list, func(i, j int) bool { return set.list[i].ID < set.list[j].ID })
	return set, nil
}

func (f *APIFile) identifies(ex *capture.Exchange) bool {
	if f.Any {
		return true
	}
	host := ex.Host()
	for _, h := range f.Hosts {
		if strings.Contains(h, "*") {
			if ok, _ := path.Match(h, host); ok && host != "" {
				return true
			}
			continue
		}
		if host != "" && (host == strings.TrimPrefix(h, ".") || strings.HasSuffix(host, h) && (strings.HasPrefix(h, ".") || strings.HasSuffix(host, "."+h))) {
			return true
		}
	}
	for _, h := range f.Headers {
		if ex.Response.Has(h) {
			return true
		}
	}
	return false
}

// apiSignals matches the response against the API catalog.
func apiSignals(ex *capture.Exchange) []Signal {
	set, err := APIs()
	if err != nil {
		return nil
	}
	resp := &ex.Response
	var body []byte // the JSON body, once checked
	parsed := false
	var values []pathValue // the paths looked up in it
	var out []Signal
	for _, f := range set.list {
		if !f.identifies(ex) {
			continue
		}
		for i := range f.Errors {
			e := &f.Errors[i]
			if len(e.Status) > 0 && !containsInt(e.Status, resp.Status) {
				continue
			}
			if e.RequestHas != "" && (ex.Request == nil || !ex.Request.Has(e.RequestHas)) {
				continue
			}
			if e.RequestLacks != "" && (ex.Request == nil || ex.Request.Has(e.RequestLacks)) {
				continue
			}
			text := ""
			if e.Header != "" {
				v := resp.Get(e.Header)
				if !resp.Has(e.Header) || e.HeaderContains != "" && !strings.Contains(strings.ToLower(v), strings.ToLower(e.HeaderContains)) {
					continue
				}
				text = e.Header + ": " + capture.Clip(maskHeaderValue(e.Header, v), 160)
			}
			if e.Body != "" {
				if !bytes.Contains(resp.Body, []byte(e.Body)) {
					continue
				}
				text = joinText(text, bodySnippet(resp.Body, e.Body))
			}
			if e.Path != "" {
				if !parsed {
					parsed = true
					if looksJSON(resp) && gjson.ValidBytes(resp.Body) {
						body = resp.Body
					}
				}
				s, ok, seen := "", false, false
				for _, pv := range values {
					if pv.path == e.Path {
						s, ok, seen = pv.text, pv.ok, true
						break
					}
				}
				if !seen {
					if body != nil {
						r := gjson.GetBytes(body, e.Path)
						s, ok = r.String(), r.Exists()
					}
					values = append(values, pathValue{e.Path, s, ok})
				}
				if !ok {
					continue
				}
				switch {
				case e.Equals != "" && s != e.Equals:
					continue
				case e.Contains != "" && !strings.Contains(strings.ToLower(s), strings.ToLower(e.Contains)):
					continue
				case e.Prefix != "" && !strings.HasPrefix(s, e.Prefix):
					continue
				}
				text = joinText(text, "body "+e.Path+" = "+strconv.Quote(capture.Clip(s, 200)))
			}
			where := WhereBody
			if e.Path == "" && e.Body == "" {
				where = WhereHeader
			}
			out = append(out, Signal{ID: f.ID + "/" + e.ID, Kind: e.Verdict, Weight: e.Weight, Scheme: e.Scheme, Cause: e.Cause,
				Where: where, Text: text + " (" + f.Name + "): " + e.Explain, Entry: -1, Fixes: e.Fixes,
				Params: map[string]string{"api": f.Name}})
		}
	}
	return out
}

// pathValue is the text at a path of the body (ok: the path exists).
type pathValue struct {
	path, text string
	ok         bool
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
