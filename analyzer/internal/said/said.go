// Package said reads what a server said in its own words about a refusal:
// its error message and code (a JSON or XML error body, an error header,
// the WWW-Authenticate error_description, a block page's reason line or
// headline, a short plain-text body) and the request, trace and incident
// ids a support desk asks for, where said.json (analyzer/internal/knowledge)
// says servers put them. It judges nothing: the detectors turn what it reads
// into signals, and the report quotes it first.
package said

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/knowledge"
	"why401/internal/ascii"
)

// Words is what a response said: its message (one line, verbatim, decoded;
// random-shaped runs fingerprinted), its error code, where they were read
// ("body error.message", "<Message>", "WWW-Authenticate
// error_description", "header x-amzn-errortype", "page", "body") and its
// reference ids.
type Words struct {
	Message, Code, Where string
	Refs                 []Ref
	// ClientIP is the client's IP address a block page prints ("Your IP:
	// 203.0.113.7", "banned your IP address (203.0.113.7)"); "" when none.
	ClientIP string
}

// Read reads the response's own words, as said.json describes them.
func Read(resp *capture.Message) Words {
	f, err := knowledge.Said()
	if err != nil {
		return Words{}
	}
	// An error page's visible lines are read once, for its message, its
	// references and the client's IP it prints.
	html := isHTML(resp)
	var lines []string
	if html && (resp.Status >= 400 || resp.Status == 0) {
		body := trimBody(resp.Body)
		lines = pageLines(body[:min(len(body), 64<<10)], 400)
	}
	var doc *JSONBody // a JSON body, read once for its message and its ids
	if body := trimBody(resp.Body); len(body) > 1 && (body[0] == '{' || body[0] == '[') && capture.ValidJSON(body) {
		doc = NewJSONBody(body)
	}
	msg, code, where, pageRefs := read(f, resp, html, lines, doc)
	msg, tailRefs := cutTail(f, msg)
	msg = MaskRandom(msg)
	w := Words{Message: msg, Code: code, Where: where, Refs: requestIDs(f, resp, doc, append(tailRefs, pageRefs...))}
	if len(lines) > 0 && len(f.ClientIPLabels) > 0 {
		w.ClientIP = clientIP(f, lines)
	}
	return w
}

// clientIP finds the client's address a block page prints after one of
// the labels ("Your IP: 203.0.113.7", "your IP address (203.0.113.7)"),
// on the label's line or, when the label ends it, on the next line. Only
// a well-formed IPv4 or IPv6 address is taken.
func clientIP(f *knowledge.SaidFile, lines []string) string {
	for i, l := range lines {
		low := ascii.Lower(l)
		for _, lab := range f.ClientIPLabels {
			j := strings.Index(low, lab)
			if j < 0 {
				continue
			}
			rest := strings.TrimSpace(l[j+len(lab):])
			if rest == "" || rest == ":" {
				if i+1 < len(lines) {
					rest = lines[i+1]
				}
			}
			// The address comes within the next few words ("Your IP:
			// Click to reveal 203.0.113.7").
			for k, tok := range strings.Fields(capture.Clip(rest, 120)) {
				if k >= 5 {
					break
				}
				tok = strings.Trim(tok, "():,;.•[]")
				if a := ipLiteral(tok); a != "" {
					return a
				}
			}
		}
	}
	return ""
}

// trimBody is a body without its surrounding white space and a leading
// UTF-8 byte order mark (Azure Storage starts its XML errors with one).
func trimBody(b []byte) []byte {
	return bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(b), []byte("\ufeff")))
}

// isHTML: a page (its Content-Type, or a document start: <html>, a
// doctype, or a page that starts at its <head>, <title> or <body>, as
// ModSecurity's bare 406 page does).
func isHTML(m *capture.Message) bool {
	if ascii.Contains(m.Get("Content-Type"), "html") {
		return true
	}
	b := trimBody(m.Body[:min(len(m.Body), 512)])
	if len(b) == 0 || b[0] != '<' {
		return false
	}
	for _, start := range []string{"<head>", "<head ", "<title>", "<body>", "<body "} {
		if ascii.HasPrefix(b, start) {
			return true
		}
	}
	return ascii.Contains(b, "<html") || ascii.Contains(b, "<!doctype")
}

// Ref is a reference id the user can quote: a vendor's Ray or incident id,
// an API's request or trace id. Label says which ("Cloudflare Ray ID",
// "x-amz-request-id"); Value is the id, whole.
type Ref struct {
	Label, Value string
}

// String is "Label Value", as the report quotes it.
func (r Ref) String() string {
	if r.Value == "" {
		return ""
	}
	return r.Label + " " + r.Value
}

// maxMessage bounds a quoted message (bytes of UTF-8).
const maxMessage = 480

// maxRefs bounds the request ids read from one response.
const maxRefs = 4

// cutTail quotes a message up to the labelled lines servers append to it
// ("… signature. Trace ID: 1b2c… Correlation ID: …", Azure's "RequestId:…
// Time:…"), and returns the ids among them.
func cutTail(f *knowledge.SaidFile, msg string) (string, []Ref) {
	// The tail starts at the first label that starts the message or
	// follows a sentence's end.
	cut := len(msg)
	for _, t := range f.MessageTails {
		key := t.Label + ":"
		for from := 0; from < cut; {
			i := strings.Index(msg[from:], key)
			if i < 0 {
				break
			}
			i += from
			from = i + len(key)
			if i == 0 || strings.HasSuffix(strings.TrimSpace(msg[:i]), ".") {
				cut = min(cut, i)
				break
			}
		}
	}
	if cut == len(msg) {
		return msg, nil
	}
	// In the tail, every labelled id.
	var refs []Ref
	tail := msg[cut:]
	for _, t := range f.MessageTails {
		if !t.Ref {
			continue
		}
		if i := strings.Index(tail, t.Label+":"); i >= 0 {
			v := strings.TrimSpace(tail[i+len(t.Label)+1:])
			if j := strings.IndexByte(v, ' '); j >= 0 {
				v = v[:j]
			}
			refs = append(refs, Ref{Label: t.Label, Value: v})
		}
	}
	if cut == 0 {
		return msg, refs // the whole message is labelled lines: keep it
	}
	return strings.TrimSpace(msg[:cut]), refs
}

// On an HTML page (html; lines are an error page's, read by Read) it also
// returns the ids the page's lines label ("Request ID: 0a1b…", "Incident
// ID: …").
func read(f *knowledge.SaidFile, resp *capture.Message, html bool, lines []string, doc *JSONBody) (msg, code, where string, refs []Ref) {
	// RFC 6750 §3: error_description in the challenge is the server's own
	// words at the protocol level, before a body's generic "Unauthorized".
	//
	// A description that is UTF-8 read as Latin-1 somewhere on the way
	// (mojibake: "ã\u0082¢ã\u0082¯…" for "アク…") is never quoted as is:
	// the body's message, which carries the same words correctly, comes
	// first, and only without one is the description repaired.
	repaired := ""
	for _, v := range resp.Values("WWW-Authenticate") {
		if d := challengeParam(v, "error_description"); d != "" {
			code = identifier(challengeParam(v, "error"))
			if r, ok := UnLatin1(d); ok {
				repaired = clean(r)
				break
			}
			msg, where = clean(d), "WWW-Authenticate error_description"
			break
		}
	}
	body := trimBody(resp.Body)
	switch {
	case msg != "":
	case doc != nil:
		msg, code, where = jsonMessage(f, doc)
	case html:
		if resp.Status >= 400 || resp.Status == 0 {
			msg, where = pageReason(f, lines)
			for _, l := range lines {
				if _, r := cutTail(f, l); len(r) > 0 && len(refs) < maxRefs {
					refs = append(refs, r...)
				}
			}
		}
	case looksXML(body):
		msg, code, where = xmlMessage(f, body)
	case resp.Status >= 400 && len(body) > 0 && len(body) <= 2048 && utf8.Valid(body):
		msg, where = clean(string(body)), "body"
	}
	if msg == "" && repaired != "" {
		msg, where = repaired, "WWW-Authenticate error_description"
	}
	if msg == "" {
		for _, h := range f.MessageHeaders {
			if v := resp.Get(h); v != "" {
				msg, where = clean(v), "header "+h
				break
			}
		}
	}
	if code == "" {
		for _, h := range f.CodeHeaders {
			if v := identifier(strings.TrimRight(resp.Get(h), ":")); v != "" {
				code = v
				if where == "" {
					where = "header " + h
				}
				break
			}
		}
	}
	if len(msg) > maxMessage {
		msg = capture.Clip(msg, maxMessage)
	}
	return msg, code, where, refs
}

// UnLatin1 repairs mojibake: UTF-8 bytes decoded as Latin-1 (each byte
// one rune below U+0100). It reports false unless s has such runes at or
// above U+0080 and their bytes decode as UTF-8 with at least one
// multi-byte character: a Latin-1 "café" stays as written.
func UnLatin1(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	high := false
	for _, r := range s {
		if r > 0xFF {
			return "", false
		}
		high = high || r >= 0x80
		b = append(b, byte(r))
	}
	if !high || !utf8.Valid(b) {
		return "", false
	}
	return string(b), true
}

// jsonMessage reads the message and code paths of said.json.
func jsonMessage(f *knowledge.SaidFile, doc *JSONBody) (msg, code, where string) {
	for _, p := range f.MessagePaths {
		r := doc.Get(p)
		if r.Type != gjson.String {
			continue
		}
		s := clean(r.String())
		// "error": "invalid_grant" is a code; "error": "Bad credentials" is prose.
		if s == "" || (p == "error" || p == "title") && identifier(s) != "" && !strings.Contains(s, " ") {
			continue
		}
		msg, where = s, "body "+p
		break
	}
	for _, p := range f.CodePaths {
		r := doc.Get(p)
		var s string
		switch r.Type {
		case gjson.String:
			s = identifier(r.String())
		case gjson.Number:
			s = r.Raw
		}
		if s != "" && s != msg {
			code = s
			if where == "" {
				where = "body " + p
			}
			break
		}
	}
	return msg, code, where
}

// looksXML: an XML document or a bare element (<Error>…).
func looksXML(b []byte) bool {
	return len(b) > 2 && b[0] == '<' && (bytes.HasPrefix(b, []byte("<?xml")) || b[1] >= 'A' && b[1] <= 'Z' || bytes.HasPrefix(b, []byte("<error")) || bytes.HasPrefix(b, []byte("<soap")))
}

// xmlMessage reads the first element of each list (<Message>, <Code>).
func xmlMessage(f *knowledge.SaidFile, body []byte) (msg, code, where string) {
	for _, name := range f.XMLMessage {
		if v, ok := xmlElement(body, name); ok && v != "" {
			msg, where = xmlFirstLines(v), "<"+name+">"
			break
		}
	}
	for _, name := range f.XMLCode {
		if v, ok := xmlElement(body, name); ok {
			if c := identifier(v); c != "" {
				code = c
				if where == "" {
					where = "<" + name + ">"
				}
				break
			}
		}
	}
	return msg, code, where
}

// xmlElement returns the text of the first <name>…</name> (or a prefixed
// <x:name>), entities decoded.
func xmlElement(body []byte, name string) (string, bool) {
	for _, open := range []string{"<" + name + ">", ":" + name + ">"} {
		i := bytes.Index(body, []byte(open))
		if i < 0 {
			continue
		}
		rest := body[i+len(open):]
		j := bytes.Index(rest, []byte("</"))
		if j < 0 {
			return "", false
		}
		v := string(rest[:j])
		if strings.HasPrefix(v, "<![CDATA[") {
			v = strings.TrimSuffix(strings.TrimPrefix(v, "<![CDATA["), "]]>")
		} else {
			v = capture.UnescapeEntities(v)
		}
		return v, true
	}
	return "", false
}

// xmlFirstLines keeps a message's lines up to the first "RequestId:" or
// "Time:" line (Azure Storage appends both to its <Message>).
func xmlFirstLines(v string) string {
	var keep []string
	for _, line := range strings.Split(v, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "RequestId:") || strings.HasPrefix(t, "Time:") {
			break
		}
		keep = append(keep, t)
	}
	return clean(strings.Join(keep, " "))
}

// pageReason finds a block page's own reason line: a line of the page's
// text that starts with one of said.json's labels ("Block reason: …"), or
// the line after a label that ends the line ("What happened?").
//
// A short page (a block or challenge page: at most shortPage characters of
// text) with no such line says it in its first lines: its heading, and the
// sentence after it ("Access Denied: You don't have permission to access …").
//
// The labels are tried in said.json's order, each over the whole page: a
// Sucuri page's "Block reason:" wins over its earlier "Your Browser:" line.
//
// A page whose reason follows a fixed lead-in line (said.json's
// html_lead_ins: CloudFront's "The request could not be satisfied.",
// Squid's "The following error was encountered …") says it in the line
// after the lead-in ("Request blocked.", "Access Denied." and its sentence).
func pageReason(f *knowledge.SaidFile, lines []string) (msg, where string) {
	defer func() {
		if msg == "" {
			msg, where = pageHeadline(lines), "page"
		}
	}()
	for _, lab := range f.HTMLLabels {
		for i, l := range lines {
			if !strings.HasPrefix(ascii.Lower(l), lab) {
				continue
			}
			rest := strings.TrimSpace(strings.TrimLeft(l[len(lab):], ":"))
			if rest != "" && len(l) > len(lab) && (l[len(lab)] == ':' || l[len(lab)] == ' ' || strings.HasSuffix(lab, "?")) {
				for _, fl := range f.HTMLFieldLabels {
					if fl == lab {
						return clean(rest), "page"
					}
				}
				return clean(l), "page"
			}
			if rest == "" && i+1 < len(lines) {
				return clean(lines[i+1]), "page"
			}
		}
	}
	for _, lead := range f.HTMLLeadIns {
		for i, l := range lines {
			if !strings.HasPrefix(ascii.Lower(l), lead) || i+1 >= len(lines) {
				continue
			}
			next := lines[i+1]
			if i+2 < len(lines) {
				if j, ok := joinHeading(next, lines[i+2]); ok {
					next = j
				}
			}
			return capture.Clip(clean(next), 300), "page"
		}
	}
	return "", ""
}

// joinHeading joins a short heading (at most 60 characters) and the
// sentence after it: a heading that ends in no punctuation and a next line
// of at least 12 characters with a space ("Access Denied" + "You don't
// have permission …", joined with ": "); a heading that ends in "." or "!"
// and a next line that is a whole sentence, at least 40 characters ending
// in ".", "!" or ":" ("whoa there, pardner!" + "we're sorry, but you
// appear to be a bot …", joined with a space), which a labelled id line
// ("Ray ID: …") or a footer is not.
func joinHeading(head, next string) (string, bool) {
	if len(head) == 0 || len(head) > 60 || len(next) < 12 || !strings.Contains(next, " ") {
		return "", false
	}
	switch head[len(head)-1] {
	case '.', '!':
		if len(next) < 40 || !strings.ContainsAny(next[len(next)-1:], ".!:") {
			return "", false
		}
		return head + " " + next, true
	case '?', ':', ';', ',':
		return "", false
	}
	return head + ": " + next, true
}

// shortPage is the most visible text a page may have for its first lines
// to be read as its message: block and challenge pages are short; an
// application's own page is not the server refusing.
const shortPage = 900

// pageHeadline is a short page's first line, with the next one when the
// first is a heading ("Access Denied" + "You don't have permission…").
//
// The page's <title> is not among its lines (it often names the site or
// repeats the heading); a page with no other text is its title.
func pageHeadline(lines []string) string {
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	if n == 0 || n > shortPage {
		return ""
	}
	// A bare status number ("403") or a URL is not a sentence of the page.
	var ls []string
	for _, l := range lines {
		if strings.Trim(l, "0123456789 ") == "" || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
			continue
		}
		ls = append(ls, l)
	}
	if len(ls) == 0 {
		return ""
	}
	first := ls[0]
	for _, l := range ls[1:] {
		switch {
		case l == first:
			continue // a heading repeated
		case strings.Contains(l, first):
			first = l // "403" then "403 Forbidden"
		default:
			if j, ok := joinHeading(first, l); ok {
				first = j // a heading, then its sentence
			}
		}
		break
	}
	return capture.Clip(first, 300)
}

// pageLines is the visible text of an HTML page, one entry per block
// (tags that break a line end one), scripts, styles and comments left out,
// entities decoded; at most max lines.
func pageLines(body []byte, max int) []string {
	var lines []string
	var cur strings.Builder
	title, inTitle := "", false
	flush := func() {
		if s := clean(cur.String()); inTitle {
			title = s
		} else if s != "" && len(lines) < max {
			lines = append(lines, s)
		}
		cur.Reset()
	}
	for i := 0; i < len(body) && len(lines) < max; {
		c := body[i]
		if c != '<' {
			j := bytes.IndexByte(body[i:], '<')
			if j < 0 {
				j = len(body) - i
			}
			cur.WriteString(capture.UnescapeEntities(string(body[i : i+j])))
			i += j
			continue
		}
		j := bytes.IndexByte(body[i:], '>')
		if j < 0 {
			break
		}
		// The tag's name, lowered A–Z only in a small buffer (no longer
		// name is one of those below): the page is not lowered.
		tag := body[i+1 : i+j]
		i += j + 1
		closing := len(tag) > 0 && tag[0] == '/'
		raw := tag
		if closing {
			raw = raw[1:]
		}
		if k := bytes.IndexAny(raw, " \t\n/"); k >= 0 {
			raw = raw[:k]
		}
		var buf [8]byte
		name := ""
		if len(raw) <= len(buf) {
			for k, c := range raw {
				buf[k] = ascii.LowerByte(c)
			}
			name = string(buf[:len(raw)])
		}
		switch name {
		case "script", "style", "noscript", "template":
			if !closing {
				end := ascii.Index(body[i:], "</"+name) // no lowered copy: its offsets may not be body's
				if end < 0 {
					i = len(body) // unclosed: nothing visible after it
					continue
				}
				i += end
			}
		case "!--":
			if end := bytes.Index(body[i:], []byte("-->")); end >= 0 {
				i += end + 3
			}
		case "span":
			cur.WriteByte(' ')
		case "title":
			flush()
			inTitle = !closing
		case "br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "header", "footer":
			flush()
		default:
			cur.WriteByte(' ')
		}
	}
	flush()
	if len(lines) == 0 && title != "" {
		lines = append(lines, title)
	}
	return lines
}

// MaskRandom fingerprints the random-shaped runs of a message (a token,
// key or session id the server echoed, whether or not the request sent
// it): 20 or more token characters whose letters and digits keep changing
// class, as generated strings do and words, paths and numbers do not.
func MaskRandom(m string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(m); {
		if !capture.IsCredChar(m[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(m) && capture.IsCredChar(m[j]) {
			j++
		}
		// Path segments are judged one by one: an ARM scope or a URL
		// path holds names and ids, not one token.
		for k := i; k < j; {
			e := k
			for e < j && m[e] != '/' {
				e++
			}
			// A token ends at its own characters: the sentence's period
			// after it ("Invalid Signature c3a6…c5b4.") stays text.
			t := e
			for t > k && m[t-1] == '.' {
				t--
			}
			if w := m[k:t]; len(w) >= 20 && randomShaped(w) && !uuidShape(w) && !knowledge.PublicID(w) {
				b.WriteString(m[last:k])
				b.WriteString(capture.Fingerprint("", w))
				last = t
			}
			k = e + 1
		}
		i = j
	}
	if last == 0 {
		return m
	}
	b.WriteString(m[last:])
	return b.String()
}

// uuidShape: a UUID (8-4-4-4-12 hex digits), which messages use for
// object, client, tenant and request ids; not a secret (a secret the
// request sent is still replaced wherever it appears).
func uuidShape(w string) bool {
	if len(w) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := w[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// randomShaped: letters and digits both, changing class (lower, upper,
// digit) at least once every four characters on average.
func randomShaped(w string) bool {
	class := func(c byte) int {
		switch {
		case c >= 'a' && c <= 'z':
			return 1
		case c >= 'A' && c <= 'Z':
			return 2
		case c >= '0' && c <= '9':
			return 3
		}
		return 0
	}
	digits, letters, changes, prev := 0, 0, 0, 0
	for i := 0; i < len(w); i++ {
		c := class(w[i])
		switch c {
		case 0:
			continue
		case 3:
			digits++
		default:
			letters++
		}
		if prev != 0 && c != prev {
			changes++
		}
		prev = c
	}
	return digits >= 2 && letters >= 2 && changes*4 >= digits+letters
}

// clean collapses white space, drops control characters and trims: a
// message as one line, its words as written.
func clean(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r) || r >= 0x200B && r <= 0x200F || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069:
			continue // C0/C1 controls, zero-width and bidi controls
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// identifier returns s when it reads as an error code (AccessDenied,
// invalid_grant, E0000011, 40101, UnrecognizedClientException,
// com.amazon.coral.service#UnrecognizedClientException), else "".
func identifier(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 80 || strings.Contains(s, "://") || ascii.EqualFold(s, "about:blank") {
		return "" // a problem type URL is not a code, nor RFC 9457's "about:blank" (no type)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_-.:#/", c) >= 0) {
			return ""
		}
	}
	if i := strings.LastIndexByte(s, '#'); i >= 0 && i < len(s)-1 { // AWS's __type "namespace#Code"
		s = s[i+1:]
	}
	return s
}

// challengeParam reads one auth-param of a WWW-Authenticate value
// (name=token or name="quoted string", RFC 9110 §11.2), the first one.
func challengeParam(v, name string) string {
	low := ascii.Lower(v)
	for from := 0; ; {
		i := strings.Index(low[from:], name)
		if i < 0 {
			return ""
		}
		i += from
		from = i + len(name)
		if i > 0 && low[i-1] != ' ' && low[i-1] != ',' && low[i-1] != '\t' {
			continue
		}
		rest := strings.TrimLeft(v[i+len(name):], " \t")
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t")
		if !strings.HasPrefix(rest, "\"") {
			if k := strings.IndexAny(rest, ", \t"); k >= 0 {
				rest = rest[:k]
			}
			return rest
		}
		var b strings.Builder
		for k := 1; k < len(rest); k++ {
			switch c := rest[k]; c {
			case '\\':
				if k+1 < len(rest) {
					k++
					b.WriteByte(rest[k])
				}
			case '"':
				return b.String()
			default:
				b.WriteByte(c)
			}
		}
		return b.String()
	}
}

// requestIDs reads the request and trace ids of said.json: headers first
// (a JSON header value, GitLab's x-gitlab-meta, is read for its ids), then
// the JSON or XML body; at most maxRefs, each once, each of an id's shape.
func requestIDs(f *knowledge.SaidFile, resp *capture.Message, doc *JSONBody, fromMessage []Ref) []Ref {
	var out []Ref
	add := func(label, v string) {
		v = strings.TrimSpace(v)
		if len(out) >= maxRefs || !IDShape(v) {
			return
		}
		for _, r := range out {
			if r.Value == v {
				return
			}
		}
		out = append(out, Ref{Label: label, Value: v})
	}
	header := func(h, v string) {
		if strings.HasPrefix(v, "{") && capture.ValidJSONString(v) {
			for _, k := range []string{"correlation_id", "request_id", "requestId"} {
				if r := gjson.Get(v, k); r.Type == gjson.String {
					add(h+" "+k, r.String())
				}
			}
			return
		}
		add(h, v)
	}
	for _, h := range f.RequestIDHeaders {
		if v := resp.Get(h); v != "" {
			header(h, v)
		}
	}
	// An origin's own request id that no entry lists: before the CDN's.
	for _, fd := range resp.Fields {
		name := strings.ToLower(fd.Name)
		if listed(f.RequestIDHeaders, name) || listed(f.CDNRequestIDHeaders, name) {
			continue
		}
		for _, suf := range f.RequestIDSuffixes {
			if strings.HasSuffix(name, suf) {
				header(name, fd.Value)
				break
			}
		}
	}
	for _, r := range fromMessage {
		add(r.Label, r.Value)
	}
	body := trimBody(resp.Body)
	switch {
	case doc != nil:
		for _, p := range f.RequestIDJSON {
			if r := doc.Get(p); r.Type == gjson.String || r.Type == gjson.Number {
				add(p, r.String())
			}
		}
	case looksXML(body):
		for _, name := range f.RequestIDXML {
			if v, ok := xmlElement(body, name); ok {
				add(name, v)
			}
		}
		// Azure Storage writes "RequestId:<uuid>" inside <Message>.
		if i := bytes.Index(body, []byte("RequestId:")); i >= 0 {
			rest := body[i+len("RequestId:"):]
			j := bytes.IndexAny(rest, "\r\n<")
			if j < 0 {
				j = len(rest)
			}
			add("RequestId", string(rest[:j]))
		}
	}
	// The CDN's id for the hop last: the application's own ids first.
	for _, h := range f.CDNRequestIDHeaders {
		if v := resp.Get(h); v != "" {
			header(h, v)
		}
	}
	return out
}

// listed: name is one of list.
func listed(list []string, name string) bool {
	for _, l := range list {
		if l == name {
			return true
		}
	}
	return false
}

// IDShape: a request or trace id is 4 to 200 characters of letters, digits
// and the punctuation ids use (% for a percent-encoded packed id, eBay's
// ri=Yk3%2Fq8…,rci=…), with a digit, or mixed case over at least
// 12 characters (S3's zJLJenuHjDUrhhje): never prose ("IMPORTANT: verify
// your account…"), never a sentence, never a word.
func IDShape(v string) bool {
	if len(v) < 4 || len(v) > 200 {
		return false
	}
	digit, upper, lower := false, false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case strings.IndexByte("-_.:/+=;,@%", c) >= 0:
		default:
			return false
		}
	}
	return digit || upper && lower && len(v) >= 12
}
