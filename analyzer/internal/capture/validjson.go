package capture

import (
	"unsafe"

	"github.com/tidwall/gjson"
)

// ValidJSON is gjson.ValidBytes with the nesting depth bounded first
// (Limits.Depth's default, 256), by a loop: gjson's validator recurses once
// per level, and under js/wasm each Go call is a frame on the JS engine's
// own stack, so a response body of 20,000 nested brackets threw "Maximum
// call stack size exceeded" out of the page's and the npm package's
// analyzer (issue 31; the hostile input body-json-nested-20000). Every
// gjson.Valid of a body or a header value goes through it.
func ValidJSON(b []byte) bool {
	return shallowJSON(b, defaultLimits.Depth) && gjson.ValidBytes(b)
}

// ValidJSONString is ValidJSON of a string (not copied).
func ValidJSONString(s string) bool {
	return ValidJSON(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// shallowJSON tells that b nests brackets at most max deep (strings skipped).
func shallowJSON(b []byte, max int) bool {
	depth := 0
	for i := 0; i < len(b); {
		switch b[i] {
		case '"':
			i = endOfString(b, i)
			continue
		case '{', '[':
			depth++
			if depth > max {
				return false
			}
		case '}', ']':
			depth--
		}
		i++
	}
	return true
}
