package detect

import (
	"why401/analyzer/internal/knowledge"

	"hash/fnv"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
	"why401/internal/weburl"
)

// Story is the small state carried from one exchange to the next, so that a
// failing exchange can be explained by what happened earlier in the capture.
// It keeps facts (cookie names and attributes, token hashes, the last
// redirect, counters), never whole entries nor credential values, so a HAR of
// any size is read in bounded memory.
type Story struct {
	sawCredentialHeader bool // some entry carried Cookie, Authorization or Set-Cookie
	failures            int  // exchanges answered 401/403/407
	placeholders        int  // credentials replaced by a third-party sanitizer ("[REDACTED]")
	ourPlaceholders     int  // credentials replaced by why401 sanitize (fingerprints kept)

	tokens    map[uint64]tokenSeen   // credential hash → where it last worked
	cookies   map[string]*cookieSeen // session cookie name → where it was set
	redirects map[string]redirectSeen
	// bareRedirect: the previous exchange was a redirect captured without
	// its request (curl -i -L prints only responses): its entry and the
	// absolute Location it named.
	bareRedirect *redirectSeen
	preflights   map[string]int // origin+path → entry answered 401/403
	challenges   map[string]challengeSeen
	logins       map[string]loginSeen
	hosts        map[string]*hostStat
	hostOrder    []*hostStat // by first request
	firstBlock   *BlockOnset // the capture's first block (bot or rate limit)
	pending      pending     // the exchange between context and learn
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

// hostStat is what the capture showed of one host so far: the one count of
// requests per host, read by the block onset and by the report's summary.
type hostStat struct {
	name       string // the host, "(unknown host)" or "(other hosts)"
	requests   int    // exchanges learnt (Learn), not counting the one being judged
	first      time.Time
	firstEntry int
	blocked    bool
	status     map[string]int // by status code ("403")
	verdicts   map[string]int // by verdict kind
}

// HostStat is the tally of one host the report's summary shows.
type HostStat struct {
	Host     string
	Requests int
	Status   map[string]int // by status code ("403")
	Verdicts map[string]int // by verdict kind
}

// BlockOnset is the capture's first block: its exchange, the host, the
// vendor that blocked, how many requests that host answered before, when.
type BlockOnset struct {
	Index        int
	Host, Vendor string
	Before       int
	At           time.Time // zero when the capture has no time
}

// Hosts returns the tally of every host in the order of its first request
// (at most 1,000 hosts by name; the rest together as "(other hosts)"). The
// maps are the story's: read them, never change them.
func (s *Story) Hosts() []HostStat {
	out := make([]HostStat, len(s.hostOrder))
	for i, hs := range s.hostOrder {
		out[i] = HostStat{Host: hs.name, Requests: hs.requests, Status: hs.status, Verdicts: hs.verdicts}
	}
	return out
}

// FirstBlock returns the capture's first exchange judged a block (bot or
// rate limit), or nil.
func (s *Story) FirstBlock() *BlockOnset { return s.firstBlock }

// MaxStoryKeys bounds every map of the story.
const MaxStoryKeys = 4096

func NewStory() *Story {
	return &Story{
		tokens: map[uint64]tokenSeen{}, cookies: map[string]*cookieSeen{}, redirects: map[string]redirectSeen{},
		preflights: map[string]int{}, challenges: map[string]challengeSeen{}, logins: map[string]loginSeen{},
		hosts: map[string]*hostStat{},
	}
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
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
	if len(parts[len(parts)-1]) == 2 && slices.Contains(list(secondLevelLabels), parts[len(parts)-2]) {
		n = 3 // example.co.uk
	}
	return strings.Join(parts[len(parts)-n:], ".")
}

// resolveLocation makes a Location value absolute against the request URL.
func resolveLocation(reqURL, loc string) string {
	loc = strings.TrimSpace(loc)
	switch {
	case weburl.IsAbsolute(loc):
		return loc
	case strings.HasPrefix(loc, "//"):
		if scheme, _, _, _ := weburl.Split(reqURL); scheme != "" {
			return ascii.Lower(scheme) + ":" + loc
		}
	case strings.HasPrefix(loc, "/"):
		return weburl.Origin(reqURL) + loc
	}
	return reqURL
}

// When returns the exchange's time: the response Date, else the HAR start time.
func When(ex *capture.Exchange) time.Time {
	if t, ok := ResponseDate(&ex.Response); ok {
		return t
	}
	return ex.Started
}

// PlaceholderValue tells a credential value a sanitizer replaced: ours
// (why401 sanitize's mark), or theirs (words.json's sanitizer-placeholders).
func PlaceholderValue(v string) (ours, theirs bool) {
	v = strings.TrimSpace(v)
	if strings.Contains(v, SanitizedMark) {
		return true, false
	}
	l := ascii.Lower(strings.Trim(v, "\"'"))
	if _, rest, ok := strings.Cut(l, " "); ok && len(l) < 40 {
		l = strings.TrimSpace(rest) // "Bearer [REDACTED]"
	}
	for _, p := range list(sanitizerPlaceholders) {
		if l == p {
			return false, true
		}
	}
	return false, false
}

func (s *Story) noteCredentials(ex *capture.Exchange) {
	for _, m := range []*capture.Message{ex.Request, &ex.Response} {
		if m == nil {
			continue
		}
		for _, f := range m.Fields {
			// credentialHeader (cached by name) is true for Cookie, Set-Cookie,
			// Authorization and Proxy-Authorization too: most fields stop here.
			if !CredentialHeader(f.Name) {
				continue
			}
			n := ascii.Lower(f.Name)
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
				if c, ok := capture.ParseSetCookie(f.Value); ok {
					vals = []string{c.Value}
				}
			}
			for _, v := range vals {
				ours, theirs := PlaceholderValue(v)
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

// Context returns the signals that earlier exchanges give ex: the cross-entry
// part of stage 2. It runs in capture order, before ex's verdict, and
// reads only what earlier exchanges taught (and ex itself); learn then
// records what ex teaches, once its verdict is known. sig are the
// exchange's own signals: Context may qualify their text (a producer's
// known omissions), never their votes.
func (s *Story) Context(ex *capture.Exchange, sig []Signal) []Signal {
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
	origin, host := weburl.Origin(url), ex.Host()
	at := When(ex)

	if ex.Mocked {
		out = append(out, Signal{ID: "playwright-mocked", Where: WhereCapture, Entry: -1,
			Text: "Playwright fulfilled this response from a route (_wasFulfilled): it is a mock that never reached the server"})
	}
	if ex.APIRequest {
		out = append(out, Signal{ID: "playwright-api-request", Where: WhereCapture, Entry: -1,
			Text: "Playwright's APIRequestContext sent this request (_apiRequest), not the page: it carries only the headers and cookies the test gave it"})
	}
	if ex.ClientError != "" && st == 0 && strings.Contains(ex.ClientError, "BLOCKED_BY_CLIENT") {
		out = append(out, Signal{ID: "blocked-by-client", Where: WhereCapture, Entry: -1,
			Text: "net::ERR_BLOCKED_BY_CLIENT: a browser extension (an ad or tracker blocker) cancelled this request; the server never saw it"})
	}
	if ascii.EqualFold(ex.Producer, "insomnia") {
		for i := range sig {
			if x := &sig[i]; x.ID == "no-user-agent" || x.ID == "browser-ua-missing-headers" {
				x.Text += " (but Insomnia's HAR leaves out the headers libcurl added, so the request may have carried them)"
			}
		}
	}
	// A sanitized capture, as far as it was read: the credentials are
	// unknown, not missing. The verdict withholds a cause that rests on them.
	if s.placeholders > 0 || ex.FromHAR && !s.sawCredentialHeader && failing && browserProducer(ex.Producer) {
		out = append(out, Signal{ID: SigSanitized, Where: WhereCapture, Entry: -1,
			Text:   "the capture was exported without credentials (Chrome 130+/Edge strip Cookie, Authorization and Set-Cookie; sanitizers leave placeholders)",
			FixIDs: []string{fixSanitizedCapture}})
	} else if ex.Producer == capture.FetchCopyNoCookie && !s.sawCredentialHeader && failing {
		out = append(out, Signal{ID: SigSanitized, Where: WhereCapture, Entry: -1,
			Text:   "DevTools' Copy as fetch leaves out the cookies the browser sent, so whether the request carried a session is unknown",
			FixIDs: []string{fixSanitizedCapture}})
	}

	// 1. The same credential worked earlier and fails now.
	creds := credentialsOf(ex)
	if failing && st != 407 {
		for _, c := range creds {
			seen, ok := s.tokens[hash64(c.Raw)]
			if !ok || c.Raw == "" {
				continue
			}
			if c.Kind == "jwt" {
				if _, p, ok := JWTClaims(c.Raw); ok && gjson.GetBytes(p, "exp").Type == gjson.Number && !at.IsZero() {
					exp := unixTime(gjson.GetBytes(p, "exp").Float())
					if at.After(exp.Add(60 * time.Second)) {
						out = append(out, Signal{ID: "token-expired-since", Kind: knowledge.KindAuth, Weight: 0.92, Scheme: c.Scheme, Cause: "expired_token",
							Where: WhereContext, Entry: seen.entry, Params: map[string]string{"exp": capture.FormatRFC3339(exp)},
							Text: "the same token " + seen.fp + " worked in entry " + strconv.Itoa(seen.entry) + "; its exp " + capture.FormatRFC3339(exp) + " passed before this request (" + capture.FormatRFC3339(at) + ")"})
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
			out = append(out, Signal{ID: "redirect-dropped-auth", Kind: knowledge.KindAuth, Weight: 0.93, Cause: "redirect_dropped_auth", Where: WhereContext, Entry: rd.entry,
				Params: map[string]string{"redirect_from": rd.from, "redirect_to": origin},
				Text:   "entry " + strconv.Itoa(rd.entry) + " sent Authorization to " + rd.from + " and was redirected to " + origin + "; clients strip Authorization on a cross-origin redirect, so this request went without it",
				FixIDs: []string{fixRedirectDroppedAuth}})
		}
	}

	// 2b. The same, where the capture holds only the responses (curl -i -L):
	// whether Authorization was sent is unknown, so a heads-up, not a vote.
	if rd := s.bareRedirect; rd != nil && req == nil && (st == 401 || st == 403) && rd.entry == ex.Index-1 {
		out = append(out, Signal{ID: "redirect-before-refusal", Where: WhereContext, Entry: rd.entry,
			Params: map[string]string{"redirect_to": rd.from},
			Text:   "entry " + strconv.Itoa(rd.entry) + " redirected to " + rd.from + " before this refusal: clients (curl -L, requests, Go) drop Authorization when a redirect changes the host, so if the first request carried credentials this one may have gone without them"})
	}
	// 3. A session cookie set earlier but absent now.
	if (st == 401 || st == 403) && req != nil && !req.Has("Authorization") {
		sent := map[string]bool{}
		for _, c := range req.Cookies() {
			sent[c.Name] = true
		}
		if why, c, name := s.missingCookie(ex, host, url, at, sent); c != nil {
			out = append(out, Signal{ID: "cookie-not-sent", Kind: knowledge.KindAuth, Weight: 0.9, Scheme: "cookie", Cause: "cookie_not_sent", Where: WhereContext, Entry: c.entry,
				Params: map[string]string{"cookie": name, "reason": why},
				Text:   "entry " + strconv.Itoa(c.entry) + " set the session cookie " + name + ", but this request did not send it: " + why,
				FixIDs: []string{fixCookieNotSent}})
		}
	}

	// 4. The request a rejected preflight left without a response.
	key := origin + weburl.Path(url)
	if st == 0 && req != nil && !ascii.EqualFold(req.Method, "OPTIONS") {
		if e, ok := s.preflights[key]; ok {
			out = append(out, Signal{ID: "preflight-blocked-request", Kind: knowledge.KindAuth, Weight: 0.9, Cause: "preflight", Where: WhereContext, Entry: e,
				Text: "the CORS preflight for this URL (entry " + strconv.Itoa(e) + ") was answered with an authentication error, so the browser never sent this request"})
		}
	}

	// 5. A challenge page earlier, never solved, then failing scripted requests.
	site := siteOf(host)
	if ch, ok := s.challenges[site]; ok && (ex.ResourceType == "xhr" || ex.ResourceType == "fetch") && (st >= 400 || st == 0) {
		name := ch.vendor
		if vf := knowledge.Vendor(name); vf != nil {
			name = vf.Name
		}
		if name == "" {
			name = "an anti-bot"
		}
		out = append(out, Signal{ID: "challenge-unsolved", Kind: knowledge.KindBot, Weight: 0.6, Cause: "challenge", Vendor: ch.vendor, Where: WhereContext, Entry: ch.entry,
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
				cause, what = "invalid_credentials", "sent "+capture.Fingerprint(c.Kind, c.Raw)+" in "+c.Where
				break
			}
			out = append(out, Signal{ID: "new-credential-unused", Kind: knowledge.KindAuth, Weight: 0.88, Cause: cause, Where: WhereContext, Entry: lg.entry,
				Text:   "entry " + strconv.Itoa(lg.entry) + " (" + capture.Clip(lg.path, 80) + ") returned a new access token " + lg.tokenFP + ", but this request " + what + ": the client kept the old credential",
				Params: map[string]string{"login_path": capture.Clip(lg.path, 80)},
				FixIDs: []string{fixNewCredentialUnused}})
		}
	}

	// 7. Block onset: the first blocked request of a host. Said before the
	// verdict, shown only when the verdict is a block (contextOf).
	hs := s.host(host, ex.Index, at)
	if !hs.blocked && hs.requests >= 3 {
		text := "first blocked request to " + host + " after " + strconv.Itoa(hs.requests) + " requests"
		if !hs.first.IsZero() && !at.IsZero() && at.After(hs.first) {
			d := at.Sub(hs.first)
			text += " in " + d.Round(time.Second).String() + " (" + strconv.FormatFloat(float64(hs.requests)/d.Seconds(), 'f', 2, 64) + " requests/s) since entry " + strconv.Itoa(hs.firstEntry)
		} else {
			text += " since entry " + strconv.Itoa(hs.firstEntry)
		}
		out = append(out, Signal{ID: SigBlockOnset, Where: WhereContext, Entry: hs.firstEntry, Text: text + ": the site started blocking mid-crawl (rate or volume), not from the first request"})
	}
	// 8. An edge's access-control refusal (edge.go) to a client the same
	// host served before: the edge refuses this path or token, not the
	// client. Support for the verdict, never a vote of its own (a bot
	// manager also guards some paths only).
	if hasID(sig, SigEdgeAccess) {
		ok := 0
		for code, n := range hs.status {
			if strings.HasPrefix(code, "2") {
				ok += n
			}
		}
		if ok > 0 {
			out = append(out, Signal{ID: "edge-allowed-elsewhere", Where: WhereContext, Entry: -1,
				Text: host + " answered " + strconv.Itoa(ok) + " earlier request(s) of this capture with a success: the edge refuses this path or token, not the client"})
		}
	}
	s.pending = pending{req: req, creds: creds, st: st, origin: origin, host: host, site: site, key: key, at: at, hs: hs}
	return out
}

func hasID(sig []Signal, id string) bool {
	for i := range sig {
		if sig[i].ID == id {
			return true
		}
	}
	return false
}

// pending is what context worked out about the exchange being judged, for learn.
type pending struct {
	req                     *capture.Message
	creds                   []credential
	st                      int
	origin, host, site, key string
	at                      time.Time
	hs                      *hostStat
}

// Learn records what ex teaches later exchanges, now that its verdict is
// known: its kind, cause and vendor say whether it was a block or a
// challenge page.
func (s *Story) Learn(ex *capture.Exchange, kind knowledge.Kind, cause, vendor string) {
	p := s.pending
	s.pending = pending{}
	if kind == knowledge.KindBot || kind == knowledge.KindRateLimit {
		if !p.hs.blocked && s.firstBlock == nil {
			s.firstBlock = &BlockOnset{Index: ex.Index, Host: p.host, Vendor: vendor, Before: p.hs.requests, At: p.at}
		}
		p.hs.blocked = true
	}
	p.hs.requests++
	p.hs.status[strconv.Itoa(p.st)]++
	p.hs.verdicts[string(kind)]++
	s.record(ex, p.req, p.creds, p.st, p.origin, p.host, p.site, p.key, p.at, kind, cause, vendor)
}

// browserProducer: the HAR producers that strip credentials by default
// (words.json's credential-stripping-producers), or an unnamed one.
func browserProducer(p string) bool {
	p = ascii.Lower(p)
	return p == "" || slices.Contains(list(credentialStrippingProducers), p)
}

// Signal ids the story gives and the verdict reads.
const (
	SigSanitized  = "sanitized-capture"
	SigBlockOnset = "block-onset"
)

func (s *Story) host(h string, idx int, at time.Time) *hostStat {
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
		hs = &hostStat{name: h, first: at, firstEntry: idx, status: map[string]int{}, verdicts: map[string]int{}}
		s.hosts[h] = hs
		s.hostOrder = append(s.hostOrder, hs)
	}
	return hs
}

// record keeps what this exchange teaches for later ones.
func (s *Story) record(ex *capture.Exchange, req *capture.Message, creds []credential, st int, origin, host, site, key string, at time.Time, kind knowledge.Kind, cause, vendor string) {
	if len(s.tokens) < MaxStoryKeys && st >= 200 && st < 400 {
		for _, c := range creds {
			if c.Raw != "" {
				s.tokens[hash64(c.Raw)] = tokenSeen{entry: ex.Index, fp: capture.Fingerprint(c.Kind, c.Raw)}
			}
		}
	}
	s.bareRedirect = nil
	if st >= 300 && st < 400 && req == nil {
		// from holds the Location here: the origin of the request is unknown.
		if loc := ex.Response.Get("Location"); weburl.IsAbsolute(loc) && len(loc) <= 500 && MaskValueShapes(loc) == loc {
			s.bareRedirect = &redirectSeen{entry: ex.Index, from: loc}
		}
	}
	if st >= 300 && st < 400 && req != nil {
		if loc := ex.Response.Get("Location"); loc != "" {
			target := weburl.Origin(resolveLocation(req.URL, loc))
			if target != "" && target != origin && len(s.redirects) < MaxStoryKeys {
				s.redirects[target] = redirectSeen{entry: ex.Index, from: origin, hadAuth: req.Has("Authorization")}
			}
		}
	}
	for _, c := range ex.Response.SetCookies() {
		if len(s.cookies) >= MaxStoryKeys && s.cookies[c.Name] == nil {
			break
		}
		bot := VendorCookie(c.Name) != ""
		if !bot && !IsSessionCookie(c.Name) {
			continue
		}
		cs := &cookieSeen{entry: ex.Index, host: host, domain: strings.TrimPrefix(ascii.Lower(c.Attrs["domain"]), "."),
			path: c.Attrs["path"], sameSite: ascii.Lower(c.Attrs["samesite"]), setAt: at, isBot: bot}
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
			if t, ok := capture.ParseFirst(capture.CookieDateLayouts[:], e); ok {
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
	if req != nil && ascii.EqualFold(req.Method, "OPTIONS") && (st == 401 || st == 403) && len(s.preflights) < MaxStoryKeys {
		s.preflights[key] = ex.Index
	}
	if kind == knowledge.KindBot && (cause == "challenge" || cause == "captcha") && (ex.ResourceType == "" || ex.ResourceType == "document") {
		if _, ok := s.challenges[site]; !ok && len(s.challenges) < MaxStoryKeys {
			s.challenges[site] = challengeSeen{entry: ex.Index, vendor: vendor}
		}
	} else if st >= 200 && st < 300 && ex.ResourceType == "document" {
		delete(s.challenges, site)
	}
	if req != nil && st >= 200 && st < 300 && isLoginPath(req) && len(s.logins) < MaxStoryKeys {
		if tok := gjson.GetBytes(ex.Response.Body, "access_token").String(); tok != "" && looksJSON(&ex.Response) {
			s.logins[site] = loginSeen{entry: ex.Index, token: hash64(tok), tokenFP: capture.Fingerprint(capture.CredentialKind(tok), tok), path: req.Method + " " + MaskURL(weburl.Path(req.URL))}
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

func isLoginPath(r *capture.Message) bool {
	if !ascii.EqualFold(r.Method, "POST") {
		return false
	}
	p := ascii.Lower(weburl.Path(r.URL))
	for _, w := range list(loginPaths) {
		if strings.Contains(p, w) {
			return true
		}
	}
	return false
}

// missingCookie finds a session cookie set earlier for this host that the
// request did not send, and says why the client dropped it.
func (s *Story) missingCookie(ex *capture.Exchange, host, url string, at time.Time, sent map[string]bool) (string, *cookieSeen, string) {
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
		case c.path != "" && !pathMatch(weburl.Path(url), c.path):
			why = "its Path=" + c.path + " does not cover " + capture.Clip(MaskURL(weburl.Path(url)), 80)
		case c.secure && ascii.HasPrefix(url, "http://"):
			why = "it is Secure and this request used plain http://"
		case !c.expires.IsZero() && !at.IsZero() && !at.Before(c.expires):
			why = "it expired at " + capture.FormatRFC3339(c.expires) + " (Expires/Max-Age), before this request (" + capture.FormatRFC3339(at) + ")"
		case ex.Request.Get("Sec-Fetch-Site") == "cross-site" && (c.sameSite == "strict" || (c.sameSite != "none" && !(ascii.EqualFold(ex.Request.Method, "GET") && ex.Request.Get("Sec-Fetch-Mode") == "navigate"))):
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

// Sanitized says, once every exchange was seen, whether the capture looks
// Sanitized: "third-party" (a sanitizer's placeholders), "browser" (a
// Chrome or Edge HAR without a single credential header, yet failures), or
// ""; ours tells placeholders why401 sanitize wrote.
func (s *Story) Sanitized(format, producer string) (kind string, ours bool) {
	switch {
	case s.placeholders > 0:
		kind = "third-party"
	case format == "har" && !s.sawCredentialHeader && s.failures > 0 && browserProducer(producer):
		kind = "browser"
	}
	return kind, s.ourPlaceholders > 0
}

// SanitizedMark is the part of every placeholder why401 sanitize writes
// (analyzer/sanitize); the story recognises such captures.
const SanitizedMark = "why401-redacted"
