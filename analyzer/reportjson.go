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
// TestReportJSONFields fails until it is.

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// AppendJSON appends the report as one line of compact JSON (without a
// newline) to b: the bytes encoding/json's Encoder writes with
// SetEscapeHTML(false). Every door (CLI, page, worker) uses it. A float that
// is not finite (a confidence never is) is written as null where
// encoding/json would fail.
func (r Report) AppendJSON(b []byte) []byte {
	b = append(b, `{"input":{"name":`...)
	b = appendJSONString(b, r.Input.Name, false)
	b = append(b, `,"format":`...)
	b = appendJSONString(b, r.Input.Format, false)
	b = append(b, `,"producer":`...)
	b = r.Input.Producer.appendJSON(b)
	b = append(b, `,"entries":`...)
	b = strconv.AppendInt(b, int64(r.Input.Entries), 10)
	b = append(b, `},"exchanges":`...)
	if r.Exchanges == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range r.Exchanges {
			if i > 0 {
				b = append(b, ',')
			}
			b = r.Exchanges[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	b = append(b, `,"warnings":`...)
	b = appendJSONStrings(b, r.Warnings)
	if r.Summary != nil {
		b = append(b, `,"summary":`...)
		b = r.Summary.appendJSON(b)
	}
	return append(b, '}')
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
	b = append(b, `{"index":`...)
	b = strconv.AppendInt(b, int64(e.Index), 10)
	b = append(b, `,"method":`...)
	b = appendJSONString(b, e.Method, false)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, e.URL, false)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = append(b, `,"verdict":`...)
	b = appendJSONString(b, string(e.Verdict), false)
	b = append(b, `,"confidence":`...)
	b = appendJSONFloat(b, e.Confidence)
	b = append(b, `,"vendor":`...)
	b = e.Vendor.appendJSON(b)
	b = append(b, `,"scheme":`...)
	b = e.Scheme.appendJSON(b)
	b = append(b, `,"cause":`...)
	b = e.Cause.appendJSON(b)
	if e.Reference != "" {
		b = append(b, `,"reference":`...)
		b = appendJSONString(b, e.Reference, false)
	}
	b = append(b, `,"summary":`...)
	b = appendJSONString(b, e.Summary, false)
	b = append(b, `,"evidence":`...)
	if e.Evidence == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range e.Evidence {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.Evidence[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	b = append(b, `,"fixes":`...)
	b = appendJSONFixes(b, e.Fixes)
	return append(b, '}')
}

func (ev *Evidence) appendJSON(b []byte) []byte {
	b = append(b, `{"signal":`...)
	b = appendJSONString(b, ev.Signal, false)
	b = append(b, `,"where":`...)
	b = appendJSONString(b, ev.Where, false)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, ev.Text, false)
	if ev.Entry != nil {
		b = append(b, `,"entry":`...)
		b = strconv.AppendInt(b, int64(*ev.Entry), 10)
	}
	return append(b, '}')
}

func appendJSONFixes(b []byte, fixes []Fix) []byte {
	if fixes == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range fixes {
		if i > 0 {
			b = append(b, ',')
		}
		f := &fixes[i]
		b = append(b, `{"title":`...)
		b = appendJSONString(b, f.Title, false)
		b = append(b, `,"steps":`...)
		b = appendJSONStrings(b, f.Steps)
		if len(f.Code) > 0 {
			b = append(b, `,"code":[`...)
			for j := range f.Code {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"lang":`...)
				b = appendJSONString(b, f.Code[j].Lang, false)
				b = append(b, `,"text":`...)
				b = appendJSONString(b, f.Code[j].Text, false)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func (s *Summary) appendJSON(b []byte) []byte {
	b = append(b, `{"hosts":`...)
	if s.Hosts == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range s.Hosts {
			if i > 0 {
				b = append(b, ',')
			}
			h := &s.Hosts[i]
			b = append(b, `{"host":`...)
			b = appendJSONString(b, h.Host, false)
			b = append(b, `,"requests":`...)
			b = strconv.AppendInt(b, int64(h.Requests), 10)
			b = append(b, `,"status":`...)
			b = appendJSONCounts(b, h.Status)
			b = append(b, `,"verdicts":`...)
			b = appendJSONCounts(b, h.Verdicts)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"vendors":`...)
	b = appendJSONStrings(b, s.Vendors)
	b = append(b, `,"first_failure":`...)
	if f := s.FirstFailure; f == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"index":`...)
		b = strconv.AppendInt(b, int64(f.Index), 10)
		b = append(b, `,"verdict":`...)
		b = appendJSONString(b, string(f.Verdict), false)
		b = append(b, `,"cause":`...)
		b = f.Cause.appendJSON(b)
		b = append(b, `,"summary":`...)
		b = appendJSONString(b, f.Summary, false)
		b = append(b, `,"root_entry":`...)
		if f.RootEntry == nil {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendInt(b, int64(*f.RootEntry), 10)
		}
		if f.Root != "" {
			b = append(b, `,"root":`...)
			b = appendJSONString(b, f.Root, false)
		}
		b = append(b, '}')
	}
	b = append(b, `,"first_block":`...)
	if k := s.FirstBlock; k == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"index":`...)
		b = strconv.AppendInt(b, int64(k.Index), 10)
		b = append(b, `,"host":`...)
		b = appendJSONString(b, k.Host, false)
		if k.Vendor != "" {
			b = append(b, `,"vendor":`...)
			b = appendJSONString(b, k.Vendor, false)
		}
		if k.Time != "" {
			b = append(b, `,"time":`...)
			b = appendJSONString(b, k.Time, false)
		}
		b = append(b, `,"before":`...)
		b = strconv.AppendInt(b, int64(k.Before), 10)
		b = append(b, '}')
	}
	b = append(b, `,"sanitized":`...)
	b = strconv.AppendBool(b, s.Sanitized)
	if len(s.Caveats) > 0 {
		b = append(b, `,"caveats":`...)
		b = appendJSONStrings(b, s.Caveats)
	}
	return append(b, '}')
}

// appendJSONCounts writes a map[string]int as an object with sorted keys.
func appendJSONCounts(b []byte, m map[string]int) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	var buf [16]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k, false)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(m[k]), 10)
	}
	return append(b, '}')
}

func appendJSONStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s, false)
	}
	return append(b, ']')
}

// appendJSONFloat writes f as encoding/json does (an ES6 number); a NaN or
// an infinity, which JSON cannot carry, as null.
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
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
		return append(b, "null"...)
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
	b = append(b, `{"error":`...)
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
			b = append(b, `\ufffd`...)
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
		switch {
		case c == '"':
			return string(out), i == len(b)-1
		case c < 0x20:
			return "", false
		case c == '\\':
			if i+1 >= len(b) {
				return "", false
			}
			switch e := b[i+1]; e {
			case '"', '\\', '/':
				out = append(out, e)
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
				r := hex4(b[i+2:])
				if r < 0 {
					return "", false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if len(b) >= i+2 && b[i] == '\\' && b[i+1] == 'u' {
						if r2 := hex4(b[i+2:]); r2 >= 0 {
							if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
								out = utf8.AppendRune(out, d)
								i += 6
								continue
							}
						}
					}
					r = utf8.RuneError
				}
				out = utf8.AppendRune(out, r)
				continue
			default:
				return "", false
			}
			i += 2
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			out = utf8.AppendRune(out, r)
			i += size
		}
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
