package capture

import (
	"bytes"
	"encoding/binary"
	"math/bits"
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

// A walker walks one JSON text (a HAR entry) with the string bounds the
// JSONScanner recorded while it kept that text (JSONScanner.Bounds): a
// string found there is jumped over instead of searched for its end a
// second time (a body of 300 KB, or one whose every quote is escaped, was
// scanned twice). A string not found there is scanned, so the walk is the
// same with bounds or without (FuzzBounds); the free functions below are a
// walker without any.
type walker struct {
	b      []byte
	bounds []uint32 // pairs: opening quote, just past the closing quote; ascending
	c      int      // the pair the last lookup stopped at
}

// recorded returns the end of the string whose opening quote is at b[i]
// when the scan recorded it, or -1. Lookups mostly go forward (one cursor);
// one behind the cursor (a second walk over headers) searches back.
func (w *walker) recorded(i int) int {
	t, c := w.bounds, w.c
	if c > 0 && int(t[c-2]) >= i {
		lo, hi := 0, c/2 // first pair whose start is >= i
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if int(t[2*m]) < i {
				lo = m + 1
			} else {
				hi = m
			}
		}
		c = 2 * lo
	}
	for c < len(t) && int(t[c]) < i {
		c += 2
	}
	w.c = c
	if c < len(t) && int(t[c]) == i && int(t[c+1]) <= len(w.b) {
		return int(t[c+1])
	}
	return -1
}

// str returns the index just past the closing quote of the string whose
// opening quote is at b[i], or len(b).
func (w *walker) str(i int) int {
	if len(w.bounds) > 0 {
		if e := w.recorded(i); e >= 0 {
			return e
		}
	}
	if e, ok := stringEnd(w.b, i+1); ok {
		return e
	}
	return len(w.b)
}

// stringEnd finds the closing quote of a JSON string from b[k], a place
// outside any escape, and returns the index just past it, true; or, when b
// ends first, a place outside any escape from which to go on once more
// bytes follow, false. A quote is found byte by byte within shortString
// bytes of where the search starts or resumes (a key, a header name, the
// next \" of an escaped JSON body: sooner than a call to IndexByte), then
// with IndexByte, a quote preceded by an odd run of backslashes being
// escaped.
func stringEnd(b []byte, k int) (int, bool) {
	for {
		for stop := min(k+shortString, len(b)); k < stop; k++ {
			if k+8 <= len(b) {
				// Eight bytes at a time up to the first quote or
				// backslash (most keys and header values hold neither).
				m := quoteOrBackslash(binary.LittleEndian.Uint64(b[k:]))
				if m == 0 {
					k += 7
					continue
				}
				k += bits.TrailingZeros64(m) >> 3
			}
			switch b[k] {
			case '"':
				return k + 1, true
			case '\\':
				k++
			}
		}
		if k > len(b) {
			return len(b) - 1, false // b ends on a backslash: resume on it
		}
		if k == len(b) {
			return k, false
		}
		j := indexQuote(b[k:])
		if j < 0 {
			// Keep a trailing backslash run in view: it decides whether the
			// next quote is escaped. Pairs cancel, so one kept is enough.
			n := 0
			for i := len(b) - 1; i >= k && b[i] == '\\'; i-- {
				n++
			}
			return len(b) - n%2, false
		}
		q := k + j
		n := 0
		for i := q - 1; i >= k && b[i] == '\\'; i-- {
			n++
		}
		if n%2 == 0 {
			return q + 1, true
		}
		k = q + 1
	}
}

// quoteOrBackslash has the high bit set of each byte of w (little-endian)
// that is a quote or a backslash; the lowest flag is exact (a higher one may
// be a borrow's false hit, never read).
func quoteOrBackslash(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q := w ^ ('"' * ones)
	e := w ^ ('\\' * ones)
	return ((q-ones)&^q | (e-ones)&^e) & highs
}

// shortString is how far a string is read byte by byte before IndexByte.
const shortString = 16

// value returns the index just past the JSON value starting at b[i].
func (w *walker) value(i int) int {
	b := w.b
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return w.str(i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = w.str(i)
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

// object walks the object that starts at b[i], calling fn with each
// member's raw key and the index where its value starts; fn returns the index
// just past the value, so it can walk a nested object in the same pass instead
// of skipping it and walking it again. object returns the index past the
// closing brace, -1 when b[i] is not an object, or len(b) when it is malformed.
func (w *walker) object(i int, fn func(key []byte, at int) int) int {
	b := w.b
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
		ke := w.str(i)
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

// objectOrSkip walks the object at b[at] with fn, or skips a value of another type.
func (w *walker) objectOrSkip(at int, fn func(key []byte, at int) int) int {
	if e := w.object(at, fn); e >= 0 {
		return e
	}
	return w.value(at)
}

// objectElements walks the array of objects at b[i] (after spaces) in one
// pass: member is called with each member of an element (raw key, raw
// value), end after each element. It reports false, having stopped, at an
// element that is not an object.
func (w *walker) objectElements(i int, member func(key, val []byte), end func()) bool {
	b := w.b
	i = skipWS(b, i)
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
		ve := w.object(i, func(key []byte, at int) int {
			e := w.value(at)
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

// endOfString returns the index just past the closing quote of the string
// whose opening quote is at b[i], or len(b).
func endOfString(b []byte, i int) int { return (&walker{b: b}).str(i) }

// endOfValue returns the index just past the JSON value starting at b[i].
func endOfValue(b []byte, i int) int { return (&walker{b: b}).value(i) }

// eachMember calls fn with each member of the object b (raw key without its
// quotes, raw value). It stops at the first malformed byte.
func eachMember(b []byte, fn func(key, val []byte)) {
	w := walker{b: b}
	w.object(skipWS(b, 0), func(key []byte, at int) int {
		ve := w.value(at)
		if ve > at {
			fn(key, b[at:ve])
		}
		return ve
	})
}

// walkObject is walker.object without recorded bounds.
func walkObject(b []byte, i int, fn func(key []byte, at int) int) int {
	return (&walker{b: b}).object(i, fn)
}

// walkOrSkip is walker.objectOrSkip without recorded bounds.
func walkOrSkip(b []byte, at int, fn func(key []byte, at int) int) int {
	return (&walker{b: b}).objectOrSkip(at, fn)
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
	out, ok := appendUnescapeSimple(make([]byte, 0, len(in)), in)
	if !ok {
		return nil, false
	}
	return out, true
}

// appendJSONText appends jsonString(raw) to dst.
func appendJSONText(dst, raw []byte) []byte {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		if out, ok := appendUnescapeSimple(dst, raw[1:len(raw)-1]); ok {
			return out
		}
	}
	return append(dst, jsonString(raw)...)
}

// appendUnescapeSimple appends unescapeSimple(in) to dst; on false, dst is
// returned as it was.
func appendUnescapeSimple(dst, in []byte) ([]byte, bool) {
	out := dst
	for {
		i := bytes.IndexByte(in, '\\')
		if i < 0 {
			return append(out, in...), true
		}
		out = append(out, in[:i]...)
		if i+1 >= len(in) {
			return dst, false
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
			return dst, false
		}
		in = in[i+2:]
	}
}
