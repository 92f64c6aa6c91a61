package main

// The API itself, free of net/http so that the Workers bundle does not link
// the net/http client and crypto/tls (+0.67 MB gzip, which would push the
// bundle over its 2.0 MB budget). handler.go adapts it to net/http for
// native use and tests; main.go adapts it to the Workers runtime.

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strconv"
	"strings"
	"unicode/utf8"

	"why401/analyzer"
	"why401/internal/ascii"
	"why401/internal/capped"
	"why401/internal/weburl"
)

// DefaultMaxBytes is the largest request body /analyze accepts unless
// WHY401_MAX_BYTES says otherwise.
const DefaultMaxBytes = 10 << 20

// Config is the worker's configuration, read from environment variables
// (Workers "vars" on the platform, text bindings in workerd.capnp locally).
type Config struct {
	// MaxBytes is the largest body accepted by POST /analyze (WHY401_MAX_BYTES).
	MaxBytes int64
	// CORSOrigins are the origins allowed to call /analyze from a browser
	// (WHY401_CORS_ORIGINS: comma-separated, or "*"). Empty: no CORS headers.
	CORSOrigins []string
}

// ConfigFromEnv builds a Config from getenv. A bad WHY401_MAX_BYTES is an
// error (the worker then answers 500 with the reason rather than guess).
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{MaxBytes: DefaultMaxBytes}
	if v := strings.TrimSpace(getenv("WHY401_MAX_BYTES")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("WHY401_MAX_BYTES=%q: want a positive number of bytes", v)
		}
		c.MaxBytes = n
	}
	for _, o := range strings.Split(getenv("WHY401_CORS_ORIGINS"), ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	return c, nil
}

// Request is what the API needs of an HTTP request.
type Request struct {
	Method          string
	Path            string
	RawQuery        string
	Origin          string
	ContentType     string
	ContentEncoding string
	// ContentLength is the Content-Length header, or -1.
	ContentLength int64
	// Body is the request body, read up to MaxBytes+1 bytes.
	Body []byte
	// TooLarge: the body is longer than MaxBytes and was not read in full.
	TooLarge bool
}

// Field is one response header field.
type Field struct{ Name, Value string }

// Response is the API's answer.
type Response struct {
	Status int
	Header []Field
	Body   []byte
}

func (r *Response) set(name, value string) {
	for i := range r.Header {
		if r.Header[i].Name == name {
			r.Header[i].Value = value
			return
		}
	}
	r.Header = append(r.Header, Field{name, value})
}

// Get returns the value of the header field name, or "".
func (r *Response) Get(name string) string {
	for _, f := range r.Header {
		if ascii.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// API answers requests. It holds no state besides its configuration.
type API struct {
	cfg Config
}

// NewAPI returns the API for c.
func NewAPI(c Config) *API {
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	return &API{cfg: c}
}

// MaxBytes is the body limit; callers read at most MaxBytes+1 bytes.
func (a *API) MaxBytes() int64 { return a.cfg.MaxBytes }

// PageCSP is the page's Content-Security-Policy (the same as cmd/serve's).
const PageCSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// IsPagePath reports whether p is one of the page's files, served from
// static assets rather than by the API.
func IsPagePath(p string) bool {
	if p != "/" && (strings.Contains(p, "/.") || strings.Contains(p, "//")) {
		return false
	}
	return p == "/" || p == "/index.html" || strings.HasPrefix(p, "/web/")
}

const notFound = "not found: the API is POST /analyze and POST /diff (and GET /healthz); the page is at /"

// Serve answers one request:
//
//	POST /analyze[?format=json|markdown|text][&name=N][&only_problems=1]
//	POST /diff[?format=json|markdown|text][&url=TEXT]  multipart: parts "good" and "bad"
//	OPTIONS /analyze, /diff (CORS preflight)
//	GET  /healthz
//
// Every response carries Cache-Control: no-store and
// X-Content-Type-Options: nosniff. Nothing is logged or kept.
func (a *API) Serve(r *Request) (res Response) {
	defer func() {
		// A panic must not take the (shared) Go instance down with it.
		if v := recover(); v != nil {
			res = Response{}
			a.fail(&res, r, 500, "internal error while analysing the capture")
		}
	}()
	switch r.Path {
	case "/analyze":
		a.cors(&res, r)
		a.analyze(&res, r)
	case "/diff":
		a.cors(&res, r)
		a.diff(&res, r)
	case "/healthz":
		if r.Method != "GET" && r.Method != "HEAD" {
			res.set("Allow", "GET, HEAD")
			a.fail(&res, r, 405, r.Method+" is not allowed on /healthz; use GET")
			return res
		}
		a.send(&res, r, 200, "application/json; charset=utf-8", []byte("{\"status\":\"ok\"}\n"))
	default:
		a.fail(&res, r, 404, notFound)
	}
	return res
}

// CORS are the CORS response headers for a request from origin with method,
// or none when origin is not allowed (or CORS is off). The glue (glue.mjs)
// puts the same headers on the answers it makes itself (503 busy, 500), so
// that a browser can read every answer of the API, not only the analyzer's:
//   - a preflight allows POST with Content-Type (a capture as
//     application/json or application/octet-stream, which browsers do not
//     send without asking) and Content-Encoding (a body a browser compressed
//     with CompressionStream("gzip"));
//   - every other answer exposes Retry-After (503, busy: when to retry),
//     which a script cannot read otherwise; Content-Type and Content-Length
//     are readable anyway.
//
// Vary: Origin is set whenever CORS is on, since the answer depends on it.
func (a *API) CORS(origin, method string) []Field {
	if origin == "" || len(a.cfg.CORSOrigins) == 0 {
		return nil
	}
	h := []Field{{"Vary", "Origin"}}
	allowed := false
	for _, o := range a.cfg.CORSOrigins {
		if o == "*" || ascii.EqualFold(o, origin) {
			allowed = true
			break
		}
	}
	if !allowed {
		return h
	}
	h = append(h, Field{"Access-Control-Allow-Origin", origin})
	if method == "OPTIONS" {
		return append(h,
			Field{"Access-Control-Allow-Methods", "POST, OPTIONS"},
			Field{"Access-Control-Allow-Headers", CORSAllowHeaders},
			Field{"Access-Control-Max-Age", "600"})
	}
	return append(h, Field{"Access-Control-Expose-Headers", "Retry-After"})
}

// CORSAllowHeaders are the request headers a browser may send to the API
// after a preflight.
const CORSAllowHeaders = "Content-Type, Content-Encoding"

// cors adds the CORS response headers when the request's Origin is allowed.
func (a *API) cors(res *Response, r *Request) {
	for _, f := range a.CORS(r.Origin, r.Method) {
		res.set(f.Name, f.Value)
	}
}

// start handles what every API path does first: OPTIONS and other methods
// than POST are answered here (how says what to POST), and the query and its
// format are read. ok is false when the answer is already written.
func (a *API) start(res *Response, r *Request, how string) (q query, format string, ok bool) {
	switch r.Method {
	case "POST":
	case "OPTIONS":
		res.set("Allow", "POST, OPTIONS")
		a.send(res, r, 204, "", nil)
		return nil, "", false
	default:
		res.set("Allow", "POST, OPTIONS")
		a.fail(res, r, 405, r.Method+" is not allowed on "+r.Path+"; "+how)
		return nil, "", false
	}
	q, err := parseQuery(r.RawQuery)
	if err != nil {
		a.fail(res, r, 400, "the query string cannot be parsed: "+err.Error())
		return nil, "", false
	}
	format = q.Get("format")
	switch format {
	case "", "json":
		format = "json"
	case "markdown", "md", "text":
	default:
		a.fail(res, r, 400, fmt.Sprintf("format=%q: use json, markdown or text", format))
		return nil, "", false
	}
	return q, format, true
}

func (a *API) analyze(res *Response, r *Request) {
	q, format, ok := a.start(res, r, "POST the capture as the request body (curl --data-binary @capture.har …/analyze)")
	if !ok {
		return
	}
	onlyProblems := false
	if v := q.Get("only_problems"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			a.fail(res, r, 400, fmt.Sprintf("only_problems=%q: use true or false", v))
			return
		}
		onlyProblems = b
	}
	name := "-" // what the CLI calls standard input
	if q.Has("name") {
		name = q.Get("name")
	}
	if r.ContentType != "" {
		mt, _, _ := strings.Cut(r.ContentType, ";")
		if ascii.HasPrefix(strings.TrimSpace(mt), "multipart/") {
			a.fail(res, r, 415, "multipart uploads are not read: send the capture itself as the request body (curl --data-binary @capture.har, not -F)")
			return
		}
	}
	if ce := ascii.Lower(strings.TrimSpace(r.ContentEncoding)); ce != "" && ce != "identity" && ce != "gzip" {
		a.fail(res, r, 415, fmt.Sprintf("Content-Encoding %q is not supported: send the capture uncompressed (a gzip-compressed file is fine as it is)", ce))
		return
	}
	max := a.cfg.MaxBytes
	if r.TooLarge || r.ContentLength > max || int64(len(r.Body)) > max {
		a.fail(res, r, 413, fmt.Sprintf("the capture is larger than %d bytes, this deployment's limit (WHY401_MAX_BYTES); trim it (keep only the failing entries of the HAR) or use the CLI or the page, which have no such limit", max))
		return
	}
	rep, err := analyzer.AnalyzeWith(r.Body, analyzer.Options{Name: name, Limits: WorkerLimits(max)})
	if err != nil {
		msg := analyzer.Message(err)
		if errors.Is(err, analyzer.ErrEmpty) {
			msg += " (send the capture as the request body: curl --data-binary @capture.har …/analyze)"
		} else if flattened(r.Body) && failStatus(err) == 400 {
			msg += ". The body has no line breaks: curl -d (--data) strips them from a file; send the capture with curl --data-binary @capture.txt …/analyze"
		}
		a.fail(res, r, failStatus(err), msg)
		return
	}
	var out bytes.Buffer
	ctype := ""
	switch format {
	case "json":
		// Exactly what why401 --format json prints (cmd/why401 write).
		if onlyProblems {
			kept := rep.Exchanges[:0:0]
			for _, e := range rep.Exchanges {
				if e.Problem() {
					kept = append(kept, e)
				}
			}
			rep.Exchanges = kept
		}
		out.Write(append(rep.AppendJSON(out.AvailableBuffer()), '\n'))
		ctype = "application/json; charset=utf-8"
	case "markdown", "md":
		err = rep.WriteMarkdown(&out, onlyProblems)
		ctype = "text/markdown; charset=utf-8"
	case "text":
		err = rep.WriteText(&out, analyzer.TextOptions{OnlyProblems: onlyProblems})
		ctype = "text/plain; charset=utf-8"
	}
	if err != nil {
		a.fail(res, r, 500, "could not write the report: "+err.Error())
		return
	}
	a.send(res, r, 200, ctype, out.Bytes())
}

// WorkerLimits are the analyzer's limits for a request body of at most max
// bytes, set so that one request stays within the worker's memory budget
// (docs/limits.md: well under an isolate's 128 MB, measured on workerd):
//   - what a compressed body inflates to, text or HAR, zip members included:
//     8 × max in all; each zip member, and the text of a text input (both
//     held whole in memory), at most max;
//   - one HAR entry at most 4 MiB (the reader's buffer holds one entry);
//   - at most 1,000 exchange reports in the answer (every exchange is still
//     analysed and counted; a warning says how many are not listed): the
//     reports of 36,000 401s would take ~10× the input in memory.
func WorkerLimits(max int64) analyzer.Limits {
	return analyzer.Limits{
		DecompressedBytes: 8 * max,
		ContainerBytes:    8 * max,
		MemberBytes:       max,
		EntryBytes:        4 << 20,
		Reports:           WorkerReports,
	}
}

// WorkerReports is the most exchanges one answer lists.
const WorkerReports = 1000

// flattened reports a text capture that lost its line breaks, as curl -d
// @file sends one: no newline at all in a body long enough to hold a status
// line and a header.
func flattened(body []byte) bool {
	return len(body) > 32 && bytes.IndexByte(body, '\n') < 0 && bytes.IndexByte(body, '\r') < 0 && body[0] != '{' && body[0] != 0x1f
}

// query is a parsed query string, read by weburl.ParseQuery (net/url's
// ParseQuery: "&" separates, ";" is an error, "+" is a space, %XX escapes),
// which keeps net/url out of the bundle. The bundle does link mime and
// mime/multipart, which bring net and net/textproto: /diff reads its two
// captures with mime.ParseMediaType and multipart.Reader.
type query map[string][]string

func (q query) Get(k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (q query) Has(k string) bool {
	_, ok := q[k]
	return ok
}

func parseQuery(s string) (query, error) {
	m, err := weburl.ParseQuery(s)
	return query(m), err
}

// failStatus is the status of an analysis that failed: 500 when the
// worker's build is broken (its knowledge did not load), else 400 (the
// capture cannot be read).
func failStatus(err error) int {
	if errors.Is(err, analyzer.ErrKnowledge) {
		return 500
	}
	return 400
}

// fail answers {"error": msg} with status code.
func (a *API) fail(res *Response, r *Request, code int, msg string) {
	b := analyzer.AppendJSONError(nil, msg)
	a.send(res, r, code, "application/json; charset=utf-8", append(b, '\n'))
}

func (a *API) send(res *Response, r *Request, code int, ctype string, body []byte) {
	res.Status = code
	if ctype != "" {
		res.set("Content-Type", ctype)
	}
	res.set("Cache-Control", "no-store")
	res.set("X-Content-Type-Options", "nosniff")
	res.set("Referrer-Policy", "no-referrer")
	if r.Method == "HEAD" || code == 204 {
		body = nil
	}
	res.Body = body
}

// diff answers POST /diff: the capture that worked and the one that failed
// as the parts "good" and "bad" of a multipart/form-data body (curl -F
// good=@worked.har -F bad=@failed.har), compared as why401 diff compares
// them. Each side is named by its part's file name, as the CLI names it by
// its path ("worked.har"), or "good"/"bad" for a part without one; the body
// may be sent gzip-compressed (Content-Encoding: gzip).
func (a *API) diff(res *Response, r *Request) {
	q, format, ok := a.start(res, r, "POST the two captures as multipart parts good and bad (curl -F good=@worked.har -F bad=@failed.har …/diff)")
	if !ok {
		return
	}
	max := a.cfg.MaxBytes
	if r.TooLarge || r.ContentLength > max || int64(len(r.Body)) > max {
		a.fail(res, r, 413, fmt.Sprintf("the two captures are larger than %d bytes together, this deployment's limit (WHY401_MAX_BYTES); keep only the entries to compare, or use the CLI (why401 diff) or the page", max))
		return
	}
	mt, params, err := mime.ParseMediaType(r.ContentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		a.fail(res, r, 415, "send the two captures as multipart/form-data parts named good and bad: curl -F good=@worked.har -F bad=@failed.har …/diff")
		return
	}
	opt := analyzer.DiffOptions{URL: q.Get("url"), GoodIndex: -1, BadIndex: -1, Limits: WorkerLimits(max)}
	for _, f := range []struct {
		key string
		to  *int
	}{{"good_index", &opt.GoodIndex}, {"bad_index", &opt.BadIndex}} {
		if !q.Has(f.key) {
			continue
		}
		n, err := strconv.Atoi(q.Get(f.key))
		if err != nil || n < 0 {
			a.fail(res, r, 400, fmt.Sprintf("%s=%q: an index is a whole number, 0 or more, as the report numbers the exchanges (#0 first)", f.key, q.Get(f.key)))
			return
		}
		*f.to = n
		opt.Pick = true
	}
	var body io.Reader = bytes.NewReader(r.Body)
	over := &capped.Reader{N: max}
	switch ce := ascii.Lower(strings.TrimSpace(r.ContentEncoding)); ce {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			a.fail(res, r, 400, "the body is sent with Content-Encoding: gzip but cannot be decompressed: "+analyzer.Message(err))
			return
		}
		// What the body inflates to is held to the same limit as an
		// uncompressed one: the parts are held whole.
		over.R = zr
		body = over
	default:
		a.fail(res, r, 415, fmt.Sprintf("Content-Encoding %q is not supported: send the body uncompressed or gzip-compressed (Content-Encoding: gzip); each capture may also be a .har.gz as it is", ce))
		return
	}
	inflated := fmt.Sprintf("the two captures are larger than %d bytes together once decompressed, this deployment's limit (WHY401_MAX_BYTES); keep only the entries to compare, or use the CLI (why401 diff) or the page", max)
	type part struct {
		data []byte
		file string
	}
	parts := map[string]*part{}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if over.Hit {
			a.fail(res, r, 413, inflated)
			return
		}
		if err != nil {
			a.fail(res, r, 400, "the multipart body cannot be read: "+err.Error())
			return
		}
		name := p.FormName()
		if name != "good" && name != "bad" {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, max+1))
		if over.Hit {
			a.fail(res, r, 413, inflated)
			return
		}
		if err != nil {
			a.fail(res, r, 400, "part "+name+" cannot be read: "+err.Error())
			return
		}
		parts[name] = &part{data: b, file: partFileName(p.FileName())}
	}
	for _, name := range []string{"good", "bad"} {
		if parts[name] == nil || len(parts[name].data) == 0 {
			what := "part " + name + " is missing"
			if parts[name] != nil {
				what = "part " + name + " is empty"
				if parts[name].file != "" {
					what = "part " + name + " (" + parts[name].file + ") is empty"
				}
			}
			a.fail(res, r, 400, what+": send both captures (curl -F good=@worked.har -F bad=@failed.har …/diff)")
			return
		}
	}
	opt.GoodName, opt.BadName = sideNames(parts["good"].file, parts["bad"].file)
	rep, err := analyzer.Diff(parts["good"].data, parts["bad"].data, opt)
	var ie *analyzer.IndexError
	switch {
	case errors.As(err, &ie):
		// As the CLI says it ("--bad-index 999 is out of range: failed.har
		// holds 46 exchanges, #0 to #45"), named by the query parameter.
		a.fail(res, r, 400, fmt.Sprintf("%s_index=%d is out of range: %s %s", ie.Side, ie.Index, ie.Input, strings.TrimPrefix(ie.Range(), "it ")))
		return
	case err != nil:
		a.fail(res, r, failStatus(err), analyzer.Message(err))
		return
	}
	var out bytes.Buffer
	ctype := ""
	switch format {
	case "json":
		b, err := json.Marshal(rep) // what why401 diff -f json prints
		if err != nil {
			a.fail(res, r, 500, "could not write the comparison: "+err.Error())
			return
		}
		out.Write(append(b, '\n'))
		ctype = "application/json; charset=utf-8"
	case "markdown", "md":
		err = rep.WriteMarkdown(&out)
		ctype = "text/markdown; charset=utf-8"
	case "text":
		err = rep.WriteText(&out, analyzer.TextOptions{})
		ctype = "text/plain; charset=utf-8"
	}
	if err != nil {
		a.fail(res, r, 500, "could not write the comparison: "+err.Error())
		return
	}
	a.send(res, r, 200, ctype, out.Bytes())
}

// partFileName is a part's file name, without its folders, as a side's
// name: at most 200 bytes (cut on a rune boundary), "" for none. The text
// writers show its control characters escaped (analyzer.Printable), JSON
// escapes them.
func partFileName(f string) string {
	// multipart's FileName keeps what follows the last '/'; a Windows
	// client's path is cut after its last backslash too.
	f = strings.TrimSpace(f[strings.LastIndexByte(f, '\\')+1:])
	if f == "." || f == ".." || f == "/" {
		return ""
	}
	if len(f) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(f[cut]) {
			cut--
		}
		f = f[:cut] + "…"
	}
	return f
}

// sideNames names the two sides of a comparison by their file names, as
// the CLI names them by their paths; "good" and "bad" without one, and
// the file name with its side when both parts carry the same one
// ("capture.har (good)").
func sideNames(goodFile, badFile string) (good, bad string) {
	good, bad = goodFile, badFile
	if good == "" {
		good = "good"
	}
	if bad == "" {
		bad = "bad"
	}
	if good == bad {
		good, bad = good+" (good)", bad+" (bad)"
	}
	return good, bad
}
