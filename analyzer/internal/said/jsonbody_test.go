package said

import (
	"testing"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
)

// TestJSONBodyIsGJSON: JSONBody.Get answers every path of said.json as
// gjson.GetBytes does, on bodies with duplicate, escaped, nested and
// numeric member names, arrays and scalars.
func TestJSONBodyIsGJSON(t *testing.T) {
	f, err := knowledge.Said()
	if err != nil {
		t.Fatal(err)
	}
	paths := append(append(append([]string{"a.b", "x", "error.code.more", "0", "1.message"}, f.MessagePaths...), f.CodePaths...), f.RequestIDJSON...)
	bodies := []string{
		`{"error":"invalid_token","error_description":"The access token expired"}`,
		`{"error":{"message":"Bad credentials","code":401,"request_id":"req_1"},"error":"second"}`,
		`{"error":"string first {\"message\":\"inside\"}","error":{"message":"object second"},"error":{"message":"third"}}`,
		`{"error":{"code":"c"},"error":{"message":"in the second"}}`,
		`{"errors":[{"message":"first","code":"E1","extensions":{"code":"UNAUTHENTICATED"}},{"message":"second"}]}`,
		`{"\u0065rror":"escaped name","mess\"age":"quoted","message":"plain \u00e9"}`,
		`{"0":{"message":"zero key"},"error":null,"code":12.5e3,"detail":true}`,
		`{"RemoteException":{"message":"denied","exception":"AccessControlException"},"fault":{"faultstring":"Invalid ApiKey","detail":{"errorcode":"oauth.v2.InvalidApiKey"}}}`,
		`[{"message":"array body","errorCode":"X"}]`,
		`"just a string"`,
		`{}`,
		`{ "error" : { "innerError" : { "request-id" : "abc-123", "client-request-id" : "def" } }, "meta": {"request_id": 7} }`,
	}
	for _, b := range bodies {
		if !capture.ValidJSON([]byte(b)) {
			t.Fatalf("not valid JSON: %s", b)
		}
		doc := NewJSONBody([]byte(b))
		for _, p := range paths {
			got, want := doc.Get(p), gjson.GetBytes([]byte(b), p)
			if got.Type != want.Type || got.Raw != want.Raw || got.String() != want.String() {
				t.Errorf("%s: Get(%q) = %v %q, gjson says %v %q", b, p, got.Type, got.Raw, want.Type, want.Raw)
			}
		}
	}
}
