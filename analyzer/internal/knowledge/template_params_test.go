package knowledge

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParams(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"no placeholder", nil},
		{"wait until {{wait_until}} ({{retry_after|60}} s)", []string{"wait_until", "retry_after"}},
		{"{{?proxy_url}}use {{proxy_url|http://PROXY_HOST:PORT}}", []string{"?proxy_url", "proxy_url"}},
		{"{{!scope}}code {a: {b}} {{scope}}", []string{"!scope", "scope"}},
		{"unclosed {{name", nil},
		{"{{a}}{{b}}", []string{"a", "b"}},
	} {
		assert.Equal(t, tc.want, slices.Collect(Params(tc.in)), tc.in)
	}
}
