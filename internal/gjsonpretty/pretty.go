// Package pretty is why401's own stand-in for github.com/tidwall/pretty,
// put in its place by the replace directive in why401's go.mod.
//
// gjson imports pretty for its @pretty and @ugly path modifiers, and
// pretty's key sorting decodes strings with encoding/json, so every program
// that links gjson links encoding/json through it: in the page's wasm that
// was ~85 KB of gzip (docs/performance.md). why401 never evaluates a path
// with a modifier (its gjson paths are its own knowledge's), so this
// package keeps the API gjson calls, written without encoding/json: Ugly
// removes the white space outside strings; Pretty and PrettyOptions put
// every member and element on its own line, indented (Width is not
// honoured: no short array is kept on one line), keys sorted byte-wise when
// SortKeys is set.
package pretty

import "sort"

// Options is pretty's options type, as gjson's @pretty fills it.
type Options struct {
	Width    int    // not honoured: see the package comment
	Prefix   string // at the start of every line
	Indent   string // once per level
	SortKeys bool   // object members sorted by their raw key
}

// DefaultOptions are pretty's defaults.
var DefaultOptions = &Options{Width: 80, Prefix: "", Indent: "  ", SortKeys: false}

// Pretty is PrettyOptions with DefaultOptions.
func Pretty(json []byte) []byte { return PrettyOptions(json, nil) }

// PrettyOptions indents json, one value per line; nil opts are
// DefaultOptions. Bytes that are not JSON come back with their white space
// rearranged, never an error.
func PrettyOptions(json []byte, opts *Options) []byte {
	if opts == nil {
		opts = DefaultOptions
	}
	toks := tokens(json)
	var out []byte
	out = append(out, opts.Prefix...)
	i := 0
	out = pretty(out, toks, &i, 0, opts)
	return append(out, '\n')
}

// Ugly removes the white space outside strings.
func Ugly(json []byte) []byte {
	var out []byte
	for _, t := range tokens(json) {
		out = append(out, t...)
	}
	return out
}

// tokens splits json into strings, punctuation ({ } [ ] : ,) and other
// runs (numbers, literals), dropping white space outside strings.
func tokens(b []byte) [][]byte {
	var out [][]byte
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(b))
			out = append(out, b[i:j])
			i = j
		case c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',':
			out = append(out, b[i:i+1])
			i++
		default:
			j := i
			for j < len(b) && !isDelim(b[j]) {
				j++
			}
			out = append(out, b[i:j])
			i = j
		}
	}
	return out
}

func isDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '{', '}', '[', ']', ':', ',':
		return true
	}
	return false
}

// pretty appends the value starting at toks[*i], at depth.
func pretty(out []byte, toks [][]byte, i *int, depth int, o *Options) []byte {
	if *i >= len(toks) {
		return out
	}
	t := toks[*i]
	*i++
	if len(t) != 1 || t[0] != '{' && t[0] != '[' {
		return append(out, t...)
	}
	open, close := t[0], byte('}')
	if open == '[' {
		close = ']'
	}
	// The members (or elements), each pretty-printed at depth+1.
	type member struct{ key, val []byte }
	var ms []member
	for *i < len(toks) {
		if c := toks[*i]; len(c) == 1 && c[0] == close {
			*i++
			break
		}
		if c := toks[*i]; len(c) == 1 && c[0] == ',' {
			*i++
			continue
		}
		var m member
		if open == '{' {
			m.key = toks[*i]
			*i++
			if *i < len(toks) && len(toks[*i]) == 1 && toks[*i][0] == ':' {
				*i++
			}
		}
		m.val = pretty(nil, toks, i, depth+1, o)
		ms = append(ms, m)
	}
	if o.SortKeys && open == '{' {
		sort.SliceStable(ms, func(a, b int) bool { return string(ms[a].key) < string(ms[b].key) })
	}
	out = append(out, open)
	if len(ms) == 0 {
		return append(out, close)
	}
	for k, m := range ms {
		if k > 0 {
			out = append(out, ',')
		}
		out = newline(out, depth+1, o)
		if open == '{' {
			out = append(append(out, m.key...), ": "...)
		}
		out = append(out, m.val...)
	}
	out = newline(out, depth, o)
	return append(out, close)
}

func newline(out []byte, depth int, o *Options) []byte {
	out = append(append(out, '\n'), o.Prefix...)
	for range depth {
		out = append(out, o.Indent...)
	}
	return out
}
