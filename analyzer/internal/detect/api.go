package detect

import (
	"iter"
	"slices"
	"why401/analyzer/internal/knowledge"

	"bytes"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tidwall/gjson"
	"why401/analyzer/internal/capture"
	"why401/internal/ascii"
	"why401/internal/weburl"
)

type apiSet struct {
	// list is the catalog: each file's hosts and headers, the rest decoded
	// when a response is first matched against it (APIEntry.File).
	list []*knowledge.APIEntry
	// byHeader gives the files a response header identifies (their
	// headers), by the header's name lowered; slow are the files with a
	// header name that is not ASCII, asked with identifiesHeaders.
	byHeader map[string][]int
	slow     []int
}

// compiledAPIs returns the API catalog ready to match. A file that does
// not load is left out (knowledge.Err names it); the others still run.
var compiledAPIs = sync.OnceValues(func() (*apiSet, error) {
	files, _ := knowledge.APICatalog()
	return compileAPIs(files), nil
})

func compileAPIs(files []*knowledge.APIEntry) *apiSet {
	set := &apiSet{list: files}
	set.byHeader = map[string][]int{}
	for fi, f := range set.list {
		for _, h := range f.Headers {
			if !isASCII(h) {
				set.slow = append(set.slow, fi)
				continue
			}
			n := ascii.Lower(h)
			if ids := set.byHeader[n]; len(ids) == 0 || ids[len(ids)-1] != fi {
				set.byHeader[n] = append(ids, fi)
			}
		}
	}
	return set
}

// filesFor yields the API files that apply to ex, in catalog order: a file
// marked "any", one of the request's host (apisOfHost), one a response
// header identifies (apisOfHeaders, asked only when a file needs it). A
// file that does not load is skipped (knowledge.Err names it). The one
// answer to "which API files apply", for the API's error rules and for
// its messages (said.go).
func (set *apiSet) filesFor(ex *capture.Exchange) iter.Seq[*knowledge.APIFile] {
	return func(yield func(*knowledge.APIFile) bool) {
		byHost := apisOfHost(set, ex.Host())
		var byHeader []bool
		for fi, entry := range set.list {
			if !entry.Any && !byHost[fi] {
				if byHeader == nil {
					byHeader = apisOfHeaders(set, ex)
				}
				if !byHeader[fi] {
					continue
				}
			}
			if f, err := entry.File(); err == nil && !yield(f) {
				return
			}
		}
	}
}

// apisOfHeaders tells, for each file of the catalog, whether a header of
// the response identifies it (identifiesHeaders), in one pass over the
// fields: each field name lowered and looked up, where every file compared
// each of its names with every field (EqualFold). A field name that is not
// ASCII sends every file to identifiesHeaders.
func apisOfHeaders(set *apiSet, ex *capture.Exchange) []bool {
	out := make([]bool, len(set.list))
	for _, f := range ex.Response.Fields {
		if !isASCII(f.Name) {
			for fi, af := range set.list {
				out[fi] = identifiesHeaders(af, ex)
			}
			return out
		}
		for _, fi := range byLowerName(set.byHeader, f.Name) {
			out[fi] = true
		}
	}
	for _, fi := range set.slow {
		out[fi] = out[fi] || identifiesHeaders(set.list[fi], ex)
	}
	return out
}

// byLowerName is m[ascii.Lower(name)], the one lookup of a field name in an
// index keyed by lowered names (the API files' headers, the vendor rules'
// header names): a name of up to 64 bytes is lowered into a stack buffer,
// whose map index does not allocate.
func byLowerName[V any](m map[string]V, name string) V {
	var buf [64]byte
	if len(name) > len(buf) {
		return m[ascii.Lower(name)]
	}
	low := buf[:len(name)]
	for j := 0; j < len(name); j++ {
		low[j] = ascii.LowerByte(name[j])
	}
	return m[string(low)]
}

// identifiesHost: an API file applies to a request whose host is one
// of the file's hosts, a subdomain of one, or matches one of its globs.
func identifiesHost(f *knowledge.APIEntry, host string) bool {
	if host == "" {
		return false
	}
	for _, h := range f.Hosts {
		if strings.Contains(h, "*") {
			if ok, _ := path.Match(h, host); ok {
				return true
			}
			continue
		}
		if host == strings.TrimPrefix(h, ".") || strings.HasSuffix(host, h) && (strings.HasPrefix(h, ".") || strings.HasSuffix(host, "."+h)) {
			return true
		}
	}
	return false
}

func identifiesHeaders(f *knowledge.APIEntry, ex *capture.Exchange) bool {
	for _, h := range f.Headers {
		if ex.Response.Has(h) {
			return true
		}
	}
	return false
}

// hostAPIs caches, per request host, which API files its host names (a HAR
// asks for the same few hosts thousands of times, and the globs cost a
// path.Match each). Bounded, so junk hosts cannot grow it.
var (
	hostAPIs     sync.Map // host → []bool, one per file of the catalog
	hostAPIsSize atomic.Int32
)

func apisOfHost(set *apiSet, host string) []bool {
	if v, ok := hostAPIs.Load(host); ok {
		return v.([]bool)
	}
	m := make([]bool, len(set.list))
	for i, f := range set.list {
		m[i] = identifiesHost(f, host)
	}
	if hostAPIsSize.Add(1) <= 4096 {
		hostAPIs.Store(strings.Clone(host), m)
	}
	return m
}

// apiSignals matches the response against the API catalog.
func apiSignals(ex *capture.Exchange, lb *respBody) []Signal {
	set, err := compiledAPIs()
	if err != nil {
		return nil
	}
	resp := &ex.Response
	var body []byte // the JSON body, once checked
	parsed := false
	var values []pathValue // the paths looked up in it
	var out []Signal
	for f := range set.filesFor(ex) {
		paramsRead, fileParams := false, map[string]string(nil)
		for i := range f.Errors {
			e := &f.Errors[i]
			if len(e.Status) > 0 && !containsInt(e.Status, resp.Status) {
				continue
			}
			if e.RequestHas != "" && (ex.Request == nil || !ex.Request.Has(e.RequestHas)) {
				continue
			}
			if e.RequestLacks != "" && (ex.Request == nil || ex.Request.Has(e.RequestLacks)) {
				continue
			}
			if e.RequestJWTIss != "" && !strings.HasPrefix(jwtIssuer(ex), e.RequestJWTIss) || e.RequestJWTIssNot != "" && strings.HasPrefix(jwtIssuer(ex), e.RequestJWTIssNot) {
				continue
			}
			if len(e.RequestSent) > 0 && !sentScheme(ex, e.RequestSent) || len(e.RequestNotSent) > 0 && (ex.Request == nil || sentScheme(ex, e.RequestNotSent)) {
				continue
			}
			if len(e.Methods) > 0 && (ex.Request == nil || !hasFold(e.Methods, ex.Request.Method)) {
				continue
			}
			if e.TokenRequest && !isTokenRequest(ex) {
				continue
			}
			if slices.ContainsFunc(e.BodyLacks, func(l string) bool { return bytes.Contains(resp.Body, []byte(l)) }) {
				continue
			}
			text := ""
			if e.Header != "" {
				v := resp.Get(e.Header)
				if !resp.Has(e.Header) || e.HeaderContains != "" && !strings.Contains(ascii.Lower(v), ascii.Lower(e.HeaderContains)) {
					continue
				}
				text = e.Header + ": " + capture.Clip(ShowHeaderValue(e.Header, v), 160)
			}
			if e.Body != "" {
				if !bytes.Contains(resp.Body, []byte(e.Body)) {
					continue
				}
				// The marker itself: the server's message is quoted on its own.
				text = joinText(text, "body has "+e.Body)
			}
			if e.Path != "" {
				if !parsed {
					parsed = true
					if lb.isJSON() && lb.validRawJSON() {
						body = resp.Body
					}
				}
				s, ok, seen := "", false, false
				for _, pv := range values {
					if pv.path == e.Path {
						s, ok, seen = pv.text, pv.ok, true
						break
					}
				}
				if !seen {
					if body != nil {
						r := gjson.GetBytes(body, e.Path)
						s, ok = r.String(), r.Exists()
					}
					values = append(values, pathValue{e.Path, s, ok})
				}
				if !ok {
					continue
				}
				switch {
				case e.Equals != "" && s != e.Equals:
					continue
				case e.Contains != "" && !strings.Contains(ascii.Lower(s), ascii.Lower(e.Contains)):
					continue
				case e.Prefix != "" && !strings.HasPrefix(s, e.Prefix):
					continue
				}
				text = joinText(text, "body "+e.Path+" = "+strconv.Quote(capture.Clip(s, 200)))
			}
			where := WhereBody
			if e.Path == "" && e.Body == "" {
				where = WhereHeader
			}
			if !paramsRead {
				paramsRead, fileParams = true, apiParams(f, ex)
			}
			name := f.Name
			if n := fileParams["api"]; n != "" {
				name = n // a parameter rule names the service by its host (ghcr.io: GitHub Container Registry)
			}
			if e.Name != "" {
				name = e.Name
			}
			params := map[string]string{}
			if e.Says != "" {
				params["cause_wording"] = e.Says
			}
			for k, v := range fileParams {
				params[k] = v
			}
			params["api"] = name
			out = append(out, Signal{ID: f.ID + "/" + e.ID, Kind: e.Verdict, Weight: e.Weight, Scheme: ruleScheme(e.Scheme, ex), Cause: e.Cause,
				Where: where, Text: text + " (" + name + "): " + e.Explain, Entry: -1, Fixes: e.Fixes,
				Params: params})
		}
	}
	return genericStepsAside(set, out)
}

// genericStepsAside drops the signals of files that read an error shape on
// any host (RFC 6749's token errors) when a file that knows this host or
// its headers read the same answer: Entra's AADSTS500133 explains its
// invalid_grant, and the general line (refresh tokens, Auth0's 403) would
// speak of another case beside it.
func genericStepsAside(set *apiSet, out []Signal) []Signal {
	generic := func(s Signal) bool {
		id, _, _ := strings.Cut(s.ID, "/")
		for _, f := range set.list {
			if f.ID == id {
				return f.Any && len(f.Hosts) == 0 && len(f.Headers) == 0
			}
		}
		return false
	}
	specific := false
	for _, s := range out {
		specific = specific || s.Kind != "" && !generic(s)
	}
	if !specific {
		return out
	}
	return slices.DeleteFunc(out, generic)
}

// ruleScheme is a rule's scheme; "sent" is the scheme of the request's
// first credential ("" when it sent none).
func ruleScheme(scheme string, ex *capture.Exchange) string {
	if scheme != "sent" {
		return scheme
	}
	for _, c := range credentialsOf(ex) {
		return c.Scheme
	}
	return ""
}

// bareKeyDocumented drops the "sent without a scheme word" reading of the
// request on a host whose API file documents that form (bare_key: Linear's
// personal keys go in Authorization as they are): there it is no mistake.
func bareKeyDocumented(ex *capture.Exchange, sig []Signal) []Signal {
	at := slices.IndexFunc(sig, func(s Signal) bool {
		return s.ID == "malformed-credential" && strings.HasPrefix(s.Params["problem"], "the credential is sent without a scheme word")
	})
	if at < 0 {
		return sig
	}
	set, err := compiledAPIs()
	if err != nil {
		return sig
	}
	byHost := apisOfHost(set, ex.Host())
	for fi, e := range set.list {
		if !byHost[fi] {
			continue
		}
		if f, err := e.File(); err == nil && f.BareKey {
			return slices.Delete(sig, at, at+1)
		}
	}
	return sig
}

// sentScheme: the request sent a credential of one of these schemes
// (cookies aside: a session cookie is no API credential).
func sentScheme(ex *capture.Exchange, schemes []string) bool {
	if ex.Request == nil {
		return false
	}
	for _, c := range credentialsOf(ex) {
		if c.Scheme != "cookie" && slices.Contains(schemes, c.Scheme) {
			return true
		}
	}
	return false
}

// isTokenRequest: a POST to a token endpoint (a path holding a word of
// words.json's login-paths: /oauth/token, /login/oauth/access_token).
func isTokenRequest(ex *capture.Exchange) bool {
	if ex.Request == nil || !ascii.EqualFold(ex.Request.Method, "POST") {
		return false
	}
	p := ascii.Lower(weburl.Path(ex.Request.URL))
	for _, w := range list(loginPaths) {
		if strings.Contains(p, w) {
			return true
		}
	}
	return false
}

// GrantRequest: an OAuth token-endpoint call, a POST whose form body holds
// grant_type (password, authorization_code, refresh_token…), or a code
// with its client_id (GitHub's code exchange), that does not
// itself present a bearer token.
func GrantRequest(ex *capture.Exchange) bool {
	r := ex.Request
	if r == nil || !ascii.EqualFold(r.Method, "POST") {
		return false
	}
	if a := strings.TrimSpace(r.Get("Authorization")); len(a) >= 7 && ascii.EqualFold(a[:7], "bearer ") {
		return false
	}
	b := r.Body
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") {
		return gjson.Get(t, "grant_type").String() != "" // a JSON token request (Auth0)
	}
	code, client := false, false
	for p := range weburl.Pairs(string(b)) {
		if p.RawValue == "" {
			continue
		}
		switch strings.TrimSpace(p.Key()) {
		case "grant_type":
			return true
		case "code":
			code = true
		case "client_id":
			client = true
		}
	}
	return code && client // GitHub's code exchange sends no grant_type
}

func hasFold(list []string, v string) bool {
	for _, x := range list {
		if ascii.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// pathValue is the text at a path of the body (ok: the path exists).
type pathValue struct {
	path, text string
	ok         bool
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// jwtIssuer is the iss claim of the JWT in the request's Authorization, or
// "" (no request, no JWT, no iss).
func jwtIssuer(ex *capture.Exchange) string {
	for _, c := range credentialsOf(ex) {
		if c.Where == "Authorization" && c.Kind == "jwt" {
			if _, claims, ok := JWTClaims(c.Raw); ok {
				return gjson.GetBytes(claims, "iss").String()
			}
		}
	}
	return ""
}
