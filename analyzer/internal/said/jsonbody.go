package said

import (
	"strings"

	"github.com/tidwall/gjson"
)

// jsonBody is a JSON body's top-level members, read in one pass, for the
// paths of said.json (57 of them: message, code and request-id paths).
// gjson.GetBytes per path walked the whole body again for each one, every
// string in it scanned byte by byte: a 401 with a 1.4 KB "error" string was
// scanned ~60 times, 14 % of a 5 MB HAR's CPU in the worker's wasm
// (bench/worker.sh's HAR, node --cpu-prof). Get answers as gjson.GetBytes
// does on the same body: the first member of a name, nested paths read
// inside that member's value.
type jsonBody struct {
	body   []byte
	object bool
	names  []string
	values []gjson.Result
}

// newJSONBody indexes body, a valid JSON document (capture.ValidJSON).
func newJSONBody(body []byte) *jsonBody {
	j := &jsonBody{body: body}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return j
	}
	j.object = true
	root.ForEach(func(k, v gjson.Result) bool {
		name := k.String()
		for _, n := range j.names {
			if n == name {
				return true // gjson answers the first member of a name
			}
		}
		j.names = append(j.names, name)
		j.values = append(j.values, v)
		return true
	})
	return j
}

// Get is gjson.GetBytes(body, path).
func (j *jsonBody) Get(path string) gjson.Result {
	if !j.object || strings.ContainsAny(path, `\*?|#@!=<>%[]{}(),"`) {
		return gjson.GetBytes(j.body, path) // arrays and path syntax: gjson itself
	}
	first, rest, nested := strings.Cut(path, ".")
	for i, n := range j.names {
		if n != first {
			continue
		}
		if !nested {
			return j.values[i]
		}
		return gjson.Get(j.values[i].Raw, rest)
	}
	return gjson.Result{}
}
