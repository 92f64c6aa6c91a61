package knowledge

import (
	_ "embed"
	"errors"
	"regexp"
	"strconv"
)

// MessageRule is one thing a server's own message can name: a phrase (or a
// pattern) in the message or its code, and what it means — the verdict,
// the cause and the fixes that follow from it. messages.json holds the
// rules that hold for any server; an API file's "messages" hold its own
// (AWS's "because no identity-based policy allows…"), tried first.
type MessageRule struct {
	ID string `json:"id"`
	// Words are phrases matched case-insensitively at word boundaries in the
	// message or the code; any one fires the rule.
	Words []string `json:"words,omitempty"`
	// Regex, instead of or beside Words, must match the message; its named
	// groups become fix parameters ({{principal}}, {{action}}…).
	Regex string `json:"regex,omitempty"`
	// Status limits the rule to these status codes.
	Status []int `json:"status,omitempty"`
	// Pages lets the rule read an HTML page's own lines too; by default a
	// rule reads only what an API says (a JSON or XML error, an error
	// header, a plain-text body): a block page's words are the vendor
	// files' to read.
	Pages bool `json:"pages,omitempty"`
	// Verdict and Cause are what the message means; Weight how strongly
	// (default 0.9): the server's explicit words.
	Verdict Kind    `json:"verdict"`
	Cause   string  `json:"cause,omitempty"`
	Scheme  string  `json:"scheme,omitempty"`
	Weight  float64 `json:"weight,omitempty"`
	// Derive computes more fix parameters from the regex's: for each name,
	// the first template whose {{params}} are all known ("policy_source":
	// ["arn:aws:iam::{{account}}:role/{{role}}", "{{principal}}"]).
	Derive map[string][]string `json:"derive,omitempty"`
	// Explain says what the message means, after the quote.
	Explain string `json:"explain"`
	// Says replaces the cause's own wording in the summary when this rule
	// decides (an account suspended or unpaid keeps cause account_locked
	// or insufficient_permissions, but is neither a lock nor a role).
	Says string `json:"says,omitempty"`
	// Fixes follow the message, before every other fix; FixIDs name fixes
	// of fixes.json.
	Fixes  []Fix    `json:"fixes,omitempty"`
	FixIDs []string `json:"fix_ids,omitempty"`

	re *Pattern
}

// Re is Regex compiled (on first use), nil when the rule has none.
func (r *MessageRule) Re() *regexp.Regexp { return r.re.Re() }

// Pattern is Regex, not yet compiled (for the tests that compile them).
func (r *MessageRule) Pattern() *Pattern { return r.re }

// MayMatch is Pattern().MayMatchLower: false when the rule's expression
// cannot match the message (without ſ) whose lower-cased form low holds.
func (r *MessageRule) MayMatch(low string) bool { return r.re.MayMatchLower(low) }

//go:embed messages.json
var messagesJSON []byte

// Messages returns messages.json decoded and compiled, or its first error.
var Messages = loader(func() ([]MessageRule, error) {
	var out []MessageRule
	if err := load("messages.json", messagesJSON, &out); err != nil {
		return nil, err
	}
	return out, CompileMessages("messages.json", out)
})

// CompileMessages checks and compiles message rules in place.
func CompileMessages(file string, rules []MessageRule) error {
	ids := map[string]bool{}
	for i := range rules {
		r := &rules[i]
		where := "analyzer: " + file + ": message rule " + strconv.Quote(r.ID)
		if r.ID == "" || ids[r.ID] {
			return errors.New("analyzer: " + file + ": message rule " + strconv.Itoa(i) + ": a unique id is required")
		}
		ids[r.ID] = true
		if len(r.Words) == 0 && r.Regex == "" {
			return errors.New(where + ": words or a regex is required")
		}
		for _, w := range r.Words {
			if len(w) < 3 {
				return errors.New(where + ": word " + strconv.Quote(w) + " is shorter than 3 characters")
			}
		}
		if r.Explain == "" || r.Verdict == "" {
			return errors.New(where + ": verdict and explain are required")
		}
		if r.Cause != "" && CauseByID(r.Cause) == nil {
			return errors.New(where + ": cause " + strconv.Quote(r.Cause) + " is not in causes.json")
		}
		r.re = NewPattern(r.Regex)
		if r.Weight == 0 {
			r.Weight = 0.9
		}
	}
	return nil
}
