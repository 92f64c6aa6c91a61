package analyzer

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"why401/analyzer/internal/capture"
)

// TestIDsShownSecretsMasked: identifiers of a public shape — a cache
// node's name (Fastly's X-Served-By), an object id an API prints in its
// own message (Stripe's acct_…, req_…), Airtable's base and table ids in
// the URL, a user id in a REST path (documents/users/<uid>) — come out
// whole, in the text report and in the JSON, and the server's message is
// not altered; the real secrets planted beside them (a live key, a
// restricted key echoed in a message, a JWT, a query key=/token=, a
// session cookie, a token under /tokens/) never do (review 4: r16's
// "X-Served-By: [secret len=25 …-LHR]", r10's account id rewritten inside
// Stripe's sentence, r06's base id, r08's path uid, all masked).
func TestIDsShownSecretsMasked(t *testing.T) {
	const jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL3NlY3VyZXRva2VuLmdvb2dsZS5jb20vZGVtby1wcm9qIiwidXNlcl9pZCI6IlpxN1RtNEt3OVZiMkxwNlhyOE5jM0hqNUZkMSJ9.QmFzZTY0U2lnbmF0dXJlQmFzZTY0U2lnbmF0dXJl"
	cases := []struct {
		name          string
		capture       string
		shown, masked []string
	}{
		{"fastly node", "GET /search?q=O%27Neill HTTP/1.1\r\nHost: www.shop.example\r\n\r\n" +
			"HTTP/1.1 406 Not Acceptable\r\nX-Served-By: cache-lhr7380-LHR\r\nX-Cache: MISS\r\nX-Sigsci-Agentresponse: 406\r\nContent-Type: text/html\r\n\r\n<html><body>Not Acceptable</body></html>",
			[]string{"cache-lhr7380-LHR"}, nil},
		{"stripe ids in the message", "GET /v1/customers HTTP/1.1\r\nHost: api.stripe.com\r\nAuthorization: Bearer sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWx\r\n\r\n" +
			"HTTP/1.1 403 Forbidden\r\nRequest-Id: req_8fKz3LmQ2wXyPa\r\nContent-Type: application/json\r\n\r\n" +
			`{"error":{"message":"The provided key does not have access to account 'acct_1Nv0FGQ9RKHgCVdK' (or that account does not exist); the key rk_live_51HxQ9zT3vBn7WmKp2LsR8dYc was revoked.","type":"invalid_request_error"}}`,
			[]string{"acct_1Nv0FGQ9RKHgCVdK", "req_8fKz3LmQ2wXyPa"}, []string{"sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWx", "rk_live_51HxQ9zT3vBn7WmKp2LsR8dYc"}},
		{"airtable ids in the path", "GET /v0/appX7kQ2mR9vT5wLp/tblH3nB6cD9fG2jK5/records HTTP/1.1\r\nHost: api.airtable.com\r\nAuthorization: Bearer patQ7mW2xR9kL4vT8.3f9a1c7e5b2d8064a9c1e7f3b5d2086a4c9e1f7b3d5a2c8064e9f1a7c3b5d2e8f0\r\n\r\n" +
			"HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n" +
			`{"error":{"type":"INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND","message":"Invalid permissions, or the requested model was not found."}}`,
			[]string{"appX7kQ2mR9vT5wLp", "tblH3nB6cD9fG2jK5"}, []string{"patQ7mW2xR9kL4vT8.3f9a1c7e5b2d8064a9c1e7f3b5d2086a4c9e1f7b3d5a2c8064e9f1a7c3b5d2e8f0", "3f9a1c7e5b2d8064a9c1e7f3b5d2086a4c9e1f7b3d5a2c8064e9f1a7c3b5d2e8f0"}},
		{"user id in a REST path", "GET /v1/projects/demo-proj/databases/(default)/documents/users/Wd8nQ2rT5vX9kL3mP7bY1cF4hJ6s HTTP/1.1\r\nHost: firestore.googleapis.com\r\nAuthorization: Bearer " + jwt + "\r\n\r\n" +
			"HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n\r\n" +
			`{"error":{"code":403,"message":"Missing or insufficient permissions.","status":"PERMISSION_DENIED"}}`,
			[]string{"Wd8nQ2rT5vX9kL3mP7bY1cF4hJ6s"}, []string{jwt, strings.Split(jwt, ".")[2]}},
		{"secrets beside ids", "GET /api/tokens/Zk3Qm9Xv2Lp7Rt5Wn8Bc4Hd6/users?key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW&token=Tq8Vn3Kz6Wm1Rp4Ys7Xc2Lb HTTP/1.1\r\nHost: api.example-app.io\r\nCookie: sessionid=Pz4Kq8Nw2Vr6Tx9Lm3Bc7Hj5\r\n\r\n" +
			"HTTP/1.1 401 Unauthorized\r\nX-Served-By: cache-fra19150-FRA\r\nContent-Type: application/json\r\n\r\n" +
			`{"message":"Token Tq8Vn3Kz6Wm1Rp4Ys7Xc2Lb expired for user usrA1b2C3d4E5f6G; session Pz4Kq8Nw2Vr6Tx9Lm3Bc7Hj5 closed; JWT ` + jwt + ` refused"}`,
			[]string{"usrA1b2C3d4E5f6G"}, []string{"Zk3Qm9Xv2Lp7Rt5Wn8Bc4Hd6", "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW", "Tq8Vn3Kz6Wm1Rp4Ys7Xc2Lb", "Pz4Kq8Nw2Vr6Tx9Lm3Bc7Hj5", jwt}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep, err := AnalyzeWith([]byte(c.capture), Options{Name: "ids"})
			require.NoError(t, err)
			var text strings.Builder
			require.NoError(t, rep.WriteText(&text, TextOptions{Verbose: true}))
			js, err := json.Marshal(rep)
			require.NoError(t, err)
			// The JSON's strings decoded: "acct_…" is there as written.
			var decoded any
			require.NoError(t, json.Unmarshal(js, &decoded))
			all := text.String() + "\n" + strings.Join(jsonStrings(decoded), "\n")
			for _, id := range c.shown {
				// The text's heading line may clip a long URL: the id is
				// never replaced by a fingerprint there, and whole in the JSON.
				require.NotContains(t, text.String(), capture.Fingerprint("", id), "text report masks the id %q", id)
				require.Contains(t, strings.Join(jsonStrings(decoded), "\n"), id, "JSON report masks the id %q", id)
			}
			for _, s := range c.masked {
				require.NotContains(t, all, s, "the secret %q is echoed", s)
			}
			if m := rep.Exchanges[0].Message; m != nil && strings.Contains(c.capture, "acct_1Nv0FGQ9RKHgCVdK") {
				require.Contains(t, m.Text, "does not have access to account 'acct_1Nv0FGQ9RKHgCVdK' (or that account does not exist)", "the server's sentence is altered")
			}
		})
	}
}

// jsonStrings lists every string of a decoded JSON value.
func jsonStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, jsonStrings(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, jsonStrings(e)...)
		}
		return out
	}
	return nil
}
