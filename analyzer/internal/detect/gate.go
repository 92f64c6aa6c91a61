package detect

import (
	"why401/analyzer/internal/knowledge"

	"bytes"
	"strconv"
	"strings"

	"why401/analyzer/internal/capture"
)

// A gate is a page that stands in for the requested content to check that
// a person is asking: "Verify you are human", a forum's own captcha form, a
// portal's visitor-system redirect. Site-run gates carry no vendor marker and
// often answer 200, so they are read from the page's structure: what its
// title and headings say it is for, how little else it holds, and whether it
// asks for a credential instead (a login or a one-time code is not a gate,
// whatever widget it embeds). Issue 13, category 3.

// The words a gate is read by are words.json's gate-titles (a title or
// heading whose purpose is a human check), gate-form-actions (a form that
// posts an answer to a check), gate-captcha-inputs (a self-hosted CAPTCHA),
// credential-inputs (a page that asks for a credential, not for proof of
// being a person) and login-failures (what a login form says when the
// credential was wrong).

// pageShape is what a page's markup says about its purpose. Only what the
// gate shapes below ask for is read, and in the order that lets most pages
// stop early: content pages at the text count, untitled pages at the
// CAPTCHA input.
type pageShape struct {
	title, heading string // first title and h1/h2 text, spaces collapsed
	text           int    // bytes of visible text (scripts, styles and tags dropped), below 1,200
	paragraphs     int
	action         string // a form action that posts an answer to a check
	input          string // a self-hosted CAPTCHA input
	scripts        int
}

// gateScanLimit bounds the markup read: gates are small, articles are not.
const gateScanLimit = 48 << 10

// gateAction is the first form action that posts an answer to a check.
func gateAction(low []byte) string {
	for rest := low; ; {
		i := bytes.Index(rest, []byte("<form"))
		if i < 0 {
			return ""
		}
		rest = rest[i+5:]
		end := bytes.IndexByte(rest, '>')
		if end < 0 {
			return ""
		}
		if a := attr(rest[:end], "action"); a != "" && firstOf([]byte(a), list(gateFormActions)) != "" {
			return a
		}
	}
}

// gateSignals reads an HTML page's structure: a human-check gate votes bot;
// a login form that reports a failed login votes auth, and the CAPTCHA widget
// inside a credential form stops voting (the widget is part of the form, not
// a gate in front of the content).
func gateSignals(ex *capture.Exchange, sig []Signal, body *respBody) []Signal {
	resp := &ex.Response
	if len(resp.Body) == 0 || !body.isHTML() || resp.Status >= 300 && resp.Status < 400 {
		return sig
	}
	if credentialOf(body) != "" {
		for i := range sig {
			if s := &sig[i]; s.Kind == knowledge.KindBot && s.Role == roleCaptcha && isWidget(s) {
				s.Kind, s.Weight, s.Role = "", 0, RolePresence
				s.Text += " (inside a form that asks for a password or a one-time code: part of the form, not a gate)"
			}
		}
		if resp.Status == 401 || resp.Status == 403 || resp.Status == 200 {
			if w := body.firstOf(loginFailures, gateScanLimit); w != "" {
				weight := 0.85
				if resp.Status == 200 {
					weight = 0.6
				}
				sig = append(sig, Signal{ID: "login-form-failed", Kind: knowledge.KindAuth, Weight: weight, Cause: "invalid_credentials",
					Where: WhereBody, Entry: -1, Text: "a login form answered " + strconv.Quote(w) + ": the submitted username or password was rejected",
					Params: map[string]string{"login_failure": w}})
			}
		}
		return sig
	}
	if hasKind(sig, knowledge.KindBot) && !onlyWidgets(sig) {
		return sig // a vendor's own page already says what it is
	}
	// Both gate shapes below hold under 1,200 bytes of visible text: a page
	// with more is content, and the rest of its shape is not read.
	p := pageShape{text: visibleTextUpTo(body, gateScanLimit, 1200)}
	if p.text >= 1200 {
		return sig
	}
	low := body.lower(gateScanLimit)
	p.title = innerText(low, "<title")
	for _, h := range []string{"<h1", "<h2"} {
		if p.heading = innerText(low, h); p.heading != "" {
			break
		}
	}
	phrase := ""
	for _, t := range []string{p.title, p.heading} {
		if phrase = firstOf([]byte(t), list(gateTitles)); phrase != "" {
			break
		}
	}
	widget := widgetVendor(sig)
	if phrase == "" {
		// Untitled: only a tiny page whose one form answers a check is a gate.
		if p.text >= 600 {
			return sig
		}
		if p.input = body.firstOf(gateCaptchaInputs, gateScanLimit); p.input == "" && widget == "" {
			return sig
		}
		if p.action = gateAction(low); p.action == "" {
			return sig
		}
	} else {
		// The requested content is absent: little text, few paragraphs.
		if p.paragraphs = bytes.Count(low, []byte("<p>")) + bytes.Count(low, []byte("<p ")); p.paragraphs > 4 {
			return sig
		}
		p.input = body.firstOf(gateCaptchaInputs, gateScanLimit)
		p.action = gateAction(low)
		p.scripts = bytes.Count(low, []byte("<script"))
	}
	var what []string
	weight := 0.7
	if phrase != "" {
		what = append(what, "the page is titled "+strconv.Quote(phrase))
		if p.action != "" || p.input != "" || widget != "" || p.scripts > 0 {
			weight = 0.85
		}
	} // else no title, but a tiny page whose only form answers a check
	if p.action != "" {
		what = append(what, "its form posts to "+strconv.Quote(capture.Clip(maskQuery(p.action), 60)))
	}
	if p.input != "" {
		what = append(what, "it asks for a CAPTCHA answer")
	}
	if widget != "" {
		what = append(what, "it embeds a CAPTCHA widget")
	}
	what = append(what, "and holds only "+strconv.Itoa(p.text)+" bytes of text")
	cause := "challenge"
	if p.input != "" || widget != "" {
		cause = "captcha"
	}
	who := " (run by the site itself, not by a known vendor)"
	if widget != "" {
		who = " (the site's own gate around a CAPTCHA widget)"
	}
	sig = append(sig, Signal{ID: "human-check-gate", Kind: knowledge.KindBot, Weight: weight, Vendor: widget, Role: cause, Cause: cause,
		Where: WhereBody, Entry: -1,
		Text: strings.Join(what, ", ") + ": a page that checks for a person instead of serving the content" + who})
	return sig
}

// isWidget: the signal is a CAPTCHA vendor's widget marker.
func isWidget(s *Signal) bool {
	v := knowledge.Vendor(s.Vendor)
	return v != nil && v.Kind == "captcha"
}

// onlyWidgets: every bot vote is a CAPTCHA widget's (none from a bot manager).
func onlyWidgets(sig []Signal) bool {
	for i := range sig {
		if sig[i].Kind == knowledge.KindBot && !isWidget(&sig[i]) {
			return false
		}
	}
	return true
}

// widgetVendor names the CAPTCHA widget the page embeds, voting or not.
func widgetVendor(sig []Signal) string {
	for i := range sig {
		if isWidget(&sig[i]) {
			return sig[i].Vendor
		}
	}
	return ""
}

// visibleTextUpTo is capture.VisibleTextUpTo of the body's first n bytes
// lowered, lowering only what it reads: a page whose first 8 KiB already
// hold more than limit bytes of text is content, and the rest of it is not
// lowered (the count over a prefix never exceeds the count over the whole,
// and past limit both stop at the same byte).
func visibleTextUpTo(body *respBody, n, limit int) int {
	if first := min(n, 8<<10); first < min(n, len(body.m.Body)) {
		if t := capture.VisibleTextUpTo(body.lower(first), limit); t > limit {
			return t
		}
	}
	return capture.VisibleTextUpTo(body.lower(n), limit)
}

// credentialOf names the credential input of a page (in its first
// gateScanLimit bytes), if any.
func credentialOf(body *respBody) string { return body.firstOf(credentialInputs, gateScanLimit) }

func firstOf(low []byte, words []string) string {
	for _, w := range words {
		if bytes.Contains(low, []byte(w)) {
			return w
		}
	}
	return ""
}

// innerText is the text of the first element opened by tag (e.g. "<title"),
// inner tags dropped and spaces collapsed, at most 200 bytes.
func innerText(low []byte, tag string) string {
	i := bytes.Index(low, []byte(tag))
	if i < 0 {
		return ""
	}
	rest := low[i+len(tag):]
	if len(rest) == 0 || rest[0] != '>' && rest[0] != ' ' {
		return ""
	}
	j := bytes.IndexByte(rest, '>')
	if j < 0 {
		return ""
	}
	rest = rest[j+1:]
	end := bytes.Index(rest, []byte("</"+tag[1:]))
	if end < 0 {
		end = min(len(rest), 400)
	}
	var b strings.Builder
	in := false
	for _, c := range rest[:end] {
		switch {
		case c == '<':
			in = true
		case c == '>':
			in = false
		case !in:
			b.WriteByte(c)
		}
	}
	return capture.Clip(strings.Join(strings.Fields(b.String()), " "), 200)
}

// attr returns the value of a tag's attribute (lowered markup).
func attr(tag []byte, name string) string {
	for _, q := range []string{`"`, `'`} {
		key := []byte(" " + name + "=" + q)
		if i := bytes.Index(tag, key); i >= 0 {
			v := tag[i+len(key):]
			if j := bytes.Index(v, []byte(q)); j >= 0 {
				return strings.ReplaceAll(string(v[:j]), "&amp;", "&")
			}
		}
	}
	return ""
}

// maskQuery drops a form action's query values (a ticket or a nonce may be in it).
func maskQuery(a string) string {
	if i := strings.IndexByte(a, '?'); i >= 0 {
		return a[:i] + "?…"
	}
	return a
}
