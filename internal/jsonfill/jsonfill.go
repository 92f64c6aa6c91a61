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
func Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("jsonfill: Unmarshal needs a non-nil pointer")
	}
	s := string(data)
	if !gjson.Valid(s) {
		return errors.New("jsonfill: invalid JSON")
	}
	if err := fill(rv.Elem(), gjson.Parse(s)); err != nil {
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

// fill stores r in v.
func fill(v reflect.Value, r gjson.Result) error {
	if r.Type == gjson.Null {
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
		return fill(v.Elem(), r)
	case reflect.String:
		if r.Type != gjson.String {
			return mismatch(r, v)
		}
		v.SetString(r.Str)
	case reflect.Bool:
		if r.Type != gjson.True && r.Type != gjson.False {
			return mismatch(r, v)
		}
		v.SetBool(r.Type == gjson.True)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if r.Type != gjson.Number {
			return mismatch(r, v)
		}
		n, err := strconv.ParseInt(r.Raw, 10, 64)
		if err != nil || v.OverflowInt(n) {
			return &pathError{msg: r.Raw + " is not a " + v.Type().String()}
		}
		v.SetInt(n)
	case reflect.Float32, reflect.Float64:
		if r.Type != gjson.Number {
			return mismatch(r, v)
		}
		v.SetFloat(r.Num)
	case reflect.Slice:
		if !r.IsArray() {
			return mismatch(r, v)
		}
		n := 0
		r.ForEach(func(_, _ gjson.Result) bool { n++; return true })
		s := reflect.MakeSlice(v.Type(), n, n)
		var err error
		i := 0
		r.ForEach(func(_, e gjson.Result) bool {
			if err = fill(s.Index(i), e); err != nil {
				err = under(err, "["+strconv.Itoa(i)+"]")
			}
			i++
			return err == nil
		})
		if err != nil {
			return err
		}
		v.Set(s)
	case reflect.Map:
		if !r.IsObject() || v.Type().Key().Kind() != reflect.String {
			return mismatch(r, v)
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		et := v.Type().Elem()
		var err error
		r.ForEach(func(k, e gjson.Result) bool {
			ev := reflect.New(et).Elem()
			if err = fill(ev, e); err != nil {
				err = under(err, "."+k.Str)
			} else {
				v.SetMapIndex(reflect.ValueOf(k.Str).Convert(v.Type().Key()), ev)
			}
			return err == nil
		})
		return err
	case reflect.Struct:
		if !r.IsObject() {
			return mismatch(r, v)
		}
		fs := fieldsOf(v.Type())
		var err error
		r.ForEach(func(k, e gjson.Result) bool {
			idx, ok := fs[k.Str]
			if !ok {
				err = &pathError{msg: "unknown field " + strconv.Quote(k.Str)}
				return false
			}
			if err = fill(v.FieldByIndex(idx), e); err != nil {
				err = under(err, "."+k.Str)
			}
			return err == nil
		})
		return err
	default:
		return &pathError{msg: "cannot decode into " + v.Type().String()}
	}
	return nil
}

func mismatch(r gjson.Result, v reflect.Value) error {
	what := "value"
	switch r.Type {
	case gjson.String:
		what = "string"
	case gjson.Number:
		what = "number"
	case gjson.True, gjson.False:
		what = "bool"
	case gjson.JSON:
		what = "object"
		if r.IsArray() {
			what = "array"
		}
	}
	return &pathError{msg: "cannot put a JSON " + what + " into a " + v.Type().String()}
}
