package analyzer

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// This file reads JSON without encoding/json or gjson, which would pull
// reflect and a JSON pretty-printer into the page's wasm:
//
//   - kdec decodes the embedded knowledge files (vendors/*.json, apis/*.json,
//     fixes.json) strictly into their structs: an unknown key, a wrong type
//     or malformed JSON fails with the file and the key;
//   - jsonPath is the subset of gjson paths the API files use, looked up in a
//     response body as gjson's Get would.
//
// Both walk values with the helpers of jsonfast.go and read strings and
// values as gjson did (stringValue, jsonText, keyIs).

// ---- Knowledge files ----

// kdec decodes one knowledge file. The file is checked whole first
// (syntax, UTF-8), so the walkers of jsonfast.go see only valid JSON. The
// first error is kept, with the key path of the value being read
// ("rules[3].weight"), which kdec tracks as a stack of keys and indexes so
// that it is only written out for an error. TestKnowledgeJSON gives the
// line and column of a syntax error.
type kdec struct {
	file string // "vendors/akamai.json"
	err  error
	path []kseg
}

// kseg is a step of the key path: a raw key, or an index when key is nil.
type kseg struct {
	key []byte
	idx int
}

// newKdec checks data and returns a decoder for it, or the syntax error.
func newKdec(file string, data []byte) (*kdec, error) {
	if !validJSON(data) {
		return nil, errors.New("analyzer: " + file + ": malformed JSON")
	}
	if !utf8.Valid(data) {
		return nil, errors.New("analyzer: " + file + ": not UTF-8")
	}
	return &kdec{file: file}, nil
}

func (d *kdec) fail(msg string) {
	if d.err != nil {
		return
	}
	where := ""
	for _, s := range d.path {
		if s.key == nil {
			where += "[" + strconv.Itoa(s.idx) + "]"
		} else if where == "" {
			where = jsonKey(s.key)
		} else {
			where += "." + jsonKey(s.key)
		}
	}
	if where == "" {
		where = "top level"
	}
	d.err = errors.New("analyzer: " + d.file + ": " + where + ": " + msg)
}

// object calls field with each member of the object v (raw key); field
// reports false for a key it does not know. A null member is left at its
// zero value.
func (d *kdec) object(v []byte, field func(key, v []byte) bool) {
	if !isObject(v) {
		d.fail("want an object")
		return
	}
	eachMember(v, func(k, val []byte) {
		if string(val) == "null" {
			return
		}
		d.path = append(d.path, kseg{key: k})
		ok := field(k, val)
		d.path = d.path[:len(d.path)-1]
		if !ok {
			d.fail("unknown key " + strconv.Quote(jsonKey(k)))
		}
	})
}

// array calls elem with each element of the array v.
func (d *kdec) array(v []byte, elem func(v []byte)) {
	if !isArray(v) {
		d.fail("want an array")
		return
	}
	n := 0
	eachElement(v, func(e []byte) {
		d.path = append(d.path, kseg{idx: n})
		elem(e)
		d.path = d.path[:len(d.path)-1]
		n++
	})
}

func (d *kdec) str(v []byte) string {
	if len(v) == 0 || v[0] != '"' {
		d.fail("want a string")
		return ""
	}
	return stringValue(v)
}

// kfield binds a key of a knowledge object to the field it fills: a
// *string, *Kind, *bool, *float64, *[]string, *[]int, *[]Fix, *[]Snippet,
// or a func that decodes the value itself.
type kfield struct {
	key string
	p   any
}

// fields decodes the object v into fs; a key not in fs is an error.
func (d *kdec) fields(v []byte, fs ...kfield) {
	d.object(v, func(key, v []byte) bool {
		for _, f := range fs {
			if keyIs(key, f.key) {
				d.value(f.p, v)
				return true
			}
		}
		return false
	})
}

func (d *kdec) value(p any, v []byte) {
	switch p := p.(type) {
	case *string:
		*p = d.str(v)
	case *Kind:
		*p = Kind(d.str(v))
	case *bool:
		switch string(v) {
		case "true":
			*p = true
		case "false":
			*p = false
		default:
			d.fail("want true or false")
		}
	case *float64:
		if !(v[0] == '-' || v[0] >= '0' && v[0] <= '9') {
			d.fail("want a number")
			return
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			d.fail("number out of range")
		}
		*p = f
	case *[]string:
		*p = []string{}
		d.array(v, func(e []byte) { *p = append(*p, d.str(e)) })
	case *[]int:
		*p = []int{}
		d.array(v, func(e []byte) {
			n, err := strconv.Atoi(string(e))
			if err != nil {
				d.fail("want an integer")
			}
			*p = append(*p, n)
		})
	case *[]Fix:
		*p = []Fix{}
		d.array(v, func(e []byte) {
			var f Fix
			d.fields(e, f.kfields()...)
			*p = append(*p, f)
		})
	case *[]Snippet:
		*p = []Snippet{}
		d.array(v, func(e []byte) {
			var s Snippet
			d.fields(e, kfield{"lang", &s.Lang}, kfield{"text", &s.Text})
			*p = append(*p, s)
		})
	case func([]byte):
		p(v)
	}
}

func (f *Fix) kfields() []kfield {
	return []kfield{{"title", &f.Title}, {"steps", &f.Steps}, {"code", &f.Code}}
}

// decodeVendorFile reads vendors/<name>.
func decodeVendorFile(file string, data []byte) (VendorFile, error) {
	var f VendorFile
	d, err := newKdec(file, data)
	if err != nil {
		return f, err
	}
	rules := func(v []byte) {
		f.Rules = []Rule{}
		d.array(v, func(e []byte) {
			var r Rule
			d.fields(e, kfield{"id", &r.ID}, kfield{"role", &r.Role}, kfield{"part", &r.Part}, kfield{"name", &r.Name},
				kfield{"name_regex", &r.NameRe}, kfield{"prefix", &r.Prefix}, kfield{"equals", &r.Equals}, kfield{"contains", &r.Contains},
				kfield{"regex", &r.Regex}, kfield{"words", &r.Words}, kfield{"all", &r.All}, kfield{"status", &r.Status},
				kfield{"gate", &r.Gate}, kfield{"weight", &r.Weight}, kfield{"cause", &r.Cause}, kfield{"explain", &r.Explain})
			f.Rules = append(f.Rules, r)
		})
	}
	refs := func(v []byte) {
		f.Reference = []RefRule{}
		d.array(v, func(e []byte) {
			var r RefRule
			d.fields(e, kfield{"label", &r.Label}, kfield{"part", &r.Part}, kfield{"name", &r.Name}, kfield{"regex", &r.Regex})
			f.Reference = append(f.Reference, r)
		})
	}
	fixes := func(v []byte) {
		f.Fixes = map[string][]Fix{}
		d.object(v, func(role, v []byte) bool {
			var fx []Fix
			d.value(&fx, v)
			f.Fixes[jsonKey(role)] = fx
			return true
		})
	}
	d.fields(data[skipWS(data, 0):], kfield{"id", &f.ID}, kfield{"name", &f.Name}, kfield{"kind", &f.Kind},
		kfield{"rules", rules}, kfield{"reference", refs}, kfield{"fixes", fixes}, kfield{"sources", &f.Sources}, kfield{"notes", &f.Notes})
	return f, d.err
}

// decodeAPIFile reads apis/<name>.
func decodeAPIFile(file string, data []byte) (APIFile, error) {
	var f APIFile
	d, err := newKdec(file, data)
	if err != nil {
		return f, err
	}
	errs := func(v []byte) {
		f.Errors = []APIError{}
		d.array(v, func(v []byte) {
			var e APIError
			d.fields(v, kfield{"id", &e.ID}, kfield{"status", &e.Status}, kfield{"path", &e.Path}, kfield{"equals", &e.Equals},
				kfield{"contains", &e.Contains}, kfield{"prefix", &e.Prefix}, kfield{"header", &e.Header}, kfield{"header_contains", &e.HeaderContains},
				kfield{"body", &e.Body}, kfield{"request_has", &e.RequestHas}, kfield{"request_lacks", &e.RequestLacks}, kfield{"verdict", &e.Verdict},
				kfield{"scheme", &e.Scheme}, kfield{"cause", &e.Cause}, kfield{"weight", &e.Weight}, kfield{"explain", &e.Explain}, kfield{"fixes", &e.Fixes})
			f.Errors = append(f.Errors, e)
		})
	}
	d.fields(data[skipWS(data, 0):], kfield{"id", &f.ID}, kfield{"name", &f.Name}, kfield{"hosts", &f.Hosts}, kfield{"headers", &f.Headers},
		kfield{"any", &f.Any}, kfield{"errors", errs}, kfield{"sources", &f.Sources})
	return f, d.err
}

// decodeGenericFixes reads fixes.json: an array of generic fixes.
func decodeGenericFixes(file string, data []byte) ([]genericFix, error) {
	d, err := newKdec(file, data)
	if err != nil {
		return nil, err
	}
	out := []genericFix{}
	d.array(data[skipWS(data, 0):], func(e []byte) {
		var g genericFix
		d.fields(e, append(g.Fix.kfields(), kfield{"kind", &g.Kind}, kfield{"scheme", &g.Scheme}, kfield{"cause", &g.Cause}, kfield{"needs", &g.Needs})...)
		out = append(out, g)
	})
	return out, d.err
}

// ---- Paths into a response body ----

// jsonPath is a compiled path of the subset of gjson's syntax the API files
// use: dot-separated steps, each a key ([A-Za-z0-9_-]+; all digits is also
// an index into an array) or a query #(key==value) that selects the first
// element of an array whose key equals value (a number, or a string in
// double quotes without escapes). See apis/README.md.
type jsonPath struct {
	steps []pathStep
}

type pathStep struct {
	key   string // a member name; for a query, the member compared
	index int    // key as an array index, or -1
	query bool   // #(key==value)
	value string // the query's value, unquoted
	raw   string // the step as written (a query on an object is a plain key to gjson)
}

// parseJSONPath compiles p, or says it is outside the supported subset.
func parseJSONPath(p string) (jsonPath, error) {
	var jp jsonPath
	for rest := p; ; rest = rest[1:] {
		st, n := pathStepAt(rest)
		if n == 0 {
			break
		}
		jp.steps = append(jp.steps, st)
		if rest = rest[n:]; rest == "" {
			return jp, nil
		}
		if rest[0] != '.' {
			break
		}
	}
	return jsonPath{}, errors.New("path " + strconv.Quote(p) + " is outside the supported subset: dotted keys, array indexes, #(key==value)")
}

// pathStepAt reads the step that starts s and its length, or 0.
func pathStepAt(s string) (pathStep, int) {
	if len(s) < 2 || s[0] != '#' || s[1] != '(' {
		n := 0
		for n < len(s) && s[n] != '.' {
			n++
		}
		if !pathKeyOK(s[:n]) {
			return pathStep{}, 0
		}
		return pathStep{key: s[:n], index: pathIndex(s[:n]), raw: s[:n]}, n
	}
	// #(key==value): the key, "==", a number or a string without escapes, ")".
	k := 2
	for k < len(s) && s[k] != '=' {
		k++
	}
	if k+2 > len(s) || s[k+1] != '=' || !pathKeyOK(s[2:k]) {
		return pathStep{}, 0
	}
	v := k + 2
	end := v
	if end < len(s) && s[end] == '"' {
		end++
		for end < len(s) && s[end] != '"' && s[end] != '\\' {
			end++
		}
		if end >= len(s) || s[end] != '"' {
			return pathStep{}, 0
		}
		end++
	} else {
		for end < len(s) && s[end] != ')' {
			end++
		}
		if end == v || validNumber([]byte(s[v:end]), 0) != end-v {
			return pathStep{}, 0
		}
	}
	if end >= len(s) || s[end] != ')' {
		return pathStep{}, 0
	}
	val := s[v:end]
	if val[0] == '"' {
		val = val[1 : len(val)-1]
	}
	return pathStep{key: s[2:k], index: -1, query: true, value: val, raw: s[:end+1]}, end + 1
}

func pathKeyOK(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// pathIndex returns k as an array index, or -1 when it is not all digits.
func pathIndex(k string) int {
	if len(k) > 9 {
		return -1
	}
	n := 0
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return -1
		}
		n = n*10 + int(k[i]-'0')
	}
	return n
}

// lookup returns the raw value at p in body, which must be valid JSON
// (jsonSyntaxErrorAt < 0), or nil when there is none. Like gjson, it
// returns the first match; a top-level scalar has no members.
func (p jsonPath) lookup(body []byte) []byte {
	if len(p.steps) == 0 {
		return nil
	}
	i := skipWS(body, 0)
	if i >= len(body) || body[i] != '{' && body[i] != '[' {
		return nil
	}
	v, _ := getSteps(body[i:endOfValue(body, i)], p.steps)
	return v
}

// getSteps follows steps from the object or array v. done reports that the
// search ends here even without a value (a query matched an element that
// lacks the rest of the path), as gjson stops there.
func getSteps(v []byte, steps []pathStep) (found []byte, done bool) {
	st := &steps[0]
	rest := steps[1:]
	if v[0] == '{' {
		walkObject(v, 0, func(key []byte, at int) int {
			end := endOfValue(v, at)
			if done {
				return len(v) // stop the walk
			}
			if !keyIs(key, st.raw) {
				return end
			}
			if len(rest) == 0 {
				found, done = v[at:end], true
			} else if v[at] == '{' || v[at] == '[' {
				found, done = getSteps(v[at:end], rest)
			}
			return end
		})
		return found, done
	}
	// An array.
	if !st.query && st.index < 0 {
		return nil, false
	}
	n := 0
	for i := skipWS(v, 1); i < len(v) && v[i] != ']'; n++ {
		end := endOfValue(v, i)
		e := v[i:end]
		if st.query {
			if (e[0] == '{' || e[0] == '[') && queryMatches(e, st) {
				if len(rest) == 0 {
					return e, true
				}
				found, _ = getSteps(e, rest)
				return found, true
			}
		} else if n == st.index {
			if len(rest) == 0 {
				return e, true
			}
			if e[0] == '{' || e[0] == '[' {
				return getSteps(e, rest)
			}
			return nil, false
		}
		i = skipWS(v, end)
		if i < len(v) && v[i] == ',' {
			i = skipWS(v, i+1)
		}
	}
	return nil, false
}

// queryMatches compares the element's member st.key with st.value as gjson
// does: a string by text, a number as a float64, true and false by word.
func queryMatches(e []byte, st *pathStep) bool {
	v, _ := getSteps(e, []pathStep{{key: st.key, index: pathIndex(st.key), raw: st.key}})
	if len(v) == 0 {
		return false
	}
	switch v[0] {
	case '"':
		return stringValue(v) == st.value
	case 't':
		return st.value == "true"
	case 'f':
		return st.value == "false"
	case 'n', '{', '[':
		return false
	}
	a, _ := strconv.ParseFloat(string(v), 64)
	b, _ := strconv.ParseFloat(st.value, 64)
	return a == b
}
