package said

import (
	"strings"

	"github.com/tidwall/gjson"
)

// JSONBody is a JSON body's top-level members, read in one pass, for the
// paths of said.json (57 of them: message, code and request-id paths).
// gjson.GetBytes per path walked the whole body again for each one, every
// string in it scanned byte by byte: a 401 with a 1.4 KB "error" string was
// scanned ~60 times, 14 % of a 5 MB HAR's CPU in the worker's wasm
// (bench/worker.sh's HAR, node --cpu-prof). Get answers as gjson.GetBytes
// does on the same body: the first member of a name; a nested path read in
// the first member of that name, object or array, that holds it (gjson goes
// on past a string "error" to a later "error": {…}).
type JSONBody struct {
	body   []byte
	object bool
	names  []string
	values []gjson.Result
}

// NewJSONBody indexes body, a valid JSON document (capture.ValidJSON).
func NewJSONBody(body []byte) *JSONBody {
	j := &JSONBody{body: body}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return j
	}
	j.object = true
	root.ForEach(func(k, v gjson.Result) bool {
		j.names = append(j.names, k.String())
		j.values = append(j.values, v)
		return true
	})
	return j
}

// Get is gjson.GetBytes(body, path).
func (j *JSONBody) Get(path string) gjson.Result {
	if !j.object || strings.ContainsAny(path, `\*?|#@!=<>%[]{}(),"`) {
		return gjson.GetBytes(j.body, path) // arrays and path syntax: gjson itself
	}
	first, rest, nested := strings.Cut(path, ".")
	for i, n := range j.names {
		if n != first {
			continue
		}
		v := j.values[i]
		if !nested {
			return v
		}
		// Only an object or an array holds a nested path: gjson.Get on a
		// string's Raw would scan it for a '{' (and could find one in it).
		if v.IsObject() || v.IsArray() {
			if r := gjson.Get(v.Raw, rest); r.Exists() {
				return r
			}
		}
	}
	return gjson.Result{}
}
