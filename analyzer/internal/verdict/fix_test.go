package verdict

import (
	"testing"

	"why401/analyzer/internal/knowledge"
)

// TestRepeats: the one repeat rule, for the three places it decides (a
// fix a signal names, a generic group, a group a signal needs).
func TestRepeats(t *testing.T) {
	params := map[string]string{
		"rate_limit_reset": "at 2026-12-01T09:47:12Z (x-ratelimit-reset: 1796118432)",
		"remaining_header": "x-ratelimit-remaining",
		"waf_trigger":      "term=' UNION SELECT 1--",
		"waf_attack":       "SQL injection",
		"realm":            "security",
		"scheme":           "Basic",
	}
	api := knowledge.Fix{Title: "Wait for x-ratelimit-reset", Steps: []string{"The quota resets " + params["rate_limit_reset"] + "."}}
	vendor := knowledge.Fix{Title: "The WAF blocked this request", Steps: []string{"The request carries " + params["waf_trigger"] + ", which rules match as SQL injection."}}
	basic := knowledge.Fix{Title: "Send Basic", Steps: []string{`The server asks for Basic (realm "security").`}}
	for _, c := range []struct {
		name   string
		f      knowledge.Fix
		before []knowledge.Fix
		want   bool
	}{
		{"the reset time said; a header's name proves nothing; an unfilled step is not shown",
			knowledge.Fix{Title: "Wait for the quota to reset", Steps: []string{"Wait until {{retry_at}}.", "The quota resets {{rate_limit_reset}}.", "Pace from {{remaining_header}}."}},
			[]knowledge.Fix{api}, true},
		{"nothing said before",
			knowledge.Fix{Title: "Wait for the quota to reset", Steps: []string{"The quota resets {{rate_limit_reset}}."}}, nil, false},
		{"the input and the attack said",
			knowledge.Fix{Title: "Remove the input the WAF takes for {{waf_attack}}", Steps: []string{"The request carries {{waf_trigger}}."}},
			[]knowledge.Fix{vendor}, true},
		{"one value said, one not",
			knowledge.Fix{Title: "x", Steps: []string{"The quota resets {{rate_limit_reset}}; the request carries {{waf_trigger}}."}},
			[]knowledge.Fix{api}, false},
		{"a word-like realm and the verdict's scheme prove nothing",
			knowledge.Fix{Title: "Send {{scheme}} credentials", Steps: []string{`The server asks for {{scheme}} (realm "{{realm}}").`}},
			[]knowledge.Fix{basic}, false},
		{"a condition is no value",
			knowledge.Fix{Title: "x", Steps: []string{"{{?waf_trigger}}Remove it."}}, []knowledge.Fix{vendor}, false},
	} {
		if got := repeats(c.f, params, c.before); got != c.want {
			t.Errorf("%s: repeats = %v, want %v", c.name, got, c.want)
		}
	}
}
