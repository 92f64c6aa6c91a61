package capture

import (
	"bytes"
	"unsafe"

	"github.com/tidwall/gjson"
)

// A HAR entry is mostly body text the analyzer does not read. These helpers
// walk an entry's objects member by member and skip string values with
// bytes.IndexByte (vectorised), which is several times faster than a
// byte-by-byte JSON walk over megabytes of base64. Values come back raw;
// jsonString reads the few that are kept (gjson for those with escapes),
// and gjson reads the small objects inside an entry (a cookie, a header in
// an unusual shape). The input has already passed jsonScanner, so its
// nesting depth is bounded.

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

// eachObjectElement walks the array b of objects in one pass: member is
// called with each member of an element (raw key, raw value), end after each
// element. It reports false, having stopped, at an element that is not an
// object.
func eachObjectElement(b []byte, member func(key, val []byte), end func()) bool {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '[' {
		return true
	}
	i++
	for {
		i = skipWS(b, i)
		if i >= len(b) || b[i] == ']' {
			return true
		}
		if b[i] != '{' {
			return false
		}
		ve := walkObject(b, i, func(key []byte, at int) int {
			e := endOfValue(b, at)
			if e > at {
				member(key, b[at:e])
			}
			return e
		})
		if ve <= i {
			return true
		}
		end()
		i = skipWS(b, ve)
		if i >= len(b) || b[i] != ',' {
			return true
		}
		i++
	}
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
// gjson's Result.String() reads it.
func jsonString(raw []byte) string {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		if bytes.IndexByte(raw, '\\') < 0 {
			return string(raw[1 : len(raw)-1])
		}
		if s, ok := unescapeSimple(raw[1 : len(raw)-1]); ok {
			return s
		}
	}
	if len(raw) == 0 || raw[0] == '{' || raw[0] == '[' || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	return gjson.ParseBytes(raw).String()
}

func isObject(raw []byte) bool { return len(raw) > 0 && raw[0] == '{' }
func isArray(raw []byte) bool  { return len(raw) > 0 && raw[0] == '[' }

// unescapeSimple unquotes the inside of a JSON string whose escapes are the
// one-letter ones (\" \\ \/ \n \t \r \b \f): header values such as
// sec-ch-ua and page bodies hold little else. A \u escape (or a malformed
// one) reports false, for gjson to do.
func unescapeSimple(in []byte) (string, bool) {
	b, ok := unescapeSimpleBytes(in)
	if !ok || len(b) == 0 {
		return "", ok
	}
	return unsafe.String(&b[0], len(b)), true // b is ours and never written again
}

// unescapeSimpleBytes is unescapeSimple into a new slice.
func unescapeSimpleBytes(in []byte) ([]byte, bool) {
	out := make([]byte, 0, len(in))
	for {
		i := bytes.IndexByte(in, '\\')
		if i < 0 {
			return append(out, in...), true
		}
		out = append(out, in[:i]...)
		if i+1 >= len(in) {
			return nil, false
		}
		switch c := in[i+1]; c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		default:
			return nil, false
		}
		in = in[i+2:]
	}
}
