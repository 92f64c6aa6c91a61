package detect

import (
	"strings"
	"sync"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
	"why401/internal/ascii"
	"why401/internal/weburl"
)

// SigWAFTrigger is the request input that web-application-firewall rules
// match as an attack (Params "waf_trigger": the input as the WAF decodes
// it, "waf_attack": the attack class that words.json's waf-trigger-inputs
// group names).
const SigWAFTrigger = "request-waf-trigger"

// wafTriggerInputsID is the words.json list of groups: a group's words are
// inputs WAF rule sets (the OWASP Core Rule Set, vendors' managed rules)
// match; its value names the attack class.
const wafTriggerInputsID = "waf-trigger-inputs"

// wafMetaCharactersID is the words.json list of single characters that
// WAF policies refuse in a parameter's value on their own (F5 ASM's
// illegal meta-characters, the quote that opens an SQL string): a weaker
// trigger, looked for only in the URL and a form body, and only when no
// attack input of waf-trigger-inputs is there.
const wafMetaCharactersID = "waf-meta-characters"

// ParamWAFMeta marks a trigger that is only a meta-character (a lone
// quote): it explains a WAF's block, never a challenge or a bot score.
const ParamWAFMeta = "waf_meta"

var (
	wafOnce   sync.Once
	wafGroups []knowledge.WordGroup
	wafMeta   []knowledge.WordGroup
)

func wafTriggerGroups() []knowledge.WordGroup {
	wafOnce.Do(func() {
		if wl, err := knowledge.WordListByID(wafTriggerInputsID, true); err == nil {
			wafGroups = wl.Groups
		}
		if wl, err := knowledge.WordListByID(wafMetaCharactersID, true); err == nil {
			wafMeta = wl.Groups
		}
	})
	return wafGroups
}

// maxWAFInput bounds the request text searched for a trigger (the URL and
// the start of the body).
const maxWAFInput = 16 << 10

// wafTriggerSignals finds, in the request's URL and body as a WAF decodes
// them (percent-decoding twice, "+" as a space, case folded), an input
// that WAF rules match as an attack: ' OR 1=1--, <script>, ../../etc/passwd.
// It names the likeliest trigger of a WAF block; it votes for nothing.
func wafTriggerSignals(ex *capture.Exchange) []Signal {
	req := ex.Request
	if req == nil {
		return nil
	}
	groups := wafTriggerGroups()
	if len(groups) == 0 {
		return nil
	}
	var parts []wafPart
	if u := req.URL; u != "" {
		// As the server got it: the fragment is never sent (weburl.Query).
		if q := weburl.Query(u); q != "" {
			parts = append(parts, wafPart{"query", q})
		}
		if i := strings.IndexAny(u, "?#"); i >= 0 {
			u = u[:i]
		}
		parts = append(parts, wafPart{"path", u})
	}
	if len(req.Body) > 0 {
		parts = append(parts, wafPart{"body", string(req.Body[:min(len(req.Body), maxWAFInput)])})
	}
	if s := wafInputSignal(req, parts, groups, false); s != nil {
		return s
	}
	return wafInputSignal(req, parts, wafMeta, true)
}

type wafPart struct{ where, text string }

// wafInputSignal looks for the groups' words in the parts, one parameter
// at a time for a query or form body; meta: the groups are single
// characters, looked for in a parameter's value only and never in a JSON
// or other body (where quotes are syntax).
func wafInputSignal(req *capture.Message, parts []wafPart, groups []knowledge.WordGroup, meta bool) []Signal {
	for _, p := range parts {
		// A query or form body is read one parameter at a time, so that the
		// evidence quotes the parameter as the capture has it.
		pieces := []string{capture.Clip(p.text, maxWAFInput)}
		form := p.where == "query" || p.where == "body" && ascii.Contains(req.Get("Content-Type"), "x-www-form-urlencoded")
		if form {
			pieces = strings.Split(pieces[0], "&")
		}
		if meta && !form && p.where != "path" {
			continue
		}
		for _, raw := range pieces {
			name, value, ok := strings.Cut(raw, "=")
			if form && ok && CredentialParam(wafDecode(name)) {
				continue // a password or token is never quoted
			}
			dec := wafDecode(raw)
			if meta && form {
				if !ok {
					continue
				}
				dec = wafDecode(value) // the value, where the policy looks
			}
			low := ascii.Lower(dec) // A–Z only: i below is an index into dec
			for _, g := range groups {
				for _, w := range g.Words {
					i := strings.Index(low, w)
					if i < 0 {
						continue
					}
					snip := wafSnippet(dec, i, len(w))
					text := "the request's " + p.where + " carries " + strconvQuote(capture.Clip(raw, 120))
					switch {
					case p.where == "body" && !form:
						// A JSON or other body: the string that holds the
						// word, unless its key names a credential.
						snip = bodyString(raw, w)
						text = "the request's body holds " + strconvQuote(snip) + ","
					case snip != raw:
						text += " — decoded, " + snip + ","
					default:
						text += ","
					}
					if meta {
						text += " which WAF policies may refuse as " + g.Value + ": a possible trigger of a WAF block"
					} else {
						text += " which WAF rules match as " + g.Value + ": the likely trigger of a WAF block"
					}
					params := map[string]string{"waf_trigger": snip, "waf_attack": g.Value, "waf_input": strconvQuote(snip)}
					if form && snip != raw {
						// The parameter as sent, then as the WAF reads it.
						params["waf_input"] = strconvQuote(capture.Clip(raw, 120)) + " (decoded: " + snip + ")"
					}
					if meta {
						params[ParamWAFMeta] = "1"
					}
					return []Signal{{ID: SigWAFTrigger, Where: WhereRequest, Entry: -1, Text: text, Params: params}}
				}
			}
		}
	}
	return nil
}

// wafDecode decodes percent escapes twice (WAFs decode double encoding)
// and "+" as a space, and folds runs of white space into one.
func wafDecode(s string) string {
	for range 2 {
		d, ok := weburl.QueryUnescape(s)
		if !ok || d == s {
			break
		}
		s = d
	}
	return strings.Join(strings.Fields(s), " ")
}

// wafSnippet is the input around a match: the decoded parameter (or the
// text) that holds it, at most about 60 bytes.
func wafSnippet(s string, i, n int) string {
	start, end := 0, len(s)
	if end-start > 60 {
		start = max(start, i-20)
		end = min(end, max(i+n, start+60))
	}
	return strings.ToValidUTF8(s[start:end], "")
}

// strconvQuote quotes an input as the report shows it (typographic quotes:
// the writers escape what they must).
func strconvQuote(s string) string { return "\u201c" + s + "\u201d" }

// bodyString is the JSON string value of body that holds word (found
// case-insensitively), at most 80 bytes; only the word itself when it is
// not in a string, or when the string's key names a credential.
func bodyString(body, word string) string {
	i := strings.Index(ascii.Lower(body), word) // A–Z only: i is an index into body
	if i < 0 {
		return word
	}
	only := body[i : i+len(word)]
	a := strings.LastIndexByte(body[:i], '"')
	b := strings.IndexByte(body[i+len(word):], '"')
	if a < 0 || b < 0 {
		return only
	}
	b += i + len(word)
	key := strings.TrimRight(body[:a], " \t\r\n")
	if !strings.HasSuffix(key, ":") {
		return only // not a value of a key
	}
	key = strings.TrimRight(strings.TrimSuffix(key, ":"), " \t\r\n")
	if k := strings.LastIndexByte(strings.TrimSuffix(key, `"`), '"'); k >= 0 && strings.HasSuffix(key, `"`) {
		if CredentialParam(key[k+1 : len(key)-1]) {
			return only
		}
	}
	if v := body[a+1 : b]; len(v) <= 80 {
		return v
	}
	return only
}
