// Package jsonfill decodes JSON into Go values through gjson, for the
// knowledge the analyzer embeds (analyzer/internal/knowledge, the diff's
// knowledge.json). It is the subset of encoding/json's Unmarshal those files
// need: structs by their json tags (exact key, "-" skipped, embedded structs
// promoted), slices, maps with string keys, strings, bools, ints, floats,
// pointers; null leaves a value as it is (a slice, map or pointer nil).
//
// Why not encoding/json: the page's wasm links it only for these files, and
// without it the page is ~50 KB gzip lighter (docs/performance.md); gjson is
// linked anyway. It is also the faster of the two on the embedded files, a
// process's first-analysis cost (bench/startup.sh).
//
// It is strict as the knowledge loaders want it: an unknown key, a value of
// the wrong type, an integer that is not one, or malformed JSON is an error
// naming the key's path. The knowledge tests decode every embedded file with
// encoding/json (DisallowUnknownFields) as well and require the same value.
package jsonfill

import (
	"errors"
	"reflect"
	"strconv"
	"sync"

	"github.com/tidwall/gjson"
)

// Unmarshal decodes data, a JSON text, into the value v points to.
//
// gjson.Valid checks the whole text first (so malformed JSON is reported as
// such, before any type error); then one pass of decoder walks the text
// once, storing each value straight into its field. (Filling through
// gjson.Result.ForEach scanned every nested value once per level above it
// and each array twice: the knowledge loaders' main start-up cost,
// bench/startup.sh.)
func Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("jsonfill: Unmarshal needs a non-nil pointer")
	}
	s := string(data)
	if !gjson.Valid(s) {
		return errors.New("jsonfill: invalid JSON")
	}
	d := decoder{s: s}
	if err := d.fill(rv.Elem()); err != nil {
		var pe *pathError
		if errors.As(err, &pe) {
			at := pe.at
			if at == "" {
				at = "(top)"
			}
			return errors.New("jsonfill: " + at + ": " + pe.msg)
		}
		return err
	}
	return nil
}

// pathError is a failure at a key path, built while fill unwinds (so a
// success never pays for the path).
type pathError struct{ at, msg string }

func (e *pathError) Error() string { return e.at + ": " + e.msg }

// under puts err below key (".name" or "[3]").
func under(err error, key string) error {
	if pe, ok := err.(*pathError); ok {
		pe.at = key + pe.at
	}
	return err
}

// fields maps a struct type's JSON keys to field index paths.
var fields sync.Map // reflect.Type → map[string][]int

func fieldsOf(t reflect.Type) map[string][]int {
	if m, ok := fields.Load(t); ok {
		return m.(map[string][]int)
	}
	m := map[string][]int{}
	for _, f := range reflect.VisibleFields(t) {
		tag, hasTag := f.Tag.Lookup("json")
		name := tag
		for i := 0; i < len(tag); i++ {
			if tag[i] == ',' {
				name = tag[:i]
				break
			}
		}
		switch {
		case !f.IsExported() || tag == "-":
			continue
		case f.Anonymous && !hasTag && f.Type.Kind() == reflect.Struct:
			continue // its fields are promoted: VisibleFields lists them
		case name == "":
			name = f.Name
		}
		if _, dup := m[name]; !dup || len(f.Index) < len(m[name]) {
			m[name] = f.Index
		}
	}
	fields.Store(t, m)
	return m
}

// decoder reads a JSON text that gjson.Valid accepted, from i on.
type decoder struct {
	s string
	i int
}

func (d *decoder) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek is the first byte of the next value (after blanks).
func (d *decoder) peek() byte {
	d.ws()
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

// str reads a string value (d.i at its quote): the text, unescaped.
func (d *decoder) str() string {
	start := d.i
	d.i++
	escaped := false
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case '\\':
			escaped = true
			d.i += 2
			continue
		case '"':
			d.i++
			if !escaped {
				return d.s[start+1 : d.i-1]
			}
			return gjson.Parse(d.s[start:d.i]).Str
		}
		d.i++
	}
	return ""
}

// scalar reads a number or a literal (true, false, null): its text.
func (d *decoder) scalar() string {
	start := d.i
	for d.i < len(d.s) {
		switch c := d.s[d.i]; {
		case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == 'E':
			d.i++
			continue
		}
		break
	}
	return d.s[start:d.i]
}

// count is the number of elements of the array at d.i: its commas at
// depth one, a scan of bytes that allocates nothing.
func (d *decoder) count() int {
	n, depth, empty := 0, 0, true
	for i := d.i; i < len(d.s); i++ {
		switch c := d.s[i]; c {
		case '"':
			for i++; i < len(d.s) && d.s[i] != '"'; i++ {
				if d.s[i] == '\\' {
					i++
				}
			}
			empty = false
		case '[', '{':
			depth++
			if depth > 1 {
				empty = false
			}
		case ']', '}':
			depth--
			if depth == 0 {
				if empty {
					return 0
				}
				return n + 1
			}
		case ',':
			if depth == 1 {
				n++
			}
		case ' ', '\t', '\n', '\r':
		default:
			empty = false
		}
	}
	return n
}

// next moves to the next element of the array or object being read (d.i
// after its bracket or after an element): false at its closing bracket,
// which it passes. (A loop, not a callback per element: closures weigh in
// the page's wasm.)
func (d *decoder) next() bool {
	c := d.peek()
	if c == ',' {
		d.i++
		c = d.peek()
	}
	if c == ']' || c == '}' {
		d.i++
		return false
	}
	return true
}

// key reads an object member's key and the colon after it.
func (d *decoder) key() string {
	k := d.str()
	d.peek()
	d.i++
	return k
}

// kind names the JSON value at d.i, for the messages.
func (d *decoder) kind() string {
	switch c := d.peek(); {
	case c == '"':
		return "string"
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == 't' || c == 'f':
		return "bool"
	case c == 'n':
		return "value"
	}
	return "number"
}

// fill stores the value at d.i in v and moves past it.
func (d *decoder) fill(v reflect.Value) error {
	c := d.peek()
	if c == 'n' {
		d.scalar()
		switch v.Kind() {
		case reflect.Slice, reflect.Map, reflect.Pointer:
			v.SetZero()
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.fill(v.Elem())
	case reflect.String:
		if c != '"' {
			return d.mismatch(v)
		}
		v.SetString(d.str())
	case reflect.Bool:
		if c != 't' && c != 'f' {
			return d.mismatch(v)
		}
		v.SetBool(d.scalar() == "true")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if c != '-' && (c < '0' || c > '9') {
			return d.mismatch(v)
		}
		raw := d.scalar()
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || v.OverflowInt(n) {
			return &pathError{msg: raw + " is not a " + v.Type().String()}
		}
		v.SetInt(n)
	case reflect.Float32, reflect.Float64:
		if c != '-' && (c < '0' || c > '9') {
			return d.mismatch(v)
		}
		n, _ := strconv.ParseFloat(d.scalar(), 64)
		v.SetFloat(n)
	case reflect.Slice:
		if c != '[' {
			return d.mismatch(v)
		}
		c := d.count()
		s := reflect.MakeSlice(v.Type(), c, c)
		d.i++
		for n := 0; d.next(); n++ {
			if err := d.fill(s.Index(n)); err != nil {
				return under(err, "["+strconv.Itoa(n)+"]")
			}
		}
		v.Set(s)
	case reflect.Map:
		if c != '{' || v.Type().Key().Kind() != reflect.String {
			return d.mismatch(v)
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		kt, et := v.Type().Key(), v.Type().Elem()
		d.i++
		for d.next() {
			k := d.key()
			ev := reflect.New(et).Elem()
			if err := d.fill(ev); err != nil {
				return under(err, "."+k)
			}
			v.SetMapIndex(reflect.ValueOf(k).Convert(kt), ev)
		}
	case reflect.Struct:
		if c != '{' {
			return d.mismatch(v)
		}
		fs := fieldsOf(v.Type())
		d.i++
		for d.next() {
			k := d.key()
			idx, ok := fs[k]
			if !ok {
				return &pathError{msg: "unknown field " + strconv.Quote(k)}
			}
			if err := d.fill(v.FieldByIndex(idx)); err != nil {
				return under(err, "."+k)
			}
		}
	default:
		return &pathError{msg: "cannot decode into " + v.Type().String()}
	}
	return nil
}

func (d *decoder) mismatch(v reflect.Value) error {
	return &pathError{msg: "cannot put a JSON " + d.kind() + " into a " + v.Type().String()}
}
