package capture

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"unsafe"

	"github.com/tidwall/gjson"

	"why401/internal/ascii"
)

// HARInfo is what the HAR reader learns about the file besides its entries.
type HARInfo struct {
	Producer string // "chrome", "firefox", …; "" when unknown
	Creator  string // log.creator.name as written
	Entries  int    // entries seen, including skipped ones
}

// ReadHAR streams log.entries and calls fn with each entry converted to an Exchange.
func ReadHAR(s *JSONScanner, lim Limits, w *Warnings, fn func(Exchange)) (HARInfo, error) {
	return ReadHAREntries(s, lim, w, func(idx int, raw []byte, producer string) {
		ex := HAREntry(raw, s.Bounds(), idx, lim, w)
		ex.Producer = producer
		fn(ex)
	})
}

// ReadHAREntries streams log.entries and calls fn with each entry in turn.
// The entries are read one at a time: memory is bounded by the largest entry.
// A truncated file yields the entries read before the cut and an error
// wrapping errTruncated.
// The callback gets each entry's raw bytes (valid only during the call), or
// nil for an entry over Limits.EntryBytes, and the producer known so far;
// s.Bounds() holds the entry's string bounds during the call.
func ReadHAREntries(s *JSONScanner, lim Limits, w *Warnings, fn func(idx int, raw []byte, producer string)) (HARInfo, error) {
	var info HARInfo
	sawLog, sawEntries := false, false
	err := s.Object(func(key string) error {
		if key != "log" {
			return s.SkipValue()
		}
		sawLog = true
		if c, ok := s.Peek(); ok && c != '{' {
			return wrapErr(ErrSyntax, `: "log" is not an object`)
		}
		return s.Object(func(key string) error {
			switch key {
			case "creator":
				v, err := s.KeepValue()
				if err == nil && v != nil {
					info.Creator = Clip(gjson.GetBytes(v, "name").String(), 100)
					info.Producer = producerOf(info.Creator)
				}
				return err
			case "entries":
				sawEntries = true
				if c, ok := s.Peek(); ok && c != '[' {
					return wrapErr(ErrSyntax, `: "log.entries" is not an array`)
				}
				return s.Array(func() error {
					idx := info.Entries
					info.Entries++
					v, err := s.KeepValue()
					if err != nil {
						return err
					}
					if idx >= lim.Entries {
						if idx == lim.Entries {
							w.Add("entries", "the HAR has more than "+strconv.Itoa(lim.Entries)+" entries; the rest were not analysed (limit Entries)")
						}
						return nil
					}
					if v == nil {
						w.Add("entry-bytes", "entry "+strconv.Itoa(idx)+" is larger than "+strconv.Itoa(lim.EntryBytes)+" bytes and was not analysed (limit EntryBytes)")
					}
					fn(idx, v, info.Producer)
					return nil
				})
			default:
				return s.SkipValue()
			}
		})
	})
	if s.err != nil {
		return info, &wrapError{"read error: " + s.err.Error(), s.err}
	}
	if s.overInput {
		w.Add("input-bytes", "the input is larger than "+strconv.FormatInt(lim.InputBytes, 10)+" bytes; only its start was read (limit InputBytes)")
		if err != nil {
			err = nil
		}
	}
	if err == nil && !sawLog {
		return info, ErrNotHAR
	}
	if err == nil && !sawEntries {
		return info, wrapErr(ErrNotHAR, `: no "log.entries"`)
	}
	if errors.Is(err, ErrTruncated) && info.Entries > 0 {
		w.Add("truncated", "the HAR ends early (truncated?): "+strconv.Itoa(countComplete(info.Entries))+" complete entries were recovered")
	}
	return info, err
}

// countComplete: the entry being read when the file ended is counted but incomplete.
func countComplete(n int) int { return max(n-1, 0) }

var ErrNotHAR = errors.New("not a HAR file: no \"log\" object")

// producerOf maps log.creator.name to a short producer id.
func producerOf(creator string) string {
	c := ascii.Lower(creator)
	for _, p := range [...]struct{ sub, id string }{
		{"webinspector", "chrome"}, {"chrome", "chrome"}, {"edge", "edge"},
		{"firefox", "firefox"}, {"webkit", "safari"}, {"safari", "safari"},
		{"charles", "charles"}, {"fiddler", "fiddler"}, {"insomnia", "insomnia"},
		{"mitmproxy", "mitmproxy"}, {"playwright", "playwright"}, {"browsermob", "browsermob"},
		{"http toolkit", "httptoolkit"}, {"proxyman", "proxyman"}, {"postman", "postman"},
		{"burp", "burp"}, {"internet explorer", "ie"}, {"puppeteer", "puppeteer"}, {"why401", "why401"},
	} {
		if strings.Contains(c, p.sub) {
			return p.id
		}
	}
	return ""
}

// HAREntry converts one entry. It never fails: wrong types read as empty values.
// Strings kept are copies, so nothing in the Exchange points into the reader's buffer.
// bounds are the entry's string bounds as the scanner recorded them
// (JSONScanner.Bounds), or nil: the result is the same, only faster with them.
func HAREntry(v []byte, bounds []uint32, idx int, lim Limits, w *Warnings) Exchange {
	ex := Exchange{Index: idx, FromHAR: true}
	if v == nil {
		ex.ClientError = "entry too large to analyse"
		return ex
	}
	var resourceType, fetchType, entryErr, fulfilled, started, apiRequest []byte
	var method, url, proto, cookies, postData []byte
	var status, statusText, rproto, rcookies, rerr, failure []byte
	headers, rheaders := [2]int{-1, -1}, [2]int{-1, -1} // where each array starts and ends in v
	var text, encoding, mime []byte
	hasContent := false
	// One pass over the entry: request, response and response.content are
	// walked where they stand, so a large body is skipped once, not once per level.
	wk := walker{b: v, bounds: bounds}
	take := func(dst *[]byte, at int) int {
		e := wk.value(at)
		*dst = v[at:e]
		return e
	}
	span := func(dst *[2]int, at int) int {
		e := wk.value(at)
		*dst = [2]int{at, e}
		return e
	}
	wk.objectOrSkip(skipWS(v, 0), func(k []byte, at int) int {
		switch string(k) {
		case "request":
			return wk.objectOrSkip(at, func(k []byte, at int) int {
				switch string(k) {
				case "method":
					return take(&method, at)
				case "url":
					return take(&url, at)
				case "httpVersion":
					return take(&proto, at)
				case "headers":
					return span(&headers, at)
				case "cookies":
					return take(&cookies, at)
				case "postData":
					return take(&postData, at)
				}
				return wk.value(at)
			})
		case "response":
			return wk.objectOrSkip(at, func(k []byte, at int) int {
				switch string(k) {
				case "status":
					return take(&status, at)
				case "statusText":
					return take(&statusText, at)
				case "httpVersion":
					return take(&rproto, at)
				case "headers":
					return span(&rheaders, at)
				case "cookies":
					return take(&rcookies, at)
				case "_error":
					return take(&rerr, at)
				case "_failureText":
					return take(&failure, at)
				case "content":
					hasContent = hasContent || (at < len(v) && v[at] == '{')
					return wk.objectOrSkip(at, func(k []byte, at int) int {
						switch string(k) {
						case "text":
							return take(&text, at)
						case "encoding":
							return take(&encoding, at)
						case "mimeType":
							return take(&mime, at)
						}
						return wk.value(at)
					})
				}
				return wk.value(at)
			})
		case "_resourceType":
			return take(&resourceType, at)
		case "_fetchType":
			return take(&fetchType, at)
		case "_error":
			return take(&entryErr, at)
		case "_wasFulfilled":
			return take(&fulfilled, at)
		case "startedDateTime":
			return take(&started, at)
		case "_apiRequest":
			return take(&apiRequest, at)
		}
		return wk.value(at)
	})

	r := &Message{
		Method: Clip(jsonString(method), 32),
		URL:    Clip(jsonString(url), 8192),
		Proto:  Clip(jsonString(proto), 32),
	}
	r.Fields = dropPseudo(harFieldsAt(&wk, headers, lim, w), r)
	if !r.Has("Cookie") && isArray(cookies) && len(cookies) > 2 {
		if c := harCookieHeader(cookies); c != "" {
			r.Fields = append(r.Fields, Field{Name: "Cookie", Value: c})
		}
	}
	if isObject(postData) {
		if pd := gjson.GetBytes(postData, "text"); pd.Exists() {
			r.Body = capBytes(pd.String(), lim.BodyBytes)
		}
	}
	ex.Request = r

	m := Message{
		Status: statusOf(status),
		Reason: Clip(jsonString(statusText), 200),
		Proto:  Clip(jsonString(rproto), 32),
	}
	m.Fields = dropPseudo(harFieldsAt(&wk, rheaders, lim, w), &m)
	if !m.Has("Set-Cookie") && isArray(rcookies) && len(rcookies) > 2 {
		eachElement(rcookies, func(c []byte) {
			if n := gjson.GetBytes(c, "name").String(); n != "" {
				m.Fields = append(m.Fields, Field{Name: "Set-Cookie", Value: n + "=" + gjson.GetBytes(c, "value").String()})
			}
		})
	}
	ex.ResourceType = Clip(firstNonEmpty(jsonString(resourceType), jsonString(fetchType)), 40)
	ex.ClientError = Clip(firstNonEmpty(jsonString(rerr), jsonString(failure), jsonString(entryErr)), 200)
	ex.Mocked = string(fulfilled) == "true"
	ex.APIRequest = len(apiRequest) > 0 && string(apiRequest) != "false" && string(apiRequest) != "null"
	if t, ok := parseRFC3339(jsonString(started)); ok {
		ex.Started = t
	}
	if hasContent && text != nil && worthBody(&m, jsonString(mime)) {
		harBody(&m, text, jsonString(encoding) == "base64", lim, w)
	}
	ex.Response = m
	return ex
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// harFieldsAt is harFields of the headers value at wk.b[at[0]:at[1]] (none
// when at[0] < 0), walked with wk's string bounds.
func harFieldsAt(wk *walker, at [2]int, lim Limits, w *Warnings) []Field {
	if at[0] < 0 {
		return nil
	}
	sub := walker{b: wk.b[:at[1]], bounds: wk.bounds, c: wk.c}
	return harFieldsIn(&sub, at[0], lim, w)
}

// harFields reads headers in the usual [{name, value}] form quickly and
// falls back to harHeaders for the other shapes producers write.
func harFields(raw []byte, lim Limits, w *Warnings) []Field {
	return harFieldsIn(&walker{b: raw}, 0, lim, w)
}

// harFieldsIn is harFields of wk.b[at:].
func harFieldsIn(wk *walker, at int, lim Limits, w *Warnings) []Field {
	raw := wk.b[at:]
	if !isArray(raw) {
		if isObject(raw) {
			return harHeaders(raw, lim, w)
		}
		return nil
	}
	// DevTools records 10–30 a side; each is an object, so there are at
	// most as many as the array holds '{' (a compact HAR's 5–8, not 24).
	out := make([]Field, 0, min(24, bytes.Count(raw, []byte{'{'})))
	// The names and values are unquoted into one allocation (as large as
	// the raw headers, which they never outgrow), not one each.
	arena := make([]byte, 0, len(raw))
	text := func(r []byte) string {
		start := len(arena)
		arena = appendJSONText(arena, r)
		if len(arena) == start {
			return ""
		}
		return unsafe.String(&arena[start], len(arena)-start) // never written again
	}
	var n, v []byte
	if !wk.objectElements(at, func(k, val []byte) {
		switch string(k) {
		case "name":
			n = val
		case "value":
			v = val
		}
	}, func() {
		name, common := commonHeaderName(n)
		if !common {
			name = text(n)
		}
		value := v
		n, v = nil, nil
		if name == "" {
			return
		}
		if len(out) >= lim.HeaderFields {
			warnHeaderFields(w, lim)
			return
		}
		val := text(value)
		if len(val) > lim.HeaderBytes {
			warnHeaderBytes(w, name, lim)
			val = val[:lim.HeaderBytes]
		}
		out = append(out, Field{Name: Clip(name, 256), Value: val})
	}) {
		return harHeaders(raw, lim, w)
	}
	return out
}

// commonHeaderName is a header's name (raw JSON) when it is one that most
// captures hold (a HAR repeats them in every entry), without a copy.
func commonHeaderName(raw []byte) (string, bool) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		s, ok := commonHeaderNames[string(raw[1:len(raw)-1])]
		return s, ok
	}
	return "", false
}

var commonHeaderNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range strings.Fields(`:authority :method :path :scheme :status accept accept-encoding
		accept-language accept-ranges access-control-allow-credentials access-control-allow-headers
		access-control-allow-methods access-control-allow-origin access-control-expose-headers
		access-control-max-age access-control-request-headers access-control-request-method age
		alt-svc authorization cache-control cf-cache-status cf-ray connection content-encoding
		content-length content-security-policy content-type cookie date dnt etag expect-ct expires
		host if-modified-since if-none-match keep-alive last-modified link location nel origin
		permissions-policy pragma priority referer referrer-policy report-to server server-timing
		set-cookie strict-transport-security timing-allow-origin transfer-encoding
		upgrade-insecure-requests user-agent vary via www-authenticate x-cache x-content-type-options
		x-frame-options x-powered-by x-request-id x-requested-with x-xss-protection
		sec-ch-ua sec-ch-ua-mobile sec-ch-ua-platform sec-fetch-dest sec-fetch-mode sec-fetch-site
		sec-fetch-user sec-gpc`) {
		m[n] = n
		if n[0] != ':' {
			c := []byte(n)
			up := true
			for i, b := range c {
				if up && b >= 'a' && b <= 'z' {
					c[i] = b - 32
				}
				up = b == '-'
			}
			m[string(c)] = string(c)
		}
	}
	return m
}()

// statusOf reads response.status: a number (as gjson's Int() truncates it)
// or a numeric string; anything outside 0..999 is 0.
func statusOf(raw []byte) int {
	if n := len(raw); n == 3 && raw[0] >= '0' && raw[0] <= '9' && raw[1] >= '0' && raw[1] <= '9' && raw[2] >= '0' && raw[2] <= '9' {
		return int(raw[0]-'0')*100 + int(raw[1]-'0')*10 + int(raw[2]-'0')
	}
	switch r := gjson.ParseBytes(raw); r.Type {
	case gjson.Number:
		if f := r.Float(); f >= 0 && f < 1000 {
			return int(f)
		}
	case gjson.String:
		if n, err := strconv.ParseInt(strings.TrimSpace(r.Str), 10, 64); err == nil && n >= 0 && n <= 999 {
			return int(n)
		}
	}
	return 0
}

func warnHeaderFields(w *Warnings, lim Limits) {
	w.Add("header-fields", "a message had more than "+strconv.Itoa(lim.HeaderFields)+" header fields; the rest were ignored (limit HeaderFields)")
}

func warnHeaderBytes(w *Warnings, name string, lim Limits) {
	w.Add("header-bytes", "header "+strconv.Quote(MaskTokenShapes(Clip(name, 64)))+" was longer than "+strconv.Itoa(lim.HeaderBytes)+" bytes and was cut (limit HeaderBytes)")
}

// harHeaders accepts [{name,value}], [[n,v]], {n:v} and ["n: v"] forms.
func harHeaders(h []byte, lim Limits, w *Warnings) []Field {
	var out []Field
	add := func(n, v string) {
		if n == "" {
			return
		}
		if len(out) >= lim.HeaderFields {
			warnHeaderFields(w, lim)
			return
		}
		if len(v) > lim.HeaderBytes {
			warnHeaderBytes(w, n, lim)
			v = v[:lim.HeaderBytes]
		}
		out = append(out, Field{Name: cloneClip(n, 256), Value: strings.Clone(v)})
	}
	if isObject(h) {
		gjson.ParseBytes(h).ForEach(func(k, v gjson.Result) bool { add(k.String(), v.String()); return len(out) < lim.HeaderFields })
		return out
	}
	stop := false
	eachElement(h, func(v []byte) {
		if stop {
			return
		}
		switch {
		case isObject(v):
			add(gjson.GetBytes(v, "name").String(), gjson.GetBytes(v, "value").String())
		case isArray(v):
			add(gjson.GetBytes(v, "0").String(), gjson.GetBytes(v, "1").String())
		case v[0] == '"':
			n, val, _ := strings.Cut(gjson.ParseBytes(v).String(), ":")
			add(strings.TrimSpace(n), strings.TrimSpace(val))
		}
		stop = len(out) > lim.HeaderFields
	})
	return out
}

// dropPseudo removes ":authority"-style fields, using them to fill the message.
func dropPseudo(fs []Field, m *Message) []Field {
	out := fs[:0]
	rebuild := m.URL == ""
	for _, f := range fs {
		if !strings.HasPrefix(f.Name, ":") {
			out = append(out, f)
			continue
		}
		switch ascii.Lower(f.Name) {
		case ":status":
			if m.Status == 0 {
				m.Status = atoi3(f.Value)
			}
		case ":method":
			if m.Method == "" {
				m.Method = f.Value
			}
		case ":authority", ":path", ":scheme":
			if rebuild || !strings.Contains(m.URL, "://") {
				m.URL = rebuildURL(m.URL, ascii.Lower(f.Name), f.Value)
			}
		}
	}
	return out
}

func harCookieHeader(c []byte) string {
	var b strings.Builder
	eachElement(c, func(v []byte) {
		if b.Len() >= 16<<10 {
			return
		}
		n := gjson.GetBytes(v, "name").String()
		if n == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(n + "=" + gjson.GetBytes(v, "value").String())
	})
	return b.String()
}

// worthBody decides whether a response body can matter. Images, scripts and
// large successful responses are not decoded nor scanned.
func worthBody(m *Message, mime string) bool {
	if m.Status >= 400 || m.Status == 0 {
		return true
	}
	mime = ascii.Lower(mime)
	if mime == "" {
		mime = ascii.Lower(m.Get("Content-Type"))
	}
	// 200 challenge pages (F5, Imperva, Anubis), 202 AWS WAF, Slack's 200 ok:false.
	return strings.Contains(mime, "html") || strings.Contains(mime, "json") || strings.Contains(mime, "text/plain") || mime == ""
}

// SuccessBodyBytes is how much of a successful response's body a HAR entry
// keeps (a 2xx or 3xx answer, for the 200 challenge pages and the API errors
// answered with 200): those pages are small, and what follows in a long page
// that succeeded is its content. Refusals keep Limits.BodyBytes.
const SuccessBodyBytes = 64 << 10

// harBody decodes content.text (raw JSON) into m.Body, at most lim.BodyBytes
// (SuccessBodyBytes for a success): only the start of a long body is
// unescaped or base64-decoded.
func harBody(m *Message, raw []byte, b64 bool, lim Limits, w *Warnings) {
	if len(raw) < 2 || raw[0] != '"' {
		return
	}
	limit, success := lim.BodyBytes, m.Status >= 200 && m.Status < 400
	if success {
		limit = min(limit, SuccessBodyBytes)
	}
	if b64 {
		text, cut := jsonStringPrefix(raw, (limit/3+1)*4)
		n := len(text)
		src := strings.TrimRight(text[:n-n%4], "=")
		if b, err := base64.RawStdEncoding.DecodeString(src); err == nil {
			m.Body = b
			m.BodyTruncated = cut
		} else if b, err := base64.RawURLEncoding.DecodeString(src); err == nil {
			m.Body = b
		} else {
			// Firefox sometimes labels plain text as base64.
			w.Add("base64", "a body marked base64 was not valid base64 and was read as text")
			m.Body = capBytes(text, limit)
		}
	} else {
		body, c := jsonBytesPrefix(raw, limit+1)
		m.Body = body[:min(len(body), limit)]
		m.BodyTruncated = c || len(body) > limit
	}
	tail := false
	if m.BodyTruncated && !b64 && keepsTail(m.Status, lim.BodyBytes) {
		m.Body, tail = headTail(m.Body, []byte(jsonStringSuffix(raw, lim.BodyBytes/tailShare)), lim.BodyBytes), true
	} else if len(m.Body) > limit {
		m.Body, m.BodyTruncated = m.Body[:limit], true
	}
	if m.BodyTruncated && !success { // a success's long content is cut on purpose
		w.Add("body-bytes", cutNote(lim.BodyBytes, tail))
	}
	decodeBody(m, lim, w)
}

// jsonStringPrefix unquotes about the first n bytes of the JSON string raw,
// reporting whether it cut it.
func jsonStringPrefix(raw []byte, n int) (string, bool) {
	p, cut := escapedPrefix(raw, n)
	if bytes.IndexByte(p, '\\') < 0 {
		return string(p), cut
	}
	if s, ok := unescapeSimple(p); ok {
		return s, cut
	}
	return gjson.Parse(`"` + string(p) + `"`).String(), cut
}

// jsonBytesPrefix is jsonStringPrefix into a new byte slice, copied once.
func jsonBytesPrefix(raw []byte, n int) ([]byte, bool) {
	p, cut := escapedPrefix(raw, n)
	if bytes.IndexByte(p, '\\') < 0 {
		return bytes.Clone(p), cut
	}
	if b, ok := unescapeSimpleBytes(p); ok {
		return b, cut
	}
	return []byte(gjson.Parse(`"` + string(p) + `"`).String()), cut
}

// escapedPrefix is about the first n bytes of the inside of the JSON string
// raw, still escaped, ending outside any escape (a trailing odd run of
// backslashes and a partial \uXXXX dropped), and whether it was cut.
func escapedPrefix(raw []byte, n int) ([]byte, bool) {
	body := raw[1 : len(raw)-1]
	if len(body) <= n {
		return body, false
	}
	p := body[:n]
	if bytes.IndexByte(p, '\\') < 0 {
		return p, true
	}
	// A \uXXXX cut short starts in the last five bytes (only there: a
	// LastIndex over the whole prefix was a tenth of the chrome shape).
	if i := bytes.LastIndex(p[max(0, len(p)-5):], []byte(`\u`)); i >= 0 {
		p = p[:max(0, len(p)-5)+i]
	}
	k := 0
	for j := len(p) - 1; j >= 0 && p[j] == '\\'; j-- {
		k++
	}
	if k%2 == 1 {
		p = p[:len(p)-1]
	}
	return p, true
}

// jsonStringSuffix unquotes about the last n bytes of the JSON string raw,
// starting at the first place from there that is not inside an escape (a
// backslash, its letter, or the hex digits of \uXXXX); "" when none is found
// within 4 KiB (a run of backslashes too long to tell).
func jsonStringSuffix(raw []byte, n int) string {
	body := raw[1 : len(raw)-1]
	if len(body) <= n {
		return jsonString(raw)
	}
	// run counts the backslashes just before i (-1: more than 4 KiB of them).
	run := func(i int) int {
		k := 0
		for ; i-1-k >= 0 && body[i-1-k] == '\\'; k++ {
			if k > 4<<10 {
				return -1
			}
		}
		return k
	}
	outside := func(p int) bool {
		if k := run(p); k < 0 || k%2 == 1 {
			return false
		}
		for i := max(0, p-5); i <= p-2; i++ {
			if body[i] == '\\' && body[i+1] == 'u' {
				if k := run(i); k < 0 || k%2 == 0 {
					return false // p is among the hex digits of this \uXXXX
				}
			}
		}
		return true
	}
	start, stop := len(body)-n, min(len(body), len(body)-n+4<<10)
	for start < stop && !outside(start) {
		start++
	}
	if start == stop {
		return ""
	}
	p := body[start:]
	if bytes.IndexByte(p, '\\') < 0 {
		return string(p)
	}
	if s, ok := unescapeSimple(p); ok {
		return s
	}
	return gjson.Parse(`"` + string(p) + `"`).String()
}

// cloneClip is clip for strings that may point into the reader's buffer.
func cloneClip(s string, n int) string { return strings.Clone(Clip(s, n)) }

func capBytes(s string, n int) []byte {
	if len(s) > n {
		s = s[:n]
	}
	return []byte(s)
}
