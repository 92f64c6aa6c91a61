package knowledge

import (
	"reflect"
	"strings"
	"testing"

	"why401/internal/jsonfill"
)

// TestLoadMatchesStrict: every embedded file decodes to the same value
// through load (jsonfill, what the loaders use) as through the strict
// encoding/json decoding, so the loaders read exactly what the tests check.
func TestLoadMatchesStrict(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	files["actions.json"] = actionsJSON
	files["messages.json"] = messagesJSON
	files["said.json"] = saidJSON
	for name, data := range files {
		var strict, loaded any
		switch {
		case strings.HasPrefix(name, "vendors/"):
			strict, loaded = new(VendorFile), new(VendorFile)
		case strings.HasPrefix(name, "apis/"):
			strict, loaded = new(APIFile), new(APIFile)
		case name == "causes.json":
			strict, loaded = new([]Cause), new([]Cause)
		case name == "kinds.json":
			strict, loaded = new([]KindWords), new([]KindWords)
		case name == "words.json":
			strict, loaded = new([]WordList), new([]WordList)
		case name == "fixes.json":
			strict, loaded = new([]GenericFix), new([]GenericFix)
		case name == "actions.json":
			strict, loaded = new([]Action), new([]Action)
		case name == "messages.json":
			strict, loaded = new([]MessageRule), new([]MessageRule)
		case name == "said.json":
			strict, loaded = new(SaidFile), new(SaidFile)
		default:
			t.Errorf("%s: no type for it in this test", name)
			continue
		}
		if err := decodeKnowledge(name, data, strict); err != nil {
			t.Errorf("strict: %v", err)
			continue
		}
		if err := load(name, data, loaded); err != nil {
			t.Errorf("load: %v", err)
			continue
		}
		if !reflect.DeepEqual(strict, loaded) {
			t.Errorf("%s: load and the strict decoding differ", name)
		}
	}
}

// TestLoadErrors: load refuses what the strict decoding refuses, naming the
// key's path.
func TestLoadErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{"id":"x","nmae":"X"}`:                                   `(top): unknown field "nmae"`,
		`{"id":"x","rules":[{"id":"a"},{"id":"b","wieght":0.5}]}`: `.rules[1]: unknown field "wieght"`,
		`{"id":"x","rules":[{"id":"a","weight":"high"}]}`:         `.rules[0].weight: cannot put a JSON string into a float64`,
		`{"id":"x","rules":[{"id":"a","status":[403.5]}]}`:        `.rules[0].status[0]: 403.5 is not a int`,
		`{"id":"x","rules":{"id":"a"}}`:                           `.rules: cannot put a JSON object into a []knowledge.Rule`,
		`{"id":7}`:                                                `.id: cannot put a JSON number into a string`,
		`{"id":"x","rules":[{"id":"a"},]}`:                        `invalid JSON`,
		`[]`:                                                      `(top): cannot put a JSON array into a knowledge.VendorFile`,
		`{"id":"x"} trailing`:                                     `invalid JSON`,
	} {
		var f VendorFile
		err := load("vendors/x.json", []byte(in), &f)
		if err == nil || !strings.HasPrefix(err.Error(), "analyzer: vendors/x.json: jsonfill: ") || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("load(%q) = %v, want an error ending %q", in, err, want)
		}
	}
	var f VendorFile
	if err := jsonfill.Unmarshal([]byte(`{"id":"x","name":null,"rules":[{"id":"a","weight":null}],"fixes":null}`), &f); err != nil || f.Name != "" || f.Rules[0].Weight != 0 || f.Fixes != nil {
		t.Errorf("null: %v, %+v", err, f)
	}
}

// TestPatternsCompile: every expression of the API files and messages.json
// compiles (at run time they compile on first use, see Pattern).
func TestPatternsCompile(t *testing.T) {
	files, err := APIs()
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := Messages()
	if err != nil {
		t.Fatal(err)
	}
	check := func(where string, p *Pattern) {
		if err := p.Err(); err != nil {
			t.Errorf("%s: %q: %v", where, p, err)
		}
	}
	for _, m := range msgs {
		check("messages.json "+m.ID, m.Pattern())
	}
	for _, f := range files {
		for _, m := range f.Messages {
			check(f.File+" message "+m.ID, m.Pattern())
		}
		for i := range f.Params {
			for _, p := range f.Params[i].Patterns() {
				check(f.File+" param "+f.Params[i].Name, p)
			}
		}
	}
	var bad *Pattern = NewPattern("a(")
	if bad.Err() == nil || bad.MatchString("a(") || bad.MatchString("") {
		t.Errorf("a pattern that does not compile: Err %v, and it must match nothing", bad.Err())
	}
}
