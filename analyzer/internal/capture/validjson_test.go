package capture

import (
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// ValidJSON agrees with gjson on every sample, and says no to nesting
// deeper than Limits.Depth (which gjson's recursive validator would walk,
// one frame per level: under js/wasm the JS engine's stack overflows at
// ~20,000; the npm hostile test, npm/test/hostile.test.js, catches that).
func TestValidJSON(t *testing.T) {
	for _, s := range jsonSamples {
		if got, want := ValidJSONString(s), gjson.Valid(s); got != want {
			t.Errorf("ValidJSONString(%q) = %v, gjson %v", s, got, want)
		}
	}
	d := defaultLimits.Depth
	tests := []struct {
		in   string
		want bool
	}{
		{strings.Repeat("[", d) + strings.Repeat("]", d), true},
		{strings.Repeat("[", d+1) + strings.Repeat("]", d+1), false},
		{strings.Repeat(`{"a":`, d) + "1" + strings.Repeat("}", d), true},
		{strings.Repeat(`{"a":`, d+1) + "1" + strings.Repeat("}", d+1), false},
		{strings.Repeat("[", 200_000) + strings.Repeat("]", 200_000), false},
		// Brackets inside strings are not nesting.
		{`["` + strings.Repeat("[", 10_000) + `\"]"]`, true},
		// Unbalanced: deep opens, never closed.
		{strings.Repeat("[", 10_000), false},
	}
	for _, tc := range tests {
		if got := ValidJSONString(tc.in); got != tc.want {
			t.Errorf("ValidJSONString(%.40q… %d bytes) = %v, want %v", tc.in, len(tc.in), got, tc.want)
		}
	}
}
