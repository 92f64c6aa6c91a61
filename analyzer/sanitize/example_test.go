package sanitize_test

import (
	"fmt"
	"strings"

	"why401/analyzer/sanitize"
)

// A pasted exchange made safe to share: the token becomes a placeholder that
// keeps its identity (the same secret, the same placeholder), the rest stays.
func ExampleCapture() {
	in := "GET /v1/me HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer opaque_at_7Hk2mQ9xLp4vR8sT1wZ3\r\n\r\n" +
		"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n\r\n"
	out, stats, err := sanitize.Capture([]byte(in), sanitize.Options{Key: []byte("a fixed key, for this example")})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range strings.Split(string(out), "\r\n") {
		if strings.HasPrefix(l, "Authorization:") {
			fmt.Println(l)
		}
	}
	fmt.Println(stats)
	// Output:
	// Authorization: Bearer why401-redacted-fb70dd4699de
	// authorization 1
}
