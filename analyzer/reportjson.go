package analyzer

// The report's JSON, written by hand: no encoding/json, no reflection, no
// fmt, so the page's wasm does not link them. The bytes are exactly those
// of encoding/json's Encoder with SetEscapeHTML(false), minus Encode's
// trailing newline (reportjson_test.go proves it on every golden case, the
// real captures and fuzzed reports). What encoding/json does and this file
// copies:
//   - fields in declaration order, under their json tag names; omitempty
//     drops "", nil pointers and empty slices;
//   - a nil slice or map is null, an empty one is [] or {};
//   - map keys are sorted by their bytes;
//   - floats as ES6 numbers: 'f' formatting, 'e' below 1e-6 and from 1e21
//     on, with the exponent's leading zero dropped (1e-07 → 1e-7);
//   - strings: \" \\ \b \f \n \r \t, other control bytes as \u00XX, invalid
//     UTF-8 as \ufffd, U+2028 and U+2029 as \u2028 and \u2029;
//   - OptString values also escape < > & (\u003c \u003e \u0026): their
//     MarshalJSON always did (it called json.Marshal, which escapes HTML, and
//     the Encoder does not undo it).
//
// When a struct of the report gains a field, it must be added here too:
// TestReportJSONRandom fills every field by reflection and fails until it is.

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// AppendJSON appends the report as one line of compact JSON (without a
// newline) to b: the bytes encoding/json's Encoder writes with
// SetEscapeHTML(false). Every door (CLI, page, worker) uses it. A float that
// is not finite (a confidence never is) is written as null where
// encoding/json would fail.
//
// The code is written for size as much as for speed: it goes to the page's
// wasm, where every inlined append costs; hence the small helpers below,
// kept out of line.
func (r Report) AppendJSON(b []byte) []byte {
	b = appendStringField(b, `{"input":{"name":`, r.Input.Name)
	b = appendStringField(b, `,"format":`, r.Input.Format)
	b = appendOptField(b, `,"producer":`, r.Input.Producer)
	b = appendIntField(b, `,"entries":`, r.Input.Entries)
	b = appendList(appendRaw(b, `},"exchanges":`), len(r.Exchanges), r.Exchanges == nil, func(b []byte, i int) []byte { return r.Exchanges[i].appendJSON(b) })
	b = appendStrings(appendRaw(b, `,"warnings":`), r.Warnings)
	if r.Summary != nil {
		b = r.Summary.appendJSON(appendRaw(b, `,"summary":`))
	}
	return appendRaw(b, "}")
}

// MarshalJSON makes encoding/json use AppendJSON: the same bytes as its own
// reflection would give, sooner. It fails on a float that is not finite,
// as encoding/json does.
func (r Report) MarshalJSON() ([]byte, error) {
	for i := range r.Exchanges {
		if c := r.Exchanges[i].Confidence; math.IsNaN(c) || math.IsInf(c, 0) {
			return nil, errors.New("analyzer: unsupported value: " + strconv.FormatFloat(c, 'g', -1, 64))
		}
	}
	return r.AppendJSON(make([]byte, 0, 512*len(r.Exchanges)+256)), nil
}

func (e *ExchangeReport) appendJSON(b []byte) []byte {
	b = appendIntField(b, `{"index":`, e.Index)
	b = appendStringField(b, `,"method":`, e.Method)
	b = appendStringField(b, `,"url":`, e.URL)
	b = appendIntField(b, `,"status":`, e.Status)
	b = appendStringField(b, `,"verdict":`, string(e.Verdict))
	b = appendJSONFloat(appendRaw(b, `,"confidence":`), e.Confidence)
	b = appendOptField(b, `,"vendor":`, e.Vendor)
	b = appendOptField(b, `,"scheme":`, e.Scheme)
	b = appendOptField(b, `,"cause":`, e.Cause)
	if e.Reference != "" {
		b = appendStringField(b, `,"reference":`, e.Reference)
	}
	b = appendStringField(b, `,"summary":`, e.Summary)
	b = appendList(appendRaw(b, `,"evidence":`), len(e.Evidence), e.Evidence == nil, func(b []byte, i int) []byte { return e.Evidence[i].appendJSON(b) })
	b = appendList(appendRaw(b, `,"fixes":`), len(e.Fixes), e.Fixes == nil, func(b []byte, i int) []byte { return e.Fixes[i].appendJSON(b) })
	return appendRaw(b, "}")
}

func (ev *Evidence) appendJSON(b []byte) []byte {
	b = appendStringField(b, `{"signal":`, ev.Signal)
	b = appendStringField(b, `,"where":`, ev.Where)
	b = appendStringField(b, `,"text":`, ev.Text)
	if ev.Entry != nil {
		b = appendIntField(b, `,"entry":`, *ev.Entry)
	}
	return appendRaw(b, "}")
}

func (f *Fix) appendJSON(b []byte) []byte {
	b = appendStringField(b, `{"title":`, f.Title)
	b = appendStrings(appendRaw(b, `,"steps":`), f.Steps)
	if len(f.Code) > 0 {
		b = appendList(appendRaw(b, `,"code":`), len(f.Code), f.Code == nil, func(b []byte, i int) []byte { return f.Code[i].appendJSON(b) })
	}
	return appendRaw(b, "}")
}

func (c *Snippet) appendJSON(b []byte) []byte {
	b = appendStringField(b, `{"lang":`, c.Lang)
	b = appendStringField(b, `,"text":`, c.Text)
	return appendRaw(b, "}")
}

func (s *Summary) appendJSON(b []byte) []byte {
	b = appendList(appendRaw(b, `{"hosts":`), len(s.Hosts), s.Hosts == nil, func(b []byte, i int) []byte { return s.Hosts[i].appendJSON(b) })
	b = appendStrings(appendRaw(b, `,"vendors":`), s.Vendors)
	b = appendRaw(b, `,"first_failure":`)
	if f := s.FirstFailure; f == nil {
		b = appendRaw(b, "null")
	} else {
		b = appendIntField(b, `{"index":`, f.Index)
		b = appendStringField(b, `,"verdict":`, string(f.Verdict))
		b = appendOptField(b, `,"cause":`, f.Cause)
		b = appendStringField(b, `,"summary":`, f.Summary)
		if f.RootEntry == nil {
			b = appendRaw(b, `,"root_entry":null`)
		} else {
			b = appendIntField(b, `,"root_entry":`, *f.RootEntry)
		}
		if f.Root != "" {
			b = appendStringField(b, `,"root":`, f.Root)
		}
		b = appendRaw(b, "}")
	}
	b = appendRaw(b, `,"first_block":`)
	if k := s.FirstBlock; k == nil {
		b = appendRaw(b, "null")
	} else {
		b = appendIntField(b, `{"index":`, k.Index)
		b = appendStringField(b, `,"host":`, k.Host)
		if k.Vendor != "" {
			b = appendStringField(b, `,"vendor":`, k.Vendor)
		}
		if k.Time != "" {
			b = appendStringField(b, `,"time":`, k.Time)
		}
		b = appendIntField(b, `,"before":`, k.Before)
		b = appendRaw(b, "}")
	}
	if s.Sanitized {
		b = appendRaw(b, `,"sanitized":true`)
	} else {
		b = appendRaw(b, `,"sanitized":false`)
	}
	if len(s.Caveats) > 0 {
		b = appendStrings(appendRaw(b, `,"caveats":`), s.Caveats)
	}
	return appendRaw(b, "}")
}

func (h *HostSummary) appendJSON(b []byte) []byte {
	b = appendStringField(b, `{"host":`, h.Host)
	b = appendIntField(b, `,"requests":`, h.Requests)
	b = appendCounts(appendRaw(b, `,"status":`), h.Status)
	b = appendCounts(appendRaw(b, `,"verdicts":`), h.Verdicts)
	return appendRaw(b, "}")
}

// appendList writes a slice as encoding/json does: null when nil, else
// [e0,e1,…] with each element written by elem.
func appendList(b []byte, n int, isNil bool, elem func(b []byte, i int) []byte) []byte {
	if isNil {
		return appendRaw(b, "null")
	}
	b = appendRaw(b, "[")
	for i := range n {
		if i > 0 {
			b = appendRaw(b, ",")
		}
		b = elem(b, i)
	}
	return appendRaw(b, "]")
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return appendRaw(b, "null")
	}
	b = appendRaw(b, "[")
	for i, s := range ss {
		if i > 0 {
			b = appendRaw(b, ",")
		}
		b = appendJSONString(b, s, false)
	}
	return appendRaw(b, "]")
}

// appendCounts writes a map[string]int as an object with sorted keys.
func appendCounts(b []byte, m map[string]int) []byte {
	if m == nil {
		return appendRaw(b, "null")
	}
	var buf [16]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i == 0 {
			b = appendRaw(b, "{")
		} else {
			b = appendRaw(b, ",")
		}
		b = appendIntField(appendJSONString(b, k, false), ":", m[k])
	}
	if len(keys) == 0 {
		return appendRaw(b, "{}")
	}
	return appendRaw(b, "}")
}

//go:noinline
func appendRaw(b []byte, s string) []byte { return append(b, s...) }

//go:noinline
func appendStringField(b []byte, key, s string) []byte {
	return appendJSONString(append(b, key...), s, false)
}

//go:noinline
func appendIntField(b []byte, key string, n int) []byte {
	return strconv.AppendInt(append(b, key...), int64(n), 10)
}

//go:noinline
func appendOptField(b []byte, key string, s OptString) []byte {
	return s.appendJSON(append(b, key...))
}

// appendJSONFloat writes f as encoding/json does (an ES6 number); a NaN or
// an infinity, which JSON cannot carry, as null.
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return appendRaw(b, "null")
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 → 1e-7
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSON writes null for "", else the string with < > & escaped too
// (see the top of this file).
func (s OptString) appendJSON(b []byte) []byte {
	if s == "" {
		return appendRaw(b, "null")
	}
	return appendJSONString(b, string(s), true)
}

// MarshalJSON writes null for "".
func (s OptString) MarshalJSON() ([]byte, error) {
	return s.appendJSON(nil), nil
}

// UnmarshalJSON reads null as "" and a JSON string as its text, as
// encoding/json would (invalid UTF-8 and lone surrogates become U+FFFD).
func (s *OptString) UnmarshalJSON(b []byte) error {
	*s = ""
	b = trimJSONSpace(b)
	if string(b) == "null" {
		return nil
	}
	v, ok := unquoteJSON(b)
	if !ok {
		return errors.New("analyzer: OptString: want a JSON string or null, got " + strconv.Quote(string(b)))
	}
	*s = OptString(v)
	return nil
}

// AppendJSONError appends {"error":msg}: the error body of the page and the
// worker, byte for byte what json.Marshal(map[string]string{"error": msg})
// gives (which escapes < > & too).
func AppendJSONError(b []byte, msg string) []byte {
	b = appendRaw(b, `{"error":`)
	b = appendJSONString(b, msg, true)
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// jsonPlain[c] is set for the ASCII bytes a JSON string carries as they
// are; jsonPlainHTML is the same less < > &.
var jsonPlain, jsonPlainHTML = func() (plain, html [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		if c != '"' && c != '\\' {
			plain[c] = true
			html[c] = c != '<' && c != '>' && c != '&'
		}
	}
	return
}()

const lo8, hi8 = 0x0101010101010101, 0x8080808080808080

// appendJSONString appends s quoted as encoding/json does, escaping < > &
// when html is set (json.Marshal) and not otherwise (SetEscapeHTML(false)).
func appendJSONString(b []byte, s string, html bool) []byte {
	plain := &jsonPlain
	if html {
		plain = &jsonPlainHTML
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if !html {
			// Skip 8 plain bytes at a time: none < 0x20, no '"', no '\\',
			// none ≥ 0x80 (a multi-byte rune is checked below). (v -
			// n*lo8) &^ v & hi8 is nonzero iff some byte of v is below n
			// (n ≤ 0x80): the classic "has less", for n = 1 "has zero".
			for i+8 <= len(s) {
				w := s[i : i+8]
				x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
					uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
				q, bs := x^(lo8*'"'), x^(lo8*'\\')
				if ((x-lo8*0x20)&^x|(q-lo8)&^q|(bs-lo8)&^bs|x)&hi8 != 0 {
					break
				}
				i += 8
			}
			if i == len(s) {
				break
			}
		}
		c := s[i]
		if plain[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = appendRaw(b, `\ufffd`)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func trimJSONSpace(b []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// unquoteJSON decodes one JSON string literal (quotes included, nothing
// after it) as encoding/json does; ok is false if b is not one.
func unquoteJSON(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' {
		return "", false
	}
	out := make([]byte, 0, len(b))
	for i := 1; i < len(b); {
		c := b[i]
		var r rune
		switch {
		case c == '"':
			return string(out), i == len(b)-1
		case c < 0x20:
			return "", false
		case c < utf8.RuneSelf && c != '\\':
			out = append(out, c)
			i++
			continue
		case c != '\\':
			// Invalid UTF-8 decodes to U+FFFD, byte by byte.
			var size int
			r, size = utf8.DecodeRune(b[i:])
			i += size
		case i+1 == len(b):
			return "", false
		case b[i+1] == 'u':
			if r = hex4(b[i+2:]); r < 0 {
				return "", false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				// A pair, or U+FFFD for the first half alone.
				r2 := rune(-1)
				if len(b) >= i+2 && b[i] == '\\' && b[i+1] == 'u' {
					r2 = hex4(b[i+2:])
				}
				if r = utf16.DecodeRune(r, r2); r != utf8.RuneError {
					i += 6
				}
			}
		default:
			k := strings.IndexByte(`"\/bfnrt`, b[i+1])
			if k < 0 {
				return "", false
			}
			r = rune("\"\\/\b\f\n\r\t"[k])
			i += 2
		}
		out = utf8.AppendRune(out, r)
	}
	return "", false
}

// hex4 reads the 4 hex digits at the start of b, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
