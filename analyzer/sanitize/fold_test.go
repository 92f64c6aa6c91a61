package sanitize

import (
	"fmt"
	"strings"
	"testing"
)

// TestMasksASCIINamesInAnyCase: a secret is masked whatever the ASCII case
// of the header, cookie or parameter name that carries it (names compare
// A–Z in any case, every other byte exactly: see internal/ascii).
func TestMasksASCIINamesInAnyCase(t *testing.T) {
	for i, c := range []struct{ req, resp string }{
		{"AUTHORIZATION: Bearer %s\r\n", ""},
		{"authorization: bearer %s\r\n", ""},
		{"Proxy-AUTHORIZATION: BASIC %s\r\n", ""},
		{"cOOKIE: sid=%s\r\n", ""},
		{"X-API-KEY: %s\r\n", ""},
		{"x-auth-TOKEN: %s\r\n", ""},
		{"", "SET-COOKIE: session=%s; Path=/\r\n"},
		{"", "set-cookie: SESSION=%s; Path=/\r\n"},
	} {
		secret := fmt.Sprintf("Zq%02dv8Rt4Wm2Np6Xc", i)
		in := "GET /v1/me?TOKEN=" + secret + "x&PassWord=" + secret + "y&Key=" + secret + "z HTTP/1.1\r\nHost: api.example.com\r\n"
		if c.req != "" {
			in += fmt.Sprintf(c.req, secret)
		}
		in += "\r\nHTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\n"
		if c.resp != "" {
			in += fmt.Sprintf(c.resp, secret)
		}
		in += "\r\nno\r\n"
		out, _, err := Capture([]byte(in), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(out), secret) {
			t.Errorf("case %d (%q%q): the secret is in the sanitized copy:\n%s", i, c.req, c.resp, out)
		}
	}
}
