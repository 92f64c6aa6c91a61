package knowledge

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"

	"why401/internal/jsonfill"
)

// Decode* (the tests' and the file checks') decode a knowledge file strictly
// with encoding/json: an unknown key, a wrong type, malformed JSON, trailing
// data or bytes that are not UTF-8 fail with the file's name and, for a
// syntax error, the line and column.

// load decodes data, the embedded file named file, into v, as the loaders
// (Vendors, APIs, …) do at run time: with jsonfill, not encoding/json, which
// keeps encoding/json out of the page's wasm and is faster. The files are
// embedded, so the strict decoding (Decode*, encoding/json) is the knowledge
// tests' (TestLoadMatchesStrict: the same values from both).
func load(file string, data []byte, v any) error {
	if err := jsonfill.Unmarshal(data, v); err != nil {
		return errors.New("analyzer: " + file + ": " + err.Error())
	}
	return nil
}

// decodeKnowledge decodes data, the file named file, into v.
func decodeKnowledge(file string, data []byte, v any) error {
	if !utf8.Valid(data) {
		return errors.New("analyzer: " + file + ": not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("trailing data after the top-level value")
		}
	}
	if err == nil {
		return nil
	}
	where := file
	var se *json.SyntaxError
	if errors.As(err, &se) {
		where += ":" + lineCol(data, se.Offset)
	} else if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		where += ":" + lineCol(data, int64(len(data))+1)
		err = errors.New("unexpected end of JSON input")
	}
	return errors.New("analyzer: " + where + ": " + err.Error())
}

// lineCol gives the line and column (1-based) of the byte that ends the
// first off bytes of data, as json.SyntaxError's Offset counts.
func lineCol(data []byte, off int64) string {
	off = min(max(off, 1), int64(len(data))+1)
	before := data[:off-1]
	line := 1 + bytes.Count(before, []byte("\n"))
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// DecodeVendorFile reads vendors/<name>.
func DecodeVendorFile(file string, data []byte) (VendorFile, error) {
	var f VendorFile
	err := decodeKnowledge(file, data, &f)
	return f, err
}

// DecodeAPIFile reads apis/<name>.
func DecodeAPIFile(file string, data []byte) (APIFile, error) {
	var f APIFile
	err := decodeKnowledge(file, data, &f)
	return f, err
}

// DecodeGenericFixes reads fixes.json: an array of generic fixes.
func DecodeGenericFixes(file string, data []byte) ([]GenericFix, error) {
	var out []GenericFix
	err := decodeKnowledge(file, data, &out)
	return out, err
}

// DecodeCauses reads causes.json: an array of causes.
func DecodeCauses(file string, data []byte) ([]Cause, error) {
	var out []Cause
	err := decodeKnowledge(file, data, &out)
	return out, err
}
