package analyzer

import (
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// story is the small state carried from one exchange to the next, so that a
// failing exchange can be explained by what happened earlier in the capture.
// It keeps facts (cookie names and attributes, token hashes, the last
// redirect, counters), never whole entries nor credential values, so a HAR of
// any size is read in bounded memory.
type story struct {
	sawCredentialHeader bool // some entry carried Cookie, Authorization or Set-Cookie
	failures            int  // exchanges answered 401/403/407
	placeholders        int  // credentials replaced by a third-party sanitizer ("[REDACTED]")
	ourPlaceholders     int  // credentials replaced by why401 sanitize (fingerprints kept)
	mocked, apiRequests int
	clientErrors        map[string]int

	tokens       map[uint64]tokenSeen   // credential hash → where it last worked
	cookies      map[string]*cookieSeen // session cookie name → where it was set
	redirects    map[string]redirectSeen
	preflights   map[string]int // origin+path → entry answered 401/403
	challenges   map[string]challengeSeen
	logins       map[string]loginSeen
	hosts        map[string]*hostStat
	hostOrder    []string
	vendors      map[string]bool
	firstFailure *FailureInfo
	firstBlock   *BlockInfo
}

type tokenSeen struct {
	entry int
	fp    string
}

type cookieSeen struct {
	entry        int
	host         string // host that set it
	domain, path string
	sameSite     string
	secure       bool
	expires      time.Time // zero: session cookie
	removed      bool      // Max-Age<=0 or an Expires in the past when set
	setAt        time.Time
	isBot        bool
}

type redirectSeen struct {
	entry   int
	from    string
	hadAuth bool
}

type challengeSeen struct {
	entry  int
	vendor string
}

type loginSeen struct {
	entry   int
	token   uint64 // hash of the access token the login returned; 0 if none
	tokenFP string
	path    string
}

type hostStat struct {
	requests   int
	first      time.Time
	firstEntry int
	status     map[string]int
	verdicts   map[string]int
	blocked    bool
}

// maxStoryKeys bounds every map of the story.
const maxStoryKeys = 4096

// maxClientErrors bounds the distinct client errors the summary's caveats
// name (one line each); the rest are counted as "other errors".
const maxClientErrors = 20

func newStory() *story {
	return &story{
		tokens: map[uint64]tokenSeen{}, cookies: map[string]*cookieSeen{}, redirects: map[string]redirectSeen{},
		preflights: map[string]int{}, challenges: map[string]challengeSeen{}, logins: map[string]loginSeen{},
		hosts: map[string]*hostStat{}, vendors: map[string]bool{}, clientErrors: map[string]int{},
	}
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// originOf returns "scheme://host[:port]" lower-cased, or "".
func originOf(u string) string {
	i := strings.Index(u, "://")
	if i <= 0 {
		return ""
	}
	rest := u[i+3:]
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		rest = rest[:j]
	}
	if k := strings.LastIndex(rest, "@"); k >= 0 {
		rest = rest[k+1:]
	}
	return strings.ToLower(u[:i+3] + rest)
}

// pathOf returns the URL's path without query, "/" when empty.
func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			return "/"
		}
	}
	if j := strings.IndexAny(u, "?#"); j >= 0 {
		u = u[:j]
	}
	if u == "" {
		return "/"
	}
	return u
}

// siteOf approximates the registrable domain: the last two labels.
func siteOf(host string) string {
	parts := strings.Split(host, ".")
	if len(parts) <= 2 {
		return host
	}
	if _, err := strconv.Atoi(parts[len(parts)-1]); err == nil {
		return host // an IP address
	}
	n := 2
	if l := parts[len(parts)-2]; len(parts) > 2 && (l == "co" || l == "com" || l == "org" || l == "net" || l == "ac" || l == "gov") && len(parts[len(parts)-1]) == 2 {
		n = 3
	}
	return strings.Join(parts[len(parts)-n:], ".")
}

// resolveLocation makes a Location value absolute against the request URL.
func resolveLocation(reqURL, loc string) string {
	loc = strings.TrimSpace(loc)
	switch {
	case strings.Contains(loc, "://"):
		return loc
	case strings.HasPrefix(loc, "//"):
		if i := strings.Index(reqURL, "://"); i > 0 {
			return reqURL[:i+1] + loc
		}
	case strings.HasPrefix(loc, "/"):
		return originOf(reqURL) + loc
	}
	return reqURL
}

// when returns the exchange's time: the response Date, else the HAR start time.
func when(ex *Exchange) time.Time {
	if t, ok := responseDate(&ex.Response); ok {
		return t
	}
	return ex.Started
}

var thirdPartyPlaceholders = []string{"[redacted]", "redacted", "[filtered]", "filtered", "[sanitized]", "sanitized", "[removed]", "removed", "***", "****", "xxxxx", "[hidden]", "hidden", "<redacted>", "[mime redacted]", "obfuscated"}

// placeholderValue tells a credential value a sanitizer replaced.
func placeholderValue(v string) (ours, theirs bool) {
	v = strings.TrimSpace(v)
	if strings.Contains(v, sanitizedMark) {
		return true, false
	}
	l := strings.ToLower(strings.Trim(v, "\"'"))
	if _, rest, ok := strings.Cut(l, " "); ok && len(l) < 40 {
		l = strings.TrimSpace(rest) // "Bearer [REDACTED]"
	}
	for _, p := range thirdPartyPlaceholders {
		if l == p {
			return false, true
		}
	}
	return false, false
}

func (s *story) noteCredentials(ex *Exchange) {
	for _, m := range []*Message{ex.Request, &ex.Response} {
		if m == nil {
			continue
		}
		for _, f := range m.Fields {
			// credentialHeader (cached by name) is true for Cookie, Set-Cookie,
			// Authorization and Proxy-Authorization too: most fields stop here.
			if !credentialHeader(f.Name) {
				continue
			}
			n := strings.ToLower(f.Name)
			if n == "cookie" || n == "authorization" || n == "set-cookie" {
				s.sawCredentialHeader = true
			}
			vals := []string{f.Value}
			if n == "cookie" {
				vals = vals[:0]
				for _, c := range m.Cookies() {
					vals = append(vals, c.Value)
				}
			} else if n == "set-cookie" {
				if c, ok := parseSetCookie(f.Value); ok {
					vals = []string{c.Value}
				}
			}
			for _, v := range vals {
				ours, theirs := placeholderValue(v)
				if ours {
					s.ourPlaceholders++
				}
				if theirs {
					s.placeholders++
				}
			}
		}
	}
}

// observe returns context signals for ex drawn from earlier exchanges, then
// records what ex teaches for later ones. sig are the exchange's own signals,
// so the story knows how the exchange will be judged.
func (s *story) observe(ex *Exchange, sig []Signal) []Signal {
	s.noteCredentials(ex)
	st := ex.Response.Status
	failing := st == 401 || st == 403 || st == 407
	if failing {
		s.failures++
	}
	var out []Signal
	req := ex.Request
	url := ""
	if req != nil {
		url = req.URL
	}
	origin, host := originOf(url), ex.Host()
	at := when(ex)

	if ex.Mocked {
		s.mocked++
		out = append(out, Signal{ID: "playwright-mocked", Where: WhereCapture, Entry: -1,
			Text: "Playwright fulfilled this response from a route (_wasFulfilled): it is a mock that never reached the server"})
	}
	if ex.APIRequest {
		s.apiRequests++
		out = append(out, Signal{ID: "playwright-api-request", Where: WhereCapture, Entry: -1,
			Text: "Playwright's APIRequestContext sent this request (_apiRequest), not the page: it carries only the headers and cookies the test gave it"})
	}
	if ex.ClientError != "" && st == 0 {
		// The caveats name at most maxClientErrors distinct errors: a HAR
		// of distinct error strings must not grow the story per entry.
		e := clip(ex.ClientError, 60)
		if _, ok := s.clientErrors[e]; !ok && len(s.clientErrors) >= maxClientErrors {
			e = "other errors"
		}
		s.clientErrors[e]++
		if strings.Contains(ex.ClientError, "BLOCKED_BY_CLIENT") {
			out = append(out, Signal{ID: "blocked-by-client", Where: WhereCapture, Entry: -1,
				Text: "net::ERR_BLOCKED_BY_CLIENT: a browser extension (an ad or tracker blocker) cancelled this request; the server never saw it"})
		}
	}

	// 1. The same credential worked earlier and fails now.
	creds := requestCredentials(req)
	if failing && st != 407 {
		for _, c := range creds {
			seen, ok := s.tokens[hash64(c.Raw)]
			if !ok || c.Raw == "" {
				continue
			}
			if c.Kind == "jwt" {
				if _, p, ok := jwtClaims(c.Raw); ok && gjson.GetBytes(p, "exp").Type == gjson.Number && !at.IsZero() {
					exp := unixTime(gjson.GetBytes(p, "exp").Float())
					if at.After(exp.Add(60 * time.Second)) {
						out = append(out, Signal{ID: "token-expired-since", Kind: KindAuth, Weight: 0.92, Scheme: c.Scheme, Cause: "expired_token",
							Where: WhereContext, Entry: seen.entry, Params: map[string]string{"exp": formatRFC3339(exp)},
							Text: "the same token " + seen.fp + " worked in entry " + strconv.Itoa(seen.entry) + "; its exp " + formatRFC3339(exp) + " passed before this request (" + formatRFC3339(at) + ")"})
						continue
					}
				}
			}
			out = append(out, Signal{ID: "token-worked-before", Where: WhereContext, Entry: seen.entry,
				Text: "the same credential " + seen.fp + " (" + c.Where + ") worked in entry " + strconv.Itoa(seen.entry) + " and is refused now: revoked, rotated or logged out in between"})
		}
	}

	// 2. Authorization dropped by a cross-origin redirect.
	if rd, ok := s.redirects[origin]; ok && origin != "" {
		delete(s.redirects, origin)
		if rd.hadAuth && req != nil && !req.Has("Authorization") && (st == 401 || st == 403) {
			out = append(out, Signal{ID: "redirect-dropped-auth", Kind: KindAuth, Weight: 0.93, Cause: "redirect_dropped_auth", Where: WhereContext, Entry: rd.entry,
				Params: map[string]string{"redirect_from": rd.from, "redirect_to": origin},
				Text:   "entry " + strconv.Itoa(rd.entry) + " sent Authorization to " + rd.from + " and was redirected to " + origin + "; clients strip Authorization on a cross-origin redirect, so this request went without it",
				Fixes: []Fix{{Title: "Call the final URL, or re-send Authorization after the redirect yourself",
					Steps: []string{"Request " + origin + " directly (the redirect target) so no redirect is followed",
						"Or follow redirects by hand and add the Authorization header again when the target is an origin you trust (curl: --location-trusted; Python requests: a Session.rebuild_auth override; Go: CheckRedirect setting the header)",
						"Never forward credentials to an origin you do not control"}}}})
		}
	}

	// 3. A session cookie set earlier but absent now.
	if (st == 401 || st == 403) && req != nil && !req.Has("Authorization") {
		sent := map[string]bool{}
		for _, c := range req.Cookies() {
			sent[c.Name] = true
		}
		if why, c, name := s.missingCookie(ex, host, url, at, sent); c != nil {
			out = append(out, Signal{ID: "cookie-not-sent", Kind: KindAuth, Weight: 0.9, Scheme: "cookie", Cause: "cookie_not_sent", Where: WhereContext, Entry: c.entry,
				Params: map[string]string{"cookie": name, "reason": why},
				Text:   "entry " + strconv.Itoa(c.entry) + " set the session cookie " + name + ", but this request did not send it: " + why,
				Fixes: []Fix{{Title: "Make the client send the " + name + " cookie",
					Steps: []string{"Why it was not sent: " + why,
						"Keep the cookie jar between requests (Python: requests.Session; Go: http.Client with a cookiejar.Jar; curl: -c jar -b jar)",
						"If you own the site, set the cookie with attributes that cover this request (Domain, Path, SameSite=None; Secure for cross-site calls)"}}}})
		}
	}

	// 4. The request a rejected preflight left without a response.
	key := origin + pathOf(url)
	if st == 0 && req != nil && !strings.EqualFold(req.Method, "OPTIONS") {
		if e, ok := s.preflights[key]; ok {
			out = append(out, Signal{ID: "preflight-blocked-request", Kind: KindAuth, Weight: 0.9, Cause: "preflight", Where: WhereContext, Entry: e,
				Text: "the CORS preflight for this URL (entry " + strconv.Itoa(e) + ") was answered with an authentication error, so the browser never sent this request"})
		}
	}

	// 5. A challenge page earlier, never solved, then failing scripted requests.
	site := siteOf(host)
	if ch, ok := s.challenges[site]; ok && (ex.ResourceType == "xhr" || ex.ResourceType == "fetch") && (st >= 400 || st == 0) {
		name := ch.vendor
		if set, err := Vendors(); err == nil && set.byID[name] != nil {
			name = set.byID[name].Name
		}
		if name == "" {
			name = "an anti-bot"
		}
		out = append(out, Signal{ID: "challenge-unsolved", Kind: KindBot, Weight: 0.6, Cause: "challenge", Vendor: ch.vendor, Where: WhereContext, Entry: ch.entry,
			Text: "entry " + strconv.Itoa(ch.entry) + " served " + name + " challenge page that was never solved (no clearance cookie came back), so the scripted requests after it fail too"})
	}

	// 6. A login or token refresh returned a new credential that was not used.
	if lg, ok := s.logins[site]; ok && (st == 401 || st == 403) && lg.token != 0 {
		used := false
		for _, c := range creds {
			if hash64(c.Raw) == lg.token {
				used = true
			}
		}
		if !used {
			cause, what := "missing_credentials", "sent no credential"
			for _, c := range creds {
				cause, what = "invalid_credentials", "sent "+Fingerprint(c.Kind, c.Raw)+" in "+c.Where
				break
			}
			out = append(out, Signal{ID: "new-credential-unused", Kind: KindAuth, Weight: 0.88, Cause: cause, Where: WhereContext, Entry: lg.entry,
				Text: "entry " + strconv.Itoa(lg.entry) + " (" + clip(lg.path, 80) + ") returned a new access token " + lg.tokenFP + ", but this request " + what + ": the client kept the old credential",
				Fixes: []Fix{{Title: "Use the token the login or refresh returned",
					Steps: []string{"After " + clip(lg.path, 80) + " succeeds, replace the stored token and rebuild the Authorization header from it",
						"Check that concurrent requests wait for the refresh instead of reusing the old token"}}}})
		}
	}

	// Judge the exchange as analyzeExchange will, for the counters.
	v := Decide(append(append([]Signal{}, sig...), out...))

	// 7. Block onset: the first blocked request of a host.
	hs := s.host(host, ex.Index, at)
	if (v.Kind == KindBot || v.Kind == KindRateLimit) && !hs.blocked {
		hs.blocked = true
		if hs.requests >= 3 {
			text := "first blocked request to " + host + " after " + strconv.Itoa(hs.requests) + " requests"
			if !hs.first.IsZero() && !at.IsZero() && at.After(hs.first) {
				d := at.Sub(hs.first)
				text += " in " + d.Round(time.Second).String() + " (" + strconv.FormatFloat(float64(hs.requests)/d.Seconds(), 'f', 2, 64) + " requests/s) since entry " + strconv.Itoa(hs.firstEntry)
			} else {
				text += " since entry " + strconv.Itoa(hs.firstEntry)
			}
			out = append(out, Signal{ID: "block-onset", Where: WhereContext, Entry: hs.firstEntry, Text: text + ": the site started blocking mid-crawl (rate or volume), not from the first request"})
		}
		if s.firstBlock == nil {
			s.firstBlock = &BlockInfo{Index: ex.Index, Host: host, Vendor: v.Vendor, Before: hs.requests}
			if !at.IsZero() {
				s.firstBlock.Time = formatRFC3339(at)
			}
		}
	}
	hs.requests++
	hs.status[strconv.Itoa(st)]++
	hs.verdicts[string(v.Kind)]++
	for _, x := range sig {
		if x.Vendor != "" && len(s.vendors) < 64 {
			s.vendors[x.Vendor] = true
		}
	}
	if v.Kind != KindOK && v.Kind != KindUnknown && s.firstFailure == nil {
		s.firstFailure = &FailureInfo{Index: ex.Index, Verdict: v.Kind, Cause: OptString(v.Cause)}
		for _, x := range out {
			if x.Entry >= 0 && (x.Kind == v.Kind || x.Kind == "") {
				e := x.Entry
				s.firstFailure.RootEntry = &e
				break
			}
		}
	}

	s.record(ex, req, creds, st, origin, host, site, key, at, v)
	return out
}

func (s *story) host(h string, idx int, at time.Time) *hostStat {
	if h == "" {
		h = "(unknown host)"
	}
	hs := s.hosts[h]
	if hs == nil {
		if len(s.hosts) >= 1000 {
			h = "(other hosts)"
			if hs = s.hosts[h]; hs != nil {
				return hs
			}
		}
		hs = &hostStat{first: at, firstEntry: idx, status: map[string]int{}, verdicts: map[string]int{}}
		s.hosts[h] = hs
		s.hostOrder = append(s.hostOrder, h)
	}
	return hs
}

// record keeps what this exchange teaches for later ones.
func (s *story) record(ex *Exchange, req *Message, creds []credential, st int, origin, host, site, key string, at time.Time, v Verdict) {
	if len(s.tokens) < maxStoryKeys && st >= 200 && st < 400 {
		for _, c := range creds {
			if c.Raw != "" {
				s.tokens[hash64(c.Raw)] = tokenSeen{entry: ex.Index, fp: Fingerprint(c.Kind, c.Raw)}
			}
		}
	}
	if st >= 300 && st < 400 && req != nil {
		if loc := ex.Response.Get("Location"); loc != "" {
			target := originOf(resolveLocation(req.URL, loc))
			if target != "" && target != origin && len(s.redirects) < maxStoryKeys {
				s.redirects[target] = redirectSeen{entry: ex.Index, from: origin, hadAuth: req.Has("Authorization")}
			}
		}
	}
	for _, c := range ex.Response.SetCookies() {
		if len(s.cookies) >= maxStoryKeys && s.cookies[c.Name] == nil {
			break
		}
		bot := isBotCookie(strings.ToLower(c.Name))
		if !bot && !isSessionCookie(c.Name) {
			continue
		}
		cs := &cookieSeen{entry: ex.Index, host: host, domain: strings.TrimPrefix(strings.ToLower(c.Attrs["domain"]), "."),
			path: c.Attrs["path"], sameSite: strings.ToLower(c.Attrs["samesite"]), setAt: at, isBot: bot}
		_, cs.secure = c.Attrs["secure"]
		if ma, ok := c.Attrs["max-age"]; ok {
			if n, err := strconv.Atoi(ma); err == nil {
				if n <= 0 {
					cs.removed = true
				} else if !at.IsZero() {
					cs.expires = at.Add(time.Duration(n) * time.Second)
				}
			}
		} else if e := c.Attrs["expires"]; e != "" {
			if t, ok := parseFirst(cookieDateLayouts[:], e); ok {
				cs.expires = t
				if !at.IsZero() && !t.After(at) {
					cs.removed = true
				}
			}
		}
		if cs.removed {
			delete(s.cookies, c.Name) // a logout or a deletion: not a cookie the client should send
			continue
		}
		s.cookies[c.Name] = cs
		if bot {
			delete(s.challenges, site) // a clearance cookie came back: the challenge was solved
		}
	}
	if req != nil && strings.EqualFold(req.Method, "OPTIONS") && (st == 401 || st == 403) && len(s.preflights) < maxStoryKeys {
		s.preflights[key] = ex.Index
	}
	if v.Kind == KindBot && (v.Cause == "challenge" || v.Cause == "captcha") && (ex.ResourceType == "" || ex.ResourceType == "document") {
		if _, ok := s.challenges[site]; !ok && len(s.challenges) < maxStoryKeys {
			s.challenges[site] = challengeSeen{entry: ex.Index, vendor: v.Vendor}
		}
	} else if st >= 200 && st < 300 && ex.ResourceType == "document" {
		delete(s.challenges, site)
	}
	if req != nil && st >= 200 && st < 300 && isLoginPath(req) && len(s.logins) < maxStoryKeys {
		if tok := gjson.GetBytes(ex.Response.Body, "access_token").String(); tok != "" && looksJSON(&ex.Response) {
			s.logins[site] = loginSeen{entry: ex.Index, token: hash64(tok), tokenFP: Fingerprint(credentialKind(tok), tok), path: req.Method + " " + pathOf(req.URL)}
		}
	}
	if lg, ok := s.logins[site]; ok && st >= 200 && st < 300 {
		for _, c := range creds {
			if hash64(c.Raw) == lg.token {
				delete(s.logins, site) // the new token is in use
			}
		}
	}
}

func isLoginPath(r *Message) bool {
	if !strings.EqualFold(r.Method, "POST") {
		return false
	}
	p := strings.ToLower(pathOf(r.URL))
	for _, w := range []string{"login", "signin", "sign_in", "sign-in", "token", "refresh", "oauth", "session", "authenticate"} {
		if strings.Contains(p, w) {
			return true
		}
	}
	return false
}

// missingCookie finds a session cookie set earlier for this host that the
// request did not send, and says why the client dropped it.
func (s *story) missingCookie(ex *Exchange, host, url string, at time.Time, sent map[string]bool) (string, *cookieSeen, string) {
	names := make([]string, 0, len(s.cookies))
	for n := range s.cookies {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return s.cookies[names[i]].entry > s.cookies[names[j]].entry })
	for _, n := range names {
		c := s.cookies[n]
		if c.isBot || sent[n] || host == "" || siteOf(c.host) != siteOf(host) {
			continue
		}
		var why string
		switch {
		case c.domain == "" && c.host != host:
			why = "it is a host-only cookie (no Domain attribute) set by " + c.host + ", and this request went to " + host
		case c.domain != "" && host != c.domain && !strings.HasSuffix(host, "."+c.domain):
			why = "its Domain=" + c.domain + " does not cover " + host
		case c.path != "" && !pathMatch(pathOf(url), c.path):
			why = "its Path=" + c.path + " does not cover " + clip(pathOf(url), 80)
		case c.secure && strings.HasPrefix(strings.ToLower(url), "http://"):
			why = "it is Secure and this request used plain http://"
		case !c.expires.IsZero() && !at.IsZero() && !at.Before(c.expires):
			why = "it expired at " + formatRFC3339(c.expires) + " (Expires/Max-Age), before this request (" + formatRFC3339(at) + ")"
		case ex.Request.Get("Sec-Fetch-Site") == "cross-site" && (c.sameSite == "strict" || (c.sameSite != "none" && !(strings.EqualFold(ex.Request.Method, "GET") && ex.Request.Get("Sec-Fetch-Mode") == "navigate"))):
			ss := c.sameSite
			if ss == "" {
				ss = "unset, which browsers treat as Lax"
			}
			why = "this is a cross-site request (Sec-Fetch-Site: cross-site) and the cookie's SameSite is " + ss + "; only SameSite=None; Secure cookies go with cross-site requests"
		default:
			why = "the cookie applies to this URL, so the client did not keep it (no cookie jar, or a new session per request)"
		}
		return why, c, n
	}
	return "", nil, ""
}

func pathMatch(p, cp string) bool {
	if p == cp || cp == "/" {
		return true
	}
	return strings.HasPrefix(p, cp) && (strings.HasSuffix(cp, "/") || strings.HasPrefix(p[len(cp):], "/"))
}

// finish adds what can only be said once every exchange was seen.
func (s *story) finish(r *Report, w *warnings) {
	multi := r.Input.Format != "raw" && r.Input.Format != "curl"
	sanitized := ""
	switch {
	case s.placeholders > 0:
		sanitized = "third-party"
	case r.Input.Format == "har" && !s.sawCredentialHeader && s.failures > 0:
		p := strings.ToLower(string(r.Input.Producer))
		if p == "chrome" || p == "edge" || p == "" {
			sanitized = "browser"
		}
	}
	switch sanitized {
	case "browser":
		w.add("sanitized", "this HAR has no Cookie, Authorization or Set-Cookie header anywhere: it looks sanitized (Chrome 130+ and Edge strip them by default), so \"no credentials sent\" may be wrong. Re-export with \"Export HAR (with sensitive data)\"; why401 keeps it on your machine and shows only fingerprints.")
	case "third-party":
		w.add("sanitized", "credentials in this capture were replaced by a sanitizer's placeholders (\"[REDACTED]\"), so whether valid credentials were sent is unknown. Analyse the original export instead (with sensitive data); why401 keeps it on your machine and shows only fingerprints.")
	}
	if s.ourPlaceholders > 0 {
		w.add("why401-sanitized", "this capture was sanitized by why401 sanitize: secrets are placeholders that keep each secret's identity, so verdicts hold but values cannot be checked")
	}
	if sanitized != "" {
		markUnknownCredentials(r)
	}
	if strings.EqualFold(string(r.Input.Producer), "insomnia") {
		for i := range r.Exchanges {
			for j := range r.Exchanges[i].Evidence {
				if ev := &r.Exchanges[i].Evidence[j]; ev.Signal == "no-user-agent" || ev.Signal == "browser-ua-missing-headers" {
					ev.Text += " (but Insomnia's HAR leaves out the headers libcurl added, so the request may have carried them)"
				}
			}
		}
	}
	if !multi {
		return
	}
	sum := &Summary{Hosts: []HostSummary{}, Vendors: []string{}, FirstFailure: s.firstFailure, FirstBlock: s.firstBlock, Sanitized: sanitized != "" || s.ourPlaceholders > 0}
	for _, h := range s.hostOrder {
		hs := s.hosts[h]
		sum.Hosts = append(sum.Hosts, HostSummary{Host: h, Requests: hs.requests, Status: hs.status, Verdicts: hs.verdicts})
	}
	for v := range s.vendors {
		sum.Vendors = append(sum.Vendors, v)
	}
	sort.Strings(sum.Vendors)
	if ff := sum.FirstFailure; ff != nil {
		for _, e := range r.Exchanges {
			if e.Index == ff.Index {
				ff.Cause = e.Cause
				ff.Verdict = e.Verdict
				ff.Summary = e.Summary
				if ff.RootEntry != nil {
					for _, ev := range e.Evidence {
						if ev.Entry != nil && *ev.Entry == *ff.RootEntry {
							ff.Root = ev.Text
							break
						}
					}
				}
				break
			}
		}
	}
	if s.mocked > 0 {
		sum.Caveats = append(sum.Caveats, strconv.Itoa(s.mocked)+" response"+pluralWere(s.mocked)+" mocked by a Playwright route (_wasFulfilled): never sent to the server")
	}
	errs := make([]string, 0, len(s.clientErrors))
	for e := range s.clientErrors {
		errs = append(errs, e)
	}
	sort.Strings(errs)
	for _, e := range errs {
		why := "a network error or a cancelled request"
		switch {
		case strings.Contains(e, "BLOCKED_BY_CLIENT"):
			why = "a browser extension (ad or tracker blocker) cancelled it"
		case strings.Contains(e, "CORS") || strings.Contains(e, "ERR_FAILED") || strings.Contains(strings.ToLower(e), "cross-origin"):
			why = "CORS (a rejected preflight or a missing Access-Control-Allow-Origin) or a cancelled request"
		}
		sum.Caveats = append(sum.Caveats, strconv.Itoa(s.clientErrors[e])+" request"+plural(s.clientErrors[e])+" failed in the client with status 0 ("+e+"): "+why+", not a server answer")
	}
	if s.apiRequests > 0 {
		sum.Caveats = append(sum.Caveats, strconv.Itoa(s.apiRequests)+" request"+pluralWere(s.apiRequests)+" sent by Playwright's APIRequestContext (_apiRequest), not by the page: no browser headers or cookies are expected on them")
	}
	if strings.EqualFold(string(r.Input.Producer), "insomnia") {
		sum.Caveats = append(sum.Caveats, "Insomnia leaves out the headers libcurl added (User-Agent, Accept-Encoding, Content-Length): the requests shown lack them")
	}
	if sanitized != "" {
		sum.Caveats = append(sum.Caveats, "sanitized capture: credentials unknown, not missing")
	}
	r.Summary = sum
}

func pluralWere(n int) string {
	if n == 1 {
		return " was"
	}
	return "s were"
}

// markUnknownCredentials rewrites "no credentials sent" verdicts of a
// sanitized capture: the credentials are unknown, not missing.
func markUnknownCredentials(r *Report) {
	note := "credentials unknown: the capture was sanitized, so whether the request carried credentials cannot be told"
	for i := range r.Exchanges {
		e := &r.Exchanges[i]
		if e.Cause != "missing_credentials" && !(e.Cause == "invalid_credentials" && e.Verdict == KindAuth) {
			continue
		}
		old := causeText[string(e.Cause)]
		e.Cause = ""
		if old != "" && strings.Contains(e.Summary, old) {
			e.Summary = strings.Replace(e.Summary, old, note, 1)
		} else {
			e.Summary += " " + strings.ToUpper(note[:1]) + note[1:] + "."
		}
		e.Evidence = append(e.Evidence, Evidence{Signal: "sanitized-capture", Where: WhereCapture,
			Text: "the capture was exported without credentials (Chrome 130+/Edge strip Cookie, Authorization and Set-Cookie; sanitizers leave placeholders)"})
		e.Fixes = append([]Fix{{Title: "Export the capture with sensitive data and analyse it again",
			Steps: []string{"Chrome/Edge DevTools: Network panel → right-click → \"Save all as HAR (with sensitive data)\" (or enable \"Allow to generate HAR with sensitive data\" in DevTools settings)",
				"why401 reads the file on your machine and shows credentials only as fingerprints; use why401 sanitize before sharing it"}}}, e.Fixes...)
	}
}

// lines renders the summary for text and markdown.
func (s *Summary) lines() []string {
	var out []string
	if ff := s.FirstFailure; ff != nil {
		l := "first failure: #" + strconv.Itoa(ff.Index) + " " + string(ff.Verdict)
		if ff.Cause != "" {
			l += " (" + string(ff.Cause) + ")"
		}
		if ff.RootEntry != nil {
			l += "; root cause in entry #" + strconv.Itoa(*ff.RootEntry) + ": " + ff.Root
		}
		out = append(out, l)
	}
	if fb := s.FirstBlock; fb != nil {
		l := "first block: #" + strconv.Itoa(fb.Index) + " on " + fb.Host
		if fb.Vendor != "" {
			l += " by " + fb.Vendor
		}
		if fb.Time != "" {
			l += " at " + fb.Time
		}
		out = append(out, l+", after "+strconv.Itoa(fb.Before)+" request"+plural(fb.Before)+" to that host")
	}
	if len(s.Vendors) > 0 {
		out = append(out, "vendors seen: "+strings.Join(s.Vendors, ", "))
	}
	for i, h := range s.Hosts {
		if i == 20 {
			out = append(out, "… "+strconv.Itoa(len(s.Hosts)-20)+" more hosts")
			break
		}
		out = append(out, h.Host+": "+strconv.Itoa(h.Requests)+" request"+plural(h.Requests)+"; status "+countList(h.Status)+"; verdicts "+countList(h.Verdicts))
	}
	out = append(out, s.Caveats...)
	return out
}

func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "×" + strconv.Itoa(m[k])
	}
	return strings.Join(parts, " ")
}

// sanitizedMark is the part of every placeholder why401 sanitize writes
// (sanitize.go); the story recognises such captures.
const sanitizedMark = "why401-redacted"
