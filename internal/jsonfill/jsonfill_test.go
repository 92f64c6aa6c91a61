package jsonfill

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tidwall/gjson"
)

type inner struct {
	N int     `json:"n"`
	F float64 `json:"f,omitempty"`
}

type embedded struct {
	E string `json:"e"`
}

type outer struct {
	embedded
	S    string              `json:"s"`
	B    bool                `json:"b"`
	L    []inner             `json:"l"`
	M    map[string][]string `json:"m"`
	P    *inner              `json:"p"`
	Skip string              `json:"-"`
	Bare string
}

// TestUnmarshalMatchesEncodingJSON: on the shapes the knowledge files use,
// Unmarshal gives what encoding/json gives.
func TestUnmarshalMatchesEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{"e":"x","s":"a\"b\u00e9","b":true,"l":[{"n":1,"f":2.5},{"n":-3}],"m":{"k":["v","w"],"z":[]},"p":{"n":7},"Bare":"y"}`,
		`{"s":null,"l":null,"m":null,"p":null}`,
		`{}`,
	} {
		var want, got outer
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		if err := Unmarshal([]byte(in), &got); err != nil {
			t.Fatalf("Unmarshal(%s): %v", in, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Unmarshal(%s) = %+v, want %+v", in, got, want)
		}
	}
}

func TestUnmarshalErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{"s":1}`:                          `jsonfill: .s: cannot put a JSON number into a string`,
		`{"l":[{"n":1.5}]}`:                `jsonfill: .l[0].n: 1.5 is not a int`,
		`{"l":[{"x":1}]}`:                  `jsonfill: .l[0]: unknown field "x"`,
		`{"Skip":"x"}`:                     `jsonfill: (top): unknown field "Skip"`,
		`{"m":{"k":"v"}}`:                  `jsonfill: .m.k: cannot put a JSON string into a []string`,
		`{"s":"a"`:                         `jsonfill: invalid JSON`,
		`[1]`:                              `jsonfill: (top): cannot put a JSON array into a jsonfill.outer`,
		`{"b":"true"}`:                     `jsonfill: .b: cannot put a JSON string into a bool`,
		`{"p":{"n":99999999999999999999}}`: `jsonfill: .p.n: 99999999999999999999 is not a int`,
	} {
		var v outer
		if err := Unmarshal([]byte(in), &v); err == nil || err.Error() != want {
			t.Errorf("Unmarshal(%s) = %v, want %s", in, err, want)
		}
	}
}

// TestGJSONModifiers: gjson's @ugly and @pretty work through why401's own
// github.com/tidwall/pretty (internal/gjsonpretty, go.mod's replace).
func TestGJSONModifiers(t *testing.T) {
	in := `{ "b" : [1, 2, {"x":"a b"}], "a":"q\"}", "c":{} }`
	if got, want := gjson.Get(in, "@ugly").Raw, `{"b":[1,2,{"x":"a b"}],"a":"q\"}","c":{}}`; got != want {
		t.Errorf("@ugly = %s, want %s", got, want)
	}
	want := "{\n  \"a\": \"q\\\"}\",\n  \"b\": [\n    1,\n    2,\n    {\n      \"x\": \"a b\"\n    }\n  ],\n  \"c\": {}\n}\n"
	if got := gjson.Get(in, `@pretty:{"sortKeys":true}`).Raw; got != want {
		t.Errorf("@pretty = %q, want %q", got, want)
	}
	if got := gjson.Get(in, "@pretty"); !gjson.Valid(got.Raw) || got.Get("b.2.x").String() != "a b" {
		t.Errorf("@pretty = %q, not the same JSON", got.Raw)
	}
}
