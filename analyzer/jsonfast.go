package analyzer

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// A HAR entry is mostly body text the analyzer does not read. These helpers
// walk an entry's objects member by member and skip string values with
// bytes.IndexByte (vectorised), which is several times faster than a
// byte-by-byte JSON walk over megabytes of base64. Values come back raw;
// jsonString and jsonText read the few that are kept, the way the gjson
// library this package used to import read them (the tests compare the two).
// The input has already passed jsonScanner, so its nesting depth is bounded.

// skipWS returns the index of the first non-space byte at or after i.
func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// endOfString returns the index just past the closing quote of the string
// whose opening quote is at b[i], or len(b).
func endOfString(b []byte, i int) int {
	i++
	for {
		j := indexQuote(b[i:])
		if j < 0 {
			return len(b)
		}
		q := i + j
		n := 0
		for k := q - 1; k >= i && b[k] == '\\'; k-- {
			n++
		}
		i = q + 1
		if n%2 == 0 {
			return i
		}
	}
}

// endOfValue returns the index just past the JSON value starting at b[i].
func endOfValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return endOfString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = endOfString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	default:
		for i < len(b) {
			switch b[i] {
			case ',', '}', ']', ' ', '\n', '\r', '\t':
				return i
			}
			i++
		}
		return i
	}
}

// eachMember calls fn with each member of the object b (raw key without its
// quotes, raw value). It stops at the first malformed byte.
func eachMember(b []byte, fn func(key, val []byte)) {
	walkObject(b, skipWS(b, 0), func(key []byte, at int) int {
		ve := endOfValue(b, at)
		if ve > at {
			fn(key, b[at:ve])
		}
		return ve
	})
}

// walkObject walks the object that starts at b[i], calling fn with each
// member's raw key and the index where its value starts; fn returns the index
// just past the value, so it can walk a nested object in the same pass instead
// of skipping it and walking it again. walkObject returns the index past the
// closing brace, -1 when b[i] is not an object, or len(b) when it is malformed.
func walkObject(b []byte, i int, fn func(key []byte, at int) int) int {
	if i >= len(b) || b[i] != '{' {
		return -1
	}
	i++
	for {
		i = skipWS(b, i)
		if i < len(b) && b[i] == '}' {
			return i + 1
		}
		if i >= len(b) || b[i] != '"' {
			return len(b)
		}
		ke := endOfString(b, i)
		if ke > len(b) || ke-1 <= i {
			return len(b)
		}
		key := b[i+1 : ke-1]
		i = skipWS(b, ke)
		if i >= len(b) || b[i] != ':' {
			return len(b)
		}
		i = skipWS(b, i+1)
		ve := fn(key, i)
		if ve <= i || ve > len(b) {
			return len(b)
		}
		i = skipWS(b, ve)
		if i < len(b) && b[i] == '}' {
			return i + 1
		}
		if i >= len(b) || b[i] != ',' {
			return len(b)
		}
		i++
	}
}

// walkOrSkip walks the object at b[at] with fn, or skips a value of another type.
func walkOrSkip(b []byte, at int, fn func(key []byte, at int) int) int {
	if e := walkObject(b, at, fn); e >= 0 {
		return e
	}
	return endOfValue(b, at)
}

// eachElement calls fn with each element of the array b.
func eachElement(b []byte, fn func(val []byte)) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '[' {
		return
	}
	i++
	for {
		i = skipWS(b, i)
		if i >= len(b) || b[i] == ']' {
			return
		}
		ve := endOfValue(b, i)
		if ve <= i {
			return
		}
		fn(b[i:ve])
		i = skipWS(b, ve)
		if i >= len(b) || b[i] != ',' {
			return
		}
		i++
	}
}

// jsonString returns the (copied) text of a raw JSON value: a string is
// unquoted, an object, an array or null is "", anything else is read as
// jsonText reads it.
func jsonString(raw []byte) string {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	if len(raw) == 0 || raw[0] == '{' || raw[0] == '[' || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	return jsonText(raw)
}

func isObject(raw []byte) bool { return len(raw) > 0 && raw[0] == '{' }
func isArray(raw []byte) bool  { return len(raw) > 0 && raw[0] == '[' }

// The kinds of a raw value, told by its first byte as gjson's Parse tells them.
const (
	jsonNone   = iota // nothing recognisable
	jsonNull          // null
	jsonFalse         // false
	jsonTrue          // true
	jsonNumber        // a number, or what gjson takes for one (NaN, Inf, +1)
	jsonStr           // a string
	jsonNested        // an object or an array
)

// jsonKind returns the kind of the raw value and the index of its first
// byte: leading bytes up to the space are skipped, as gjson skips them.
func jsonKind(raw []byte) (int, int) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c <= ' ':
			continue
		case c == '{' || c == '[':
			return jsonNested, i
		case c == '"':
			return jsonStr, i
		case c == 't':
			return jsonTrue, i
		case c == 'f':
			return jsonFalse, i
		case c == 'n':
			// "null", but "nan" (any n not followed by u) is a number.
			if i+1 < len(raw) && raw[i+1] != 'u' {
				return jsonNumber, i
			}
			return jsonNull, i
		case c == '+' || c == '-' || c >= '0' && c <= '9' || c == 'i' || c == 'I' || c == 'N':
			return jsonNumber, i
		}
		return jsonNone, i
	}
	return jsonNone, len(raw)
}

// numberToken returns the number that starts b: up to a space, a comma or a
// closing bracket.
func numberToken(b []byte) []byte {
	for i := 1; i < len(b); i++ {
		if c := b[i]; c <= ' ' || c == ',' || c == ']' || c == '}' {
			return b[:i]
		}
	}
	return b
}

// jsonText returns the text of a raw value as gjson's Result.String() gives
// it: a string unescaped, an object or array as written (to the end of raw),
// true/false as words, null and the unrecognisable as "", and a number as
// written when it is a plain integer, else as strconv formats its float64.
func jsonText(raw []byte) string {
	kind, i := jsonKind(raw)
	switch kind {
	case jsonNested:
		return string(raw[i:])
	case jsonStr:
		return stringValue(raw[i:])
	case jsonTrue:
		return "true"
	case jsonFalse:
		return "false"
	case jsonNumber:
		tok := numberToken(raw[i:])
		j := 0
		if tok[0] == '-' {
			j++
		}
		for ; j < len(tok); j++ {
			if tok[j] < '0' || tok[j] > '9' {
				f, _ := strconv.ParseFloat(string(tok), 64)
				return strconv.FormatFloat(f, 'f', -1, 64)
			}
		}
		return string(tok)
	}
	return ""
}

// jsonFloat returns the raw value as gjson's Result.Float(): a number or a
// numeric string parsed, true as 1, anything else 0.
func jsonFloat(raw []byte) float64 {
	kind, i := jsonKind(raw)
	var f float64
	switch kind {
	case jsonNumber:
		f, _ = strconv.ParseFloat(string(numberToken(raw[i:])), 64)
	case jsonStr:
		f, _ = strconv.ParseFloat(stringValue(raw[i:]), 64)
	case jsonTrue:
		f = 1
	}
	return f
}

// stringValue unquotes the JSON string that starts b (b[0] is '"'). It ends
// at the first unescaped quote, or at the end of b.
func stringValue(b []byte) string {
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '"':
			return string(b[1:i])
		case '\\':
			end := len(b)
			for j := i + 1; j < len(b); j++ {
				if b[j] != '"' {
					continue
				}
				n := 0
				for k := j - 1; k > 0 && b[k] == '\\'; k-- {
					n++
				}
				if n%2 == 0 {
					end = j
					break
				}
			}
			return unescapeJSON(b[1:end])
		}
	}
	return string(b[1:])
}

// unescapeJSON decodes the escapes of a string's contents. Like gjson, it
// stops at a control byte or at an invalid or incomplete escape; a \u that is
// not hexadecimal reads as U+0000, a lone surrogate as U+FFFD.
func unescapeJSON(s []byte) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' {
			break
		}
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(s) {
			break
		}
		switch s[i] {
		case '\\', '/', '"':
			out = append(out, s[i])
			continue
		case 'b':
			out = append(out, '\b')
			continue
		case 'f':
			out = append(out, '\f')
			continue
		case 'n':
			out = append(out, '\n')
			continue
		case 'r':
			out = append(out, '\r')
			continue
		case 't':
			out = append(out, '\t')
			continue
		case 'u':
			if i+5 > len(s) {
				return string(out)
			}
			r := hex4Or0(s[i+1 : i+5])
			i += 5
			if r >= 0xD800 && r < 0xDC00 && len(s)-i >= 6 && s[i] == '\\' && s[i+1] == 'u' {
				if r2 := hex4Or0(s[i+2 : i+6]); r2 >= 0xDC00 && r2 < 0xE000 {
					r = (r-0xD800)<<10 | (r2 - 0xDC00) + 0x10000
					i += 6
				}
			}
			out = utf8.AppendRune(out, r)
			i--
			continue
		}
		break
	}
	return string(out)
}

// hex4Or0 reads four hexadecimal digits; anything else reads as 0.
func hex4Or0(h []byte) rune {
	var r rune
	for _, c := range h {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0
		}
	}
	return r
}

// keyIs reports whether the raw key (without its quotes) unescapes to name.
func keyIs(key []byte, name string) bool {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key) == name
	}
	return unescapeJSON(key) == name
}

// jsonKey returns the text of a raw key (without its quotes).
func jsonKey(key []byte) string {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key)
	}
	return unescapeJSON(key)
}

// jsonGet returns the raw value of the first member named name of the
// object in b, or nil when there is none. Like gjson's Get, it reads the
// first object or array in b, whatever precedes it; a dotted path reads
// nested objects.
func jsonGet(b []byte, path string) []byte {
	i := 0
	for i < len(b) && b[i] != '{' && b[i] != '[' {
		i++
	}
	b = b[i:]
	for {
		name, rest, nested := cutDot(path)
		var found []byte
		walkObject(b, 0, func(key []byte, at int) int {
			e := endOfValue(b, at)
			if e > at && keyIs(key, name) {
				found = b[at:e]
				return len(b) // stop here: walkObject then reports a malformed object, which is ignored
			}
			return e
		})
		if !nested || found == nil {
			return found
		}
		b, path = found, rest
	}
}

func cutDot(p string) (string, string, bool) {
	for i := 0; i < len(p); i++ {
		if p[i] == '.' {
			return p[:i], p[i+1:], true
		}
	}
	return p, "", false
}

// jsonIndex returns the raw element n of the array b, or nil.
func jsonIndex(b []byte, n int) []byte {
	var found []byte
	i := 0
	eachElement(b, func(v []byte) {
		if i == n {
			found = v
		}
		i++
	})
	return found
}

// eachMemberText calls fn with each member of the object b: its key
// unescaped and its raw value.
func eachMemberText(b []byte, fn func(key string, val []byte) bool) {
	stop := false
	eachMember(b, func(k, v []byte) {
		if !stop {
			stop = !fn(jsonKey(k), v)
		}
	})
}

// validJSON reports whether b is one JSON value (RFC 8259) between optional
// spaces, as gjson.Valid does: strings are not checked for UTF-8.
func validJSON(b []byte) bool {
	var stack []byte // the open brackets
	i := skipWS(b, 0)
	for {
		// A value starts at b[i].
		if i >= len(b) {
			return false
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
				if i = validKey(b, i); i < 0 {
					return false
				}
			}
			continue
		case '"':
			if i = validString(b, i); i < 0 {
				return false
			}
		case 't':
			if !bytes.HasPrefix(b[i:], []byte("true")) {
				return false
			}
			i += 4
		case 'f':
			if !bytes.HasPrefix(b[i:], []byte("false")) {
				return false
			}
			i += 5
		case 'n':
			if !bytes.HasPrefix(b[i:], []byte("null")) {
				return false
			}
			i += 4
		default:
			if i = validNumber(b, i); i < 0 {
				return false
			}
		}
		// After a value: a comma, a closing bracket, or the end.
		for {
			i = skipWS(b, i)
			if len(stack) == 0 {
				return i == len(b)
			}
			if i >= len(b) {
				return false
			}
			top := stack[len(stack)-1]
			if b[i] == top+2 {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if b[i] != ',' {
				return false
			}
			i = skipWS(b, i+1)
			if top == '{' {
				if i = validKey(b, i); i < 0 {
					return false
				}
			}
			break
		}
	}
}

// validKey checks `"key" :` at b[i] and returns the index of the value after it, or -1.
func validKey(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	if i = validString(b, i); i < 0 {
		return -1
	}
	i = skipWS(b, i)
	if i >= len(b) || b[i] != ':' {
		return -1
	}
	return skipWS(b, i+1)
}

// validString checks the string at b[i] and returns the index past it, or -1.
func validString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c < ' ':
			return -1
		case c == '"':
			return i + 1
		case c == '\\':
			i++
			if i >= len(b) {
				return -1
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) {
					return -1
				}
				for _, h := range b[i+1 : i+5] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return -1
					}
				}
				i += 4
			default:
				return -1
			}
		}
	}
	return -1
}

// validNumber checks the number at b[i] and returns the index past it, or -1.
func validNumber(b []byte, i int) int {
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
		return -1
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return -1
		}
	}
	return i
}

// isJSONNumber reports whether raw is a number (gjson's Type == Number).
func isJSONNumber(raw []byte) bool {
	k, _ := jsonKind(raw)
	return k == jsonNumber
}
