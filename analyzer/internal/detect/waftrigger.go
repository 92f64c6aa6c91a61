package detect

import (
	"net/url"
	"strings"
	"sync"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
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

var (
	wafOnce   sync.Once
	wafGroups []knowledge.WordGroup
)

func wafTriggerGroups() []knowledge.WordGroup {
	wafOnce.Do(func() {
		if wl, err := knowledge.WordListByID(wafTriggerInputsID, true); err == nil {
			wafGroups = wl.Groups
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
	type part struct{ where, text string }
	var parts []part
	if u := req.URL; u != "" {
		if i := strings.IndexAny(u, "?"); i >= 0 {
			parts = append(parts, part{"query", u[i+1:]}, part{"path", u[:i]})
		} else {
			parts = append(parts, part{"path", u})
		}
	}
	if len(req.Body) > 0 {
		parts = append(parts, part{"body", string(req.Body[:min(len(req.Body), maxWAFInput)])})
	}
	for _, p := range parts {
		// A query or form body is read one parameter at a time, so that the
		// evidence quotes the parameter as the capture has it.
		pieces := []string{capture.Clip(p.text, maxWAFInput)}
		if p.where != "path" {
			pieces = strings.Split(pieces[0], "&")
		}
		for _, raw := range pieces {
			dec := wafDecode(raw)
			low := strings.ToLower(dec)
			for _, g := range groups {
				for _, w := range g.Words {
					i := strings.Index(low, w)
					if i < 0 {
						continue
					}
					snip := wafSnippet(dec, i, len(w))
					text := "the request's " + p.where + " carries " + strconvQuote(capture.Clip(raw, 120))
					if snip != raw {
						text += " — decoded, " + snip + ","
					} else {
						text += ","
					}
					text += " which WAF rules match as " + g.Value + ": the likely trigger of a WAF block"
					return []Signal{{ID: SigWAFTrigger, Where: WhereRequest, Entry: -1, Text: text,
						Params: map[string]string{"waf_trigger": snip, "waf_attack": g.Value}}}
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
		d, err := url.QueryUnescape(s)
		if err != nil || d == s {
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
