package detect

import (
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
	"why401/analyzer/internal/said"
	"why401/internal/ascii"
)

// fixReauthorizeScope: get the token again with the scope the answer names.
const fixReauthorizeScope = "reauthorize-scope"

// SigScopeListed is the signal of an answer that lists the scopes it
// wanted: words.json's scope-keys say where (issue 28: an OAuth scope
// refusal means re-authorising with that scope).
const SigScopeListed = "scope-listed"

// scopeSignals reads a refusal that names the scopes it wanted and, when
// it says, the ones the token has: a 401 or 403 JSON body (or a 200 whose
// JSON says "ok": false, as Slack answers) with a key of scope-keys'
// required group, or the required-header group's response header listing
// scopes the granted-header's does not hold (GitHub's X-Accepted-OAuth-Scopes
// beside X-OAuth-Scopes). The answer is insufficient_scope, and the fix
// names the scope. An API file that already read the answer as a scope
// refusal keeps its own words (have).
func scopeSignals(ex *capture.Exchange, lb *respBody, have []Signal) []Signal {
	resp := &ex.Response
	if resp.Status != 401 && resp.Status != 403 && resp.Status != 200 {
		return nil
	}
	scopeSaid, msg := false, ""
	for _, h := range have {
		if h.Cause == "insufficient_scope" && (len(h.Fixes) > 0 || h.Params["scope"] != "") {
			return nil // an API file's own scope rule, or a message that named the scope
		}
		scopeSaid = scopeSaid || h.Cause == "insufficient_scope"
		if h.ID == SigServerMessage || IsServerMessage(h.ID) {
			msg = h.Params["server_message"]
		}
	}
	groups := words().scopeKeys
	if len(groups) == 0 {
		return nil
	}
	var body *said.JSONBody // read once for every key of the groups
	if lb.isJSON() && lb.validRawJSON() {
		body = said.NewJSONBody(resp.Body)
	}
	if resp.Status == 200 && !scopeSaid && (body == nil || body.Get("ok").Type != gjson.False) {
		return nil
	}
	required, granted, where := "", "", ""
	for _, g := range groups {
		for _, key := range g.Words {
			switch g.Value {
			case "required", "granted":
				if body == nil {
					continue
				}
				v := scopeList(body.Get(key))
				if v == "" {
					continue
				}
				if g.Value == "required" && required == "" {
					required, where = v, "body "+key
				} else if g.Value == "granted" && granted == "" {
					granted = v
				}
			case "required-header", "granted-header":
				v := strings.TrimSpace(resp.Get(key))
				if v == "" || !scopeWords(v) {
					continue
				}
				if g.Value == "granted-header" && granted == "" {
					granted = v
				} else if g.Value == "required-header" && required == "" && resp.Status == 403 {
					required, where = v, key
				}
			}
		}
	}
	if required == "" && scopeSaid && msg != "" {
		// Read as a scope refusal (a GraphQL INSUFFICIENT_SCOPES) whose
		// message names the scope: messages.json's scope rules find it.
		required, where = scopeInMessage(msg), "the message"
	}
	if required == "" {
		return nil
	}
	if where != "" && !strings.HasPrefix(where, "body ") && where != "the message" {
		// A header of the scopes an endpoint accepts is sent on every
		// answer: it names a missing scope only on a 403 (a 401 refused
		// the token itself: Linode answers an invalid one with
		// X-OAuth-Scopes: unknown) and when the token's own header holds
		// none of them.
		if granted == "" || ascii.EqualFold(granted, "unknown") {
			return nil
		}
		has := splitScopes(granted)
		for _, s := range splitScopes(required) {
			if slices.Contains(has, s) {
				return nil
			}
		}
	}
	kind := knowledge.KindForbidden
	if resp.Status == 401 {
		kind = knowledge.KindAuth
	}
	text := where + " lists the scope the call needs: " + capture.Clip(required, 160)
	params := map[string]string{"scope": capture.Clip(required, 160)}
	if granted != "" {
		text += "; the token has " + capture.Clip(granted, 160)
		params["scope_granted"] = capture.Clip(granted, 160)
	}
	return []Signal{{ID: SigScopeListed, Kind: kind, Weight: 0.92, Scheme: ruleScheme("sent", ex), Cause: "insufficient_scope",
		Where: WhereBody, Entry: -1, Text: text, Params: params, FixIDs: []string{fixReauthorizeScope}}}
}

// scopeList is a JSON value that lists scopes (a string of scope words, or
// an array of them) written as "a, b", or "".
func scopeList(r gjson.Result) string {
	var out []string
	switch {
	case r.Type == gjson.String:
		out = splitScopes(r.String())
	case r.IsArray():
		for _, e := range r.Array() {
			if e.Type != gjson.String {
				return ""
			}
			out = append(out, splitScopes(e.String())...)
		}
	}
	if len(out) == 0 || len(out) > 20 {
		return ""
	}
	for _, s := range out {
		if !scopeWords(s) {
			return ""
		}
	}
	return strings.Join(out, ", ")
}

// splitScopes splits a scope list at commas and spaces.
func splitScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// scopeWords: s looks like scope names (letters, digits and . : / _ - *,
// commas and spaces), not a sentence or a secret.
func scopeWords(s string) bool {
	if s == "" || len(s) > 400 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".:/_-*, ", c) >= 0) {
			return false
		}
	}
	return MaskValueShapes(s) == s
}

// scopeInMessage is the scope a message names by messages.json's rules of
// cause insufficient_scope with a {{scope}} group, or "".
func scopeInMessage(msg string) string {
	rules, err := knowledge.Messages()
	if err != nil {
		return ""
	}
	for i := range rules {
		r := &rules[i]
		re := r.Re()
		if r.Cause != "insufficient_scope" || re == nil {
			continue
		}
		if m := re.FindStringSubmatch(msg); m != nil {
			if i := re.SubexpIndex("scope"); i > 0 && scopeWords(m[i]) {
				return m[i]
			}
		}
	}
	return ""
}
