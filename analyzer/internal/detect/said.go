package detect

import (
	"strings"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
	"why401/analyzer/internal/said"
)

// Signal ids of what the server said (saidSignals).
const (
	// SigServerMessage carries the server's own message and code
	// (Params "server_message", "server_code", "server_where").
	SigServerMessage = "server-message"
	// SigRequestID carries one request or trace id (Ref).
	SigRequestID = "request-id"
	// SigClientIP carries the client IP a block page prints (Params "client_ip").
	SigClientIP = "client-ip"
)

// Ref is a reference id the user can quote (said.Ref).
type Ref = said.Ref

// IsServerMessage tells a signal of the server's own message (voting or not).
func IsServerMessage(id string) bool {
	return id == SigServerMessage || strings.HasPrefix(id, SigServerMessage+"/")
}

// saidSignals reads what the server said in its own words — its message
// and error code (a JSON or XML error body, an error header, the
// WWW-Authenticate error_description, a block page's reason line, a short
// plain-text body) and its request and trace ids — as signals that vote
// for nothing: the report quotes them first, and the fixes may use them.
//
// have are the signals found before: when an API file already read this
// error, or the WWW-Authenticate challenge already said it, messages.json's
// general rules do not vote again on the same words (an API file's own
// message rules still do).
func saidSignals(ex *capture.Exchange, have []Signal) []Signal {
	w := said.Read(&ex.Response)
	msg, code, where := w.Message, w.Code, w.Where
	var out []Signal
	if msg != "" || code != "" {
		s := Signal{ID: SigServerMessage, Where: WhereBody, Entry: -1,
			Params: map[string]string{"server_message": msg, "server_code": code, "server_where": where}}
		if strings.HasPrefix(where, "header") || strings.HasPrefix(where, "WWW-Authenticate") {
			s.Where = WhereHeader
		}
		if msg != "" {
			s.Text = where + ": " + quoteMessage(msg)
			if code != "" && !strings.EqualFold(code, msg) {
				s.Text += " (code " + code + ")"
			}
		} else {
			s.Text = where + " = " + code
		}
		general := true
		for _, h := range have {
			if h.Params["api"] != "" || h.Where == WhereHeader && h.Kind == knowledge.KindAuth && h.Weight >= 0.9 {
				general = false
				break
			}
		}
		if r, params := classify(ex, msg, code, where == "page", general); r != nil {
			// The message names what happened: it votes, and its cause
			// and fixes come first (verdict.Decide, verdict.Fixes).
			s.Kind, s.Cause, s.Scheme, s.Weight = r.Verdict, r.Cause, ruleScheme(r.Scheme, ex), r.Weight
			s.Fixes, s.FixIDs = r.Fixes, r.FixIDs
			s.Text += ": " + r.Explain
			s.ID = SigServerMessage + "/" + r.ID
			if id := params["api_id"]; id != "" {
				s.ID = SigServerMessage + "/" + id + "/" + r.ID // an API file's rule
				delete(params, "api_id")
			}
			for k, v := range params {
				s.Params[k] = v
			}
			if r.Says != "" {
				s.Params["cause_wording"] = r.Says
			}
		}
		out = append(out, s)
	}
	for _, r := range w.Refs {
		out = append(out, Signal{ID: SigRequestID, Ref: r, Entry: -1})
	}
	if w.ClientIP != "" {
		// The address the refusing server saw: what the site owner
		// allowlists or looks up, and what tells a proxy's exit from
		// the client's own network.
		out = append(out, Signal{ID: SigClientIP, Where: WhereBody, Entry: -1,
			Text:   "the page prints the client IP the server saw: " + w.ClientIP,
			Params: map[string]string{"client_ip": w.ClientIP}})
	}
	return out
}

// classify finds the first message rule that the message (or its code)
// fires: the rules of the API files that apply to the exchange first, then
// messages.json's. It returns the rule and the parameters its regex named.
func classify(ex *capture.Exchange, msg, code string, page, general bool) (*knowledge.MessageRule, map[string]string) {
	if msg == "" && code == "" {
		return nil, nil
	}
	low := strings.ToLower(msg + " \u2016 " + code)
	plain := !strings.ContainsRune(msg, 'ſ') // knowledge.Pattern.MayMatchLower's one exception
	try := func(rules []knowledge.MessageRule) (*knowledge.MessageRule, map[string]string) {
		for i := range rules {
			r := &rules[i]
			if len(r.Status) > 0 && !containsInt(r.Status, ex.Response.Status) || page && !r.Pages {
				continue
			}
			hit := len(r.Words) == 0
			for _, w := range r.Words {
				if containsWord(low, strings.ToLower(w)) {
					hit = true
					break
				}
			}
			if !hit {
				continue
			}
			var params map[string]string
			if re := r.Re(); re != nil {
				if plain && !r.MayMatch(low) {
					continue // no word the expression needs
				}
				m := re.FindStringSubmatch(msg)
				if m == nil {
					continue
				}
				params = map[string]string{}
				for i, name := range re.SubexpNames() {
					if name != "" && m[i] != "" {
						params[name] = m[i]
					}
				}
				for name, templates := range r.Derive {
					for _, t := range templates {
						if v, ok := knowledge.Fill(t, params); ok {
							params[name] = v
							break
						}
					}
				}
			}
			return r, params
		}
		return nil, nil
	}
	if set, err := compiledAPIs(); err == nil {
		for f := range set.filesFor(ex) {
			if len(f.Messages) == 0 {
				continue
			}
			if r, p := try(f.Messages); r != nil {
				if p == nil {
					p = map[string]string{}
				}
				for k, v := range apiParams(f, ex) {
					if _, ok := p[k]; !ok {
						p[k] = v
					}
				}
				p["api"], p["api_id"] = f.Name, f.ID
				return r, p
			}
		}
	}
	if rules, err := knowledge.Messages(); err == nil && general {
		return try(rules)
	}
	return nil, nil
}

// containsWord finds w in s where neither end touches a letter or a digit
// ("mfa" in "MFA required", not in "comfable").
func containsWord(s, w string) bool {
	for from := 0; ; {
		i := strings.Index(s[from:], w)
		if i < 0 {
			return false
		}
		i += from
		j := i + len(w)
		if (i == 0 || !alnum(s[i-1])) && (j == len(s) || !alnum(s[j])) {
			return true
		}
		from = i + 1
	}
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' }

// quoteMessage quotes a message as the report shows it: in double quotes,
// as written (no escaping: the writers escape what they must).
func quoteMessage(m string) string { return "\u201c" + m + "\u201d" }

// serverMessage finds the message and the code, and says where they were
// read ("body error.message", "<Message>", "WWW-Authenticate
// error_description", "header x-amzn-errortype", "page", "body").
//
// ScrubKnown replaces the request's secrets found in text with their
// fingerprints, and nothing else: for identifiers (request ids) that are
// long and random by nature but not secrets.
func (s *Secrets) ScrubKnown(text string) string {
	if s == nil {
		return text
	}
	for _, v := range s.list {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, capture.Fingerprint("", v))
		}
	}
	return text
}
