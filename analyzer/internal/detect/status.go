package detect

import (
	"github.com/tidwall/gjson"
	"why401/analyzer/internal/knowledge"

	"bytes"
	"strconv"
	"strings"
	"time"

	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
)

// statusSignals reads the status code, the shape of the body and CORS
// preflights: the weakest, most general evidence, which specific rules outweigh.
func statusSignals(ex *capture.Exchange, lb *respBody) []Signal {
	resp := &ex.Response
	wl := words()
	st := resp.Status
	stText := "HTTP " + strconv.Itoa(st) + " " + resp.Reason
	if resp.Reason == "" {
		stText = "HTTP " + strconv.Itoa(st)
	}
	sig := func(id string, kind knowledge.Kind, w float64, cause, text string) Signal {
		return Signal{ID: id, Kind: kind, Weight: w, Cause: cause, Where: WhereStatus, Text: text, Entry: -1}
	}
	var out []Signal
	req := ex.Request
	var creds []credential
	if st >= 400 { // only failures ask what was sent
		creds = credentialsOf(ex)
	}
	isJSON := lb.isJSON()
	isHTML := lb.isHTML()
	var rl rateLimitInfo
	if st == 403 || st == 429 || st == 503 {
		rl = readRateLimit(resp)
	}

	// A CORS preflight never carries credentials (Fetch Standard): an auth
	// answer to it is the server's mistake, whatever the token.
	if req != nil && ascii.EqualFold(req.Method, "OPTIONS") && (req.Has("Access-Control-Request-Method") || ex.ResourceType == "preflight") && (st == 401 || st == 403) {
		s := sig("cors-preflight-rejected", knowledge.KindAuth, 0.95, "preflight", "OPTIONS preflight (Access-Control-Request-Method: "+capture.Clip(ShowHeaderValue("Access-Control-Request-Method", req.Get("Access-Control-Request-Method")), 40)+") answered "+stText)
		s.Where = WhereRequest
		return append(out, s)
	}

	switch {
	case st == 0:
		t := "no response (status 0)"
		if ex.ClientError != "" {
			t += ": " + ex.ClientError
		}
		s := sig("no-response", knowledge.KindUnknown, 0.6, "", t)
		s.FixIDs = []string{clientFailureFix(ex.ClientError)}
		if ex.ClientError != "" {
			s.Params = map[string]string{"client_error": ex.ClientError}
		}
		out = append(out, s)
	case st < 400:
		out = okSignals(ex, lb, stText) // out is empty here: okSignals' own slice, not a copy
	case st == 401:
		words := lb.hasAny(wl.w[authWords])
		switch {
		case resp.Has("WWW-Authenticate"):
			// challengeSignals speaks for it.
		case isJSON && words != "":
			out = append(out, sig("401-json-auth", knowledge.KindAuth, 0.8, missingOr(creds, req), stText+" with a JSON body that mentions "+strconv.Quote(words)))
		case isJSON || len(bytes.TrimSpace(resp.Body)) == 0:
			// Many APIs omit the MUST-send WWW-Authenticate: absence is not evidence against auth.
			out = append(out, sig("401-no-challenge", knowledge.KindAuth, 0.55, missingOr(creds, req), stText+" without WWW-Authenticate"))
		case isHTML && words != "":
			out = append(out, sig("401-html-auth", knowledge.KindAuth, 0.45, missingOr(creds, req), stText+" with an HTML page that mentions "+strconv.Quote(words)))
		default:
			out = append(out, sig("401-no-challenge", knowledge.KindAuth, 0.4, missingOr(creds, req), stText+" without WWW-Authenticate"))
		}
		if isHTML && !resp.Has("WWW-Authenticate") {
			out = append(out, sig("401-html-no-challenge", knowledge.KindBot, 0.2, "", stText+" without WWW-Authenticate serves an HTML page, as block pages do"))
		}
	case st == 403 && (rl.exhausted != "" || rl.retryAfter != "" && strings.TrimSpace(resp.Get("Retry-After")) != "0"):
		// (Retry-After: 0, "retry at once", asks for no wait: an edge's
		// error page default, not a quota.)
		// A quota answered with 403 (GitHub's primary and secondary limits,
		// many SaaS APIs): the counter at 0 or a Retry-After says the
		// credential was accepted and the caller must wait.
		w, what := 0.75, "Retry-After: "+rl.retryAfter
		if rl.exhausted != "" {
			w, what = 0.9, rl.exhausted
		}
		out = append(out, rl.signal("403-rate-limit", w, stText+" with "+what))
	case st == 403:
		if words := lb.hasAny(wl.w[anonymousWords]); words != "" {
			out = append(out, sig("403-anonymous", knowledge.KindAuth, 0.88, "missing_credentials", stText+" whose body says "+strconv.Quote(words)))
		} else if words := lb.hasAny(wl.w[permissionWords]); isJSON && words != "" {
			out = append(out, sig("403-permission", knowledge.KindForbidden, 0.6, "insufficient_permissions", stText+" with a JSON body that mentions "+strconv.Quote(words)))
		} else if isProblem(resp, lb) {
			// RFC 9457: an API's own problem detail on a 403 is the
			// application refusing this action (a business rule, an
			// object's state, a permission), not a layer in front of it.
			out = append(out, sig("403-problem", knowledge.KindForbidden, 0.55, "insufficient_permissions", stText+" with an RFC 9457 problem detail: the API itself refuses this action"))
		} else if len(creds) > 0 {
			// RFC 9110 §15.5.4: credentials were sent and judged insufficient.
			out = append(out, sig("403", knowledge.KindForbidden, 0.35, "insufficient_permissions", stText+" to a request that carried credentials"))
		} else if inline := inlineCredentials(ex); inline != "" {
			// A grant in a token request's body, a signature in the URL:
			// credentials were involved, only not in a header.
			out = append(out, sig("403-unexplained", knowledge.KindUnknown, 0.4, "", stText+" to "+inline+", with no marker of who refused"))
		} else {
			// No credentials, no auth vocabulary, no vendor marker: the capture
			// does not say which layer refused (a permission, an IP or
			// User-Agent rule of the web server, a WAF with a plain page).
			out = append(out, sig("403-unexplained", knowledge.KindUnknown, 0.4, "", stText+" with no credentials involved and no marker of who refused"))
		}
	case st == 407:
		// proxySignals speaks for it.
	case st == 418 && !bytes.Contains(lb.lower(4<<10), []byte("teapot")):
		// RFC 9110 §15.5.19 leaves 418 unused: no server means it. Sites and bot
		// rules answer it to refuse clients they take for bots (Douban's "cdn
		// error 001" on a library User-Agent); a body that talks of a teapot is
		// the joke itself (httpbin's /status/418).
		out = append(out, Signal{ID: "418", Kind: knowledge.KindBot, Weight: 0.6, Cause: "block", Where: WhereStatus, Entry: -1,
			Text: stText + ": a status no server means literally, answered by some sites and bot rules to clients they take for bots"})
	case st == 429:
		s := rl.signal("429", 0.6, stText)
		if ra := resp.Get("Retry-After"); ra != "" {
			s.Weight, s.Text = 0.85, stText+" with Retry-After: "+capture.Clip(ra, 40)
		} else if rl.exhausted != "" {
			s.Weight, s.Text = 0.85, stText+" with "+rl.exhausted
		} else if h := rateLimitHeader(resp); h != "" {
			s.Weight, s.Text = 0.85, stText+" with "+h
		} else if words := lb.hasAny(wl.w[quotaWords]); words != "" && !isHTML {
			// An API's own quota answer: the credential was accepted.
			s.Weight, s.Text = 0.85, stText+" whose body says "+strconv.Quote(words)
		}
		out = append(out, rl.quote(s))
	case st == 503 && rl.exhausted != "":
		out = append(out, rl.signal("503-rate-limit", 0.85, stText+" with "+rl.exhausted))
	case st == 503 && resp.Get("Retry-After") != "":
		out = append(out, rl.signal("503-retry-after", 0.35, stText+" with Retry-After: "+capture.Clip(ShowHeaderValue("Retry-After", resp.Get("Retry-After")), 40)))
	}
	if st >= 400 {
		out = append(out, genericBotSignals(ex, isHTML, lb)...)
		out = append(out, proxyProviderSignals(ex, lb)...)
	}
	return out
}

// proxyCauses are the refusals of a scraping-proxy provider itself (vendor
// kind "proxy") that no vendor role expresses: its presence rules with one of
// these causes vote here, with the provider's fixes for that cause.
var proxyCauses = map[string]knowledge.Kind{
	"proxy_auth":     knowledge.KindProxyAuth, // the provider refused your key or account (407, Zyte-Error-Type /auth/…)
	"provider_error": knowledge.KindUnknown,   // the provider failed internally: neither the target nor you
	"origin_error":   knowledge.KindUnknown,   // any vendor: the site's own server (origin) failed behind it (Cloudflare 52x)
	"proxy_rule":     knowledge.KindForbidden, // a company's secure web gateway (Zscaler, Blue Coat …) refused by its policy: not the site
}

// anyVendorCauses are the causes of proxyCauses a vendor of any kind may
// use (the others are a scraping-proxy provider's).
var anyVendorCauses = map[string]bool{"origin_error": true}

// causeFixes are the fixes of a rule that votes for its cause: its own
// when the vendor file has them (Cloudflare's 524 is not its 521), else
// the cause's.
func causeFixes(v *vendor, r *cRule) []knowledge.Fix {
	if f := v.Fixes[r.ID]; len(f) > 0 {
		return f
	}
	return v.Fixes[r.Cause]
}

// proxyProviderSignals: a scraping-proxy provider (Zyte, …) answering for
// itself. Its block and rate_limit rules (the target banned the provider's
// attempts; the provider is out of capacity) vote through vendorSignals; the
// refusal of your proxy key and the provider's own failure are voted here, so
// that the evidence and the fix name the provider rather than a bare 407.
func proxyProviderSignals(ex *capture.Exchange, lb *respBody) []Signal {
	set, _ := compiledVendors()
	resp := &ex.Response
	var out []Signal
	jar := &cookieJar{}
	for _, v := range set.list {
		if len(v.proxyRules) == 0 {
			continue
		}
		// One origin vote per vendor: Cloudflare's 52x header and its
		// error page say the same thing once.
		voted := map[string]bool{}
		for _, r := range v.proxyRules {
			kind := proxyCauses[r.Cause]
			if !r.statusOK(resp) || voted[r.Cause] || r.Fallback && len(out) > 0 && out[len(out)-1].Vendor == v.ID {
				continue // a fallback rule: a specific code of the vendor already spoke
			}
			text := ""
			if r.Part == "body" {
				if w, p := ruleWordIn(lb, r, statusScanLimit); w != "" && (r.re == nil || r.re.Match(resp.Body)) {
					// Quoted as the page shows it, as vendorSignals does.
					text = snippetAt(resp.Body, lb.wordAt(p, w), w)
				}
			} else if t, ok := r.matchField(ex, jar); ok {
				text = t
			}
			if text == "" {
				continue
			}
			if r.Explain != "" {
				text += " — " + r.Explain
			}
			w := r.Weight
			if w == 0 {
				w = 0.9
			}
			s := Signal{ID: v.ID + "/" + r.ID, Kind: kind, Weight: w, Cause: r.Cause, Vendor: v.ID,
				Where: WhereHeader, Text: text + " (" + v.Name + ")", Entry: -1, Fixes: causeFixes(v, r),
				Params: map[string]string{"vendor_name": v.Name}, Ref: v.reference(resp)}
			if r.Part == "body" {
				s.Where = WhereBody
			}
			s.Ref = v.reference(resp) // the Ray ID of Cloudflare's origin-error box
			if said := providerSaid(ex, r); said != "" {
				if _, rest, ok := strings.Cut(s.Text, " — "); ok && strings.Count(said, ": ") > 1 {
					// Every header the provider set, not only the first.
					s.Text = said + " — " + rest
				}
				// The provider's own error headers, all of them: the fix
				// quotes them instead of saying "the header says which".
				s.Params[ParamProviderSaid] = said
				if credentialWords(said) {
					s.Params[ParamProviderSaidCredentials] = "1"
				}
			}
			if kind == knowledge.KindProxyAuth {
				s.Scheme = "basic" // providers take the key as proxy Basic credentials
				if ex.Request != nil {
					if pa := strings.TrimSpace(ex.Request.Get("Proxy-Authorization")); pa != "" {
						s.Scheme = SchemeID(strings.Fields(pa)[0])
					}
				}
			}
			out = append(out, s)
			voted[r.Cause] = anyVendorCauses[r.Cause]
		}
	}
	return out
}

// The fix parameters of a proxy provider's own answer: its error headers
// as sent ("x-brd-err-msg: Invalid authentication: …"), and a flag when
// they name the credentials.
const (
	ParamProviderSaid            = "provider_said"
	ParamProviderSaidCredentials = "provider_said_credentials"
)

// providerSaid joins the response headers a provider's header rule reads
// (every name its name or name_regex takes, not only the first), and an RFC
// 9209 Proxy-Status that names an error: what the provider said about
// this refusal, in its words.
func providerSaid(ex *capture.Exchange, r *cRule) string {
	if r.Part != "header" {
		return ""
	}
	var parts []string
	for _, f := range ex.Response.Fields {
		v := strings.TrimSpace(f.Value)
		if v == "" || len(parts) == 4 {
			continue
		}
		if r.nameOK(f.Name) || ascii.EqualFold(f.Name, "Proxy-Status") && ascii.Contains(v, "error=") {
			parts = append(parts, f.Name+": "+capture.Clip(ShowHeaderValue(f.Name, v), 160))
		}
	}
	return strings.Join(parts, "; ")
}

// credentialWords: a provider's error names the credentials (a wrong user
// name, password, key or authentication), not an allowlist or a balance.
func credentialWords(said string) bool {
	low := strings.ToLower(said)
	for _, w := range []string{"authentication", "auth failed", "password", "credential", "wrong_customer", "username", "user name", "bad_proxy_auth", "key-not-found"} {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
}

// ruleWordIn returns the first word of a body rule (as the rule writes it,
// in the rule's order) that the body's first n bytes hold, any case, and its
// pattern index; "" and -1 when none.
func ruleWordIn(lb *respBody, r *cRule, n int) (string, int) {
	for i, p := range r.words {
		if lb.found(int32(p), n) {
			return r.Words[i], p
		}
	}
	return "", -1
}

// missingOr names the cause from what the request carried; "" when the
// capture does not show the request at all (credentials unknown).
func missingOr(creds []credential, req *capture.Message) string {
	if req == nil {
		return ""
	}
	if len(creds) == 0 {
		return "missing_credentials"
	}
	return "invalid_credentials"
}

// rateLimitInfo is what a response's quota headers say: whether a counter
// reached 0, when the quota resets, when to retry. Times are quoted in RFC
// 3339 and, when the response has a Date, relative to it (the capture's
// clock, not the reader's).
type rateLimitInfo struct {
	exhausted  string // "X-RateLimit-Remaining: 0" when a remaining counter is 0
	reset      string // "at 2026-12-01T09:30:00Z (X-RateLimit-Reset: 1796117400, 30 min after the response's Date)"
	retryAfter string // the raw Retry-After value
	retryAt    string // Retry-After as a time, quoted like reset
	// counted: a remaining counter above 0 was seen, so the reset time is
	// not what the caller waits for (GitHub's secondary limit).
	counted bool
	// counter: the name of the remaining counter header, as the response
	// wrote it (X-RateLimit-Remaining), for the fix that paces from it.
	counter string
	// retryWait and resetWait are the same two as a Wait.
	retryWait, resetWait Wait
}

// readRateLimit reads the X-RateLimit-*, RateLimit-* (IETF draft, also the
// combined "RateLimit: limit=…, remaining=…, reset=…"), X-Rate-Limit-* and
// Retry-After headers.
func readRateLimit(m *capture.Message) rateLimitInfo {
	var rl rateLimitInfo
	date, hasDate := ResponseDate(m)
	for _, f := range m.Fields {
		n := ascii.Lower(f.Name)
		v := strings.TrimSpace(f.Value)
		if !isRateLimitHeader(n) {
			continue
		}
		switch {
		case n == "ratelimit":
			// RateLimit: limit=100, remaining=0, reset=42 (draft-ietf-httpapi-ratelimit-headers ≤ 06)
			for _, p := range strings.Split(v, ",") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				switch ascii.Lower(strings.TrimSpace(k)) {
				case "remaining":
					if rl.counter == "" {
						rl.counter = f.Name
					}
					if zeroCount(val) && rl.exhausted == "" {
						rl.exhausted = f.Name + ": " + capture.Clip(v, 80)
					}
				case "reset":
					if rl.reset == "" {
						rl.reset, rl.resetWait = quoteReset(val, f.Name+": "+capture.Clip(ShowHeaderValue(f.Name, v), 80), date, hasDate)
					}
				}
			}
		case strings.Contains(n, "remaining"):
			if rl.counter == "" {
				rl.counter = f.Name
			}
			if zeroCount(v) {
				if rl.exhausted == "" {
					rl.exhausted = f.Name + ": " + capture.Clip(v, 40)
				}
			} else {
				rl.counted = true
			}
		case strings.Contains(n, "reset") || strings.HasSuffix(n, "-next"):
			// X-RateLimit-Next (Akamai's APIs): the ISO 8601 time of the next allowed request.
			if rl.reset == "" {
				rl.reset, rl.resetWait = quoteReset(v, f.Name+": "+capture.Clip(ShowHeaderValue(f.Name, v), 40), date, hasDate)
			}
		}
	}
	if ra := strings.TrimSpace(m.Get("Retry-After")); ra != "" {
		rl.retryAfter = capture.Clip(ShowHeaderValue("Retry-After", ra), 40)
		if secs, err := strconv.ParseFloat(ra, 64); err == nil && secs >= 0 && secs < 1e9 {
			rl.retryAt = HumanSeconds(secs) + " after the response (Retry-After: " + rl.retryAfter + ")"
			rl.retryWait = Wait{Seconds: secs}
			if hasDate {
				rl.retryWait.Until = date.Add(time.Duration(secs * float64(time.Second)))
				rl.retryAt = capture.FormatRFC3339(rl.retryWait.Until) + " (Retry-After: " + rl.retryAfter + ", " + HumanSeconds(secs) + " after the response's Date)"
			}
		} else if t, ok := capture.ParseHTTPDate(ra); ok {
			rl.retryAt = capture.FormatRFC3339(t) + " (Retry-After: " + rl.retryAfter
			rl.retryWait = Wait{Until: t}
			if hasDate && !t.Before(date) {
				rl.retryWait.Seconds = t.Sub(date).Seconds()
				rl.retryAt += ", " + HumanSeconds(rl.retryWait.Seconds) + " after the response's Date"
			}
			rl.retryAt += ")"
		}
	}
	return rl
}

// zeroCount: a remaining counter of 0 ("0", "0.0", "0;w=60").
func zeroCount(v string) bool {
	v, _, _ = strings.Cut(strings.TrimSpace(v), ";")
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	return err == nil && x <= 0
}

// quoteReset reads a reset value: epoch seconds (GitHub, most X-RateLimit-Reset),
// epoch milliseconds, seconds from now (RateLimit-Reset, X-RateLimit-Reset-After)
// a duration such as "6m0s" (OpenAI's x-ratelimit-reset-requests) or an RFC
// 3339 time (Akamai's X-RateLimit-Next). It returns the time quoted for
// people and the wait it stands for ("" and a zero Wait when none).
func quoteReset(v, field string, date time.Time, hasDate bool) (string, Wait) {
	v = strings.TrimSpace(v)
	at := func(t time.Time) (string, Wait) {
		s := "at " + capture.FormatRFC3339(t) + " (" + field
		w := Wait{Until: t}
		if hasDate {
			d := t.Sub(date).Seconds()
			if d < 0 {
				// Already past: the clocks disagree, or the value is not a
				// reset time; nothing to wait for.
				return "", Wait{}
			}
			w.Seconds = d
			s += ", " + HumanSeconds(d) + " after the response's Date"
		}
		return s + ")", w
	}
	after := func(x float64, how string) (string, Wait) {
		w := Wait{Seconds: x}
		if hasDate {
			w.Until = date.Add(time.Duration(x * float64(time.Second)))
			return "at " + capture.FormatRFC3339(w.Until) + " (" + field + how + " after the response's Date)", w
		}
		return "", w
	}
	if x, err := strconv.ParseFloat(v, 64); err == nil && x >= 0 {
		switch {
		case x >= 1e12: // epoch milliseconds
			x /= 1000
			fallthrough
		case x >= 1e9: // epoch seconds
			return at(time.Unix(int64(x), 0))
		default: // seconds from the response
			if s, w := after(x, " seconds, "+HumanSeconds(x)); s != "" {
				return s, w
			}
			return HumanSeconds(x) + " after the response (" + field + " seconds)", Wait{Seconds: x}
		}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return at(t)
	}
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		if s, w := after(d.Seconds(), ""); s != "" {
			return s, w
		}
		return v + " after the response (" + field + ")", Wait{Seconds: d.Seconds()}
	}
	return "", Wait{}
}

// HumanSeconds writes a wait as "42 s", "30 min", "1 h 5 min".
func HumanSeconds(x float64) string {
	s := int64(x + 0.5)
	switch {
	case s < 120:
		return strconv.FormatInt(s, 10) + " s"
	case s < 7200:
		m := strconv.FormatInt(s/60, 10) + " min"
		if r := s % 60; r != 0 {
			m += " " + strconv.FormatInt(r, 10) + " s"
		}
		return m
	default:
		h := strconv.FormatInt(s/3600, 10) + " h"
		if r := s % 3600 / 60; r != 0 {
			h += " " + strconv.FormatInt(r, 10) + " min"
		}
		return h
	}
}

// signal makes a rate-limit signal that quotes the reset time.
func (rl rateLimitInfo) signal(id string, w float64, text string) Signal {
	return rl.quote(Signal{ID: id, Kind: knowledge.KindRateLimit, Weight: w, Cause: "rate_limit", Where: WhereStatus, Text: text, Entry: -1})
}

// quote adds the reset and retry times to a rate-limit signal's text, its
// parameters ({{retry_after}}, {{retry_at}}, {{rate_limit_reset}} for API
// and generic fixes) and a fix that names the time.
func (rl rateLimitInfo) quote(s Signal) Signal {
	if rl.retryAfter == "" && rl.reset == "" {
		return s
	}
	if rl.exhausted != "" && !strings.Contains(s.Text, rl.exhausted) {
		s.Text += " (" + rl.exhausted + ")"
	}
	if s.Params == nil {
		s.Params = map[string]string{}
	}
	if rl.retryAfter != "" {
		s.Params["retry_after"] = rl.retryAfter
		if rl.retryAt != "" {
			s.Params["retry_at"] = rl.retryAt
			s.Text += "; wait until " + rl.retryAt
			s.Wait = rl.retryWait
		}
	}
	if rl.reset != "" && (rl.exhausted != "" || !rl.counted) {
		s.Params["rate_limit_reset"] = rl.reset
		s.Text += "; the quota resets " + rl.reset
		if s.Wait.IsZero() {
			s.Wait = rl.resetWait
		}
	}
	// Pacing from the remaining counter is advice only where the counter
	// is what ran out: not beside a secondary limit that refused while it
	// still counted (GitHub), nor where no such header was sent (Shopify).
	if rl.counter != "" && !rl.counted {
		s.Params["remaining_header"] = rl.counter
	}
	// fixes.json's waits: a step whose time is not known is left out.
	switch {
	case s.Params["rate_limit_reset"] != "":
		s.FixIDs = append(s.FixIDs, fixWaitQuotaReset)
	case s.Params["retry_at"] != "":
		s.FixIDs = append(s.FixIDs, fixWaitRetryAfter)
	}
	return s
}

// isRateLimitHeader: a lowered field name of words.json's rate-limit-header-prefixes.
func isRateLimitHeader(n string) bool {
	for _, p := range list(rateLimitHeaderPrefixes) {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// SigHeadsUp starts the id of a signal that warns on a success: nothing is
// wrong with this exchange, but the capture shows what will go wrong next.
const SigHeadsUp = "heads-up"

// okSignals weighs a success by what it shows: a 2xx with content that is
// not a page is an explicit answer (0.92), a page, a redirect or an empty
// answer says less (0.85: a challenge page is served with 200 too),
// and a JSON body shaped like an error ("error", "errors", "ok": false)
// says little for success (0.5: an API's refusal may hide in it). A success
// whose quota is spent (a remaining counter at 0) carries a heads-up.
func okSignals(ex *capture.Exchange, lb *respBody, stText string) []Signal {
	resp := &ex.Response
	w := 0.85
	body := bytes.TrimSpace(resp.Body)
	switch {
	case resp.Status >= 300 || len(body) == 0:
	case len(body) <= 4<<10 && body[0] == '{' && lb.isJSON() && lb.errorShaped():
		// The status says it worked, the body says it did not: ok only
		// when the body has no error shape. What the error is, the
		// server's words or an API file say (they outweigh this).
		return []Signal{{ID: "2xx-error-shaped", Kind: knowledge.KindUnknown, Weight: 0.5, Where: WhereBody, Entry: -1,
			Text: stText + " whose JSON body is shaped like an error: the status alone does not say the request worked"}}
	case resp.Status < 300 && !lb.isHTML():
		w = 0.92 // an HTML page may be a challenge served with 200: it keeps 0.85
	}
	out := []Signal{{ID: "status-ok", Kind: knowledge.KindOK, Weight: w, Where: WhereStatus, Text: stText, Entry: -1}}
	if rateLimitHeader(resp) != "" {
		if rl := readRateLimit(resp); rl.exhausted != "" {
			t := rl.exhausted + ": this answer spent the quota; the next request will be refused"
			if rl.reset != "" {
				t += " until the reset " + rl.reset
			}
			out = append(out, Signal{ID: SigHeadsUp + "/quota-spent", Where: WhereHeader, Text: t, Entry: -1})
		}
	}
	return out
}

// errorShaped: a JSON object with an error key, an errors list, "ok":
// false (Slack, Telegram), "success": false, or a JSend "status" of "error"
// or "fail": the shapes in which APIs refuse inside a 200. valid says body
// is valid JSON (capture.ValidJSON): a valid object's top-level members are
// then read in one pass (a gjson Get per key read it six times), the first
// of each key counting as with Get; other text is read as Get reads it.
func errorShaped(body []byte, valid bool) bool {
	var r [6]gjson.Result // error, errors, ok, fault, success, status
	if t := bytes.TrimLeft(body, " \t\r\n"); !valid || len(t) == 0 || t[0] != '{' {
		copy(r[:], gjson.GetManyBytes(body, "error", "errors", "ok", "fault", "success", "status"))
		return errorShapedOf(&r)
	}
	var got uint8
	gjson.ParseBytes(body).ForEach(func(k, v gjson.Result) bool {
		i := errorShapeKey(k.Str)
		if i >= 0 && got&(1<<i) == 0 {
			r[i], got = v, got|1<<i
		}
		return got != 1<<len(r)-1
	})
	return errorShapedOf(&r)
}

func errorShapedOf(r *[6]gjson.Result) bool {
	st := r[5].String()
	return r[0].Exists() && r[0].Type != gjson.Null && !(r[0].Type == gjson.False) ||
		r[1].IsArray() && len(r[1].Array()) > 0 || r[2].Type == gjson.False || r[3].Exists() ||
		r[4].Type == gjson.False || r[5].Type == gjson.String && (ascii.EqualFold(st, "error") || ascii.EqualFold(st, "fail"))
}

func errorShapeKey(k string) int {
	switch k {
	case "error":
		return 0
	case "errors":
		return 1
	case "ok":
		return 2
	case "fault":
		return 3
	case "success":
		return 4
	case "status":
		return 5
	}
	return -1
}

// errorShaped is errorShaped of the body, read once per exchange (the
// success's weight and the search for an API's refusal in a 200 both ask).
func (b *respBody) errorShaped() bool {
	if b.errShape == 0 {
		b.errShape = 1
		if errorShaped(b.m.Body, b.validRawJSON()) {
			b.errShape = 2
		}
	}
	return b.errShape == 2
}

func rateLimitHeader(m *capture.Message) string {
	for _, f := range m.Fields {
		n := ascii.Lower(f.Name)
		if isRateLimitHeader(n) {
			return f.Name + ": " + capture.Clip(ShowHeaderValue(f.Name, f.Value), 60)
		}
	}
	return ""
}

// genericBotSignals are low-weight hints any block page shows: a page that
// wants JavaScript and cookies, a tiny self-submitting form, a meta refresh.
func genericBotSignals(ex *capture.Exchange, isHTML bool, lb *respBody) []Signal {
	resp := &ex.Response
	if !isHTML {
		if ex.Request != nil && ascii.Contains(ex.Request.Get("Accept"), "json") && lb.isHTML() {
			return []Signal{{ID: "html-to-api-client", Kind: knowledge.KindBot, Weight: 0.25, Where: WhereBody, Entry: -1, Text: "an HTML page answered a request that asked for JSON"}}
		}
		return nil
	}
	var out []Signal
	if w := lb.hasAny(list(botPageWords)); w != "" {
		out = append(out, Signal{ID: "js-cookie-gate", Kind: knowledge.KindBot, Weight: 0.5, Cause: "challenge", Where: WhereBody, Entry: -1, Text: "the page says " + strconv.Quote(w)})
	}
	if !resp.Has("WWW-Authenticate") {
		if w := lb.hasAny(list(blockPageWords)); w != "" {
			out = append(out, Signal{ID: "block-wording", Kind: knowledge.KindBot, Weight: 0.35, Cause: "block", Where: WhereBody, Entry: -1, Text: "the page says " + strconv.Quote(w) + ", as block pages do"})
		}
	}
	// The two shapes below are tiny pages.
	low := []byte(nil)
	if len(resp.Body) < 8<<10 {
		low = lb.lower(8 << 10)
	}
	if bytes.Contains(low, []byte("<form")) && (bytes.Contains(low, []byte(".submit()")) || bytes.Contains(low, []byte("onload="))) {
		out = append(out, Signal{ID: "auto-submit-page", Kind: knowledge.KindBot, Weight: 0.3, Cause: "challenge", Where: WhereBody, Entry: -1, Text: "a tiny page that submits a form by script, as challenge pages do"})
	}
	if bytes.Contains(low, []byte(`http-equiv="refresh"`)) {
		out = append(out, Signal{ID: "meta-refresh", Kind: knowledge.KindBot, Weight: 0.2, Cause: "challenge", Where: WhereBody, Entry: -1, Text: "a tiny page that reloads itself (meta refresh)"})
	}
	if ex.Request != nil && ascii.Contains(ex.Request.Get("Accept"), "json") && !ascii.Contains(ex.Request.Get("Accept"), "html") {
		out = append(out, Signal{ID: "html-to-api-client", Kind: knowledge.KindBot, Weight: 0.25, Where: WhereBody, Entry: -1, Text: "an HTML page answered a request that asked for JSON (Accept: " + capture.Clip(ShowHeaderValue("Accept", ex.Request.Get("Accept")), 60) + ")"})
	}
	return out
}

// requestTraits explain why a request looked like a bot. They are context:
// shown with a bot verdict, they never make one.
// SigHeadlessUA: the User-Agent names a headless or automated browser.
const SigHeadlessUA = "headless-user-agent"

// headlessUA: a word of library-user-agents that names a browser run
// headless or by an automation driver, not an HTTP library.
func headlessUA(word string) bool { return headlessName[word] != "" }

var headlessName = map[string]string{"headlesschrome": "HeadlessChrome", "phantomjs": "PhantomJS", "puppeteer": "Puppeteer", "playwright": "Playwright"}

func requestTraits(ex *capture.Exchange, body *respBody) []Signal {
	r := ex.Request
	if r == nil || ex.Response.Status < 400 && ex.Response.Status != 200 && ex.Response.Status != 202 {
		return nil
	}
	var out []Signal
	add := func(id, text string) {
		out = append(out, Signal{ID: id, Where: WhereRequest, Text: text, Entry: -1})
	}
	ua := r.Get("User-Agent")
	lua := ascii.Lower(ua)
	switch {
	case ua == "" && len(r.Fields) > 0 && !strings.HasPrefix(ex.Producer, capture.FetchCopy):
		// (DevTools' "Copy as fetch" leaves out the User-Agent the browser sent.)
		add("no-user-agent", "the request sent no User-Agent")
	case ua != "":
		wl := words()
		for _, lib := range wl.w[libraryUserAgents] {
			if strings.Contains(lua, lib) {
				if headlessUA(lib) {
					// A browser driven without a window says so: not an HTTP
					// library (third review m13: HeadlessChrome/131).
					name := headlessName[lib]
					out = append(out, Signal{ID: SigHeadlessUA, Where: WhereRequest, Entry: -1, Params: map[string]string{"headless_ua": name},
						Text: "User-Agent " + strconv.Quote(capture.Clip(ua, 120)) + " announces a headless or automated browser (" + name + "), which bot managers flag as automation"})
					apiAnswer(out, body)
					break
				}
				add("library-user-agent", "User-Agent "+strconv.Quote(capture.Clip(ua, 120))+" is a "+strings.TrimSuffix(lib, "/")+" client, which bot managers score as automation")
				apiAnswer(out, body)
				break
			}
		}
		if runtimeUA(lua, wl.w[runtimeUserAgents]) {
			// The default User-Agent of fetch() in Node.js, Bun and Deno.
			add("library-user-agent", "User-Agent "+strconv.Quote(capture.Clip(ua, 40))+" is the default of a JavaScript runtime's fetch(), which bot managers score as automation")
			apiAnswer(out, body)
		}
		for _, bot := range wl.w[crawlerUserAgents] {
			if strings.Contains(lua, bot) {
				add("crawler-user-agent", "User-Agent "+strconv.Quote(capture.Clip(ua, 120))+" declares a crawler; sites often challenge or block crawlers by name (check robots.txt and the site's crawler policy; a claimed search-engine bot is verified by reverse DNS)")
				break
			}
		}
	}
	if strings.Contains(lua, "chrome/") && !strings.Contains(lua, "headless") && len(r.Fields) > 2 && ex.ResourceType == "" && !ex.APIRequest {
		var missing []string
		for _, h := range list(chromeRequestHeaders) {
			if !r.Has(h) {
				missing = append(missing, h)
			}
		}
		if len(missing) > 0 {
			add("browser-ua-missing-headers", "User-Agent claims Chrome but the request lacks "+strings.Join(missing, ", ")+", which Chrome always sends")
		}
		if p := strings.ToUpper(r.Proto); strings.HasPrefix(p, "HTTP/1") && !strings.Contains(lua, "chrome/1.") {
			add("chrome-over-http1", "User-Agent claims a modern Chrome but the request used "+r.Proto+"; Chrome speaks HTTP/2 or HTTP/3 to sites that offer it")
		}
	}
	if (ex.ResourceType == "xhr" || ex.ResourceType == "fetch") && ex.Response.Status >= 400 && body.isHTML() {
		add("xhr-hit-challenge", "a "+ex.ResourceType+" request got an HTML challenge: a challenge is solved by a top-level navigation, not by a script's request")
	}
	return out
}

// ParamAPIAnswer marks a request trait seen on an API's answer (a JSON or
// XML body, no HTML page): what bot managers make of the User-Agent
// matters there only when a bot layer decided (verdict.contextOf).
const ParamAPIAnswer = "api_answer"

// apiAnswer marks the last trait of out when the response is an API's
// JSON or XML answer rather than a page.
func apiAnswer(out []Signal, body *respBody) {
	if len(out) == 0 || body.isHTML() {
		return
	}
	if body.isJSON() || ascii.Contains(body.m.Get("Content-Type"), "xml") {
		out[len(out)-1].Params = map[string]string{ParamAPIAnswer: "1"}
	}
}

// runtimeUA: a lowered User-Agent that is a runtime's default (words.json's
// runtime-user-agents: a whole value, or a prefix ending in "/").
func runtimeUA(lua string, list []string) bool {
	for _, w := range list {
		if lua == w || strings.HasSuffix(w, "/") && strings.HasPrefix(lua, w) {
			return true
		}
	}
	return false
}

// clientFailureFix says what a status-0 entry means: the client never got a
// response. The error string a HAR keeps (_error, Chrome's net::ERR_*,
// Firefox's NS_ERROR_*) tells which layer failed (words.json's
// client-errors: first group that matches, with the fixes.json fix for it);
// without one, the usual suspects are listed.
func clientFailureFix(errText string) string {
	e := strings.ToUpper(errText)
	for _, g := range words().clientErrors {
		for _, w := range g.Words {
			if strings.Contains(e, w) {
				return g.Value
			}
		}
	}
	if errText != "" {
		return fixClientErrorOther
	}
	return fixClientNoResponse
}

// isProblem: an RFC 9457 problem detail (application/problem+json, or a
// JSON object with the problem's status number and its title or detail).
func isProblem(resp *capture.Message, lb *respBody) bool {
	if ascii.Contains(resp.Get("Content-Type"), "problem+json") {
		return true
	}
	b := bytes.TrimSpace(resp.Body)
	if len(b) < 2 || b[0] != '{' || len(b) > 64<<10 || !lb.validJSON() {
		return false
	}
	st := gjson.GetBytes(b, "status")
	return st.Type == gjson.Number && int(st.Int()) == resp.Status &&
		(gjson.GetBytes(b, "title").Type == gjson.String || gjson.GetBytes(b, "detail").Type == gjson.String)
}

// inlineCredentials describes credentials a request carries outside its
// headers: an OAuth grant in a token request's body (grant_type and its
// code, refresh token, password or client_secret), or a signature in the
// URL (Azure's SAS sig=, S3's and other presigned X-Amz-Signature=,
// CloudFront's Signature=). "" when there is none.
func inlineCredentials(ex *capture.Exchange) string {
	r := ex.Request
	if r == nil {
		return ""
	}
	if GrantRequest(ex) {
		if g, ok := formParam(r, "grant_type"); ok && g != "" && len(g) <= 80 && MaskValueShapes(g) == g {
			return "a token request (grant_type=" + g + ") whose body carries the grant"
		}
		return "a token request whose body carries the grant"
	}
	for _, k := range []string{"sig", "X-Amz-Signature", "Signature", "X-Goog-Signature"} {
		if v, ok := queryParam(r.URL, k); ok && v != "" {
			return "a request signed in its URL (" + k + "=)"
		}
	}
	return ""
}
