// Package sanitize writes a copy of a capture that is safe to share: every
// secret replaced by a placeholder that keeps its identity, so the copy
// analyses to the same verdicts. It reads HAR (also gzip or zlib wrapped)
// and raw or curl text captures through the analyzer's own readers
// (analyzer/internal/capture) and recognises credentials as the detectors
// do.
//
// It is a package of its own, the same on every platform, so that the
// analysis never links its crypto (an HMAC with a random key): the page's
// analyzer.wasm stays without it, and web/sanitizer.wasm, fetched only for
// "Download a sanitized HAR", imports this package.
//
//	out, stats, err := sanitize.Capture(data, sanitize.Options{})
package sanitize

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"why401/analyzer/internal/capture"
	"why401/analyzer/internal/detect"
	"why401/internal/ascii"
	"why401/internal/weburl"
)

// textLimit is the most bytes of a text capture (raw, curl) sanitized: it
// is held whole, as the analyzer holds it.
const textLimit = 64 << 20

// Options tune Capture and Stream.
type Options struct {
	// Key keys the placeholders' HMAC. Empty: a random key per call, so a
	// placeholder never lets anyone test guesses of a weak secret.
	Key []byte
	// MaxBytes caps the input read, after decompression (default 1 GiB).
	MaxBytes int64
	// EntryBytes is the largest HAR entry sanitized (default 128 MiB): a
	// HAR is streamed entry by entry, and one over it is an error.
	EntryBytes int
}

// Stats counts replacements by kind ("authorization", "cookie", …).
type Stats map[string]int

// String lists the counts, largest first: "cookie 12, authorization 3".
func (s Stats) String() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if s[keys[i]] != s[keys[j]] {
			return s[keys[i]] > s[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, s[k])
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// ErrFormat: Sanitize reads HAR files and raw or curl text captures only.
var ErrFormat = errors.New("analyzer: sanitize reads HAR files (also .har.gz, .zhar) and raw or curl text captures; export WARC, Burp or zip captures to HAR first")

// Capture returns a copy of a HAR (or raw/curl text) capture with every
// secret replaced by a placeholder: credential header values, every cookie
// value, credential-looking query and form parameters, secrets in JSON and
// form bodies, key-shaped tokens anywhere, JWT signatures (header and claims
// are kept, so expiry can still be judged). The same secret always becomes
// the same placeholder, and key prefixes (ghp_, sk_live_…) are kept, so the
// sanitized capture analyses to the same verdicts. Output is a valid HAR:
// a replaced body is written as text, without encoding "base64".
// It is Stream over input held in memory.
func Capture(input []byte, opt Options) ([]byte, Stats, error) {
	if t := bytes.TrimSpace(bytes.TrimPrefix(input, []byte{0xEF, 0xBB, 0xBF})); len(t) > 0 && t[0] == '{' {
		// A HAR already in memory: scanned in place, no read buffers.
		return sanitizeHARBytes(t, opt)
	}
	var out bytes.Buffer
	stats, err := Stream(func() (io.Reader, error) { return bytes.NewReader(input), nil }, &out, opt)
	if err != nil {
		return nil, nil, err
	}
	return out.Bytes(), stats, nil
}

// Stream is Capture for an input too large to hold: open returns
// the input from its start (it is called twice: once to learn every secret,
// once to write the copy with every echo replaced, wherever in the file the
// secret first appeared), and the copy is written to out as it is made.
// Memory is one HAR entry (at most Options.EntryBytes), not the
// file; a compressed input is inflated as it is read, at most MaxBytes.
// A text capture (raw, curl) is read whole, up to 64 MiB.
func Stream(open func() (io.Reader, error), out io.Writer, opt Options) (Stats, error) {
	if opt.MaxBytes == 0 {
		opt.MaxBytes = 1 << 30
	}
	if opt.EntryBytes == 0 {
		opt.EntryBytes = 128 << 20
	}
	z, err := newSanitizer(opt.Key)
	if err != nil {
		return nil, err
	}
	br, cr, err := sanitizeInput(open, opt.MaxBytes)
	if err != nil {
		return nil, err
	}
	first := byte(0)
	for {
		b, err := br.Peek(1)
		if err != nil {
			if cr.err != nil {
				return nil, cr.err
			}
			return nil, capture.ErrEmpty
		}
		if c := b[0]; c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			first = c
			break
		}
		br.Discard(1)
	}
	if first == '{' {
		lim := capture.Limits{InputBytes: opt.MaxBytes + 1, EntryBytes: opt.EntryBytes, Depth: 512}.WithDefaults()
		if _, err := z.walkHAR(capture.NewJSONScanner(br, nil, lim), cr, lim, nil); err != nil {
			return nil, err
		}
		z.stats = Stats{}
		br, cr, err = sanitizeInput(open, opt.MaxBytes)
		if err != nil {
			return nil, err
		}
		bw := bufio.NewWriterSize(out, 64<<10)
		if _, err := z.walkHAR(capture.NewJSONScanner(br, nil, lim), cr, lim, bw); err != nil {
			return nil, err
		}
		if err := bw.Flush(); err != nil {
			return nil, err
		}
		return z.stats, nil
	}
	head, _ := br.Peek(512)
	if capture.IsBinary(head) || bytes.HasPrefix(head, []byte("WARC/")) || bytes.HasPrefix(head, []byte("<?xml")) {
		return nil, ErrFormat
	}
	input, err := io.ReadAll(io.LimitReader(br, min(opt.MaxBytes, textLimit)+1))
	if err == nil {
		err = cr.err
	}
	if err != nil {
		return nil, err
	}
	if int64(len(input)) > min(opt.MaxBytes, textLimit) {
		return nil, fmt.Errorf("analyzer: a text capture larger than %d bytes is not sanitized (a HAR of any size is)", min(opt.MaxBytes, textLimit))
	}
	if _, err := io.WriteString(out, z.text(string(input))); err != nil {
		return nil, err
	}
	return z.stats, nil
}

func sanitizeHARBytes(data []byte, opt Options) ([]byte, Stats, error) {
	z, err := newSanitizer(opt.Key)
	if err != nil {
		return nil, nil, err
	}
	lim := capture.Limits{InputBytes: int64(len(data)) + 1, EntryBytes: len(data) + 1, Depth: 512}.WithDefaults()
	if _, err := z.walkHAR(capture.NewJSONScanner(nil, data, lim), &capReader{}, lim, nil); err != nil {
		return nil, nil, err
	}
	z.stats = Stats{}
	var out bytes.Buffer
	out.Grow(len(data) + len(data)/8)
	if _, err := z.walkHAR(capture.NewJSONScanner(nil, data, lim), &capReader{}, lim, &out); err != nil {
		return nil, nil, err
	}
	return out.Bytes(), z.stats, nil
}

func newSanitizer(key []byte) (*sanitizer, error) {
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
	}
	return &sanitizer{key: key, stats: Stats{}, known: map[string]string{}}, nil
}

// sanitizeInput opens the input, inflates it when it is gzip or zlib (at
// most max bytes: past that, reading fails with a clear error) and skips a
// UTF-8 BOM.
func sanitizeInput(open func() (io.Reader, error), max int64) (*bufio.Reader, *capReader, error) {
	r, err := open()
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(2)
	var src io.Reader = br
	switch {
	case len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, capture.WrapErr("analyzer: the gzip data cannot be read: "+capture.Reason(err), err)
		}
		src = zr
	case len(head) == 2 && head[0] == 0x78 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0:
		if zr, err := zlib.NewReader(br); err == nil {
			src = zr
		} else {
			// not zlib after all: read as it is, from a fresh start
			if r, err = open(); err != nil {
				return nil, nil, err
			}
			src = r
		}
	}
	cr := &capReader{r: src, left: max, max: max}
	out := bufio.NewReaderSize(cr, 64<<10)
	if b, _ := out.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		out.Discard(3)
	}
	return out, cr, nil
}

// capReader fails once more than left bytes were read, and keeps the first
// error other than EOF, for the caller to tell truncation from failure.
type capReader struct {
	r         io.Reader
	left, max int64
	err       error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		c.err = fmt.Errorf("analyzer: the capture expands past %s (limit MaxBytes); nothing was written", sizeText(c.max))
		return n, c.err
	}
	if err != nil && err != io.EOF {
		c.err = capture.WrapErr("analyzer: the input cannot be read: "+capture.Reason(err), err)
	}
	return n, err
}

// sizeText is n bytes in words: "1 GiB", "200 MiB", "1048577 bytes".
func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprint(n>>30, " GiB")
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprint(n>>20, " MiB")
	}
	return fmt.Sprint(n, " bytes")
}

type sanitizer struct {
	key   []byte
	stats Stats
	known map[string]string // secret → placeholder, to replace echoes anywhere
	// byPrefix indexes known secrets of 8 bytes or more by their first 8
	// bytes, longest first, so echoes are found in one pass over a string.
	byPrefix map[string][]string
}

const echoMin = 8

// learn records a secret and its placeholder.
func (z *sanitizer) learn(secret, ph string) {
	if _, ok := z.known[secret]; ok || len(z.known) >= 1<<16 {
		return
	}
	z.known[secret] = ph
	if len(secret) < echoMin || strings.Contains(ph, secret) {
		return
	}
	if z.byPrefix == nil {
		z.byPrefix = map[string][]string{}
	}
	k := secret[:echoMin]
	l := append(z.byPrefix[k], secret)
	sort.Slice(l, func(i, j int) bool { return len(l[i]) > len(l[j]) })
	z.byPrefix[k] = l
}

// placeholder is the stable stand-in for one secret: why401-redacted-<hmac>.
func (z *sanitizer) placeholder(secret string) string {
	m := hmac.New(sha256.New, z.key)
	m.Write([]byte(secret))
	return detect.SanitizedMark + "-" + hex.EncodeToString(m.Sum(nil))[:12]
}

// token replaces a credential, keeping what is not secret and what the
// analyzer reads: a key prefix, a JWT's header and claims, an NTLM message type.
func (z *sanitizer) token(kind, v string) string {
	v = strings.TrimSpace(v)
	if v == "" || strings.Contains(v, detect.SanitizedMark) {
		return v
	}
	if _, theirs := detect.PlaceholderValue(v); theirs || nonSecretValue(v) {
		return v // a placeholder, not a secret; the analyzer reads it
	}
	if p, ok := z.known[v]; ok {
		if strings.HasPrefix(v, "eyJ") && strings.Count(v, ".") == 2 {
			kind = "jwt-signature"
		}
		z.stats[kind]++
		return p
	}
	var out string
	ph := z.placeholder(v)
	switch {
	case strings.HasPrefix(v, "eyJ") && strings.Count(v, ".") == 2:
		i := strings.LastIndexByte(v, '.')
		out = v[:i+1] + ph
		kind = "jwt-signature"
	case strings.HasPrefix(v, "eyJ") && strings.Count(v, ".") == 4:
		out = v[:strings.IndexByte(v, '.')] + ".x.x.x." + ph
		kind = "jwe"
	case strings.HasPrefix(v, "TlRMTVNTUA") && len(v) > 12:
		out = v[:12] + ph
	default:
		for _, p := range capture.KeyPrefixes {
			if p.Kind != "jwt" && strings.HasPrefix(v, p.Prefix) && len(v) > len(p.Prefix)+4 {
				out = p.Prefix + ph
				break
			}
		}
		if out == "" {
			out = ph
		}
		if strings.Contains(v, "~-1~") { // Akamai _abck state, read by the vendor rules
			out += "~-1~"
		}
	}
	z.stats[kind]++
	if len(v) >= 6 {
		z.learn(v, out)
	}
	return out
}

// header returns the sanitized value of one header field.
func (z *sanitizer) header(name, value string) string {
	n := ascii.Lower(strings.TrimSpace(name))
	switch {
	case n == "cookie":
		return z.cookieHeader(value)
	case n == "set-cookie":
		// Chrome joins the Set-Cookie fields of a response with newlines.
		lines := strings.Split(value, "\n")
		for i, l := range lines {
			first, attrs, hasAttrs := strings.Cut(l, ";")
			cn, cv, ok := strings.Cut(first, "=")
			if !ok {
				continue
			}
			out := cn + "=" + z.token("set-cookie", strings.TrimSpace(cv))
			if hasAttrs {
				out += ";" + attrs
			}
			lines[i] = out
		}
		return strings.Join(lines, "\n")
	case n == "authorization" || n == "proxy-authorization":
		return z.authorization(value)
	case n == "location" || n == "referer" || n == "content-location" || n == ":path":
		return z.url(value)
	case n == "www-authenticate" || n == "proxy-authenticate" || strings.HasSuffix(n, "-version"):
		return value // a challenge's parameters are the server's, read by the analyzer
	case !detect.CredentialHeader(n):
		// A secret under a name no list knows: found by its shape (a JWT
		// anywhere, a key, userinfo, a random-shaped value).
		return z.valueShapes(value)
	}
	if strings.TrimSpace(value) != "" && strings.ContainsAny(strings.TrimSpace(value), " \t\"'") {
		// Keep the shape the analyzer judges ("Bearer <key>" in X-Api-Key).
		return z.runsAs("credential-header", value, "")
	}
	return z.token("credential-header", value)
}

func (z *sanitizer) cookieHeader(v string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		name, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			continue
		}
		parts[i] = name + "=" + z.token("cookie", val)
		if i > 0 {
			parts[i] = " " + parts[i]
		}
	}
	return strings.Join(parts, ";")
}

func (z *sanitizer) authorization(v string) string {
	v = strings.TrimSpace(v)
	scheme, rest, ok := strings.Cut(v, " ")
	if !ok {
		if detect.SchemeID(v) != "" {
			return v // a bare scheme word ("Negotiate")
		}
		return z.token("authorization", v) // a bare credential, however short
	}
	rest = strings.TrimSpace(rest)
	switch {
	case ascii.EqualFold(scheme, "Basic"):
		if _, done := z.known[rest]; !done && !strings.Contains(rest, detect.SanitizedMark) && !nonSecretValue(rest) {
			ph := z.placeholder(rest)
			// Keep what the analyzer judges: valid base64, the ':', UTF-8.
			out := ph // not base64 ('-' is outside the alphabet), like the original
			if dec, ok := detect.DecodeBasic(rest); ok {
				plain := detect.SanitizedMark + "-user:" + ph
				if !strings.Contains(dec, ":") {
					plain = ph
				} else if _, pass, _ := strings.Cut(dec, ":"); len(pass) >= 6 {
					z.learn(pass, ph)
				}
				if !utf8.ValidString(dec) {
					plain += "\xe9"
				}
				out = base64.StdEncoding.EncodeToString([]byte(plain))
			}
			z.learn(rest, out)
		}
		if out, ok := z.known[rest]; ok {
			z.stats["authorization"]++
			return scheme + " " + out
		}
		return v
	case ascii.EqualFold(scheme, "Digest") || strings.HasPrefix(scheme, "AWS4-") || detect.IsAuthParamList(rest):
		parts := strings.Split(rest, ",")
		for i, p := range parts {
			k, val, ok := strings.Cut(p, "=")
			if !ok {
				continue
			}
			switch ascii.Lower(strings.TrimSpace(k)) {
			case "realm", "uri", "algorithm", "qop", "nc", "version", "signedheaders", "charset", "userhash", "nonce", "opaque", "username", "reason", "validation", "auth-scheme":
				// not secret, and read by the analyzer
			case "credential":
				id, scope, _ := strings.Cut(strings.TrimSpace(val), "/")
				parts[i] = k + "=" + z.token("authorization", id) + "/" + scope
			default:
				q := strings.HasPrefix(strings.TrimSpace(val), "\"")
				t := z.token("authorization", strings.Trim(strings.TrimSpace(val), "\""))
				if q {
					t = "\"" + t + "\""
				}
				parts[i] = k + "=" + t
			}
		}
		return scheme + " " + strings.Join(parts, ",")
	}
	if detect.SchemeID(scheme) == "" {
		// An unknown first word may be part of the secret ("sk_live_… extra").
		return z.token("authorization", scheme) + " " + z.runs(rest, scheme)
	}
	return scheme + " " + z.runs(rest, scheme)
}

// runs replaces each run of credential characters in an Authorization value,
// keeping quotes, whitespace and a doubled scheme word, which the analyzer
// reports as malformed credentials.
func (z *sanitizer) runs(rest, scheme string) string { return z.runsAs("authorization", rest, scheme) }

// runsAs is runs for the credential kind kind (the stats key).
func (z *sanitizer) runsAs(kind, rest, scheme string) string {
	var b strings.Builder
	i := 0
	for i < len(rest) {
		c := rest[i]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' {
			b.WriteByte(c)
			i++
			continue
		}
		j := i
		for j < len(rest) && !strings.ContainsRune(" \t\r\n\"'", rune(rest[j])) {
			j++
		}
		w := rest[i:j]
		if ascii.EqualFold(w, scheme) {
			b.WriteString(w)
		} else {
			b.WriteString(z.token(kind, w))
		}
		i = j
	}
	return b.String()
}

// nonSecretValue tells values that are no secret at all: unset variables and
// documentation detect.Placeholders ("undefined", "<token>", "YOUR_API_KEY").
func nonSecretValue(v string) bool {
	low := ascii.Lower(strings.Trim(strings.TrimSpace(v), "\"'"))
	for _, p := range detect.Placeholders() {
		if low == p {
			return true
		}
	}
	// Only words: a value with a digit or a symbol may be a real secret.
	words := func(w string) bool {
		for i := 0; i < len(w); i++ {
			if c := w[i]; !(c >= 'a' && c <= 'z' || c == '_' || c == '-' || c == ' ') {
				return false
			}
		}
		return len(w) < 40
	}
	return strings.HasPrefix(low, "your") && words(low) ||
		strings.HasPrefix(low, "<") && strings.HasSuffix(low, ">") && words(low[1:len(low)-1])
}

// url replaces userinfo, the secret segments of the path (a bot token, a
// webhook secret, a JWT, a random-shaped segment: detect.EachURLPart)
// and the values of credential or random-looking parameters: in the query,
// in path segments (";jsessionid=…") and in the fragment ("#access_token=…").
func (z *sanitizer) url(u string) string {
	if i, at, ok := weburl.Userinfo(u); ok && at > i {
		u = u[:i] + z.token("url-userinfo", u[i:at]) + u[at:]
	}
	out, _ := detect.EachURLPart(u, func(k, v string) string {
		if m, ok := detect.MaskEdgeToken(k, v, func(s string) string { return z.param("query-param", s) }); ok {
			return m // an edge token keeps its expiry, ACL and shape; its MAC goes
		}
		if secretParam(k, v) {
			return z.param("query-param", v)
		}
		return v
	}, func(_, secret string) string { return z.param("url-path", secret) })
	return out
}

// secretParam tells a parameter (query, form, multipart) whose value is a
// secret: by its name, or by the shape of its value (randomShaped).
func secretParam(k, v string) bool {
	return detect.CredentialParam(k) || detect.CredentialParam(detect.PercentDecode(k)) || detect.RandomShaped(v) || detect.RandomShaped(detect.PercentDecode(v))
}

// param replaces an encoded parameter value and learns its decoded form,
// which a server may echo (a percent-encoded token shown decoded).
func (z *sanitizer) param(kind, v string) string {
	out := z.token(kind, v)
	if d := detect.PercentDecode(v); d != v && len(d) >= 6 {
		z.learn(d, out)
	}
	return out
}

// form replaces credential fields of an urlencoded string.
func (z *sanitizer) form(s, kind string) string {
	parts := strings.Split(s, "&")
	for i, p := range parts {
		if k, v, ok := strings.Cut(p, "="); ok && v != "" && secretParam(k, strings.TrimSpace(v)) {
			val := strings.TrimRight(v, " \t\r\n")
			parts[i] = k + "=" + z.param(kind, val) + v[len(val):]
		}
	}
	return strings.Join(parts, "&")
}

// looksForm tells an urlencoded body (name=value&…), spaces allowed in
// the values, from text that merely holds an "=".
func looksForm(t string) bool {
	if !strings.Contains(t, "=") || strings.ContainsAny(t, "<>\n{") {
		return false
	}
	for _, p := range strings.Split(t, "&") {
		k, _, ok := strings.Cut(p, "=")
		if !ok || k == "" || len(k) > 128 {
			return false
		}
		for i := 0; i < len(k); i++ {
			if c := k[i]; !(capture.IsCredChar(c) || c == '%' || c == '[' || c == ']') {
				return false
			}
		}
	}
	return true
}

// multipart replaces the values of credential or random-looking fields of
// a multipart/form-data body.
func (z *sanitizer) multipart(s, kind string) string {
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "name=\"")
		if i < 0 {
			break
		}
		name, _, ok := strings.Cut(rest[i+6:], "\"")
		if !ok {
			break
		}
		hdrEnd := strings.Index(rest[i:], "\r\n\r\n")
		sep := 4
		if e := strings.Index(rest[i:], "\n\n"); e >= 0 && (hdrEnd < 0 || e < hdrEnd) {
			hdrEnd, sep = e, 2
		}
		if hdrEnd < 0 {
			break
		}
		vs := i + hdrEnd + sep
		ve := strings.Index(rest[vs:], "\n--")
		if ve < 0 {
			ve = len(rest) - vs
		}
		val := strings.TrimRight(rest[vs:vs+ve], "\r")
		b.WriteString(rest[:vs])
		head := rest[i:vs]
		if val != "" && !strings.Contains(head, "filename=") && secretParam(name, val) {
			b.WriteString(z.token(kind, val))
		} else {
			b.WriteString(val)
		}
		rest = rest[vs+len(val):]
	}
	b.WriteString(rest)
	return b.String()
}

// xmlSecrets replaces the text of XML elements whose local name is a
// credential: SOAP's <wsse:Password>, <wsse:Nonce>, <wsse:BinarySecurityToken>,
// <password>, <apiKey>…
func (z *sanitizer) xmlSecrets(s, kind string) string {
	var b strings.Builder
	last, i := 0, 0
	for {
		o := strings.IndexByte(s[i:], '<')
		if o < 0 {
			break
		}
		o += i
		e := strings.IndexByte(s[o:], '>')
		if e < 0 {
			break
		}
		e += o
		tag := s[o+1 : e]
		i = e + 1
		if tag == "" || tag[0] == '/' || tag[0] == '?' || tag[0] == '!' || strings.HasSuffix(tag, "/") {
			continue
		}
		name, _, _ := strings.Cut(tag, " ")
		local := name
		if c := strings.LastIndexByte(local, ':'); c >= 0 {
			local = local[c+1:]
		}
		low := ascii.Lower(local)
		if !(detect.CredentialParam(local) && low != "code") && low != "nonce" || strings.Contains(low, "error") || strings.Contains(low, "message") || strings.Contains(low, "detail") {
			continue // <AuthenticationErrorDetail> is the server's explanation, read by the analyzer
		}
		end := strings.Index(s[i:], "</"+name+">")
		if end < 0 || end > 64<<10 {
			continue
		}
		val := s[i : i+end]
		if strings.TrimSpace(val) == "" || strings.Contains(val, "<") {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(z.token(kind, strings.TrimSpace(val)))
		last = i + end
		i = last
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// body replaces secrets in a text body: credential fields of JSON and
// urlencoded forms, then key-shaped tokens and JWTs anywhere.
func (z *sanitizer) body(s, kind string) string {
	// Textual, not re-encoded: the body keeps its bytes, key order and spacing.
	t := strings.TrimSpace(s)
	switch {
	case looksForm(t):
		s = z.form(s, kind)
	case strings.Contains(t, "Content-Disposition: form-data") || strings.Contains(t, "content-disposition: form-data"):
		s = z.multipart(s, kind)
	case strings.HasPrefix(t, "<"):
		s = z.xmlSecrets(s, kind)
	}
	return z.shapes(z.jsonPairs(s, kind))
}

// jsonPairs replaces "key": "value" pairs with a credential key, and in a
// request body or a WebSocket frame a random-looking value under any key
// (randomShaped), in JSON text, whole or not (a cut body, HTML with inline
// JSON).
func (z *sanitizer) jsonPairs(s, kind string) string {
	var b strings.Builder
	last, i := 0, 0
	for {
		q := strings.IndexByte(s[i:], '"')
		if q < 0 {
			break
		}
		ks := i + q + 1
		ke := strings.IndexByte(s[ks:], '"')
		if ke < 0 || ke > 64 {
			i = ks
			continue
		}
		key := s[ks : ks+ke]
		j := ks + ke + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		// A credential-named member, or in what a client sent (a request
		// body, a WebSocket frame) any member whose value looks random.
		byShape := kind == "post-data" || kind == "websocket"
		if j >= len(s) || s[j] != ':' || !secretJSONKey(key) && !byShape {
			i = ks + ke + 1
			continue
		}
		j++
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j >= len(s) || s[j] != '"' {
			i = j
			continue
		}
		vs := j + 1
		ve := vs
		for ve < len(s) && s[ve] != '"' {
			if s[ve] == '\\' {
				ve++
			}
			ve++
		}
		if ve > len(s) {
			ve = len(s)
		}
		if ve > vs && (secretJSONKey(key) || detect.RandomShaped(s[vs:ve])) {
			b.WriteString(s[last:vs])
			b.WriteString(z.token(kind, s[vs:ve]))
			last = ve
		}
		i = min(ve+1, len(s))
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// secretJSONKey tells a JSON member that holds a secret. "code" is an error
// code in JSON bodies, not an OAuth code; token_type and *_version say nothing.
func secretJSONKey(k string) bool {
	l := ascii.Lower(k)
	if l == "code" || l == "token_type" || l == "sid_type" || strings.HasSuffix(l, "version") || strings.HasSuffix(l, "_expires_in") || l == "expires_in" {
		return false
	}
	return detect.CredentialParam(k) || detect.CredentialHeader(k)
}

// shapes replaces JWTs and key-prefixed tokens found anywhere in text, then
// every secret seen so far (a token echoed in a body or an error message).
func (z *sanitizer) shapes(text string) string {
	text = z.userinfo(text)
	if len(text) >= 16 {
		var b strings.Builder
		i, last := 0, 0
		for i < len(text) {
			if !capture.IsCredChar(text[i]) || (i > 0 && capture.IsCredChar(text[i-1])) {
				i++
				continue
			}
			j := i
			for j < len(text) && capture.IsCredChar(text[j]) {
				j++
			}
			w := strings.TrimRight(text[i:j], ".")
			if capture.LooksSecret(w) && !strings.Contains(w, detect.SanitizedMark) {
				b.WriteString(text[last:i])
				b.WriteString(z.token("body-token", w))
				last = i + len(w)
			} else if k, v, ok := strings.Cut(w, "="); ok && k != "" && !strings.Contains(w, detect.SanitizedMark) &&
				(detect.CredentialParam(k) && len(strings.TrimRight(v, "=")) >= 6 || detect.RandomShaped(v)) {
				// name=value in running text ("session=…" in a page)
				b.WriteString(text[last : i+len(k)+1])
				b.WriteString(z.token("body-token", v))
				last = i + len(w)
			}
			i = j
		}
		if last > 0 {
			b.WriteString(text[last:])
			text = b.String()
		}
	}
	return z.echoes(text)
}

// valueShapes replaces what looks like a secret in a value that no name
// marks as one (a header under an unexpected name, a comment, any other
// string of the capture): shapes (JWTs and keys anywhere, userinfo,
// name=value with a secret name or a random value), and a random-shaped
// run of token characters whole, or one '/' piece of it.
func (z *sanitizer) valueShapes(text string) string {
	return capture.MapRuns(z.shapes(text), 16, func(run string) string {
		w := strings.TrimRight(run, ".")
		if strings.Contains(w, detect.SanitizedMark) {
			return run
		}
		parts := strings.Split(w, "/") // a path as a whole is not judged, its pieces are
		for k, p := range parts {
			if detect.RandomShaped(p) {
				parts[k] = z.token("value-token", p)
			}
		}
		return strings.Join(parts, "/") + run[len(w):]
	})
}

// userinfo replaces the user:password of each URL in text
// (scheme://user:pass@host), wherever it is: a header, a body, curl -v's
// "* Uses proxy env variable" line.
func (z *sanitizer) userinfo(text string) string {
	return capture.MapUserinfo(text, func(ui string) string {
		if strings.Contains(ui, detect.SanitizedMark) {
			return ui
		}
		return z.token("url-userinfo", ui)
	})
}

func (z *sanitizer) echoes(text string) string {
	if len(z.byPrefix) == 0 || len(text) < echoMin {
		return text
	}
	var b strings.Builder
	last := 0
	for i := 0; i+echoMin <= len(text); {
		if cands, ok := z.byPrefix[text[i:i+echoMin]]; ok {
			hit := ""
			for _, c := range cands {
				if strings.HasPrefix(text[i:], c) {
					hit = c
					break
				}
			}
			if hit != "" {
				b.WriteString(text[last:i])
				b.WriteString(z.known[hit])
				z.stats["echoed-secret"]++
				i += len(hit)
				last = i
				continue
			}
		}
		i++
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

const sanitizeNote = "sanitized by why401 sanitize: secrets replaced by why401-redacted-… detect.Placeholders (the same secret, the same placeholder)"

// walkHAR sanitizes each entry of the HAR read from r, writing the document
// to out when out is not nil. The whole document is never decoded at once:
// memory is one entry.
func (z *sanitizer) walkHAR(s *capture.JSONScanner, cr *capReader, lim capture.Limits, out io.Writer) (int, error) {
	w := func(b ...[]byte) {
		if out != nil {
			for _, x := range b {
				out.Write(x)
			}
		}
	}
	key := func(k string) []byte { b, _ := marshalNoEscape(k); return append(b, ':') }
	entries, sawLog := 0, false
	first := true
	w([]byte("{"))
	err := s.Object(func(k string) error {
		if !first {
			w([]byte(","))
		}
		first = false
		if k != "log" {
			v, err := s.KeepValue()
			if err == nil && !json.Valid(v) {
				err = fmt.Errorf("%w: the value of %q", capture.ErrSyntax, capture.Clip(k, 64))
			}
			if err == nil {
				v = z.jsonText(v)
			}
			w(key(k), v)
			return err
		}
		sawLog = true
		if c, ok := s.Peek(); ok && c != '{' {
			return fmt.Errorf("%w: \"log\" is not an object", capture.ErrSyntax)
		}
		w(key("log"), []byte("{\n"))
		lfirst, sawComment := true, false
		err := s.Object(func(k string) error {
			if !lfirst {
				w([]byte(",\n"))
			}
			lfirst = false
			switch k {
			case "entries":
				if c, ok := s.Peek(); ok && c != '[' {
					return fmt.Errorf("%w: \"log.entries\" is not an array", capture.ErrSyntax)
				}
				w(key(k), []byte("[\n"))
				efirst := true
				err := s.Array(func() error {
					v, err := s.KeepValue()
					if err != nil {
						return err
					}
					if v == nil {
						return fmt.Errorf("entry %d is larger than %d bytes (Options.EntryBytes)", entries, lim.EntryBytes)
					}
					e, err := z.entry(v)
					if err != nil {
						return err
					}
					if !efirst {
						w([]byte(",\n"))
					}
					efirst = false
					w(e)
					entries++
					return nil
				})
				w([]byte("\n]"))
				return err
			case "comment":
				sawComment = true
				v, err := s.KeepValue()
				var c string
				if json.Unmarshal(v, &c) != nil || c == "" {
					c = sanitizeNote
				} else if !strings.Contains(c, sanitizeNote) {
					c = z.valueShapes(z.textURLs(c)) + "; " + sanitizeNote
				}
				b, _ := marshalNoEscape(c)
				w(key(k), b)
				return err
			}
			v, err := s.KeepValue()
			if err == nil && !json.Valid(v) {
				err = fmt.Errorf("%w: the value of %q", capture.ErrSyntax, capture.Clip(k, 64))
			}
			if err == nil {
				v = z.jsonText(v) // pages, creator, browser, a producer's own fields
			}
			w(key(k), v)
			return err
		})
		if !sawComment {
			if !lfirst {
				w([]byte(",\n"))
			}
			b, _ := marshalNoEscape(sanitizeNote)
			w(key("comment"), b)
		}
		w([]byte("\n}"))
		return err
	})
	w([]byte("}\n"))
	if err == nil && !sawLog {
		err = capture.ErrNotHAR
	}
	if cr.err != nil {
		return entries, cr.err // too large, or unreadable: not a HAR problem
	}
	if err != nil {
		return entries, fmt.Errorf("%w: %v", capture.ErrHAR, err)
	}
	return entries, nil
}

// jsonText sanitizes a JSON value of the HAR outside its entries (pages,
// creator, browser, a producer's own fields) as text, every string of it:
// a page's title is often its URL, with the fragment of an OAuth redirect
// in it; a comment is free text. A value without a string is kept as it came.
func (z *sanitizer) jsonText(raw []byte) []byte {
	if bytes.IndexByte(raw, '"') < 0 {
		return raw
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return raw
	}
	if s, ok := v.(string); ok {
		v = z.valueShapes(z.textURLs(s))
	} else {
		z.walkText(v)
	}
	out, err := marshalNoEscape(v)
	if err != nil {
		return raw
	}
	return out
}

// walkText sanitizes every string of v as text: URLs, secrets by their
// shape (valueShapes), echoes.
func (z *sanitizer) walkText(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				x[k] = z.valueShapes(z.textURLs(s))
				continue
			}
			z.walkText(e)
		}
	case []any:
		for i, e := range x {
			if s, ok := e.(string); ok {
				x[i] = z.valueShapes(z.textURLs(s))
				continue
			}
			z.walkText(e)
		}
	}
}

// textURLs sanitizes each URL in a line of text (a page title).
func (z *sanitizer) textURLs(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	words := strings.Split(s, " ")
	for i, w := range words {
		words[i] = z.anyURL(w)
	}
	return strings.Join(words, " ")
}

// entry sanitizes one HAR entry.
func (z *sanitizer) entry(raw []byte) ([]byte, error) {
	var entry map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&entry); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// encoding/json names a Go type ("map[string]interface {}").
			return nil, fmt.Errorf("an entry of log.entries is a JSON %s, not an object", te.Value)
		}
		return nil, err
	}
	if req, _ := entry["request"].(map[string]any); req != nil {
		z.message(req, true)
	}
	if resp, _ := entry["response"].(map[string]any); resp != nil {
		z.message(resp, false)
	}
	// Chrome's WebSocket frames: text frames sanitized as bodies.
	if ms, _ := entry["_webSocketMessages"].([]any); ms != nil {
		for _, m := range ms {
			if f, _ := m.(map[string]any); f != nil {
				if d, ok := f["data"].(string); ok && d != "" {
					f["data"] = z.body(d, "websocket")
				}
			}
		}
	}
	z.walkStrings(entry)
	return marshalNoEscape(entry)
}

func (z *sanitizer) message(m map[string]any, isReq bool) {
	if hs, _ := m["headers"].([]any); hs != nil {
		for _, h := range hs {
			if f, _ := h.(map[string]any); f != nil {
				n, _ := f["name"].(string)
				if v, ok := f["value"].(string); ok {
					f["value"] = z.header(n, v)
				}
			}
		}
	}
	if cs, _ := m["cookies"].([]any); cs != nil {
		for _, c := range cs {
			if f, _ := c.(map[string]any); f != nil {
				if v, ok := f["value"].(string); ok && v != "" {
					f["value"] = z.token("cookie", v)
				}
			}
		}
	}
	if isReq {
		if u, ok := m["url"].(string); ok {
			m["url"] = z.url(u)
		}
		if qs, _ := m["queryString"].([]any); qs != nil {
			for _, q := range qs {
				if f, _ := q.(map[string]any); f != nil {
					n, _ := f["name"].(string)
					if v, ok := f["value"].(string); ok && v != "" {
						if m, edge := detect.MaskEdgeToken(n, v, func(s string) string { return z.param("query-param", s) }); edge {
							f["value"] = m
						} else if secretParam(n, v) {
							f["value"] = z.param("query-param", v)
						}
					}
				}
			}
		}
		if pd, _ := m["postData"].(map[string]any); pd != nil {
			if t, ok := pd["text"].(string); ok {
				if mt, _ := pd["mimeType"].(string); ascii.Contains(mt, "x-www-form-urlencoded") {
					t = z.form(t, "post-data")
				}
				pd["text"] = z.body(t, "post-data")
			}
			if ps, _ := pd["params"].([]any); ps != nil {
				for _, p := range ps {
					if f, _ := p.(map[string]any); f != nil {
						n, _ := f["name"].(string)
						if v, ok := f["value"].(string); ok && v != "" && secretParam(n, v) {
							f["value"] = z.param("post-data", v)
						}
					}
				}
			}
		}
		return
	}
	c, _ := m["content"].(map[string]any)
	if c == nil {
		return
	}
	t, ok := c["text"].(string)
	if !ok || t == "" {
		return
	}
	if enc, _ := c["encoding"].(string); enc == "base64" {
		raw, err := base64.StdEncoding.DecodeString(t)
		if err != nil {
			return
		}
		if len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b {
			// A body kept compressed (Content-Encoding: gzip as sent):
			// sanitized inflated, at most 64 MiB.
			if zr, err := gzip.NewReader(bytes.NewReader(raw)); err == nil {
				if plain, err := io.ReadAll(io.LimitReader(zr, 64<<20)); err == nil || len(plain) > 0 {
					raw = plain
					c["text"] = "" // not the compressed bytes any more, whatever happens below
				}
			}
		}
		if capture.IsBinary(raw[:min(len(raw), 512)]) {
			if c["text"] == "" {
				c["text"] = base64.StdEncoding.EncodeToString(raw)
			}
			return // binary: no text secrets to find
		}
		s := z.body(string(raw), "body-token")
		switch {
		case utf8.ValidString(s):
			c["text"] = s
			delete(c, "encoding") // a replaced body is text now: never leave base64 on it
		case s != string(raw) || c["text"] == "":
			c["text"] = base64.StdEncoding.EncodeToString([]byte(s)) // not UTF-8 (Latin-1, say): its bytes, sanitized
		}
		c["size"] = json.Number(fmt.Sprint(len(s)))
		return
	}
	c["text"] = z.body(t, "body-token")
}

// anyURL sanitizes a string that is a URL with a query (redirectURL,
// _initiator.url, a Link target…).
func (z *sanitizer) anyURL(s string) string {
	if (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "wss://") || strings.HasPrefix(s, "ws://")) && strings.ContainsAny(s, "?@#;") && !strings.ContainsAny(s, " \n\"") {
		return z.url(s)
	}
	return s
}

// walkStrings replaces echoes of known secrets in every string of v, and
// secrets found by their shape (valueShapes) in every string that is not a
// body (a body, "text" or a WebSocket frame's "data", was sanitized as one
// already): comments, a header's comment, _initiator, any field a
// producer adds.
func (z *sanitizer) walkStrings(v any) {
	str := func(k, s string) string {
		switch k {
		case "encoding":
			return s
		case "text", "data":
			return z.echoes(z.anyURL(s))
		}
		return z.echoes(z.valueShapes(z.anyURL(s)))
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				x[k] = str(k, s)
				continue
			}
			z.walkStrings(e)
		}
	case []any:
		for i, e := range x {
			if s, ok := e.(string); ok {
				x[i] = str("", s)
				continue
			}
			z.walkStrings(e)
		}
	}
}

// text sanitizes a raw or curl -i/-v capture: start lines and header
// fields line by line (curl -v's "> " and "< " prefixes kept), bodies as blocks.
func (z *sanitizer) text(s string) string {
	lines := strings.SplitAfter(s, "\n")
	var out, body strings.Builder
	inBody := false
	kind := "body-token" // "post-data" for a request's body
	flush := func() {
		if body.Len() > 0 {
			out.WriteString(z.body(body.String(), kind))
			body.Reset()
		}
	}
	for _, line := range lines {
		content := strings.TrimRight(line, "\r\n")
		eol := line[len(content):]
		prefix := ""
		if len(content) >= 2 && (content[0] == '>' || content[0] == '<') && content[1] == ' ' {
			prefix, content = content[:2], content[2:]
		} else if content == ">" || content == "<" {
			prefix, content = content, ""
		}
		b := []byte(content)
		if _, target, _, ok := capture.RequestLine(b); ok {
			flush()
			inBody, kind = false, "post-data"
			content = strings.Replace(content, target, z.url(target), 1)
		} else if _, _, _, ok := capture.StatusLine(b); ok {
			flush()
			inBody, kind = false, "body-token"
		} else if inBody && prefix == "" {
			body.WriteString(line)
			continue
		} else if strings.TrimSpace(content) == "" {
			inBody = true
		} else if name, value, ok := capture.HeaderLine(b); ok {
			if nv := z.header(name, value); nv != value {
				if j := strings.LastIndex(content, value); j >= 0 {
					content = content[:j] + nv + content[j+len(value):]
				}
			}
		} else if strings.HasPrefix(content, "* ") {
			// curl's own lines: "* Uses proxy env variable https_proxy ==
			// 'http://user:password@proxy:3128'" prints the proxy password.
			content = z.valueShapes(content)
		} else if prefix == "" && !strings.HasPrefix(content, "{ [") && !strings.HasPrefix(content, "} [") {
			content = z.shapes(content)
		}
		flush()
		out.WriteString(prefix + content + eol)
	}
	flush()
	return z.echoes(out.String())
}
