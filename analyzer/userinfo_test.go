package analyzer

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"why401/analyzer/sanitize"
)

// TestUserinfoWithAt: a URL's userinfo ends at the authority's last "@" (RFC
// 3986, net/url): a password with an unescaped "@" is masked whole in the
// report and in a sanitized copy (both cut it at the first "@", and showed
// the rest of the password beside the host).
func TestUserinfoWithAt(t *testing.T) {
	in := "GET https://alice:s3cr3t@p4ssw0rd-tail@api.example.com/x HTTP/1.1\r\nHost: api.example.com\r\n\r\n" +
		"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{\"message\":\"bad\"}\r\n"
	r, err := Analyze([]byte(in))
	require.NoError(t, err)
	out := string(r.AppendJSON(nil))
	for _, part := range []string{"s3cr3t", "p4ssw0rd"} {
		assert.NotContains(t, out, part)
	}
	assert.Contains(t, r.Exchanges[0].URL, "]@api.example.com/x")

	clean, _, err := sanitize.Capture([]byte(in), sanitize.Options{Key: []byte("k")})
	require.NoError(t, err)
	for _, part := range []string{"s3cr3t", "p4ssw0rd"} {
		assert.False(t, strings.Contains(string(clean), part), "sanitized copy holds %q:\n%s", part, clean)
	}
}
