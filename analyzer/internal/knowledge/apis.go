package knowledge

import (
	"errors"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tidwall/gjson"

	"why401/analyzer/apis"
)

// APIFile is the on-disk shape of apis/<id>.json: how an API says "your
// credentials are wrong". See apis/README.md.
type APIFile struct {
	// File is where it was read ("apis/github.json"), for messages.
	File    string     `json:"-"`
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Hosts   []string   `json:"hosts,omitempty"`   // host suffixes ("api.github.com", ".slack.com") or globs ("sts.*.amazonaws.com")
	Headers []string   `json:"headers,omitempty"` // response headers that identify the API
	Any     bool       `json:"any,omitempty"`     // errors are specific enough to match on any host
	Errors  []APIError `json:"errors"`
	// Messages are what this API's own messages can name (tried before
	// messages.json's rules, when the file applies).
	Messages []MessageRule `json:"messages,omitempty"`
	// Params are values of the exchange this file's fixes may quote
	// ({{name}}): read from the request or the response whenever one of
	// the file's rules fires (apis/README.md, "Parameters").
	Params  []ParamRule `json:"params,omitempty"`
	Sources []string    `json:"sources"`

	// BareKey: the API documents a credential sent in Authorization without
	// a scheme word (Linear's personal API keys): that form is no mistake
	// on its hosts.
	BareKey bool `json:"bare_key,omitempty"`
}

// ParamRule reads one value of an exchange for the fixes: from where (From),
// optionally through a regular expression whose named groups (or, without
// names, whose first group) become parameters. A value that looks like a
// secret, or holds one the request sent, is never set.
type ParamRule struct {
	// Name is the parameter set by a rule without named groups.
	Name string `json:"name,omitempty"`
	// From says where the value is read: request.host, request.origin,
	// request.path, request.url, request.method, request.query.<name>,
	// request.form.<name>, request.header.<name>, request.jwt.<gjson path>
	// (the claims of the JWT in Authorization), response.header.<name>,
	// response.date, body.<gjson path> (a JSON body), xml.<element>.
	From string `json:"from,omitempty"`
	// Regex, when given, must match the value.
	Regex string `json:"regex,omitempty"`
	// Unless, when it matches the value, makes the rule set nothing.
	Unless string `json:"unless,omitempty"`
	// Value, when given, is what Name is set to: a template over the
	// parameters set so far and the regex's groups ("docker.io").
	Value string `json:"value,omitempty"`
	// Between names two parameters that hold times (RFC 3339, an HTTP
	// date or SigV4's 20060102T150405Z): Name is set to the time from the
	// first to the second ("30 min", "2 h 5 min"), and Name_dir to "before" when the
	// first is earlier, "after" when it is later. From is then unused.
	Between []string `json:"between,omitempty"`
	// Differ and Same name two parameters: Name is set ("yes") when both
	// are set and differ (Differ) or are equal (Same): the user id in a
	// document path and the token's own. From is then unused.
	Differ []string `json:"differ,omitempty"`
	Same   []string `json:"same,omitempty"`
	// Ratio names two parameters holding numbers: Name is set to
	// (Ratio[0] − Less) / Ratio[1] × Scale (Scale 0: 1), to a tenth, when
	// all are set and the result is positive: a cost bucket's wait
	// ((requested − available) / restore rate), a window's pace (max per
	// interval in ms × 1000). From is then unused.
	Ratio []string `json:"ratio,omitempty"`
	Less  string   `json:"less,omitempty"`
	Scale float64  `json:"scale,omitempty"`
	// ID: the value is an identifier (a user or document id) and is set even
	// when it is random-shaped; never when it is key- or JWT-shaped or holds
	// a secret the request sent.
	ID bool `json:"id,omitempty"`
	// Next turns a time (response.date) into the next boundary after it:
	// "minute" (a per-minute quota's window), "utc-day" (00:00 UTC),
	// "pacific-day" (midnight Pacific Time, when Google resets daily
	// quotas). Name is set to that time ("2026-12-07 15:10:00 UTC") and
	// Name_in to the wait from the time read ("16 s", "8 h 18 min").
	Next string `json:"next,omitempty"`
	// Keep: a value set by an earlier rule is not replaced.
	Keep bool `json:"keep,omitempty"`

	re, unless *Pattern
}

// Re and UnlessRe are Regex and Unless, compiled on first use; nil when
// not given.
func (p *ParamRule) Re() *regexp.Regexp       { return p.re.Re() }
func (p *ParamRule) UnlessRe() *regexp.Regexp { return p.unless.Re() }

// Patterns are the rule's expressions (for the tests that compile them).
func (p *ParamRule) Patterns() []*Pattern { return []*Pattern{p.re, p.unless} }

// compileParams checks and compiles a file's parameter rules in place.
func compileParams(file string, rules []ParamRule) error {
	for i := range rules {
		r := &rules[i]
		where := "analyzer: " + file + ": param rule " + strconv.Itoa(i)
		switch {
		case len(r.Between) > 0:
			if len(r.Between) != 2 || r.Name == "" || r.From != "" {
				return errors.New(where + ": between takes two parameter names, a name and no from")
			}
			continue
		case len(r.Ratio) > 0:
			if len(r.Ratio) != 2 || r.Name == "" || r.From != "" {
				return errors.New(where + ": ratio takes two parameter names, a name and no from")
			}
			continue
		case r.Less != "" || r.Scale != 0:
			return errors.New(where + ": less and scale go with ratio")
		case len(r.Differ) > 0 || len(r.Same) > 0:
			if len(r.Differ)+len(r.Same) != 2 || r.Name == "" || r.From != "" {
				return errors.New(where + ": differ and same take two parameter names, a name and no from")
			}
			continue
		case r.Next != "" && r.Next != "minute" && r.Next != "utc-day" && r.Next != "pacific-day":
			return errors.New(where + ": next is minute, utc-day or pacific-day")
		case r.From == "":
			return errors.New(where + ": from is required")
		case !validParamSource(r.From):
			return errors.New(where + ": unknown source " + strconv.Quote(r.From))
		}
		r.re, r.unless = NewPattern(r.Regex), NewPattern(r.Unless)
		// Named groups, read without compiling (the expressions compile
		// on first use; the knowledge tests compile them all).
		named := strings.Contains(r.Regex, "(?P<") || strings.Contains(r.Regex, "(?<")
		if r.Name == "" && !named {
			return errors.New(where + ": a name, or a regex with named groups, is required")
		}
	}
	return nil
}

// validParamSource: a From a parameter rule may name.
func validParamSource(from string) bool {
	switch from {
	case "request.host", "request.origin", "request.path", "request.url", "request.method", "response.date":
		return true
	}
	for _, p := range []string{"request.query.", "request.form.", "request.header.", "request.jwt.", "response.header.", "body.", "xml."} {
		if rest, ok := strings.CutPrefix(from, p); ok {
			return rest != ""
		}
	}
	return false
}

// APIError is one documented error shape. Every condition given must hold.
type APIError struct {
	ID             string `json:"id"`
	Status         []int  `json:"status,omitempty"`
	Path           string `json:"path,omitempty"`     // a gjson path into a JSON body
	Equals         string `json:"equals,omitempty"`   // …whose value equals this
	Contains       string `json:"contains,omitempty"` // …or contains this (case-insensitive)
	Prefix         string `json:"prefix,omitempty"`   // …or starts with this
	Header         string `json:"header,omitempty"`   // a response header that must be present
	HeaderContains string `json:"header_contains,omitempty"`
	Body           string `json:"body,omitempty"` // a literal the body must contain (XML, text)
	// RequestHas / RequestLacks name a request header that must be present /
	// absent; RequestLacks needs the request to be in the capture.
	RequestHas   string `json:"request_has,omitempty"`
	RequestLacks string `json:"request_lacks,omitempty"`
	// RequestJWTIss / RequestJWTIssNot: the JWT in Authorization has (has
	// not: also when there is none) an iss claim starting with this
	// (Firebase ID tokens: https://securetoken.google.com/, which
	// Firestore's Security Rules judge, not IAM).
	RequestJWTIss    string `json:"request_jwt_iss,omitempty"`
	RequestJWTIssNot string `json:"request_jwt_iss_not,omitempty"`
	// RequestSent: the request sent a credential of one of these schemes
	// ("aws4", "apikey", "bearer"…); RequestNotSent: it sent none of these.
	// Both need the request. API Gateway's "Missing Authentication Token"
	// is a route miss to an unsigned request and another story to a
	// SigV4-signed one.
	RequestSent    []string `json:"request_sent,omitempty"`
	RequestNotSent []string `json:"request_not_sent,omitempty"`
	// BodyLacks are literals the raw body must not contain (the more
	// specific rules of the same file read them).
	BodyLacks []string `json:"body_lacks,omitempty"`
	// Methods limits the rule to these request methods (a registry's pull
	// is a GET, its push a POST, PUT or PATCH); needs the request.
	Methods []string `json:"methods,omitempty"`
	// TokenRequest: the request is a POST to a token endpoint (a path of
	// words.json's login-paths): a 200 whose body carries an OAuth error
	// answers a token request.
	TokenRequest bool `json:"token_request,omitempty"`
	Verdict      Kind `json:"verdict"`
	// Scheme is the credential family; "sent" takes the one the request
	// sent (an API that takes an OAuth token or an API key alike).
	Scheme  string  `json:"scheme,omitempty"`
	Cause   string  `json:"cause,omitempty"`
	Weight  float64 `json:"weight,omitempty"` // default 0.93
	Explain string  `json:"explain"`          // one sentence: what this error means
	// Says replaces the cause's own wording in the summary when this rule
	// decides: a 429 that is a spent credit balance is not "too many
	// requests" (the cause stays rate_limit, the report contract's).
	Says string `json:"says,omitempty"`
	// Name replaces the file's name for this rule: an endpoint of the same
	// host that is not the file's API (GitHub's OAuth token exchange at
	// github.com/login/oauth is not the REST API).
	Name  string `json:"name,omitempty"`
	Fixes []Fix  `json:"fixes,omitempty"`
}

// APIEntry is one file of the API catalog: where it applies, read when the
// catalog loads, and the rest of the file, decoded and checked the first
// time a response is matched against it (File). A process reads a few of
// the ~45 files at most: decoding them all was most of a process start
// (bench/startup.sh).
type APIEntry struct {
	ID   string
	Path string // "apis/github.json", for messages
	// Hosts, Headers and Any are the file's (APIFile's fields).
	Hosts   []string
	Headers []string
	Any     bool

	fsys folderFS // where the file is read again on first use
	name string
	once sync.Once
	file *APIFile
	err  error
}

// File decodes and checks the entry's file on first use (default weights
// filled in), or gives the error that names it (noted for Err too).
func (e *APIEntry) File() (*APIFile, error) {
	e.once.Do(func() {
		var f APIFile
		data, err := e.fsys.ReadFile(e.name)
		if err == nil {
			err = load(e.Path, data, &f)
		}
		if err == nil {
			f.File = e.Path
			err = CompileMessages(f.File, f.Messages)
		}
		if err == nil {
			err = compileParams(f.File, f.Params)
		}
		if err != nil {
			e.err = noteErr(err)
			return
		}
		for i := range f.Errors {
			if f.Errors[i].Weight == 0 {
				f.Errors[i].Weight = 0.93
			}
		}
		e.file = &f
	})
	return e.file, e.err
}

// APICatalog returns the API catalog sorted by id, and the errors of the
// files that do not load (each naming its file; the others are still
// returned). The slice is shared: read it, never change it.
func APICatalog() ([]*APIEntry, error) { return apiCatalog() }

var apiCatalog = sync.OnceValues(func() ([]*APIEntry, error) {
	return loadAPICatalog(apis.Files())
})

func loadAPICatalog(fsys folderFS) ([]*APIEntry, error) {
	var out []*APIEntry
	err := loadFolder("apis", fsys, func(file string, data []byte) (string, func(), error) {
		e, err := readAPIHead(fsys, file, data)
		if err != nil {
			return "", nil, err
		}
		return e.ID, func() { out = append(out, e) }, nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// readAPIHead reads what an API file of fsys says about where it applies
// (id, hosts, headers, any); the whole text must be JSON.
func readAPIHead(fsys folderFS, file string, data []byte) (*APIEntry, error) {
	if !gjson.ValidBytes(data) {
		return nil, errors.New("analyzer: " + file + ": jsonfill: invalid JSON")
	}
	r := gjson.GetManyBytes(data, "id", "hosts", "headers", "any")
	e := &APIEntry{ID: r[0].String(), Path: file, Any: r[3].Bool(), fsys: fsys, name: path.Base(file)}
	for _, h := range r[1].Array() {
		e.Hosts = append(e.Hosts, h.String())
	}
	for _, h := range r[2].Array() {
		e.Headers = append(e.Headers, h.String())
	}
	return e, nil
}

// APIs returns every API file, decoded and sorted by id, and the errors of
// those that do not load (the knowledge tests; a run decodes a file only
// when it matches, APICatalog). The slice is shared: read it, never change it.
func APIs() ([]APIFile, error) { return apiFiles() }

var apiFiles = sync.OnceValues(func() ([]APIFile, error) {
	list, err := apiCatalog()
	var out []APIFile
	for _, e := range list {
		f, ferr := e.File()
		if ferr != nil {
			if err == nil {
				err = ferr
			}
			continue
		}
		out = append(out, *f)
	}
	return out, err
})
