package detect

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"why401/analyzer/internal/knowledge"
)

// TestRatio: a ratio parameter is set only from numbers, to a tenth, and
// only when positive: no wait from a bucket that holds enough, none from a
// zero or missing rate.
func TestRatio(t *testing.T) {
	wait := &knowledge.ParamRule{Name: "w", Ratio: []string{"cost", "rate"}, Less: "avail"}
	pace := &knowledge.ParamRule{Name: "p", Ratio: []string{"max", "ms"}, Scale: 1000}
	for _, c := range []struct {
		r    *knowledge.ParamRule
		in   map[string]string
		want string
	}{
		{wait, map[string]string{"cost": "752", "avail": "312", "rate": "100"}, "4.4"},
		{wait, map[string]string{"cost": "402", "avail": "151.5", "rate": "50"}, "5"},
		{wait, map[string]string{"cost": "100", "avail": "312", "rate": "100"}, ""}, // enough points: no wait
		{wait, map[string]string{"cost": "752", "avail": "312", "rate": "0"}, ""},
		{wait, map[string]string{"cost": "752", "rate": "100"}, ""}, // less named but missing
		{wait, map[string]string{"cost": "NaN", "avail": "1", "rate": "1"}, ""},
		{wait, map[string]string{"cost": "Inf", "avail": "1", "rate": "1"}, ""},
		{pace, map[string]string{"max": "190", "ms": "10000"}, "19"},
		{pace, map[string]string{"max": "100", "ms": "1000"}, "100"},
		{pace, map[string]string{"max": "x", "ms": "1000"}, ""},
	} {
		got, ok := ratio(c.in, c.r)
		assert.Equal(t, c.want, got, "%v", c.in)
		assert.Equal(t, c.want != "", ok, "%v", c.in)
	}
}
