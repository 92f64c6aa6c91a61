package analyzer

import (
	"bytes"
	"errors"
	"strconv"
	"unicode/utf8"
)

// This file reads JSON without encoding/json or gjson, which would pull
// reflect and a JSON pretty-printer into the page's wasm:
//
//   - jsonSyntaxErrorAt checks one JSON value (gjson.Valid's grammar);
//   - kdec decodes the embedded knowledge files (vendors/*.json, apis/*.json,
//     fixes.json) strictly into their structs: an unknown key, a wrong type
//     or malformed JSON fails with the file and the key;
//   - jsonPath is the subset of gjson paths the API files use, looked up in a
//     response body as gjson's Get would.
//
// All of them walk values with the helpers of jsonfast.go.

// jsonSyntaxErrorAt returns -1 when b is exactly one JSON value (RFC 8259
// grammar) between optional spaces, else the offset of the first byte that
// is wrong (len(b) when b ends too early). Like gjson.Valid, it does not
// check that strings are UTF-8.
func jsonSyntaxErrorAt(b []byte) int {
	var stack []byte // open brackets
	i := skipWS(b, 0)
	for {
		// A value starts at b[i].
		if i >= len(b) {
			return len(b)
		}
		switch c := b[i]; c {
		case '{', '[':
			i = skipWS(b, i+1)
			if i < len(b) && b[i] == c+2 { // '}' or ']'
				i++
				break
			}
			stack = append(stack, c)
			if c == '{' {
				if i = jsonKeyEnd(b, i); i < 0 {
					return -i - 1
				}
			}
			continue
		case '"':
			if i = jsonStringEnd(b, i); i < 0 {
				return -i - 1
			}
		case 't', 'f', 'n':
			w := "null"
			if c == 't' {
				w = "true"
			} else if c == 'f' {
				w = "false"
			}
			if !bytes.HasPrefix(b[i:], []byte(w)) {
				return i
			}
			i += len(w)
		default:
			if i = jsonNumberEnd(b, i); i < 0 {
				return -i - 1
			}
		}
		// After a value: a comma, a closing bracket, or the end.
		for {
			i = skipWS(b, i)
			if len(stack) == 0 {
				if i == len(b) {
					return -1
				}
				return i
			}
			if i >= len(b) {
				return len(b)
			}
			top := stack[len(stack)-1]
			if b[i] == top+2 {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if b[i] != ',' {
				return i
			}
			i = skipWS(b, i+1)
			if top == '{' {
				if i = jsonKeyEnd(b, i); i < 0 {
					return -i - 1
				}
			}
			break
		}
	}
}

// The scanners below return the index past what they read, or -(bad+1)
// where bad is the offset of the error.

// jsonKeyEnd checks `"key" :` at b[i] and returns the index of the value after it.
func jsonKeyEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -i - 1
	}
	if i = jsonStringEnd(b, i); i < 0 {
		return i
	}
	i = skipWS(b, i)
	if i >= len(b) || b[i] != ':' {
		return -i - 1
	}
	return skipWS(b, i+1)
}

// jsonStringEnd checks the string at b[i] (b[i] is '"').
func jsonStringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c < ' ':
			return -i - 1
		case c == '"':
			return i + 1
		case c == '\\':
			i++
			if i >= len(b) {
				return -i - 1
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for k := 1; k <= 4; k++ {
					if i+k >= len(b) || hexVal(b[i+k]) < 0 {
						return -(i + k) - 1
					}
				}
				i += 4
			default:
				return -i - 1
			}
		}
	}
	return -len(b) - 1
}

// jsonNumberEnd checks the number at b[i].
func jsonNumberEnd(b []byte, i int) int {
	digits := func() bool {
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > s
	}
	if b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if !digits() {
		return -i - 1
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return -i - 1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return -i - 1
		}
	}
	return i
}

func hexVal(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

// jsonUnquote returns the text of the valid JSON string raw (with its
// quotes), as gjson reads it: escapes decoded, a lone surrogate as U+FFFD,
// other bytes as they are.
func jsonUnquote(raw []byte) string {
	s := raw[1 : len(raw)-1]
	if bytes.IndexByte(s, '\\') < 0 {
		return string(s)
	}
	return unescapeValid(s)
}

// unescapeValid decodes the escapes of the contents of a valid JSON string.
func unescapeValid(s []byte) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			out = append(out, c)
			continue
		}
		i++
		switch s[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+5 > len(s) {
				return string(out)
			}
			r := hex4Valid(s[i+1 : i+5])
			i += 4
			if r >= 0xD800 && r < 0xDC00 && i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if r2 := hex4Valid(s[i+3 : i+7]); r2 >= 0xDC00 && r2 < 0xE000 {
					r = (r-0xD800)<<10 | (r2 - 0xDC00) + 0x10000
					i += 6
				}
			}
			out = utf8.AppendRune(out, r) // a lone surrogate is written as U+FFFD
		default: // " \ /
			out = append(out, s[i])
		}
	}
	return string(out)
}

func hex4Valid(h []byte) rune {
	var r rune
	for _, c := range h {
		r = r<<4 | hexVal(c)
	}
	return r
}

// jsonKeyText returns the text of a raw key (without its quotes).
func jsonKeyText(key []byte) string {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key)
	}
	return unescapeValid(key)
}

// ---- Knowledge files ----

// kdec decodes one knowledge file. The file is checked whole first
// (syntax, UTF-8), so the walkers of jsonfast.go see only valid JSON. The
// first error is kept; "where" is the key path of the value being read
// ("rules[3].weight").
type kdec struct {
	file string // "vendors/akamai.json"
	err  error
}

// newKdec checks data and returns a decoder for it, or the syntax error.
func newKdec(file string, data []byte) (*kdec, error) {
	d := &kdec{file: file}
	if at := jsonSyntaxErrorAt(data); at >= 0 {
		line, col := 1, 1
		for _, c := range data[:at] {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		what := "unexpected end of JSON"
		if at < len(data) {
			what = "invalid JSON at " + strconv.QuoteRune(rune(data[at]))
		}
		return nil, errors.New("analyzer: " + file + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + ": " + what)
	}
	if !utf8.Valid(data) {
		return nil, errors.New("analyzer: " + file + ": not UTF-8")
	}
	return d, nil
}

func (d *kdec) fail(where, msg string) {
	if d.err == nil {
		if where == "" {
			where = "top level"
		}
		d.err = errors.New("analyzer: " + d.file + ": " + where + ": " + msg)
	}
}

// object calls field with each member of the object v; field reports
// false for a key it does not know. A null member is left at its zero value.
func (d *kdec) object(v []byte, where string, field func(key string, v []byte, where string) bool) {
	if !isObject(v) {
		d.fail(where, "want an object")
		return
	}
	eachMember(v, func(k, val []byte) {
		key := jsonKeyText(k)
		at := key
		if where != "" {
			at = where + "." + key
		}
		if string(val) == "null" {
			return
		}
		if !field(key, val, at) {
			d.fail(where, "unknown key "+strconv.Quote(key))
		}
	})
}

// array calls elem with each element of the array v.
func (d *kdec) array(v []byte, where string, elem func(v []byte, where string)) {
	if !isArray(v) {
		d.fail(where, "want an array")
		return
	}
	n := 0
	eachElement(v, func(e []byte) {
		elem(e, where+"["+strconv.Itoa(n)+"]")
		n++
	})
}

func (d *kdec) str(v []byte, where string) string {
	if len(v) == 0 || v[0] != '"' {
		d.fail(where, "want a string")
		return ""
	}
	return jsonUnquote(v)
}

func (d *kdec) strs(v []byte, where string) []string {
	out := []string{}
	d.array(v, where, func(e []byte, w string) { out = append(out, d.str(e, w)) })
	return out
}

func (d *kdec) ints(v []byte, where string) []int {
	out := []int{}
	d.array(v, where, func(e []byte, w string) {
		n, err := strconv.Atoi(string(e))
		if err != nil {
			d.fail(w, "want an integer")
		}
		out = append(out, n)
	})
	return out
}

func (d *kdec) float(v []byte, where string) float64 {
	if len(v) == 0 || !(v[0] == '-' || v[0] >= '0' && v[0] <= '9') {
		d.fail(where, "want a number")
		return 0
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		d.fail(where, "number out of range")
	}
	return f
}

func (d *kdec) bool(v []byte, where string) bool {
	switch string(v) {
	case "true":
		return true
	case "false":
		return false
	}
	d.fail(where, "want true or false")
	return false
}

// fixField reads a member of a Fix.
func (d *kdec) fixField(f *Fix, key string, v []byte, where string) bool {
	switch key {
	case "title":
		f.Title = d.str(v, where)
	case "steps":
		f.Steps = d.strs(v, where)
	case "code":
		f.Code = []Snippet{}
		d.array(v, where, func(e []byte, w string) {
			var s Snippet
			d.object(e, w, func(key string, v []byte, where string) bool {
				switch key {
				case "lang":
					s.Lang = d.str(v, where)
				case "text":
					s.Text = d.str(v, where)
				default:
					return false
				}
				return true
			})
			f.Code = append(f.Code, s)
		})
	default:
		return false
	}
	return true
}

func (d *kdec) fixes(v []byte, where string) []Fix {
	out := []Fix{}
	d.array(v, where, func(e []byte, w string) {
		var f Fix
		d.object(e, w, func(key string, v []byte, where string) bool { return d.fixField(&f, key, v, where) })
		out = append(out, f)
	})
	return out
}

// decodeVendorFile reads vendors/<name>.
func decodeVendorFile(file string, data []byte) (VendorFile, error) {
	var f VendorFile
	d, err := newKdec(file, data)
	if err != nil {
		return f, err
	}
	d.object(data[skipWS(data, 0):], "", func(key string, v []byte, where string) bool {
		switch key {
		case "id":
			f.ID = d.str(v, where)
		case "name":
			f.Name = d.str(v, where)
		case "kind":
			f.Kind = d.str(v, where)
		case "notes":
			f.Notes = d.str(v, where)
		case "sources":
			f.Sources = d.strs(v, where)
		case "rules":
			f.Rules = []Rule{}
			d.array(v, where, func(e []byte, w string) {
				var r Rule
				d.object(e, w, func(key string, v []byte, where string) bool { return d.ruleField(&r, key, v, where) })
				f.Rules = append(f.Rules, r)
			})
		case "reference":
			f.Reference = []RefRule{}
			d.array(v, where, func(e []byte, w string) {
				var r RefRule
				d.object(e, w, func(key string, v []byte, where string) bool {
					switch key {
					case "label":
						r.Label = d.str(v, where)
					case "part":
						r.Part = d.str(v, where)
					case "name":
						r.Name = d.str(v, where)
					case "regex":
						r.Regex = d.str(v, where)
					default:
						return false
					}
					return true
				})
				f.Reference = append(f.Reference, r)
			})
		case "fixes":
			f.Fixes = map[string][]Fix{}
			d.object(v, where, func(role string, v []byte, where string) bool {
				f.Fixes[role] = d.fixes(v, where)
				return true
			})
		default:
			return false
		}
		return true
	})
	return f, d.err
}

func (d *kdec) ruleField(r *Rule, key string, v []byte, where string) bool {
	switch key {
	case "id":
		r.ID = d.str(v, where)
	case "role":
		r.Role = d.str(v, where)
	case "part":
		r.Part = d.str(v, where)
	case "name":
		r.Name = d.str(v, where)
	case "name_regex":
		r.NameRe = d.str(v, where)
	case "prefix":
		r.Prefix = d.bool(v, where)
	case "equals":
		r.Equals = d.str(v, where)
	case "contains":
		r.Contains = d.str(v, where)
	case "regex":
		r.Regex = d.str(v, where)
	case "words":
		r.Words = d.strs(v, where)
	case "all":
		r.All = d.bool(v, where)
	case "status":
		r.Status = d.ints(v, where)
	case "gate":
		r.Gate = d.bool(v, where)
	case "weight":
		r.Weight = d.float(v, where)
	case "cause":
		r.Cause = d.str(v, where)
	case "explain":
		r.Explain = d.str(v, where)
	default:
		return false
	}
	return true
}

// decodeAPIFile reads apis/<name>.
func decodeAPIFile(file string, data []byte) (APIFile, error) {
	var f APIFile
	d, err := newKdec(file, data)
	if err != nil {
		return f, err
	}
	d.object(data[skipWS(data, 0):], "", func(key string, v []byte, where string) bool {
		switch key {
		case "id":
			f.ID = d.str(v, where)
		case "name":
			f.Name = d.str(v, where)
		case "hosts":
			f.Hosts = d.strs(v, where)
		case "headers":
			f.Headers = d.strs(v, where)
		case "any":
			f.Any = d.bool(v, where)
		case "sources":
			f.Sources = d.strs(v, where)
		case "errors":
			f.Errors = []APIError{}
			d.array(v, where, func(e []byte, w string) {
				var ae APIError
				d.object(e, w, func(key string, v []byte, where string) bool { return d.apiErrorField(&ae, key, v, where) })
				f.Errors = append(f.Errors, ae)
			})
		default:
			return false
		}
		return true
	})
	return f, d.err
}

func (d *kdec) apiErrorField(e *APIError, key string, v []byte, where string) bool {
	switch key {
	case "id":
		e.ID = d.str(v, where)
	case "status":
		e.Status = d.ints(v, where)
	case "path":
		e.Path = d.str(v, where)
	case "equals":
		e.Equals = d.str(v, where)
	case "contains":
		e.Contains = d.str(v, where)
	case "prefix":
		e.Prefix = d.str(v, where)
	case "header":
		e.Header = d.str(v, where)
	case "header_contains":
		e.HeaderContains = d.str(v, where)
	case "body":
		e.Body = d.str(v, where)
	case "request_has":
		e.RequestHas = d.str(v, where)
	case "request_lacks":
		e.RequestLacks = d.str(v, where)
	case "verdict":
		e.Verdict = Kind(d.str(v, where))
	case "scheme":
		e.Scheme = d.str(v, where)
	case "cause":
		e.Cause = d.str(v, where)
	case "weight":
		e.Weight = d.float(v, where)
	case "explain":
		e.Explain = d.str(v, where)
	case "fixes":
		e.Fixes = d.fixes(v, where)
	default:
		return false
	}
	return true
}

// decodeGenericFixes reads fixes.json: an array of generic fixes.
func decodeGenericFixes(file string, data []byte) ([]genericFix, error) {
	var out []genericFix
	d, err := newKdec(file, data)
	if err != nil {
		return nil, err
	}
	out = []genericFix{}
	d.array(data[skipWS(data, 0):], "", func(e []byte, w string) {
		var g genericFix
		d.object(e, w, func(key string, v []byte, where string) bool {
			switch key {
			case "kind":
				g.Kind = Kind(d.str(v, where))
			case "scheme":
				g.Scheme = d.str(v, where)
			case "cause":
				g.Cause = d.str(v, where)
			case "needs":
				g.Needs = d.strs(v, where)
			default:
				return d.fixField(&g.Fix, key, v, where)
			}
			return true
		})
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

// parseJSONPath compiles p, or says why it is outside the supported subset.
func parseJSONPath(p string) (jsonPath, error) {
	var jp jsonPath
	bad := func(why string) (jsonPath, error) {
		return jsonPath{}, errors.New("path " + strconv.Quote(p) + ": " + why + " (supported: dotted keys, array indexes, #(key==value))")
	}
	if p == "" {
		return bad("empty")
	}
	for rest := p; ; {
		var st pathStep
		var comp string
		if len(rest) >= 2 && rest[0] == '#' && rest[1] == '(' {
			end := -1
			inQuote := false
			for i := 2; i < len(rest); i++ {
				switch {
				case rest[i] == '"':
					inQuote = !inQuote
				case rest[i] == '\\':
					return bad("escapes are not supported")
				case rest[i] == ')' && !inQuote:
					end = i
				}
				if end >= 0 {
					break
				}
			}
			if end < 0 {
				return bad("unclosed query")
			}
			comp, rest = rest[:end+1], rest[end+1:]
			key, val, ok := cutString(comp[2:end], "==")
			if !ok || !pathKeyOK(key) {
				return bad("a query is #(key==value)")
			}
			switch {
			case len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' && !containsByte(val[1:len(val)-1], '"'):
				val = val[1 : len(val)-1]
			case val != "" && jsonNumberEnd([]byte(val), 0) == len(val):
			default:
				return bad("a query value is a number or a string in double quotes")
			}
			st = pathStep{key: key, index: -1, query: true, value: val, raw: comp}
		} else {
			i := 0
			for i < len(rest) && rest[i] != '.' {
				i++
			}
			comp, rest = rest[:i], rest[i:]
			if !pathKeyOK(comp) {
				return bad("step " + strconv.Quote(comp) + " is not a plain key or index")
			}
			st = pathStep{key: comp, index: pathIndex(comp), raw: comp}
		}
		jp.steps = append(jp.steps, st)
		if rest == "" {
			return jp, nil
		}
		if rest[0] != '.' || len(rest) == 1 {
			return bad("steps are separated by single dots")
		}
		rest = rest[1:]
	}
}

func cutString(s, sep string) (string, string, bool) {
	for i := 0; i+len(sep) <= len(s); i++ {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
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
			if !keyMatches(key, st.raw) {
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

func keyMatches(key []byte, want string) bool {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key) == want
	}
	return unescapeValid(key) == want
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
		return jsonUnquote(v) == st.value
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

// jsonValueText is gjson's Result.String() of a raw value found by lookup:
// a string unescaped, an object or array as written, null as "", a number
// as written when it is an integer, else as strconv formats its float64.
func jsonValueText(v []byte) string {
	switch v[0] {
	case '"':
		return jsonUnquote(v)
	case '{', '[':
		return string(v)
	case 't':
		return "true"
	case 'f':
		return "false"
	case 'n':
		return ""
	}
	i := 0
	if v[0] == '-' {
		i++
	}
	for ; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			f, _ := strconv.ParseFloat(string(v), 64)
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
	}
	return string(v)
}
