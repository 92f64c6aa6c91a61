package capture

import (
	"bytes"
	"strconv"
	"strings"

	"why401/internal/ascii"
)

// This file reads pasted HTTP text: a raw response (optionally after its
// request), DevTools header blocks (":status: 401"), `curl -i` output with
// several responses, and `curl -v` transcripts ("> ", "< ", "* " lines).
// net/http's ReadResponse rejects "HTTP/2 401", ":status:" lines and LF-only
// input, and costs the page's wasm half a megabyte, so the reader is our own.

// textBuilder turns a stream of line events into exchanges.
type textBuilder struct {
	lim  Limits
	warn *Warnings

	out     []Exchange
	req     *Message // the request being read, or the one waiting for its response
	resp    *Message // the response being read
	cur     *Message // whichever of the two receives header lines
	inBody  bool
	body    []byte
	info    []string
	bodyCap bool
	tail    []byte // the end of a capped refusal's body (keepsTail), at most twice its share while reading
	// scheme is what curl -v's info lines showed of the connection
	// ("http://" for a plain connection to port 80, "https://" once TLS
	// was negotiated), or "" when they showed nothing.
	scheme string
	// fold builds a header value continued on the following lines
	// (obs-fold) for folding, the message whose last field it is; kept says
	// whether the last header line was kept (a continuation of a field
	// dropped at HeaderFields is dropped too).
	fold    folder
	folding *Message
	kept    bool
	// closed says curl -v printed the line that ends the transfer of the
	// response being read ("* Connection #0 to host x left intact",
	// "* Closing connection"); ended, that the user's terminal (a prompt,
	// a comment) followed and the body is over; outFile is the file the
	// curl command wrote the body to (-o), whose printing may follow.
	closed, ended bool
	outFile       string
	// producer is the Exchange.Producer of what is read (FetchCopy), or "".
	producer string
	// needsFull: the slim build met a fetch paste (ErrNeedsFull).
	needsFull bool
}

// continued handles an obs-fold line: a continuation of the last header field.
func (b *textBuilder) continued(line []byte) {
	if b.cur == nil || !b.kept {
		return
	}
	if b.folding != b.cur {
		b.unfold()
		b.folding = b.cur
	}
	b.fold.fold(b.cur.Fields, line, b.lim, b.warn)
}

// unfold writes a folded value back before anything else reads or adds
// fields. Not inlined: it is called from every event (the page's wasm).
//
//go:noinline
func (b *textBuilder) unfold() {
	if b.folding != nil {
		b.fold.done(b.folding.Fields)
		b.folding = nil
	}
}

func (b *textBuilder) startRequest(method, target, proto string) {
	b.finish()
	b.req = &Message{Method: method, URL: target, Proto: proto}
	b.cur = b.req
	b.inBody = false
}

func (b *textBuilder) startResponse(proto string, status int, reason string) {
	b.finish()
	b.resp = &Message{Proto: proto, Status: status, Reason: reason}
	b.cur = b.resp
	b.inBody = false
	b.closed, b.ended = false, false
}

// pseudo handles an HTTP/2 pseudo-header line copied from DevTools.
func (b *textBuilder) pseudo(name, value string) {
	b.unfold()
	b.kept = false
	switch name {
	case ":status":
		if b.cur == nil || b.cur == b.req || b.cur.Status != 0 || b.inBody {
			b.startResponse("HTTP/2", 0, "")
		}
		b.cur.Status = atoi3(value)
		if b.cur.Proto == "" {
			b.cur.Proto = "HTTP/2"
		}
	case ":method":
		if b.cur == nil || b.cur == b.resp || b.cur.Method != "" || b.inBody {
			b.startRequest("", "", "HTTP/2")
		}
		b.cur.Method = value
	case ":authority", ":path", ":scheme":
		if b.cur == nil || b.cur == b.resp || b.inBody {
			b.startRequest("", "", "HTTP/2")
		}
		b.req.URL = rebuildURL(b.req.URL, name, value)
	}
}

// rebuildURL folds :scheme, :authority and :path into one URL, in any order.
func rebuildURL(u, name, value string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		scheme, rest = "", u
	}
	host, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		host, path = rest[:i], rest[i:]
	}
	switch name {
	case ":scheme":
		scheme = value
	case ":authority":
		host = value
	case ":path":
		path = value
	}
	if scheme == "" {
		scheme = "https"
	}
	if host == "" {
		return path
	}
	return scheme + "://" + host + path
}

func (b *textBuilder) header(name, value string) {
	b.unfold()
	b.kept = false
	if b.cur == nil {
		return
	}
	if len(b.cur.Fields) >= b.lim.HeaderFields {
		b.warn.Add("header-fields", "a message had more than "+strconv.Itoa(b.lim.HeaderFields)+" header fields; the rest were ignored (limit HeaderFields)")
		return
	}
	if len(value) > b.lim.HeaderBytes {
		warnHeaderBytes(b.warn, name, b.lim)
		value = value[:b.lim.HeaderBytes]
	}
	b.cur.Fields = append(b.cur.Fields, Field{Name: name, Value: value})
	b.kept = true
}

func (b *textBuilder) endHeaders() {
	b.unfold()
	b.kept = false
	b.inBody = true
}

func (b *textBuilder) bodyLine(line []byte) {
	b.unfold()
	if b.resp == nil && b.req == nil {
		return
	}
	if b.bodyCap {
		b.keepTail(true, line)
		return
	}
	if len(b.body)+len(line)+1 > b.lim.BodyBytes {
		room := b.lim.BodyBytes - len(b.body)
		if room > 0 {
			b.body = append(b.body, line[:min(room, len(line))]...)
		}
		b.bodyCap = true
		b.keepTail(false, line[max(0, room):])
		return
	}
	if len(b.body) > 0 {
		b.body = append(b.body, '\n')
	} else if len(bytes.TrimSpace(line)) == 0 {
		return // blank lines before the body
	}
	b.body = append(b.body, line...)
}

// keepTail keeps the last share of a capped response body whose status
// keeps its end (keepsTail), in a buffer of at most twice that share; a
// new line (newline) is preceded by its line break.
func (b *textBuilder) keepTail(newline bool, p []byte) {
	if b.resp == nil || !keepsTail(b.resp.Status, b.lim.BodyBytes) {
		return
	}
	t := b.lim.BodyBytes / tailShare
	if len(p) >= t {
		p, newline = p[len(p)-t:], false
	}
	if newline {
		b.tail = append(b.tail, '\n')
	}
	b.tail = append(b.tail, p...)
	if len(b.tail) > 2*t {
		n := copy(b.tail, b.tail[len(b.tail)-t:])
		b.tail = b.tail[:n]
	}
}

// finish closes the message being read: a response becomes an exchange with
// the pending request; a request waits for its response.
func (b *textBuilder) finish() {
	b.unfold()
	b.kept = false
	body := bytes.TrimRight(b.body, "\r\n")
	target := b.resp
	if target == nil {
		target = b.req
	}
	if target != nil && len(body) > 0 {
		if tail := bytes.TrimRight(b.tail, "\r\n"); b.bodyCap && len(tail) > 0 {
			target.Body = headTail(body, tail, b.lim.BodyBytes)
		} else {
			target.Body = append([]byte(nil), body...)
		}
		target.BodyTruncated = b.bodyCap
		if b.bodyCap {
			b.warn.Add("body-bytes", cutNote(b.lim.BodyBytes, len(b.tail) > 0))
		}
	}
	b.body, b.bodyCap, b.tail = b.body[:0], false, b.tail[:0]
	if b.req != nil && strings.HasPrefix(b.req.URL, "/") {
		if host := b.req.Get("Host"); host != "" && !strings.ContainsAny(host, " /") {
			scheme := "https://"
			if strings.HasSuffix(host, ":80") || b.scheme == "http://" {
				scheme = "http://"
			}
			b.req.URL = scheme + host + b.req.URL
		}
	}
	if b.resp != nil {
		decodeBody(b.resp, b.lim, b.warn)
		if len(b.out) >= b.lim.Entries {
			b.warn.Add("entries", "more than "+strconv.Itoa(b.lim.Entries)+" responses; the rest were not analysed (limit Entries)")
		} else {
			ex := Exchange{Index: len(b.out), Request: b.req, Response: *b.resp, Info: b.info, Producer: b.producer}
			b.out = append(b.out, ex)
		}
		b.info = nil
		// An interim response (100 Continue, a proxy's "200 Connection
		// established") leaves the request waiting for its real answer.
		if !interim(b.resp, b.req) {
			b.req = nil
		}
		b.resp = nil
	}
	b.cur = nil
	b.inBody = false
}

func interim(resp, req *Message) bool {
	if resp.Status >= 100 && resp.Status < 200 {
		return true
	}
	return req != nil && req.Method == "CONNECT" && resp.Status == 200
}

// ParseText reads pasted HTTP text in plain or curl -v form.
func ParseText(data []byte, lim Limits, w *Warnings) ([]Exchange, string, error) {
	b := &textBuilder{lim: lim, warn: w}
	format := "raw"
	if at := fetchCall(data); at >= 0 && readFetchPaste(data, at, b) {
		format = "fetch"
	} else if looksVerbose(data) {
		format = "curl"
		readVerbose(data, b)
	} else {
		if countStatusLines(data) > 1 {
			format = "curl"
		}
		readPlain(data, b)
	}
	b.finish()
	if b.needsFull {
		return nil, format, ErrNeedsFull
	}
	if len(b.out) == 0 {
		if b.req != nil && format == "fetch" {
			return nil, format, WrapErr("analyzer: the paste holds a \"Copy as fetch\" request but no response; copy the response from the Network tab too", ErrRequestOnly)
		} else if b.req != nil {
			return nil, format, ErrRequestOnly
		}
		return nil, format, ErrNoResponse
	}
	return b.out, format, nil
}

// lines calls fn for each line of data without its line ending.
func lines(data []byte, fn func(line []byte) bool) {
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		var line []byte
		if i < 0 {
			line, data = data, nil
		} else {
			line, data = data[:i], data[i+1:]
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if bytes.IndexByte(line, 0x1b) >= 0 {
			line = stripANSI(line)
		}
		if !fn(line) {
			return
		}
	}
}

func readPlain(data []byte, b *textBuilder) {
	started := false
	lines(data, func(line []byte) bool {
		if rest, cut := cutProgress(line); cut {
			if len(bytes.TrimSpace(rest)) == 0 {
				return true // curl's progress meter (curl -i 2>&1) is never the body
			}
			line = rest
		}
		if b.inBody || !started {
			if startLine(line, b) {
				started = true
				return true
			}
			if started && bytes.HasPrefix(line, []byte(":status")) && b.resp == nil {
				// DevTools: the request's pseudo-header block, then the response's.
				if _, value, ok := HeaderLine(line); ok {
					b.pseudo(":status", value)
					return true
				}
			}
			if !started {
				// Before any start line: accept a bare DevTools ":status:" block or
				// plain "Name: value" lines as a response whose status line was not copied.
				if name, value, ok := HeaderLine(line); ok {
					if strings.HasPrefix(name, ":") {
						b.pseudo(ascii.Lower(name), value)
						started = true
						return true
					}
					b.startResponse("", 0, "")
					b.warn.Add("no-status", "no status line was found; the header lines were read as a response with an unknown status")
					b.header(name, value)
					started = true
				}
				return true
			}
			b.bodyLine(line)
			return true
		}
		// In a header block.
		if len(bytes.TrimSpace(line)) == 0 {
			b.endHeaders()
			return true
		}
		if line[0] == ' ' || line[0] == '\t' {
			b.continued(line) // obs-fold (RFC 9112 §5.2)
			return true
		}
		if startLine(line, b) {
			return true
		}
		if name, value, ok := HeaderLine(line); ok {
			if strings.HasPrefix(name, ":") {
				b.pseudo(ascii.Lower(name), value)
			} else {
				b.header(name, value)
			}
			return true
		}
		// Not a header: the body began without a blank line.
		b.endHeaders()
		b.bodyLine(line)
		return true
	})
}

// startLine recognises a status line or a request line and starts a message.
func startLine(line []byte, b *textBuilder) bool {
	if proto, status, reason, ok := StatusLine(line); ok {
		b.startResponse(proto, status, reason)
		return true
	}
	if method, target, proto, ok := RequestLine(line); ok {
		b.startRequest(method, target, proto)
		return true
	}
	return false
}

// StatusLine parses "HTTP/1.1 401 Unauthorized", "HTTP/2 401", "HTTP/3 403 ".
func StatusLine(line []byte) (proto string, status int, reason string, ok bool) {
	if !bytes.HasPrefix(line, []byte("HTTP/")) {
		return
	}
	sp := bytes.IndexByte(line, ' ')
	if sp < 6 || sp > 9 {
		return
	}
	rest := bytes.TrimLeft(line[sp+1:], " ")
	if len(rest) < 3 || (len(rest) > 3 && rest[3] != ' ') {
		return
	}
	status = atoi3(string(rest[:3]))
	if status == 0 {
		return
	}
	return string(line[:sp]), status, strings.TrimSpace(string(rest[3:])), true
}

// RequestLine parses "GET /path HTTP/1.1" (and absolute-form targets).
func RequestLine(line []byte) (method, target, proto string, ok bool) {
	sp1 := bytes.IndexByte(line, ' ')
	if sp1 < 3 || sp1 > 12 {
		return
	}
	for _, c := range line[:sp1] {
		if c < 'A' || c > 'Z' {
			return
		}
	}
	rest := line[sp1+1:]
	sp2 := bytes.LastIndexByte(rest, ' ')
	if sp2 < 1 || !bytes.HasPrefix(rest[sp2+1:], []byte("HTTP/")) || len(rest)-sp2 > 10 {
		return
	}
	return string(line[:sp1]), string(rest[:sp2]), string(rest[sp2+1:]), true
}

// HeaderLine splits "Name: value"; ":status: 401" keeps its leading colon.
func HeaderLine(line []byte) (name, value string, ok bool) {
	start := 0
	if len(line) > 0 && line[0] == ':' {
		start = 1
	}
	i := bytes.IndexByte(line[start:], ':')
	if i <= 0 {
		return
	}
	i += start
	n := line[:i]
	for _, c := range n[start:] {
		if !IsTokenChar(c) {
			return
		}
	}
	return string(n), string(bytes.TrimSpace(line[i+1:])), true
}

func atoi3(s string) int {
	s = strings.TrimSpace(s)
	if len(s) != 3 {
		return 0
	}
	n := 0
	for i := 0; i < 3; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	if n < 100 {
		return 0
	}
	return n
}

func countStatusLines(data []byte) int {
	n := 0
	lines(data, func(line []byte) bool {
		if _, _, _, ok := StatusLine(line); ok {
			n++
		}
		return n < 2
	})
	return n
}

// looksVerbose tells a curl -v transcript: "< HTTP/" response lines.
func looksVerbose(data []byte) bool {
	found := false
	lines(data, func(line []byte) bool {
		if bytes.HasPrefix(line, []byte("< HTTP/")) || bytes.HasPrefix(line, []byte("< :status")) {
			found = true
			return false
		}
		return true
	})
	return found
}

// readVerbose reads curl -v: "> " request, "< " response, "* " info; other lines are body.
func readVerbose(data []byte, b *textBuilder) {
	lines(data, func(line []byte) bool {
		if rest, cut := cutProgress(line); cut {
			if len(bytes.TrimSpace(rest)) == 0 {
				return true // curl's progress meter is never the body
			}
			line = rest
		}
		switch {
		case bytes.HasPrefix(line, []byte("> ")) || bytes.Equal(line, []byte(">")):
			l := bytes.TrimPrefix(bytes.TrimPrefix(line, []byte(">")), []byte(" "))
			if len(bytes.TrimSpace(l)) == 0 {
				b.endHeaders()
				return true
			}
			if method, target, proto, ok := RequestLine(l); ok {
				b.startRequest(method, target, proto)
				return true
			}
			if name, value, ok := HeaderLine(l); ok && b.req != nil && b.cur == b.req {
				if strings.HasPrefix(name, ":") {
					b.pseudo(ascii.Lower(name), value)
				} else {
					b.header(name, value)
				}
			}
		case bytes.HasPrefix(line, []byte("< ")) || bytes.Equal(line, []byte("<")):
			l := bytes.TrimPrefix(bytes.TrimPrefix(line, []byte("<")), []byte(" "))
			if len(bytes.TrimSpace(l)) == 0 {
				b.endHeaders()
				return true
			}
			if proto, status, reason, ok := StatusLine(l); ok {
				b.startResponse(proto, status, reason)
				return true
			}
			if name, value, ok := HeaderLine(l); ok && b.resp != nil {
				if strings.HasPrefix(name, ":") {
					b.pseudo(ascii.Lower(name), value)
				} else {
					b.header(name, value)
				}
			}
		case bytes.HasPrefix(line, []byte("* ")):
			b.connection(string(line[2:]))
			if b.resp != nil && closingInfo(string(line[2:])) {
				b.closed = true
			}
			if s := keepInfo(string(line[2:])); s != "" && len(b.info) < 20 {
				b.info = append(b.info, s)
			}
		case bytes.HasPrefix(line, []byte("{ [")) || bytes.HasPrefix(line, []byte("} [")):
			// curl's "[n bytes data]" markers.
		case bytes.HasPrefix(line, []byte("curl: (")):
			// curl's own error ("curl: (56) CONNECT tunnel failed"): never
			// the server's body.
			if len(b.info) < 20 {
				b.info = append(b.info, string(line))
			}
		default:
			if b.resp != nil && b.inBody {
				b.verboseBody(line)
			} else if b.req == nil {
				if f := curlOutput(string(line)); f != "" {
					b.outFile = f
				}
				// The command line ("$ curl -x http://gate.example:7000 …"):
				// the proxy it names, host and port only.
				if p := CurlProxy(string(line)); p != "" && len(b.info) < 20 {
					b.info = append(b.info, "Proxy "+p)
				}
			}
		}
		return true
	})
}

// verboseBody reads a curl -v line that is not curl's: the response body,
// until the user's terminal follows it (shellLine). A prompt printing the
// file the body went to (curl -o f; cat f) starts the body again.
func (b *textBuilder) verboseBody(line []byte) {
	if i := gluedClosing(line); i >= 0 && !b.ended {
		b.bodyLine(line[:i])
		b.closed = true
		return
	}
	if shellLine(line, b.closed || b.ended) {
		b.ended = true
		if words, _ := promptCommand(line); len(b.body) == 0 && showsFile(words, b.outFile) {
			b.ended, b.closed = false, true
		}
		return
	}
	if !b.ended {
		b.bodyLine(line)
	}
}

// CurlProxy is the proxy a curl command line names (-x, --proxy,
// -xHOST, --proxy=URL) as host:port, lowered, without its scheme or
// user:password (never kept); "" when the line is not a curl command or
// names no proxy. curl's default proxy port is 1080.
func CurlProxy(line string) string {
	v, ok := curlOption(line, "-x", "--proxy")
	if !ok {
		return ""
	}
	if k := strings.Index(v, "://"); k >= 0 {
		v = v[k+3:]
	}
	if k := strings.LastIndexByte(v, '@'); k >= 0 {
		v = v[k+1:] // user:password@ is never kept
	}
	if k := strings.IndexAny(v, "/?#"); k >= 0 {
		v = v[:k]
	}
	if v == "" || strings.ContainsAny(v, "$`{}") {
		return ""
	}
	if _, port, ok := strings.Cut(v, ":"); !ok || port == "" {
		v = strings.TrimSuffix(v, ":") + ":1080"
	}
	return ascii.Lower(v)
}

// connection reads the scheme from curl -v's connection lines: "Connected to
// host (addr) port 80" without TLS is plain HTTP; a TLS handshake line
// (SSL connection using, TLSv1.x, ALPN) after it makes it HTTPS.
func (b *textBuilder) connection(s string) {
	switch {
	case strings.HasPrefix(s, "Connected to ") || strings.HasPrefix(s, "Established connection to "):
		b.scheme = ""
		if i := strings.LastIndex(s, " port "); i >= 0 {
			p := s[i+len(" port "):]
			if j := strings.IndexFunc(p, func(r rune) bool { return r < '0' || r > '9' }); j >= 0 {
				p = p[:j]
			}
			if p == "80" {
				b.scheme = "http://"
			}
		}
	case strings.HasPrefix(s, "SSL connection using") || strings.HasPrefix(s, "TLSv1.") || strings.HasPrefix(s, "ALPN") || strings.HasPrefix(s, "Server certificate"):
		b.scheme = "https://"
	}
}

// keepInfo keeps the curl -v info lines that matter for a diagnosis and
// never carry a credential (curl prints user names in "Server auth using" lines).
func keepInfo(s string) string {
	for _, p := range []string{"ALPN", "SSL connection using", "Connected to", "using HTTP/", "Establish HTTP proxy tunnel", "CONNECT phase completed", "Issue another request", "TLSv1."} {
		if strings.Contains(s, p) {
			return Clip(s, 200)
		}
	}
	return ""
}

func stripANSI(line []byte) []byte {
	out := make([]byte, 0, len(line))
	for i := 0; i < len(line); i++ {
		if line[i] == 0x1b && i+1 < len(line) && line[i+1] == '[' {
			j := i + 2
			for j < len(line) && (line[j] < 0x40 || line[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		out = append(out, line[i])
	}
	return out
}

func IsTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// Clip cuts s to n bytes (not inside a UTF-8 sequence) and marks the cut.
// The check is inlined (it runs for every JSON key of a HAR), the cut is
// not: inlined at the detectors' thirty-odd places, it weighed 6 KB of
// gzip in the page's wasm.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return clip(s, n)
}

//go:noinline
func clip(s string, n int) string {
	// Do not cut inside a UTF-8 sequence.
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
